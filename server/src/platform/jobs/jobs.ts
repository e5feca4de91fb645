import PgBoss from 'pg-boss';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { Db, Queryable } from '../db/client.js';
import { ensureSingletonIndex, giveUpJob, releaseJobs } from './jobs.repo.js';

/** What a handler learns about its job. `signal` aborts when the job expires or the server stops. */
export type JobContext = { id: string; retryCount: number; signal: AbortSignal };

export type JobDef<S extends TSchema> = {
  /** 'module.verb', e.g. 'notify.deliver'; one queue per name. */
  name: string;
  /** The payload's shape, checked when a job is sent and again when it runs. */
  schema: S;
  /**
   * Runs one job. A job may run more than once (a retry after an error, or after a crashed server's job
   * expires), so a handler's effect must be idempotent: key it by the payload (INSERT … ON CONFLICT DO NOTHING,
   * an UPDATE that checks the state it moves from). A thrown error fails this attempt.
   */
  handler: (payload: Static<S>, job: JobContext) => Promise<void>;
  /** Attempts after the first (default 3). */
  retryLimit?: number;
  /** Seconds before the first retry (default 10); with backoff each retry waits about twice as long. */
  retryDelaySeconds?: number;
  /** Exponential backoff with jitter between retries (default true). */
  retryBackoff?: boolean;
  /** A running job that takes longer is given up and retried (default 900 s; also how long a crashed server's
   * job waits before another server runs it). */
  expireInSeconds?: number;
  /** Jobs of this name one server runs at once (default LINLI_JOBS_CONCURRENCY). */
  concurrency?: number;
};

export type SendOptions = {
  /** A Date, or seconds from now. */
  startAfter?: Date | number;
  /** While a job with this key is queued, retrying or running, another send with the key is refused (null). */
  singletonKey?: string;
  /**
   * The transaction the send belongs to: the job is queued only if it commits. Required inside a transaction on
   * PGlite (one connection: a send outside the transaction would wait for it).
   */
  tx?: Queryable;
};

export type Jobs = {
  /** Declares a job; before `start()`. */
  register<S extends TSchema>(def: JobDef<S>): void;
  /** Queues a job: its id, or null when a job with the same `singletonKey` is already queued or running.
   * @throws JobPayloadError when the payload does not match the job's schema; Error for an undeclared name. */
  send<S extends TSchema = TSchema>(
    name: string,
    payload: Static<S> | unknown,
    opts?: SendOptions,
  ): Promise<string | null>;
  /** A cron schedule (5 fields, Asia/Shanghai time) for a declared job; one schedule per name, replaced when
   * called again. Several servers together run each slot once. Before `start()` it is kept and applied at start. */
  schedule(name: string, cron: string, payload?: unknown): Promise<void>;
  start(): Promise<void>;
  /** Stops fetching, lets running jobs finish for up to `stopTimeoutMs`, then returns the rest to the queue. */
  stop(): Promise<void>;
  /** Names of the declared jobs. */
  names(): string[];
};

export type JobsLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type JobsOptions = {
  /** Default concurrency of a job name (LINLI_JOBS_CONCURRENCY; default 2). */
  concurrency?: number;
  /** Seconds between polls of an idle queue (default 2; minimum 0.5). */
  pollingIntervalSeconds?: number;
  /** Seconds between maintenance runs (expiry of crashed servers' jobs, archiving); default 60. */
  maintenanceIntervalSeconds?: number;
  /** Seconds between checks of the cron schedules (default 30; at most 45). */
  cronMonitorIntervalSeconds?: number;
  /** Seconds between moves of due cron slots into their queues (default 5). */
  cronWorkerIntervalSeconds?: number;
  /** Whether this instance fires cron schedules (default true). Test environments turn it off: slots follow the
   * wall clock, and a job firing in the middle of an unrelated test makes it flaky. `schedule()` still records. */
  cron?: boolean;
  /** How long `stop()` lets running jobs finish (default 20 s). */
  stopTimeoutMs?: number;
  log?: JobsLogger;
};

export const TIMEZONE = 'Asia/Shanghai';
export const PGBOSS_SCHEMA = 'pgboss';

export class JobPayloadError extends Error {
  constructor(
    readonly jobName: string,
    readonly detail: string,
  ) {
    super(`Payload of job ${jobName} does not match its schema: ${detail}`);
    this.name = 'JobPayloadError';
  }
}

const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

type Registered = { def: JobDef<TSchema>; concurrency: number };

type Running = { id: string; ac: AbortController; done: Promise<void> };

