import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMetricValue,
  formatSigned,
  formatValueOf,
  metricLabel,
  metricsFor,
  periodLabel,
  periodStartOf,
  previousPeriod,
  rankTrend,
  recentPeriods,
  shanghaiToday,
  totalTrend,
  weightStatus,
  weightSum,
} from './assessment-format';

describe('values by the catalogue’s kind', () => {
  it('shows a rate as a percentage, an average with two decimals, a count whole', () => {
    expect(formatMetricValue('rate', 0.8765)).toBe('87.7%');
    expect(formatMetricValue('rate', 1)).toBe('100%');
    expect(formatMetricValue('rate', 0)).toBe('0%');
    expect(formatMetricValue('average', 4.256)).toBe('4.26');
    expect(formatMetricValue('average', 4)).toBe('4');
    expect(formatMetricValue('count', 12)).toBe('12');
    expect(formatMetricValue('count', 12.25)).toBe('12.3');
    expect(formatMetricValue('count', null)).toBe('—');
    expect(formatMetricValue('rate', Number.NaN)).toBe('—');
  });

  it('finds the kind from the metric code', () => {
    expect(formatValueOf('cases_on_time_rate', 0.5)).toBe('50%');
    expect(formatValueOf('cases_overdue', 3)).toBe('3');
    expect(formatValueOf('cases_satisfaction', 4.5)).toBe('4.5');
    expect(formatValueOf('no_such_metric', 1.234)).toBe('1.23');
  });

  it('labels metrics in the language in use', () => {
    expect(metricLabel('household_coverage', 'zh-CN')).toBe('入户覆盖率');
    expect(metricLabel('household_coverage', 'en')).toBe('Household coverage');
    expect(metricLabel('mystery', 'zh-CN')).toBe('mystery');
  });

  it('offers only metrics computed for the scheme’s subject', () => {
    const worker = metricsFor('worker');
    expect(worker).toContain('visits_on_time_rate');
    expect(worker).not.toContain('data_freshness');
    expect(worker).not.toContain('points_issued');
    expect(metricsFor('grid')).toContain('data_freshness');
    expect(metricsFor('community')).toEqual(metricsFor('grid'));
  });

  it('signs adjustments', () => {
    expect(formatSigned(3)).toBe('+3');
    expect(formatSigned(-2.5)).toBe('−2.5');
    expect(formatSigned(0)).toBe('0');
  });
});

describe('weights', () => {
  it('sums weights without float noise and compares with the total', () => {
    expect(weightSum([{ weight: 33.3 }, { weight: 66.7 }])).toBe(100);
    expect(weightSum([{ weight: 0.1 }, { weight: 0.2 }])).toBe(0.3);
    expect(weightSum([{ weight: 40 }, { weight: null }, {}])).toBe(40);
    expect(weightStatus([{ weight: 60 }, { weight: 40 }], 100)).toBe('ok');
    expect(weightStatus([{ weight: 60 }], 100)).toBe('under');
    expect(weightStatus([{ weight: 60 }, { weight: 50 }], 100)).toBe('over');
  });

  it('is the plain sum for whole weights (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 20 }), (ws) => {
        expect(weightSum(ws.map((weight) => ({ weight })))).toBe(ws.reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe('trend arrows', () => {
  it('reads a smaller rank as better', () => {
    expect(rankTrend(2, 5)).toEqual({ arrow: '↑', colour: 'green', text: '↑3' });
    expect(rankTrend(5, 2)).toEqual({ arrow: '↓', colour: 'red', text: '↓3' });
    expect(rankTrend(3, 3).arrow).toBe('–');
    expect(rankTrend(3, null).arrow).toBeNull();
  });

  it('compares totals', () => {
    expect(totalTrend(85.5, 81).text).toBe('↑4.5');
    expect(totalTrend(80, 82.25).text).toBe('↓2.25');
    expect(totalTrend(80, 80).text).toBe('–');
    expect(totalTrend(80, undefined).text).toBe('');
  });
});

describe('periods', () => {
  it('finds the start of a week (Monday), month and quarter', () => {
    expect(periodStartOf('week', '2026-12-07')).toBe('2026-12-07'); // a Monday
    expect(periodStartOf('week', '2026-12-13')).toBe('2026-12-07'); // a Sunday
    expect(periodStartOf('week', '2027-01-01')).toBe('2026-12-28');
    expect(periodStartOf('month', '2026-12-31')).toBe('2026-12-01');
    expect(periodStartOf('quarter', '2026-12-07')).toBe('2026-10-01');
    expect(periodStartOf('quarter', '2026-03-31')).toBe('2026-01-01');
  });

  it('steps back and lists recent periods newest first', () => {
    expect(previousPeriod('month', '2026-01-01')).toBe('2025-12-01');
    expect(previousPeriod('quarter', '2026-01-01')).toBe('2025-10-01');
    expect(previousPeriod('week', '2026-01-05')).toBe('2025-12-29');
    expect(recentPeriods('quarter', '2026-12-07', 3)).toEqual(['2026-10-01', '2026-07-01', '2026-04-01']);
  });

  it('labels periods in both languages', () => {
    expect(periodLabel('month', '2026-11-01', 'zh-CN')).toBe('2026年11月');
    expect(periodLabel('month', '2026-11-01', 'en')).toBe('2026-11');
    expect(periodLabel('quarter', '2026-10-01', 'zh-CN')).toBe('2026年第4季度');
    expect(periodLabel('quarter', '2026-10-01', 'en')).toBe('2026 Q4');
    expect(periodLabel('week', '2026-12-07', 'zh-CN')).toBe('2026年第50周');
    expect(periodLabel('week', '2025-12-29', 'en')).toBe('2026 W01');
  });

  it('takes today in Shanghai', () => {
    expect(shanghaiToday(new Date('2026-12-07T17:00:00Z'))).toBe('2026-12-08');
    expect(shanghaiToday(new Date('2026-12-07T15:59:00Z'))).toBe('2026-12-07');
  });
});
