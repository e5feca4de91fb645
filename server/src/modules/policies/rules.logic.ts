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
 * "Near miss": not eligible, and exactly one NEAR leaf fails with everything else as the rule wants it (costToHold 1):
 * a number or date comparison missed by at most a small margin (`nearMargin`, `nearCondition`); any other failing
 * leaf, and every leaf under a `not`, cannot be flipped (cost FAR_COST).
 */

import { AppError } from '../../platform/errors/errors.js';

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

/** Number fields whose values are whole numbers (every number field but the floor area). */
const INTEGER_FIELDS: ReadonlySet<string> = new Set([
  'age',
  'disability_grade',
  'household_size',
  'household_minors',
  'household_elders',
]);
/** The longest list an `in` / `not_in` takes, and the longest text value. */
export const MAX_LIST = 50;
const MAX_TEXT = 60;

/** Labels of enum values (and booleans) in both languages. */
export const VALUE_LABELS: Record<string, { zh: string; en: string }> = {
  male: { zh: '男', en: 'male' },
  female: { zh: '女', en: 'female' },
  local_urban: { zh: '本地城镇', en: 'local urban' },
  local_rural: { zh: '本地农村', en: 'local rural' },
  nonlocal: { zh: '非本地', en: 'non-local' },
  subsistence: { zh: '低保', en: 'subsistence' },
  low: { zh: '低收入', en: 'low' },
  lower_middle: { zh: '中低收入', en: 'lower-middle' },
  middle: { zh: '中等收入', en: 'middle' },
  high: { zh: '高收入', en: 'high' },
  head: { zh: '户主', en: 'head' },
  spouse: { zh: '配偶', en: 'spouse' },
  child: { zh: '子女', en: 'child' },
  parent: { zh: '父母', en: 'parent' },
  grandchild: { zh: '孙子女', en: 'grandchild' },
  grandparent: { zh: '祖父母', en: 'grandparent' },
  sibling: { zh: '兄弟姐妹', en: 'sibling' },
  child_in_law: { zh: '子女配偶', en: 'child-in-law' },
  other: { zh: '其他', en: 'other' },
  owner_occupied: { zh: '自住', en: 'owner-occupied' },
  rented: { zh: '出租', en: 'rented' },
  vacant: { zh: '空置', en: 'vacant' },
  commercial: { zh: '商用', en: 'commercial' },
};

const OP_LABELS: Record<RuleOp, { zh: string; en: string }> = {
  '=': { zh: '=', en: '=' },
  '!=': { zh: '≠', en: '≠' },
  '>': { zh: '>', en: '>' },
  '>=': { zh: '≥', en: '≥' },
  '<': { zh: '<', en: '<' },
  '<=': { zh: '≤', en: '≤' },
  between: { zh: '介于', en: 'between' },
  in: { zh: '属于', en: 'in' },
  not_in: { zh: '不属于', en: 'not in' },
  is_null: { zh: '未登记', en: 'not recorded' },
  not_null: { zh: '已登记', en: 'recorded' },
};

/** A value as a person reads it: enum labels, 是/否, dates and numbers as they are; null = 未登记. */
export function valueText(field: string | null, value: unknown, lang: 'zh' | 'en'): string {
  if (value === null || value === undefined) return lang === 'zh' ? '未登记' : 'not recorded';
  if (typeof value === 'boolean') return lang === 'zh' ? (value ? '是' : '否') : value ? 'yes' : 'no';
  if (typeof value === 'string' && field && (POLICY_FIELDS as Record<string, FieldDef>)[field]?.type === 'enum')
    return VALUE_LABELS[value]?.[lang] ?? value;
  return String(value);
}

