import { describe, expect, it } from 'vitest';
import { formatTime, shanghaiDayBound } from './time';

describe('formatTime', () => {
  it('shows a UTC instant in Beijing time', () => {
    expect(formatTime('2026-01-31T16:05:09Z')).toBe('2026-02-01 00:05:09');
  });

  it('shows nothing for a missing time', () => {
    expect(formatTime(null)).toBe('');
  });
});

describe('shanghaiDayBound', () => {
  it('starts a Beijing day at 16:00 UTC the day before', () => {
    expect(shanghaiDayBound('2026-03-01', 'start')).toBe('2026-02-28T16:00:00.000Z');
    expect(shanghaiDayBound('2026-03-01', 'end')).toBe('2026-03-01T15:59:59.999Z');
  });
});
