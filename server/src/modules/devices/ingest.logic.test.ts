import { describe, expect, it } from 'vitest';
import {
  dedupeKey,
  FLOOD_BURST,
  MAX_FUTURE_MS,
  MAX_PAST_MS,
  newBucket,
  parseDeviceId,
  parseJson,
  parseTopic,
  payloadText,
  resolveTs,
  takeToken,
  throttleDue,
  validateMessage,
} from './ingest.logic.js';

const NOW = Date.parse('2026-12-07T05:00:00Z');
const bracelet = {
  metrics: new Map([
    ['heart_rate', { min: 20, max: 250 }],
    ['total_l', { min: 0, max: 1e8 }],
  ]),
  events: new Set(['sos']),
};

describe('topics and ids', () => {
  it('reads a device’s own telemetry and event topics', () => {
    expect(parseTopic('linli/42/telemetry')).toEqual({ deviceId: 42, kind: 'telemetry' });
    expect(parseTopic('linli/7/event')).toEqual({ deviceId: 7, kind: 'event' });
  });
  it('refuses anything else', () => {
    for (const t of [
      'linli/42/telemetry/x',
      'linli/042/telemetry',
      'linli/+/telemetry',
      'linli//telemetry',
      'other/42/telemetry',
      'linli/42/cmd',
      'linli/42',
      'linli/99999999999999999/event',
      '',
    ])
      expect(parseTopic(t), t).toBeNull();
  });
  it('parses device ids from usernames and URLs', () => {
    expect([
      parseDeviceId('12'),
      parseDeviceId('0'),
      parseDeviceId('1e3'),
      parseDeviceId(''),
      parseDeviceId(null),
    ]).toEqual([12, null, null, null, null]);
  });
});

describe('validateMessage', () => {
  const ok = (raw: unknown, kind: 'telemetry' | 'event' | null = 'telemetry') =>
    validateMessage(raw, bracelet, kind, NOW);
  const reason = (raw: unknown, kind: 'telemetry' | 'event' | null = 'telemetry') => {
    const r = ok(raw, kind);
    return r.ok ? 'ok' : r.reason;
  };

  it('accepts a reading with epoch ms, an ISO time, or none (the time of receipt)', () => {
    expect(ok({ ts: NOW - 1000, values: { heart_rate: 70 } })).toMatchObject({
      ok: true,
      ts: new Date(NOW - 1000),
      values: [['heart_rate', 70]],
    });
    expect(ok({ ts: '2026-12-07T12:59:00+08:00', values: { heart_rate: 70 } })).toMatchObject({
      ts: new Date('2026-12-07T04:59:00Z'),
    });
    expect(ok({ values: { heart_rate: 70 } })).toMatchObject({ ts: new Date(NOW) });
    expect(ok({ id: 'a1', event: 'sos', data: { x: 1 } }, 'event')).toMatchObject({ ok: true, event: 'sos', id: 'a1' });
  });

  it('refuses the wrong shapes and types', () => {
    expect(reason(null)).toBe('invalid_message');
    expect(reason([])).toBe('invalid_message');
    expect(reason('x')).toBe('invalid_message');
    expect(reason({ values: { heart_rate: '70' } })).toBe('invalid_message');
    expect(reason({ values: { heart_rate: null } })).toBe('invalid_message');
    expect(reason({ values: [70] })).toBe('invalid_message');
    expect(reason({ values: {} })).toBe('invalid_message');
    expect(reason({ values: { heart_rate: 70 }, extra: 1 })).toBe('invalid_message');
    expect(reason({ id: '', values: { heart_rate: 70 } })).toBe('invalid_message');
    expect(reason({ id: 'x'.repeat(65), values: { heart_rate: 70 } })).toBe('invalid_message');
    expect(reason({ ts: true, values: { heart_rate: 70 } })).toBe('invalid_message');
    expect(reason({ ts: 'tomorrow', values: { heart_rate: 70 } })).toBe('invalid_message');
    expect(reason({ ts: '2026-12-07T05:00:00', values: { heart_rate: 70 } })).toBe('invalid_message');
    expect(reason({ values: { 'Heart-Rate': 70 } })).toBe('invalid_message');
    expect(reason({ event: 'sos', data: 'x' }, 'event')).toBe('invalid_message');
  });

  it('keeps telemetry and events on their own topics; HTTP takes either', () => {
    expect(reason({ event: 'sos' }, 'telemetry')).toBe('invalid_message');
    expect(reason({ values: { heart_rate: 70 } }, 'event')).toBe('invalid_message');
    expect(reason({ event: 'sos' }, null)).toBe('ok');
    expect(reason({ values: { heart_rate: 70 } }, null)).toBe('ok');
    expect(reason({}, null)).toBe('invalid_message');
  });

  it('refuses unknown metrics and events, and absurd values at the type’s bounds', () => {
    expect(reason({ values: { steps: 1 } })).toBe('unknown_metric');
    expect(reason({ event: 'fire' }, 'event')).toBe('unknown_event');
    expect(reason({ values: { heart_rate: 900 } })).toBe('value_out_of_range');
    expect(reason({ values: { total_l: -1 } })).toBe('value_out_of_range');
    expect(reason({ values: { heart_rate: 250 } })).toBe('ok');
    expect(reason({ values: { total_l: 0 } })).toBe('ok');
  });

  it('bounds timestamps: 5 minutes ahead, 7 days back', () => {
    expect(reason({ ts: NOW + MAX_FUTURE_MS, values: { heart_rate: 70 } })).toBe('ok');
    expect(reason({ ts: NOW + MAX_FUTURE_MS + 1, values: { heart_rate: 70 } })).toBe('timestamp_future');
    expect(reason({ ts: NOW - MAX_PAST_MS, values: { heart_rate: 70 } })).toBe('ok');
    expect(reason({ ts: NOW - MAX_PAST_MS - 1, values: { heart_rate: 70 } })).toBe('timestamp_past');
    expect(reason({ ts: -5, values: { heart_rate: 70 } })).toBe('timestamp_past');
    expect(resolveTs(Number.NaN, NOW)).toBeNull();
  });
});