function invalid(path: string, detail: string): AppError {
  return new AppError('POLICY_RULE_INVALID', { field: path, params: { detail } });
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isRealDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1800 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function checkScalar(code: FieldCode, def: FieldDef, v: unknown, path: string): Scalar {
  switch (def.type) {
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(path, 'number expected');
      if (INTEGER_FIELDS.has(code) && !Number.isInteger(v)) throw invalid(path, 'whole number expected');
      if (def.min !== undefined && v < def.min) throw invalid(path, `below minimum ${def.min}`);
      if (def.max !== undefined && v > def.max) throw invalid(path, `above maximum ${def.max}`);
      return v;
    }
    case 'date':
      if (typeof v !== 'string' || !isRealDate(v)) throw invalid(path, 'date expected (YYYY-MM-DD)');
      return v;
    case 'enum':
      if (typeof v !== 'string') throw invalid(path, 'text expected');
      if (!def.values?.includes(v)) throw invalid(path, `unknown value "${v}"`);
      return v;
    case 'text':
      if (typeof v !== 'string' || v.trim() === '') throw invalid(path, 'text expected');
      if (v.length > MAX_TEXT) throw invalid(path, `text longer than ${MAX_TEXT}`);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw invalid(path, 'true or false expected');
      return v;
  }
}

function checkKeys(o: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw invalid(`${path}.${k}`, `unknown key "${k}"`);
}

function parseNode(
  raw: unknown,
  ctx: RuleContext,
  selfCode: string | undefined,
  path: string,
  depth: number,
  count: { leaves: number },
): Rule {
  if (!isPlainObject(raw)) throw invalid(path, 'object expected');
  if (depth > MAX_DEPTH) throw invalid(path, `deeper than ${MAX_DEPTH}`);
  const leaf = () => {
    count.leaves += 1;
    if (count.leaves > MAX_LEAVES) throw invalid(path, `more than ${MAX_LEAVES} conditions`);
  };
  if ('all' in raw || 'any' in raw) {
    const key = 'all' in raw ? 'all' : 'any';
    checkKeys(raw, [key], path);
    const list = raw[key];
    if (!Array.isArray(list)) throw invalid(`${path}.${key}`, 'list expected');
    if (list.length === 0) throw invalid(`${path}.${key}`, 'empty list');
    const items = list.map((x, i) => parseNode(x, ctx, selfCode, `${path}.${key}.${i}`, depth + 1, count));
    return key === 'all' ? { all: items } : { any: items };
  }
  if ('not' in raw) {
    checkKeys(raw, ['not'], path);
    return { not: parseNode(raw.not, ctx, selfCode, `${path}.not`, depth + 1, count) };
  }
  if ('tag' in raw) {
    checkKeys(raw, ['tag'], path);
    if (typeof raw.tag !== 'string' || !ctx.tags.has(raw.tag))
      throw invalid(`${path}.tag`, `unknown tag "${String(raw.tag)}"`);
    leaf();
    return { tag: raw.tag };
  }
  if ('policy' in raw) {
    checkKeys(raw, ['policy', 'state'], path);
    const code = raw.policy;
    if (raw.state !== 'eligible' && raw.state !== 'receiving')
      throw invalid(`${path}.state`, `unknown state "${String(raw.state)}"`);
    if (typeof code !== 'string' || (!ctx.policies.has(code) && code !== selfCode))
      throw invalid(`${path}.policy`, `unknown policy "${String(code)}"`);
    leaf();
    return { policy: code, state: raw.state };
  }
  if ('field' in raw) {
    checkKeys(raw, ['field', 'op', 'value'], path);
    const code = raw.field;
    if (typeof code !== 'string' || !Object.hasOwn(POLICY_FIELDS, code))
      throw invalid(`${path}.field`, `unknown field "${String(code)}"`);
    const field = code as FieldCode;
    const def: FieldDef = POLICY_FIELDS[field];
    const op = raw.op;
    if (typeof op !== 'string' || !(RULE_OPS as readonly string[]).includes(op))
      throw invalid(`${path}.op`, `unknown operator "${String(op)}"`);
    if (!OPS_BY_TYPE[def.type].includes(op as RuleOp))
      throw invalid(`${path}.op`, `operator "${op}" not for ${def.type}`);
    const vpath = `${path}.value`;
    leaf();
    switch (op as RuleOp) {
      case 'is_null':
      case 'not_null':
        if ('value' in raw) throw invalid(vpath, `no value expected with ${op}`);
        return { field, op: op as RuleOp };
      case 'between': {
        const v = raw.value;
        if (!Array.isArray(v) || v.length !== 2) throw invalid(vpath, '[low, high] expected');
        const lo = checkScalar(field, def, v[0], `${vpath}.0`);
        const hi = checkScalar(field, def, v[1], `${vpath}.1`);
        if (lo > hi) throw invalid(vpath, 'low above high');
        return { field, op: 'between', value: [lo, hi] };
      }
      case 'in':
      case 'not_in': {
        const v = raw.value;
        if (!Array.isArray(v) || v.length === 0) throw invalid(vpath, 'non-empty list expected');
        if (v.length > MAX_LIST) throw invalid(vpath, `more than ${MAX_LIST} values`);
        const list = v.map((x, i) => checkScalar(field, def, x, `${vpath}.${i}`));
        return { field, op: op as RuleOp, value: [...new Set(list)] };
      }
      default: {
        if (!('value' in raw)) throw invalid(vpath, 'value expected');
        return { field, op: op as RuleOp, value: checkScalar(field, def, raw.value, vpath) };
      }
    }
  }
  const first = Object.keys(raw)[0];
  throw invalid(
    first === undefined ? path : `${path}.${first}`,
    first === undefined ? 'empty rule' : `unknown key "${first}"`,
  );
}

