/**
 * Pure rules of the policies service: canonical rule JSON (a new version only when the rule really changed),
 * status and candidate transitions, and explanations read from a stored result (leaves + met mask + facts).
 */
import type { Locale } from '../../platform/errors/errors.js';
import type { ExplainedCondition, Explanation, LeafView } from './policies.schemas.js';
import { type FieldCondition, type Leaf, POLICY_FIELDS, type Rule } from './rules.logic.js';

export type PolicyStatus = 'draft' | 'active' | 'retired';
export type CandidateStatus = 'pending' | 'confirmed' | 'rejected' | 'receiving' | 'ended' | 'lapsed';
export type CandidateAction = 'confirm' | 'reject' | 'receiving' | 'end';

/** JSON with object keys sorted at every level: two rules are the same rule when their canonical forms are equal. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const STATUS_MOVES: Record<PolicyStatus, readonly PolicyStatus[]> = {
  draft: ['active', 'retired'],
  active: ['retired'],
  retired: [],
};

/** draft → active → retired (a draft may be retired unused; retired is final). */
export function canMovePolicy(from: PolicyStatus, to: PolicyStatus): boolean {
  return STATUS_MOVES[from].includes(to);
}

/** Whether a policy runs on `day`: active and within its validity. */
export function runsOn(p: { status: string; valid_from: string; valid_to: string | null }, day: string): boolean {
  return p.status === 'active' && p.valid_from <= day && (p.valid_to === null || p.valid_to >= day);
}

const CANDIDATE_MOVES: Record<CandidateAction, { from: readonly CandidateStatus[]; to: CandidateStatus }> = {
  confirm: { from: ['pending'], to: 'confirmed' },
  reject: { from: ['pending', 'confirmed'], to: 'rejected' },
  receiving: { from: ['confirmed'], to: 'receiving' },
  end: { from: ['receiving'], to: 'ended' },
};

/** The status a decision moves a candidate to, or null when it cannot from `from`. */
export function candidateMove(from: CandidateStatus, action: CandidateAction): CandidateStatus | null {
  const m = CANDIDATE_MOVES[action];
  return m.from.includes(from) ? m.to : null;
}

/** Adds ten days: the time a worker has to check a new candidate. */
export function candidateDueAt(foundAt: Date): Date {
  return new Date(foundAt.getTime() + 10 * 24 * 3600 * 1000);
}

const say = (locale: Locale, zh: string, en: string) => (locale === 'zh-CN' ? zh : en);

export function leafView(l: Leaf, locale: Locale): LeafView {
  return { index: l.index, path: l.path, kind: l.kind, condition: l.condition, label: say(locale, l.zh, l.en) };
}

type Node = { negated: boolean; leaf: number } | { op: 'all' | 'any'; kids: Node[] } | { op: 'not'; kid: Node };

/** The rule as a tree of leaf numbers, depth-first from 0 (the numbering of met masks). */
function shape(rule: Rule, next: { i: number }): Node {
  if ('all' in rule) return { op: 'all', kids: rule.all.map((r) => shape(r, next)) };
  if ('any' in rule) return { op: 'any', kids: rule.any.map((r) => shape(r, next)) };
  if ('not' in rule) return { op: 'not', kid: shape(rule.not, next) };
  return { negated: false, leaf: next.i++ };
}

function holds(n: Node, bit: (i: number) => boolean): boolean {
  if ('leaf' in n) return bit(n.leaf);
  if (n.op === 'not') return !holds(n.kid, bit);
  return n.op === 'all' ? n.kids.every((k) => holds(k, bit)) : n.kids.some((k) => holds(k, bit));
}

/** Which leaves sit under an odd number of `not`s (their condition is met when the leaf does not hold). */
function negations(n: Node, neg: boolean, out: Map<number, boolean>): void {
  if ('leaf' in n) out.set(n.leaf, neg);
  else if (n.op === 'not') negations(n.kid, !neg, out);
  else for (const k of n.kids) negations(k, neg, out);
}

const bitOf = (mask: bigint, i: number) => ((mask >> BigInt(i)) & 1n) === 1n;

function valueText(v: unknown, locale: Locale): string {
  if (v === null || v === undefined) return say(locale, '未登记', 'not recorded');
  if (typeof v === 'boolean') return v ? say(locale, '是', 'yes') : say(locale, '否', 'no');
  if (Array.isArray(v)) return v.map((x) => valueText(x, locale)).join('、');
  return String(v);
}

