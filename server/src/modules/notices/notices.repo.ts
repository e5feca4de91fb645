/** The only SQL for notices and their receipts. */
import type { Queryable } from '../../platform/db/client.js';
import type { NoticeCategory, NoticeStatus } from './notices.logic.js';

export type NoticeRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  tag_ids: number[];
  title: string;
  category: NoticeCategory;
  body_html: string;
  is_public: boolean;
  is_important: boolean;
  status: NoticeStatus;
  publish_at: Date | null;
  published_at: Date | null;
  withdrawn_at: Date | null;
  reject_reason: string | null;
  author_id: number;
  author_name: string;
  reviewer_id: number | null;
  reviewer_name: string | null;
  reviewed_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
};

const placeLabelSql = (pathCol: string) => `(
  SELECT coalesce(string_agg(pn.name, ' / ' ORDER BY pn.depth), '')
    FROM org_nodes pn
   WHERE pn.id = ANY (string_to_array(trim(both '/' from ${pathCol}), '/')::bigint[])
     AND pn.type NOT IN ('county', 'street', 'town'))`;

const SELECT = `SELECT n.id, n.county_id, n.node_id, n.node_path, o.name AS node_name, n.tag_ids, n.title, n.category,
  n.body_html, n.is_public, n.is_important, n.status, n.publish_at, n.published_at, n.withdrawn_at, n.reject_reason,
  n.author_id, a.display_name AS author_name, n.reviewer_id, rv.display_name AS reviewer_name, n.reviewed_at,
  n.version, n.created_at, n.updated_at
  FROM notices n JOIN org_nodes o ON o.id = n.node_id JOIN users a ON a.id = n.author_id
  LEFT JOIN users rv ON rv.id = n.reviewer_id`;

/** Residents a notice (alias `n`) targets: active, under its node, holding any of its tags when it names some. */
export const TARGET_SQL = `r.status = 'active' AND r.node_path LIKE n.node_path || '%'
  AND (cardinality(n.tag_ids) = 0 OR EXISTS (
    SELECT 1 FROM resident_tags rt WHERE rt.resident_id = r.id AND rt.tag_id = ANY (n.tag_ids)))`;

const toRow = (r: NoticeRow): NoticeRow => ({
  ...r,
  id: Number(r.id),
  county_id: Number(r.county_id),
  node_id: Number(r.node_id),
  author_id: Number(r.author_id),
  reviewer_id: r.reviewer_id === null ? null : Number(r.reviewer_id),
  tag_ids: (r.tag_ids ?? []).map(Number),
});

export type NoticeWrite = {
  countyId: number;
  nodeId: number;
  nodePath: string;
  tagIds: number[];
  title: string;
  category: NoticeCategory;
  bodyHtml: string;
  isPublic: boolean;
  isImportant: boolean;
};

export async function insertNotice(q: Queryable, w: NoticeWrite, authorId: number): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO notices (county_id, node_id, node_path, tag_ids, title, category, body_html, is_public, is_important,
       author_id)
     VALUES ($1, $2, $3, $4::bigint[], $5, $6, $7, $8, $9, $10) RETURNING id`,
    [w.countyId, w.nodeId, w.nodePath, w.tagIds, w.title, w.category, w.bodyHtml, w.isPublic, w.isImportant, authorId],
  );
  return Number(r!.id);
}

export async function updateNotice(q: Queryable, id: number, w: NoticeWrite): Promise<void> {
  await q.query(
    `UPDATE notices SET county_id = $2, node_id = $3, node_path = $4, tag_ids = $5::bigint[], title = $6, category = $7,
       body_html = $8, is_public = $9, is_important = $10, version = version + 1, updated_at = now()
     WHERE id = $1`,
    [id, w.countyId, w.nodeId, w.nodePath, w.tagIds, w.title, w.category, w.bodyHtml, w.isPublic, w.isImportant],
  );
}

export async function findNotice(q: Queryable, id: number, forUpdate = false): Promise<NoticeRow | undefined> {
  const rows = forUpdate
    ? await q.query<NoticeRow>(`${SELECT} WHERE n.id = $1 FOR UPDATE OF n`, [id])
    : await q.query<NoticeRow>(`${SELECT} WHERE n.id = $1`, [id]);
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** Moves a notice to `status`, setting the given columns (names from the service, never from input). */
export async function setStatus(
  q: Queryable,
  id: number,
  status: NoticeStatus,
  set: {
    publishAt?: Date | null;
    publishedAt?: Date | null;
    withdrawnAt?: Date;
    rejectReason?: string | null;
    reviewerId?: number;
    submittedAt?: Date;
  },
): Promise<void> {
  const cols: string[] = ['status = $2', 'updated_at = now()'];
  const params: unknown[] = [id, status];
  const add = (col: string, v: unknown) => {
    params.push(v);
    cols.push(`${col} = $${params.length}`);
  };
  if (set.publishAt !== undefined) add('publish_at', set.publishAt);
  if (set.publishedAt !== undefined) add('published_at', set.publishedAt);
  if (set.withdrawnAt !== undefined) add('withdrawn_at', set.withdrawnAt);
  if (set.rejectReason !== undefined) add('reject_reason', set.rejectReason);
  if (set.submittedAt !== undefined) add('submitted_at', set.submittedAt);
  if (set.reviewerId !== undefined) {
    add('reviewer_id', set.reviewerId);
    cols.push('reviewed_at = now()');
  }
  await q.query(`UPDATE notices SET ${cols.join(', ')} WHERE id = $1`, params);
}

export async function listNotices(
  q: Queryable,
  scopeCondition: string,
  f: {
    status?: NoticeStatus;
    category?: NoticeCategory;
    nodePath?: string;
    q?: string;
    /** Submitted notices under these paths (the reviewer's scope), not by this user. */
    review?: { condition: string; userId: number };
    limit: number;
    offset: number;
  },
): Promise<{ rows: NoticeRow[]; total: number }> {
  const where = [scopeCondition];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.status) where.push(`n.status = ${p(f.status)}`);
  if (f.category) where.push(`n.category = ${p(f.category)}`);
  if (f.nodePath) where.push(`n.node_path LIKE ${p(f.nodePath)} || '%'`);
  if (f.q) where.push(`strpos(n.title, ${p(f.q)}) > 0`);
  if (f.review) where.push(`n.status = 'submitted'`, f.review.condition, `n.author_id <> ${p(f.review.userId)}`);
  const sql = `${SELECT} WHERE ${where.join(' AND ')}`;
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  const rows = await q.query<NoticeRow>(
    `${sql} ORDER BY n.updated_at DESC, n.id DESC LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
    params,
  );
  return { rows: rows.map(toRow), total: Number(c?.n ?? 0) };
}

