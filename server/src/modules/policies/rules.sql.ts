/**
 * Set-based evaluation of policy rules: every given policy version over every living resident under a node, in SQL
 * (one pass over residents joined to households, houses and tags), writing eligible and near-miss rows with their
 * met_mask and facts into policy_run_results. Tested against the reference evaluator in rules.logic.ts.
 */
import type { Queryable } from '../../platform/db/client.js';
import { birthRangeForAges } from '../people/people.logic.js';
import { factKey } from './rules.explain.js';
import type { FieldCode, FieldCondition, Leaf, PolicyCondition, Rule, Scalar, TagCondition } from './rules.logic.js';

// ---- pinned contract ----
export type VersionToRun = { policyId: number; policyCode: string; versionId: number; rule: Rule; leaves: Leaf[] };

export type RunInput = {
  runId: number;
  /** Residents whose node_path starts with this. */
  nodePath: string;
  /** The day ages and dates are evaluated on, 'YYYY-MM-DD'. */
  asOf: string;
  versions: VersionToRun[];
  /** Another policy's current rule by code (for `{ policy, state: 'eligible' }`), already checked for cycles. */
  resolve: (code: string) => Rule | null;
};

export type RunCounts = { versionId: number; eligible: number; nearMiss: number };
// ---- end pinned contract ----

// ---- policies [A1]: implementation ----

/** How one field reads in SQL: its column in the evaluated row, the cast of a value, whether it is an integer. */
const FIELD_SQL: Record<Exclude<FieldCode, 'age'>, { col: string; cast: string }> = {
  sex: { col: 'sex', cast: 'text' },
  birth_date: { col: 'birth_date', cast: 'date' },
  ethnicity: { col: 'ethnicity', cast: 'text' },
  hukou_type: { col: 'hukou_type', cast: 'text' },
  income_band: { col: 'income_band', cast: 'text' },
  disability_grade: { col: 'disability_grade', cast: 'numeric' },
  relation: { col: 'relation', cast: 'text' },
  moved_in_on: { col: 'moved_in_on', cast: 'date' },
  household_size: { col: 'household_size', cast: 'numeric' },
  lives_alone: { col: 'lives_alone', cast: 'boolean' },
  household_minors: { col: 'household_minors', cast: 'numeric' },
  household_elders: { col: 'household_elders', cast: 'numeric' },
  house_use: { col: 'house_use', cast: 'text' },
  house_area: { col: 'house_area', cast: 'numeric' },
};

type Compiled = {
  params: unknown[];
  /** Plain leaves (field, tag, receiving): boolean columns computed once per person, by a key of the condition. */
  plain: Map<string, { name: string; sql: string }>;
  /** `{ policy, state: 'eligible' }` leaves: the referenced rule's holds over plain columns, by code. */
  eligible: Map<string, { name: string; sql: string }>;
  tagCodes: Set<string>;
  receivingCodes: Set<string>;
  /** Birth-date cut-offs by age: age ≥ n ⇔ birth_date ≤ cut(n). */
  cuts: Map<number, string>;
};

function param(c: Compiled, value: unknown, cast: string): string {
  c.params.push(value);
  return `$${c.params.length}::${cast}`;
}

function cut(c: Compiled, asOf: string, years: number): string {
  let p = c.cuts.get(years);
  if (!p) {
    p = param(c, birthRangeForAges(asOf, years, undefined).bornOnOrBefore, 'date');
    c.cuts.set(years, p);
  }
  return p;
}

