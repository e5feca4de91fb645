import { Type } from 'typebox';
import type { Db } from '../platform/db/client.js';
import type { JobDef } from '../platform/jobs/index.js';

export const Charge = Type.Object({ orderId: Type.Integer({ minimum: 1 }), amount: Type.Integer({ minimum: 1 }) });

export const CHARGE_TABLES = `CREATE TABLE jobs_test_attempts (order_id int NOT NULL, job text NOT NULL, pid int NOT NULL);
  CREATE TABLE jobs_test_charges (order_id int PRIMARY KEY, amount int NOT NULL, job text NOT NULL)`;

/**
 * The example of an idempotent handler. A job may run twice: here the server running it is killed after the
 * effect and before the job is marked done, so after its expiry another server runs it again. The effect is keyed
 * by the payload (the order id is the charge's primary key) and written with ON CONFLICT DO NOTHING, so the second
 * run finds it done and changes nothing. `dieAfterEffect` holds the first run there until the process is killed.
 */
export function chargeJob(db: Db, opts: { dieAfterEffect: boolean }): JobDef<typeof Charge> {
  return {
    name: 'test.charge',
    schema: Charge,
    expireInSeconds: 2,
    retryDelaySeconds: 0,
    retryBackoff: false,
    handler: async (p, job) => {
      await db.query('INSERT INTO jobs_test_attempts (order_id, job, pid) VALUES ($1, $2, $3)', [
        p.orderId,
        job.id,
        process.pid,
      ]);
      await db.query(
        'INSERT INTO jobs_test_charges (order_id, amount, job) VALUES ($1, $2, $3) ON CONFLICT (order_id) DO NOTHING',
        [p.orderId, p.amount, job.id],
      );
      if (opts.dieAfterEffect) await new Promise(() => undefined);
    },
  };
}
