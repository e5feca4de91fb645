/**
 * bench:ingest — devices publishing over MQTT into Linli's ingest (validation, message rules, storage, alarms):
 *
 * 1. 10,000 simulated devices (an admin-defined type reporting every second, so that its flood limit of 10 a second
 *    is above the pace used here) spread over publisher child processes, each device publishing QoS 1 telemetry with
 *    one message in flight and at least `--interval-ms` between its messages, to the broker as configured: the
 *    embedded one with ingest's gate (authenticate, own topics only, PUBACK after commit), or Mosquitto when MQTT_URL
 *    is set (Linli takes the stream through its shared subscription). Sustained messages a second = messages ingest
 *    stored over the measuring window (after a warm-up). During the window some devices press SOS once, stamped with
 *    their send time: publish → alarm row committed (seen by a poller every 10 ms) for p50/p99; the PUBACK latency of
 *    plain telemetry in the same window is the baseline (one batch commit without an alarm).
 * 2. The broker's own ceiling in the same run: the same publishers against a bare broker (aedes without gate, or the
 *    same Mosquitto) with a subscriber that does nothing; the ratio Linli / ceiling.
 * 3. The timed rules (no use, high use, silence) over 100,000 water meters (devices, readings and last-seen seeded
 *    in SQL with generate_series): one evaluateTimedRules, beside one index probe per meter in one statement.
 *
 * PostgreSQL when DATABASE_URL is set (a fresh database, dropped after), else PGlite in this process (which then
 * shares one core with ingest and the broker; said in the output). The last line is one JSON object.
 *
 * With MQTT_URL the publishers' PUBACKs come from the external broker at once, so `acked_per_s` there is the
 * broker's, and `msg_per_s` (what ingest stored) is what counts: Linli acknowledges to the broker only after its
 * commit, so its share is bound by the broker's in-flight window per subscriber (Mosquitto: max_inflight_messages,
 * 20 by default) × the shared subscribers (4) ÷ a batch's commit time; the broker drops what its queue cannot hold.
 * The CPU line separates this run's processes from the rest of the machine (other work on a shared host).
 *
 *   npm run bench:ingest [-- --devices 10000 --publishers 4 --seconds 20 --warmup 5 --interval-ms 150 --meters 100000]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import pg from 'pg';
import { loadDemoAccounts, loadDemoRegion } from '../server/src/demo/demo-region.js';
import { evaluateTimedRules, registerAlarmJobs } from '../server/src/modules/devices/alarms.evaluate.js';
import { type AlarmDeps, raiseAlarms } from '../server/src/modules/devices/alarms.service.js';
import { createIngest } from '../server/src/modules/devices/ingest.service.js';
import { registerModuleHooks, seedReferenceData } from '../server/src/modules/index.js';
import { type Db, openPglite, openPostgres } from '../server/src/platform/db/client.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { createJobs } from '../server/src/platform/jobs/index.js';
import { startBroker } from '../server/src/platform/mqtt/broker.js';
import { createPiiCipher } from '../server/src/platform/pii/index.js';
import type { FromChild, ToChild } from './ingest.publisher.js';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: process.env.INGEST_BENCH_DEVICES ?? '10000' },
    publishers: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    'interval-ms': { type: 'string', default: '150' },
    sos: { type: 'string', default: '400' },
    meters: { type: 'string', default: process.env.INGEST_BENCH_METERS ?? '100000' },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
const DEVICES = Number(values.devices);
const PUBLISHERS = Number(values.publishers);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const INTERVAL_MS = Number(values['interval-ms']);
const SOS = Number(values.sos);
const METERS = Number(values.meters);
/** Bench devices get ids from here, the 100k meters from METER_ID0 (explicit ids: their tokens derive from them). */
const DEVICE_ID0 = 1_000_001;
const METER_ID0 = 3_000_001;
const BENCH_TYPE = 'bench_sensor';
/** The alarm latency phase offers this share of the throughput measured. */
const LATENCY_LOAD_SHARE = 0.5;
const PUBLISHER = fileURLToPath(new URL('./ingest.publisher.ts', import.meta.url));

// ---- publishers (bench/ingest.publisher.ts, a child process each) ------------------------------------------

type Child = {
  proc: ChildProcess;
  last: { sent: number; acked: number; cpuMs: number };
  on(fn: (m: FromChild) => void): void;
  post(m: ToChild): void;
};

