import type {
  AssigneeKind,
  PeriodUnit,
  RuleTarget,
  VisitRule,
  VisitRuleCategory,
  VisitRuleCreate,
  VisitRuleKind,
  VisitRulePatch,
  VisitTrigger,
} from '../../../api-types';

/** The rule drawer's values: one shape for both kinds; the fields of the other kind are left out when sent. */
export type RuleFormValues = {
  code: string;
  name: string;
  description?: string | null;
  kind: VisitRuleKind;
  category: VisitRuleCategory;
  // periodic
  tagId?: number | null;
  every?: number | null;
  unit?: PeriodUnit | null;
  // event
  trigger?: VisitTrigger | null;
  triggerTagId?: number | null;
  triggerCategoryId?: number | null;
  triggerOutcome?: string | null;
  triggerRuleId?: number | null;
  dueHours?: number | null;
  assignee: AssigneeKind;
  target: RuleTarget;
  enabled: boolean;
  sort?: number | null;
};

/** The event parameters each trigger needs, in the form's order (resident_deceased needs none). */
export const TRIGGER_FIELDS: Record<
  VisitTrigger,
  readonly ('triggerTagId' | 'triggerCategoryId' | 'triggerOutcome' | 'triggerRuleId')[]
> = {
  tag_added: ['triggerTagId'],
  resident_deceased: [],
  case_category: ['triggerCategoryId'],
  alarm_outcome: ['triggerOutcome'],
  visit_outcome: ['triggerRuleId', 'triggerOutcome'],
};

/** Every form field the server may name in an error (the drawer shows the message there). */
export const RULE_FIELDS = [
  'code',
  'name',
  'description',
  'kind',
  'category',
  'tagId',
  'every',
  'unit',
  'trigger',
  'triggerTagId',
  'triggerCategoryId',
  'triggerOutcome',
  'triggerRuleId',
  'dueHours',
  'assignee',
  'target',
  'enabled',
  'sort',
] as const;

export const RULE_CODE = /^[a-z][a-z0-9_]{1,39}$/;

/** A new rule's starting values: 例行 weekly visits by a grid worker, or an event visit within 48 hours. */
export function newRuleValues(kind: VisitRuleKind): RuleFormValues {
  return kind === 'periodic'
    ? {
        code: '',
        name: '',
        kind,
        category: 'routine',
        tagId: null,
        every: 1,
        unit: 'week',
        assignee: 'grid_worker',
        target: 'resident',
        enabled: true,
        sort: 0,
      }
    : {
        code: '',
        name: '',
        kind,
        category: 'must_visit',
        trigger: 'tag_added',
        dueHours: 48,
        assignee: 'grid_worker',
        target: 'resident',
        enabled: true,
        sort: 0,
      };
}

export function ruleToValues(rule: VisitRule): RuleFormValues {
  return {
    code: rule.code,
    name: rule.name,
    description: rule.description,
    kind: rule.kind,
    category: rule.category,
    tagId: rule.tagId,
    every: rule.every,
    unit: rule.unit,
    trigger: rule.trigger,
    triggerTagId: rule.triggerTagId,
    triggerCategoryId: rule.triggerCategoryId,
    triggerOutcome: rule.triggerOutcome,
    triggerRuleId: rule.triggerRuleId,
    dueHours: rule.dueHours,
    assignee: rule.assignee,
    target: rule.target,
    enabled: rule.enabled,
    sort: rule.sort,
  };
}

type RuleBody = Omit<VisitRuleCreate, 'code' | 'kind'>;

