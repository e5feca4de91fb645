import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openPostgres } from '../../platform/db/client.js';
import { createJobs, type Jobs } from '../../platform/jobs/index.js';
import { type Broker, startBroker } from '../../platform/mqtt/broker.js';
import { createPiiCipher } from '../../platform/pii/index.js';
import { buildTestDevice, ensureIngestTypes, type TestDevice } from '../../test/ingest-fixtures.js';
import { createTestDb, testDbKinds } from '../../test/test-db.js';
import { until } from '../../test/until.js';
import { raiseAlarms } from './alarms.service.js';
import { createIngest, type Ingest } from './ingest.service.js';

/**
 * Reliability (the "Reliability"): a message Linli acknowledged is never lost, even when the server is
 * killed with SIGKILL while devices publish; two instances on one database and one broker raise each alarm once.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** One county node to install the test devices at. */
async function seedPlace(db: Db): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO org_nodes (id, county_id, type, name, path, depth) VALUES (1, 1, 'county', '测试县', '/1/', 0)
     ON CONFLICT DO NOTHING RETURNING id`,
  );
  return rows[0]?.id ?? 1;
}

/** Per device: the count of readings of heart_rate above 120 stored, and its alarms for the rule. */
async function alarmState(db: Db, deviceIds: number[], ruleId: number) {
  return db.query<{ device_id: number; high: number; alarms: number; triggers: number }>(
    `SELECT d.id AS device_id,
            (SELECT count(*)::int FROM telemetry t
              WHERE t.device_id = d.id AND t.metric = 'heart_rate' AND t.value > 120) AS high,
            (SELECT count(*)::int FROM alarms a WHERE a.device_id = d.id AND a.rule_id = $2) AS alarms,
            (SELECT COALESCE(sum(trigger_count), 0)::int FROM alarms a WHERE a.device_id = d.id AND a.rule_id = $2)
              AS triggers
       FROM devices d WHERE d.id = ANY($1::bigint[]) ORDER BY d.id`,
    [deviceIds, ruleId],
  );
}

const postgresOnly = testDbKinds().includes('postgres');

if (postgresOnly) {
  describe('a server killed with SIGKILL while devices publish [postgres]', () => {
    let db: Db;
    let drop: () => Promise<void>;
    let child: ChildProcess | null = null;

    beforeAll(async () => {
      ({ db, drop } = await createTestDb('postgres'));
    });
    afterAll(async () => {
      child?.kill('SIGKILL');
      await drop?.();
    });

    async function startServer(port: number): Promise<ChildProcess> {
      const script = fileURLToPath(new URL('../../test/ingest-kill-server.ts', import.meta.url));
      const c = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: path.resolve(path.dirname(script), '../../..'),
        env: { ...process.env, INGEST_TEST_DB_URL: db.connectionString!, INGEST_TEST_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      c.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      await new Promise<void>((resolve, reject) => {
        c.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready')) resolve();
        });
        c.once('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
      });
      return c;
    }

    it('stores every reading it acknowledged and raises each due alarm once', async () => {
      const nodeId = await seedPlace(db);
      const { hrHigh } = await ensureIngestTypes(db);
      // a fast reporting type, so that the flood limit does not throttle the test's publishers
      await db.query(`UPDATE device_types SET report_interval_s = 1 WHERE code = 'ingest_bracelet'`);
      const devices: TestDevice[] = [];
      for (let i = 0; i < 4; i++) devices.push(await buildTestDevice(db, { nodeId }));
      const port = await freePort();
      child = await startServer(port);

      const acked: { deviceId: number; ts: number }[] = [];
      const t0 = Date.now() - 3600_000;
      const clients: MqttClient[] = [];
      let stop = false;
      let seq = 0;
      const publishers = devices.map(async (d, di) => {
        const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
          username: String(d.id),
          password: d.token,
          reconnectPeriod: 200,
          connectTimeout: 2000,
          clientId: `dev-${d.id}`,
        });
        c.on('error', () => undefined);
        clients.push(c);
        for (let i = 0; !stop; i++) {
          const ts = t0 + i * 1000;
          // every tenth reading is over the threshold
          const hr = i % 10 === 5 ? 150 + di : 70;
          try {
            await c.publishAsync(`linli/${d.id}/telemetry`, JSON.stringify({ ts, values: { heart_rate: hr } }), {
              qos: 1,
            });
            acked.push({ deviceId: d.id, ts });
            seq++;
            // under the type's flood limit (10 a second for a type reporting every second)
            await new Promise((r) => setTimeout(r, 120));
          } catch {
            // refused while the server is down: not acknowledged, so nothing is owed
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      });

      await until(async () => seq >= 200, '200 acknowledged messages');
      child.kill('SIGKILL');
      await new Promise<void>((resolve) => child?.once('exit', () => resolve()));
      const ackedAtKill = acked.length;
      child = await startServer(port);
      await until(async () => seq >= ackedAtKill + 100, '100 more after the restart');
      stop = true;
      // the last in-flight publishes complete (acked or not)
      await Promise.race([Promise.all(publishers), new Promise((r) => setTimeout(r, 5000))]);
      for (const c of clients) c.end(true);

      const stored = await db.query<{ device_id: number; ms: number }>(
        `SELECT device_id, (extract(epoch FROM ts) * 1000)::float8 AS ms FROM telemetry WHERE metric = 'heart_rate'`,
      );
      const have = new Set(stored.map((r) => `${r.device_id}:${r.ms}`));
      const missing = acked.filter((a) => !have.has(`${a.deviceId}:${a.ts}`));
      expect(missing).toEqual([]);
      expect(acked.length).toBeGreaterThan(300);

      const state = await alarmState(
        db,
        devices.map((d) => d.id),
        hrHigh,
      );
      for (const s of state) {
        expect(s.high).toBeGreaterThan(0);
        // one open alarm per device and rule, counting each stored high reading exactly once
        expect([s.alarms, s.triggers]).toEqual([1, s.high]);
      }
      child.kill('SIGKILL');
      child = null;
    });
  });
}

type Instance = { db: Db; jobs: Jobs; ingest: Ingest; broker: Broker | null; close: () => Promise<void> };

/** An instance of Linli as far as ingest goes: its own pool (PostgreSQL) or the shared PGlite, jobs, ingest. */
async function instance(
  shared: Db,
  opts: { mqttUrl?: string; embeddedPort?: number; sharedGroup?: string },
): Promise<Instance> {
  const db = shared.kind === 'postgres' ? await openPostgres(shared.connectionString!, { max: 4 }) : shared;
  const pii = createPiiCipher(randomBytes(32));
  const jobs = createJobs(db, { pollingIntervalSeconds: 0.5, cron: false });
  await jobs.start();
  const ingest = createIngest({ db, raise: (tx, t) => raiseAlarms({ db, pii, jobs }, tx, t) });
  const broker =
    opts.mqttUrl || opts.embeddedPort
      ? await startBroker({
          ...(opts.mqttUrl ? { mqttUrl: opts.mqttUrl } : {}),
          embeddedPort: opts.embeddedPort ?? 0,
          gate: ingest,
          ...(opts.sharedGroup ? { sharedGroup: opts.sharedGroup } : {}),
        })
      : null;
  return {
    db,
    jobs,
    ingest,
    broker,
    close: async () => {
      await broker?.close();
      await ingest.close();
      await jobs.stop();
      if (db !== shared) await db.close();
    },
  };
}

for (const kind of testDbKinds()) {
  describe(`two instances on one database [${kind}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let nodeId: number;
    let hrHigh: number;
    const running: Instance[] = [];

    beforeAll(async () => {
      ({ db, drop } = await createTestDb(kind));
      nodeId = await seedPlace(db);
      ({ hrHigh } = await ensureIngestTypes(db));
      await db.query(`UPDATE device_types SET report_interval_s = 1 WHERE code = 'ingest_bracelet'`);
    });
    afterAll(async () => {
      for (const i of running) await i.close();
      await drop?.();
    });

    it('raise each alarm once: devices on the embedded broker of one, the same readings over HTTP to the other', async () => {
      const port = await freePort();
      const a = await instance(db, { embeddedPort: port });
      const b = await instance(db, {});
      running.push(a, b);
      const devices: TestDevice[] = [];
      for (let i = 0; i < 3; i++) devices.push(await buildTestDevice(db, { nodeId }));
      const t0 = Date.now() - 3600_000;
      const messages = (di: number) =>
        Array.from({ length: 30 }, (_, i) => ({
          ts: t0 + i * 1000,
          values: { heart_rate: i % 3 === 0 ? 130 + di : 75 },
        }));
      await Promise.all(
        devices.map(async (d, di) => {
          const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
            username: String(d.id),
            password: d.token,
            reconnectPeriod: 0,
          });
          try {
            // the same readings at once through both instances
            await Promise.all([
              ...messages(di).map((m) => c.publishAsync(`linli/${d.id}/telemetry`, JSON.stringify(m), { qos: 1 })),
              b.ingest.handleHttp(String(d.id), d.token, messages(di)),
            ]);
          } finally {
            await c.endAsync(true);
          }
        }),
      );
      const state = await alarmState(
        db,
        devices.map((d) => d.id),
        hrHigh,
      );
      expect(state.map((s) => [s.high, s.alarms, s.triggers])).toEqual(devices.map(() => [10, 1, 10]));
      const counts = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM telemetry WHERE device_id = ANY($1::bigint[])',
        [devices.map((d) => d.id)],
      );
      expect(counts[0]?.n).toBe(90);
    });
  });
}

