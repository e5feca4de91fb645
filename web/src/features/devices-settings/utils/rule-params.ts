import type { LadderLevel, LadderStep, RuleKind, Severity } from '../../../api-types';

/**
 * The rule editor's vocabularies, restated from the server's schema file (that file carries TypeBox at runtime,
 * which the console bundle must not). The `satisfies` checks keep them from drifting.
 */
export const RULE_KINDS = ['threshold', 'no_use', 'high_use', 'silent', 'event'] as const satisfies readonly RuleKind[];
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const satisfies readonly Severity[];
export const LADDER_LEVELS = ['family', 'grid', 'community', 'street'] as const satisfies readonly LadderLevel[];
// every kind, severity and level is listed (a new one on the server fails the typecheck here)
const _kinds: Exclude<RuleKind, (typeof RULE_KINDS)[number]> extends never ? true : never = true;
const _severities: Exclude<Severity, (typeof SEVERITIES)[number]> extends never ? true : never = true;
const _levels: Exclude<LadderLevel, (typeof LADDER_LEVELS)[number]> extends never ? true : never = true;
void [_kinds, _severities, _levels];

/** The params form of every kind at once (antd keeps the fields of the kind shown). */
export type ParamsForm = {
  metric?: string | null;
  below?: number | null;
  above?: number | null;
  windowHours?: number | null;
  minUse?: number | null;
  quietStart?: string | null;
  quietEnd?: string | null;
  windowMinutes?: number | null;
  maxUse?: number | null;
  minutes?: number | null;
  events?: string[] | null;
};
export type ParamName = keyof ParamsForm;

/** The params of each kind, in the order the form shows them. */
export const PARAM_FIELDS: Record<RuleKind, readonly ParamName[]> = {
  threshold: ['metric', 'below', 'above'],
  no_use: ['metric', 'windowHours', 'minUse', 'quietStart', 'quietEnd'],
  high_use: ['metric', 'windowMinutes', 'maxUse'],
  silent: ['minutes'],
  event: ['events'],
};

const NUMBER_PARAMS: readonly ParamName[] = [
  'below',
  'above',
  'windowHours',
  'minUse',
  'windowMinutes',
  'maxUse',
  'minutes',
];
const TEXT_PARAMS: readonly ParamName[] = ['metric', 'quietStart', 'quietEnd'];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const isBlank = (v: unknown) => v === undefined || v === null || v === '';

/** A rule's stored params as the form shows them: only the kind's own fields, of the right type. */
export function paramsToForm(kind: RuleKind, params: Record<string, unknown>): ParamsForm {
  const form: ParamsForm = {};
  for (const name of PARAM_FIELDS[kind]) {
    const value = params[name];
    if (name === 'events') {
      if (Array.isArray(value)) form.events = value.filter((e): e is string => typeof e === 'string');
    } else if (NUMBER_PARAMS.includes(name)) {
      if (typeof value === 'number' && Number.isFinite(value)) (form as Record<string, unknown>)[name] = value;
    } else if (typeof value === 'string') {
      (form as Record<string, unknown>)[name] = value;
    }
  }
  return form;
}

/**
 * The params a rule of `kind` is saved with: the kind's fields only (fields of another kind left in the form
 * are dropped), blanks left out, quiet hours trimmed.
 */
export function formToParams(kind: RuleKind, form: ParamsForm): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const name of PARAM_FIELDS[kind]) {
    const value = form[name];
    if (isBlank(value)) continue;
    if (name === 'events') {
      const events = [...new Set((value as string[]).map((e) => e.trim()).filter((e) => e.length > 0))];
      if (events.length > 0) params.events = events;
    } else if (TEXT_PARAMS.includes(name)) {
      const text = String(value).trim();
      if (text) params[name] = text;
    } else {
      params[name] = value;
    }
  }
  return params;
}

/** What the form checks before asking the server: a message key (devicesSettings.params.problems.*) per field. */
export type ParamProblem = {
  field: ParamName;
  problem: 'required' | 'belowOrAbove' | 'belowUnderAbove' | 'hhmm' | 'quietPair';
};

