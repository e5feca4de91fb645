import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';
import type { FieldCondition, PolicyCondition, Rule, TagCondition } from './rules.logic.js';

/**
 * Policies (政策找人): policies and their rule versions, runs, explained result lists, candidates (the human in the
 * loop) and exports. A rule's shape is only bounded here; `parseRule` (rules.logic.ts) checks it and names the
 * offending `rule.…` path.
 */

export const POLICY_STATUSES = ['draft', 'active', 'retired'] as const;
export const RUN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export const RUN_TRIGGERS = ['manual', 'nightly'] as const;
export const RESULT_OUTCOMES = ['eligible', 'near_miss', 'new', 'gone'] as const;
export const CANDIDATE_STATUSES = ['pending', 'confirmed', 'rejected', 'receiving', 'ended', 'lapsed'] as const;

const PolicyCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
/** A rule as JSON (an object); its content is checked by parseRule (400 POLICY_RULE_INVALID naming `rule.…`). */
export const RuleSchema = Type.Unsafe<Rule>({ type: 'object' });
const Condition = Type.Unsafe<FieldCondition | TagCondition | PolicyCondition>({ type: 'object' });

export const PolicyIdParams = Strict({ id: Id });
export const RunIdParams = Strict({ runId: Id });
export const ResidentIdParams = Strict({ residentId: Id });

// ---- leaves and the field catalogue ----------------------------------------------------------------------------

/** One leaf condition of a rule version: bit `index` of a result's met mask; `label` in the caller's language. */
export const LeafView = Type.Object({
  index: Type.Integer(),
  path: Type.String(),
  kind: Type.Enum(['field', 'tag', 'policy']),
  condition: Condition,
  label: Type.String(),
});
export type LeafView = Static<typeof LeafView>;

export const FieldView = Type.Object({
  code: Type.String(),
  type: Type.Enum(['number', 'enum', 'text', 'date', 'boolean']),
  source: Type.Enum(['resident', 'household', 'house']),
  label: Type.String(),
  values: Type.Optional(Type.Array(Type.String())),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  ops: Type.Array(Type.String()),
});
export type FieldView = Static<typeof FieldView>;

export const CodeName = Type.Object({ code: Type.String(), name: Type.String() });
export type CodeName = Static<typeof CodeName>;

/** GET /api/policies/fields: what the rule editor offers. */
export const PolicyFieldsView = Type.Object({
  fields: Type.Array(FieldView),
  opsByType: Type.Record(Type.String(), Type.Array(Type.String())),
  tags: Type.Array(CodeName),
  policies: Type.Array(CodeName),
});
export type PolicyFieldsView = Static<typeof PolicyFieldsView>;

/** POST /api/policies/validate: `code` is the policy being edited (for cycles through references to itself). */
export const ValidateBody = Strict({ rule: RuleSchema, code: Type.Optional(PolicyCode) });
export type ValidateBody = Static<typeof ValidateBody>;
export const ValidateResult = Type.Object({ ok: Type.Literal(true), rule: RuleSchema, leaves: Type.Array(LeafView) });
export type ValidateResult = Static<typeof ValidateResult>;

// ---- policies ------------------------------------------------------------------------------------------------

export const PolicyView = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  legalRef: Type.String(),
  legalUrl: Nullable(Type.String()),
  description: Type.String(),
  residentText: Type.String(),
  handledBy: Nullable(Type.String()),
  validFrom: Type.String(),
  validTo: Nullable(Type.String()),
  status: Type.Enum([...POLICY_STATUSES]),
  /** The current version: its number, id, rule and leaves. */
  version: Type.Integer(),
  versionId: Type.Integer(),
  rule: RuleSchema,
  leaves: Type.Array(LeafView),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PolicyView = Static<typeof PolicyView>;

export const PolicyListQuery = Strict({
  status: Type.Optional(Type.Enum([...POLICY_STATUSES])),
  q: Type.Optional(Text({ maxLength: 60, trim: true })),
});
export type PolicyListQuery = Static<typeof PolicyListQuery>;

export const PolicyList = Type.Object({ items: Type.Array(PolicyView) });
export type PolicyList = Static<typeof PolicyList>;

const NullableText = (max: number) => Type.Optional(Nullable(Text({ maxLength: max, trim: true })));

export const PolicyCreate = Strict({
  code: PolicyCode,
  name: Text({ minLength: 1, maxLength: 60, trim: true }),
  legalRef: Text({ minLength: 1, maxLength: 300, trim: true }),
  legalUrl: NullableText(500),
  description: Type.Optional(Text({ maxLength: 2000, trim: true })),
  residentText: Type.Optional(Text({ maxLength: 2000, trim: true })),
  handledBy: NullableText(60),
  validFrom: DateStr,
  validTo: Type.Optional(Nullable(DateStr)),
  rule: RuleSchema,
  /** A note on the version (what changed, why). */
  note: NullableText(500),
});
export type PolicyCreate = Static<typeof PolicyCreate>;

