import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addSla,
  type CalendarOverride,
  calendarFrom,
  isCalendarDate,
  isYearEmpty,
  minutesPerDay,
  officialKind,
  periodsProblem,
  shanghaiDay,
  shanghaiTime,
  workingMinutesBetween,
  yearDays,
} from './calendar.logic.js';

const at = (day: string, hhmm: string) => shanghaiTime(day, hhmm);
const iso = (day: string, hhmm: string) => at(day, hhmm).toISOString();
const cal = calendarFrom([]);
const hours = (amount: number) => ({ amount, unit: 'working_hours' as const });
const days = (amount: number) => ({ amount, unit: 'working_days' as const });

describe('the official calendar (chinese-days)', () => {
  it('knows the 2026 Spring Festival and its make-up Saturdays', () => {
    expect(officialKind('2026-02-14')).toBe('workday'); // Saturday, 补班
    for (const d of ['15', '16', '17', '18', '19', '20', '21', '22', '23']) {
      expect(officialKind(`2026-02-${d}`)).toBe('holiday');
    }
    expect(officialKind('2026-02-24')).toBe('workday');
    expect(officialKind('2026-02-28')).toBe('workday'); // Saturday, 补班
    expect(officialKind('2026-03-07')).toBe('holiday'); // an ordinary Saturday
    expect(officialKind('2026-01-04')).toBe('workday'); // Sunday, 元旦补班
  });
});

describe('addSla', () => {
  it('carries working hours over a weekend', () => {
    // Friday 16:30: one hour left that day, the second on Monday morning.
    expect(addSla(at('2026-03-06', '16:30'), hours(2), cal).toISOString()).toBe(iso('2026-03-09', '10:00'));
  });

  it('skips the lunch break', () => {
    expect(addSla(at('2026-03-09', '11:00'), hours(2), cal).toISOString()).toBe(iso('2026-03-09', '14:30'));
  });

  it('starts the clock at the next working period when started outside working time', () => {
    expect(addSla(at('2026-03-09', '07:00'), hours(1), cal).toISOString()).toBe(iso('2026-03-09', '10:00'));
    expect(addSla(at('2026-03-09', '12:30'), hours(1), cal).toISOString()).toBe(iso('2026-03-09', '14:30'));
    expect(addSla(at('2026-03-09', '20:00'), hours(1), cal).toISOString()).toBe(iso('2026-03-10', '10:00'));
    expect(addSla(at('2026-03-07', '10:00'), hours(1), cal).toISOString()).toBe(iso('2026-03-09', '10:00'));
  });

  it('ends at a period end rather than the start of the next', () => {
    expect(addSla(at('2026-03-09', '09:00'), hours(3), cal).toISOString()).toBe(iso('2026-03-09', '12:00'));
    expect(addSla(at('2026-03-09', '09:00'), days(1), cal).toISOString()).toBe(iso('2026-03-09', '17:30'));
  });

  it('counts the make-up Saturday before the Spring Festival and skips the holiday week', () => {
    // Friday 13 Feb 15:00: 150 minutes that day, the remaining 270 on Saturday 14 Feb (补班).
    expect(addSla(at('2026-02-13', '15:00'), days(1), cal).toISOString()).toBe(iso('2026-02-14', '15:00'));
    // A second working day: 150 minutes on Saturday, then nothing until Tuesday 24 Feb.
    expect(addSla(at('2026-02-13', '15:00'), days(2), cal).toISOString()).toBe(iso('2026-02-24', '15:00'));
    // Reported during the holiday: the clock starts on the first working day after it.
    expect(addSla(at('2026-02-17', '10:00'), hours(8), cal).toISOString()).toBe(iso('2026-02-25', '10:00'));
  });

  it('works on the make-up Saturday after the Spring Festival', () => {
    expect(addSla(at('2026-02-27', '17:00'), hours(1), cal).toISOString()).toBe(iso('2026-02-28', '09:30'));
    // And the Sunday after it is off again.
    expect(addSla(at('2026-02-28', '17:00'), hours(1), cal).toISOString()).toBe(iso('2026-03-02', '09:30'));
  });

  it('crosses New Year 2026 into its make-up Sunday', () => {
    expect(addSla(at('2025-12-31', '17:00'), hours(1), cal).toISOString()).toBe(iso('2026-01-04', '09:30'));
  });

  it('counts wall-clock minutes for urgent classes, holidays or not', () => {
    const sla = { amount: 15, unit: 'minutes' as const };
    expect(addSla(at('2026-02-16', '23:50'), sla, cal).toISOString()).toBe(iso('2026-02-17', '00:05'));
  });

  it('takes fractions of a working day', () => {
    expect(addSla(at('2026-03-09', '09:00'), days(0.5), cal).toISOString()).toBe(iso('2026-03-09', '14:00'));
  });

  it('follows local overrides over the official schedule', () => {
    const local = calendarFrom([
      { day: '2026-03-09', kind: 'holiday', name: '本地停工' },
      { day: '2026-03-14', kind: 'workday', name: '防汛值班' },
    ]);
    expect(addSla(at('2026-03-06', '16:30'), hours(2), local).toISOString()).toBe(iso('2026-03-10', '10:00'));
    expect(addSla(at('2026-03-13', '17:00'), hours(1), local).toISOString()).toBe(iso('2026-03-14', '09:30'));
    // An official make-up day made a holiday here.
    const noMakeUp = calendarFrom([{ day: '2026-02-28', kind: 'holiday' }]);
    expect(addSla(at('2026-02-27', '17:00'), hours(1), noMakeUp).toISOString()).toBe(iso('2026-03-02', '09:30'));
  });

  it('uses the configured working periods', () => {
    const long = calendarFrom([], [{ start: '08:00', end: '18:00' }]);
    expect(minutesPerDay(long.periods)).toBe(600);
    expect(addSla(at('2026-03-09', '17:00'), hours(2), long).toISOString()).toBe(iso('2026-03-10', '09:00'));
    expect(addSla(at('2026-03-09', '08:00'), days(1), long).toISOString()).toBe(iso('2026-03-09', '18:00'));
  });

  it('refuses a calendar without any working day in reach', () => {
    const overrides: CalendarOverride[] = [];
    for (let t = Date.parse('2026-03-01T00:00:00Z'); t < Date.parse('2029-06-01T00:00:00Z'); t += 86_400_000) {
      overrides.push({ day: new Date(t).toISOString().slice(0, 10), kind: 'holiday' as const });
    }
    expect(() => addSla(at('2026-03-02', '09:00'), hours(1), calendarFrom(overrides))).toThrow(/no working time/);
  });
});

