/**
 * The rule builder's tree, as pure functions: a policy rule (`server/src/modules/policies/rules.logic.ts`, types only)
 * edited at a path. A path is the same string the server puts in a POLICY_RULE_INVALID error after `rule.`:
 * '' for the root, 'all.1', 'all.1.any.0', 'not' … While an administrator edits, a leaf may be incomplete (no field
 * or operator chosen yet): the tree is a draft, and the server's /validate says what is wrong and where.
 */
import type { FieldType, RuleOp, Scalar } from '../../../../../server/src/modules/policies/rules.logic';

export type GroupKind = 'all' | 'any' | 'not';
export type LeafKind = 'field' | 'tag' | 'policy';
export type NodeKind = GroupKind | LeafKind;

/** A field leaf while it is written: field and operator may still be empty. */
export type DraftField = { field: string; op: RuleOp | ''; value?: Scalar | Scalar[] };
export type DraftTag = { tag: string };
export type DraftPolicy = { policy: string; state: 'eligible' | 'receiving' };
export type DraftRule =
  | { all: DraftRule[] }
  | { any: DraftRule[] }
  | { not: DraftRule }
  | DraftField
  | DraftTag
  | DraftPolicy;

export type PathSegment = 'all' | 'any' | 'not' | number;

export function nodeKind(node: DraftRule): NodeKind {
  if ('all' in node) return 'all';
  if ('any' in node) return 'any';
  if ('not' in node) return 'not';
  if ('tag' in node) return 'tag';
  if ('policy' in node) return 'policy';
  return 'field';
}

export function isGroup(node: DraftRule): node is { all: DraftRule[] } | { any: DraftRule[] } | { not: DraftRule } {
  const kind = nodeKind(node);
  return kind === 'all' || kind === 'any' || kind === 'not';
}

/** The children of a group with the path segments that lead to each ([] for a leaf). */
export function childrenOf(node: DraftRule): { segments: PathSegment[]; node: DraftRule }[] {
  if ('all' in node) return node.all.map((child, i) => ({ segments: ['all', i], node: child }));
  if ('any' in node) return node.any.map((child, i) => ({ segments: ['any', i], node: child }));
  if ('not' in node) return [{ segments: ['not'], node: node.not }];
  return [];
}

export function joinPath(segments: readonly PathSegment[]): string {
  return segments.join('.');
}

export function childPath(parent: string, segments: readonly PathSegment[]): string {
  const tail = joinPath(segments);
  return parent === '' ? tail : `${parent}.${tail}`;
}

/** Splits a node path into its segments; throws on a path that is not one ('all.x', 'foo'). */
export function splitPath(path: string): PathSegment[] {
  if (path === '') return [];
  const parts = path.split('.');
  const out: PathSegment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === 'not') {
      out.push('not');
    } else if ((part === 'all' || part === 'any') && i + 1 < parts.length && /^\d+$/.test(parts[i + 1] ?? '')) {
      out.push(part, Number(parts[i + 1]));
      i++;
    } else {
      throw new Error(`not a rule path: ${path}`);
    }
  }
  return out;
}

/** The node at a path, or undefined when the path leads nowhere in this tree. */
export function getAt(rule: DraftRule, path: string): DraftRule | undefined {
  let node: DraftRule | undefined = rule;
  const segments = splitPath(path);
  for (let i = 0; i < segments.length && node; i++) {
    const seg = segments[i];
    if (seg === 'not') {
      node = 'not' in node ? node.not : undefined;
    } else if (seg === 'all' || seg === 'any') {
      const index = segments[++i] as number;
      const list: DraftRule[] | undefined =
        seg === 'all' && 'all' in node ? node.all : seg === 'any' && 'any' in node ? node.any : undefined;
      node = list?.[index];
    }
  }
  return node;
}

/** Replaces the node at a path with `fn(node)`; the rest of the tree is shared, never mutated. */
export function updateAt(rule: DraftRule, path: string, fn: (node: DraftRule) => DraftRule): DraftRule {
  return replaceIn(rule, splitPath(path), fn);
}

