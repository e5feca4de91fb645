import { pinyin } from 'pinyin-pro';
import { AppError } from '../../platform/errors/errors.js';

/** Pure rules of the people and houses database: names, ages, tag rules. No I/O. */

export const RELATIONS = [
  'head',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'child_in_law',
  'other',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** 与户主关系 as written in household registers, for import and display. */
export const RELATION_LABELS: Record<Relation, string> = {
  head: '户主',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙子女',
  grandparent: '祖父母',
  sibling: '兄弟姐妹',
  child_in_law: '儿媳/女婿',
  other: '其他',
};

const RELATION_ALIASES: Record<string, Relation> = {
  户主: 'head',
  本人: 'head',
  配偶: 'spouse',
  妻: 'spouse',
  夫: 'spouse',
  妻子: 'spouse',
  丈夫: 'spouse',
  子女: 'child',
  子: 'child',
  女: 'child',
  儿子: 'child',
  女儿: 'child',
  长子: 'child',
  次子: 'child',
  长女: 'child',
  次女: 'child',
  父母: 'parent',
  父亲: 'parent',
  母亲: 'parent',
  孙子女: 'grandchild',
  孙子: 'grandchild',
  孙女: 'grandchild',
  外孙子: 'grandchild',
  外孙女: 'grandchild',
  祖父母: 'grandparent',
  祖父: 'grandparent',
  祖母: 'grandparent',
  兄弟姐妹: 'sibling',
  兄: 'sibling',
  弟: 'sibling',
  姐: 'sibling',
  妹: 'sibling',
  儿媳: 'child_in_law',
  女婿: 'child_in_law',
  其他: 'other',
};

/** Reads a relation to the head of household in Chinese or as a code; undefined when unknown. */
export function parseRelation(raw: string): Relation | undefined {
  const v = raw.trim();
  if ((RELATIONS as readonly string[]).includes(v)) return v as Relation;
  return RELATION_ALIASES[v];
}

/**
 * Full pinyin and initials of a person's name, lower case without tones or separators: 张三 → zhangsan, zs.
 * The surname is read as a surname: 曾 → zeng, 单 → shan, 区 → ou, 万俟 → moqi.
 */
export function namePinyin(name: string): { full: string; initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'removed', v: true, surname: 'head' });
  const full = syllables
    .join('')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  const initials = syllables
    .map((s) => s.trim()[0] ?? '')
    .join('')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  return { full, initials };
}

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** The birth-date range of people aged between `minAge` and `maxAge` (inclusive) on `day`. */
export function birthRangeForAges(
  day: string,
  minAge: number | undefined,
  maxAge: number | undefined,
): { bornOnOrBefore: string | null; bornAfter: string | null } {
  const shift = (years: number) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const ny = y - years;
    // 29 February in a year without it counts as 28 February.
    const last = new Date(Date.UTC(ny, m, 0)).getUTCDate();
    return `${String(ny).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
  };
  return {
    bornOnOrBefore: minAge === undefined ? null : shift(minAge),
    bornAfter: maxAge === undefined ? null : shift(maxAge + 1),
  };
}

// ---- Tag rules -------------------------------------------------------------------------------------------

/** Facts a derived tag may test. */
export const RULE_FACTS = ['age', 'household_size', 'sex', 'status'] as const;
export type RuleFact = (typeof RULE_FACTS)[number];
export const RULE_OPS = ['>=', '<=', '>', '<', '=', '!='] as const;
export type RuleOp = (typeof RULE_OPS)[number];
export type RuleCondition = { fact: RuleFact; op: RuleOp; value: number | string };
/** A derived tag holds for a resident when every condition holds (living residents only). */
export type TagRule = { all: RuleCondition[] };

export type RuleFacts = { age: number; household_size: number; sex: 'male' | 'female'; status: string };

const NUMERIC_FACTS: readonly RuleFact[] = ['age', 'household_size'];

/** Checks a rule written by an administrator. @throws TAG_RULE_INVALID naming the condition */
export function parseTagRule(raw: unknown): TagRule {
  const fail = (i: number | null, detail: string): never => {
    throw new AppError('TAG_RULE_INVALID', { field: i === null ? 'rule' : `rule.all.${i}`, params: { detail } });
  };
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { all?: unknown }).all)) {
    return fail(null, 'all');
  }
  const all = (raw as { all: unknown[] }).all;
  if (all.length === 0 || all.length > 10) fail(null, 'all');
  return {
    all: all.map((c, i) => {
      const cond = c as Partial<RuleCondition>;
      if (!RULE_FACTS.includes(cond.fact as RuleFact)) fail(i, 'fact');
      if (!RULE_OPS.includes(cond.op as RuleOp)) fail(i, 'op');
      const numeric = NUMERIC_FACTS.includes(cond.fact as RuleFact);
      if (
        numeric &&
        (typeof cond.value !== 'number' || !Number.isInteger(cond.value) || cond.value < 0 || cond.value > 200)
      )
        fail(i, 'value');
      if (!numeric && (typeof cond.value !== 'string' || !['=', '!='].includes(cond.op as string))) fail(i, 'value');
      if (cond.fact === 'sex' && !['male', 'female'].includes(cond.value as string)) fail(i, 'value');
      if (cond.fact === 'status' && !['active', 'moved_out', 'deceased'].includes(cond.value as string))
        fail(i, 'value');
      return { fact: cond.fact as RuleFact, op: cond.op as RuleOp, value: cond.value as number | string };
    }),
  };
}

function compare(a: number | string, op: RuleOp, b: number | string): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** Whether a rule holds for one resident's facts. */
export function evaluateTagRule(rule: TagRule, facts: RuleFacts): boolean {
  return rule.all.every((c) => compare(facts[c.fact], c.op, c.value));
}

/**
 * The same rule as a SQL condition over `residents r` (with `hh_size`, the number of living members of the
 * resident's household, provided by the caller's query), so derived tags are recomputed for a whole county
 * in one statement. Values go into `params`; `$today` is the first parameter the caller binds.
 *
 * An age is compared through the birth date: "at least n years old" is "born on or before today minus n
 * years", a cut-off computed once per statement instead of age() once per resident (subtracting years from
 * 29 February gives 28 February, which counts birthdays as age() does).
 */
export function tagRuleToSql(rule: TagRule, params: unknown[], todayParam: string): string {
  const bornBy = (years: number) => {
    params.push(years);
    return `(${todayParam}::date - make_interval(years => $${params.length}::int))::date`;
  };
  const atLeast = (n: number) => `r.birth_date <= ${bornBy(n)}`;
  const under = (n: number) => `r.birth_date > ${bornBy(n)}`;
  const parts = rule.all.map((c) => {
    if (c.fact === 'age') {
      const n = c.value as number;
      switch (c.op) {
        case '>=':
          return atLeast(n);
        case '>':
          return atLeast(n + 1);
        case '<':
          return under(n);
        case '<=':
          return under(n + 1);
        case '=':
          return `${atLeast(n)} AND ${under(n + 1)}`;
        case '!=':
          return `NOT (${atLeast(n)} AND ${under(n + 1)})`;
      }
    }
    params.push(c.value);
    const p = `$${params.length}`;
    switch (c.fact) {
      case 'household_size':
        return `hh_size ${c.op} ${p}::int`;
      case 'sex':
        return `r.sex ${c.op === '=' ? '=' : '<>'} ${p}::text`;
      default:
        return `r.status ${c.op === '=' ? '=' : '<>'} ${p}::text`;
    }
  });
  return parts.map((p) => `(${p})`).join(' AND ');
}

// ---- Built-in tag dictionary ---------------------------------------------------------------------------

export type BuiltinTag = {
  code: string;
  name: string;
  parent?: string;
  sensitive: boolean;
  rule?: TagRule;
  description?: string;
};

/** 特殊人群 and other groups every deployment starts with; administrators edit, add and re-rule them. */
export const BUILTIN_TAGS: BuiltinTag[] = [
  { code: 'special_groups', name: '特殊人群', sensitive: false },
  {
    code: 'aged_80',
    name: '高龄老人',
    parent: 'special_groups',
    sensitive: false,
    rule: { all: [{ fact: 'age', op: '>=', value: 80 }] },
    description: '年满80周岁',
  },
  {
    code: 'elderly_alone',
    name: '独居老人',
    parent: 'special_groups',
    sensitive: false,
    rule: {
      all: [
        { fact: 'age', op: '>=', value: 60 },
        { fact: 'household_size', op: '=', value: 1 },
      ],
    },
    description: '年满60周岁且户内仅一人',
  },
  { code: 'empty_nest', name: '空巢老人', parent: 'special_groups', sensitive: false },
  {
    code: 'minor',
    name: '未成年人',
    parent: 'special_groups',
    sensitive: true,
    rule: { all: [{ fact: 'age', op: '<', value: 18 }] },
    description: '未满18周岁',
  },
  { code: 'left_behind_child', name: '留守儿童', parent: 'special_groups', sensitive: true },
  { code: 'disabled', name: '残疾人', parent: 'special_groups', sensitive: true },
  { code: 'low_income', name: '低保户', parent: 'special_groups', sensitive: true },
  { code: 'entitled_group', name: '优抚对象', parent: 'special_groups', sensitive: true },
  { code: 'bereaved_family', name: '失独家庭', parent: 'special_groups', sensitive: true },
  // grid work [A]: the situations 三到六访's event rules start from
  { code: 'hospitalised', name: '重病住院', parent: 'special_groups', sensitive: true },
  { code: 'disaster_hit', name: '受灾', parent: 'special_groups', sensitive: false },
  { code: 'accident', name: '意外事故', parent: 'special_groups', sensitive: false },
  { code: 'party_member', name: '党员', sensitive: false },
  { code: 'volunteer', name: '志愿者', sensitive: false },
];

/** A room number's floor: 0301 → 3, 1502 → 15, 12 → null (courtyards have no floors). */
export function inferFloor(roomNo: string): number | null {
  const m = /^(\d{1,2})(\d{2})$/.exec(roomNo.trim());
  return m ? Number(m[1]) : null;
}
