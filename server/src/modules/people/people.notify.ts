/**
 * What the people module tells users through the inbox, and how its records are opened from a message:
 * the ID-clash alert to system administrators, a move-in request to the workers of the holding community.
 */
import { can } from '../../platform/access/scope.js';
import { defineKind, registerLinkResolver } from '../../platform/notify/notify.kinds.js';
import * as moveInRepo from './move-in.repo.js';
import * as repo from './people.repo.js';

export const ID_CLASH_LIMIT = 'people.id_clash_limit';
export const MOVE_IN_REQUESTED = 'people.move_in_request';

let registered = false;

export function registerPeopleNotifications(): void {
  if (registered) return;
  registered = true;
  defineKind({
    kind: ID_CLASH_LIMIT,
    title: {
      'zh-CN': '{user} 今日提交审核的人员超出每日上限（{limit}），已拒绝 {refused} 条',
      en: '{user} went over the daily limit of people submitted for review ({limit}): {refused} refused',
    },
    label: { 'zh-CN': '身份证号冲突超出每日上限', en: 'ID clashes over the daily limit' },
    urgency: 'urgent',
  });
  defineKind({
    kind: MOVE_IN_REQUESTED,
    title: {
      'zh-CN': '新的迁入申请：{name}（{requester} 提交）',
      en: 'New move-in request: {name} (from {requester})',
    },
    label: { 'zh-CN': '新的迁入申请', en: 'New move-in requests' },
    urgency: 'normal',
    link: (p) =>
      typeof p.moveInRequestId === 'number'
        ? {
            type: 'move_in_request',
            id: p.moveInRequestId,
            nodePath: typeof p.holderPath === 'string' ? p.holderPath : null,
          }
        : null,
  });
  registerLinkResolver('resident', async (q, ctx, id) => {
    const r = await repo.findResident(q, id);
    return r !== undefined && r !== null && can(ctx.principal, 'people.read', r.node_path);
  });
  registerLinkResolver('move_in_request', async (q, ctx, id) => {
    const m = await moveInRepo.findMoveIn(q, id);
    if (!m) return false;
    return (
      can(ctx.principal, 'people.write', m.holder_path) ||
      (ctx.principal.userId > 0 && m.requester_id === ctx.principal.userId)
    );
  });
}