/** An update: a `rule` that differs from the current one (canonical JSON) writes a new version. */
export const PolicyPatch = Strict({
  name: Type.Optional(Text({ minLength: 1, maxLength: 60, trim: true })),
  legalRef: Type.Optional(Text({ minLength: 1, maxLength: 300, trim: true })),
  legalUrl: NullableText(500),
  description: Type.Optional(Text({ maxLength: 2000, trim: true })),
  residentText: Type.Optional(Text({ maxLength: 2000, trim: true })),
  handledBy: NullableText(60),
  validFrom: Type.Optional(DateStr),
  validTo: Type.Optional(Nullable(DateStr)),
  rule: Type.Optional(RuleSchema),
  note: NullableText(500),
});
export type PolicyPatch = Static<typeof PolicyPatch>;

/** draft → active → retired (active → draft is refused once a run used it; retired is final). */
export const PolicyStatusBody = Strict({ status: Type.Enum([...POLICY_STATUSES]) });
export type PolicyStatusBody = Static<typeof PolicyStatusBody>;

export const PolicyVersionView = Type.Object({
  id: Type.Integer(),
  version: Type.Integer(),
  rule: RuleSchema,
  leaves: Type.Array(LeafView),
  note: Nullable(Type.String()),
  createdByName: Nullable(Type.String()),
  createdAt: Timestamp,
  current: Type.Boolean(),
});
export type PolicyVersionView = Static<typeof PolicyVersionView>;
export const PolicyVersionList = Type.Object({ items: Type.Array(PolicyVersionView) });
export type PolicyVersionList = Static<typeof PolicyVersionList>;

// ---- runs ----------------------------------------------------------------------------------------------------

export const RunCreate = Strict({ nodeId: Id, policyId: Type.Optional(Id) });
export type RunCreate = Static<typeof RunCreate>;

export const RunPolicyView = Type.Object({
  policyId: Type.Integer(),
  policyCode: Type.String(),
  policyName: Type.String(),
  versionId: Type.Integer(),
  version: Type.Integer(),
  eligible: Type.Integer(),
  nearMiss: Type.Integer(),
  newlyEligible: Type.Integer(),
  noLongerEligible: Type.Integer(),
  /** The previous finished run of the policy over the node the diff is against (null: the first). */
  previousRunId: Nullable(Type.Integer()),
});
export type RunPolicyView = Static<typeof RunPolicyView>;

export const RunView = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  trigger: Type.Enum([...RUN_TRIGGERS]),
  policyId: Nullable(Type.Integer()),
  policyName: Nullable(Type.String()),
  status: Type.Enum([...RUN_STATUSES]),
  asOf: Type.String(),
  residents: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  startedByName: Nullable(Type.String()),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  policies: Type.Array(RunPolicyView),
});
export type RunView = Static<typeof RunView>;

export const RunListQuery = Strict({
  nodeId: Type.Optional(Id),
  policyId: Type.Optional(Id),
  status: Type.Optional(Type.Enum([...RUN_STATUSES])),
  ...Paging,
});
export type RunListQuery = Static<typeof RunListQuery>;
export const RunPage = Type.Object({ items: Type.Array(RunView), total: Type.Integer() });
export type RunPage = Static<typeof RunPage>;

// ---- explained results ---------------------------------------------------------------------------------------

/** One condition in an explanation: its label and the value the rule read (null: not recorded). */
export const ExplainedCondition = Type.Object({
  index: Type.Integer(),
  label: Type.String(),
  value: Nullable(Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Array(Type.String())])),
  /** The value as text for display ("82", "本地城镇", "是"). */
  valueText: Type.String(),
  /** The rule wants this condition NOT to hold (under a `not`): "not receiving X". */
  negated: Type.Boolean(),
});
export type ExplainedCondition = Static<typeof ExplainedCondition>;

export const Explanation = Type.Object({
  /** The conditions that held, with the values used. */
  met: Type.Array(ExplainedCondition),
  /** The conditions that did not hold (for a near miss: the one that failed). */
  failed: Type.Array(ExplainedCondition),
  /** One line: "符合：年龄 ≥ 80（82）；户籍类型 属于 本地（本地城镇）" / for a near miss "差一项：…". */
  summary: Type.String(),
});
export type Explanation = Static<typeof Explanation>;

export const CandidateRef = Type.Object({
  id: Type.Integer(),
  status: Type.Enum([...CANDIDATE_STATUSES]),
  version: Type.Integer(),
});
export type CandidateRef = Static<typeof CandidateRef>;

export const ResultRow = Type.Object({
  residentId: Type.Integer(),
  /** Masked as the people module masks names for the caller (people.sensitive sees the full name). */
  name: Type.String(),
  idMasked: Type.String(),
  sex: Type.Enum(['male', 'female']),
  age: Type.Integer(),
  nodeId: Type.Integer(),
  place: Type.String(),
  outcome: Type.Enum(['eligible', 'near_miss', 'gone']),
  /** Eligible now and not in the previous run. */
  isNew: Type.Boolean(),
  explanation: Explanation,
  candidate: Nullable(CandidateRef),
});
export type ResultRow = Static<typeof ResultRow>;

