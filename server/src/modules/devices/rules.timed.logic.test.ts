import { describe, expect, it } from 'vitest';
import {
  alarmSummary,
  decideHighUse,
  decideNoUse,
  decideSilent,
  isQuiet,
  ladderDue,
  nextStep,
  noUseWindowStart,
  parseHhmm,
  quietOf,
  shanghaiMidnight,
  shanghaiMinuteOfDay,
  sortLadder,
  stepsDueAt,
} from './rules.logic.js';

/** An instant given as Shanghai wall time. */
const sh = (s: string) => new Date(`${s}+08:00`);
const NIGHT = quietOf('22:00', '06:00')!;

/** Non-quiet minutes in [from, to), counted minute by minute (from, to on whole minutes). */
function nonQuietMinutes(from: Date, to: Date, start: string, end: string): number {
  let n = 0;
  for (let t = from.getTime(); t < to.getTime(); t += 60_000) if (!isQuiet(new Date(t), start, end)) n++;
  return n;
}

describe('Shanghai time of day', () => {
  it('is UTC+8 in winter and in summer alike (no daylight saving)', () => {
    expect(shanghaiMinuteOfDay(new Date('2026-01-15T14:30:00Z'))).toBe(22 * 60 + 30);
    expect(shanghaiMinuteOfDay(new Date('2026-07-15T14:30:00Z'))).toBe(22 * 60 + 30);
    expect(shanghaiMinuteOfDay(new Date('2026-03-29T01:00:00Z'))).toBe(9 * 60);
    expect(shanghaiMidnight(new Date('2026-07-15T17:00:00Z')).toISOString()).toBe('2026-07-15T16:00:00.000Z');
    expect(shanghaiMidnight(new Date('2026-07-15T15:59:00Z')).toISOString()).toBe('2026-07-14T16:00:00.000Z');
  });
  it('parses HH:MM and nothing else', () => {
    expect(parseHhmm('06:30')).toBe(390);
    expect(parseHhmm('24:00')).toBeNull();
    expect(parseHhmm('6:30')).toBeNull();
    expect(parseHhmm(undefined)).toBeNull();
  });
});

describe('isQuiet', () => {
  it('holds a window across midnight on both sides of it, start included and end excluded', () => {
    expect(isQuiet(sh('2026-12-07T21:59:00'), '22:00', '06:00')).toBe(false);
    expect(isQuiet(sh('2026-12-07T22:00:00'), '22:00', '06:00')).toBe(true);
    expect(isQuiet(sh('2026-12-07T23:59:59'), '22:00', '06:00')).toBe(true);
    expect(isQuiet(sh('2026-12-08T00:00:00'), '22:00', '06:00')).toBe(true);
    expect(isQuiet(sh('2026-12-08T05:59:00'), '22:00', '06:00')).toBe(true);
    expect(isQuiet(sh('2026-12-08T06:00:00'), '22:00', '06:00')).toBe(false);
    expect(isQuiet(sh('2026-12-08T12:00:00'), '22:00', '06:00')).toBe(false);
  });
  it('holds a window within one day', () => {
    expect(isQuiet(sh('2026-12-07T11:59:00'), '12:00', '14:00')).toBe(false);
    expect(isQuiet(sh('2026-12-07T13:00:00'), '12:00', '14:00')).toBe(true);
    expect(isQuiet(sh('2026-12-07T23:00:00'), '12:00', '14:00')).toBe(false);
  });
  it('reads the Shanghai clock, not UTC (22:30 Shanghai is 14:30 UTC)', () => {
    expect(isQuiet(new Date('2026-07-01T14:30:00Z'), '22:00', '06:00')).toBe(true);
    expect(isQuiet(new Date('2026-07-01T21:30:00Z'), '22:00', '06:00')).toBe(true); // 05:30 on 2 July
    expect(isQuiet(new Date('2026-07-01T22:30:00Z'), '22:00', '06:00')).toBe(false); // 06:30 on 2 July
  });
  it('is never quiet without hours or with an empty window', () => {
    expect(isQuiet(sh('2026-12-07T23:00:00'))).toBe(false);
    expect(isQuiet(sh('2026-12-07T23:00:00'), '22:00', null)).toBe(false);
    expect(isQuiet(sh('2026-12-07T23:00:00'), '22:00', '22:00')).toBe(false);
  });
});

