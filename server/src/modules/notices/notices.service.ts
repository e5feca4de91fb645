/**
 * Notices (信息发布): written under notices.write for an area in the writer's scope, reviewed under notices.review by
 * someone else whose scope covers the area (four eyes), published at once or by the job notices.publish_due, read
 * and confirmed by the residents they target (through accounts linked to their records), and shown without login
 * when public. Every move is audited.
 */
import ExcelJS from 'exceljs';
import { type Ctx, systemCtx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { FilesService } from '../../platform/files/files.service.js';
import { send } from '../../platform/notify/notify.service.js';
import { maskName } from '../../platform/pii/index.js';
import {
  bodyFileIds,
  CATEGORY_LABELS,
  canMove,
  excerpt,
  hasContent,
  isOwnNotice,
  NOTICE_CATEGORIES,
  type NoticeAction,
  publicBody,
  sanitizeBody,
} from './notices.logic.js';
import * as repo from './notices.repo.js';
import type {
  ApproveBody,
  MyNotice,
  MyNoticeDetail,
  MyNoticePage,
  MyNoticeQuery,
  NoticeInput,
  NoticeListQuery,
  NoticeOptions,
  NoticePage,
  NoticeSummary,
  NoticeView,
  PublicNotice,
  PublicNoticeDetail,
  PublicNoticePage,
  PublicNoticesQuery,
  ReasonBody,
  ReceiptPage,
  ReceiptQuery,
} from './notices.schemas.js';

export const NOTICE_FILE_KIND = 'notice';
export const PUBLISHED_KIND = 'notices.published';
export const PUBLISH_DUE_JOB = 'notices.publish_due';

export type NoticesDeps = { db: Db; files: FilesService };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const categoryLabel = (ctx: { locale: string }, c: keyof typeof CATEGORY_LABELS) =>
  ctx.locale === 'zh-CN' ? CATEGORY_LABELS[c].zh : CATEGORY_LABELS[c].en;
const notFound = () => new AppError('NOTICE_NOT_FOUND');

// ---- views --------------------------------------------------------------------------------------------------------

async function toSummary(
  q: Queryable,
  ctx: Ctx,
  r: repo.NoticeRow,
  stats: repo.Stats | undefined,
): Promise<NoticeSummary> {
  const isReviewer = can(ctx.principal, 'notices.review', r.node_path);
  const isWriter = can(ctx.principal, 'notices.write', r.node_path);
  const own = isOwnNotice(r.author_id, ctx.principal.userId);
  return {
    id: r.id,
    title: r.title,
    category: r.category,
    categoryLabel: categoryLabel(ctx, r.category),
    excerpt: excerpt(r.body_html),
    nodeId: r.node_id,
    nodeName: r.node_name,
    nodePath: r.node_path,
    tags: await repo.tagsByIds(q, r.tag_ids),
    isPublic: r.is_public,
    isImportant: r.is_important,
    status: r.status,
    publishAt: iso(r.publish_at),
    publishedAt: iso(r.published_at),
    withdrawnAt: iso(r.withdrawn_at),
    rejectReason: r.reject_reason,
    authorId: r.author_id,
    authorName: r.author_name,
    reviewerName: r.reviewer_name,
    reviewedAt: iso(r.reviewed_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    can: {
      edit: isWriter && canMove('edit', r.status),
      submit: isWriter && canMove('submit', r.status),
      review: isReviewer && !own && canMove('approve', r.status),
      withdraw: isReviewer && canMove('withdraw', r.status),
    },
    stats: stats ?? null,
  };
}

async function toView(deps: NoticesDeps, ctx: Ctx, r: repo.NoticeRow): Promise<NoticeView> {
  const stats =
    r.status === 'draft' && r.published_at === null ? undefined : (await repo.stats(deps.db, [r.id])).get(r.id);
  return {
    ...(await toSummary(deps.db, ctx, r, stats)),
    body: r.body_html,
    files: await deps.files.listAttached(deps.db, NOTICE_FILE_KIND, r.id),
  };
}

// ---- the console --------------------------------------------------------------------------------------------------

/** The editor's choices: categories and the tags a notice may target (sensitive tags are never offered). */
export async function options(deps: Pick<NoticesDeps, 'db'>, ctx: Ctx): Promise<NoticeOptions> {
  assertPermission(ctx.principal, 'notices.read');
  return {
    categories: NOTICE_CATEGORIES.map((code) => ({ code, label: categoryLabel(ctx, code) })),
    tags: await repo.targetableTags(deps.db),
  };
}

/** Notices in the caller's notices.read scope; `toReview=1`: those waiting for the caller's review. */
export async function listNotices(deps: NoticesDeps, ctx: Ctx, query: NoticeListQuery): Promise<NoticePage> {
  assertPermission(ctx.principal, 'notices.read');
  let nodePath: string | undefined;
  if (query.nodeId !== undefined) {
    const node = await repo.findNode(deps.db, query.nodeId);
    if (!node || !can(ctx.principal, 'notices.read', node.path))
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    nodePath = node.path;
  }
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listNotices(
    deps.db,
    scopeSql(scopeFor(ctx.principal, 'notices.read'), 'n.node_path'),
    {
      status: query.status,
      category: query.category,
      nodePath,
      q: query.q || undefined,
      review:
        query.toReview === '1'
          ? {
              condition: scopeSql(scopeFor(ctx.principal, 'notices.review'), 'n.node_path'),
              userId: ctx.principal.userId,
            }
          : undefined,
      limit: pageSize,
      offset: ((query.page ?? 1) - 1) * pageSize,
    },
  );
  const stats = await repo.stats(
    deps.db,
    rows.filter((r) => r.published_at !== null).map((r) => r.id),
  );
  const items: NoticeSummary[] = [];
  for (const r of rows) items.push(await toSummary(deps.db, ctx, r, stats.get(r.id)));
  return { items, total };
}

async function readable(q: Queryable, ctx: Ctx, id: number, forUpdate = false): Promise<repo.NoticeRow> {
  const r = await repo.findNotice(q, id, forUpdate);
  if (!r || !can(ctx.principal, 'notices.read', r.node_path)) throw notFound();
  return r;
}

/** @throws NOTICE_NOT_FOUND */
export async function getNotice(deps: NoticesDeps, ctx: Ctx, id: number): Promise<NoticeView> {
  assertPermission(ctx.principal, 'notices.read');
  return toView(deps, ctx, await readable(deps.db, ctx, id));
}

/** Checks and normalises a draft: the area in the writer's scope, known targetable tags, a non-empty sanitized body. */
async function prepare(q: Queryable, ctx: Ctx, body: NoticeInput): Promise<repo.NoticeWrite> {
  const node = await repo.findNode(q, body.nodeId);
  if (!node || node.status !== 'active' || !can(ctx.principal, 'notices.read', node.path))
    throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  assertCan(ctx.principal, 'notices.write', node.path);
  const tagIds = body.tagIds ?? [];
  if (tagIds.length > 0) {
    const known = new Set((await repo.targetableTags(q)).map((t) => t.id));
    const i = tagIds.findIndex((t) => !known.has(t));
    if (i >= 0) throw new AppError('NOTICE_TAG_INVALID', { field: `tagIds.${i}` });
  }
  const bodyHtml = sanitizeBody(body.body);
  if (!hasContent(bodyHtml)) throw new AppError('NOTICE_BODY_EMPTY', { field: 'body' });
  return {
    countyId: node.county_id,
    nodeId: node.id,
    nodePath: node.path,
    tagIds,
    title: body.title,
    category: body.category,
    bodyHtml,
    isPublic: body.isPublic ?? false,
    isImportant: body.isImportant ?? false,
  };
}

async function attach(deps: NoticesDeps, tx: Queryable, ctx: Ctx, id: number, w: repo.NoticeWrite, fileIds: string[]) {
  const existing = new Set((await deps.files.listAttached(tx, NOTICE_FILE_KIND, id)).map((f) => f.id));
  const inBody = bodyFileIds(w.bodyHtml).filter((f) => !existing.has(f));
  if (inBody.length > 0)
    await deps.files.attachFiles(tx, ctx, { kind: NOTICE_FILE_KIND, recordId: id, fileIds: inBody, field: 'body' });
  const more = fileIds.filter((f) => !existing.has(f) && !inBody.includes(f));
  if (more.length > 0)
    await deps.files.attachFiles(tx, ctx, { kind: NOTICE_FILE_KIND, recordId: id, fileIds: more, field: 'fileIds' });
}

function audited(r: repo.NoticeRow | repo.NoticeWrite) {
  return 'id' in r
    ? { title: r.title, category: r.category, nodeId: r.node_id, tagIds: r.tag_ids, status: r.status }
    : { title: r.title, category: r.category, nodeId: r.nodeId, tagIds: r.tagIds };
}

/**
 * A draft for an area in the caller's notices.write scope.
 * @throws ORG_NODE_NOT_FOUND (nodeId), OUT_OF_SCOPE, NOTICE_TAG_INVALID (tagIds.n), NOTICE_BODY_EMPTY (body),
 *   FILE_NOT_FOUND (body / fileIds.n)
 */
export async function createNotice(deps: NoticesDeps, ctx: Ctx, body: NoticeInput): Promise<NoticeView> {
  assertPermission(ctx.principal, 'notices.write');
  const id = await deps.db.transaction(async (tx) => {
    const w = await prepare(tx, ctx, body);
    const id = await repo.insertNotice(tx, w, ctx.principal.userId);
    await attach(deps, tx, ctx, id, w, body.fileIds ?? []);
    await recordAudit(tx, ctx, {
      action: 'notice.create',
      targetType: 'notice',
      targetId: id,
      targetLabel: w.title,
      scopePath: w.nodePath,
      countyId: w.countyId,
      after: audited(w),
    });
    return id;
  });
  return getNotice(deps, ctx, id);
}

/**
 * Changes a draft (a rejected notice is a draft again).
 * @throws NOTICE_NOT_FOUND, NOTICE_BAD_STATUS, and those of createNotice
 */
export async function updateNotice(deps: NoticesDeps, ctx: Ctx, id: number, body: NoticeInput): Promise<NoticeView> {
  assertPermission(ctx.principal, 'notices.write');
  await deps.db.transaction(async (tx) => {
    const before = await readable(tx, ctx, id, true);
    assertCan(ctx.principal, 'notices.write', before.node_path);
    assertMove(ctx, 'edit', before);
    const w = await prepare(tx, ctx, body);
    await repo.updateNotice(tx, id, w);
    await attach(deps, tx, ctx, id, w, body.fileIds ?? []);
    await recordAudit(tx, ctx, {
      action: 'notice.update',
      targetType: 'notice',
      targetId: id,
      targetLabel: w.title,
      scopePath: w.nodePath,
      countyId: w.countyId,
      before: audited(before),
      after: audited(w),
    });
  });
  return getNotice(deps, ctx, id);
}

function assertMove(ctx: Ctx, action: NoticeAction, r: repo.NoticeRow): void {
  if (!canMove(action, r.status)) {
    const zh = {
      draft: '草稿',
      submitted: '待审核',
      approved: '已审核待发布',
      published: '已发布',
      withdrawn: '已撤回',
    };
    throw new AppError('NOTICE_BAD_STATUS', { params: { status: ctx.locale === 'zh-CN' ? zh[r.status] : r.status } });
  }
}

async function move(
  deps: NoticesDeps,
  ctx: Ctx,
  id: number,
  action: NoticeAction,
  run: (tx: Queryable, r: repo.NoticeRow) => Promise<{ after: Record<string, unknown>; reason?: string | null }>,
): Promise<NoticeView> {
  await deps.db.transaction(async (tx) => {
    const r = await readable(tx, ctx, id, true);
    const permission = action === 'submit' ? 'notices.write' : 'notices.review';
    assertCan(ctx.principal, permission, r.node_path);
    if ((action === 'approve' || action === 'reject') && isOwnNotice(r.author_id, ctx.principal.userId))
      throw new AppError('NOTICE_OWN_REVIEW');
    assertMove(ctx, action, r);
    const { after, reason } = await run(tx, r);
    await recordAudit(tx, ctx, {
      action: `notice.${action}`,
      targetType: 'notice',
      targetId: id,
      targetLabel: r.title,
      scopePath: r.node_path,
      countyId: r.county_id,
      before: { status: r.status },
      after,
      reason: reason ?? null,
    });
  });
  return getNotice(deps, ctx, id);
}

/** Sends a draft for review. @throws NOTICE_NOT_FOUND, OUT_OF_SCOPE, NOTICE_BAD_STATUS */
export async function submitNotice(deps: NoticesDeps, ctx: Ctx, id: number): Promise<NoticeView> {
  assertPermission(ctx.principal, 'notices.write');
  return move(deps, ctx, id, 'submit', async (tx) => {
    await repo.setStatus(tx, id, 'submitted', { submittedAt: new Date(), rejectReason: null });
    return { after: { status: 'submitted' } };
  });
}

/**
 * Approves a submitted notice of someone else: published at `publishAt` (by the job), or at once when it is
 * omitted or past.
 * @throws NOTICE_NOT_FOUND, OUT_OF_SCOPE, NOTICE_OWN_REVIEW, NOTICE_BAD_STATUS
 */
export async function approveNotice(deps: NoticesDeps, ctx: Ctx, id: number, body: ApproveBody): Promise<NoticeView> {
  assertPermission(ctx.principal, 'notices.review');
  const now = new Date();
  const at = body.publishAt ? new Date(body.publishAt) : null;
  const scheduled = at !== null && at > now;
  return move(deps, ctx, id, 'approve', async (tx, r) => {
    await repo.setStatus(tx, id, 'approved', { reviewerId: ctx.principal.userId, publishAt: scheduled ? at : now });
    if (!scheduled) await publish(tx, { ...r, status: 'approved' }, now);
    return { after: { status: scheduled ? 'approved' : 'published', publishAt: (scheduled ? at : now).toISOString() } };
  });
}

/** Returns a submitted notice to its author as a draft, with the reason. @throws as approveNotice */
export async function rejectNotice(deps: NoticesDeps, ctx: Ctx, id: number, body: ReasonBody): Promise<NoticeView> {
  assertPermission(ctx.principal, 'notices.review');
  return move(deps, ctx, id, 'reject', async (tx) => {
    await repo.setStatus(tx, id, 'draft', { reviewerId: ctx.principal.userId, rejectReason: body.reason });
    return { after: { status: 'draft' }, reason: body.reason };
  });
}

/** Takes a notice down (submitted, approved or published); residents no longer see it. @throws as approveNotice */
export async function withdrawNotice(deps: NoticesDeps, ctx: Ctx, id: number, body: ReasonBody): Promise<NoticeView> {
  assertPermission(ctx.principal, 'notices.review');
  return move(deps, ctx, id, 'withdraw', async (tx) => {
    await repo.setStatus(tx, id, 'withdrawn', { withdrawnAt: new Date() });
    return { after: { status: 'withdrawn' }, reason: body.reason };
  });
}

/** Publishes an approved notice inside `tx` and tells the targeted residents' accounts. */
async function publish(tx: Queryable, r: repo.NoticeRow, now: Date): Promise<number> {
  await repo.setStatus(tx, r.id, 'published', { publishedAt: now });
  const users = await repo.targetedUserIds(tx, r.id);
  await send(tx, users, PUBLISHED_KIND, {
    noticeId: r.id,
    title: r.title,
    categoryZh: CATEGORY_LABELS[r.category].zh,
    categoryEn: CATEGORY_LABELS[r.category].en,
    important: r.is_important,
  });
  return users.length;
}

/** The job's work: publishes every approved notice whose time has come (each in its own transaction). */
export async function publishDue(db: Db, now = new Date()): Promise<number> {
  let n = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const [id] = await repo.dueNotices(tx, now, 1);
      if (id === undefined) return false;
      const r = (await repo.findNotice(tx, id, true))!;
      const notified = await publish(tx, r, now);
      await recordAudit(tx, systemCtx('notices'), {
        action: 'notice.publish',
        targetType: 'notice',
        targetId: id,
        targetLabel: r.title,
        scopePath: r.node_path,
        countyId: r.county_id,
        before: { status: 'approved' },
        after: { status: 'published', notified },
      });
      return true;
    });
    if (!done) return n;
    n++;
  }
}

