import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ADMIN_PASSWORD = 'Admin@12345';
/** The demo accounts' password (server/src/demo/demo-region.ts). */
export const DEMO_PASSWORD = 'Linli@2026';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export type RunningServer = {
  url: string;
  dataDir: string;
  /** Its own PostgreSQL database's name (null on PGlite). */
  database: string | null;
  /** The server's recent output, for a failing test's message. */
  logs: () => string;
  stop: () => Promise<void>;
  /** Stops the process and keeps its data directory and database (the template). */
  stopKeeping: () => Promise<void>;
};

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * The server state every test file starts from, prepared once per run by the global setup (`prepareTemplate`):
 * a data directory (its PII key, files, and on PGlite the database) and, with DATABASE_URL, a template database.
 * Copying them takes a second or two; a first start that loads the demo took 35 s (PostgreSQL) to 65 s (PGlite).
 */
export const TEMPLATE_ENV = 'LINLI_E2E_TEMPLATE';
type Template = { dataDir: string; database: string | null };

function template(): Template | null {
  const raw = process.env[TEMPLATE_ENV];
  return raw ? (JSON.parse(raw) as Template) : null;
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * With DATABASE_URL (as on CI) the server gets a database of its own on that PostgreSQL server, created here
 * (a copy of the run's template, when there is one) and dropped afterwards, so runs never share state; without
 * it, the embedded PGlite in the temp data dir.
 */
async function freshDatabase(
  from: string | null,
): Promise<{ name: string; url: string; drop: () => Promise<void> } | null> {
  const base = process.env.DATABASE_URL;
  if (!base) return null;
  const name = `linli_e2e_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}${from ? ` TEMPLATE ${from}` : ''}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * Starts the real server (`server/src/main.ts`) as a child process on a free port with a fresh data
 * directory, and waits until GET /ready answers 200. The first start creates the database and loads
 * the demo region, which takes a while on a small machine.
 */
export async function startServer({ timeoutMs = 180_000, fresh = false } = {}): Promise<RunningServer> {
  const from = fresh ? null : template();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'linli-e2e-'));
  if (from) await cp(from.dataDir, dataDir, { recursive: true });
  const database = await freshDatabase(from?.database ?? null);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LINLI_DATA_DIR: dataDir,
      DATABASE_URL: database?.url ?? '',
      LINLI_MQTT_PORT: '0',
      LINLI_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const halt = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
  };
  const stop = async () => {
    await halt();
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  };
  const stopKeeping = halt;

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`the server exited before it was ready (code ${child.exitCode}):\n${output}`);
    }
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, dataDir, database: database?.name ?? null, logs: () => output, stop, stopKeeping };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s:\n${output}`);
}

/**
 * Starts a server on a fresh database, lets it load the demo and finish the jobs that start queues (the metrics
 * refresh and the assessment scores after it), stops it, and keeps its data directory and database as the template
 * of every test file's server. Returns what removes them.
 */
export async function prepareTemplate(): Promise<() => Promise<void>> {
  const started = Date.now();
  const server = await startServer({ fresh: true });
  try {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    type Queue = { name: string; cron: string | null; counts: Record<string, number> };
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      const res = await fetch(`${server.url}/api/jobs/queues`, { headers: { cookie } });
      if (!res.ok) throw new Error(`GET /api/jobs/queues: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { items?: Queue[] } | Queue[];
      const queues = Array.isArray(body) ? body : (body.items ?? []);
      const busy = queues.filter((q) => (q.counts.active ?? 0) > 0 || (!q.cron && (q.counts.retry ?? 0) > 0));
      const pending = queues.filter(
        (q) => ['metrics.refresh', 'assessment.score'].includes(q.name) && (q.counts.created ?? 0) > 0,
      );
      if (busy.length === 0 && pending.length === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  await server.stopKeeping();
  process.env[TEMPLATE_ENV] = JSON.stringify({ dataDir: server.dataDir, database: server.database } satisfies Template);
  process.stdout.write(`server template prepared in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return async () => {
    delete process.env[TEMPLATE_ENV];
    await rm(server.dataDir, { recursive: true, force: true });
    if (server.database) await adminQuery(`DROP DATABASE IF EXISTS ${server.database} WITH (FORCE)`);
  };
}