describe('noUseWindowStart', () => {
  it('is windowHours back without quiet hours', () => {
    expect(noUseWindowStart(sh('2026-12-07T08:00:00'), 8)).toEqual(sh('2026-12-07T00:00:00'));
    expect(noUseWindowStart(sh('2026-12-07T08:00:00'), 8, null)).toEqual(sh('2026-12-07T00:00:00'));
  });
  it('stretches back over the night: 8 h at 08:00 with 22:00–06:00 quiet starts at 16:00 the day before', () => {
    expect(noUseWindowStart(sh('2026-12-07T08:00:00'), 8, NIGHT)).toEqual(sh('2026-12-06T16:00:00'));
  });
  it('counts no quiet time before now when asked inside quiet hours (and at their very end)', () => {
    expect(noUseWindowStart(sh('2026-12-07T23:00:00'), 8, NIGHT)).toEqual(sh('2026-12-07T14:00:00'));
    expect(noUseWindowStart(sh('2026-12-08T03:00:00'), 8, NIGHT)).toEqual(sh('2026-12-07T14:00:00'));
    expect(noUseWindowStart(sh('2026-12-08T06:00:00'), 8, NIGHT)).toEqual(sh('2026-12-07T14:00:00'));
  });
  it('needs no stretching when the window ends before the quiet hours', () => {
    expect(noUseWindowStart(sh('2026-12-07T21:00:00'), 8, NIGHT)).toEqual(sh('2026-12-07T13:00:00'));
    expect(noUseWindowStart(sh('2026-12-07T22:00:00'), 16, NIGHT)).toEqual(sh('2026-12-07T06:00:00'));
  });
  it('crosses several nights for a long window', () => {
    // 72 h of daytime (16 h a day) is 4.5 days of it.
    const start = noUseWindowStart(sh('2026-12-07T14:00:00'), 72, NIGHT);
    expect(start).toEqual(sh('2026-12-03T06:00:00'));
  });
  it('handles quiet hours within the day', () => {
    const lunch = quietOf('12:00', '14:00');
    expect(noUseWindowStart(sh('2026-12-07T15:00:00'), 2, lunch)).toEqual(sh('2026-12-07T11:00:00'));
  });
  it('always holds exactly windowHours of non-quiet time (checked minute by minute)', () => {
    const cases: [string, number, string, string][] = [];
    for (let h = 0; h < 24; h += 1) {
      cases.push([`2026-12-07T${String(h).padStart(2, '0')}:17:00`, 8, '22:00', '06:00']);
      cases.push([`2026-06-20T${String(h).padStart(2, '0')}:43:00`, 12.5, '23:30', '05:15']);
      cases.push([`2026-03-01T${String(h).padStart(2, '0')}:00:00`, 3, '12:00', '14:00']);
    }
    for (const [at, hours, s, e] of cases) {
      const now = sh(at);
      const start = noUseWindowStart(now, hours, quietOf(s, e));
      expect(nonQuietMinutes(start, now, s, e), `${at} ${hours}h ${s}-${e}`).toBe(hours * 60);
      // and it starts where non-quiet time begins to count (not inside a quiet stretch it need not reach)
      expect(isQuiet(start, s, e), `${at} start ${start.toISOString()}`).toBe(false);
    }
  });
});

describe('decideNoUse', () => {
  const p = { metric: 'total_l', windowHours: 8, minUse: 10 };
  it('fires below the minimum, with what it saw', () => {
    const since = sh('2026-12-06T16:00:00');
    expect(decideNoUse(p, { used: 0.4, away: false, quiet: false, windowStart: since })).toEqual({
      decision: 'fire',
      detail: { metric: 'total_l', used: 0.4, minUse: 10, windowHours: 8, since: since.toISOString() },
    });
  });
  it('clears when use reached the minimum', () => {
    expect(decideNoUse(p, { used: 10, away: false, quiet: false })).toEqual({ decision: 'clear' });
    expect(decideNoUse(p, { used: 250, away: false, quiet: false })).toEqual({ decision: 'clear' });
  });
  it('says nothing while the person is away, in quiet hours, or without a reading before the window', () => {
    expect(decideNoUse(p, { used: 0, away: true, quiet: false })).toEqual({ decision: 'skip', reason: 'away' });
    expect(decideNoUse(p, { used: 0, away: false, quiet: true })).toEqual({ decision: 'skip', reason: 'quiet' });
    expect(decideNoUse(p, { used: null, away: false, quiet: false })).toEqual({
      decision: 'skip',
      reason: 'no_baseline',
    });
  });
  it('treats a register that went backwards (meter replaced) as no use', () => {
    expect(decideNoUse(p, { used: -500, away: false, quiet: false })).toMatchObject({
      decision: 'fire',
      detail: { used: 0 },
    });
  });
});

describe('decideHighUse', () => {
  const p = { metric: 'total_l', windowMinutes: 60, maxUse: 300 };
  it('fires above the maximum only', () => {
    expect(decideHighUse(p, { used: 300.5 })).toEqual({
      decision: 'fire',
      detail: { metric: 'total_l', used: 300.5, maxUse: 300, windowMinutes: 60 },
    });
    expect(decideHighUse(p, { used: 300 })).toEqual({ decision: 'clear' });
    expect(decideHighUse(p, { used: null })).toEqual({ decision: 'skip', reason: 'no_baseline' });
  });
});