export function paramProblems(kind: RuleKind, form: ParamsForm): ParamProblem[] {
  const out: ParamProblem[] = [];
  const need = (field: ParamName) => {
    const v = form[field];
    if (isBlank(v) || (Array.isArray(v) && v.length === 0)) out.push({ field, problem: 'required' });
  };
  switch (kind) {
    case 'threshold':
      need('metric');
      if (isBlank(form.below) && isBlank(form.above)) out.push({ field: 'below', problem: 'belowOrAbove' });
      else if (!isBlank(form.below) && !isBlank(form.above) && Number(form.below) >= Number(form.above)) {
        out.push({ field: 'above', problem: 'belowUnderAbove' });
      }
      break;
    case 'no_use': {
      need('metric');
      need('windowHours');
      need('minUse');
      const start = form.quietStart?.trim() ?? '';
      const end = form.quietEnd?.trim() ?? '';
      if (start && !HHMM.test(start)) out.push({ field: 'quietStart', problem: 'hhmm' });
      if (end && !HHMM.test(end)) out.push({ field: 'quietEnd', problem: 'hhmm' });
      if (!start !== !end) out.push({ field: start ? 'quietEnd' : 'quietStart', problem: 'quietPair' });
      break;
    }
    case 'high_use':
      need('metric');
      need('windowMinutes');
      need('maxUse');
      break;
    case 'silent':
      need('minutes');
      break;
    case 'event':
      need('events');
      break;
  }
  return out;
}

/**
 * A person's override holds only what differs from the rule (the server merges it over the rule's params, so
 * a later change to the rule still reaches everyone who did not change that value).
 */
export function overrideParams(
  kind: RuleKind,
  ruleParams: Record<string, unknown>,
  form: ParamsForm,
): Record<string, unknown> {
  const wanted = formToParams(kind, form);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(wanted)) {
    if (JSON.stringify(value) !== JSON.stringify(ruleParams[name])) out[name] = value;
  }
  return out;
}

// ---- the escalation ladder ------------------------------------------------------------------------------------

/** A row of the ladder editor; rows may be half-filled while the user types. */
export type LadderRow = { level?: LadderLevel | null; afterMin?: number | null };

/**
 * The ladder as saved: filled rows only, each level once (its earliest time kept), whole minutes within
 * 0–1440, in order of time (a tie in the ladder's natural order family → grid → community → street).
 */
export function normaliseLadder(rows: readonly LadderRow[]): LadderStep[] {
  const earliest = new Map<LadderLevel, number>();
  for (const row of rows) {
    if (!row.level || !LADDER_LEVELS.includes(row.level)) continue;
    const raw = typeof row.afterMin === 'number' && Number.isFinite(row.afterMin) ? row.afterMin : 0;
    const minutes = Math.min(1440, Math.max(0, Math.round(raw)));
    const seen = earliest.get(row.level);
    if (seen === undefined || minutes < seen) earliest.set(row.level, minutes);
  }
  return [...earliest.entries()]
    .map(([level, afterMin]) => ({ level, afterMin }))
    .sort((a, b) => a.afterMin - b.afterMin || LADDER_LEVELS.indexOf(a.level) - LADDER_LEVELS.indexOf(b.level));
}

/** Indexes of rows naming a level an earlier row already names (the editor marks them). */
export function duplicateLadderRows(rows: readonly LadderRow[]): number[] {
  const seen = new Set<LadderLevel>();
  const out: number[] = [];
  rows.forEach((row, i) => {
    if (!row.level) return;
    if (seen.has(row.level)) out.push(i);
    seen.add(row.level);
  });
  return out;
}

/** A ladder in one line: 家属 0 分钟 → 网格员 15 分钟 … (labels from the caller). */
export function ladderText(ladder: readonly LadderStep[], label: (step: LadderStep) => string): string {
  return ladder.map(label).join(' → ');
}
