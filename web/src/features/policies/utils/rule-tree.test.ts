import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addChild,
  countLeaves,
  type DraftRule,
  describeRule,
  errorTarget,
  getAt,
  leafPaths,
  moveAt,
  removeAt,
  setGroupKind,
  splitPath,
  updateAt,
  withField,
  withOp,
  wrapAt,
} from './rule-tree';

const sample: DraftRule = {
  all: [
    { field: 'age', op: '>=', value: 80 },
    { any: [{ tag: 'disabled' }, { field: 'lives_alone', op: '=', value: true }] },
    { not: { policy: 'old_age_allowance', state: 'receiving' } },
  ],
};

describe('rule-tree paths', () => {
  it('reads nodes at paths the server uses', () => {
    expect(getAt(sample, '')).toBe(sample);
    expect(getAt(sample, 'all.0')).toEqual({ field: 'age', op: '>=', value: 80 });
    expect(getAt(sample, 'all.1.any.0')).toEqual({ tag: 'disabled' });
    expect(getAt(sample, 'all.2.not')).toEqual({ policy: 'old_age_allowance', state: 'receiving' });
    expect(getAt(sample, 'all.5')).toBeUndefined();
    expect(getAt(sample, 'any.0')).toBeUndefined();
  });

  it('refuses strings that are not paths', () => {
    expect(() => splitPath('all.x')).toThrow();
    expect(() => splitPath('value')).toThrow();
    expect(splitPath('all.1.any.0')).toEqual(['all', 1, 'any', 0]);
  });

  it('numbers leaves depth-first like met_mask bits', () => {
    expect(leafPaths(sample)).toEqual(['all.0', 'all.1.any.0', 'all.1.any.1', 'all.2.not']);
    expect(countLeaves({ all: [] })).toBe(0);
    expect(leafPaths({ field: 'age', op: '>', value: 1 })).toEqual(['']);
  });
});

describe('rule-tree edits', () => {
  it('updates one node and leaves the input untouched', () => {
    const before = JSON.stringify(sample);
    const next = updateAt(sample, 'all.1.any.0', () => ({ tag: 'elderly' }));
    expect(getAt(next, 'all.1.any.0')).toEqual({ tag: 'elderly' });
    expect(JSON.stringify(sample)).toBe(before);
    // untouched branches are shared
    expect(getAt(next, 'all.0')).toBe(getAt(sample, 'all.0'));
    expect(() => updateAt(sample, 'all.9', (n) => n)).toThrow();
  });

  it('adds to groups, a not taking one child', () => {
    const added = addChild(sample, 'all.1', { tag: 'veteran' });
    expect(leafPaths(added)).toContain('all.1.any.2');
    const replaced = addChild(sample, 'all.2', { tag: 'x' });
    expect(getAt(replaced, 'all.2')).toEqual({ not: { tag: 'x' } });
    expect(() => addChild(sample, 'all.0', { tag: 'x' })).toThrow();
  });

  it('removes a node; the child of a not takes the not with it; the root empties', () => {
    expect(getAt(removeAt(sample, 'all.0'), 'all.0')).toEqual(sample.all[1]);
    const noNot = removeAt(sample, 'all.2.not');
    expect('all' in noNot && noNot.all.length).toBe(2);
    expect(removeAt(sample, '')).toEqual({ all: [] });
  });

  it('moves among siblings and stays put at the ends', () => {
    const down = moveAt(sample, 'all.0', 1);
    expect(getAt(down, 'all.1')).toEqual(getAt(sample, 'all.0'));
    expect(getAt(down, 'all.0')).toEqual(getAt(sample, 'all.1'));
    expect(moveAt(sample, 'all.0', -1)).toEqual(sample);
    expect(moveAt(sample, 'all.2', 1)).toEqual(sample);
    expect(moveAt(sample, 'all.2.not', 1)).toEqual(sample);
  });

  it('changes a group kind keeping its conditions', () => {
    expect(getAt(setGroupKind(sample, 'all.1', 'all'), 'all.1')).toEqual({
      all: [{ tag: 'disabled' }, { field: 'lives_alone', op: '=', value: true }],
    });
    expect(setGroupKind({ any: [{ tag: 'a' }] }, '', 'not')).toEqual({ not: { tag: 'a' } });
    expect(setGroupKind({ any: [{ tag: 'a' }, { tag: 'b' }] }, '', 'not')).toEqual({
      not: { all: [{ tag: 'a' }, { tag: 'b' }] },
    });
    expect(setGroupKind({ not: { tag: 'a' } }, '', 'any')).toEqual({ any: [{ tag: 'a' }] });
    expect(getAt(wrapAt(sample, 'all.0', 'not'), 'all.0.not')).toEqual(sample.all[0]);
  });

  it('keeps a leaf value only when it fits the new operator', () => {
    const leaf = { field: 'age', op: '>=' as const, value: 80 };
    expect(withOp(leaf, '<', 'number')).toEqual({ field: 'age', op: '<', value: 80 });
    expect(withOp(leaf, 'between', 'number')).toEqual({ field: 'age', op: 'between', value: [] });
    expect(withOp(leaf, 'in', 'number')).toEqual({ field: 'age', op: 'in', value: [] });
    expect(withOp(leaf, 'is_null', 'number')).toEqual({ field: 'age', op: 'is_null' });
    expect(withField(leaf, 'lives_alone', 'boolean', ['='])).toEqual({ field: 'lives_alone', op: '=', value: true });
    expect(withField({ field: '', op: '' }, 'sex', 'enum', ['=', '!=', 'in'])).toEqual({ field: 'sex', op: '=' });
  });

  it('keeps the leaf count under every edit sequence (property)', () => {
    const edit = fc.oneof(
      fc.record({ t: fc.constant('add' as const) }),
      fc.record({ t: fc.constant('remove' as const), i: fc.nat(20) }),
      fc.record({ t: fc.constant('move' as const), i: fc.nat(20), d: fc.constantFrom(-1 as const, 1 as const) }),
      fc.record({ t: fc.constant('kind' as const), k: fc.constantFrom('all' as const, 'any' as const) }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 30 }), (edits) => {
        let rule: DraftRule = { all: [] };
        let expected = 0;
        for (const e of edits) {
          const leaves = leafPaths(rule);
          if (e.t === 'add') {
            rule = addChild(rule, '', { tag: `t${expected}` });
            expected += 1;
          } else if (e.t === 'remove' && leaves.length > 0) {
            rule = removeAt(rule, leaves[e.i % leaves.length] as string);
            expected -= 1;
          } else if (e.t === 'move' && leaves.length > 0) {
            rule = moveAt(rule, leaves[e.i % leaves.length] as string, e.d);
          } else if (e.t === 'kind') {
            rule = setGroupKind(rule, '', e.k);
          }
          expect(countLeaves(rule)).toBe(expected);
        }
      }),
    );
  });
});