describe('decideSilent', () => {
  const now = sh('2026-12-07T10:00:00');
  it('fires once nothing was heard for the minutes', () => {
    expect(
      decideSilent({ minutes: 60 }, { now, lastSeenAt: sh('2026-12-07T08:55:00'), since: sh('2026-01-01T00:00:00') }),
    ).toEqual({
      decision: 'fire',
      detail: { minutes: 60, silentMinutes: 65, lastSeenAt: sh('2026-12-07T08:55:00').toISOString() },
    });
    expect(decideSilent({ minutes: 60 }, { now, lastSeenAt: sh('2026-12-07T09:01:00'), since: now })).toEqual({
      decision: 'clear',
    });
  });
  it('counts a device never heard from since its installation, and waits for a future one', () => {
    expect(decideSilent({ minutes: 60 }, { now, lastSeenAt: null, since: sh('2026-12-07T08:00:00') })).toMatchObject({
      decision: 'fire',
      detail: { silentMinutes: 120, lastSeenAt: null },
    });
    expect(decideSilent({ minutes: 60 }, { now, lastSeenAt: null, since: sh('2026-12-07T09:30:00') })).toEqual({
      decision: 'clear',
    });
    expect(decideSilent({ minutes: 60 }, { now, lastSeenAt: null, since: sh('2026-12-08T00:00:00') })).toEqual({
      decision: 'skip',
      reason: 'not_installed',
    });
  });
});

describe('the ladder', () => {
  const ladder = sortLadder([
    { level: 'grid' as const, afterMin: 15 },
    { level: 'family' as const, afterMin: 0 },
    { level: 'street' as const, afterMin: 120 },
    { level: 'community' as const, afterMin: 45 },
  ]);
  const first = sh('2026-12-07T10:00:00');
  it('sorts steps by when they fall due', () => {
    expect(ladder.map((s) => s.level)).toEqual(['family', 'grid', 'community', 'street']);
  });
  it('times each step from the first trigger', () => {
    expect(ladderDue(first, ladder, 0)).toEqual(first);
    expect(ladderDue(first, ladder, 1)).toEqual(sh('2026-12-07T10:15:00'));
    expect(ladderDue(first, ladder, 3)).toEqual(sh('2026-12-07T12:00:00'));
    expect(ladderDue(first, ladder, 4)).toBeNull();
    expect(ladderDue(first, [], 0)).toBeNull();
  });
  it('names the next step while the alarm is active, and none once acknowledged or at the top', () => {
    expect(nextStep(first, ladder, -1)).toEqual({ step: 0, at: first });
    expect(nextStep(first, ladder, 0)).toEqual({ step: 1, at: sh('2026-12-07T10:15:00') });
    expect(nextStep(first, ladder, 3)).toBeNull();
    expect(nextStep(first, ladder, 0, 'acknowledged')).toBeNull();
    expect(nextStep(first, ladder, 0, 'resolved')).toBeNull();
  });
  it('lists the steps already due (at raise: the family at 0 minutes)', () => {
    expect(stepsDueAt(first, ladder, first)).toEqual([0]);
    expect(stepsDueAt(first, ladder, sh('2026-12-07T10:50:00'))).toEqual([0, 1, 2]);
    expect(stepsDueAt(first, ladder, sh('2026-12-07T10:50:00'), 1)).toEqual([1, 2]);
    expect(stepsDueAt(first, [{ level: 'grid', afterMin: 5 }], first)).toEqual([]);
  });
});

describe('alarmSummary', () => {
  const names = {
    metrics: [
      { key: 'total_l', nameZh: '累计用水量', nameEn: 'Water used (total)', unit: 'L' },
      { key: 'heart_rate', nameZh: '心率', nameEn: 'Heart rate', unit: 'bpm' },
    ],
    events: [{ key: 'sos', nameZh: 'SOS 呼救', nameEn: 'SOS pressed' }],
  };
  it('says each kind in Chinese and English', () => {
    expect(alarmSummary('no_use', { metric: 'total_l', used: 0.4, minUse: 10, windowHours: 8 }, 'zh-CN', names)).toBe(
      '8 小时用量 0.4 升（低于 10 升）',
    );
    expect(alarmSummary('no_use', { metric: 'total_l', used: 0.4, minUse: 10, windowHours: 8 }, 'en', names)).toBe(
      '0.4 L used in 8 h (below 10 L)',
    );
    expect(alarmSummary('threshold', { metric: 'heart_rate', value: 150, above: 120 }, 'zh-CN', names)).toBe(
      '心率 150 次/分（高于 120）',
    );
    expect(alarmSummary('threshold', { metric: 'heart_rate', value: 40, below: 45 }, 'en', names)).toBe(
      'Heart rate 40 bpm (below 45)',
    );
    expect(alarmSummary('event', { event: 'sos' }, 'zh-CN', names)).toBe('SOS 呼救');
    expect(alarmSummary('event', { event: 'sos' }, 'en', names)).toBe('SOS pressed');
    expect(alarmSummary('event', { event: 'unknown_thing' }, 'en', names)).toBe('unknown_thing');
    expect(
      alarmSummary('high_use', { metric: 'total_l', used: 420, maxUse: 300, windowMinutes: 60 }, 'zh-CN', names),
    ).toBe('60 分钟用量 420 升（高于 300 升）');
    expect(alarmSummary('silent', { minutes: 60, silentMinutes: 95 }, 'zh-CN')).toBe(
      '设备已 95 分钟无数据（超过 60 分钟）',
    );
    expect(alarmSummary('silent', { minutes: 60, silentMinutes: 95 }, 'en')).toBe('No data for 95 min (limit 60 min)');
  });
});
