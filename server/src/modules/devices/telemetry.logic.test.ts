import { describe, expect, it } from 'vitest';
import {
  addMonths,
  checkRange,
  chooseResolution,
  expiredPartitions,
  parsePartitionName,
  parseRetention,
  partitionFor,
  partitionPlan,
  usedBetween,
} from './telemetry.logic.js';

describe('partitionPlan', () => {
  it('wants the months from now − retention through two ahead, cut at the oldest one’s start', () => {
    const { wanted, cutoff } = partitionPlan(new Date('2026-12-07T05:00:00Z'), 13);
    expect(wanted.map((p) => p.name)).toEqual([
      'telemetry_y2025m11',
      'telemetry_y2025m12',
      ...Array.from({ length: 12 }, (_, i) => `telemetry_y2026m${String(i + 1).padStart(2, '0')}`),
      'telemetry_y2027m01',
      'telemetry_y2027m02',
    ]);
    expect(cutoff.toISOString()).toBe('2025-11-01T00:00:00.000Z');
  });

  it('turns months at UTC midnight of the first, across a year', () => {
    expect(partitionFor({ year: 2026, month: 12 })).toMatchObject({
      name: 'telemetry_y2026m12',
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
    });
    expect(addMonths({ year: 2026, month: 1 }, -1)).toEqual({ year: 2025, month: 12 });
    expect(addMonths({ year: 2026, month: 11 }, 14)).toEqual({ year: 2028, month: 1 });
  });
});

describe('expiredPartitions', () => {
  it('names months wholly before the cut-off and leaves other tables alone', () => {
    const cutoff = new Date('2026-01-01T00:00:00Z');
    expect(
      expiredPartitions(
        ['telemetry_y2025m11', 'telemetry_y2025m12', 'telemetry_y2026m01', 'telemetry_default'],
        cutoff,
      ),
    ).toEqual(['telemetry_y2025m11', 'telemetry_y2025m12']);
    expect(parsePartitionName('telemetry_y2025m13')).toBeNull();
  });
});

describe('parseRetention', () => {
  it('takes a number of months or {months}, and the default for anything else', () => {
    expect(parseRetention(6)).toBe(6);
    expect(parseRetention({ months: 24 })).toBe(24);
    expect(parseRetention('3')).toBe(3);
    expect(parseRetention(undefined)).toBe(13);
    expect(parseRetention(0)).toBe(13);
    expect(parseRetention(2.5)).toBe(13);
  });
});

describe('reading a range back', () => {
  it('refuses a backwards, empty or longer than 400 days range', () => {
    expect(checkRange('2026-12-02T00:00:00Z', '2026-12-01T00:00:00Z')).toEqual({ ok: false, field: 'to' });
    expect(checkRange('2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')).toEqual({ ok: false, field: 'to' });
    expect(checkRange('2025-01-01T00:00:00Z', '2026-02-06T00:00:00Z')).toEqual({ ok: false, field: 'to' });
    expect(checkRange('nonsense', '2026-02-06T00:00:00Z')).toEqual({ ok: false, field: 'from' });
    expect(checkRange('2025-01-01T00:00:00Z', '2026-02-05T00:00:00Z').ok).toBe(true);
  });

  it('reads raw up to two days on auto, hourly beyond, and what was asked otherwise', () => {
    const from = new Date('2026-12-01T00:00:00Z');
    expect(chooseResolution(undefined, from, new Date('2026-12-03T00:00:00Z'))).toBe('raw');
    expect(chooseResolution('auto', from, new Date('2026-12-03T00:00:01Z'))).toBe('hour');
    expect(chooseResolution('raw', from, new Date('2027-12-01T00:00:00Z'))).toBe('raw');
    expect(chooseResolution('hour', from, new Date('2026-12-01T01:00:00Z'))).toBe('hour');
  });

  it('gives use as last − first, none without two readings or when the register went back', () => {
    expect(usedBetween(1000, 1286.5)).toBe(286.5);
    expect(usedBetween(null, 5)).toBeNull();
    expect(usedBetween(1000, 3)).toBeNull();
  });
});