describe('parseJson and payloadText', () => {
  it('parses JSON or names why not', () => {
    expect(parseJson(Buffer.from('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJson('{"a":')).toMatchObject({ ok: false, reason: 'invalid_json' });
  });
  it('cuts what is kept', () => {
    expect(payloadText('x'.repeat(5000))).toHaveLength(2000);
    expect(payloadText({ a: 1 })).toBe('{"a":1}');
  });
});

describe('dedupeKey', () => {
  it('is the message id when there is one, else the time and event', () => {
    const ts = new Date(NOW);
    expect(dedupeKey(1, { id: 'm1', ts })).toBe(dedupeKey(1, { id: 'm1', ts: new Date(NOW + 5) }));
    expect(dedupeKey(1, { ts })).toBe(dedupeKey(1, { ts: new Date(NOW) }));
    expect(dedupeKey(1, { ts })).not.toBe(dedupeKey(2, { ts }));
    expect(dedupeKey(1, { ts, event: 'sos' })).not.toBe(dedupeKey(1, { ts }));
  });
});

describe('the flood limit', () => {
  it('allows a burst, then 10 times the report rate', () => {
    const b = newBucket(NOW);
    let taken = 0;
    for (let i = 0; i < 100; i++) if (takeToken(b, 60, NOW)) taken++;
    expect(taken).toBe(FLOOD_BURST);
    // a device reporting every 60 s may send 10 a minute: one every 6 s
    expect(takeToken(b, 60, NOW + 5_000)).toBe(false);
    expect(takeToken(b, 60, NOW + 6_100)).toBe(true);
    expect(takeToken(b, 60, NOW + 6_200)).toBe(false);
  });
  it('a device within its rate is never throttled', () => {
    const b = newBucket(NOW);
    for (let i = 0; i < 1000; i++) expect(takeToken(b, 60, NOW + i * 60_000)).toBe(true);
  });
  it('writes one throttle row per minute with the count', () => {
    const t = { pending: 0, lastRowAt: NOW };
    t.pending = 5;
    expect(throttleDue(t, NOW + 30_000)).toBe(0);
    t.pending += 3;
    expect(throttleDue(t, NOW + 60_000)).toBe(8);
    expect(t.pending).toBe(0);
    t.pending = 1;
    expect(throttleDue(t, NOW + 90_000)).toBe(0);
    expect(throttleDue(t, NOW + 120_000)).toBe(1);
  });
});