/**
 * Who the notice targets and their receipts; names masked. `filter=unconfirmed`: those who have not confirmed an
 * important notice (an ordinary one: not read).
 * @throws NOTICE_NOT_FOUND
 */
export async function listReceipts(deps: NoticesDeps, ctx: Ctx, id: number, query: ReceiptQuery): Promise<ReceiptPage> {
  assertPermission(ctx.principal, 'notices.read');
  const r = await readable(deps.db, ctx, id);
  const pageSize = query.pageSize ?? 20;
  const filter = receiptFilter(r, query.filter);
  const rows = await repo.receipts(deps.db, id, filter, pageSize, ((query.page ?? 1) - 1) * pageSize);
  const stats = (await repo.stats(deps.db, [id])).get(id)!;
  return {
    stats,
    total: rows[0]?.total ?? 0,
    items: rows.map((x) => ({
      residentId: x.resident_id,
      name: maskName(x.name),
      place: x.place,
      readAt: iso(x.read_at),
      confirmedAt: iso(x.confirmed_at),
    })),
  };
}

function receiptFilter(r: repo.NoticeRow, f: ReceiptQuery['filter']): 'all' | 'unread' | 'unconfirmed' {
  const want = f ?? 'unconfirmed';
  return want === 'unconfirmed' && !r.is_important ? 'unread' : want;
}

