import type { Db, Queryable } from '../db/client.js';

/**
 * SQL on pg-boss's own tables (schema `pgboss`, pg-boss 10.4's layout: `job` partitioned by queue name, its
 * states ordered created < retry < active < completed < cancelled < failed). pg-boss's API covers sending and
 * running; what it lacks (a strict singleton, returning jobs at stop, the console's lists) lives here.
 */

/**
 * "Never queued twice": while a job with a singleton key is queued, retrying or running, no other job of that
 * name may carry the key (pg-boss's own policies allow one queued beside one running). An index on the
 * partitioned table reaches every queue's partition, present and future; pg-boss's `INSERT … ON CONFLICT DO
 * NOTHING` then returns no id, which `send` reports as null. Its internal queues keep their own rules.
 */
export async function ensureSingletonIndex(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7405111)');
    await tx.exec(
      `CREATE UNIQUE INDEX IF NOT EXISTS linli_job_singleton ON pgboss.job (name, singleton_key)
       WHERE singleton_key IS NOT NULL AND state <= 'active' AND name NOT LIKE '\\_\\_pgboss\\_\\_%'`,
    );
  });
}

/** Runs out a job's retries, so that the failure about to be recorded is final. */
export async function giveUpJob(q: Queryable, name: string, id: string): Promise<void> {
  await q.query('UPDATE pgboss.job SET retry_limit = retry_count WHERE name = $1 AND id = $2', [name, id]);
}

/**
 * Puts running jobs back in the queue, as never started (the attempt is not counted): a server stopping before
 * they finished. Their handlers may still be running here; another server may run them again, so handlers are
 * idempotent.
 */
export async function releaseJobs(q: Queryable, ids: string[]): Promise<number> {
  const rows = await q.query<{ id: string }>(
    `UPDATE pgboss.job SET state = 'created', started_on = NULL, start_after = now()
     WHERE id = ANY($1::uuid[]) AND state = 'active' RETURNING id`,
    [ids],
  );
  return rows.length;
}

export type QueueCountRow = { name: string; state: string | null; n: number; cron: string | null };

/** Each declared queue (not pg-boss's internal ones) with its jobs counted by state, and its cron if any. */
export async function queueCounts(q: Queryable): Promise<QueueCountRow[]> {
  return q.query<QueueCountRow>(
    `SELECT qu.name, j.state::text AS state, count(j.id)::int AS n, s.cron
     FROM pgboss.queue qu
     LEFT JOIN pgboss.job j ON j.name = qu.name
     LEFT JOIN pgboss.schedule s ON s.name = qu.name
     WHERE qu.name NOT LIKE '\\_\\_pgboss\\_\\_%'
     GROUP BY qu.name, j.state, s.cron
     ORDER BY qu.name`,
  );
}

export type JobRow = {
  id: string;
  name: string;
  state: string;
  data: unknown;
  output: unknown;
  retry_count: number;
  retry_limit: number;
  singleton_key: string | null;
  created_on: Date;
  start_after: Date;
  started_on: Date | null;
  completed_on: Date | null;
};

const JOB_COLS = `id, name, state::text AS state, data, output, retry_count, retry_limit, singleton_key,
  created_on, start_after, started_on, completed_on`;

export async function listJobs(
  q: Queryable,
  f: { queue: string | null; state: string; limit: number; offset: number },
): Promise<{ rows: JobRow[]; total: number }> {
  const where = `state = $1::pgboss.job_state AND ($2::text IS NULL OR name = $2) AND name NOT LIKE '\\_\\_pgboss\\_\\_%'`;
  const rows = await q.query<JobRow>(
    `SELECT ${JOB_COLS} FROM pgboss.job WHERE ${where}
     ORDER BY coalesce(completed_on, created_on) DESC, id LIMIT $3 OFFSET $4`,
    [f.state, f.queue, f.limit, f.offset],
  );
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE ${where}`, [
    f.state,
    f.queue,
  ]);
  return { rows, total: c?.n ?? 0 };
}

export async function findJob(q: Queryable, id: string): Promise<JobRow | null> {
  const rows = await q.query<JobRow>(
    `SELECT ${JOB_COLS} FROM pgboss.job WHERE id = $1 AND name NOT LIKE '\\_\\_pgboss\\_\\_%'`,
    [id],
  );
  return rows[0] ?? null;
}

/** A failed job back to the queue with one more attempt (pg-boss's `retry`, and its finish time cleared so that
 * maintenance does not archive it as done). False when it is no longer failed. */
export async function retryFailedJob(q: Queryable, name: string, id: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE pgboss.job SET state = 'retry', retry_limit = retry_limit + 1, start_after = now(), completed_on = NULL
     WHERE name = $1 AND id = $2 AND state = 'failed' RETURNING id`,
    [name, id],
  );
  return rows.length === 1;
}

/** A job not yet finished → cancelled (a running handler is not interrupted; its result is ignored). */
export async function cancelJob(q: Queryable, name: string, id: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE pgboss.job SET state = 'cancelled', completed_on = now()
     WHERE name = $1 AND id = $2 AND state < 'completed' RETURNING id`,
    [name, id],
  );
  return rows.length === 1;
}