export async function tagsByIds(q: Queryable, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = await q.query<{ id: number; code: string; name: string }>(
    'SELECT id, code, name FROM tags WHERE id = ANY ($1::bigint[]) ORDER BY sort, id',
    [ids],
  );
  return rows.map((r) => ({ id: Number(r.id), code: r.code, name: r.name }));
}

/** Tags a notice may target: the non-sensitive ones (a sensitive tag would reveal who holds it). */
export async function targetableTags(q: Queryable) {
  const rows = await q.query<{ id: number; code: string; name: string }>(
    'SELECT id, code, name FROM tags WHERE NOT sensitive ORDER BY sort, id',
  );
  return rows.map((r) => ({ id: Number(r.id), code: r.code, name: r.name }));
}

export async function findNode(q: Queryable, id: number) {
  const [r] = await q.query<{ id: number; path: string; county_id: number; name: string; status: string }>(
    'SELECT id, path, county_id, name, status FROM org_nodes WHERE id = $1',
    [id],
  );
  return r ? { ...r, id: Number(r.id), county_id: Number(r.county_id) } : undefined;
}

export type Stats = { targeted: number; read: number; confirmed: number };

/** Targeted, read and confirmed counts of notices (receipts of residents no longer targeted are not counted). */
export async function stats(q: Queryable, ids: readonly number[]): Promise<Map<number, Stats>> {
  const out = new Map<number, Stats>();
  if (ids.length === 0) return out;
  const rows = await q.query<{ id: number; targeted: number; read: number; confirmed: number }>(
    `SELECT n.id, count(r.id)::int AS targeted, count(nr.read_at)::int AS read, count(nr.confirmed_at)::int AS confirmed
       FROM notices n
       JOIN residents r ON ${TARGET_SQL}
       LEFT JOIN notice_receipts nr ON nr.notice_id = n.id AND nr.resident_id = r.id
      WHERE n.id = ANY ($1::bigint[])
      GROUP BY n.id`,
    [ids],
  );
  for (const id of ids) out.set(id, { targeted: 0, read: 0, confirmed: 0 });
  for (const r of rows) out.set(Number(r.id), { targeted: r.targeted, read: r.read, confirmed: r.confirmed });
  return out;
}

export type ReceiptRow = {
  resident_id: number;
  name: string;
  place: string;
  node_path: string;
  read_at: Date | null;
  confirmed_at: Date | null;
  total: number;
};

/** The targeted residents of a notice with their receipts; `filter` narrows to those who have not read/confirmed. */
export async function receipts(
  q: Queryable,
  id: number,
  filter: 'all' | 'unread' | 'unconfirmed',
  limit: number | null,
  offset: number,
): Promise<ReceiptRow[]> {
  const cond =
    filter === 'unread' ? 'AND nr.read_at IS NULL' : filter === 'unconfirmed' ? 'AND nr.confirmed_at IS NULL' : '';
  const rows = await q.query<ReceiptRow>(
    `SELECT r.id AS resident_id, r.name, ${placeLabelSql('r.node_path')} AS place, r.node_path, nr.read_at,
            nr.confirmed_at, count(*) OVER ()::int AS total
       FROM notices n
       JOIN residents r ON ${TARGET_SQL}
       LEFT JOIN notice_receipts nr ON nr.notice_id = n.id AND nr.resident_id = r.id
      WHERE n.id = $1 ${cond}
      ORDER BY r.node_path, r.id
      ${limit === null ? '' : 'LIMIT $2 OFFSET $3'}`,
    limit === null ? [id] : [id, limit, offset],
  );
  return rows.map((r) => ({ ...r, resident_id: Number(r.resident_id) }));
}