/** The receipts list as a spreadsheet (names masked); audited. @throws NOTICE_NOT_FOUND */
export async function exportReceipts(
  deps: NoticesDeps,
  ctx: Ctx,
  id: number,
  query: Pick<ReceiptQuery, 'filter'>,
): Promise<{ fileName: string; body: Buffer }> {
  assertPermission(ctx.principal, 'notices.read');
  const r = await readable(deps.db, ctx, id);
  const filter = receiptFilter(r, query.filter);
  const rows = await repo.receipts(deps.db, id, filter, null, 0);
  await recordAudit(deps.db, ctx, {
    action: 'notice.export',
    targetType: 'notice',
    targetId: id,
    targetLabel: r.title,
    scopePath: r.node_path,
    countyId: r.county_id,
    after: { filter, rows: rows.length },
  });
  const zh = ctx.locale === 'zh-CN';
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(zh ? '阅读回执' : 'Receipts');
  const what = {
    all: zh ? '全部对象' : 'everyone targeted',
    unread: zh ? '未阅读' : 'not read',
    unconfirmed: zh ? '未确认' : 'not confirmed',
  }[filter];
  ws.addRow([`${r.title}　${what}　${zh ? '姓名已脱敏' : 'names masked'}`]);
  ws.addRow(zh ? ['姓名', '所在', '阅读时间', '确认时间'] : ['Name', 'Place', 'Read at', 'Confirmed at']);
  const fmt = (d: Date | null) =>
    d === null ? '' : new Date(d).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  for (const x of rows) ws.addRow([maskName(x.name), x.place, fmt(x.read_at), fmt(x.confirmed_at)]);
  ws.getRow(2).font = { bold: true };
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: `${zh ? '阅读回执' : 'receipts'}-${r.title}.xlsx`, body };
}

