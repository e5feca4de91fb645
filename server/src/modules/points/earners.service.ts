/**
 * The automatic earners (points [B]): residents earn by what other modules record, read from their tables after
 * the fact, so those modules need no change.
 * - case_confirmed: a case reported by an account linked to a resident (a resident, or a rider or courier enrolled as
 *   a 移动网格员; not staff, whose reports are their work) once it is accepted into the loop (dispatched, accepted or later; not merged as a duplicate nor
 *   cancelled). Key `case:<id>`; the caps count on the Shanghai day it was dispatched.
 * - visit_done: a visit recorded by a resident-linked account holding no staff post (a party member or building
 *   leader visiting through 一网三联), outcome other than not_home. Key `visit:<id>`; caps on the day of the visit.
 * Each source keeps a watermark in earning_watermarks (read from a little before it: a row committed late is not
 * missed); every credit is idempotent by its key, so a run may repeat. Each item is its own transaction.
 */
import type { Db, Queryable } from '../../platform/db/client.js';
import { notifyEarned } from './earners.notify.js';
import { creditByRule } from './earning.service.js';

/** How far before the watermark each run reads again (transactions that committed after a later one). */
const SLACK_MS = 10 * 60_000;
const BATCH = 200;
const STAFF_ROLES = `('admin', 'street_admin', 'community_worker', 'grid_worker', 'department')`;

type Item = { id: number; at: Date; residentId: number; label: string };
export type EarnRunResult = { cases: number; visits: number; points: number };

async function watermark(q: Queryable, source: 'case_confirmed' | 'visit_done'): Promise<{ at: Date; id: number }> {
  const [row] = await q.query<{ last_at: Date }>('SELECT last_at FROM earning_watermarks WHERE source = $1', [source]);
  return { at: row ? new Date(new Date(row.last_at).getTime() - SLACK_MS) : new Date(0), id: 0 };
}

async function saveWatermark(q: Queryable, source: string, at: Date, id: number): Promise<void> {
  await q.query(
    `INSERT INTO earning_watermarks (source, last_at, last_id) VALUES ($1, $2, $3)
     ON CONFLICT (source) DO UPDATE SET last_at = GREATEST(earning_watermarks.last_at, EXCLUDED.last_at),
       last_id = EXCLUDED.last_id`,
    [source, at, id],
  );
}

const CASE_SQL = `SELECT c.id, c.dispatched_at AS at, u.resident_id AS "residentId", c.title AS label
    FROM cases c JOIN users u ON u.id = c.reporter_id
   WHERE u.resident_id IS NOT NULL AND c.dispatched_at IS NOT NULL AND c.stage NOT IN ('merged', 'cancelled')
     AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.user_id = u.id AND p.role IN ${STAFF_ROLES})
     AND (c.dispatched_at, c.id) > ($1::timestamptz, $2::bigint)
     AND NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.idempotency_key = 'case:' || c.id)
   ORDER BY c.dispatched_at, c.id LIMIT ${BATCH}`;

const VISIT_SQL = `SELECT v.id, v.recorded_at AS at, v.visited_at AS "visitedAt", u.resident_id AS "residentId",
         '' AS label
    FROM visits v JOIN users u ON u.id = v.visitor_id
   WHERE u.resident_id IS NOT NULL AND v.outcome <> 'not_home'
     AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.user_id = u.id AND p.role IN ${STAFF_ROLES})
     AND (v.recorded_at, v.id) > ($1::timestamptz, $2::bigint)
     AND NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.idempotency_key = 'visit:' || v.id)
   ORDER BY v.recorded_at, v.id LIMIT ${BATCH}`;

async function runSource(
  db: Db,
  source: 'case_confirmed' | 'visit_done',
  credit: (tx: Queryable, item: Item & { visitedAt?: Date }) => Promise<number>,
): Promise<{ items: number; points: number }> {
  let cursor = await watermark(db, source);
  let items = 0;
  let points = 0;
  let last: { at: Date; id: number } | null = null;
  for (;;) {
    const rows = await db.query<Item & { visitedAt?: Date }>(source === 'case_confirmed' ? CASE_SQL : VISIT_SQL, [
      cursor.at,
      cursor.id,
    ]);
    for (const r of rows) {
      const item = { ...r, id: Number(r.id), residentId: Number(r.residentId), at: new Date(r.at) };
      const amount = await db.transaction((tx) => credit(tx, item));
      items += amount > 0 ? 1 : 0;
      points += amount;
      cursor = { at: item.at, id: item.id };
      last = cursor;
    }
    if (rows.length < BATCH) break;
  }
  if (last) await saveWatermark(db, source, last.at, last.id);
  return { items, points };
}

/** One run of both earners (the job points.earn, and the tests). Idempotent. */
export async function runEarners(db: Db): Promise<EarnRunResult> {
  const cases = await runSource(db, 'case_confirmed', async (tx, c) => {
    const reason = `随手拍被受理：${c.label}`.slice(0, 200);
    const r = await creditByRule(tx, {
      trigger: 'case_confirmed',
      residentId: c.residentId,
      idempotencyKey: `case:${c.id}`,
      reason,
      sourceType: 'case',
      sourceId: c.id,
      now: c.at,
    });
    if (r.transferId !== null && !r.duplicate) await notifyEarned(tx, c.residentId, r.amount, '随手拍被受理');
    return r.duplicate ? 0 : r.amount;
  });
  const visits = await runSource(db, 'visit_done', async (tx, v) => {
    const r = await creditByRule(tx, {
      trigger: 'visit_done',
      residentId: v.residentId,
      idempotencyKey: `visit:${v.id}`,
      reason: '志愿走访',
      sourceType: 'visit',
      sourceId: v.id,
      now: v.visitedAt ? new Date(v.visitedAt) : v.at,
    });
    if (r.transferId !== null && !r.duplicate) await notifyEarned(tx, v.residentId, r.amount, '志愿走访');
    return r.duplicate ? 0 : r.amount;
  });
  return { cases: cases.items, visits: visits.items, points: cases.points + visits.points };
}