/** The codes of the policies a rule refers to with `state: 'eligible'`. */
function eligibleRefs(rule: Rule, out: string[] = []): string[] {
  if ('all' in rule) for (const r of rule.all) eligibleRefs(r, out);
  else if ('any' in rule) for (const r of rule.any) eligibleRefs(r, out);
  else if ('not' in rule) eligibleRefs(rule.not, out);
  else if ('policy' in rule && rule.state === 'eligible') out.push(rule.policy);
  return out;
}

/**
 * Checks and normalises a rule written by an administrator (unknown field or tag, an operator the field's type does
 * not take, a value of the wrong type — age > "abc" —, an unknown policy, a cycle through policy references with
 * `selfCode`, too many leaves or too deep). @throws POLICY_RULE_INVALID { field: 'rule.all.1.value', params: { detail } }
 * or POLICY_RULE_CYCLE { params: { path: 'a → b → a' } }
 *
 * A `{ policy: selfCode, state: 'eligible' }` is a cycle; `{ policy: selfCode, state: 'receiving' }` is allowed
 * (it reads stored candidates: "not already receiving this benefit").
 */
export function parseRule(raw: unknown, ctx: RuleContext, selfCode?: string): Rule {
  const rule = parseNode(raw, ctx, selfCode, 'rule', 1, { leaves: 0 });
  // Cycles: depth-first through the current rules of the policies referred to as 'eligible'.
  const root = selfCode ?? '(new)';
  const onStack: string[] = [root];
  const done = new Set<string>();
  const visit = (code: string): void => {
    const at = onStack.indexOf(code);
    if (at >= 0 || code === selfCode) {
      const from = code === selfCode ? 0 : at;
      throw new AppError('POLICY_RULE_CYCLE', {
        field: 'rule',
        params: { path: [...onStack.slice(from), code].join(' → ') },
      });
    }
    if (done.has(code)) return;
    const target = ctx.policies.get(code)?.rule ?? null;
    onStack.push(code);
    if (target) for (const next of eligibleRefs(target)) visit(next);
    onStack.pop();
    done.add(code);
  };
  for (const code of eligibleRefs(rule)) visit(code);
  return rule;
}

