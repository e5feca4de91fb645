/**
 * What the cases module tells people through the inbox (the SLA reminders and supervision are cases.sla.ts's), and
 * how a case is opened from a message: link type 'case', opened while the reader may read the case.
 */
import { defineKind, registerLinkResolver } from '../../platform/notify/notify.kinds.js';
import { canReadCase } from './cases.service.js';

export const CASE_NOTIFY = {
  new: 'cases.new',
  accepted: 'cases.accepted',
  dispatched: 'cases.dispatched',
  whistled: 'cases.whistled',
  handled: 'cases.handled',
  closed: 'cases.closed',
  returned: 'cases.returned',
  escalated: 'cases.escalated',
  reopened: 'cases.reopened',
} as const;

const link = (p: Record<string, unknown>) =>
  typeof p.caseId === 'number'
    ? { type: 'case', id: p.caseId, nodePath: typeof p.nodePath === 'string' ? p.nodePath : null }
    : null;

type Text = { 'zh-CN': string; en: string };

const KINDS: { kind: string; title: Text; label: Text; urgency?: 'urgent' }[] = [
  {
    kind: CASE_NOTIFY.new,
    title: { 'zh-CN': '新报事待受理：{title}（{caseNo}）', en: 'New case to accept: {title} ({caseNo})' },
    label: { 'zh-CN': '网格内新的报事', en: 'New cases in my grid' },
  },
  {
    kind: CASE_NOTIFY.accepted,
    title: { 'zh-CN': '您的报事已受理：{title}', en: 'Your report was accepted: {title}' },
    label: { 'zh-CN': '我的报事已受理', en: 'My report accepted' },
  },
  {
    kind: CASE_NOTIFY.dispatched,
    title: { 'zh-CN': '派遣给您的事件：{title}（{caseNo}）', en: 'Case dispatched to you: {title} ({caseNo})' },
    label: { 'zh-CN': '派遣来的事件', en: 'Cases dispatched to me' },
  },
  {
    kind: CASE_NOTIFY.whistled,
    title: {
      'zh-CN': '街道吹哨，请部门报到：{title}（{caseNo}）',
      en: 'Whistled to your department: {title} ({caseNo})',
    },
    label: { 'zh-CN': '吹哨到本部门的事件', en: 'Cases whistled to my department' },
  },
  {
    kind: CASE_NOTIFY.handled,
    title: { 'zh-CN': '您的报事已处置：{title}', en: 'Your report was handled: {title}' },
    label: { 'zh-CN': '我的报事已处置', en: 'My report handled' },
  },
  {
    kind: CASE_NOTIFY.closed,
    title: { 'zh-CN': '您的报事已办结，请评价：{title}', en: 'Your report is closed; please rate it: {title}' },
    label: { 'zh-CN': '我的报事已办结', en: 'My report closed' },
  },
  {
    kind: CASE_NOTIFY.returned,
    title: { 'zh-CN': '事件被退回：{title}（{caseNo}）', en: 'Case returned: {title} ({caseNo})' },
    label: { 'zh-CN': '退回的事件', en: 'Returned cases' },
  },
  {
    kind: CASE_NOTIFY.escalated,
    title: { 'zh-CN': '网格上报的事件：{title}（{caseNo}）', en: 'Case escalated: {title} ({caseNo})' },
    label: { 'zh-CN': '上报的事件', en: 'Escalated cases' },
  },
  {
    kind: CASE_NOTIFY.reopened,
    title: {
      'zh-CN': '居民反映未解决，事件重新办理：{title}（{caseNo}）',
      en: 'Reopened as not solved: {title} ({caseNo})',
    },
    label: { 'zh-CN': '重新办理的事件', en: 'Reopened cases' },
  },
];

let registered = false;

export function registerCaseNotifications(): void {
  if (registered) return;
  registered = true;
  for (const k of KINDS) defineKind({ ...k, urgency: k.urgency ?? 'normal', link });
  registerLinkResolver('case', async (q, ctx, id) => (await canReadCase(q, ctx, id)).read);
}