// ---- the resident's side ------------------------------------------------------------------------------------------

async function myResident(q: Queryable, ctx: Ctx) {
  const r = ctx.principal.userId > 0 ? await repo.residentOfUser(q, ctx.principal.userId) : undefined;
  if (!r) throw new AppError('NOTICE_NO_RESIDENT');
  return r;
}

function toMine(ctx: Ctx, r: repo.MyNoticeRow): MyNotice {
  return {
    id: r.id,
    title: r.title,
    category: r.category,
    categoryLabel: categoryLabel(ctx, r.category),
    excerpt: excerpt(r.body_html),
    placeName: r.node_name,
    isImportant: r.is_important,
    publishedAt: iso(r.published_at)!,
    readAt: iso(r.read_at),
    confirmedAt: iso(r.confirmed_at),
  };
}

/** The published notices that target the caller's resident record, newest first. @throws NOTICE_NO_RESIDENT */
export async function myNotices(deps: NoticesDeps, ctx: Ctx, query: MyNoticeQuery): Promise<MyNoticePage> {
  const me = await myResident(deps.db, ctx);
  const pageSize = query.pageSize ?? 20;
  const rows = await repo.myNotices(deps.db, me.id, pageSize, ((query.page ?? 1) - 1) * pageSize);
  if (rows.length === 0 && (query.page ?? 1) === 1) return { items: [], total: 0, unread: 0, unconfirmed: 0 };
  return {
    items: rows.map((r) => toMine(ctx, r)),
    total: rows[0]?.total ?? 0,
    unread: rows[0]?.unread ?? 0,
    unconfirmed: rows[0]?.unconfirmed ?? 0,
  };
}

