import { randomBytes, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { Aedes, type Client as AedesClient } from 'aedes';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/**
 * Devices speak MQTT. By default Linli runs an in-process broker (aedes) on its own port, bound to
 * loopback; with MQTT_URL it uses an external broker (Mosquitto, EMQX). Either way the server holds
 * one client connection, whose state /ready reports.
 */
export type Broker = {
  url: string;
  embedded: boolean;
  client: MqttClient;
  isReady(): boolean;
  close(): Promise<void>;
};

/**
 * What the broker asks of ingest (devices/ingest.service.ts implements it). Without a gate the embedded broker
 * lets anyone connect and publish (tests of the broker itself).
 */
export type MqttGate = {
  /** CONNECT: username = the device id, password = its token. */
  authenticate(username: string, password: Buffer): Promise<boolean>;
  mayPublish(username: string, topic: string): boolean;
  maySubscribe(username: string, topic: string): boolean;
  /** Records a refused publish; resolves once committed. */
  refusePublish(username: string, topic: string, payload: Buffer): Promise<void>;
  /** Resolves once the message is committed or dead-lettered: only then is a QoS 1 message acknowledged. */
  handleMqtt(username: string | null, topic: string, payload: Buffer): Promise<void>;
};

/** The topics the server takes from an external broker, split between Linli instances by a shared subscription. */
export const sharedTopics = (group: string | null = 'linli') =>
  ['linli/+/telemetry', 'linli/+/event'].map((t) => (group === null ? t : `$share/${group}/${t}`));

/** The server's own client on the embedded broker: a random credential made at start, exempt from the gate. */
type ServerCredential = { username: string; password: string };
const SERVER = Symbol('linli-server');

function gateAedes(aedes: Aedes, gate: MqttGate, server: ServerCredential): void {
  const users = new WeakMap<AedesClient, string | typeof SERVER>();
  const serverPassword = Buffer.from(server.password);
  aedes.authenticate = (client, username, password, done) => {
    if (username === server.username) {
      const ok = !!password && password.length === serverPassword.length && timingSafeEqual(password, serverPassword);
      if (ok) users.set(client, SERVER);
      done(null, ok);
      return;
    }
    if (!username || !password) {
      done(null, false);
      return;
    }
    gate.authenticate(username, password).then(
      (ok) => {
        if (ok) users.set(client, username);
        done(null, ok);
      },
      (err: Error) => done(Object.assign(err, { returnCode: 3 }), false),
    );
  };
  aedes.authorizePublish = (client, packet, done) => {
    // a will published after its client is gone
    if (!client) return done(null);
    const user = users.get(client);
    if (user === SERVER) return done(null);
    if (user === undefined || packet.topic.startsWith('$SYS')) return done(new Error('not allowed'));
    if (!gate.mayPublish(user, packet.topic)) {
      // MQTT 3.1.1 has no negative PUBACK: the connection is closed after the refusal is recorded
      gate.refusePublish(user, packet.topic, packet.payload as Buffer).then(
        () => done(new Error(`device ${user} may not publish to ${packet.topic}`)),
        (err: Error) => done(err),
      );
      return;
    }
    // aedes writes the PUBACK right after this callback: call it only once the message is stored
    gate.handleMqtt(user, packet.topic, packet.payload as Buffer).then(
      () => done(null),
      (err: Error) => done(err),
    );
  };
  aedes.authorizeSubscribe = (client, sub, done) => {
    const user = client ? users.get(client) : undefined;
    if (user === SERVER) return done(null, sub);
    done(null, user !== undefined && gate.maySubscribe(user, sub.topic) ? sub : null);
  };
}

async function startEmbedded(
  port: number,
  host: string,
  gate: MqttGate | undefined,
  credential: ServerCredential,
): Promise<{ url: string; close: () => Promise<void> }> {
  const aedes = await Aedes.createBroker();
  if (gate) gateAedes(aedes, gate, credential);
  const server = net.createServer(aedes.handle);
  const closeAedes = () => new Promise<void>((resolve) => aedes.close(() => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (err) {
    // A taken port: the broker's timers would otherwise keep the process alive.
    await closeAedes();
    throw err;
  }
  const addr = server.address() as net.AddressInfo;
  return {
    url: `mqtt://${host}:${addr.port}`,
    close: async () => {
      // Stop accepting first, so devices reconnecting at once cannot slip in while the clients are closed.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await closeAedes();
      await stopped;
    },
  };
}

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

/**
 * An external broker's messages, taken through the shared subscription and acknowledged (QoS 1) only once ingest
 * has committed them. mqtt.js handles a connection's packets one after another and writes the PUBACK when
 * `handleMessage` calls back; waiting there would allow one message in flight per connection. So the callback comes
 * at once, and the PUBACK itself is held back (in the order the messages came, as MQTT requires) until the message
 * is committed; a message that could not be stored is never acknowledged: the connection is dropped so that the
 * broker delivers it again. Mosquitto's in-flight window per connection (20 by default) bounds what is pending.
 */
function subscribeShared(client: MqttClient, gate: MqttGate, group: string | null, log?: (err: unknown) => void): void {
  const pending = new Map<number, Promise<void>>();
  let generation = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const internals = client as unknown as { _sendPacket: SendPacket };
  const send = internals._sendPacket.bind(client);
  const fail = (err: unknown) => {
    log?.(err);
    pending.clear();
    client.stream?.destroy();
  };
  internals._sendPacket = (packet, cb, ...rest) => {
    const commit =
      packet.cmd === 'puback' && packet.messageId !== undefined ? pending.get(packet.messageId) : undefined;
    if (!commit) return send(packet, cb, ...rest);
    pending.delete(packet.messageId as number);
    const gen = generation;
    chain = chain
      .then(() => commit)
      .then(
        () => {
          // an ack for a connection that is gone must not go out on the next one (message ids are reused)
          if (gen === generation && client.connected) send(packet, undefined, ...rest);
        },
        (err) => {
          if (gen === generation) fail(err);
        },
      );
    // the next packet of the connection is handled at once
    cb?.();
  };
  client.handleMessage = (packet, callback) => {
    if (packet.cmd !== 'publish') return callback();
    const stored = gate.handleMqtt(null, packet.topic, packet.payload as Buffer);
    if (packet.qos === 1 && packet.messageId !== undefined) {
      pending.set(packet.messageId, stored);
      stored.catch(() => undefined);
      return callback();
    }
    stored.then(
      () => callback(),
      (err) => {
        fail(err);
        callback(err as Error);
      },
    );
  };
  client.on('close', () => {
    generation++;
    pending.clear();
  });
  client.on('connect', () => {
    generation++;
    pending.clear();
    chain = Promise.resolve();
    client.subscribe(sharedTopics(group), { qos: 1 }, () => undefined);
  });
}

export async function startBroker(opts: {
  mqttUrl?: string;
  embeddedPort: number;
  host?: string;
  /** Ingest: authenticates and authorizes devices (embedded) and receives their messages (embedded or external). */
  gate?: MqttGate;
  /** External broker: connections in the shared subscription group (default 4). */
  subscribers?: number;
  /**
   * The shared subscription's group (default 'linli'; tests use their own on a Mosquitto others use too); null: a
   * plain subscription, for a broker without shared subscriptions and a single Linli instance.
   */
  sharedGroup?: string | null;
  onError?: (err: unknown) => void;
}): Promise<Broker | null> {
  let url = opts.mqttUrl;
  let stopEmbedded: (() => Promise<void>) | null = null;
  const credential: ServerCredential = {
    username: `$linli-server-${randomBytes(4).toString('hex')}`,
    password: randomBytes(24).toString('base64url'),
  };
  if (!url) {
    if (opts.embeddedPort === 0) return null;
    const embedded = await startEmbedded(opts.embeddedPort, opts.host ?? '127.0.0.1', opts.gate, credential);
    url = embedded.url;
    stopEmbedded = embedded.close;
  }
  const clientOptions = (n: number): IClientOptions => ({
    clientId: `linli-server-${process.pid}-${Math.random().toString(16).slice(2, 8)}-${n}`,
    reconnectPeriod: 2000,
    connectTimeout: 5000,
    ...(stopEmbedded && opts.gate ? { username: credential.username, password: credential.password } : {}),
  });
  const client = mqtt.connect(url, clientOptions(0));
  const extra: MqttClient[] = [];
  if (!stopEmbedded && opts.gate) {
    subscribeShared(client, opts.gate, opts.sharedGroup === undefined ? 'linli' : opts.sharedGroup, opts.onError);
    for (let i = 1; i < (opts.subscribers ?? 4); i++) {
      const c = mqtt.connect(url, clientOptions(i));
      c.on('error', () => undefined);
      subscribeShared(c, opts.gate, opts.sharedGroup === undefined ? 'linli' : opts.sharedGroup, opts.onError);
      extra.push(c);
    }
  }
  client.on('error', () => {
    // Reported through isReady() and /ready; the client keeps reconnecting.
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 5000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    url,
    embedded: stopEmbedded !== null,
    client,
    isReady: () => client.connected,
    close: async () => {
      await Promise.all([client, ...extra].map((c) => c.endAsync(true).catch(() => undefined)));
      if (stopEmbedded) await stopEmbedded();
    },
  };
}
