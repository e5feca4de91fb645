import { describe, expect, it } from 'vitest';
import { formatFigure, periodStartOf, shanghaiToday } from './metrics-format';

describe('metrics format', () => {
  it('finds the first day of weeks (Monday), months and quarters', () => {
    expect(periodStartOf('week', '2026-12-06')).toBe('2026-11-30'); // a Sunday
    expect(periodStartOf('week', '2026-12-07')).toBe('2026-12-07'); // a Monday
    expect(periodStartOf('month', '2026-02-28')).toBe('2026-02-01');
    expect(periodStartOf('quarter', '2026-12-31')).toBe('2026-10-01');
    expect(periodStartOf('quarter', '2026-03-31')).toBe('2026-01-01');
  });
  it('takes the Shanghai day', () => {
    expect(shanghaiToday(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
    expect(shanghaiToday(new Date('2026-03-31T15:59:00Z'))).toBe('2026-03-31');
  });
  it('shows rates as percentages, averages with two decimals, nothing as a dash', () => {
    expect(formatFigure('rate', 0.5)).toBe('50.0%');
    expect(formatFigure('average', 3)).toBe('3.00');
    expect(formatFigure('count', 5.5)).toBe('5.5');
    expect(formatFigure('count', 4)).toBe('4');
    expect(formatFigure('rate', null)).toBe('—');
  });
});