function replaceIn(node: DraftRule, segments: PathSegment[], fn: (node: DraftRule) => DraftRule): DraftRule {
  if (segments.length === 0) return fn(node);
  const [seg, ...rest] = segments;
  if (seg === 'not') {
    if (!('not' in node)) throw new Error('path leads nowhere');
    return { not: replaceIn(node.not, rest, fn) };
  }
  const [index, ...after] = rest;
  if (typeof index !== 'number') throw new Error('path leads nowhere');
  if (seg === 'all' && 'all' in node && index < node.all.length) {
    return { all: node.all.map((c, i) => (i === index ? replaceIn(c, after, fn) : c)) };
  }
  if (seg === 'any' && 'any' in node && index < node.any.length) {
    return { any: node.any.map((c, i) => (i === index ? replaceIn(c, after, fn) : c)) };
  }
  throw new Error('path leads nowhere');
}

/** The parent's path and the last segments of a path ('all.1.any.0' → 'all.1', ['any', 0]). */
export function parentOf(path: string): { parent: string; last: PathSegment[] } | null {
  const segments = splitPath(path);
  if (segments.length === 0) return null;
  const tail = segments[segments.length - 1];
  const cut = tail === 'not' ? 1 : 2;
  return { parent: joinPath(segments.slice(0, -cut)), last: segments.slice(-cut) };
}

/** Appends a child to the group at `groupPath` (a `not` takes one child: the new one replaces it). */
export function addChild(rule: DraftRule, groupPath: string, child: DraftRule): DraftRule {
  return updateAt(rule, groupPath, (node) => {
    if ('all' in node) return { all: [...node.all, child] };
    if ('any' in node) return { any: [...node.any, child] };
    if ('not' in node) return { not: child };
    throw new Error('not a group');
  });
}

/**
 * Removes the node at a path. The root cannot be removed (it is emptied to `{ all: [] }` instead), and removing a
 * `not`'s only child removes the `not` itself.
 */
export function removeAt(rule: DraftRule, path: string): DraftRule {
  const up = parentOf(path);
  if (!up) return { all: [] };
  const [seg, index] = up.last;
  if (seg === 'not') return removeAt(rule, up.parent);
  return updateAt(rule, up.parent, (node) => {
    if (seg === 'all' && 'all' in node) return { all: node.all.filter((_, i) => i !== index) };
    if (seg === 'any' && 'any' in node) return { any: node.any.filter((_, i) => i !== index) };
    throw new Error('path leads nowhere');
  });
}

/** Moves the node at a path one place up (-1) or down (+1) among its siblings; a no-op at either end. */
export function moveAt(rule: DraftRule, path: string, delta: -1 | 1): DraftRule {
  const up = parentOf(path);
  if (!up) return rule;
  const [seg, index] = up.last;
  if (seg === 'not' || typeof index !== 'number') return rule;
  return updateAt(rule, up.parent, (node) => {
    const list = 'all' in node ? node.all : 'any' in node ? node.any : null;
    if (!list) return node;
    const to = index + delta;
    if (to < 0 || to >= list.length) return node;
    const next = [...list];
    const moved = next[index] as DraftRule;
    next[index] = next[to] as DraftRule;
    next[to] = moved;
    return 'all' in node ? { all: next } : { any: next };
  });
}

/** Changes a group's kind, keeping what it holds: all ↔ any keep the list; a `not` wraps the list in an `all`. */
export function setGroupKind(rule: DraftRule, path: string, kind: GroupKind): DraftRule {
  return updateAt(rule, path, (node) => {
    const held: DraftRule[] = 'all' in node ? node.all : 'any' in node ? node.any : 'not' in node ? [node.not] : [];
    if (kind === 'not') return { not: held.length === 1 ? (held[0] as DraftRule) : { all: held } };
    return kind === 'all' ? { all: held } : { any: held };
  });
}

/** Wraps the node at a path in a new group (to put a condition under 不满足, or to start a nested 任一满足). */
export function wrapAt(rule: DraftRule, path: string, kind: GroupKind): DraftRule {
  return updateAt(rule, path, (node) =>
    kind === 'not' ? { not: node } : kind === 'all' ? { all: [node] } : { any: [node] },
  );
}

export function newLeaf(kind: LeafKind): DraftRule {
  if (kind === 'tag') return { tag: '' };
  if (kind === 'policy') return { policy: '', state: 'eligible' };
  return { field: '', op: '' };
}

export function newGroup(kind: GroupKind): DraftRule {
  if (kind === 'not') return { not: newLeaf('field') };
  return kind === 'all' ? { all: [] } : { any: [] };
}

/**
 * The value a field leaf starts with after its field or operator changed: kept when it still fits the operator's
 * shape, else a fresh one (nothing for is_null/not_null, a pair for between, a list for in/not_in, true for a
 * boolean).
 */
