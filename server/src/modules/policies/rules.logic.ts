/**
 * Policy rules as data (政策找人): the language an administrator writes a policy's conditions in, its checks, a
 * plain reference evaluator (one person at a time: the truth the set-based SQL in `rules.sql.ts` is tested against)
 * and explanations. Pure: no I/O.
 *
 * A rule is a tree: `{ all: [...] }`, `{ any: [...] }`, `{ not: rule }`, and three kinds of leaf:
 * - a field condition `{ field: 'age', op: '>=', value: 80 }` over the resident, their household and house;
 * - a tag `{ tag: 'disabled' }`: the resident holds the tag (by code);
 * - another policy `{ policy: 'old_age_allowance', state: 'eligible' | 'receiving' }`: eligible by that policy's
 *   current rule (inlined; a cycle is refused), or receiving it (a candidate with status 'receiving').
 *
 * Leaves are numbered depth-first from 0 (at most MAX_LEAVES); bit i of a result's `met_mask` says leaf i held.
 * "Near miss": not eligible, and flipping one leaf would make the rule hold (the fewest leaves to flip is 1).
 */

// ---- pinned contract: types and the field catalogue ----------------------------------------------------------

export const MAX_LEAVES = 63;
export const MAX_DEPTH = 8;

export type FieldType = 'number' | 'enum' | 'text' | 'date' | 'boolean';

export type FieldDef = {
  type: FieldType;
  /** Where the value comes from (for the editor's grouping). */
  source: 'resident' | 'household' | 'house';
  zh: string;
  en: string;
  /** The allowed values of an enum field. */
  values?: readonly string[];
  /** Bounds of a number field. */
  min?: number;
  max?: number;
};

/** Every field a rule may read. A rule naming another is refused (POLICY_RULE_INVALID naming the field). */
export const POLICY_FIELDS = {
  age: { type: 'number', source: 'resident', zh: '年龄', en: 'Age', min: 0, max: 150 },
  sex: { type: 'enum', source: 'resident', zh: '性别', en: 'Sex', values: ['male', 'female'] },
  birth_date: { type: 'date', source: 'resident', zh: '出生日期', en: 'Date of birth' },
  ethnicity: { type: 'text', source: 'resident', zh: '民族', en: 'Ethnicity' },
  hukou_type: {
    type: 'enum',
    source: 'resident',
    zh: '户籍类型',
    en: 'Hukou',
    values: ['local_urban', 'local_rural', 'nonlocal'],
  },
  income_band: {
    type: 'enum',
    source: 'resident',
    zh: '收入档次',
    en: 'Income band',
    values: ['subsistence', 'low', 'lower_middle', 'middle', 'high'],
  },
  disability_grade: { type: 'number', source: 'resident', zh: '残疾等级', en: 'Disability grade', min: 1, max: 4 },
  relation: {
    type: 'enum',
    source: 'resident',
    zh: '与户主关系',
    en: 'Relation to head',
    values: ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'child_in_law', 'other'],
  },
  moved_in_on: { type: 'date', source: 'resident', zh: '迁入日期', en: 'Moved in on' },
  household_size: { type: 'number', source: 'household', zh: '户内人数', en: 'Household size', min: 0, max: 100 },
  lives_alone: { type: 'boolean', source: 'household', zh: '独居', en: 'Lives alone' },
  household_minors: {
    type: 'number',
    source: 'household',
    zh: '户内未成年人数',
    en: 'Minors in household',
    min: 0,
    max: 100,
  },
  household_elders: {
    type: 'number',
    source: 'household',
    zh: '户内60岁以上人数',
    en: 'Members aged 60+',
    min: 0,
    max: 100,
  },
  house_use: {
    type: 'enum',
    source: 'house',
    zh: '房屋用途',
    en: 'House use',
    values: ['owner_occupied', 'rented', 'vacant', 'commercial', 'other'],
  },
  house_area: { type: 'number', source: 'house', zh: '住房面积', en: 'Floor area', min: 0, max: 100000 },
} as const satisfies Record<string, FieldDef>;
export type FieldCode = keyof typeof POLICY_FIELDS;

