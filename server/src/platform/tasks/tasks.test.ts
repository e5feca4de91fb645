import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTasks, mergeTasks } from './tasks.js';
import type { MyTask, TaskKind } from './tasks.schemas.js';

function task(kind: TaskKind, id: number, over: Partial<MyTask> = {}): MyTask {
  return {
    key: `${kind}:${id}`,
    kind,
    id,
    title: `${kind} ${id}`,
    detail: null,
    action: '处理',
    dueAt: null,
    overdue: false,
    urgent: false,
    link: `/${kind}s/${id}`,
    mobileLink: `/m/${kind}s/${id}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

const keys = (ts: MyTask[]) => ts.map((t) => t.key);

describe('compareTasks', () => {
  it('puts the earliest due first (overdue ones are the earliest), then the rest, those without a due time last', () => {
    const overdue = task('visit', 1, { dueAt: '2026-01-01T08:00:00.000Z', overdue: true });
    const soon = task('case', 2, { dueAt: '2026-01-02T08:00:00.000Z' });
    const later = task('alarm', 3, { dueAt: '2026-01-09T08:00:00.000Z' });
    const none = task('case', 4, { urgent: true });
    expect(keys([none, later, soon, overdue].sort(compareTasks))).toEqual(['visit:1', 'case:2', 'alarm:3', 'case:4']);
  });

  it('at the same due time puts urgent first, then the oldest, then by key', () => {
    const due = '2026-01-02T08:00:00.000Z';
    const plain = task('case', 1, { dueAt: due, createdAt: '2025-12-01T00:00:00.000Z' });
    const urgent = task('alarm', 2, { dueAt: due, urgent: true, createdAt: '2025-12-31T00:00:00.000Z' });
    const older = task('visit', 3, { dueAt: due, createdAt: '2025-11-01T00:00:00.000Z' });
    const twinA = task('case', 10, { dueAt: due, createdAt: '2025-12-01T00:00:00.000Z' });
    expect(keys([plain, twinA, older, urgent].sort(compareTasks))).toEqual(['alarm:2', 'visit:3', 'case:1', 'case:10']);
  });

  it('compares due times as instants, not as text', () => {
    const a = task('case', 1, { dueAt: '2026-01-02T08:00:00.000+08:00' }); // 00:00 UTC
    const b = task('case', 2, { dueAt: '2026-01-02T01:00:00.000Z' });
    expect(keys([b, a].sort(compareTasks))).toEqual(['case:1', 'case:2']);
  });

  it('is a consistent order: antisymmetric, and sorting any shuffle gives the same list', () => {
    const arb = fc.record({
      kind: fc.constantFrom<TaskKind>('visit', 'case', 'alarm'),
      id: fc.integer({ min: 1, max: 50 }),
      due: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      urgent: fc.boolean(),
      created: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 30 }), (specs) => {
        const ts = [
          ...new Map(
            specs.map((s) => [
              `${s.kind}:${s.id}`,
              task(s.kind, s.id, {
                dueAt: s.due === null ? null : new Date(Date.UTC(2026, 0, 1 + s.due)).toISOString(),
                urgent: s.urgent,
                createdAt: new Date(Date.UTC(2025, 0, 1 + s.created)).toISOString(),
              }),
            ]),
          ).values(),
        ];
        for (const a of ts)
          for (const b of ts) expect(Math.sign(compareTasks(a, b))).toBe(-Math.sign(compareTasks(b, a)) || 0);
        const sorted = keys([...ts].sort(compareTasks));
        expect(keys([...ts].reverse().sort(compareTasks))).toEqual(sorted);
      }),
    );
  });
});

describe('mergeTasks', () => {
  it('merges the sources by deadline, cuts at the limit, and counts every source’s total and overdue', () => {
    const visits = [
      task('visit', 1, { dueAt: '2026-01-01T00:00:00.000Z', overdue: true }),
      task('visit', 2, { dueAt: '2026-01-05T00:00:00.000Z' }),
    ];
    const cases = [task('case', 7, { dueAt: '2026-01-03T00:00:00.000Z' }), task('case', 8)];
    const alarms = [task('alarm', 9, { dueAt: '2026-01-02T00:00:00.000Z', urgent: true })];
    const r = mergeTasks(
      [
        { kind: 'visit', items: visits, total: 12, overdue: 3 },
        { kind: 'case', items: cases, total: 2, overdue: 0 },
        { kind: 'alarm', items: alarms, total: 1, overdue: 1 },
      ],
      4,
    );
    expect(keys(r.items)).toEqual(['visit:1', 'alarm:9', 'case:7', 'visit:2']);
    expect(r.counts).toEqual({ total: 15, overdue: 4, byKind: { visit: 12, case: 2, alarm: 1 } });
  });

  it('keeps one of a key listed twice (two sources of one kind) and adds up their counts per kind', () => {
    const r = mergeTasks(
      [
        { kind: 'case', items: [task('case', 1, { title: 'first' })], total: 1, overdue: 0 },
        { kind: 'case', items: [task('case', 1, { title: 'second' }), task('case', 2)], total: 2, overdue: 1 },
      ],
      10,
    );
    expect(r.items.map((t) => [t.key, t.title])).toEqual([
      ['case:1', 'first'],
      ['case:2', 'case 2'],
    ]);
    expect(r.counts).toEqual({ total: 3, overdue: 1, byKind: { case: 3 } });
  });

  it('answers an empty list with zero counts', () => {
    expect(mergeTasks([], 100)).toEqual({ items: [], counts: { total: 0, overdue: 0, byKind: {} } });
  });
});
