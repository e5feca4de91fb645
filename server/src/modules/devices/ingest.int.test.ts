import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Broker, startBroker } from '../../platform/mqtt/broker.js';
import { buildTestDevice, ensureIngestTypes, T_METER, type TestDevice } from '../../test/ingest-fixtures.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { until } from '../../test/until.js';
import { raiseAlarms } from './alarms.service.js';
import { createIngest, type Ingest, invalidate } from './ingest.service.js';

/**
 * Ingest end to end on a real database: the HTTP route and the embedded broker with its gate. Every bad input of
 * the issue is refused or dead-lettered with its reason, beside a positive control that is stored.
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

type Dead = { reason: string; device_id: number | null; via: string; detail: string | null; count: number };

async function deadLetters(env: TestEnv, deviceId: number | null): Promise<Dead[]> {
  return env.db.query<Dead>(
    `SELECT reason, device_id, via, detail, count FROM device_dead_letters
      WHERE device_id IS NOT DISTINCT FROM $1 ORDER BY id`,
    [deviceId],
  );
}

async function readings(env: TestEnv, deviceId: number): Promise<{ metric: string; value: number; ts: Date }[]> {
  return env.db.query('SELECT metric, value, ts FROM telemetry WHERE device_id = $1 ORDER BY ts, metric', [deviceId]);
}

async function alarmsOf(env: TestEnv, deviceId: number) {
  return env.db.query<{ rule_id: number; status: string; trigger_count: number; detail: Record<string, unknown> }>(
    'SELECT rule_id, status, trigger_count, detail FROM alarms WHERE device_id = $1 ORDER BY id',
    [deviceId],
  );
}

function post(env: TestEnv, id: number | string, token: string | null, body: unknown) {
  return env.app.inject({
    method: 'POST',
    url: `/api/ingest/devices/${id}/messages`,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const MIN = 60_000;

describeEachDb('device ingest', (env) => {
  let rules: { hrHigh: number; sos: number };
  let dev: TestDevice;
  const base = Date.now() - 30 * MIN;

  beforeAll(async () => {
    rules = await ensureIngestTypes(env.db);
    dev = await buildTestDevice(env.db, { nodeId: env.ids.building! });
  });

  describe('over HTTP', () => {
    it('stores a reading with its hourly roll-up, once: a redelivery by timestamp is a duplicate', async () => {
      const msg = { ts: base, values: { heart_rate: 72, systolic: 118 } };
      const first = await post(env, dev.id, dev.token, msg);
      expect([first.statusCode, first.json()]).toEqual([202, { accepted: 1, duplicates: 0, rejected: [] }]);
      const again = await post(env, dev.id, dev.token, msg);
      expect([again.statusCode, again.json()]).toEqual([202, { accepted: 0, duplicates: 1, rejected: [] }]);
      expect((await readings(env, dev.id)).map((r) => [r.metric, r.value, r.ts.getTime()])).toEqual([
        ['heart_rate', 72, base],
        ['systolic', 118, base],
      ]);
      const hourly = await env.db.query<{ n: number; sum: number }>(
        `SELECT n, sum FROM telemetry_hourly WHERE device_id = $1 AND metric = 'heart_rate'`,
        [dev.id],
      );
      expect(hourly).toEqual([{ n: 1, sum: 72 }]);
      const seen = await env.db.query<{ last_seen_at: Date | null }>('SELECT last_seen_at FROM devices WHERE id = $1', [
        dev.id,
      ]);
      expect(seen[0]?.last_seen_at).not.toBeNull();
    });

    it('merges the hour: count, sum, min, max, first and last by time, whatever the arrival order', async () => {
      const hour = Math.floor((Date.now() - 2 * 3600_000) / 3600_000) * 3600_000;
      const m = await buildTestDevice(env.db, { nodeId: env.ids.building!, typeCode: T_METER });
      const r1 = await post(env, m.id, m.token, [
        { ts: hour + 20 * MIN, values: { total_l: 120 } },
        { ts: hour + 40 * MIN, values: { total_l: 150 } },
      ]);
      expect(r1.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      // an earlier reading arriving late, and a repeat that must not count twice
      const r2 = await post(env, m.id, m.token, [
        { ts: hour + 5 * MIN, values: { total_l: 100 } },
        { ts: hour + 40 * MIN, values: { total_l: 150 } },
      ]);
      expect(r2.json()).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
      const rows = await env.db.query(
        `SELECT n, sum, min, max, first_ts, first_value, last_ts, last_value FROM telemetry_hourly
          WHERE device_id = $1`,
        [m.id],
      );
      expect(rows).toEqual([
        {
          n: 3,
          sum: 370,
          min: 100,
          max: 150,
          first_ts: new Date(hour + 5 * MIN),
          first_value: 100,
          last_ts: new Date(hour + 40 * MIN),
          last_value: 150,
        },
      ]);
    });

    it('treats a repeated message id without a timestamp as a duplicate', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const a = await post(env, d.id, d.token, { id: 'msg-0001', values: { heart_rate: 80 } });
      const b = await post(env, d.id, d.token, { id: 'msg-0001', values: { heart_rate: 80 } });
      expect([a.json(), b.json()]).toEqual([
        { accepted: 1, duplicates: 0, rejected: [] },
        { accepted: 0, duplicates: 1, rejected: [] },
      ]);
      expect(await readings(env, d.id)).toHaveLength(1);
    });

    it('raises an alarm for a reading over the threshold, and a redelivery does not trigger it again', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const msg = { ts: base + MIN, values: { heart_rate: 150 } };
      expect((await post(env, d.id, d.token, msg)).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect((await post(env, d.id, d.token, msg)).json()).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
      // a normal reading beside it raises nothing
      await post(env, d.id, d.token, { ts: base + 2 * MIN, values: { heart_rate: 70 } });
      const alarms = await alarmsOf(env, d.id);
      expect(alarms.map((a) => [a.rule_id, a.status, a.trigger_count, a.detail.value])).toEqual([
        [rules.hrHigh, 'active', 1, 150],
      ]);
    });

    it('raises an SOS event once, stored in device_events', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const sos = { ts: base + 3 * MIN, event: 'sos', data: { button: 1 } };
      expect((await post(env, d.id, d.token, sos)).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect((await post(env, d.id, d.token, sos)).json()).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
      const events = await env.db.query('SELECT event, data FROM device_events WHERE device_id = $1', [d.id]);
      expect(events).toEqual([{ event: 'sos', data: { button: 1 } }]);
      expect((await alarmsOf(env, d.id)).map((a) => [a.rule_id, a.trigger_count])).toEqual([[rules.sos, 1]]);
    });

    it('refuses an unknown device, a wrong token and none at all with 401, each dead-lettered', async () => {
      const unknown = await post(env, 99_999_999, dev.token, { values: { heart_rate: 70 } });
      expect([unknown.statusCode, unknown.json().code]).toEqual([401, 'DEVICE_AUTH_FAILED']);
      expect((await deadLetters(env, 99_999_999)).map((d) => [d.reason, d.via])).toEqual([['unknown_device', 'http']]);

      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const other = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const wrong = await post(env, d.id, other.token, { ts: base, values: { heart_rate: 70 } });
      const none = await post(env, d.id, null, { ts: base, values: { heart_rate: 70 } });
      expect([wrong.statusCode, wrong.json().code, none.statusCode, none.json().code]).toEqual([
        401,
        'DEVICE_AUTH_FAILED',
        401,
        'DEVICE_AUTH_FAILED',
      ]);
      expect((await deadLetters(env, d.id)).map((x) => [x.reason, x.detail])).toEqual([
        ['bad_credentials', 'wrong token'],
        ['bad_credentials', 'no bearer token'],
      ]);
      expect(await readings(env, d.id)).toEqual([]);
      // the positive control: its own token
      expect((await post(env, d.id, d.token, { ts: base, values: { heart_rate: 70 } })).statusCode).toBe(202);
      expect(await readings(env, d.id)).toHaveLength(1);
    });

    it('refuses a disabled device', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building!, status: 'disabled' });
      const res = await post(env, d.id, d.token, { values: { heart_rate: 70 } });
      expect([res.statusCode, res.json().code]).toEqual([403, 'DEVICE_DISABLED']);
      expect((await deadLetters(env, d.id)).map((x) => x.reason)).toEqual(['device_disabled']);
    });

    it('dead-letters invalid JSON from an authenticated device and refuses it with 400', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const res = await post(env, d.id, d.token, '{"values": {"heart_rate": 7');
      expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION']);
      expect((await deadLetters(env, d.id)).map((x) => [x.reason, x.via])).toEqual([['invalid_json', 'http']]);
    });

    it('rejects wrong types, absurd values, unknown metrics and events, and timestamps out of bounds, storing the rest', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const m = await buildTestDevice(env.db, { nodeId: env.ids.building!, typeCode: T_METER });
      const now = Date.now();
      const res = await post(env, d.id, d.token, [
        { ts: base, values: { heart_rate: '80' } },
        { ts: base, values: { heart_rate: 900 } },
        { ts: base, values: { steps: 1000 } },
        { ts: base, event: 'fire' },
        { ts: now + 3600_000, values: { heart_rate: 70 } },
        { ts: now - 30 * 24 * 3600_000, values: { heart_rate: 70 } },
        { ts: 'yesterday', values: { heart_rate: 70 } },
        { ts: base, values: { heart_rate: 70 }, extra: true },
        42,
        { ts: base + 10 * MIN, values: { heart_rate: 66 } },
      ]);
      expect(res.statusCode).toBe(202);
      const body = res.json();
      expect([body.accepted, body.duplicates]).toEqual([1, 0]);
      expect(body.rejected.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
        [0, 'invalid_message'],
        [1, 'value_out_of_range'],
        [2, 'unknown_metric'],
        [3, 'unknown_event'],
        [4, 'timestamp_future'],
        [5, 'timestamp_past'],
        [6, 'invalid_message'],
        [7, 'invalid_message'],
        [8, 'invalid_message'],
      ]);
      expect((await deadLetters(env, d.id)).map((x) => x.reason)).toEqual(
        body.rejected.map((r: { reason: string }) => r.reason),
      );
      expect((await readings(env, d.id)).map((r) => r.value)).toEqual([66]);
      // negative litres on a water meter
      const neg = await post(env, m.id, m.token, [
        { ts: base, values: { total_l: -5 } },
        { ts: base, values: { total_l: 5 } },
      ]);
      expect(neg.json()).toEqual({
        accepted: 1,
        duplicates: 0,
        rejected: [{ index: 0, reason: 'value_out_of_range', detail: 'values.total_l = -5 outside [0, 100000000]' }],
      });
      expect((await readings(env, m.id)).map((r) => r.value)).toEqual([5]);
    });

    it('refuses more than 500 messages in one request', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const many = Array.from({ length: 501 }, (_, i) => ({ ts: base + i * 1000, values: { heart_rate: 70 } }));
      const res = await post(env, d.id, d.token, many);
      expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION']);
      expect(await readings(env, d.id)).toEqual([]);
    });
  });

  describe('the configuration cache', () => {
    it('stops taking a rotated token at once when the registry invalidates the device', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      expect((await post(env, d.id, d.token, { ts: base, values: { heart_rate: 70 } })).statusCode).toBe(202);
      const fresh = randomBytes(32).toString('base64url');
      await env.db.query('UPDATE devices SET secret_hash = $2 WHERE id = $1', [
        d.id,
        createHash('sha256').update(fresh).digest(),
      ]);
      invalidate(d.id);
      const old = await post(env, d.id, d.token, { ts: base + MIN, values: { heart_rate: 70 } });
      expect([old.statusCode, old.json().code]).toEqual([401, 'DEVICE_AUTH_FAILED']);
      const now = await post(env, d.id, fresh, { ts: base + MIN, values: { heart_rate: 70 } });
      expect([now.statusCode, now.json()]).toEqual([202, { accepted: 1, duplicates: 0, rejected: [] }]);
    });
  });

  describe('a batch that fails', () => {
    it('is retried message by message: the one that cannot be stored is dead-lettered, the others are kept', async () => {
      const good = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const poison = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      // the real alarms service, failing for one device's triggers (as a broken rule or row would)
      const ingest = createIngest({
        db: env.db,
        batchMs: 50,
        raise: async (tx, triggers) => {
          if (triggers.some((t) => t.deviceId === poison.id)) throw new Error('cannot raise for this device');
          return raiseAlarms({ db: env.db, pii: env.pii, jobs: env.jobs }, tx, triggers);
        },
      });
      try {
        const ts = base + 5 * MIN;
        await Promise.all([
          ingest.handleMqtt(
            String(good.id),
            `linli/${good.id}/telemetry`,
            Buffer.from(JSON.stringify({ ts, values: { heart_rate: 150 } })),
          ),
          ingest.handleMqtt(
            String(poison.id),
            `linli/${poison.id}/telemetry`,
            Buffer.from(JSON.stringify({ ts, values: { heart_rate: 150 } })),
          ),
          ingest.handleMqtt(
            String(good.id),
            `linli/${good.id}/telemetry`,
            Buffer.from(JSON.stringify({ ts: ts + 1000, values: { heart_rate: 70 } })),
          ),
        ]);
        expect(ingest.stats()).toMatchObject({ batches: 1, failedBatches: 1 });
        expect((await readings(env, good.id)).map((r) => r.value)).toEqual([150, 70]);
        expect((await alarmsOf(env, good.id)).map((a) => a.rule_id)).toEqual([rules.hrHigh]);
        expect(await readings(env, poison.id)).toEqual([]);
        expect((await deadLetters(env, poison.id)).map((x) => [x.reason, x.detail])).toEqual([
          ['invalid_message', 'not stored: cannot raise for this device'],
        ]);
        // and the loop goes on
        await ingest.handleMqtt(
          String(good.id),
          `linli/${good.id}/telemetry`,
          Buffer.from(JSON.stringify({ ts: ts + 2000, values: { heart_rate: 71 } })),
        );
        expect(await readings(env, good.id)).toHaveLength(3);
      } finally {
        await ingest.close();
      }
    });
  });

  describe('the dead-letter list', () => {
    it('shows an area its own devices’ dead letters, and rows of unknown devices only to a global scope', async () => {
      const inside = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      await post(env, inside.id, inside.token, '{oops');
      await post(env, 88_888_888, 'x', { values: {} });
      const list = async (user: string, q = '') => {
        const res = await env.as(user, { method: 'GET', url: `/api/device-dead-letters?pageSize=200${q}` });
        expect(res.statusCode).toBe(200);
        return res.json() as { items: { deviceId: number | null; reason: string }[]; total: number };
      };
      const admin = await list('admin');
      expect(admin.items.some((i) => i.deviceId === 88_888_888 && i.reason === 'unknown_device')).toBe(true);
      expect(admin.items.some((i) => i.deviceId === inside.id && i.reason === 'invalid_json')).toBe(true);
      const community = await list('shequ');
      expect(community.items.some((i) => i.deviceId === inside.id && i.reason === 'invalid_json')).toBe(true);
      expect(community.items.some((i) => i.deviceId === 88_888_888)).toBe(false);
      const filtered = await list('shequ', `&deviceId=${inside.id}&reason=invalid_json`);
      expect(filtered.items.map((i) => [i.deviceId, i.reason])).toEqual([[inside.id, 'invalid_json']]);
      expect(filtered.total).toBe(1);
      const resident = await env.as('jumin', { method: 'GET', url: '/api/device-dead-letters' });
      expect([resident.statusCode, resident.json().code]).toEqual([403, 'FORBIDDEN']);
    });
  });

  describe('over the embedded broker', () => {
    let port: number;
    let broker: Broker;
    let ingest: Ingest;
    const clients: MqttClient[] = [];
    const connect = async (username: string, password: string) => {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
        username,
        password,
        reconnectPeriod: 0,
        connectTimeout: 3000,
      });
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      port = await freePort();
      ingest = createIngest({
        db: env.db,
        raise: (tx, t) => raiseAlarms({ db: env.db, pii: env.pii, jobs: env.jobs }, tx, t),
      });
      const b = await startBroker({ embeddedPort: port, gate: ingest });
      if (!b) throw new Error('no broker');
      broker = b;
    });
    afterAll(async () => {
      for (const c of clients) await c.endAsync(true).catch(() => undefined);
      await broker?.close();
      await ingest?.close();
    });

    it('lets the server’s own client in with its internal credential, and refuses wrong device credentials', async () => {
      expect(broker.isReady()).toBe(true);
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      await expect(connect(String(d.id), 'not-the-token')).rejects.toThrow(/Not authorized/i);
      await expect(connect('77777777', d.token)).rejects.toThrow(/Not authorized/i);
      await expect(connect('anonymous', '')).rejects.toThrow(/Not authorized/i);
      const ok = await connect(String(d.id), d.token);
      expect(ok.connected).toBe(true);
    });

    it('acknowledges a QoS 1 message only once it is stored, and raises its alarm', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const c = await connect(String(d.id), d.token);
      await c.publishAsync(`linli/${d.id}/telemetry`, JSON.stringify({ ts: base, values: { heart_rate: 140 } }), {
        qos: 1,
      });
      // no waiting: the PUBACK came after the commit
      expect((await readings(env, d.id)).map((r) => r.value)).toEqual([140]);
      expect((await alarmsOf(env, d.id)).map((a) => a.rule_id)).toEqual([rules.hrHigh]);
      // QoS 1 redelivery (DUP) of the same reading: stored once, the alarm not triggered again
      await c.publishAsync(`linli/${d.id}/telemetry`, JSON.stringify({ ts: base, values: { heart_rate: 140 } }), {
        qos: 1,
        dup: true,
      });
      expect(await readings(env, d.id)).toHaveLength(1);
      expect((await alarmsOf(env, d.id)).map((a) => a.trigger_count)).toEqual([1]);
    });

    it('dead-letters invalid JSON and wrong payloads on a device’s own topics, and keeps taking messages', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const c = await connect(String(d.id), d.token);
      await c.publishAsync(`linli/${d.id}/telemetry`, 'not json', { qos: 1 });
      // binary garbage with NUL bytes (text columns cannot hold NUL)
      await c.publishAsync(`linli/${d.id}/telemetry`, Buffer.from([0x7b, 0x00, 0xff, 0x00]), { qos: 1 });
      await c.publishAsync(`linli/${d.id}/telemetry`, JSON.stringify({ event: 'sos' }), { qos: 1 });
      await c.publishAsync(`linli/${d.id}/event`, JSON.stringify({ values: { heart_rate: 80 } }), { qos: 1 });
      await c.publishAsync(`linli/${d.id}/telemetry`, JSON.stringify({ values: { heart_rate: 900 } }), { qos: 1 });
      await c.publishAsync(`linli/${d.id}/telemetry`, JSON.stringify({ ts: base, values: { heart_rate: 61 } }), {
        qos: 1,
      });
      expect((await deadLetters(env, d.id)).map((x) => [x.reason, x.via])).toEqual([
        ['invalid_json', 'mqtt'],
        ['invalid_json', 'mqtt'],
        ['invalid_message', 'mqtt'],
        ['invalid_message', 'mqtt'],
        ['value_out_of_range', 'mqtt'],
      ]);
      expect((await readings(env, d.id)).map((r) => r.value)).toEqual([61]);
    });

    it('refuses a publish to another device’s topic (recorded, connection closed) and a subscription to it', async () => {
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const victim = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const c = await connect(String(d.id), d.token);
      // refused subscriptions come back as 128, which mqtt.js reports as an error
      await expect(c.subscribeAsync(`linli/${victim.id}/telemetry`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
      await expect(c.subscribeAsync('linli/+/telemetry', { qos: 1 })).rejects.toThrow(/Subscribe error/);
      const own = await c.subscribeAsync(`linli/${d.id}/cmd`, { qos: 1 });
      expect(own.map((g) => g.qos)).toEqual([1]);
      const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
      c.publish(`linli/${victim.id}/telemetry`, JSON.stringify({ ts: base, values: { heart_rate: 150 } }), { qos: 1 });
      await closed;
      expect((await deadLetters(env, d.id)).map((x) => [x.reason, x.via])).toEqual([['forbidden_topic', 'mqtt']]);
      expect(await readings(env, victim.id)).toEqual([]);
      expect(await alarmsOf(env, victim.id)).toEqual([]);
    });
  });

  describe('through an external broker (MQTT_URL)', () => {
    it('acknowledges each QoS 1 message to the broker only after it is committed', async () => {
      // the "external" broker: a bare aedes, whose 'ack' event shows when Linli's subscriber acknowledges
      const aedes = await Aedes.createBroker();
      const server = net.createServer(aedes.handle);
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
      const d = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      // one subscriber connection: the messages reach it, and its PUBACKs return, in the order they were sent
      let acks = 0;
      const ackedBeforeCommit: boolean[] = [];
      const storedAtAck: Promise<boolean>[] = [];
      aedes.on('ack', () => {
        const k = ++acks;
        // by the k-th acknowledgement at least k readings are stored
        storedAtAck.push(readings(env, d.id).then((rows) => rows.length >= k));
      });
      const subscribed = new Promise<void>((resolve) =>
        aedes.on('subscribe', (subs) => {
          if (subs.some((x) => x.topic === 'linli/+/telemetry')) resolve();
        }),
      );
      const ingest = createIngest({
        db: env.db,
        raise: async (tx, triggers) => {
          // inside the transaction, before its commit: message i (heart rate 130 + i) must not be acknowledged yet
          for (const t of triggers) ackedBeforeCommit.push(acks > Number(t.detail.value) - 130);
          return raiseAlarms({ db: env.db, pii: env.pii, jobs: env.jobs }, tx, triggers);
        },
      });
      const linli = await startBroker({
        mqttUrl: `mqtt://127.0.0.1:${port}`,
        embeddedPort: 0,
        gate: ingest,
        subscribers: 1,
        // aedes has no shared subscriptions: a plain one (Mosquitto's shared group: ingest.reliability.int.test.ts)
        sharedGroup: null,
      });
      const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
      try {
        await subscribed;
        for (let i = 0; i < 20; i++)
          await device.publishAsync(
            `linli/${d.id}/telemetry`,
            JSON.stringify({ ts: base + i * 1000, values: { heart_rate: 130 + i } }),
            { qos: 1 },
          );
        await until(async () => acks >= 20, 'the acknowledgements of all 20 messages');
        expect(await Promise.all(storedAtAck)).toEqual(Array.from({ length: 20 }, () => true));
        expect(ackedBeforeCommit).toEqual(Array.from({ length: 20 }, () => false));
        expect(await readings(env, d.id)).toHaveLength(20);
        expect((await alarmsOf(env, d.id)).map((a) => a.trigger_count)).toEqual([20]);
      } finally {
        await device.endAsync(true);
        await linli?.close();
        await ingest.close();
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('a flood from one device', () => {
    it('is throttled and reported with a count, while another device’s messages still arrive', async () => {
      const t0 = Date.now();
      // a frozen clock: no tokens come back during the test, so the burst is exact
      const ingest = createIngest({
        db: env.db,
        now: () => t0,
        raise: (tx, t) => raiseAlarms({ db: env.db, pii: env.pii, jobs: env.jobs }, tx, t),
      });
      const port = await freePort();
      const broker = await startBroker({ embeddedPort: port, gate: ingest });
      const noisy = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const quiet = await buildTestDevice(env.db, { nodeId: env.ids.building! });
      const url = `mqtt://127.0.0.1:${port}`;
      const a = await mqtt.connectAsync(url, { username: String(noisy.id), password: noisy.token, reconnectPeriod: 0 });
      const b = await mqtt.connectAsync(url, { username: String(quiet.id), password: quiet.token, reconnectPeriod: 0 });
      try {
        const flood = Array.from({ length: 200 }, (_, i) =>
          a.publishAsync(
            `linli/${noisy.id}/telemetry`,
            JSON.stringify({ ts: t0 - 200_000 + i * 1000, values: { heart_rate: 70 } }),
            {
              qos: 1,
            },
          ),
        );
        const calm = Array.from({ length: 5 }, (_, i) =>
          b.publishAsync(
            `linli/${quiet.id}/telemetry`,
            JSON.stringify({ ts: t0 - 60_000 + i * 1000, values: { heart_rate: 71 } }),
            {
              qos: 1,
            },
          ),
        );
        await Promise.all([...flood, ...calm]);
        expect(await readings(env, quiet.id)).toHaveLength(5);
        expect(await readings(env, noisy.id)).toHaveLength(60);
        expect(ingest.stats().throttled).toBe(140);
      } finally {
        await a.endAsync(true);
        await b.endAsync(true);
        await broker?.close();
        await ingest.close();
      }
      // one row for the minute, standing for every throttled message
      expect((await deadLetters(env, noisy.id)).map((x) => [x.reason, x.count])).toEqual([['throttled', 140]]);
      expect(await deadLetters(env, quiet.id)).toEqual([]);
    });
  });
});
