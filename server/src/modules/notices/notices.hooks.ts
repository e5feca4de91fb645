/**
 * What notices add to the platform: the attachment kind of their images and files, the message residents get when
 * a notice for them is published, and its link (opened by a worker in scope or a targeted resident).
 */
import { registerAttachmentKind } from '../../platform/files/files.service.js';
import { defineKind, registerLinkResolver } from '../../platform/notify/notify.kinds.js';
import { canAttachNotice, canReadNotice, NOTICE_FILE_KIND, PUBLISHED_KIND } from './notices.service.js';

export function registerNoticeHooks(): void {
  registerAttachmentKind({
    kind: NOTICE_FILE_KIND,
    maxFiles: 30,
    canRead: (ctx, id, db) => canReadNotice(db, ctx, id),
    canAttach: (ctx, id, db) => canAttachNotice(db, ctx, id),
  });
  defineKind({
    kind: PUBLISHED_KIND,
    title: { 'zh-CN': '【{categoryZh}】{title}', en: '[{categoryEn}] {title}' },
    label: { 'zh-CN': '信息发布：新的通知公告', en: 'Notices: a new notice for you' },
    urgency: 'normal',
    link: (p) => (typeof p.noticeId === 'number' ? { type: 'notice', id: p.noticeId } : null),
  });
  registerLinkResolver('notice', (q, ctx, id) => canReadNotice(q, ctx, id));
}

// Declared when the module loads, so that a demo loader or a job publishing before the app is built finds the kind.
registerNoticeHooks();