function payloadProblem(schema: TSchema, payload: unknown): string | null {
  if (Value.Check(schema, payload)) return null;
  const first = [...Value.Errors(schema, payload)][0];
  return first ? `${first.instancePath || '/'} ${first.message}` : 'invalid';
}

const silent: JobsLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Background jobs on pg-boss 10, in the database Linli already has. On PostgreSQL pg-boss keeps its own pool;
 * on PGlite it runs through `db.executeSql`. Its tables live in the `pgboss` schema.
 */
export function createJobs(db: Db, options: JobsOptions = {}): Jobs {
  const log = options.log ?? silent;
  const defaultConcurrency = Math.max(1, options.concurrency ?? 2);
  const pollMs = Math.max(500, (options.pollingIntervalSeconds ?? 2) * 1000);
  const stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  const defs = new Map<string, Registered>();
  const pendingSchedules = new Map<string, { cron: string; payload: unknown }>();
  let boss: PgBoss | null = null;
  let state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';
  const loops: Promise<void>[] = [];
  const running = new Map<string, Running>();
  const wakers = new Map<string, () => void>();
  /** Jobs handed back to the queue at stop: whatever their handlers do next is not recorded. */
  const released = new Set<string>();

  const bossOptions = {
    schema: PGBOSS_SCHEMA,
    schedule: options.cron ?? true,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds ?? 30,
    cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds ?? 5,
    // Failed jobs stay in the job table (where the console lists them) for a week.
    archiveFailedAfterSeconds: 7 * 24 * 3600,
    application_name: 'linli-jobs',
  };

  const wake = (name: string) => wakers.get(name)?.();

  /** Sleeps until `ms` pass or the queue is woken (a local send, a slot freed, stop). */
  const nap = (name: string, ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wakers.delete(name);
        resolve();
      }
      wakers.set(name, done);
    });

  async function runOne(
    b: PgBoss,
    reg: Registered,
    job: PgBoss.JobWithMetadata<unknown>,
    ac: AbortController,
  ): Promise<void> {
    const { def } = reg;
    const expireMs = Math.max(1, Number(job.expireInSeconds ?? def.expireInSeconds ?? 900)) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(`job ran longer than its expiry (${expireMs / 1000} s)`);
        ac.abort(err);
        reject(err);
      }, expireMs);
    });
    try {
      const problem = payloadProblem(def.schema, job.data);
      if (problem) {
        // A payload that does not fit now never will: no retries.
        await giveUpJob(db, def.name, job.id);
        throw new JobPayloadError(def.name, problem);
      }
      await Promise.race([
        def.handler(job.data as Static<TSchema>, { id: job.id, retryCount: job.retryCount, signal: ac.signal }),
        expired,
      ]);
      if (state === 'stopped' || released.has(job.id)) return;
      await b.complete(def.name, job.id);
    } catch (err) {
      if (state === 'stopped' || released.has(job.id)) return;
      const e = err instanceof Error ? err : new Error(String(err));
      log.warn({ job: def.name, id: job.id, retryCount: job.retryCount, err: e }, 'job failed');
      await b
        .fail(def.name, job.id, e as unknown as object)
        .catch((failErr: unknown) =>
          log.error({ job: def.name, id: job.id, err: failErr }, 'could not record a job failure'),
        );
    } finally {
      clearTimeout(timer);
    }
  }

  async function loop(b: PgBoss, reg: Registered): Promise<void> {
    const name = reg.def.name;
    const mine = new Set<string>();
    while (state === 'started') {
      const free = reg.concurrency - mine.size;
      let fetched = 0;
      if (free > 0) {
        try {
          const jobs = await b.fetch<unknown>(name, { batchSize: free, includeMetadata: true });
          fetched = jobs.length;
          for (const job of jobs) {
            const ac = new AbortController();
            mine.add(job.id);
            const done = runOne(b, reg, job, ac).finally(() => {
              mine.delete(job.id);
              running.delete(job.id);
              wake(name);
            });
            running.set(job.id, { id: job.id, ac, done });
          }
        } catch (err) {
          log.error({ job: name, err }, 'job fetch failed');
        }
      }
      if (state !== 'started') break;
      // A full batch may mean more are waiting: fetch again as soon as a slot frees. Otherwise poll.
      await nap(name, fetched > 0 && fetched === free ? pollMs * 10 : pollMs);
    }
  }

  async function applySchedule(b: PgBoss, name: string, cron: string, payload: unknown) {
    await b.schedule(name, cron, (payload ?? {}) as object, { tz: TIMEZONE });
  }

  function declared(name: string): Registered {
    const reg = defs.get(name);
    if (!reg) throw new Error(`No job named ${name} is registered`);
    return reg;
  }

  return {
    register(def) {
      if (state !== 'new') throw new Error(`Job ${def.name} registered after start()`);
      if (!NAME.test(def.name)) throw new Error(`Job name must look like 'module.verb': ${def.name}`);
      if (defs.has(def.name)) throw new Error(`Job ${def.name} is registered twice`);
      defs.set(def.name, {
        def: def as unknown as JobDef<TSchema>,
        concurrency: Math.max(1, def.concurrency ?? defaultConcurrency),
      });
    },

    names: () => [...defs.keys()],

    async send(name, payload, opts = {}) {
      const { def } = declared(name);
      const problem = payloadProblem(def.schema, payload);
      if (problem) throw new JobPayloadError(name, problem);
      if (!boss || state !== 'started') throw new Error(`Jobs are not running: cannot send ${name}`);
      const { startAfter, singletonKey, tx } = opts;
      const sendOpts: PgBoss.SendOptions = {};
      if (startAfter instanceof Date) sendOpts.startAfter = startAfter;
      else if (typeof startAfter === 'number' && startAfter > 0) sendOpts.startAfter = Math.ceil(startAfter);
      if (singletonKey !== undefined) sendOpts.singletonKey = singletonKey;
      if (tx) {
        sendOpts.db = {
          executeSql: async (text: string, values: unknown[]) => ({ rows: await tx.query(text, values) }),
        };
      }
      const id = await boss.send(name, payload as object, sendOpts);
      if (id && !tx && !startAfter) wake(name);
      return id;
    },

    async schedule(name, cron, payload) {
      const { def } = declared(name);
      const problem = payloadProblem(def.schema, payload ?? {});
      if (problem) throw new JobPayloadError(name, problem);
      if (boss && state === 'started') await applySchedule(boss, name, cron, payload);
      else pendingSchedules.set(name, { cron, payload });
    },

    async start() {
      if (state !== 'new') return;
      state = 'starting';
      const b = new PgBoss(
        db.connectionString
          ? { ...bossOptions, connectionString: db.connectionString, max: 4 }
          : {
              ...bossOptions,
              db: {
                executeSql: (text: string, values: unknown[]) =>
                  state === 'stopped' ? Promise.resolve({ rows: [] }) : db.executeSql(text, values),
              },
            },
      );
      b.on('error', (err: unknown) => {
        if (state !== 'stopped') log.error({ err }, 'job queue error');
      });
      await b.start();
      await ensureSingletonIndex(db);
      for (const { def } of defs.values()) {
        const queue = {
          name: def.name,
          retryLimit: def.retryLimit ?? 3,
          retryDelay: def.retryDelaySeconds ?? 10,
          retryBackoff: def.retryBackoff ?? true,
          expireInSeconds: def.expireInSeconds ?? 900,
        };
        await b.createQueue(def.name, queue);
        // A queue that exists already keeps its old settings unless told.
        await b.updateQueue(def.name, queue);
      }
      boss = b;
      state = 'started';
      for (const [name, s] of pendingSchedules) await applySchedule(b, name, s.cron, s.payload);
      pendingSchedules.clear();
      for (const reg of defs.values()) loops.push(loop(b, reg));
      log.info({ jobs: defs.size, db: db.kind }, 'background jobs started');
    },

    async stop() {
      if (state !== 'started') {
        state = 'stopped';
        return;
      }
      const b = boss!;
      state = 'stopping';
      for (const name of defs.keys()) wake(name);
      await Promise.all(loops);
      const inFlight = [...running.values()];
      if (inFlight.length > 0) {
        let t: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(inFlight.map((r) => r.done)),
          new Promise<void>((resolve) => {
            t = setTimeout(resolve, stopTimeoutMs);
          }),
        ]);
        clearTimeout(t);
      }
      const left = [...running.values()];
      if (left.length > 0) {
        for (const r of left) released.add(r.id);
        const back = await releaseJobs(
          db,
          left.map((r) => r.id),
        ).catch((err: unknown) => {
          log.error({ err }, 'could not return running jobs to the queue');
          return 0;
        });
        for (const r of left) r.ac.abort(new Error('server stopping'));
        log.warn({ jobs: back }, 'jobs still running at stop returned to the queue');
      }
      state = 'stopped';
      await b.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
      log.info({}, 'background jobs stopped');
    },
  };
}