/** Opens one of the caller's notices: opening it is reading it. @throws NOTICE_NO_RESIDENT, NOTICE_NOT_FOUND */
export async function openMyNotice(deps: NoticesDeps, ctx: Ctx, id: number): Promise<MyNoticeDetail> {
  const me = await myResident(deps.db, ctx);
  let r = await repo.myNotice(deps.db, me.id, id);
  if (!r) throw notFound();
  if (r.read_at === null) {
    await repo.markRead(deps.db, id, me.id, ctx.principal.userId);
    r = (await repo.myNotice(deps.db, me.id, id)) ?? r;
  }
  return {
    ...toMine(ctx, r),
    body: r.body_html,
    files: await deps.files.listAttached(deps.db, NOTICE_FILE_KIND, id),
  };
}

/** "我已阅读并知晓" for an important notice. @throws NOTICE_NO_RESIDENT, NOTICE_NOT_FOUND, NOTICE_NOT_IMPORTANT */
export async function confirmMyNotice(deps: NoticesDeps, ctx: Ctx, id: number): Promise<MyNoticeDetail> {
  const me = await myResident(deps.db, ctx);
  const r = await repo.myNotice(deps.db, me.id, id);
  if (!r) throw notFound();
  if (!r.is_important) throw new AppError('NOTICE_NOT_IMPORTANT');
  await repo.markConfirmed(deps.db, id, me.id, ctx.principal.userId);
  return openMyNotice(deps, ctx, id);
}

