import { describe, expect, it } from 'vitest';
import type { CaseCategory } from '../../../api-types';
import { categoryTree, dayLook, formToSla, monthWeeks, selfAndBelow, slaToForm } from './settings-utils';

const cat = (id: number, parentId: number | null, sort = 0): CaseCategory => ({
  id,
  parentId,
  code: `c${id}`,
  nameZh: `分类${id}`,
  nameEn: `Cat ${id}`,
  name: `分类${id}`,
  description: null,
  class: 'community',
  urgent: false,
  responseSla: null,
  handleSla: null,
  verifySla: null,
  mergeRadiusM: 50,
  mergeWindowHours: 72,
  public: true,
  active: true,
  sort,
});

describe('categoryTree', () => {
  it('nests children under their parents in sort order', () => {
    const tree = categoryTree([cat(3, 1, 2), cat(1, null), cat(2, 1, 1), cat(4, null, -1)]);
    expect(tree.map((n) => n.id)).toEqual([4, 1]);
    expect(tree[1]!.children!.map((n) => n.id)).toEqual([2, 3]);
    expect(tree[0]!.children).toBeUndefined();
  });
  it('finds a category and everything below it', () => {
    expect([...selfAndBelow([cat(1, null), cat(2, 1), cat(3, 2), cat(4, null)], 1)].sort()).toEqual([1, 2, 3]);
  });
});

describe('monthWeeks', () => {
  it('lays February 2026 out from Monday, padded', () => {
    const weeks = monthWeeks(2026, 2);
    // 1 February 2026 is a Sunday.
    expect(weeks[0]!.map((c) => c.date)).toEqual([null, null, null, null, null, null, '2026-02-01']);
    expect(weeks.flat().filter((c) => c.date)).toHaveLength(28);
    expect(new Set(weeks.flat().map((c) => c.key)).size).toBe(weeks.length * 7);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
  });
});

describe('dayLook', () => {
  it('tells holidays, make-up Saturdays and ordinary weekends apart', () => {
    expect(dayLook('2026-02-16', { date: '2026-02-16', kind: 'holiday', name: '春节', source: 'official' })).toBe(
      'holiday',
    );
    expect(dayLook('2026-02-28', { date: '2026-02-28', kind: 'workday', name: '春节', source: 'official' })).toBe(
      'makeup',
    );
    expect(dayLook('2026-03-07', undefined)).toBe('weekend');
    expect(dayLook('2026-03-09', undefined)).toBe('workday');
  });
});

describe('SLA form values', () => {
  it('round-trips an SLA and treats "none" as null', () => {
    expect(formToSla(slaToForm({ amount: 2, unit: 'working_days' }))).toEqual({ amount: 2, unit: 'working_days' });
    expect(formToSla(slaToForm(null))).toBeNull();
    expect(formToSla({ amount: null, unit: 'minutes' })).toBeNull();
  });
});
