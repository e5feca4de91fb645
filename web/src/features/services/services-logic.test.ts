import { describe, expect, it } from 'vitest';
import { hoursText, repairClock, yuan } from './services-logic';

describe('yuan and hoursText', () => {
  it('shows 分 as yuan and minutes as hours', () => {
    expect(yuan(700)).toBe('¥7.00');
    expect(yuan(1234)).toBe('¥12.34');
    expect(hoursText(90)).toBe('1.5');
    expect(hoursText(120)).toBe('2');
  });
});

describe('repairClock', () => {
  const now = new Date('2026-12-08T02:00:00Z');
  it('counts down the minutes left while the repair waits to be accepted', () => {
    expect(repairClock({ stageType: 'open', responseDueAt: '2026-12-08T02:09:30Z' }, now)).toEqual({
      state: 'waiting',
      minutesLeft: 10,
    });
  });
  it('says how late an unaccepted repair is past its 15 minutes', () => {
    expect(repairClock({ stageType: 'open', responseDueAt: '2026-12-08T01:55:00Z' }, now)).toEqual({
      state: 'late',
      minutesLate: 5,
    });
  });
  it('stops once the repair is accepted', () => {
    expect(repairClock({ stageType: 'in_progress', responseDueAt: '2026-12-08T01:55:00Z' }, now)).toEqual({
      state: 'responded',
    });
    expect(repairClock({ stageType: 'open', responseDueAt: null }, now)).toEqual({ state: 'none' });
  });
});
