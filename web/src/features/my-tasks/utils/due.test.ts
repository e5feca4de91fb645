import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { dueText, sayDue } from './due';

const NOW = new Date('2026-03-01T08:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const MIN = 60_000;

describe('dueText', () => {
  it('says how long is left in the largest whole unit', () => {
    expect(dueText(at(30 * MIN), false, NOW)).toEqual({ key: 'dueIn', time: { unit: 'minutes', count: 30 } });
    expect(dueText(at(20 * 1000), false, NOW)).toEqual({ key: 'dueIn', time: { unit: 'minutes', count: 1 } });
    expect(dueText(at(150 * MIN), false, NOW)).toEqual({ key: 'dueIn', time: { unit: 'hours', count: 2 } });
    expect(dueText(at(3 * 24 * 60 * MIN + MIN), false, NOW)).toEqual({
      key: 'dueIn',
      time: { unit: 'days', count: 3 },
    });
  });

  it('says how long ago the time ran out, also when the server marked it overdue before its time', () => {
    expect(dueText(at(-90 * MIN), true, NOW)).toEqual({ key: 'overdueBy', time: { unit: 'hours', count: 1 } });
    expect(dueText(at(-2 * 24 * 60 * MIN), false, NOW)).toEqual({ key: 'overdueBy', time: { unit: 'days', count: 2 } });
    expect(dueText(at(10 * MIN), true, NOW)).toEqual({ key: 'overdueBy', time: { unit: 'minutes', count: 1 } });
  });

  it('has no due time for a task without one, unless it is overdue all the same', () => {
    expect(dueText(null, false, NOW)).toEqual({ key: 'noDue' });
    expect(dueText(null, true, NOW)).toEqual({ key: 'overdueBy' });
  });
});

describe('sayDue', () => {
  const t = ((key: string, opts?: Record<string, unknown>) =>
    `${key}${opts ? JSON.stringify(opts) : ''}`) as unknown as TFunction;
  it('puts the unit inside the phrase', () => {
    expect(sayDue({ key: 'dueIn', time: { unit: 'hours', count: 2 } }, t)).toBe(
      'tasksMine.dueIn{"time":"tasksMine.hours{\\"count\\":2}"}',
    );
    expect(sayDue({ key: 'noDue' }, t)).toBe('tasksMine.noDue');
    expect(sayDue({ key: 'overdueBy' }, t)).toBe('tasksMine.overdue');
  });
});