export const RULE_OPS = ['=', '!=', '>', '>=', '<', '<=', 'between', 'in', 'not_in', 'is_null', 'not_null'] as const;
export type RuleOp = (typeof RULE_OPS)[number];

/** Which operators each field type takes. */
export const OPS_BY_TYPE: Record<FieldType, readonly RuleOp[]> = {
  number: ['=', '!=', '>', '>=', '<', '<=', 'between', 'in', 'not_in', 'is_null', 'not_null'],
  date: ['=', '!=', '>', '>=', '<', '<=', 'between', 'is_null', 'not_null'],
  enum: ['=', '!=', 'in', 'not_in', 'is_null', 'not_null'],
  text: ['=', '!=', 'in', 'not_in', 'is_null', 'not_null'],
  boolean: ['='],
};

export type Scalar = number | string | boolean;

export type FieldCondition = {
  field: FieldCode;
  op: RuleOp;
  /** A scalar; [low, high] (inclusive) for between; a list for in/not_in; absent for is_null/not_null. Dates 'YYYY-MM-DD'. */
  value?: Scalar | Scalar[];
};
export type TagCondition = { tag: string };
export type PolicyCondition = { policy: string; state: 'eligible' | 'receiving' };
export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | FieldCondition | TagCondition | PolicyCondition;

/** One leaf as stored in policy_versions.leaves: where it sits and how it reads. */
export type Leaf = {
  index: number;
  /** 'all.0', 'all.1.any.0', 'not' … (the same path as a POLICY_RULE_INVALID field, after 'rule.'). */
  path: string;
  kind: 'field' | 'tag' | 'policy';
  /** The leaf itself, for explanations of old versions. */
  condition: FieldCondition | TagCondition | PolicyCondition;
  /** "年龄 ≥ 80", "持有标签：残疾人", "未在享受：高龄津贴" (under a `not`, the leaf still reads positively). */
  zh: string;
  en: string;
};

/** What a rule may refer to when it is checked: the known tags (code → name) and policies (code → current rule). */
export type RuleContext = {
  tags: ReadonlyMap<string, string>;
  policies: ReadonlyMap<string, { name: string; rule: Rule | null }>;
};

/** One person's facts, as the reference evaluator reads them (null = not recorded). */
export type PersonFacts = {
  age: number;
  sex: 'male' | 'female';
  birth_date: string;
  ethnicity: string | null;
  hukou_type: string | null;
  income_band: string | null;
  disability_grade: number | null;
  relation: string | null;
  moved_in_on: string | null;
  household_size: number;
  lives_alone: boolean;
  household_minors: number;
  household_elders: number;
  house_use: string | null;
  house_area: number | null;
  /** Tag codes held. */
  tags: ReadonlySet<string>;
  /** Policy codes the person is receiving (candidate status 'receiving'). */
  receiving: ReadonlySet<string>;
};

/** The outcome for one person: whether the rule holds, which leaves held, and the fewest leaves to flip to hold. */
export type Evaluation = { holds: boolean; metMask: bigint; costToHold: number };

// ---- policies [A1]: implementation ----
/**
 * Checks and normalises a rule written by an administrator (unknown field or tag, an operator the field's type does
 * not take, a value of the wrong type — age > "abc" —, an unknown policy, a cycle through policy references with
 * `selfCode`, too many leaves or too deep). @throws POLICY_RULE_INVALID { field: 'rule.all.1.value', params: { detail } }
 * or POLICY_RULE_CYCLE { params: { path: 'a → b → a' } }
 */
export function parseRule(_raw: unknown, _ctx: RuleContext, _selfCode?: string): Rule {
  throw new Error('parseRule: implemented by policies [A1]');
}

/** The rule's leaves in depth-first order (index = bit of met_mask), with their labels. */
export function ruleLeaves(_rule: Rule, _ctx: RuleContext): Leaf[] {
  throw new Error('ruleLeaves: implemented by policies [A1]');
}

/** The reference evaluator: one person, plainly. `resolve` gives another policy's current rule by code. */
export function evaluateRule(_rule: Rule, _facts: PersonFacts, _resolve: (code: string) => Rule | null): Evaluation {
  throw new Error('evaluateRule: implemented by policies [A1]');
}
// ---- end policies [A1] ----
