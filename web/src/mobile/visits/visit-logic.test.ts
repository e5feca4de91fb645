import { describe, expect, it } from 'vitest';
import { dayAndWeek, groupTasks, healthOf, newClientId, taskLabel } from './visit-logic';

// Wednesday 2026-12-09 10:00 in Shanghai
const now = new Date('2026-12-09T02:00:00.000Z');
const task = (id: number, dueAt: string, overdue = false) => ({ id, dueAt, overdue });

describe('the phone’s visit task groups', () => {
  it('knows the day and the Monday-to-Sunday week in Asia/Shanghai', () => {
    const { dayStart, dayEnd, weekEnd } = dayAndWeek(now);
    expect(new Date(dayStart).toISOString()).toBe('2026-12-08T16:00:00.000Z');
    expect(new Date(dayEnd).toISOString()).toBe('2026-12-09T16:00:00.000Z');
    expect(new Date(weekEnd).toISOString()).toBe('2026-12-13T16:00:00.000Z');
    // late on Sunday night the week still ends at midnight; just after, a new week begins
    expect(new Date(dayAndWeek(new Date('2026-12-13T15:59:00Z')).weekEnd).toISOString()).toBe(
      '2026-12-13T16:00:00.000Z',
    );
    expect(new Date(dayAndWeek(new Date('2026-12-13T16:00:00Z')).weekEnd).toISOString()).toBe(
      '2026-12-20T16:00:00.000Z',
    );
  });

  it('groups overdue, today, this week and later, soonest first', () => {
    const groups = groupTasks(
      [
        task(1, '2026-12-13T15:59:59.999Z'), // Sunday 23:59 Shanghai: this week
        task(2, '2026-12-09T15:59:59.999Z'), // today 23:59
        task(3, '2026-12-08T15:59:59.999Z', true), // yesterday, overdue
        task(4, '2026-12-13T16:00:00.000Z'), // next Monday
        task(5, '2026-12-09T01:00:00.000Z'), // earlier today, not yet marked overdue by the server: overdue now
        task(6, '2026-12-10T03:00:00.000Z'),
      ],
      now,
    );
    expect({
      overdue: groups.overdue.map((t) => t.id),
      today: groups.today.map((t) => t.id),
      week: groups.week.map((t) => t.id),
      later: groups.later.map((t) => t.id),
    }).toEqual({ overdue: [3, 5], today: [2], week: [6, 1], later: [4] });
  });

  it('labels a task by its person and place, or the place alone', () => {
    expect(taskLabel({ residentName: '张*明', placeLabel: '第一网格 / 1号楼' })).toBe('张*明 · 第一网格 / 1号楼');
    expect(taskLabel({ residentName: null, placeLabel: '第一网格 / 1号楼' })).toBe('第一网格 / 1号楼');
  });
});

describe('the health observation sent with a visit', () => {
  it('leaves out empty fields and sends nothing when nothing was noted', () => {
    expect(healthOf({})).toEqual({ health: undefined, invalid: [] });
    expect(healthOf({ systolic: ' ', temperature: '' })).toEqual({ health: undefined, invalid: [] });
  });

  it('sends the numbers and choices given', () => {
    expect(healthOf({ systolic: '135', diastolic: '85', heartRate: '72', temperature: '36.6', mood: 'good' })).toEqual({
      health: { systolic: 135, diastolic: 85, heartRate: 72, temperature: 36.6, mood: 'good' },
      invalid: [],
    });
  });

  it('names the fields the server would refuse (out of range, not a number, a fraction for a whole number)', () => {
    const result = healthOf({ systolic: '400', heartRate: '72.5', temperature: 'abc', bloodSugar: '5.6' });
    expect(result.invalid).toEqual(['systolic', 'heartRate', 'temperature']);
    expect(result.health).toEqual({ bloodSugar: 5.6 });
  });
});

describe('a visit’s clientId', () => {
  it('is a v4 UUID, new every time', () => {
    const a = newClientId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newClientId()).not.toBe(a);
  });
});
