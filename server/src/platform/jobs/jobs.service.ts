import type { Ctx } from '../access/context.js';
import { assertCan } from '../access/scope.js';
import { recordAudit } from '../audit/audit.js';
import type { Db } from '../db/client.js';
import { AppError } from '../errors/errors.js';
import { jobError, showPayload } from './jobs.logic.js';
import * as repo from './jobs.repo.js';
import { JOB_STATES, type JobItem, type JobState, type JobsQuery, type QueueSummary } from './jobs.schemas.js';

/** The installation's background work is the system administrator's (a post bound to no node). */
function assertManager(ctx: Ctx): void {
  assertCan(ctx.principal, 'jobs.manage', null);
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function toItem(r: repo.JobRow): JobItem {
  return {
    id: r.id,
    queue: r.name,
    state: r.state as JobState,
    payload: showPayload(r.data),
    error: r.state === 'failed' || r.state === 'retry' ? jobError(r.output) : null,
    retryCount: r.retry_count,
    retryLimit: r.retry_limit,
    singletonKey: r.singleton_key === null ? null : (showPayload(r.singleton_key) as string),
    createdAt: r.created_on.toISOString(),
    startAfter: r.start_after.toISOString(),
    startedAt: iso(r.started_on),
    completedAt: iso(r.completed_on),
  };
}

/** @throws FORBIDDEN, OUT_OF_SCOPE */
export async function listQueues(db: Db, ctx: Ctx): Promise<{ items: QueueSummary[] }> {
  assertManager(ctx);
  const byName = new Map<string, QueueSummary>();
  for (const row of await repo.queueCounts(db)) {
    let q = byName.get(row.name);
    if (!q) {
      q = {
        name: row.name,
        cron: row.cron,
        counts: Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as QueueSummary['counts'],
      };
      byName.set(row.name, q);
    }
    if (row.state) q.counts[row.state as JobState] = row.n;
  }
  return { items: [...byName.values()] };
}

/** @throws FORBIDDEN, OUT_OF_SCOPE */
export async function listJobs(db: Db, ctx: Ctx, query: JobsQuery): Promise<{ items: JobItem[]; total: number }> {
  assertManager(ctx);
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listJobs(db, {
    queue: query.queue?.trim() || null,
    state: query.state ?? 'failed',
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: rows.map(toItem), total };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/** A failed job back to the queue with one more attempt; audited.
 * @throws FORBIDDEN, OUT_OF_SCOPE, JOB_NOT_FOUND, JOB_NOT_RETRYABLE, JOB_ALREADY_QUEUED */
export async function retryJob(db: Db, ctx: Ctx, id: string): Promise<JobItem> {
  assertManager(ctx);
  return db.transaction(async (tx) => {
    const job = await repo.findJob(tx, id);
    if (!job) throw new AppError('JOB_NOT_FOUND');
    if (job.state !== 'failed') throw new AppError('JOB_NOT_RETRYABLE');
    let moved: boolean;
    try {
      moved = await repo.retryFailedJob(tx, job.name, id);
    } catch (err) {
      // The strict singleton index: another job with the same key is queued or running.
      if (isUniqueViolation(err)) throw new AppError('JOB_ALREADY_QUEUED');
      throw err;
    }
    if (!moved) throw new AppError('JOB_NOT_RETRYABLE');
    await recordAudit(tx, ctx, {
      action: 'job.retry',
      targetType: 'job',
      targetId: id,
      targetLabel: job.name,
      scopePath: null,
      countyId: null,
      before: { state: 'failed', retryLimit: job.retry_limit },
      after: { state: 'retry', retryLimit: job.retry_limit + 1 },
    });
    return toItem((await repo.findJob(tx, id))!);
  });
}

/** A queued, retrying or running job → cancelled; audited.
 * @throws FORBIDDEN, OUT_OF_SCOPE, JOB_NOT_FOUND, JOB_NOT_CANCELLABLE */
export async function cancelJob(db: Db, ctx: Ctx, id: string): Promise<JobItem> {
  assertManager(ctx);
  return db.transaction(async (tx) => {
    const job = await repo.findJob(tx, id);
    if (!job) throw new AppError('JOB_NOT_FOUND');
    if (!(await repo.cancelJob(tx, job.name, id))) throw new AppError('JOB_NOT_CANCELLABLE');
    await recordAudit(tx, ctx, {
      action: 'job.cancel',
      targetType: 'job',
      targetId: id,
      targetLabel: job.name,
      scopePath: null,
      countyId: null,
      before: { state: job.state },
      after: { state: 'cancelled' },
    });
    return toItem((await repo.findJob(tx, id))!);
  });
}