/**
 * The local Mosquitto (CI runs one; LINLI_TEST_MQTT_URL): two instances in the shared subscription group split
 * the stream, and devices publish to the broker itself.
 */
const mosquittoUrl = process.env.LINLI_TEST_MQTT_URL || (process.env.CI ? 'mqtt://127.0.0.1:1883' : undefined);
if (mosquittoUrl) {
  const kind = testDbKinds().includes('postgres') ? 'postgres' : 'pglite';
  describe(`two instances on one database and Mosquitto [${kind}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    const running: Instance[] = [];
    beforeAll(async () => {
      ({ db, drop } = await createTestDb(kind));
    });
    afterAll(async () => {
      for (const i of running) await i.close();
      await drop?.();
    });

    it('split the stream through the shared subscription, store every reading once and raise each alarm once', async () => {
      const nodeId = await seedPlace(db);
      const { hrHigh } = await ensureIngestTypes(db);
      await db.query(`UPDATE device_types SET report_interval_s = 1 WHERE code = 'ingest_bracelet'`);
      // a group of the test's own, so that other Linli servers on the same Mosquitto do not take its messages
      const sharedGroup = `linli_test_${randomBytes(4).toString('hex')}`;
      const a = await instance(db, { mqttUrl: mosquittoUrl, sharedGroup });
      const b = await instance(db, { mqttUrl: mosquittoUrl, sharedGroup });
      running.push(a, b);
      expect([a.broker?.isReady(), b.broker?.isReady()]).toEqual([true, true]);
      const devices: TestDevice[] = [];
      for (let i = 0; i < 4; i++) devices.push(await buildTestDevice(db, { nodeId }));
      const t0 = Date.now() - 3600_000;
      // the subscriptions are in place once the server's clients are connected; a probe message confirms it
      await until(async () => {
        const probe = devices[0]!;
        const c = await mqtt.connectAsync(mosquittoUrl, { reconnectPeriod: 0 });
        await c.publishAsync(
          `linli/${probe.id}/telemetry`,
          JSON.stringify({ ts: t0 - 60_000, values: { heart_rate: 60 } }),
          {
            qos: 1,
          },
        );
        await c.endAsync();
        const r = await db.query('SELECT 1 FROM telemetry WHERE device_id = $1', [probe.id]);
        return r.length > 0;
      }, 'the shared subscriptions');

      const c = await mqtt.connectAsync(mosquittoUrl, { reconnectPeriod: 0 });
      try {
        const sends: Promise<unknown>[] = [];
        for (const [di, d] of devices.entries())
          for (let i = 0; i < 25; i++) {
            const m = JSON.stringify({ ts: t0 + i * 1000, values: { heart_rate: i % 5 === 0 ? 140 + di : 72 } });
            // every message twice (a redelivery), possibly to different instances
            sends.push(c.publishAsync(`linli/${d.id}/telemetry`, m, { qos: 1 }));
            sends.push(c.publishAsync(`linli/${d.id}/telemetry`, m, { qos: 1 }));
          }
        await Promise.all(sends);
      } finally {
        await c.endAsync();
      }
      const ids = devices.map((d) => d.id);
      await until(async () => {
        const r = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM telemetry WHERE device_id = ANY($1::bigint[]) AND ts >= $2`,
          [ids, new Date(t0)],
        );
        return r[0]?.n === 100;
      }, 'all 100 readings');
      const statsA = a.ingest.stats();
      const statsB = b.ingest.stats();
      // both instances took part
      expect(statsA.received).toBeGreaterThan(0);
      expect(statsB.received).toBeGreaterThan(0);
      const state = await alarmState(db, ids, hrHigh);
      expect(state.map((s) => [s.high, s.alarms, s.triggers])).toEqual(devices.map(() => [5, 1, 5]));
    });
  });
}
