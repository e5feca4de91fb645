/**
 * Pure rules of the policies service: canonical rule JSON (a new version only when the rule really changed),
 * status and candidate transitions, and explanations read from a stored result (leaves + met mask + facts).
 */
import type { Locale } from '../../platform/errors/errors.js';
import type { ExplainedCondition, Explanation, LeafView } from './policies.schemas.js';
import { type ExplainItem, explainResult, type Explanation as RuleExplanation } from './rules.explain.js';
import { type Leaf, POLICY_FIELDS } from './rules.logic.js';

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

/** An explanation (A1's explainResult) as the API gives it: labels of negated conditions read "不满足：…", a summary line. */
export function toExplanation(e: RuleExplanation, locale: Locale): Explanation {
  const cond = (it: ExplainItem): ExplainedCondition => ({
    index: it.index,
    label: it.negated ? say(locale, `不满足：${it.label}`, `not: ${it.label}`) : it.label,
    value: it.value,
    valueText: it.valueText,
    negated: it.negated,
  });
  const met = e.met.map(cond);
  const failed = e.failed.map(cond);
  const list = (xs: ExplainedCondition[]) => xs.map((c) => `${c.label}（${c.valueText}）`).join('；');
  const summary =
    failed.length === 0
      ? say(locale, `符合：${list(met)}`, `Meets: ${list(met)}`)
      : say(locale, `差一项：${list(failed)}；已符合：${list(met)}`, `One short: ${list(failed)}; meets: ${list(met)}`);
  return { met, failed, summary };
}

/** Why a person is (nearly) eligible, from a stored result: leaves, met mask and facts of the version that ran. */
export function explain(
  leaves: Leaf[],
  metMask: bigint | string,
  outcome: 'eligible' | 'near_miss',
  facts: Record<string, unknown>,
  locale: Locale,
): Explanation {
  return toExplanation(explainResult(leaves, metMask, outcome, facts, locale), locale);
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