/** Whether the caller (a worker in scope, or a targeted resident) may read the notice and its files. */
export async function canReadNotice(q: Queryable, ctx: Ctx, id: number): Promise<boolean> {
  const r = await repo.findNotice(q, id);
  if (!r) return false;
  if (can(ctx.principal, 'notices.read', r.node_path)) return true;
  if (r.status !== 'published') return false;
  if (r.is_public) return true;
  const me = ctx.principal.userId > 0 ? await repo.residentOfUser(q, ctx.principal.userId) : undefined;
  return me !== undefined && (await repo.myNotice(q, me.id, id)) !== undefined;
}

export async function canAttachNotice(q: Queryable, ctx: Ctx, id: number): Promise<boolean> {
  const r = await repo.findNotice(q, id);
  return r !== undefined && r.status === 'draft' && can(ctx.principal, 'notices.write', r.node_path);
}

// ---- the public page ----------------------------------------------------------------------------------------------

const anon = { locale: 'zh-CN' } as const;

function toPublic(r: repo.NoticeRow): PublicNotice {
  return {
    id: r.id,
    title: r.title,
    category: r.category,
    categoryLabel: categoryLabel(anon, r.category),
    excerpt: excerpt(publicBody(r.body_html, r.id)),
    placeName: r.node_name,
    publishedAt: iso(r.published_at)!,
  };
}

/** Public, published notices at, above or under a node (all when no node); no login. */
export async function publicNotices(db: Db, query: PublicNoticesQuery): Promise<PublicNoticePage> {
  let path: string | null = null;
  if (query.nodeId !== undefined) {
    const node = await repo.findNode(db, query.nodeId);
    if (!node) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    path = node.path;
  }
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.publicNotices(db, path, pageSize, ((query.page ?? 1) - 1) * pageSize);
  return { items: rows.map(toPublic), total };
}

/** One public notice; anything else is not found. @throws NOTICE_NOT_FOUND */
export async function publicNotice(deps: NoticesDeps, id: number): Promise<PublicNoticeDetail> {
  const r = await repo.findNotice(deps.db, id);
  if (!r || r.status !== 'published' || !r.is_public) throw notFound();
  const files = await deps.files.listAttached(deps.db, NOTICE_FILE_KIND, id);
  return {
    ...toPublic(r),
    body: publicBody(r.body_html, id),
    files: files.map((f) => ({ id: f.id, name: f.name, kind: f.kind, url: `/api/public/notices/${id}/files/${f.id}` })),
  };
}

/** Whether a file may be served on the public page: attached to a published public notice. */
export async function isPublicFile(db: Db, id: number, fileId: string): Promise<boolean> {
  const r = await repo.findNotice(db, id);
  return r !== undefined && r.status === 'published' && r.is_public && (await repo.isNoticeFile(db, id, fileId));
}
