/** The only SQL of live updates: notifications between instances and payloads too large to carry. */
import type { Queryable } from '../db/client.js';

/** `NOTIFY channel, payload` (delivered when the caller's transaction commits). */
export async function pgNotify(q: Queryable, channel: string, payload: string): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

export async function insertLivePayload(q: Queryable, body: unknown): Promise<number> {
  const rows = await q.query<{ id: number }>('INSERT INTO live_payloads (body) VALUES ($1::jsonb) RETURNING id', [
    JSON.stringify(body),
  ]);
  return rows[0]!.id;
}

export async function findLivePayload(q: Queryable, id: number): Promise<unknown | null> {
  const rows = await q.query<{ body: unknown }>('SELECT body FROM live_payloads WHERE id = $1', [id]);
  return rows[0]?.body ?? null;
}

export async function deleteOldLivePayloads(q: Queryable): Promise<void> {
  await q.query(`DELETE FROM live_payloads WHERE created_at < now() - interval '1 hour'`);
}