/** The fields both create and change send: the kind's own, the other kind's and unused trigger parameters null. */
function ruleBody(v: RuleFormValues): RuleBody {
  const description = v.description?.trim() || null;
  const body: RuleBody = {
    name: v.name.trim(),
    description,
    category: v.category,
    assignee: v.assignee,
    target: v.target,
    enabled: v.enabled,
    sort: v.sort ?? 0,
  };
  if (v.kind === 'periodic') {
    return { ...body, tagId: v.tagId ?? null, every: v.every ?? null, unit: v.unit ?? null };
  }
  const used = new Set(v.trigger ? TRIGGER_FIELDS[v.trigger] : []);
  return {
    ...body,
    trigger: v.trigger ?? null,
    triggerTagId: used.has('triggerTagId') ? (v.triggerTagId ?? null) : null,
    triggerCategoryId: used.has('triggerCategoryId') ? (v.triggerCategoryId ?? null) : null,
    triggerOutcome: used.has('triggerOutcome') ? (v.triggerOutcome ?? null) : null,
    triggerRuleId: used.has('triggerRuleId') ? (v.triggerRuleId ?? null) : null,
    dueHours: v.dueHours ?? null,
  };
}

export function valuesToCreate(v: RuleFormValues): VisitRuleCreate {
  return { code: v.code.trim(), kind: v.kind, ...ruleBody(v) };
}

/** A change sends the version read (the kind and the code stay as they are). */
export function valuesToPatch(rule: Pick<VisitRule, 'version'>, v: RuleFormValues): VisitRulePatch {
  return { version: rule.version, ...ruleBody(v) };
}

/**
 * Follows the visit_outcome chain from a rule that would be triggered by visits of `triggerRuleId`: the codes of
 * the rules on the way back to it when they form a cycle (`a → b → a`), else null. A new rule (no id) cannot be
 * in a cycle: no rule can name it yet.
 */
export function findCycle(
  rules: readonly Pick<VisitRule, 'id' | 'code' | 'trigger' | 'triggerRuleId'>[],
  editing: { id: number; code: string } | null,
  triggerRuleId: number | null | undefined,
): string[] | null {
  if (!editing || !triggerRuleId) return null;
  const byId = new Map(rules.map((r) => [r.id, r]));
  const chain = [editing.code];
  const seen = new Set<number>([editing.id]);
  let next: number | null | undefined = triggerRuleId;
  while (next) {
    if (next === editing.id) return [...chain, editing.code];
    // a loop among other rules is theirs, not this change's (the server refused it already)
    if (seen.has(next)) return null;
    seen.add(next);
    const rule = byId.get(next);
    if (!rule) return null;
    chain.push(rule.code);
    next = rule.trigger === 'visit_outcome' ? rule.triggerRuleId : null;
  }
  return null;
}

export type RuleProblem =
  | { field: 'every'; key: 'frequencyInvalid' }
  | { field: 'triggerRuleId'; key: 'cycle'; chain: string }
  | { field: (typeof RULE_FIELDS)[number]; key: 'required' };

/**
 * What the server would refuse, checked before sending (the server checks again and its message is shown on the
 * field it names): the kind's required fields, a frequency of at least once every 1 period, no cycle of follow-ups.
 */
export function ruleProblems(
  v: RuleFormValues,
  rules: readonly Pick<VisitRule, 'id' | 'code' | 'trigger' | 'triggerRuleId'>[],
  editing: { id: number; code: string } | null,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const missing = (field: (typeof RULE_FIELDS)[number], value: unknown) => {
    if (value === null || value === undefined || value === '') problems.push({ field, key: 'required' });
  };
  if (v.kind === 'periodic') {
    missing('tagId', v.tagId);
    if (v.every === null || v.every === undefined) missing('every', v.every);
    else if (!Number.isInteger(v.every) || v.every < 1) problems.push({ field: 'every', key: 'frequencyInvalid' });
    missing('unit', v.unit);
    return problems;
  }
  missing('trigger', v.trigger);
  missing('dueHours', v.dueHours);
  if (!v.trigger) return problems;
  for (const field of TRIGGER_FIELDS[v.trigger]) missing(field, v[field]);
  if (v.trigger === 'visit_outcome') {
    const chain = findCycle(rules, editing, v.triggerRuleId);
    if (chain) problems.push({ field: 'triggerRuleId', key: 'cycle', chain: chain.join(' → ') });
  }
  return problems;
}
