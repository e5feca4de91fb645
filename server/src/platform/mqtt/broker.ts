import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';

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

async function startEmbedded(port: number, host: string): Promise<{ url: string; close: () => Promise<void> }> {
  const aedes = await Aedes.createBroker();
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

export async function startBroker(opts: {
  mqttUrl?: string;
  embeddedPort: number;
  host?: string;
}): Promise<Broker | null> {
  let url = opts.mqttUrl;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    if (opts.embeddedPort === 0) return null;
    const embedded = await startEmbedded(opts.embeddedPort, opts.host ?? '127.0.0.1');
    url = embedded.url;
    stopEmbedded = embedded.close;
  }
  const client = mqtt.connect(url, {
    clientId: `linli-server-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectPeriod: 2000,
    connectTimeout: 5000,
  });
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
      await client.endAsync(true).catch(() => undefined);
      if (stopEmbedded) await stopEmbedded();
    },
  };
}
