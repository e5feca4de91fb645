import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp } from '../app.js';
import { DEMO_PASSWORD, type DemoIds, loadDemoAccounts, loadDemoRegion } from '../demo/demo-region.js';
import { seedReferenceData } from '../modules/index.js';
import { ensureSystemAdmin } from '../modules/users/users.service.js';
import type { Db } from '../platform/db/client.js';
import { createJobs, type Jobs } from '../platform/jobs/index.js';
import { createPiiCipher, type PiiCipher } from '../platform/pii/index.js';
import { ADMIN_PASSWORD, createTestDb, type TestDbKind, testDbKinds, testTemplates } from './test-db.js';

export { ADMIN_PASSWORD } from './test-db.js';
/** Linli's own origin under `app.inject` (whose default Host is localhost:80): state-changing requests with the
 * session cookie must name it, as a browser does. */
export const OWN_ORIGIN = 'http://localhost';

export type TestEnv = {
  kind: TestDbKind;
  app: FastifyInstance;
  db: Db;
  pii: PiiCipher;
  /** Running background jobs on the env's database (polling every half second; cron schedules are recorded but
   * never fire: send the job instead). */
  jobs: Jobs;
  ids: DemoIds;
  /** Where the app keeps photos and attachments (platform/files), removed when the env stops. */
  filesDir: string;
  /** Session cookie header for a demo account (cached per username). */
  cookie(username: string): Promise<string>;
  /** `app.inject` as a logged-in user (or anonymous with `null`), from Linli's own origin unless `opts` names one. */
  as(username: string | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
};

export async function login(app: FastifyInstance, username: string, password: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: OWN_ORIGIN },
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const set = res.headers['set-cookie'];
  const first = (Array.isArray(set) ? set[0] : set) ?? '';
  return first.split(';')[0]!;
}

/** An app on a fresh database holding the demo region, its accounts, and a system admin `admin`. */
export async function startTestEnv(kind: TestDbKind): Promise<TestEnv & { stop: () => Promise<void> }> {
  const templates = testTemplates();
  let db: Db;
  let drop: () => Promise<void>;
  let pii: PiiCipher;
  let ids: DemoIds;
  if (templates) {
    // a copy of the run's prepared database, which holds all of the below already
    ({ db, drop } = await createTestDb(kind, 'demo'));
    pii = createPiiCipher(Buffer.from(templates.piiKey, 'hex'));
    ids = { ...templates.ids };
  } else {
    ({ db, drop } = await createTestDb(kind));
    pii = createPiiCipher(randomBytes(32));
    await seedReferenceData(db);
    ({ ids } = await loadDemoRegion(db));
    await loadDemoAccounts(db, pii);
    await ensureSystemAdmin({ db, pii }, { password: ADMIN_PASSWORD });
  }
  const jobs = createJobs(db, {
    pollingIntervalSeconds: 0.5,
    maintenanceIntervalSeconds: 1,
    // Hourly housekeeping firing in the middle of a test would make it flaky: tests send the job they exercise.
    cron: false,
    stopTimeoutMs: 2000,
  });
  const filesDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'linli-test-files-'));
  const app = await buildApp({
    db,
    pii,
    broker: null,
    jobs,
    loginRateLimit: 1000,
    files: { dir: filesDir },
    // A failing webhook is retried within seconds, not minutes.
    notifyDelivery: { retryDelaySeconds: 1 },
  });
  await app.ready();
  await jobs.start();
  const cookies = new Map<string, string>();
  const env: TestEnv = {
    kind,
    app,
    db,
    pii,
    jobs,
    ids,
    filesDir,
    async cookie(username) {
      let c = cookies.get(username);
      if (!c) {
        c = await login(app, username, username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
        cookies.set(username, c);
      }
      return c;
    },
    async as(username, opts) {
      const headers = { origin: OWN_ORIGIN, ...(opts.headers ?? {}) } as Record<string, string>;
      if (username) headers.cookie = await env.cookie(username);
      return app.inject({ ...opts, headers });
    },
  };
  return {
    ...env,
    stop: async () => {
      await app.close();
      await jobs.stop();
      await drop();
      await fs.promises.rm(filesDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a suite once per database kind (PGlite, and PostgreSQL when DATABASE_URL is set), each on its
 * own fresh database shared by the suite's tests.
 */
/** `only`: run on these of the databases at hand (a suite split by database across test files). */
export function describeEachDb(name: string, fn: (env: TestEnv) => void, only?: readonly TestDbKind[]): void {
  for (const kind of testDbKinds().filter((k) => !only || only.includes(k))) {
    describe(`${name} [${kind}]`, () => {
      let started: Awaited<ReturnType<typeof startTestEnv>> | undefined;
      const proxy = new Proxy({} as TestEnv, {
        get(_t, prop: keyof TestEnv) {
          if (!started) throw new Error('test env not started');
          return started[prop];
        },
      });
      beforeAll(async () => {
        started = await startTestEnv(kind);
      });
      afterAll(async () => {
        await started?.stop();
      });
      fn(proxy);
    });
  }
}
