/**
 * Ingest as pure functions (no I/O): topics, parsing and validating what a device sends against its type, the
 * timestamp bounds, the dedupe key and the per-device flood limit. The service (ingest.service.ts) batches what
 * passes into one transaction and dead-letters the rest with the reason these return.
 */
import { createHash } from 'node:crypto';
import type { DeadLetterReason, EffectiveRule } from './devices.schemas.js';
import { TOPIC_PREFIX } from './devices.schemas.js';

/** A device as ingest needs it, loaded once and cached (ingest.service.ts). */
export type DeviceConfig = {
  id: number;
  countyId: number;
  nodePath: string;
  typeCode: string;
  status: 'active' | 'disabled' | 'retired';
  secretHash: Buffer;
  residentId: number | null;
  /** metric key → [min, max]. */
  metrics: Map<string, { min: number; max: number }>;
  events: Set<string>;
  reportIntervalS: number;
  /** The message rules (threshold, event) with the watched person's override merged in. */
  rules: EffectiveRule[];
};

export type TopicKind = 'telemetry' | 'event';

/**
 * Timestamps a device may send: at most 5 minutes ahead of the server's clock (clock drift), and at most 7 days
 * back (a device that buffered readings while offline for a week still delivers them; older readings would land
 * in closed hourly roll-ups long after the rules looked at that time, so they are dead-lettered as timestamp_past).
 */
export const MAX_FUTURE_MS = 5 * 60_000;
export const MAX_PAST_MS = 7 * 24 * 3600_000;
/** Stored payloads in the dead-letter table are cut to this many characters. */
export const DEAD_LETTER_PAYLOAD_MAX = 2000;

/** `linli/<id>/telemetry` or `linli/<id>/event` → the device id and kind; anything else null. */
export function parseTopic(topic: string): { deviceId: number; kind: TopicKind } | null {
  const a = topic.indexOf('/');
  if (a < 0 || topic.slice(0, a) !== TOPIC_PREFIX) return null;
  const b = topic.indexOf('/', a + 1);
  if (b < 0) return null;
  const idText = topic.slice(a + 1, b);
  if (!/^[1-9]\d{0,15}$/.test(idText)) return null;
  const rest = topic.slice(b + 1);
  if (rest !== 'telemetry' && rest !== 'event') return null;
  return { deviceId: Number(idText), kind: rest };
}

/** A device id as given in an MQTT username or a URL: digits only, no leading zero. */
export function parseDeviceId(text: string | null | undefined): number | null {
  if (!text || !/^[1-9]\d{0,15}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

export type Refusal = { ok: false; reason: DeadLetterReason; detail: string };

/** A message that passed: its time resolved, its values known metrics within range. */
export type ValidMessage = {
  ok: true;
  ts: Date;
  /** The device's message id, if it sent one. */
  id: string | undefined;
  /** [metric, value] pairs (telemetry); empty for an event-only message. */
  values: [string, number][];
  event: string | undefined;
  data: Record<string, unknown> | undefined;
};

export function parseJson(payload: Buffer | string): { ok: true; value: unknown } | Refusal {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: 'invalid_json', detail: (err as Error).message.slice(0, 200) };
  }
}

const METRIC_RE = /^[a-z][a-z0-9_]{0,31}$/;
const ALLOWED_KEYS = new Set(['id', 'ts', 'values', 'event', 'data']);