export function valueFor(
  type: FieldType | undefined,
  op: RuleOp | '',
  previous: DraftField['value'],
): DraftField['value'] {
  if (op === '' || op === 'is_null' || op === 'not_null') return undefined;
  if (type === 'boolean') return typeof previous === 'boolean' ? previous : true;
  if (op === 'between') return Array.isArray(previous) && previous.length === 2 ? previous : [];
  if (op === 'in' || op === 'not_in') return Array.isArray(previous) ? previous : [];
  return Array.isArray(previous) ? undefined : previous;
}

/** A field leaf after choosing a field: the operator kept when the new field's type takes it. */
export function withField(
  leaf: DraftField,
  field: string,
  type: FieldType | undefined,
  ops: readonly RuleOp[],
): DraftField {
  const op = leaf.op !== '' && ops.includes(leaf.op) ? leaf.op : (ops[0] ?? '');
  const sameType = leaf.field !== '' && type !== undefined;
  const value = valueFor(type, op, sameType ? leaf.value : undefined);
  return value === undefined ? { field, op } : { field, op, value };
}

export function withOp(leaf: DraftField, op: RuleOp, type: FieldType | undefined): DraftField {
  const value = valueFor(type, op, leaf.value);
  return value === undefined ? { field: leaf.field, op } : { field: leaf.field, op, value };
}

/**
 * Maps a server error's field ('rule.all.1.value', 'rule.all.1', 'rule') to the tree node it names and the part of
 * that node ('value', 'op', 'field', 'tag', 'policy'), following only the segments that exist in `rule`: a path past
 * the tree's end stops at the deepest node that exists.
 */
export function errorTarget(rule: DraftRule, field: string | undefined): { path: string; part: string | null } | null {
  if (field === undefined || (field !== 'rule' && !field.startsWith('rule.'))) return null;
  const parts = field === 'rule' ? [] : field.slice('rule.'.length).split('.');
  const segments: PathSegment[] = [];
  let node: DraftRule | undefined = rule;
  let i = 0;
  while (i < parts.length && node) {
    const part = parts[i];
    if (part === 'not' && 'not' in node) {
      segments.push('not');
      node = node.not;
      i += 1;
      continue;
    }
    const index = Number(parts[i + 1]);
    if ((part === 'all' || part === 'any') && Number.isInteger(index)) {
      const list: DraftRule[] | undefined =
        part === 'all' && 'all' in node ? node.all : part === 'any' && 'any' in node ? node.any : undefined;
      if (list && index >= 0 && index < list.length) {
        segments.push(part, index);
        node = list[index];
        i += 2;
        continue;
      }
    }
    break;
  }
  const rest = parts.slice(i);
  return { path: joinPath(segments), part: rest.length > 0 ? rest.join('.') : null };
}

/** The paths of every leaf in depth-first order: index i is leaf i of the server's `leaves` (bit i of met_mask). */
export function leafPaths(rule: DraftRule, at = ''): string[] {
  if (!isGroup(rule)) return [at];
  return childrenOf(rule).flatMap((c) => leafPaths(c.node, childPath(at, c.segments)));
}

export function countLeaves(rule: DraftRule): number {
  return leafPaths(rule).length;
}

/** Group words and how a leaf reads, for `describeRule`. */
export type SentenceWords = {
  all: string;
  any: string;
  not: string;
  and: string;
  or: string;
  empty: string;
  leaf: (leaf: DraftField | DraftTag | DraftPolicy, path: string) => string;
};

/** The rule as one readable sentence: "全部满足（年龄 ≥ 80 且 持有标签：独居老人）". */
export function describeRule(rule: DraftRule, words: SentenceWords, at = ''): string {
  if ('not' in rule) return `${words.not}（${describeRule(rule.not, words, childPath(at, ['not']))}）`;
  if ('all' in rule || 'any' in rule) {
    const kind = 'all' in rule ? 'all' : 'any';
    const kids = childrenOf(rule);
    if (kids.length === 0) return `${words[kind]}（${words.empty}）`;
    const joiner = kind === 'all' ? ` ${words.and} ` : ` ${words.or} `;
    const inner = kids.map((c) => describeRule(c.node, words, childPath(at, c.segments))).join(joiner);
    return `${words[kind]}（${inner}）`;
  }
  return words.leaf(rule, at);
}

/** Reads stored JSON (a version's rule) as a draft tree; anything that is not an object becomes an empty `all`. */
export function toDraft(raw: unknown): DraftRule {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as DraftRule;
  return { all: [] };
}
