/**
 * A Linli server as far as devices see it (ingest.reliability.int.test.ts starts it with tsx and kills it with
 * SIGKILL while devices publish): the embedded broker with ingest's gate on INGEST_TEST_PORT, storing into the
 * PostgreSQL database INGEST_TEST_DB_URL and raising alarms through the alarms service.
 */
import { randomBytes } from 'node:crypto';
import { raiseAlarms } from '../modules/devices/alarms.service.js';
import { createIngest } from '../modules/devices/ingest.service.js';
import { openPostgres } from '../platform/db/client.js';
import { createJobs } from '../platform/jobs/index.js';
import { startBroker } from '../platform/mqtt/broker.js';
import { createPiiCipher } from '../platform/pii/index.js';

const url = process.env.INGEST_TEST_DB_URL;
const port = Number(process.env.INGEST_TEST_PORT);
if (!url || !port) throw new Error('INGEST_TEST_DB_URL and INGEST_TEST_PORT must be set');
const db = await openPostgres(url, { max: 4 });
const pii = createPiiCipher(randomBytes(32));
const jobs = createJobs(db, { pollingIntervalSeconds: 0.5, cron: false });
await jobs.start();
const ingest = createIngest({ db, raise: (tx, triggers) => raiseAlarms({ db, pii, jobs }, tx, triggers) });
await startBroker({ embeddedPort: port, gate: ingest });
process.stdout.write('ready\n');
