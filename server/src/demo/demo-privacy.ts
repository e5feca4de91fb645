/**
 * privacy [E] demo: the demo resident (jumin, linked to the head of the first household of 1号楼1单元) has one
 * decided objection and one pending correction, so that "my data" shows statuses and the grid worker (wangge)
 * finds a privacy request in 我的任务 and the console's 个人信息申请. Once: nothing is added when the resident
 * already has a request.
 */

import { dueAt } from '../modules/cases/calendar.service.js';
import { DEADLINE } from '../modules/privacy/privacy.logic.js';
import type { Db } from '../platform/db/client.js';
import type { PiiCipher } from '../platform/pii/index.js';

const DAY = 86_400_000;

export async function loadDemoPrivacy(db: Db, pii: PiiCipher): Promise<{ requests: number } | null> {
  const rows = await db.query<{ user_id: number; resident_id: number; county_id: number; address: string | null }>(
    `SELECT u.id::int AS user_id, r.id::int AS resident_id, r.county_id::int AS county_id, r.current_address AS address
       FROM users u JOIN residents r ON r.id = u.resident_id WHERE lower(u.username) = 'jumin'`,
  );
  const me = rows[0];
  if (!me) return null;
  const existing = await db.query('SELECT 1 FROM privacy_requests WHERE resident_id = $1 LIMIT 1', [me.resident_id]);
  if (existing.length > 0) return null;
  const worker = (
    await db.query<{ id: number }>(`SELECT id::int AS id FROM users WHERE lower(username) = 'wangge'`)
  )[0];
  const now = Date.now();
  const decidedFrom = new Date(now - 20 * DAY);
  const pendingFrom = new Date(now - 2 * DAY);
  const change = [{ field: 'currentAddress', value: '东关社区1号楼1单元302室（已装修入住）' }];
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO privacy_requests (county_id, resident_id, requester_id, kind, purpose, explanation, status, due_at,
         decided_by, decided_at, decision_note, created_at)
       VALUES ($1, $2, $3, 'deletion', 'points_timebank', '我不想参加积分活动，请停止记录我的积分', 'accepted', $4, $5, $6,
         '已停止积分记录，历史流水依法保留', $7)`,
      [
        me.county_id,
        me.resident_id,
        me.user_id,
        await dueAt(tx, decidedFrom, DEADLINE),
        worker?.id ?? null,
        new Date(now - 15 * DAY),
        decidedFrom,
      ],
    );
    const [decided] = await tx.query<{ id: number }>(
      'SELECT id::int AS id FROM privacy_requests WHERE resident_id = $1 ORDER BY id DESC LIMIT 1',
      [me.resident_id],
    );
    await tx.query(
      `INSERT INTO privacy_objections (resident_id, purpose, request_id, created_at)
       VALUES ($1, 'points_timebank', $2, $3) ON CONFLICT DO NOTHING`,
      [me.resident_id, decided!.id, new Date(now - 15 * DAY)],
    );
    await tx.query(
      `INSERT INTO privacy_requests (county_id, resident_id, requester_id, kind, changes_sealed, changes_masked,
         explanation, due_at, created_at)
       VALUES ($1, $2, $3, 'correction', $4, $5, '现住址登记的是装修前的临时地址，请更正', $6, $7)`,
      [
        me.county_id,
        me.resident_id,
        me.user_id,
        pii.seal(JSON.stringify(change)),
        JSON.stringify(change),
        await dueAt(tx, pendingFrom, DEADLINE),
        pendingFrom,
      ],
    );
  });
  return { requests: 2 };
}