/** A field condition as SQL over the evaluated row `b` (may be NULL: the caller wraps it in COALESCE(…, false)). */
function fieldSql(c: Compiled, cond: FieldCondition, asOf: string): string {
  if (cond.field === 'age') {
    const atLeast = (n: number) => `b.birth_date <= ${cut(c, asOf, n)}`;
    const under = (n: number) => `b.birth_date > ${cut(c, asOf, n)}`;
    const exactly = (n: number) => `(${atLeast(n)} AND ${under(n + 1)})`;
    const v = cond.value;
    switch (cond.op) {
      case '>=':
        return atLeast(v as number);
      case '>':
        return atLeast((v as number) + 1);
      case '<':
        return under(v as number);
      case '<=':
        return under((v as number) + 1);
      case '=':
        return exactly(v as number);
      case '!=':
        return `NOT ${exactly(v as number)}`;
      case 'between': {
        const [lo, hi] = v as number[];
        return `(${atLeast(lo as number)} AND ${under((hi as number) + 1)})`;
      }
      case 'in':
        return `(${(v as number[]).map(exactly).join(' OR ')})`;
      case 'not_in':
        return `NOT (${(v as number[]).map(exactly).join(' OR ')})`;
      case 'is_null':
        return 'b.birth_date IS NULL';
      case 'not_null':
        return 'b.birth_date IS NOT NULL';
    }
  }
  const { col, cast } = FIELD_SQL[cond.field];
  const x = `b.${col}`;
  const v = cond.value;
  switch (cond.op) {
    case 'is_null':
      return `${x} IS NULL`;
    case 'not_null':
      return `${x} IS NOT NULL`;
    case 'between': {
      const [lo, hi] = v as Scalar[];
      return `(${x} >= ${param(c, lo, cast)} AND ${x} <= ${param(c, hi, cast)})`;
    }
    case 'in':
      return `${x} = ANY(${param(c, v, `${cast}[]`)})`;
    case 'not_in':
      return `${x} <> ALL(${param(c, v, `${cast}[]`)})`;
    case '!=':
      return `${x} <> ${param(c, v, cast)}`;
    default:
      return `${x} ${cond.op} ${param(c, v, cast)}`;
  }
}

function plainLeaf(c: Compiled, cond: FieldCondition | TagCondition | PolicyCondition, asOf: string): string {
  const key = JSON.stringify(cond);
  const found = c.plain.get(key);
  if (found) return found.name;
  let sql: string;
  if ('tag' in cond) {
    c.tagCodes.add(cond.tag);
    sql = `${param(c, cond.tag, 'text')} = ANY(b.tags)`;
  } else if ('policy' in cond) {
    c.receivingCodes.add(cond.policy);
    sql = `${param(c, cond.policy, 'text')} = ANY(b.receiving)`;
  } else sql = fieldSql(c, cond, asOf);
  const name = `l${c.plain.size}`;
  c.plain.set(key, { name, sql: `COALESCE(${sql}, false)` });
  return name;
}

/** The SQL of a rule's holds over plain leaf columns (other policies' eligibility inlined). */
function holdsSql(c: Compiled, rule: Rule, input: RunInput): string {
  if ('all' in rule) return `(${rule.all.map((r) => holdsSql(c, r, input)).join(' AND ')})`;
  if ('any' in rule) return `(${rule.any.map((r) => holdsSql(c, r, input)).join(' OR ')})`;
  if ('not' in rule) return `(NOT ${holdsSql(c, rule.not, input)})`;
  if ('policy' in rule && rule.state === 'eligible') {
    const target = input.resolve(rule.policy);
    return target ? holdsSql(c, target, input) : 'false';
  }
  return plainLeaf(c, rule, input.asOf);
}

/** The column of a leaf of a version's own rule (an eligible reference is one leaf: its own column). */
function leafColumn(c: Compiled, cond: FieldCondition | TagCondition | PolicyCondition, input: RunInput): string {
  if ('policy' in cond && cond.state === 'eligible') {
    const found = c.eligible.get(cond.policy);
    if (found) return found.name;
    const target = input.resolve(cond.policy);
    const sql = target ? holdsSql(c, target, input) : 'false';
    const name = `e${c.eligible.size}`;
    c.eligible.set(cond.policy, { name, sql });
    return name;
  }
  return plainLeaf(c, cond, input.asOf);
}

/** costToHold / costToFail of a rule as SQL integer expressions over leaf columns (see evaluateRule). */
function costSql(c: Compiled, rule: Rule, input: RunInput, toHold: boolean): string {
  if ('all' in rule) {
    const parts = rule.all.map((r) => costSql(c, r, input, toHold));
    return toHold ? `(${parts.join(' + ')})` : parts.length === 1 ? parts[0]! : `LEAST(${parts.join(', ')})`;
  }
  if ('any' in rule) {
    const parts = rule.any.map((r) => costSql(c, r, input, toHold));
    return toHold ? (parts.length === 1 ? parts[0]! : `LEAST(${parts.join(', ')})`) : `(${parts.join(' + ')})`;
  }
  if ('not' in rule) return costSql(c, rule.not, input, !toHold);
  const col = leafColumn(c, rule, input);
  return toHold ? `(1 - ${col}::int)` : `${col}::int`;
}