describe('workingMinutesBetween', () => {
  it('measures the Spring Festival span as two working days', () => {
    expect(workingMinutesBetween(at('2026-02-13', '15:00'), at('2026-02-24', '15:00'), cal)).toBe(840);
  });
  it('is negative backwards and zero over a weekend', () => {
    expect(workingMinutesBetween(at('2026-03-09', '10:00'), at('2026-03-09', '09:00'), cal)).toBe(-60);
    expect(workingMinutesBetween(at('2026-03-06', '18:00'), at('2026-03-09', '08:00'), cal)).toBe(0);
  });
});

// Instants from 2025 to the end of 2026, where the official schedule is known.
const instant = fc
  .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2026-12-20T00:00:00Z') })
  .map((t) => new Date(Math.floor(t / 60_000) * 60_000));
const overrideList = fc.array(
  fc.record({
    day: fc.integer({ min: 0, max: 700 }).map((n) => shanghaiDay(Date.parse('2025-01-01T00:00:00Z') + n * 86_400_000)),
    kind: fc.constantFrom('workday' as const, 'holiday' as const),
  }),
  { maxLength: 20 },
);

describe('addSla (properties)', () => {
  it('adds exactly the working time that workingMinutesBetween measures back', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 200 }), overrideList, (start, quarterHours, overrides) => {
        const c = calendarFrom(overrides);
        const minutes = quarterHours * 15;
        const due = addSla(start, hours(minutes / 60), c);
        expect(due.getTime()).toBeGreaterThan(start.getTime());
        expect(workingMinutesBetween(start, due, c)).toBeCloseTo(minutes, 6);
      }),
      { numRuns: 300 },
    );
  });

  it('never moves a deadline earlier for a later start, and ends inside working time', () => {
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: 1, max: 40 }), (a, b, h) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const dueEarly = addSla(early, hours(h), cal);
        const dueLate = addSla(late, hours(h), cal);
        expect(dueLate.getTime()).toBeGreaterThanOrEqual(dueEarly.getTime());
        const day = shanghaiDay(dueLate);
        expect(cal.kindOf(day)).toBe('workday');
        const inside = cal.periods.some(
          (p) => dueLate > at(day, p.start) && dueLate.getTime() <= at(day, p.end).getTime(),
        );
        expect(inside).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('makes one working day equal to a day of working hours', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 10 }), (start, n) => {
        expect(addSla(start, days(n), cal).getTime()).toBe(addSla(start, hours(n * 7), cal).getTime());
      }),
      { numRuns: 200 },
    );
  });
});

describe('periodsProblem', () => {
  it('accepts the default periods and refuses bad ones', () => {
    expect(periodsProblem([{ start: '09:00', end: '12:00' }])).toBeNull();
    expect(periodsProblem([])).toMatch(/at least one/);
    expect(periodsProblem([{ start: '9:00', end: '12:00' }])).toMatch(/HH:MM/);
    expect(periodsProblem([{ start: '12:00', end: '09:00' }])).toMatch(/ends before/);
    expect(
      periodsProblem([
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
      ]),
    ).toMatch(/overlap/);
    expect(() => calendarFrom([], [])).toThrow(/invalid working periods/);
  });
});

describe('yearDays and isYearEmpty', () => {
  it('lists the official days of 2026 and the local ones over them', () => {
    const list = yearDays(2026, [
      { day: '2026-02-28', kind: 'holiday', name: '不补班' },
      { day: '2026-03-14', kind: 'workday', name: '防汛值班' },
    ]);
    expect(list.find((d) => d.date === '2026-02-16')).toEqual({
      date: '2026-02-16',
      kind: 'holiday',
      name: '春节',
      source: 'official',
    });
    expect(list.find((d) => d.date === '2026-02-14')).toMatchObject({ kind: 'workday', source: 'official' });
    expect(list.find((d) => d.date === '2026-02-28')).toEqual({
      date: '2026-02-28',
      kind: 'holiday',
      name: '不补班',
      source: 'local',
    });
    expect(list.find((d) => d.date === '2026-03-14')).toMatchObject({ kind: 'workday', source: 'local' });
    expect(list.some((d) => d.date === '2026-03-07')).toBe(false);
  });
  it('finds a year without published holidays empty until a holiday is entered', () => {
    expect(isYearEmpty(2026, [])).toBe(false);
    expect(isYearEmpty(2027, [])).toBe(true);
    expect(isYearEmpty(2027, [{ day: '2027-02-06', kind: 'holiday', name: '春节' }])).toBe(false);
  });
  it('checks dates', () => {
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-2-1')).toBe(false);
  });
});