/** Starts the publisher children for `url`; resolves once every device is connected. */
async function startPublishers(url: string, salt: string): Promise<{ children: Child[]; connected: number }> {
  const per = Math.ceil(DEVICES / PUBLISHERS);
  const children: Child[] = [];
  const ready: Promise<{ connected: number; failed: number }>[] = [];
  for (let i = 0; i < PUBLISHERS; i++) {
    const first = DEVICE_ID0 + i * per;
    const count = Math.min(per, DEVICES - i * per);
    if (count <= 0) break;
    const proc = spawn(process.execPath, [...process.execArgv, PUBLISHER], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        BENCH_URL: url,
        BENCH_FIRST: String(first),
        BENCH_COUNT: String(count),
        BENCH_SALT: salt,
        BENCH_INTERVAL: String(INTERVAL_MS),
      },
    });
    const listeners: ((m: FromChild) => void)[] = [];
    const child: Child = {
      proc,
      last: { sent: 0, acked: 0, cpuMs: 0 },
      on: (fn) => listeners.push(fn),
      post: (m) => proc.send(m),
    };
    proc.on('message', (m: FromChild) => {
      if (m.type === 'tick') child.last = { sent: m.sent, acked: m.acked, cpuMs: m.cpuMs };
      for (const fn of listeners) fn(m);
    });
    ready.push(
      new Promise((resolve, reject) => {
        child.on((m) => m.type === 'ready' && resolve(m));
        proc.once('exit', (code) => reject(new Error(`publisher exited (${code})`)));
      }),
    );
    children.push(child);
  }
  const r = await Promise.all(ready);
  const failed = r.reduce((a, x) => a + x.failed, 0);
  if (failed > 0) log(`  ${failed} devices could not connect`);
  return { children, connected: r.reduce((a, x) => a + x.connected, 0) };
}

async function stopPublishers(children: Child[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.on((m) => m.type === 'stopped' && resolve());
          c.post({ type: 'stop' });
        }),
    ),
  );
}

