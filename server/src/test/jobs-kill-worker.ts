/**
 * A server that dies in the middle of a job (jobs.cluster.int.test.ts starts it with tsx and kills it with
 * SIGKILL): it sends one charge job and runs it up to the charge, then waits for its end.
 */
import { openPostgres } from '../platform/db/client.js';
import { createJobs } from '../platform/jobs/index.js';
import { chargeJob } from './jobs-charge.js';

const url = process.env.JOBS_TEST_DB_URL;
if (!url) throw new Error('JOBS_TEST_DB_URL is not set');
const db = await openPostgres(url, { max: 2 });
const jobs = createJobs(db, { pollingIntervalSeconds: 0.5 });
jobs.register(chargeJob(db, { dieAfterEffect: true }));
await jobs.start();
await jobs.send('test.charge', { orderId: 42, amount: 1999 });
process.stdout.write('sent\n');