function leafLabel(cond: FieldCondition | TagCondition | PolicyCondition, ctx: RuleContext, lang: 'zh' | 'en'): string {
  if ('tag' in cond) {
    const name = ctx.tags.get(cond.tag) ?? cond.tag;
    return lang === 'zh' ? `持有标签：${name}` : `Holds tag: ${name}`;
  }
  if ('policy' in cond) {
    const name = ctx.policies.get(cond.policy)?.name ?? cond.policy;
    if (cond.state === 'eligible') return lang === 'zh' ? `符合政策：${name}` : `Eligible for: ${name}`;
    return lang === 'zh' ? `正在享受：${name}` : `Receiving: ${name}`;
  }
  const def: FieldDef = POLICY_FIELDS[cond.field];
  const name = def[lang];
  const op = OP_LABELS[cond.op][lang];
  const sep = lang === 'zh' ? '、' : ', ';
  const v = (x: unknown) => valueText(cond.field, x, lang);
  switch (cond.op) {
    case 'is_null':
    case 'not_null':
      return `${name} ${op}`;
    case 'between': {
      const [lo, hi] = cond.value as Scalar[];
      return lang === 'zh' ? `${name} 介于 ${v(lo)} 和 ${v(hi)} 之间` : `${name} between ${v(lo)} and ${v(hi)}`;
    }
    case 'in':
    case 'not_in':
      return `${name} ${op} ${(cond.value as Scalar[]).map(v).join(sep)}`;
    default:
      if (def.type === 'boolean') return lang === 'zh' ? `${name}：${v(cond.value)}` : `${name}: ${v(cond.value)}`;
      return `${name} ${op} ${v(cond.value)}`;
  }
}

/** The rule's leaves in depth-first order (index = bit of met_mask), with their labels. */
export function ruleLeaves(rule: Rule, ctx: RuleContext): Leaf[] {
  const out: Leaf[] = [];
  const walk = (r: Rule, path: string) => {
    const at = (p: string) => (path === '' ? p : `${path}.${p}`);
    if ('all' in r)
      r.all.forEach((c, i) => {
        walk(c, at(`all.${i}`));
      });
    else if ('any' in r)
      r.any.forEach((c, i) => {
        walk(c, at(`any.${i}`));
      });
    else if ('not' in r) walk(r.not, at('not'));
    else {
      const kind = 'field' in r ? 'field' : 'tag' in r ? 'tag' : 'policy';
      out.push({
        index: out.length,
        path,
        kind,
        condition: r,
        zh: leafLabel(r, ctx, 'zh'),
        en: leafLabel(r, ctx, 'en'),
      });
    }
  };
  walk(rule, '');
  return out;
}

/** Whether a field condition holds for a value (null = not recorded: every comparison is false). */
export function fieldHolds(cond: FieldCondition, value: Scalar | null): boolean {
  if (cond.op === 'is_null') return value === null;
  if (cond.op === 'not_null') return value !== null;
  if (value === null) return false;
  const v = cond.value;
  switch (cond.op) {
    case '=':
      return value === v;
    case '!=':
      return value !== v;
    case '>':
      return value > (v as Scalar);
    case '>=':
      return value >= (v as Scalar);
    case '<':
      return value < (v as Scalar);
    case '<=':
      return value <= (v as Scalar);
    case 'between': {
      const [lo, hi] = v as Scalar[];
      return value >= (lo as Scalar) && value <= (hi as Scalar);
    }
    case 'in':
      return (v as Scalar[]).includes(value);
    case 'not_in':
      return !(v as Scalar[]).includes(value);
  }
}

/** The cost of flipping a leaf that is not near (or sits under a `not`): it cannot be flipped. */
export const FAR_COST = 99;
/** Days a date comparison may miss its bound by and still be near. */
export const NEAR_DAYS = 180;
/** Years an age comparison may miss its bound by and still be near. */
export const NEAR_YEARS = 2;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** A date 'YYYY-MM-DD' moved by `days` (UTC calendar days). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${String(t.getUTCFullYear()).padStart(4, '0')}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/**
 * How far a value may miss a bound of a field and still be "near" (the one rule of margins): age 2 years; a date
 * 180 days; any other number max(1, 10% of |bound|) rounded to 0.01. Null: the field is never near (enum, text,
 * boolean).
 */
export function nearMargin(field: FieldCode, bound: Scalar): number | null {
  const def: FieldDef = POLICY_FIELDS[field];
  if (field === 'age') return NEAR_YEARS;
  if (def.type === 'date') return NEAR_DAYS;
  if (def.type === 'number' && typeof bound === 'number') return Math.max(1, round2(Math.abs(bound) * 0.1));
  return null;
}

/**
 * The condition widened by its margin: a value for which the leaf does not hold is near exactly when this widened
 * condition holds for it (age ≥ 80 → age ≥ 78; area < 50 → area < 55; moved_in_on = d → between d−180 and d+180).
 * Null when the condition is never near (=, !=, in, not_in, is_null, not_null of non-number/date fields; !=, in,
 * not_in, is_null, not_null of any field). The SQL compiles this same widened condition.
 */