/** The leaves of a rule in depth-first order (the same order as ruleLeaves). */
function leafConditions(rule: Rule, out: (FieldCondition | TagCondition | PolicyCondition)[] = []) {
  if ('all' in rule) for (const r of rule.all) leafConditions(r, out);
  else if ('any' in rule) for (const r of rule.any) leafConditions(r, out);
  else if ('not' in rule) leafConditions(rule.not, out);
  else out.push(rule);
  return out;
}

/** The fact a result stores for a field: its value on as_of (ages in whole years, dates as 'YYYY-MM-DD'). */
function factSql(c: Compiled, field: FieldCode, asOf: string): string {
  if (field === 'age') {
    const day = param(c, asOf, 'date');
    return `(extract(year FROM ${day})::int - extract(year FROM b.birth_date)::int - CASE WHEN to_char(b.birth_date, 'MMDD') > to_char(${day}, 'MMDD') THEN 1 ELSE 0 END)`;
  }
  const { col, cast } = FIELD_SQL[field];
  if (cast === 'date') return `to_char(b.${col}, 'YYYY-MM-DD')`;
  return `b.${col}`;
}

/** Residents evaluated by a run: everyone active under the node. */
export async function countRunResidents(q: Queryable, nodePath: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM residents WHERE status = 'active' AND node_path LIKE $1::text || '%'`,
    [nodePath],
  );
  return rows[0]?.n ?? 0;
}

/**
 * The statement of a run: rows of residents (with household, house, tags and receiving facts) → plain leaf columns
 * (each distinct condition once) → eligibility of referenced policies → per version, costToHold through a LATERAL
 * VALUES list; rows with cost ≤ 1 are inserted with their met_mask and facts. Exported for the bench's EXPLAIN.
 */
export function buildRunSql(input: RunInput, mode: 'insert' | 'count' = 'insert'): { sql: string; params: unknown[] } {
  const c: Compiled = {
    params: [],
    plain: new Map(),
    eligible: new Map(),
    tagCodes: new Set(),
    receivingCodes: new Set(),
    cuts: new Map(),
  };
  const runParam = param(c, input.runId, 'bigint');
  const perVersion = input.versions.map((v) => {
    const vid = param(c, v.versionId, 'bigint');
    const cost = costSql(c, v.rule, input, true);
    const conds = leafConditions(v.rule);
    const cols = conds.map((cond) => leafColumn(c, cond, input));
    const mask =
      cols.length === 0
        ? '0::bigint'
        : cols.map((col, i) => `(CASE WHEN ${col} THEN ${1n << BigInt(i)}::bigint ELSE 0 END)`).join(' + ');
    const facts: string[] = [];
    const seen = new Set<string>();
    conds.forEach((cond, i) => {
      // Facts are bound only where they are written (an unused parameter has no type).
      if (mode === 'count') return;
      const key = factKey(cond);
      if (seen.has(key)) return;
      seen.add(key);
      const value = 'field' in cond ? factSql(c, cond.field, input.asOf) : cols[i]!;
      facts.push(`${param(c, key, 'text')}, ${value}`);
    });
    return { vid, cost, mask, facts: facts.length ? `jsonb_build_object(${facts.join(', ')})` : `'{}'::jsonb` };
  });
  const path = param(c, input.nodePath, 'text');
  const minorCut = cut(c, input.asOf, 18);
  const elderCut = cut(c, input.asOf, 60);
  const tagJoin = c.tagCodes.size
    ? `LEFT JOIN (SELECT rt.resident_id, array_agg(t.code) AS codes
                    FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
                   WHERE t.code = ANY(${param(c, [...c.tagCodes], 'text[]')}) AND rt.node_path LIKE ${path} || '%'
                   GROUP BY rt.resident_id) tg ON tg.resident_id = r.id`
    : '';
  const receivingJoin = c.receivingCodes.size
    ? `LEFT JOIN (SELECT pc.resident_id, array_agg(p.code) AS codes
                    FROM policy_candidates pc JOIN policies p ON p.id = pc.policy_id
                   WHERE pc.status = 'receiving' AND p.code = ANY(${param(c, [...c.receivingCodes], 'text[]')})
                   GROUP BY pc.resident_id) rc ON rc.resident_id = r.id`
    : '';
  const plainCols = [...c.plain.values()].map((l) => `${l.sql} AS ${l.name}`);
  const eligibleCols = [...c.eligible.values()].map((l) => `${l.sql} AS ${l.name}`);
  const from = `    FROM (SELECT b.*${eligibleCols.map((x) => `, ${x}`).join('')}
            FROM (SELECT b.*${plainCols.map((x) => `, ${x}`).join('')}
                    FROM (SELECT r.id, r.node_path, r.sex, r.birth_date, r.ethnicity, r.hukou_type, r.income_band,
                                 r.disability_grade, r.relation, r.moved_in_on,
                                 COALESCE(hh.size, 0) AS household_size, COALESCE(hh.minors, 0) AS household_minors,
                                 COALESCE(hh.elders, 0) AS household_elders, COALESCE(hh.size = 1, false) AS lives_alone,
                                 ho.use AS house_use, ho.area AS house_area,
                                 ${c.tagCodes.size ? 'tg.codes' : 'NULL::text[]'} AS tags,
                                 ${c.receivingCodes.size ? 'rc.codes' : 'NULL::text[]'} AS receiving
                            FROM residents r
                            LEFT JOIN (SELECT m.household_id, count(*)::int AS size,
                                              (count(*) FILTER (WHERE m.birth_date > ${minorCut}))::int AS minors,
                                              (count(*) FILTER (WHERE m.birth_date <= ${elderCut}))::int AS elders
                                         FROM residents m
                                        WHERE m.status = 'active' AND m.household_id IN (
                                              SELECT s.household_id FROM residents s
                                               WHERE s.status = 'active' AND s.node_path LIKE ${path} || '%')
                                        GROUP BY m.household_id) hh ON hh.household_id = r.household_id
                            LEFT JOIN houses ho ON ho.id = r.house_id
                            ${tagJoin}
                            ${receivingJoin}
                           WHERE r.status = 'active' AND r.node_path LIKE ${path} || '%') b
                  OFFSET 0) b
          OFFSET 0) b
   CROSS JOIN LATERAL (VALUES ${perVersion.map((v) => `(${v.vid}, ${v.cost})`).join(', ')}) o (vid, cost)
   WHERE o.cost <= 1`;
  if (mode === 'count') {
    // Evaluation alone, nothing written (the bench's measure of the rule logic against the cost of writing rows).
    const sql = `SELECT o.vid, min(${runParam}) AS run, (count(*) FILTER (WHERE o.cost = 0))::int AS eligible,
       (count(*) FILTER (WHERE o.cost = 1))::int AS near_miss
${from}
   GROUP BY o.vid`;
    return { sql, params: c.params };
  }
  const sql = `
WITH ins AS (
  INSERT INTO policy_run_results (run_id, policy_version_id, resident_id, node_path, outcome, met_mask, facts)
  SELECT ${runParam}, o.vid, b.id, b.node_path, CASE WHEN o.cost = 0 THEN 'eligible' ELSE 'near_miss' END,
         CASE o.vid ${perVersion.map((v) => `WHEN ${v.vid} THEN ${v.mask}`).join(' ')} END,
         CASE o.vid ${perVersion.map((v) => `WHEN ${v.vid} THEN ${v.facts}`).join(' ')} END
${from}
  RETURNING policy_version_id, outcome)
SELECT policy_version_id::bigint AS vid, (count(*) FILTER (WHERE outcome = 'eligible'))::int AS eligible,
       (count(*) FILTER (WHERE outcome = 'near_miss'))::int AS near_miss
  FROM ins GROUP BY policy_version_id`;
  return { sql, params: c.params };
}

/** Evaluates and writes the results of one run; returns the residents evaluated and the counts per version. */
export async function evaluatePolicies(
  q: Queryable,
  input: RunInput,
): Promise<{ residents: number; counts: RunCounts[] }> {
  const residents = await countRunResidents(q, input.nodePath);
  if (input.versions.length === 0) return { residents, counts: [] };
  const { sql, params } = buildRunSql(input);
  const rows = await q.query<{ vid: string | number; eligible: number; near_miss: number }>(sql, params);
  const byVersion = new Map(rows.map((r) => [Number(r.vid), r]));
  return {
    residents,
    counts: input.versions.map((v) => ({
      versionId: v.versionId,
      eligible: byVersion.get(v.versionId)?.eligible ?? 0,
      nearMiss: byVersion.get(v.versionId)?.near_miss ?? 0,
    })),
  };
}
// ---- end policies [A1] ----