async function exitPublishers(children: Child[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.proc.once('exit', () => resolve());
          c.post({ type: 'exit' });
          setTimeout(() => c.proc.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
}

const sum = (children: Child[], k: 'sent' | 'acked' | 'cpuMs') => children.reduce((a, c) => a + c.last[k], 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
/** Busy CPU milliseconds of the whole machine since `from` (os.cpus), and the cores' total. */
const cpuTimes = () => os.cpus().reduce((a, c) => a + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);

/**
 * The ceiling's broker: aedes as Linli embeds it, without the gate. Like the gate, it lets each publish go on on a
 * later turn of the event loop (without that aedes recurses through a burst of publishes until the stack overflows).
 */
async function startBareBroker(): Promise<{ url: string; close: () => Promise<void> }> {
  // mqemitter drains its queue recursively past `concurrency` messages in flight: room for every device's one.
  const aedes = await Aedes.createBroker({ concurrency: 2 * DEVICES });
  aedes.authorizePublish = (_client, _packet, done) => setImmediate(() => done(null));
  const server = net.createServer(aedes.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: async () => {
      const stopped = new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => aedes.close(() => r()));
      await stopped;
    },
  };
}

/**
 * CPU milliseconds used so far by the PostgreSQL backends serving this database (pg_stat_activity, /proc: a local
 * server on this machine); null when they cannot be read (PGlite, a remote server).
 */
async function postgresCpuMs(db: Db): Promise<Map<number, number> | null> {
  if (db.kind !== 'postgres') return null;
  const pids = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const out = new Map<number, number>();
  for (const { pid } of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
      out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      return null;
    }
  }
  return out;
}

const cpuDelta = (a: Map<number, number> | null, b: Map<number, number> | null) =>
  a && b ? [...b].reduce((sum_, [pid, ms]) => sum_ + ms - (a.get(pid) ?? 0), 0) : null;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// ---- data ------------------------------------------------------------------------------------------------

async function openBenchDb(): Promise<{ db: Db; kind: 'postgres' | 'pglite'; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-ingest-'));
    const db = await openPglite(path.join(dir, 'pgdata'));
    return {
      db,
      kind: 'pglite',
      drop: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `linli_bench_ingest_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString(), { max: 12 });
  return {
    db,
    kind: 'postgres',
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The bench type (reports every second: flood limit 10 a second), a threshold rule that never fires and SOS. */
async function seedBenchType(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO device_types (code, name_zh, name_en, metrics, events, report_interval_s) VALUES ($1, '压测传感器',
       'Bench sensor', '[{"key":"value","nameZh":"读数","nameEn":"Reading","unit":"","min":-1000000,"max":1000000}]',
       '[{"key":"sos","nameZh":"SOS 呼救","nameEn":"SOS pressed"}]', 1)`,
    [BENCH_TYPE],
  );
  await db.query(
    `INSERT INTO device_rules (type_code, code, name_zh, name_en, kind, params, severity, ladder) VALUES
       ($1, 'bench_high', '读数过高', 'Reading high', 'threshold', '{"metric":"value","above":900000}', 'major',
        '[{"level":"grid","afterMin":0}]'),
       ($1, 'bench_sos', 'SOS 呼救', 'SOS', 'event', '{"events":["sos"]}', 'critical',
        '[{"level":"family","afterMin":0},{"level":"grid","afterMin":5},{"level":"community","afterMin":15}]')`,
    [BENCH_TYPE],
  );
}

/** `n` devices of `type` from id `id0`, spread over the demo region's buildings, token salt.id (its SHA-256 kept). */
async function seedDevices(db: Db, type: string, id0: number, n: number, salt: string): Promise<void> {
  await db.query(
    `WITH b AS (SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, path, county_id FROM org_nodes
                 WHERE type = 'building'),
          nb AS (SELECT count(*) AS n FROM b)
     INSERT INTO devices (id, county_id, node_id, node_path, type_code, serial, secret_hash, secret_prefix, last_seen_at)
     SELECT $2 + g, b.county_id, b.id, b.path, $1, 'BENCH-' || ($2 + g), sha256(convert_to($4 || '.' || ($2 + g), 'UTF8')),
            left($4, 6), now() - (g % 600) * interval '1 second'
       FROM generate_series(0, $3 - 1) g, nb JOIN b ON true
      WHERE b.i = g % nb.n`,
    [type, id0, n, salt],
  );
}

/**
 * 100,000 water meters with 26 hours of readings every two hours (their register rising ~10 L an hour by day), last
 * seen within the last 20 minutes; one in 500 flat (no use) and one in 500 silent for a day, so the evaluator has
 * alarms to raise as well as devices to pass.
 */
async function seedMeters(db: Db, salt: string, now: Date): Promise<void> {
  await seedDevices(db, 'water_meter', METER_ID0, METERS, salt);
  await db.query(
    `UPDATE devices SET last_seen_at = CASE WHEN (id - $1) % 500 = 7 THEN $2::timestamptz - interval '1 day'
                                             ELSE $2::timestamptz - ((id % 1200) * interval '1 second') END
      WHERE id >= $1`,
    [METER_ID0, now],
  );
  await db.query(
    `INSERT INTO telemetry (device_id, metric, ts, value)
     SELECT d, 'total_l', $3::timestamptz - h * interval '2 hours',
            CASE WHEN (d - $1) % 500 = 3 THEN 5000 ELSE 5000 + (13 - h) * 20 END
       FROM generate_series($1::bigint, $1::bigint + $2 - 1) d, generate_series(0, 12) h`,
    [METER_ID0, METERS, now],
  );
  await db.query('ANALYZE devices');
  await db.query('ANALYZE telemetry');
}

// ---- the run ---------------------------------------------------------------------------------------------

async function main() {
  // Notification kinds and hooks, as the server has them (the alarm ladder notifies).
  registerModuleHooks();
  const { db, kind, drop } = await openBenchDb();
  const mqttUrl = process.env.MQTT_URL;
  log(
    `database: ${kind === 'postgres' ? 'PostgreSQL (DATABASE_URL, a fresh database)' : 'PGlite in this process (no DATABASE_URL): it shares a core with ingest and the broker'}; broker: ${mqttUrl ? `Mosquitto/external at ${mqttUrl}` : 'embedded (aedes) with ingest’s gate'}`,
  );
  const salt = randomBytes(9).toString('base64url');
  const pii = createPiiCipher(randomBytes(32));
  let jobs: ReturnType<typeof createJobs> | null = null;
  try {
    await migrate(db);
    await seedReferenceData(db);
    await loadDemoRegion(db);
    await loadDemoAccounts(db, pii);
    await seedBenchType(db);
    await seedDevices(db, BENCH_TYPE, DEVICE_ID0, DEVICES, salt);
    await db.query('ANALYZE devices');

    jobs = createJobs(db, { cron: false, pollingIntervalSeconds: 5 });
    const deps: AlarmDeps = { db, pii, jobs };
    await registerAlarmJobs(jobs, deps);
    await jobs.start();
    const ingest = createIngest({
      db,
      raise: (tx, triggers) => raiseAlarms(deps, tx, triggers),
      log: {
        warn: (o, m) => {
          const e = (o as { err?: Error }).err;
          log(`ingest warn: ${m} ${e ? e.message : JSON.stringify(o)}`);
        },
        error: (o, m) => log(`ingest error: ${m} ${String((o as { err?: Error }).err ?? '')}`),
      },
    });

    // 1. Linli.
    const port = await freePort();
    const broker = await startBroker({ mqttUrl, embeddedPort: port, gate: ingest });
    if (!broker) throw new Error('no broker');
    log(`connecting ${DEVICES.toLocaleString()} devices from ${PUBLISHERS} publisher processes to ${broker.url}…`);
    let t = Date.now();
    const linli = await startPublishers(broker.url, salt);
    log(`  ${linli.connected.toLocaleString()} connected in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    // SOS presses: distinct devices, spread over the measuring window.
    const per = Math.ceil(DEVICES / PUBLISHERS);
    const sosPlan = Array.from({ length: SOS }, (_, k) => ({
      id: DEVICE_ID0 + Math.floor((k * DEVICES) / SOS) + 1,
      atMs: WARMUP * 1000 + Math.floor(((k + 0.5) * SECONDS * 1000) / SOS),
    }));
    const sent = new Map<number, number>();
    const ackLat: number[] = [];
    const telLat: number[] = [];
    for (const c of linli.children) {
      c.on((m) => {
        if (m.type === 'sos') {
          sent.set(m.id, m.sentAt);
          ackLat.push(m.ackAt - m.sentAt);
        } else if (m.type === 'lat') telLat.push(...m.ms);
      });
    }
    // Alarm rows as they commit.
    const seen = new Map<number, number>();
    let polling = true;
    // 1a. Throughput: every device as fast as its pace allows (one message in flight each).
    for (const c of linli.children) c.post({ type: 'go', durationMs: (WARMUP + SECONDS) * 1000, sos: [] });
    await sleep(WARMUP * 1000);
    const s0 = ingest.stats();
    const a0 = sum(linli.children, 'acked');
    const p0 = sum(linli.children, 'cpuMs');
    const u0 = process.cpuUsage();
    const m0 = cpuTimes();
    const g0 = await postgresCpuMs(db);
    t = Date.now();
    await sleep(SECONDS * 1000);
    const window = (Date.now() - t) / 1000;
    const s1 = ingest.stats();
    const a1 = sum(linli.children, 'acked');
    const pubCpu = (sum(linli.children, 'cpuMs') - p0) / window / 10;
    const u = process.cpuUsage(u0);
    const serverCpu = (u.user + u.system) / 1000 / window / 10;
    const machineCpu = (cpuTimes() - m0) / window / 10;
    const pgMs = cpuDelta(g0, await postgresCpuMs(db));
    const pgCpu = pgMs === null ? null : pgMs / window / 10;
    await stopPublishers(linli.children);
    const stored = s1.stored - s0.stored;
    const msgPerS = Math.round(stored / window);
    const ackedPerS = Math.round((a1 - a0) / window);

    // 1b. Alarm latency at a sustained load below saturation (half the throughput just measured: at saturation a
    // closed loop only measures its own queue, in-flight ÷ rate), SOS presses spread over the window.
    const latencyLoad = Math.max(1, Math.round(msgPerS * LATENCY_LOAD_SHARE));
    const latencyInterval = Math.max(INTERVAL_MS, Math.round((DEVICES * 1000) / latencyLoad));
    // Alarm rows as they commit (batches commit concurrently, so ids do not arrive in order: ask by device).
    const unseen = new Set(sosPlan.map((x) => x.id));
    const poller = (async () => {
      while (polling) {
        const rows = await db.query<{ device_id: number }>(
          'SELECT device_id FROM alarms WHERE device_id = ANY($1::bigint[])',
          [[...unseen]],
        );
        const at = Date.now();
        for (const r of rows) {
          unseen.delete(r.device_id);
          if (!seen.has(r.device_id)) seen.set(r.device_id, at);
        }
        await sleep(10);
      }
    })();
    for (const [i, c] of linli.children.entries()) {
      c.post({
        type: 'go',
        durationMs: (WARMUP + SECONDS) * 1000,
        intervalMs: latencyInterval,
        sos: sosPlan.filter((s) => Math.floor((s.id - DEVICE_ID0) / per) === i),
      });
    }
    await sleep(WARMUP * 1000);
    telLat.length = 0;
    const l0 = ingest.stats();
    t = Date.now();
    await sleep(SECONDS * 1000);
    const latencyStoredPerS = Math.round((ingest.stats().stored - l0.stored) / ((Date.now() - t) / 1000));
    const telemetry = telLat.splice(0);
    await stopPublishers(linli.children);
    await sleep(1000);
    polling = false;
    await poller;
    const alarmLat = [...sent].filter(([id]) => seen.has(id)).map(([id, at]) => seen.get(id)! - at);
    const dead = await db.query<{ reason: string; n: number }>(
      'SELECT reason, sum(count)::int AS n FROM device_dead_letters GROUP BY reason ORDER BY 2 DESC',
    );
    const st = ingest.stats();
    await exitPublishers(linli.children);
    await broker.close();
    await ingest.close();

    // 2. The broker's ceiling: the same publishers, a bare broker, a subscriber that does nothing.
    const bare = mqttUrl ? { url: mqttUrl, close: async () => undefined } : await startBareBroker();
    let delivered = 0;
    const sub = mqtt.connect(bare.url, { clientId: `bench-sub-${salt.slice(0, 4)}`, clean: true });
    await new Promise<void>((r) => sub.once('connect', () => r()));
    await sub.subscribeAsync(['linli/+/telemetry', 'linli/+/event'], { qos: 1 });
    sub.on('message', () => {
      delivered++;
    });
    log('the same publishers against the bare broker…');
    t = Date.now();
    const ceiling = await startPublishers(bare.url, salt);
    log(`  ${ceiling.connected.toLocaleString()} connected in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    for (const c of ceiling.children) c.post({ type: 'go', durationMs: (WARMUP + SECONDS) * 1000, sos: [] });
    await sleep(WARMUP * 1000);
    const d0 = delivered;
    const c0 = sum(ceiling.children, 'acked');
    const cp0 = sum(ceiling.children, 'cpuMs');
    t = Date.now();
    await sleep(SECONDS * 1000);
    const w2 = (Date.now() - t) / 1000;
    const ceilingPerS = Math.round((delivered - d0) / w2);
    const ceilingAckedPerS = Math.round((sum(ceiling.children, 'acked') - c0) / w2);
    const ceilingPubCpu = (sum(ceiling.children, 'cpuMs') - cp0) / w2 / 10;
    await stopPublishers(ceiling.children);
    await exitPublishers(ceiling.children);
    await sub.endAsync(true);
    await bare.close();
    const paceCap = Math.round((DEVICES * 1000) / INTERVAL_MS);

    // 3. The timed rules over 100,000 meters.
    const now = new Date();
    log(`seeding ${METERS.toLocaleString()} water meters and ${(METERS * 13).toLocaleString()} readings in SQL…`);
    t = Date.now();
    await seedMeters(db, salt, now);
    log(`  seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
    const probe = await db.query<{ n: number }>(
      `SELECT count(l.value)::int AS n FROM devices d
         JOIN LATERAL (SELECT value FROM telemetry t WHERE t.device_id = d.id AND t.metric = 'total_l' AND t.ts <= $1
                        ORDER BY t.ts DESC LIMIT 1) l ON true
        WHERE d.type_code = 'water_meter' AND d.status = 'active'`,
      [now],
    );
    const probeS = (Date.now() - t) / 1000;
    t = Date.now();
    const evaluation = await evaluateTimedRules(deps, now);
    const evalS = (Date.now() - t) / 1000;

    const r2 = (x: number) => Math.round(x * 100) / 100;
    // What the machine's load does not change much: messages stored per CPU second of Linli and its PostgreSQL.
    const cpuPerMsg = pgCpu === null ? null : Math.round(msgPerS / ((serverCpu + pgCpu) / 100));
    const result = {
      bench: 'ingest',
      db: kind,
      broker: mqttUrl ? 'external' : 'embedded',
      devices: DEVICES,
      connected: linli.connected,
      publishers: PUBLISHERS,
      seconds: SECONDS,
      interval_ms: INTERVAL_MS,
      pace_cap_msg_per_s: paceCap,
      msg_per_s: msgPerS,
      acked_per_s: ackedPerS,
      target_msg_per_s: 20_000,
      msg_per_cpu_s: cpuPerMsg,
      latency_load_msg_per_s: latencyStoredPerS,
      alarm_p50_ms: pct(alarmLat, 50),
      alarm_p99_ms: pct(alarmLat, 99),
      alarm_samples: alarmLat.length,
      sos_sent: sent.size,
      target_alarm_p99_ms: 1000,
      sos_puback_p50_ms: pct(ackLat, 50),
      sos_puback_p99_ms: pct(ackLat, 99),
      telemetry_puback_p50_ms: pct(telemetry, 50),
      telemetry_puback_p99_ms: pct(telemetry, 99),
      broker_ceiling_msg_per_s: ceilingPerS,
      broker_ceiling_acked_per_s: ceilingAckedPerS,
      ratio: ceilingPerS > 0 ? r2(msgPerS / ceilingPerS) : null,
      cpu_pct: {
        machine: Math.round(machineCpu),
        server: Math.round(serverCpu),
        publishers: Math.round(pubCpu),
        postgres: pgCpu === null ? null : Math.round(pgCpu),
        others: pgCpu === null ? null : Math.max(0, Math.round(machineCpu - serverCpu - pubCpu - pgCpu)),
        ceiling_publishers: Math.round(ceilingPubCpu),
        cores: os.cpus().length,
      },
      ingest: {
        batches: st.batches,
        failed_batches: st.failedBatches,
        dead_lettered: st.deadLettered,
        throttled: st.throttled,
      },
      dead_letters: Object.fromEntries(dead.map((d) => [d.reason, d.n])),
      meters: METERS,
      silence_eval_100k_s: r2(evalS),
      silence_evaluated: evaluation.evaluated,
      silence_raised: evaluation.raised,
      target_silence_eval_s: 5,
      probe_per_meter_s: r2(probeS),
      probe_rows: probe[0]?.n ?? 0,
    };
    const out = (s: string) => process.stdout.write(`${s}\n`);
    out(
      `ingest (${kind}, ${result.broker} broker): ${msgPerS.toLocaleString()} msg/s stored through validation, rules and storage (target ≥ 20,000); ` +
        `publishers had ${ackedPerS.toLocaleString()} acked/s; pace cap ${paceCap.toLocaleString()}/s`,
    );
    out(
      `broker ceiling in the same run (bare broker, subscriber doing nothing, same publishers): ${ceilingPerS.toLocaleString()} msg/s → ratio ${result.ratio}`,
    );
    out(
      `alarm latency publish → alarm row committed (${alarmLat.length} of ${sent.size} SOS, under ${latencyStoredPerS.toLocaleString()} msg/s of telemetry): p50 ${result.alarm_p50_ms} ms, p99 ${result.alarm_p99_ms} ms (target p99 < 1000 ms); ` +
        `baseline: PUBACK of plain telemetry (its batch committed) p50 ${result.telemetry_puback_p50_ms} ms, p99 ${result.telemetry_puback_p99_ms} ms`,
    );
    out(
      `CPU over the window (% of one core; ${os.cpus().length} cores): machine ${result.cpu_pct.machine}, Linli process ${result.cpu_pct.server}, publishers ${result.cpu_pct.publishers}` +
        (result.cpu_pct.postgres === null
          ? ''
          : `, PostgreSQL backends of this database ${result.cpu_pct.postgres}, everything else on the machine (other sessions) ${result.cpu_pct.others}; ${cpuPerMsg?.toLocaleString()} msg per CPU second of Linli + PostgreSQL`),
    );
    out(
      `timed rules over ${METERS.toLocaleString()} meters: evaluateTimedRules ${result.silence_eval_100k_s} s (${evaluation.evaluated.toLocaleString()} devices, ${evaluation.raised} raised; target < 5 s); ` +
        `baseline: one index probe per meter in one statement ${result.probe_per_meter_s} s`,
    );
    out(JSON.stringify(result));
  } finally {
    await jobs?.stop();
    await drop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
