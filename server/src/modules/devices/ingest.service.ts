/**
 * Ingest (设备数据接入): what devices send over MQTT or HTTP, validated against their type, stored in batches (one
 * transaction per batch: raw readings with their hourly roll-ups, events, last seen, dead letters), and the message
 * rules run on the new readings only, raising alarms in the same transaction. A caller's promise resolves once its
 * message is committed or dead-lettered (the broker acks QoS 1 only then), so an acknowledged message is never lost.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { AlarmTrigger, DeadLetterReason, IngestResult } from './devices.schemas.js';
import {
  type Bucket,
  type DeviceConfig,
  FLOOD_FACTOR,
  hashDeviceToken,
  newBucket,
  parseDeviceId,
  parseJson,
  parseTopic,
  payloadText,
  type ThrottleTally,
  takeToken,
  throttleDue,
  type ValidMessage,
  validateMessage,
} from './ingest.logic.js';
import {
  type DeadLetterRow,
  type EventCols,
  insertDeadLetters,
  insertEvents,
  insertTelemetry,
  loadDeviceConfigs,
  type TelemetryCols,
  touchLastSeen,
} from './ingest.repo.js';
import { evaluateMessage } from './rules.logic.js';

type LoggerLike = {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
};

export type IngestDeps = {
  db: Db;
  log?: LoggerLike;
  /** Raises alarms inside the batch's transaction (production: alarms.service.ts raiseAlarms). */
  raise: (tx: Queryable, triggers: AlarmTrigger[]) => Promise<unknown>;
  /** Milliseconds a batch waits for more messages (default 5). */
  batchMs?: number;
  /** Messages per batch at most (default 1000). */
  maxBatch?: number;
  /** Batches committing at once (default 2 on PostgreSQL, 1 on PGlite). */
  concurrency?: number;
  /** How long a device's configuration is cached (default 10 s). */
  cacheTtlMs?: number;
  /** Clock (tests). */
  now?: () => number;
};

export type IngestStats = {
  received: number;
  stored: number;
  duplicates: number;
  deadLettered: number;
  throttled: number;
  batches: number;
  failedBatches: number;
  triggers: number;
  queued: number;
};

export type Ingest = {
  /**
   * A message a device published. `username`: the MQTT username it connected with (its id), or null when the
   * broker is external and only the topic names the device. Resolves once stored or dead-lettered; rejects only
   * when neither could be committed (the broker must not ack then).
   */
  handleMqtt(username: string | null, topic: string, payload: Buffer): Promise<void>;
  /**
   * POST /api/ingest/devices/:id/messages: `body` one message or an array, or the raw JSON text (invalid JSON is
   * dead-lettered and refused with VALIDATION). Throws DEVICE_AUTH_FAILED / DEVICE_DISABLED.
   */
  handleHttp(deviceId: string, token: string | null, body: unknown): Promise<IngestResult>;
  /** MQTT CONNECT: username = device id, password = its token, for an active device. */
  authenticate(username: string, password: string | Buffer): Promise<boolean>;
  /** A device publishes only to its own topics. */
  mayPublish(username: string, topic: string): boolean;
  /** A device subscribes only below its own `linli/<id>/`, without wildcards above it. */
  maySubscribe(username: string, topic: string): boolean;
  /** Records a refused publish (forbidden_topic) in the dead-letter table; resolves once committed. */
  refusePublish(username: string, topic: string, payload: Buffer): Promise<void>;
  /** Forget a device's cached configuration (all devices without an id): the registry calls it on change. */
  invalidate(deviceId?: number): void;
  stats(): IngestStats;
  /** Writes what is queued (and pending throttle counts), then stops. */
  close(): Promise<void>;
};

const live = new Set<Ingest>();

/** The registry's hook: a device (or, without an id, every device or a type's rules) changed. */
export function invalidate(deviceId?: number): void {
  for (const i of live) i.invalidate(deviceId);
}

type Outcome = 'new' | 'duplicate';
type Item = {
  cfg: DeviceConfig;
  via: 'mqtt' | 'http';
  msg: ValidMessage;
  resolve: (o: Outcome) => void;
  reject: (e: unknown) => void;
};
type DeadItem = { row: DeadLetterRow; resolve: () => void; reject: (e: unknown) => void };

const RECENT_IDS_MAX = 200_000;
const RECENT_IDS_MS = 10 * 60_000;
const LAST_SEEN_MS = 60_000;

