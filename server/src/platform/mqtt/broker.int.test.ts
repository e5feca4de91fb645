import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createTestDb } from '../../test/test-db.js';
import { loadConfig } from '../config.js';
import type { Db } from '../db/client.js';
import { createJobs } from '../jobs/index.js';
import { createPiiCipher } from '../pii/index.js';
import { type Broker, startBroker } from './broker.js';

/**
 * The broker as the server runs it: the embedded aedes on a port of its own, or an external broker through
 * MQTT_URL (the local Mosquitto on CI), with devices speaking to it over real TCP through mqtt.js, and /ready
 * reporting the server's own connection. The database only answers /ready's `SELECT 1`, so PGlite suffices.
 */

/** A port nobody listens on now (never 1883, where a Mosquitto may run). */
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

/** A device: its own client id, no automatic reconnection (a test decides when it connects). */
function connectDevice(url: string): Promise<MqttClient> {
  return mqtt.connectAsync(url, {
    clientId: `linli-test-device-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: 0,
    connectTimeout: 3000,
  });
}

type Received = { topic: string; payload: string; qos: number };

/** The next message on `topic` that `client` receives, or a rejection after `ms`. */
function nextMessage(client: MqttClient, topic: string, ms = 5000): Promise<Received> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no message on ${topic} within ${ms} ms`));
    }, ms);
    const onMessage = (t: string, payload: Buffer, packet: { qos: number }) => {
      if (t !== topic) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve({ topic: t, payload: payload.toString('utf8'), qos: packet.qos });
    };
    client.on('message', onMessage);
  });
}

/** Polls until `check` holds, for state that changes with the client's own timers (reconnects). */
async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/**
 * A device publishes at QoS 1 (publishAsync resolves on the broker's PUBACK) and `receiver`, subscribed at
 * QoS 1, gets the same message with QoS 1.
 */
async function roundTrip(device: MqttClient, receiver: MqttClient): Promise<void> {
  const topic = `linli-test/${randomBytes(6).toString('hex')}/telemetry`;
  const granted = await receiver.subscribeAsync(topic, { qos: 1 });
  expect(granted.map((g) => [g.topic, g.qos])).toEqual([[topic, 1]]);
  const payload = JSON.stringify({ temperature: 21.5, at: Date.now() });
  const received = nextMessage(receiver, topic);
  const ack = await device.publishAsync(topic, payload, { qos: 1 });
  expect(ack?.cmd).toBe('publish');
  await expect(received).resolves.toEqual({ topic, payload, qos: 1 });
  await receiver.unsubscribeAsync(topic);
}

function appWith(db: Db, broker: Broker): Promise<FastifyInstance> {
  return buildApp({ jobs: createJobs(db), db, pii: createPiiCipher(randomBytes(32)), broker }).then(async (app) => {
    await app.ready();
    return app;
  });
}

/** The server's side as `MQTT_URL` configures it (the same path main.ts takes), and an app reporting on it. */
async function viaMqttUrl(url: string): Promise<{ server: Broker; app: FastifyInstance }> {
  const config = loadConfig({ MQTT_URL: url });
  const server = await startBroker({ mqttUrl: config.mqttUrl, embeddedPort: config.mqttPort });
  if (!server) throw new Error('startBroker returned no broker for MQTT_URL');
  return { server, app: await appWith(db, server) };
}

async function ready(app: FastifyInstance): Promise<[number, unknown]> {
  const res = await app.inject({ method: 'GET', url: '/ready' });
  return [res.statusCode, res.json()];
}

const READY = [200, { status: 'ready', db: 'ok', broker: 'ok' }];
const BROKER_DOWN = [503, { status: 'not ready', db: 'ok', broker: 'down' }];

let db: Db;
let dropDb: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop: dropDb } = await createTestDb('pglite'));
});
afterAll(async () => {
  await dropDb?.();
});

