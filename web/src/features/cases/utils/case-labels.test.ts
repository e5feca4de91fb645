import { describe, expect, it } from 'vitest';
import type { CaseCategory } from '../../../api-types';
import { categoryTree, isEventAction, orderActions } from './case-labels';

const cat = (id: number, parentId: number | null, sort: number, active = true): CaseCategory => ({
  id,
  parentId,
  code: `c${id}`,
  nameZh: `类${id}`,
  nameEn: `cat${id}`,
  name: `类${id}`,
  description: null,
  class: 'community',
  urgent: false,
  responseSla: null,
  handleSla: null,
  verifySla: null,
  mergeRadiusM: 50,
  mergeWindowHours: 72,
  public: true,
  active,
  sort,
});

describe('orderActions', () => {
  it('keeps exactly the allowed actions, the usual next step first', () => {
    expect(orderActions(['cancel', 'note', 'dispatch', 'accept', 'park'])).toEqual([
      'accept',
      'dispatch',
      'note',
      'park',
      'cancel',
    ]);
    expect(orderActions([])).toEqual([]);
  });
});

describe('categoryTree', () => {
  const cats = [
    cat(1, null, 2),
    cat(2, null, 1),
    cat(3, 1, 2),
    cat(4, 1, 1),
    cat(5, 2, 1, false),
    cat(6, 5, 1),
    cat(7, 2, 2),
  ];

  it('nests categories in sort order and drops inactive ones with their subtree', () => {
    expect(categoryTree(cats)).toEqual([
      { value: 2, title: '类2', selectable: true, children: [{ value: 7, title: '类7', selectable: true }] },
      {
        value: 1,
        title: '类1',
        selectable: true,
        children: [
          { value: 4, title: '类4', selectable: true },
          { value: 3, title: '类3', selectable: true },
        ],
      },
    ]);
  });

  it('lets only leaves be chosen when filing', () => {
    const tree = categoryTree(cats, { leavesOnly: true, includeInactive: true });
    expect(tree[0]?.selectable).toBe(false);
    expect(tree[0]?.children?.[0]).toEqual({
      value: 5,
      title: '类5',
      selectable: false,
      children: [{ value: 6, title: '类6', selectable: true }],
    });
  });
});

describe('isEventAction', () => {
  it('knows the timeline actions', () => {
    expect(isEventAction('whistle_report')).toBe(true);
    expect(isEventAction('teleport')).toBe(false);
  });
});