export function createIngest(deps: IngestDeps): Ingest {
  const now = deps.now ?? Date.now;
  const batchMs = deps.batchMs ?? 5;
  const maxBatch = deps.maxBatch ?? 1000;
  const ttl = deps.cacheTtlMs ?? 10_000;

  const cache = new Map<number, { cfg: DeviceConfig | null; at: number }>();
  const loading = new Map<number, Promise<DeviceConfig | null>>();
  let toLoad = new Map<number, { resolve: (c: DeviceConfig | null) => void; reject: (e: unknown) => void }[]>();
  let loadScheduled = false;
  const buckets = new Map<number, Bucket>();
  const tallies = new Map<number, ThrottleTally & { topic: string | null; via: 'mqtt' | 'http' }>();
  const lastSeenWritten = new Map<number, number>();
  const recentIds = new Map<string, number>();

  let queue: Item[] = [];
  let dead: DeadItem[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flights = new Set<Promise<void>>();
  const concurrency = Math.max(1, deps.concurrency ?? (deps.db.kind === 'postgres' ? 2 : 1));
  let closed = false;
  const s: IngestStats = {
    received: 0,
    stored: 0,
    duplicates: 0,
    deadLettered: 0,
    throttled: 0,
    batches: 0,
    failedBatches: 0,
    triggers: 0,
    queued: 0,
  };

  // ---- device configuration: cached, misses loaded together ----

  function loadMisses(): void {
    loadScheduled = false;
    const batch = toLoad;
    toLoad = new Map();
    const ids = [...batch.keys()];
    loadDeviceConfigs(deps.db, ids).then(
      (cfgs) => {
        const at = now();
        const found = new Map(cfgs.map((c) => [c.id, c]));
        for (const id of ids) {
          const cfg = found.get(id) ?? null;
          cache.set(id, { cfg, at });
          loading.delete(id);
          for (const w of batch.get(id) ?? []) w.resolve(cfg);
        }
      },
      (err) => {
        for (const id of ids) {
          loading.delete(id);
          for (const w of batch.get(id) ?? []) w.reject(err);
        }
      },
    );
  }

  function config(id: number): DeviceConfig | null | Promise<DeviceConfig | null> {
    const hit = cache.get(id);
    if (hit && now() - hit.at < ttl) return hit.cfg;
    const pending = loading.get(id);
    if (pending) return pending;
    const p = new Promise<DeviceConfig | null>((resolve, reject) => {
      const waiting = toLoad.get(id);
      if (waiting) waiting.push({ resolve, reject });
      else toLoad.set(id, [{ resolve, reject }]);
    });
    loading.set(id, p);
    if (!loadScheduled) {
      loadScheduled = true;
      setImmediate(loadMisses);
    }
    return p;
  }

  function tokenMatches(cfg: DeviceConfig, token: string | Buffer | null | undefined): boolean {
    if (token === null || token === undefined || token.length === 0 || token.length > 200) return false;
    const h = hashDeviceToken(token);
    return h.length === cfg.secretHash.length && timingSafeEqual(h, cfg.secretHash);
  }

  // ---- queueing and batches ----

  function schedule(): void {
    if (flights.size >= concurrency || timer) return;
    if (queue.length + dead.length >= maxBatch) {
      runFlush();
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      runFlush();
    }, batchMs);
  }

  function enqueue(cfg: DeviceConfig, msg: ValidMessage, via: 'mqtt' | 'http'): Promise<Outcome> {
    if (msg.id !== undefined) {
      const seen = recentIds.get(`${cfg.id}#${msg.id}`);
      if (seen !== undefined && now() - seen < RECENT_IDS_MS) {
        s.duplicates++;
        return Promise.resolve('duplicate');
      }
    }
    return new Promise<Outcome>((resolve, reject) => {
      queue.push({ cfg, via, msg, resolve, reject });
      schedule();
    });
  }

  function deadLetter(row: DeadLetterRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      dead.push({ row, resolve, reject });
      schedule();
    });
  }

  function runFlush(): void {
    if (flights.size >= concurrency) return;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const items = queue.length > maxBatch ? queue.splice(0, maxBatch) : queue;
    if (items === queue) queue = [];
    const dls = dead;
    dead = [];
    if (items.length === 0 && dls.length === 0) return;
    const flight: Promise<void> = flush(items, dls).finally(() => {
      flights.delete(flight);
      if (queue.length > 0 || dead.length > 0) schedule();
    });
    flights.add(flight);
  }

  async function flush(items: Item[], dls: DeadItem[]): Promise<void> {
    s.batches++;
    try {
      const outcomes = await commit(
        items,
        dls.map((d) => d.row),
      );
      settle(items, outcomes);
      for (const d of dls) d.resolve();
      return;
    } catch (err) {
      s.failedBatches++;
      deps.log?.warn(
        { err, messages: items.length, deadLetters: dls.length },
        'ingest batch failed; retrying one by one',
      );
    }
    // One by one: a poison message is isolated (dead-lettered with the error), the others stored.
    for (const item of items) {
      try {
        settle([item], await commit([item], []));
      } catch (err) {
        try {
          await commit(
            [],
            [
              {
                deviceId: item.cfg.id,
                via: item.via,
                topic: null,
                reason: 'invalid_message',
                detail: `not stored: ${String((err as Error).message ?? err).slice(0, 300)}`,
                payload: payloadText(JSON.stringify(messageJson(item.msg))),
                count: 1,
              },
            ],
          );
          s.deadLettered++;
          item.resolve('duplicate');
        } catch (err2) {
          item.reject(err2);
        }
      }
    }
    for (const d of dls) {
      try {
        await commit([], [d.row]);
        d.resolve();
      } catch (err) {
        d.reject(err);
      }
    }
  }

  function settle(items: Item[], outcomes: Outcome[]): void {
    const t = now();
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Item;
      const o = outcomes[i] as Outcome;
      if (o === 'new') s.stored++;
      else s.duplicates++;
      if (item.msg.id !== undefined) rememberId(`${item.cfg.id}#${item.msg.id}`, t);
      item.resolve(o);
    }
  }

  function rememberId(key: string, t: number): void {
    recentIds.set(key, t);
    if (recentIds.size > RECENT_IDS_MAX) {
      const oldest = recentIds.keys().next().value;
      if (oldest !== undefined) recentIds.delete(oldest);
    }
  }

  /** One transaction: readings + roll-ups, events, last seen, dead letters, rules → alarms. */
  async function commit(items: Item[], dls: DeadLetterRow[]): Promise<Outcome[]> {
    const t: TelemetryCols = { device: [], metric: [], ts: [], value: [], idx: [] };
    const e: EventCols = { device: [], ts: [], event: [], data: [], idx: [] };
    const seenRows = new Set<string>();
    const at = now();
    const touch: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const { cfg, msg } = items[i] as Item;
      const ms = msg.ts.getTime();
      for (const [metric, value] of msg.values) {
        const key = `${cfg.id}|${metric}|${ms}`;
        if (seenRows.has(key)) continue;
        seenRows.add(key);
        t.device.push(cfg.id);
        t.metric.push(metric);
        t.ts.push(msg.ts);
        t.value.push(value);
        t.idx.push(i);
      }
      if (msg.event !== undefined) {
        const key = `${cfg.id}!${msg.event}|${ms}`;
        if (!seenRows.has(key)) {
          seenRows.add(key);
          e.device.push(cfg.id);
          e.ts.push(msg.ts);
          e.event.push(msg.event);
          e.data.push(JSON.stringify(msg.data ?? {}));
          e.idx.push(i);
        }
      }
      const last = lastSeenWritten.get(cfg.id);
      if (last === undefined || at - last >= LAST_SEEN_MS) {
        lastSeenWritten.set(cfg.id, at);
        touch.push(cfg.id);
      }
    }
    try {
      return await deps.db.transaction(async (tx) => {
        const newValues = await insertTelemetry(tx, t);
        const newEvents = await insertEvents(tx, e);
        if (touch.length > 0) await touchLastSeen(tx, touch, new Date(at));
        if (dls.length > 0) await insertDeadLetters(tx, dls);

        const outcomes: Outcome[] = new Array(items.length).fill('duplicate');
        // only what this transaction inserted is new: a redelivery never triggers again
        const fresh = new Map<number, { values: Record<string, number> | undefined; event: boolean }>();
        for (const r of newValues) {
          outcomes[r.idx] = 'new';
          let f = fresh.get(r.idx);
          if (!f) {
            f = { values: undefined, event: false };
            fresh.set(r.idx, f);
          }
          const item = items[r.idx] as Item;
          const pair = item.msg.values.find((p) => p[0] === r.metric);
          if (pair) {
            f.values ??= {};
            f.values[r.metric] = pair[1];
          }
        }
        for (const r of newEvents) {
          outcomes[r.idx] = 'new';
          const f = fresh.get(r.idx);
          if (f) f.event = true;
          else fresh.set(r.idx, { values: undefined, event: true });
        }
        const triggers: AlarmTrigger[] = [];
        for (const [idx, f] of fresh) {
          const { cfg, msg } = items[idx] as Item;
          if (cfg.rules.length === 0) continue;
          const fired = evaluateMessage(cfg.rules, {
            ts: msg.ts,
            ...(f.values ? { values: f.values } : {}),
            ...(f.event && msg.event !== undefined ? { event: msg.event } : {}),
            ...(f.event && msg.data !== undefined ? { data: msg.data } : {}),
          });
          for (const x of fired) triggers.push({ deviceId: cfg.id, ruleId: x.ruleId, at: x.at, detail: x.detail });
        }
        if (triggers.length > 0) {
          s.triggers += triggers.length;
          await deps.raise(tx, triggers);
        }
        return outcomes;
      });
    } catch (err) {
      // not written: the next message of these devices writes last_seen_at again
      for (const id of touch) lastSeenWritten.delete(id);
      throw err;
    }
  }

  // ---- flood throttle ----

  function admit(cfg: DeviceConfig, via: 'mqtt' | 'http', topic: string | null): boolean {
    const t = now();
    let b = buckets.get(cfg.id);
    if (!b) {
      b = newBucket(t);
      buckets.set(cfg.id, b);
    }
    if (takeToken(b, cfg.reportIntervalS, t)) return true;
    s.throttled++;
    let tally = tallies.get(cfg.id);
    if (!tally) {
      // the first row is written a minute after the flood began (or on close), counting all of it
      tally = { pending: 0, lastRowAt: t, topic, via };
      tallies.set(cfg.id, tally);
    }
    tally.pending++;
    tally.topic = topic;
    tally.via = via;
    writeThrottled(t);
    return false;
  }

  let lastThrottleSweep = 0;
  const throttleTimer = setInterval(() => writeThrottled(now(), true), 10_000);
  throttleTimer.unref();

  /** At most one row per device per minute, with the count of messages it stands for. */
  function writeThrottled(t: number, sweep = false, force = false): Promise<void>[] {
    if (!sweep && !force && t - lastThrottleSweep < 1000) return [];
    lastThrottleSweep = t;
    const written: Promise<void>[] = [];
    for (const [id, tally] of tallies) {
      const n = force ? tally.pending : throttleDue(tally, t);
      if (force) tally.pending = 0;
      if (n > 0) {
        written.push(
          deadLetter({
            deviceId: id,
            via: tally.via,
            topic: tally.topic,
            reason: 'throttled',
            detail: `more than ${FLOOD_FACTOR} times the type's report rate`,
            payload: null,
            count: n,
          }).catch((err) => deps.log?.error({ err }, 'throttle count not written')),
        );
      } else if (tally.pending === 0 && t - tally.lastRowAt > 5 * 60_000) tallies.delete(id);
    }
    return written;
  }

  // ---- the entry points ----

  function refuse(
    deviceId: number | null,
    via: 'mqtt' | 'http',
    topic: string | null,
    reason: DeadLetterReason,
    detail: string | null,
    payload: unknown,
  ): Promise<void> {
    s.deadLettered++;
    return deadLetter({ deviceId, via, topic, reason, detail, payload: payloadText(payload), count: 1 });
  }

  async function handleMqtt(username: string | null, topic: string, payload: Buffer): Promise<void> {
    s.received++;
    const parsed = parseTopic(topic);
    const userId = username === null ? null : parseDeviceId(username);
    if (!parsed || (username !== null && parsed.deviceId !== userId))
      return refuse(userId, 'mqtt', topic, 'forbidden_topic', `not a topic of device ${username ?? '?'}`, payload);
    const got = config(parsed.deviceId);
    const cfg = got instanceof Promise ? await got : got;
    if (!cfg) return refuse(parsed.deviceId, 'mqtt', topic, 'unknown_device', null, payload);
    if (cfg.status !== 'active')
      return refuse(cfg.id, 'mqtt', topic, 'device_disabled', `device is ${cfg.status}`, payload);
    if (!admit(cfg, 'mqtt', topic)) return;
    const json = parseJson(payload);
    if (!json.ok) return refuse(cfg.id, 'mqtt', topic, json.reason, json.detail, payload);
    const v = validateMessage(json.value, cfg, parsed.kind, now());
    if (!v.ok) return refuse(cfg.id, 'mqtt', topic, v.reason, v.detail, payload);
    await enqueue(cfg, v, 'mqtt');
  }

  async function handleHttp(deviceIdText: string, token: string | null, body: unknown): Promise<IngestResult> {
    const id = parseDeviceId(deviceIdText);
    const got = id === null ? null : config(id);
    const cfg = got instanceof Promise ? await got : got;
    if (!cfg) {
      s.received++;
      await refuse(id, 'http', null, 'unknown_device', `device ${deviceIdText.slice(0, 20)}`, body);
      throw new AppError('DEVICE_AUTH_FAILED');
    }
    if (!tokenMatches(cfg, token)) {
      s.received++;
      await refuse(cfg.id, 'http', null, 'bad_credentials', token ? 'wrong token' : 'no bearer token', body);
      throw new AppError('DEVICE_AUTH_FAILED');
    }
    if (cfg.status !== 'active') {
      s.received++;
      await refuse(cfg.id, 'http', null, 'device_disabled', `device is ${cfg.status}`, body);
      throw new AppError('DEVICE_DISABLED');
    }
    if (typeof body === 'string') {
      const json = parseJson(body);
      if (!json.ok) {
        s.received++;
        await refuse(cfg.id, 'http', null, json.reason, json.detail, body);
        throw new AppError('VALIDATION', { field: 'body', params: { detail: json.detail } });
      }
      body = json.value;
    }
    const list = Array.isArray(body) ? body : [body];
    if (list.length > 500)
      throw new AppError('VALIDATION', { field: 'body', params: { detail: 'at most 500 messages' } });
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
    const waits: Promise<unknown>[] = [];
    const t = now();
    for (let index = 0; index < list.length; index++) {
      s.received++;
      const raw = list[index];
      if (!admit(cfg, 'http', null)) {
        result.rejected.push({ index, reason: 'throttled', detail: 'too many messages from this device' });
        continue;
      }
      const v = validateMessage(raw, cfg, null, t);
      if (!v.ok) {
        result.rejected.push({ index, reason: v.reason, detail: v.detail });
        waits.push(refuse(cfg.id, 'http', null, v.reason, v.detail, raw));
        continue;
      }
      waits.push(
        enqueue(cfg, v, 'http').then((o) => {
          if (o === 'new') result.accepted++;
          else result.duplicates++;
        }),
      );
    }
    await Promise.all(waits);
    return result;
  }

  async function authenticate(username: string, password: string | Buffer): Promise<boolean> {
    const id = parseDeviceId(username);
    if (id === null) return false;
    const got = config(id);
    const cfg = got instanceof Promise ? await got : got;
    return !!cfg && cfg.status === 'active' && tokenMatches(cfg, password);
  }

  function mayPublish(username: string, topic: string): boolean {
    const parsed = parseTopic(topic);
    return parsed !== null && parsed.deviceId === parseDeviceId(username);
  }

  function maySubscribe(username: string, topic: string): boolean {
    const id = parseDeviceId(username);
    if (id === null) return false;
    const own = `linli/${id}/`;
    return topic.startsWith(own) && !topic.slice(0, own.length).includes('+');
  }

  const ingest: Ingest = {
    handleMqtt,
    handleHttp,
    authenticate,
    mayPublish,
    maySubscribe,
    refusePublish: (username, topic, payload) => {
      s.received++;
      return refuse(
        parseDeviceId(username),
        'mqtt',
        topic,
        'forbidden_topic',
        `not a topic of device ${username}`,
        payload,
      );
    },
    invalidate(deviceId) {
      if (deviceId === undefined) cache.clear();
      else cache.delete(deviceId);
    },
    stats: () => ({ ...s, queued: queue.length + dead.length }),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(throttleTimer);
      live.delete(ingest);
      const pending = writeThrottled(now(), true, true);
      while (flights.size > 0 || queue.length > 0 || dead.length > 0) {
        runFlush();
        await Promise.race(flights);
      }
      await Promise.all(pending);
    },
  };
  live.add(ingest);
  return ingest;
}

function messageJson(m: ValidMessage): Record<string, unknown> {
  return {
    ...(m.id !== undefined ? { id: m.id } : {}),
    ts: m.ts.toISOString(),
    ...(m.values.length > 0 ? { values: Object.fromEntries(m.values) } : {}),
    ...(m.event !== undefined ? { event: m.event, data: m.data } : {}),
  };
}