export function nearCondition(cond: FieldCondition): FieldCondition | null {
  const { field, op, value } = cond;
  const type = POLICY_FIELDS[field].type;
  if (type !== 'number' && type !== 'date') return null;
  const shift = (b: Scalar, dir: -1 | 1): Scalar => {
    const m = nearMargin(field, b) as number;
    return type === 'date' ? addDays(b as string, dir * m) : round2((b as number) + dir * m);
  };
  switch (op) {
    case '>':
    case '>=':
      return { field, op, value: shift(value as Scalar, -1) };
    case '<':
    case '<=':
      return { field, op, value: shift(value as Scalar, 1) };
    case '=':
      return { field, op: 'between', value: [shift(value as Scalar, -1), shift(value as Scalar, 1)] };
    case 'between': {
      const [lo, hi] = value as Scalar[];
      return { field, op: 'between', value: [shift(lo as Scalar, -1), shift(hi as Scalar, 1)] };
    }
    default:
      return null;
  }
}

/** Whether a field condition that does not hold for a value is near for it (null is never near). */
export function fieldNear(cond: FieldCondition, value: Scalar | null): boolean {
  if (value === null || fieldHolds(cond, value)) return false;
  const wide = nearCondition(cond);
  return wide !== null && fieldHolds(wide, value);
}

/** The value of a leaf for a person: a field condition holds, a tag is held, a policy is met or received. */
function leafHolds(
  cond: FieldCondition | TagCondition | PolicyCondition,
  facts: PersonFacts,
  resolve: (code: string) => Rule | null,
): boolean {
  if ('tag' in cond) return facts.tags.has(cond.tag);
  if ('policy' in cond) {
    if (cond.state === 'receiving') return facts.receiving.has(cond.policy);
    const target = resolve(cond.policy);
    return target ? evaluateRule(target, facts, resolve).holds : false;
  }
  const value = facts[cond.field] as Scalar | null | undefined;
  return fieldHolds(cond, value ?? null);
}

/**
 * The reference evaluator: one person, plainly. `resolve` gives another policy's current rule by code.
 * costToHold: a held leaf 0; a failing near leaf (not under a `not`) 1; any other failing leaf FAR_COST; all = sum;
 * any = min; not x = costToFail(x), where a held leaf costs FAR_COST to fail (leaves under `not` are never near).
 */
export function evaluateRule(rule: Rule, facts: PersonFacts, resolve: (code: string) => Rule | null): Evaluation {
  let mask = 0n;
  let index = 0;
  // Returns [holds, costToHold, costToFail].
  const walk = (r: Rule, negated: boolean): [boolean, number, number] => {
    if ('all' in r) {
      const parts = r.all.map((x) => walk(x, negated));
      return [parts.every((p) => p[0]), parts.reduce((s, p) => s + p[1], 0), Math.min(...parts.map((p) => p[2]))];
    }
    if ('any' in r) {
      const parts = r.any.map((x) => walk(x, negated));
      return [parts.some((p) => p[0]), Math.min(...parts.map((p) => p[1])), parts.reduce((s, p) => s + p[2], 0)];
    }
    if ('not' in r) {
      const [h, toHold, toFail] = walk(r.not, true);
      return [!h, toFail, toHold];
    }
    const held = leafHolds(r, facts, resolve);
    if (held) mask |= 1n << BigInt(index);
    index += 1;
    if (held) return [true, 0, FAR_COST];
    const near = !negated && 'field' in r && fieldNear(r, (facts[r.field] as Scalar | null | undefined) ?? null);
    return [false, near ? 1 : FAR_COST, 0];
  };
  const [holds, costToHold] = walk(rule, false);
  return { holds, metMask: mask, costToHold };
}

/** eligible / near_miss / null (neither) from an evaluation. */
export function outcomeOf(e: Evaluation): 'eligible' | 'near_miss' | null {
  return e.holds ? 'eligible' : e.costToHold === 1 ? 'near_miss' : null;
}
// ---- end policies [A1] ----