function refuse(reason: DeadLetterReason, detail: string): Refusal {
  return { ok: false, reason, detail };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A device's `ts`: epoch milliseconds, or an ISO time with a zone; absent = now. null when unreadable. */
export function resolveTs(ts: unknown, now: number): number | null {
  if (ts === undefined) return now;
  if (typeof ts === 'number') return Number.isFinite(ts) ? Math.trunc(ts) : null;
  if (typeof ts === 'string') {
    if (ts.length > 40 || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/.test(ts))
      return null;
    const ms = Date.parse(ts);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

/**
 * Checks one parsed message (the DeviceMessage shape, by hand for speed) against the device's type: on the
 * telemetry topic it must carry `values` of known metrics within [min, max]; on the event topic a known `event`.
 * `kind` null (HTTP) accepts either or both. Timestamps outside [now − 7 days, now + 5 min] are refused.
 */
export function validateMessage(
  raw: unknown,
  device: Pick<DeviceConfig, 'metrics' | 'events'>,
  kind: TopicKind | null,
  now: number,
): ValidMessage | Refusal {
  if (!isPlainObject(raw)) return refuse('invalid_message', 'the message is not a JSON object');
  for (const k in raw) if (!ALLOWED_KEYS.has(k)) return refuse('invalid_message', `unknown field ${k}`);
  const { id, ts, values, event, data } = raw;
  if (id !== undefined && (typeof id !== 'string' || id.length < 1 || id.length > 64))
    return refuse('invalid_message', 'id must be a string of 1 to 64 characters');
  if (ts !== undefined && typeof ts !== 'number' && typeof ts !== 'string')
    return refuse('invalid_message', 'ts must be epoch milliseconds or an ISO time');
  if (values !== undefined && !isPlainObject(values)) return refuse('invalid_message', 'values must be an object');
  if (event !== undefined && (typeof event !== 'string' || !METRIC_RE.test(event)))
    return refuse('invalid_message', 'event must be a lower-case key');
  if (data !== undefined && !isPlainObject(data)) return refuse('invalid_message', 'data must be an object');
  if (kind === 'telemetry' && (values === undefined || event !== undefined))
    return refuse('invalid_message', 'a telemetry message carries values and no event');
  if (kind === 'event' && (event === undefined || values !== undefined))
    return refuse('invalid_message', 'an event message carries event and no values');
  if (values === undefined && event === undefined) return refuse('invalid_message', 'neither values nor event');

  const pairs: [string, number][] = [];
  if (values !== undefined) {
    for (const metric in values) {
      const v = values[metric];
      if (!METRIC_RE.test(metric)) return refuse('invalid_message', `bad metric key ${metric.slice(0, 40)}`);
      if (typeof v !== 'number' || !Number.isFinite(v))
        return refuse('invalid_message', `values.${metric} must be a finite number`);
      const def = device.metrics.get(metric);
      if (!def) return refuse('unknown_metric', `metric ${metric} is not one of the device type's`);
      if (v < def.min || v > def.max)
        return refuse('value_out_of_range', `values.${metric} = ${v} outside [${def.min}, ${def.max}]`);
      pairs.push([metric, v]);
    }
    if (pairs.length === 0 && event === undefined) return refuse('invalid_message', 'values is empty');
  }
  if (event !== undefined && !device.events.has(event))
    return refuse('unknown_event', `event ${event} is not one of the device type's`);

  const ms = resolveTs(ts, now);
  if (ms === null) return refuse('invalid_message', 'ts must be epoch milliseconds or an ISO time with a zone');
  if (ms > now + MAX_FUTURE_MS) return refuse('timestamp_future', `ts ${new Date(ms).toISOString()} is in the future`);
  if (ms < now - MAX_PAST_MS || ms < 0) return refuse('timestamp_past', `ts ${safeIso(ms)} is more than 7 days old`);
  return { ok: true, ts: new Date(ms), id, values: pairs, event, data };
}

function safeIso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/**
 * The key a redelivery shares with the original: the device's message id when it sends one, else the timestamp
 * and what the message carries. The database's primary keys make a repeat of the same (device, metric, ts) or
 * (device, ts, event) a no-op in any case; the id key (kept in memory for a while) catches a redelivery of a
 * message without `ts`, whose time would otherwise be the time of receipt.
 */
export function dedupeKey(deviceId: number, msg: { id?: string | undefined; ts: Date; event?: string }): string {
  return msg.id !== undefined ? `${deviceId}#${msg.id}` : `${deviceId}@${msg.ts.getTime()}:${msg.event ?? ''}`;
}

/**
 * A token bucket per device: a healthy device reports once per `reportIntervalS`; the flood limit is 10 times that
 * rate, with a burst of `burst` messages (a device delivering what it buffered while offline).
 */
export type Bucket = { tokens: number; at: number };
export const FLOOD_FACTOR = 10;
export const FLOOD_BURST = 60;

export function newBucket(now: number): Bucket {
  return { tokens: FLOOD_BURST, at: now };
}

/** Takes one token; false when the device is over its limit (the message is throttled). Mutates `b`. */
export function takeToken(b: Bucket, reportIntervalS: number, now: number): boolean {
  const elapsed = now - b.at;
  if (elapsed > 0) {
    b.tokens = Math.min(FLOOD_BURST, b.tokens + (elapsed / 1000) * (FLOOD_FACTOR / reportIntervalS));
    b.at = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  return false;
}

/**
 * Throttled messages are counted, not stored one by one: at most one dead-letter row per device per minute,
 * carrying how many messages it stands for. Returns the count to write now (0: not yet).
 */
export type ThrottleTally = { pending: number; lastRowAt: number };
export const THROTTLE_ROW_MS = 60_000;

export function throttleDue(t: ThrottleTally, now: number): number {
  if (t.pending === 0 || now - t.lastRowAt < THROTTLE_ROW_MS) return 0;
  const n = t.pending;
  t.pending = 0;
  t.lastRowAt = now;
  return n;
}

/** The payload as kept in the dead-letter table (text, cut). */
export function payloadText(payload: Buffer | string | unknown): string {
  const s =
    typeof payload === 'string'
      ? payload
      : Buffer.isBuffer(payload)
        ? payload.toString('utf8', 0, Math.min(payload.length, DEAD_LETTER_PAYLOAD_MAX * 4))
        : (JSON.stringify(payload) ?? '');
  return s.length > DEAD_LETTER_PAYLOAD_MAX ? s.slice(0, DEAD_LETTER_PAYLOAD_MAX) : s;
}

/** The device's type as stored (jsonb arrays) → the lookup tables validateMessage uses. */
export function metricTable(metrics: unknown): Map<string, { min: number; max: number }> {
  const m = new Map<string, { min: number; max: number }>();
  if (Array.isArray(metrics))
    for (const d of metrics)
      if (d && typeof d.key === 'string')
        m.set(d.key, {
          min: typeof d.min === 'number' ? d.min : Number.NEGATIVE_INFINITY,
          max: typeof d.max === 'number' ? d.max : Number.POSITIVE_INFINITY,
        });
  return m;
}

export function eventSet(events: unknown): Set<string> {
  const s = new Set<string>();
  if (Array.isArray(events)) for (const e of events) if (e && typeof e.key === 'string') s.add(e.key);
  return s;
}

/** A device token as kept in devices.secret_hash: its SHA-256 (the token as sent, UTF-8 text or MQTT password bytes). */
export function hashDeviceToken(token: string | Buffer): Buffer {
  return createHash('sha256').update(token).digest();
}