/** Accounts linked to residents the notice targets (not disabled): whom its publication notifies. */
export async function targetedUserIds(q: Queryable, id: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `SELECT u.id FROM notices n
       JOIN residents r ON ${TARGET_SQL}
       JOIN users u ON u.resident_id = r.id AND NOT u.disabled
      WHERE n.id = $1`,
    [id],
  );
  return rows.map((r) => Number(r.id));
}

/** Approved notices whose time has come, locked (other workers skip them). */
export async function dueNotices(q: Queryable, now: Date, limit: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `SELECT id FROM notices WHERE status = 'approved' AND publish_at <= $1 ORDER BY publish_at, id LIMIT $2
     FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows.map((r) => Number(r.id));
}

// ---- the resident's side --------------------------------------------------------------------------------------

export async function residentOfUser(q: Queryable, userId: number) {
  const [r] = await q.query<{ id: number; node_path: string }>(
    `SELECT r.id, r.node_path FROM users u JOIN residents r ON r.id = u.resident_id AND r.status = 'active'
      WHERE u.id = $1`,
    [userId],
  );
  return r ? { id: Number(r.id), node_path: r.node_path } : undefined;
}

export type MyNoticeRow = {
  id: number;
  title: string;
  category: NoticeCategory;
  body_html: string;
  node_name: string;
  is_important: boolean;
  published_at: Date;
  read_at: Date | null;
  confirmed_at: Date | null;
  total: number;
  unread: number;
  unconfirmed: number;
};

const MY_SQL = `SELECT n.id, n.title, n.category, n.body_html, o.name AS node_name, n.is_important, n.published_at,
    nr.read_at, nr.confirmed_at
  FROM residents r
  JOIN notices n ON n.status = 'published' AND ${TARGET_SQL}
  JOIN org_nodes o ON o.id = n.node_id
  LEFT JOIN notice_receipts nr ON nr.notice_id = n.id AND nr.resident_id = r.id
  WHERE r.id = $1`;

/** Published notices that target the resident, newest first, with their receipts and the unread counts. */
export async function myNotices(q: Queryable, residentId: number, limit: number, offset: number) {
  const rows = await q.query<MyNoticeRow>(
    `SELECT x.*, count(*) OVER ()::int AS total,
            (count(*) FILTER (WHERE x.read_at IS NULL) OVER ())::int AS unread,
            (count(*) FILTER (WHERE x.is_important AND x.confirmed_at IS NULL) OVER ())::int AS unconfirmed
       FROM (${MY_SQL}) x ORDER BY x.published_at DESC, x.id DESC LIMIT $2 OFFSET $3`,
    [residentId, limit, offset],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function myNotice(q: Queryable, residentId: number, id: number): Promise<MyNoticeRow | undefined> {
  const [r] = await q.query<MyNoticeRow>(`${MY_SQL} AND n.id = $2`, [residentId, id]);
  return r ? { ...r, id: Number(r.id) } : undefined;
}

/** Records the first opening (a later one changes nothing). */
export async function markRead(q: Queryable, noticeId: number, residentId: number, userId: number): Promise<void> {
  await q.query(
    `INSERT INTO notice_receipts (notice_id, resident_id, user_id) VALUES ($1, $2, $3)
     ON CONFLICT (notice_id, resident_id) DO NOTHING`,
    [noticeId, residentId, userId],
  );
}

export async function markConfirmed(q: Queryable, noticeId: number, residentId: number, userId: number): Promise<void> {
  await q.query(
    `INSERT INTO notice_receipts (notice_id, resident_id, user_id, confirmed_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (notice_id, resident_id)
     DO UPDATE SET confirmed_at = coalesce(notice_receipts.confirmed_at, now())`,
    [noticeId, residentId, userId],
  );
}

// ---- the public page ------------------------------------------------------------------------------------------

export async function publicNotices(q: Queryable, nodePath: string | null, limit: number, offset: number) {
  const rows = await q.query<NoticeRow & { total: number }>(
    `${SELECT} WHERE n.status = 'published' AND n.is_public AND ($1::text IS NULL OR n.node_path LIKE $1 || '%'
       OR $1 LIKE n.node_path || '%')
     ORDER BY n.published_at DESC, n.id DESC LIMIT $2 OFFSET $3`,
    [nodePath, limit, offset],
  );
  const [c] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notices n WHERE n.status = 'published' AND n.is_public
       AND ($1::text IS NULL OR n.node_path LIKE $1 || '%' OR $1 LIKE n.node_path || '%')`,
    [nodePath],
  );
  return { rows: rows.map(toRow), total: Number(c?.n ?? 0) };
}

/** Whether a file is attached to a notice. */
export async function isNoticeFile(q: Queryable, noticeId: number, publicId: string): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM files WHERE public_id = $1 AND attached_type = 'notice' AND attached_id = $2`,
    [publicId, noticeId],
  );
  return rows.length > 0;
}