describe('the embedded broker', () => {
  let port: number;
  let broker: Broker | null;
  let app: FastifyInstance;
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    port = await freePort();
    broker = await startBroker({ embeddedPort: port });
    if (!broker) throw new Error('startBroker returned no broker for a non-zero port');
    app = await appWith(db, broker);
  });
  afterAll(async () => {
    for (const d of devices) await d.endAsync(true);
    await app?.close();
    await broker?.close();
  });

  it('is turned off by port 0, as in tests and behind MQTT_URL', async () => {
    await expect(startBroker({ embeddedPort: 0 })).resolves.toBeNull();
  });

  it('listens on loopback at the port given, with the server connected to it', () => {
    expect(broker?.url).toBe(`mqtt://127.0.0.1:${port}`);
    expect(broker?.embedded).toBe(true);
    expect(broker?.isReady()).toBe(true);
  });

  it('carries a QoS 1 message from one device to another', async () => {
    const sender = await connectDevice(`mqtt://127.0.0.1:${port}`);
    const receiver = await connectDevice(`mqtt://127.0.0.1:${port}`);
    devices.push(sender, receiver);
    await roundTrip(sender, receiver);
  });

  it("delivers a device's QoS 1 message to the server's own client", async () => {
    const device = await connectDevice(`mqtt://127.0.0.1:${port}`);
    devices.push(device);
    await roundTrip(device, broker!.client);
  });

  it('reports ready while it runs', async () => {
    expect(await ready(app)).toEqual(READY);
  });

  it('reports not ready once it has stopped, and accepts no more devices', async () => {
    const device = await connectDevice(`mqtt://127.0.0.1:${port}`);
    devices.push(device);
    const dropped = new Promise<void>((resolve) => device.once('close', () => resolve()));
    // a device set to reconnect at once, as real ones are, must not keep the broker from stopping
    const eager = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 20, connectTimeout: 1000 });
    eager.on('error', () => undefined);
    await new Promise<void>((resolve) => eager.once('connect', () => resolve()));
    try {
      await broker!.close();
    } finally {
      eager.end(true);
    }
    await dropped;
    expect(broker!.isReady()).toBe(false);
    expect(await ready(app)).toEqual(BROKER_DOWN);
    await expect(connectDevice(`mqtt://127.0.0.1:${port}`)).rejects.toThrow(/ECONNREFUSED/);
    broker = null;
  });

  it('refuses a port that is taken without leaving its timers running, and can then start on a free one', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const takenPort = (taken.address() as net.AddressInfo).port;
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    try {
      const before = timers();
      await expect(startBroker({ embeddedPort: takenPort })).rejects.toThrow(/EADDRINUSE/);
      // aedes' heartbeat and will timers, left behind, would keep the process from exiting
      expect(timers()).toBe(before);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
    const again = await startBroker({ embeddedPort: await freePort() });
    expect(again?.isReady()).toBe(true);
    await again?.close();
  });
});

describe('an external broker through MQTT_URL', () => {
  // the "external" broker is an embedded one on its own port, so that it can be stopped and started again
  let port: number;
  let external: Broker | null = null;
  let server: Broker;
  let app: FastifyInstance;

  beforeAll(async () => {
    port = await freePort();
    external = await startBroker({ embeddedPort: port });
    ({ server, app } = await viaMqttUrl(`mqtt://127.0.0.1:${port}`));
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
    await external?.close();
  });

  it('starts no embedded broker of its own', () => {
    expect(loadConfig({ MQTT_URL: `mqtt://127.0.0.1:${port}` }).mqttPort).toBe(0);
    expect([server.url, server.embedded, server.isReady()]).toEqual([`mqtt://127.0.0.1:${port}`, false, true]);
  });

  it('reports not ready while the broker is away, and ready again once it is back', async () => {
    expect(await ready(app)).toEqual(READY);
    await external!.close();
    external = null;
    expect(await waitFor(() => !server.isReady(), 5000)).toBe(true);
    expect(await ready(app)).toEqual(BROKER_DOWN);

    external = await startBroker({ embeddedPort: port });
    // the server's client reconnects on its own (every 2 s)
    expect(await waitFor(() => server.isReady(), 10_000)).toBe(true);
    expect(await ready(app)).toEqual(READY);
    const device = await connectDevice(`mqtt://127.0.0.1:${port}`);
    try {
      await roundTrip(device, server.client);
    } finally {
      await device.endAsync(true);
    }
  });
});

/**
 * The local Mosquitto (CI runs one; .ci/run sets LINLI_TEST_MQTT_URL): connected to through the same
 * configuration and code path as MQTT_URL. On CI an unreachable Mosquitto fails this suite, it is not skipped.
 */
const mosquittoUrl =
  process.env.LINLI_TEST_MQTT_URL || process.env.MQTT_URL || (process.env.CI ? 'mqtt://127.0.0.1:1883' : undefined);
if (mosquittoUrl) {
  describe(`Mosquitto at ${mosquittoUrl} through MQTT_URL`, () => {
    let server: Broker;
    let app: FastifyInstance;

    beforeAll(async () => {
      ({ server, app } = await viaMqttUrl(mosquittoUrl));
    });
    afterAll(async () => {
      await app?.close();
      await server?.close();
    });

    it('connects, reports ready, and carries a QoS 1 message from a device to the server', async () => {
      expect(server.embedded).toBe(false);
      expect(server.isReady(), `no connection to Mosquitto at ${mosquittoUrl}`).toBe(true);
      expect(await ready(app)).toEqual(READY);
      const device = await connectDevice(mosquittoUrl);
      try {
        await roundTrip(device, server.client);
      } finally {
        await device.endAsync(true);
      }
    });
  });
}
