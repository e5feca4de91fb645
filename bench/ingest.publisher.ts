/**
 * A publisher child of bench:ingest (bench/ingest.bench.ts starts it): connects its range of devices (username the id,
 * password salt.id), reports ready, publishes QoS 1 telemetry on 'go' with one message in flight per device and at
 * least BENCH_INTERVAL ms between a device's messages, presses SOS at the times it is given, and reports counts, CPU
 * and sampled PUBACK latencies once a second over IPC. Only mqtt is imported, so it starts fast and stays small.
 */
import mqtt, { type MqttClient } from 'mqtt';

export type ToChild =
  | { type: 'go'; sos: { id: number; atMs: number }[]; durationMs: number; intervalMs?: number }
  | { type: 'stop' }
  | { type: 'exit' };
export type FromChild =
  | { type: 'ready'; connected: number; failed: number }
  | { type: 'tick'; sent: number; acked: number; cpuMs: number }
  | { type: 'sos'; id: number; sentAt: number; ackAt: number }
  | { type: 'lat'; ms: number[] }
  | { type: 'stopped'; sent: number; acked: number };

/** Connects its devices (username id, password salt.id), then publishes on 'go' until 'stop'. */
async function publisherChild(): Promise<void> {
  const send = (m: FromChild) => process.send?.(m);
  const url = process.env.BENCH_URL!;
  const first = Number(process.env.BENCH_FIRST);
  const count = Number(process.env.BENCH_COUNT);
  const salt = process.env.BENCH_SALT!;
  let interval = Number(process.env.BENCH_INTERVAL);
  const clients: { id: number; c: MqttClient }[] = [];
  let failed = 0;
  for (let i = 0; i < count; i += 250) {
    const batch = Array.from({ length: Math.min(250, count - i) }, (_, k) => first + i + k);
    await Promise.all(
      batch.map(
        (id) =>
          new Promise<void>((resolve) => {
            const c = mqtt.connect(url, {
              clientId: `bench-${id}-${salt.slice(0, 4)}`,
              username: String(id),
              password: `${salt}.${id}`,
              reconnectPeriod: 0,
              connectTimeout: 30_000,
              clean: true,
            });
            c.once('connect', () => {
              clients.push({ id, c });
              resolve();
            });
            c.once('error', () => {
              failed++;
              resolve();
            });
          }),
      ),
    );
  }
  send({ type: 'ready', connected: clients.length, failed });

  let running = false;
  let sent = 0;
  let acked = 0;
  let inFlight = 0;
  const lat: number[] = [];
  let seq = 0;
  const cpu0 = process.cpuUsage();
  const cpuMs = () => {
    const u = process.cpuUsage(cpu0);
    return (u.user + u.system) / 1000;
  };
  // A run's loops end with it: a loop waiting out its pace when 'stop' came must not go on into the next run.
  let run = 0;
  const loop = (id: number, c: MqttClient, gen: number) => {
    if (!running || gen !== run) return;
    const t = Date.now();
    const payload = JSON.stringify({ id: `b${++seq}`, ts: t, values: { value: (seq % 1000) / 10 } });
    sent++;
    inFlight++;
    c.publish(`linli/${id}/telemetry`, payload, { qos: 1 }, (err) => {
      inFlight--;
      const now = Date.now();
      if (!err) {
        acked++;
        if (seq % 50 === 0) lat.push(now - t);
      }
      const wait = Math.max(0, interval - (now - t));
      setTimeout(() => loop(id, c, gen), wait);
    });
  };
  const ticker = setInterval(() => {
    send({ type: 'tick', sent, acked, cpuMs: cpuMs() });
    if (lat.length > 0) send({ type: 'lat', ms: lat.splice(0) });
  }, 1000);
  process.on('message', (m: ToChild) => {
    if (m.type === 'go') {
      running = true;
      if (m.intervalMs) interval = m.intervalMs;
      const start = Date.now();
      const gen = ++run;
      for (const { id, c } of clients) setTimeout(() => loop(id, c, gen), Math.random() * interval);
      const byId = new Map(clients.map((x) => [x.id, x.c]));
      for (const s of m.sos) {
        const c = byId.get(s.id);
        if (!c) continue;
        setTimeout(
          () => {
            if (!running) return;
            const sentAt = Date.now();
            c.publish(
              `linli/${s.id}/event`,
              JSON.stringify({ id: `sos${s.id}`, ts: sentAt, event: 'sos', data: { sentAt } }),
              { qos: 1 },
              (err) => {
                if (!err) send({ type: 'sos', id: s.id, sentAt, ackAt: Date.now() });
              },
            );
          },
          Math.max(0, s.atMs - (Date.now() - start)),
        );
      }
    } else if (m.type === 'stop') {
      running = false;
      const wait = () => {
        if (inFlight > 0) setTimeout(wait, 20);
        else {
          send({ type: 'tick', sent, acked, cpuMs: cpuMs() });
          send({ type: 'stopped', sent, acked });
        }
      };
      wait();
    } else if (m.type === 'exit') {
      clearInterval(ticker);
      void Promise.all(clients.map(({ c }) => c.endAsync(true).catch(() => undefined))).then(() => process.exit(0));
    }
  });
}

if (process.send) void publisherChild();