describe('rule-tree error mapping', () => {
  it('maps a server error field to the node and its part', () => {
    expect(errorTarget(sample, 'rule.all.0.value')).toEqual({ path: 'all.0', part: 'value' });
    expect(errorTarget(sample, 'rule.all.1.any.1.op')).toEqual({ path: 'all.1.any.1', part: 'op' });
    expect(errorTarget(sample, 'rule.all.2.not.policy')).toEqual({ path: 'all.2.not', part: 'policy' });
    expect(errorTarget(sample, 'rule.all.1')).toEqual({ path: 'all.1', part: null });
    expect(errorTarget(sample, 'rule')).toEqual({ path: '', part: null });
    expect(errorTarget(sample, 'rule.all.0.value.1')).toEqual({ path: 'all.0', part: 'value.1' });
  });

  it('stops at the deepest node that exists, and ignores other fields', () => {
    expect(errorTarget(sample, 'rule.all.7.value')).toEqual({ path: '', part: 'all.7.value' });
    expect(errorTarget(sample, 'name')).toBeNull();
    expect(errorTarget(sample, undefined)).toBeNull();
    expect(errorTarget(sample, 'rules.all.0')).toBeNull();
  });

  it('round-trips every leaf path of a tree', () => {
    for (const path of leafPaths(sample)) {
      expect(errorTarget(sample, `rule.${path}.value`)).toEqual({ path, part: 'value' });
    }
  });
});

describe('describeRule', () => {
  it('reads the tree as one sentence', () => {
    const words = {
      all: '全部满足',
      any: '任一满足',
      not: '不满足',
      and: '且',
      or: '或',
      empty: '无条件',
      leaf: (leaf: object) =>
        'tag' in leaf ? `标签:${String(leaf.tag)}` : 'field' in leaf ? String(leaf.field) : '政策',
    };
    expect(describeRule(sample, words)).toBe(
      '全部满足（age 且 任一满足（标签:disabled 或 lives_alone） 且 不满足（政策））',
    );
    expect(describeRule({ any: [] }, words)).toBe('任一满足（无条件）');
  });
});
