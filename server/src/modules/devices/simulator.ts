/**
 * The device simulator: simulated devices publish realistic readings over MQTT with their own credentials, at QoS 1,
 * to the broker Linli uses (the embedded one, or MQTT_URL / --url). The patterns are simulator.logic.ts; registering
 * the devices is simulator.register.ts (through the devices service).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { eventTopic, telemetryTopic } from './devices.schemas.js';
import {
  flowLpm,
  nextDelayMs,
  nextHeartRate,
  nextMeterTotal,
  nextPressure,
  type Rng,
  type SimDevicePlan,
  seededRng,
} from './simulator.logic.js';

/** A registered simulated device: its plan, its id and token, and the metric keys its type accepts. */
export type SimDevice = SimDevicePlan & { deviceId: number; token: string; metrics: readonly string[] };

export type SimProgress = {
  /** Seconds since the start. */
  elapsedS: number;
  connected: number;
  sent: number;
  acked: number;
  failed: number;
  /** In the last interval. */
  sentPerS: number;
  ackedPerS: number;
};

export type SimulationOptions = {
  url: string;
  devices: SimDevice[];
  /** Messages per device per minute. */
  ratePerMinute: number;
  /** Seconds to run; 0 or absent: until stopped. */
  durationS?: number;
  /** Called about once a second. */
  onProgress?: (p: SimProgress) => void;
  onError?: (err: Error) => void;
  /** Seed of the patterns' noise (default: the clock). */
  seed?: number;
  /** Where each meter's register stands (by device id); absent: a random start. */
  initialTotals?: ReadonlyMap<number, number>;
};

export type Simulation = {
  /** Resolves when the duration is over (or after stop()), with the last figures. */
  done: Promise<SimProgress>;
  stop(): Promise<void>;
};

type State = { rng: Rng; total: number; lastAt: Date; heartRate: number | null; seq: number; sosSent: boolean };

/** The next message of a device at `now`, as JSON, and the topic it goes to. */
export function nextMessage(d: SimDevice, s: State, now: Date): { topic: string; payload: string } {
  s.seq++;
  const id = `${now.getTime().toString(36)}-${s.seq}`;
  const pick = (values: Record<string, number>) =>
    Object.fromEntries(Object.entries(values).filter(([k]) => d.metrics.includes(k)));
  if (d.typeCode === 'sos_button' && d.behaviour === 'sos' && !s.sosSent) {
    s.sosSent = true;
    return {
      topic: eventTopic(d.deviceId),
      payload: JSON.stringify({ id, ts: now.getTime(), event: 'sos', data: { simulated: true } }),
    };
  }
  let values: Record<string, number>;
  if (d.typeCode === 'water_meter') {
    const total = nextMeterTotal(s.rng, s.total, s.lastAt, now, d.behaviour);
    values = { total_l: total, flow_lpm: flowLpm(total - s.total, s.lastAt, now), battery: 90 };
    s.total = total;
  } else if (d.typeCode === 'bracelet') {
    s.heartRate = nextHeartRate(s.rng, s.heartRate, now, d.behaviour);
    values = { heart_rate: s.heartRate, ...nextPressure(s.rng), battery: 80 };
  } else {
    values = { battery: 95 };
  }
  s.lastAt = now;
  return {
    topic: telemetryTopic(d.deviceId),
    payload: JSON.stringify({ id, ts: now.getTime(), values: pick(values) }),
  };
}

/**
 * Connects every device with its credentials (username = id, password = token) and publishes at QoS 1 at the given
 * rate, jittered so devices spread out; counts messages sent and acknowledged (PUBACK) and reports once a second.
 */
export function startSimulation(opts: SimulationOptions): Simulation {
  const seed = opts.seed ?? Date.now();
  const started = Date.now();
  const counts = { sent: 0, acked: 0, failed: 0 };
  let last = { at: started, sent: 0, acked: 0 };
  const clients: MqttClient[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let resolveDone!: (p: SimProgress) => void;
  const done = new Promise<SimProgress>((r) => {
    resolveDone = r;
  });

  const progress = (): SimProgress => {
    const now = Date.now();
    const dt = Math.max((now - last.at) / 1000, 0.001);
    const p: SimProgress = {
      elapsedS: Math.round((now - started) / 100) / 10,
      connected: clients.filter((c) => c.connected).length,
      ...counts,
      sentPerS: Math.round((counts.sent - last.sent) / dt),
      ackedPerS: Math.round((counts.acked - last.acked) / dt),
    };
    last = { at: now, sent: counts.sent, acked: counts.acked };
    return p;
  };

  for (const d of opts.devices) {
    const rng = seededRng(seed + d.index * 7919);
    const state: State = {
      rng,
      total: opts.initialTotals?.get(d.deviceId) ?? Math.round(1000 + rng() * 50_000),
      lastAt: new Date(),
      heartRate: null,
      seq: 0,
      sosSent: false,
    };
    const client = mqtt.connect(opts.url, {
      clientId: `linli-sim-${d.deviceId}-${Math.random().toString(16).slice(2, 6)}`,
      username: String(d.deviceId),
      password: d.token,
      reconnectPeriod: 3000,
      connectTimeout: 10_000,
      clean: true,
    });
    client.on('error', (err) => opts.onError?.(err));
    clients.push(client);
    const tick = (delay: number) => {
      if (stopped) return;
      const t = setTimeout(() => {
        timers.delete(t);
        if (stopped) return;
        if (client.connected) {
          const m = nextMessage(d, state, new Date());
          counts.sent++;
          client.publish(m.topic, m.payload, { qos: 1 }, (err) => {
            if (err) counts.failed++;
            else counts.acked++;
          });
        }
        tick(nextDelayMs(rng, opts.ratePerMinute));
      }, delay);
      timers.add(t);
    };
    // The first message soon after connecting (an SOS press at once), the rest at the rate.
    client.once('connect', () => tick(d.behaviour === 'sos' ? 0 : Math.round(rng() * (60_000 / opts.ratePerMinute))));
  }

  const reporter = setInterval(() => opts.onProgress?.(progress()), 1000);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(reporter);
    for (const t of timers) clearTimeout(t);
    timers.clear();
    // Let in-flight QoS 1 messages be acknowledged before closing.
    await Promise.all(clients.map((c) => c.endAsync(false).catch(() => undefined)));
    resolveDone(progress());
  };
  if (opts.durationS && opts.durationS > 0) {
    const t = setTimeout(() => void stop(), opts.durationS * 1000);
    timers.add(t);
  }
  return { done, stop };
}