export const ResultsQuery = Strict({
  policyId: Id,
  outcome: Type.Optional(Type.Enum([...RESULT_OUTCOMES])),
  q: Type.Optional(Text({ maxLength: 60, trim: true })),
  nodeId: Type.Optional(Id),
  ...Paging,
});
export type ResultsQuery = Static<typeof ResultsQuery>;

export const ResultPage = Type.Object({
  items: Type.Array(ResultRow),
  total: Type.Integer(),
  run: RunView,
  policy: RunPolicyView,
  leaves: Type.Array(LeafView),
});
export type ResultPage = Static<typeof ResultPage>;

export const ExportQuery = Strict({
  policyId: Id,
  outcome: Type.Optional(Type.Enum([...RESULT_OUTCOMES])),
  nodeId: Type.Optional(Id),
  /** 1: full names and id numbers (needs pii.reveal and a reason; audited). */
  unmasked: Type.Optional(Type.Enum(['0', '1'])),
  reason: Type.Optional(Text({ maxLength: 200 })),
});
export type ExportQuery = Static<typeof ExportQuery>;

/** A resident's own view (person page): the policies found for them in the latest runs and their candidacies. */
export const ResidentPolicyRow = Type.Object({
  policyId: Type.Integer(),
  policyCode: Type.String(),
  policyName: Type.String(),
  runId: Type.Integer(),
  asOf: Type.String(),
  outcome: Type.Enum(['eligible', 'near_miss']),
  explanation: Explanation,
});
export type ResidentPolicyRow = Static<typeof ResidentPolicyRow>;

// ---- candidates ----------------------------------------------------------------------------------------------

export const CandidateView = Type.Object({
  id: Type.Integer(),
  policyId: Type.Integer(),
  policyCode: Type.String(),
  policyName: Type.String(),
  residentId: Type.Integer(),
  name: Type.String(),
  idMasked: Type.String(),
  sex: Type.Enum(['male', 'female']),
  age: Type.Integer(),
  nodeId: Type.Integer(),
  place: Type.String(),
  status: Type.Enum([...CANDIDATE_STATUSES]),
  runId: Nullable(Type.Integer()),
  versionId: Type.Integer(),
  foundAt: Timestamp,
  dueAt: Nullable(Timestamp),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
  reason: Nullable(Type.String()),
  receivingSince: Nullable(Type.String()),
  receivingUntil: Nullable(Type.String()),
  version: Type.Integer(),
  updatedAt: Timestamp,
});
export type CandidateView = Static<typeof CandidateView>;

export const CandidateHistoryEntry = Type.Object({
  at: Timestamp,
  actorName: Nullable(Type.String()),
  action: Type.String(),
  reason: Nullable(Type.String()),
});
export type CandidateHistoryEntry = Static<typeof CandidateHistoryEntry>;

export const CandidateDetail = Type.Object({
  ...CandidateView.properties,
  legalRef: Type.String(),
  handledBy: Nullable(Type.String()),
  description: Type.String(),
  /** Why they were found (from the run's result, or null when the run's results were pruned). */
  explanation: Nullable(Explanation),
  /** The plain-language text to tell or read to the resident (告知书). */
  residentText: Type.String(),
  history: Type.Array(CandidateHistoryEntry),
});
export type CandidateDetail = Static<typeof CandidateDetail>;

export const CandidateListQuery = Strict({
  status: Type.Optional(Type.Enum([...CANDIDATE_STATUSES])),
  policyId: Type.Optional(Id),
  nodeId: Type.Optional(Id),
  residentId: Type.Optional(Id),
  ...Paging,
});
export type CandidateListQuery = Static<typeof CandidateListQuery>;
export const CandidatePage = Type.Object({ items: Type.Array(CandidateView), total: Type.Integer() });
export type CandidatePage = Static<typeof CandidatePage>;

const Version = Type.Integer({ minimum: 1 });
export const ConfirmBody = Strict({ version: Version, note: Type.Optional(Text({ maxLength: 500, trim: true })) });
export type ConfirmBody = Static<typeof ConfirmBody>;
/** Reject or end: the reason is required (requireReason). */
export const CandidateReasonBody = Strict({ version: Version, reason: Text({ maxLength: 500 }) });
export type CandidateReasonBody = Static<typeof CandidateReasonBody>;
export const ReceivingBody = Strict({ version: Version, since: DateStr });
export type ReceivingBody = Static<typeof ReceivingBody>;

export const ResidentPoliciesView = Type.Object({
  residentId: Type.Integer(),
  results: Type.Array(ResidentPolicyRow),
  candidates: Type.Array(CandidateView),
});
export type ResidentPoliciesView = Static<typeof ResidentPoliciesView>;

export { Id };