type FactValue = string | number | boolean | string[] | null;

function factOf(leaf: Leaf, facts: Record<string, unknown>, held: boolean): FactValue {
  if (leaf.kind === 'field') {
    const v = facts[(leaf.condition as FieldCondition).field];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (Array.isArray(v)) return v.map(String);
    return String(v);
  }
  return held;
}

/**
 * Why a person is (nearly) eligible, from a stored result: the conditions met with the values used, and for a near
 * miss the condition(s) whose change alone would make the rule hold. `rule` is the version's rule (for `not` and the
 * near miss); the leaf labels read positively, so a condition met by not holding is shown as "不满足：…".
 */
export function explain(
  rule: Rule,
  leaves: Leaf[],
  metMask: bigint,
  facts: Record<string, unknown>,
  locale: Locale,
): Explanation {
  const tree = shape(rule, { i: 0 });
  const neg = new Map<number, boolean>();
  negations(tree, false, neg);
  const eligible = holds(tree, (i) => bitOf(metMask, i));
  const cond = (l: Leaf): ExplainedCondition => {
    const held = bitOf(metMask, l.index);
    const base = say(locale, l.zh, l.en);
    const label = neg.get(l.index) ? say(locale, `不满足：${base}`, `not: ${base}`) : base;
    const value = factOf(l, facts, held);
    return { index: l.index, label, value, valueText: valueText(value, locale) };
  };
  const met: ExplainedCondition[] = [];
  const failed: ExplainedCondition[] = [];
  for (const l of leaves) {
    const satisfied = bitOf(metMask, l.index) !== (neg.get(l.index) ?? false);
    if (satisfied) met.push(cond(l));
    else if (!eligible) {
      // A near miss: this condition alone stands in the way when flipping it makes the rule hold.
      const flipped = metMask ^ (1n << BigInt(l.index));
      if (holds(tree, (i) => bitOf(flipped, i))) failed.push(cond(l));
    }
  }
  const list = (xs: ExplainedCondition[]) => xs.map((c) => `${c.label}（${c.valueText}）`).join('；');
  const summary = eligible
    ? say(locale, `符合：${list(met)}`, `Meets: ${list(met)}`)
    : say(locale, `差一项：${list(failed)}；已符合：${list(met)}`, `One short: ${list(failed)}; meets: ${list(met)}`);
  return { met, failed, summary };
}

/** The editor's catalogue of fields, in the caller's language. */
export function fieldCatalogue(locale: Locale, opsByType: Record<string, readonly string[]>) {
  return Object.entries(POLICY_FIELDS).map(([code, f]) => {
    const def = f as {
      type: 'number' | 'enum' | 'text' | 'date' | 'boolean';
      source: 'resident' | 'household' | 'house';
      zh: string;
      en: string;
      values?: readonly string[];
      min?: number;
      max?: number;
    };
    return {
      code,
      type: def.type,
      source: def.source,
      label: say(locale, def.zh, def.en),
      ...(def.values ? { values: [...def.values] } : {}),
      ...(def.min !== undefined ? { min: def.min } : {}),
      ...(def.max !== undefined ? { max: def.max } : {}),
      ops: [...(opsByType[def.type] ?? [])],
    };
  });
}

/** What a worker tells or reads to the person (告知书): the policy's own text, why, the legal basis, who handles it. */
export function residentNotice(
  p: { name: string; residentText: string; legalRef: string; handledBy: string | null },
  why: Explanation | null,
  locale: Locale,
): string {
  const lines = [
    p.residentText.trim() || say(locale, `您可能符合「${p.name}」的条件。`, `You may qualify for “${p.name}”.`),
  ];
  if (why && why.met.length > 0)
    lines.push(
      say(
        locale,
        `依据登记信息：${why.met.map((c) => `${c.label}（${c.valueText}）`).join('；')}。`,
        `From the records: ${why.met.map((c) => `${c.label} (${c.valueText})`).join('; ')}.`,
      ),
    );
  lines.push(say(locale, `政策依据：${p.legalRef}。`, `Legal basis: ${p.legalRef}.`));
  if (p.handledBy) lines.push(say(locale, `经办：${p.handledBy}。`, `Handled by: ${p.handledBy}.`));
  return lines.join('\n');
}
