import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../platform/access/context.js';
import { ensureTag } from '../../test/people-factories.js';
import { describeEachDb } from '../../test/test-app.js';
import { createNodeIn } from '../org/org.service.js';
import { ageOn } from '../people/people.logic.js';
import {
  evaluateRule,
  type FieldCondition,
  outcomeOf,
  type PersonFacts,
  parseRule,
  type Rule,
  type RuleContext,
  ruleLeaves,
} from './rules.logic.js';
import { evaluatePolicies, type VersionToRun } from './rules.sql.js';

/**
 * evaluatePolicies (set-based SQL) against evaluateRule (the reference, one person at a time): random populations
 * (households, houses, tags, receiving candidates, the new fields, nulls, 29 February births) and random valid rules;
 * per person and version the outcome (eligible / near_miss / absent) and met_mask must agree.
 */

const TAGS = ['a1_disabled', 'a1_veteran', 'a1_lowincome'];
const POLICY_X = 'a1_receiving_x';
const POLICY_Y = 'a1_eligible_y';
const ETHNICITIES = ['汉族', '回族'];

type Member = {
  sex: 'male' | 'female';
  birth: string;
  ethnicity: string | null;
  hukou: string | null;
  income: string | null;
  grade: number | null;
  relation: string | null;
  movedIn: string | null;
  active: boolean;
  tags: string[];
  receiving: string[];
};
type HouseholdGen = { house: { use: string; area: number | null } | null; members: Member[] };
type Population = {
  households: HouseholdGen[];
  loners: (Member & { house: { use: string; area: number | null } | null })[];
};

const dateArb = (fromYear: number, toYear: number) =>
  fc.oneof(
    fc
      .record({
        y: fc.integer({ min: fromYear, max: toYear }),
        m: fc.integer({ min: 1, max: 12 }),
        d: fc.integer({ min: 1, max: 28 }),
      })
      .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    // 29 February births, and the days around the as-of dates.
    fc.constantFrom(
      '1944-02-29',
      '1964-02-29',
      '2008-02-29',
      '1945-02-28',
      '1945-03-01',
      '1966-12-07',
      '1966-12-08',
      '2008-12-07',
      // Ages at and just short of the age bounds the rules use (near misses on ages) …
      '1946-06-01',
      '1947-06-01',
      '1966-06-01',
      '1967-06-01',
      '2008-06-01',
      '2009-06-01',
      // … and within 180 days of the date bounds (near misses on dates).
      '1959-09-01',
      '1960-05-15',
      '2008-07-01',
      '2015-03-01',
      '2015-10-01',
    ),
  );
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 3 });
const memberArb: fc.Arbitrary<Member> = fc.record({
  sex: fc.constantFrom('male' as const, 'female' as const),
  birth: dateArb(1920, 2024),
  ethnicity: nullable(fc.constantFrom(...ETHNICITIES)),
  hukou: nullable(fc.constantFrom('local_urban', 'local_rural', 'nonlocal')),
  income: nullable(fc.constantFrom('subsistence', 'low', 'lower_middle', 'middle', 'high')),
  grade: nullable(fc.integer({ min: 1, max: 4 })),
  relation: nullable(fc.constantFrom('head', 'spouse', 'child', 'parent')),
  movedIn: nullable(dateArb(2000, 2026)),
  active: fc.boolean().map((b) => b || Math.random() < 0.8),
  tags: fc.subarray(TAGS),
  receiving: fc.subarray([POLICY_X, POLICY_Y]),
});
const houseArb = nullable(
  fc.record({
    use: fc.constantFrom('owner_occupied', 'rented', 'vacant', 'commercial', 'other'),
    area: nullable(fc.constantFrom(32, 35, 55.5, 60.5, 66, 88.25, 95, 120, 200)),
  }),
);
const populationArb: fc.Arbitrary<Population> = fc.record({
  households: fc.array(fc.record({ house: houseArb, members: fc.array(memberArb, { minLength: 1, maxLength: 4 }) }), {
    maxLength: 5,
  }),
  loners: fc.array(
    fc.record({ house: houseArb }).chain(({ house }) => memberArb.map((m) => ({ ...m, house }))),
    {
      maxLength: 3,
    },
  ),
});

/** Random field conditions, valid by construction, with values drawn from the populations' small domains. */
const fieldArb: fc.Arbitrary<FieldCondition> = fc.oneof(
  fc.record({
    field: fc.constant('age' as const),
    op: fc.constantFrom('=', '!=', '>', '>=', '<', '<=' as const),
    value: fc.constantFrom(0, 17, 18, 59, 60, 61, 79, 80, 81),
  }),
  fc
    .tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 30 }))
    .map(([lo, d]) => ({ field: 'age' as const, op: 'between' as const, value: [lo, lo + d] })),
  fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 5 }).map((v) => ({
    field: 'age' as const,
    op: fc.sample(fc.constantFrom('in' as const, 'not_in' as const), 1)[0]!,
    value: v,
  })),
  fc.record({
    field: fc.constantFrom('hukou_type' as const),
    op: fc.constantFrom('=' as const, '!=' as const),
    value: fc.constantFrom('local_urban', 'local_rural', 'nonlocal'),
  }),
  fc.record({
    field: fc.constant('income_band' as const),
    op: fc.constantFrom('in' as const, 'not_in' as const),
    value: fc.subarray(['subsistence', 'low', 'lower_middle', 'middle', 'high'], { minLength: 1 }),
  }),
  fc
    .record({
      field: fc.constantFrom(
        'disability_grade' as const,
        'household_size' as const,
        'household_minors' as const,
        'household_elders' as const,
      ),
      op: fc.constantFrom('=', '!=', '>', '>=', '<', '<=' as const),
      value: fc.integer({ min: 0, max: 4 }),
    })
    .filter((c) => c.field !== 'disability_grade' || (c.value as number) >= 1),
  fc.record({ field: fc.constant('lives_alone' as const), op: fc.constant('=' as const), value: fc.boolean() }),
  fc.record({
    field: fc.constantFrom('sex' as const),
    op: fc.constantFrom('=' as const, '!=' as const),
    value: fc.constantFrom('male', 'female'),
  }),
  fc
    .record({
      field: fc.constant('ethnicity' as const),
      op: fc.constantFrom('=', '!=', 'in', 'not_in' as const),
      value: fc.constantFrom(...ETHNICITIES),
    })
    .map((c) => (c.op === 'in' || c.op === 'not_in' ? { ...c, value: [c.value] } : c)),
  fc
    .record({
      field: fc.constantFrom('house_use' as const),
      op: fc.constantFrom('=', '!=', 'in', 'not_in' as const),
      value: fc.constantFrom('owner_occupied', 'rented', 'vacant'),
    })
    .map((c) => (c.op === 'in' || c.op === 'not_in' ? { ...c, value: [c.value] } : c)),
  fc.record({
    field: fc.constant('house_area' as const),
    op: fc.constantFrom('=', '>', '>=', '<', '<=' as const),
    value: fc.constantFrom(35, 60.5, 88.25, 100),
  }),
  fc.record({
    field: fc.constantFrom('birth_date' as const, 'moved_in_on' as const),
    op: fc.constantFrom('=', '!=', '>', '>=', '<', '<=' as const),
    value: fc.constantFrom('1944-02-29', '1960-01-01', '2008-12-07', '2015-06-30'),
  }),
  fc.record({
    field: fc.constantFrom(
      'hukou_type' as const,
      'income_band' as const,
      'disability_grade' as const,
      'moved_in_on' as const,
      'house_area' as const,
      'ethnicity' as const,
    ),
    op: fc.constantFrom('is_null' as const, 'not_null' as const),
  }),
) as fc.Arbitrary<FieldCondition>;

function ruleArb(allowEligible: boolean): fc.Arbitrary<Rule> {
  const leaf: fc.Arbitrary<Rule> = fc.oneof(
    { weight: 6, arbitrary: fieldArb },
    { weight: 2, arbitrary: fc.constantFrom(...TAGS).map((tag) => ({ tag })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(POLICY_X, POLICY_Y).map((policy) => ({ policy, state: 'receiving' as const })),
    },
    ...(allowEligible ? [{ weight: 1, arbitrary: fc.constant<Rule>({ policy: POLICY_Y, state: 'eligible' }) }] : []),
  );
  const { rule } = fc.letrec<{ rule: Rule }>((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('rule'), { minLength: 1, maxLength: 4 }).map((all) => ({ all })),
      fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
      tie('rule').map((not) => ({ not })),
    ),
  }));
  return rule;
}

/** Comparisons that can be near (numbers and dates with >, >=, <, <=, =, between). */
const nearableArb: fc.Arbitrary<FieldCondition> = fieldArb.filter(
  (c) => ['>', '>=', '<', '<=', '=', 'between'].includes(c.op) && c.field !== 'lives_alone' && c.field !== 'sex',
);
/** Rules shaped for near misses: an AND (maybe inside an OR) of comparisons that can be near and other leaves. */
const nearRuleArb: fc.Arbitrary<Rule> = fc
  .tuple(
    fc.array(nearableArb, { minLength: 1, maxLength: 2 }),
    fc.array(
      fc.oneof(
        fieldArb,
        fc.constantFrom(...TAGS).map((tag) => ({ tag })),
      ),
      { maxLength: 1 },
    ),
    fc.boolean(),
  )
  .map(([near, other, or]): Rule => {
    const all: Rule = { all: [...near, ...other] };
    return or ? { any: [all, { all: [...near].reverse() }] } : all;
  });

describeEachDb('evaluatePolicies agrees with the reference evaluator', (env) => {
  let nodeId = 0;
  let nodePath = '';
  let countyId = 0;
  let xId = 0;
  let yId = 0;
  const versionIds: number[] = [];
  let xVersion = 0;
  let yVersion = 0;
  let seq = 0;
  const ctx: RuleContext = {
    tags: new Map(TAGS.map((t) => [t, `标签${t}`])),
    policies: new Map([
      [POLICY_X, { name: '政策X', rule: null }],
      [POLICY_Y, { name: '政策Y', rule: null }],
    ]),
  };

  beforeAll(async () => {
    const node = await createNodeIn(env.db, systemCtx('test'), {
      parentId: env.ids.county!,
      type: 'street',
      name: 'A1政策测试街道',
    });
    nodeId = node.id;
    nodePath = node.path;
    countyId = Number(nodePath.split('/')[1]);
    for (const t of TAGS) await ensureTag(env.db, t, { name: `标签${t}` });
    const policy = async (code: string) => {
      const rows = await env.db.query<{ id: number }>(
        `INSERT INTO policies (code, name, legal_ref, valid_from, status) VALUES ($1, $1, '测试', '2020-01-01', 'active') RETURNING id`,
        [code],
      );
      return Number(rows[0]!.id);
    };
    const version = async (policyId: number, v: number) => {
      const rows = await env.db.query<{ id: number }>(
        `INSERT INTO policy_versions (policy_id, version, rule, leaves) VALUES ($1, $2, '{}', '[]') RETURNING id`,
        [policyId, v],
      );
      return Number(rows[0]!.id);
    };
    xId = await policy(POLICY_X);
    yId = await policy(POLICY_Y);
    xVersion = await version(xId, 1);
    yVersion = await version(yId, 1);
    for (let i = 0; i < 3; i++) versionIds.push(await version(xId, i + 2));
  });

  async function clear(): Promise<void> {
    await env.db.query(`DELETE FROM residents WHERE node_path LIKE $1 || '%'`, [nodePath]);
    await env.db.query(`DELETE FROM households WHERE node_path LIKE $1 || '%'`, [nodePath]);
    await env.db.query(`DELETE FROM houses WHERE node_path LIKE $1 || '%'`, [nodePath]);
  }

  async function newRun(asOf: string): Promise<number> {
    const rows = await env.db.query<{ id: number }>(
      `INSERT INTO policy_runs (county_id, node_id, node_path, trigger, as_of) VALUES ($1, $2, $3, 'manual', $4) RETURNING id`,
      [countyId, nodeId, nodePath, asOf],
    );
    return Number(rows[0]!.id);
  }

  async function insertHouse(h: { use: string; area: number | null } | null): Promise<number | null> {
    if (!h) return null;
    seq++;
    const rows = await env.db.query<{ id: number }>(
      `INSERT INTO houses (county_id, node_id, node_path, room_no, use, area) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [countyId, nodeId, nodePath, `R${seq}`, h.use, h.area],
    );
    return Number(rows[0]!.id);
  }

  async function insertMember(m: Member, houseId: number | null, householdId: number | null): Promise<number> {
    const rows = await env.db.query<{ id: number }>(
      `INSERT INTO residents (county_id, node_id, node_path, house_id, household_id, relation, name, name_pinyin,
         name_initials, id_sealed, id_hash, id_masked, sex, birth_date, ethnicity, status, moved_in_on, hukou_type,
         income_band, disability_grade)
       VALUES ($1, $2, $3, $4, $5, $6, '测试', 'ceshi', 'cs', $7, $8, '1****1', $9, $10, $11, $12, $13, $14, $15, $16)
       RETURNING id`,
      [
        countyId,
        nodeId,
        nodePath,
        houseId,
        householdId,
        m.relation,
        randomBytes(8),
        randomBytes(16),
        m.sex,
        m.birth,
        m.ethnicity,
        m.active ? 'active' : 'moved_out',
        m.movedIn,
        m.hukou,
        m.income,
        m.grade,
      ],
    );
    const id = Number(rows[0]!.id);
    for (const t of m.tags)
      await env.db.query(
        `INSERT INTO resident_tags (resident_id, tag_id, county_id, source) SELECT $1, id, $2, 'manual' FROM tags WHERE code = $3`,
        [id, countyId, t],
      );
    for (const p of m.receiving)
      await env.db.query(
        `INSERT INTO policy_candidates (county_id, policy_id, resident_id, node_path, status, policy_version_id)
         VALUES ($1, $2, $3, $4, 'receiving', $5)`,
        [countyId, p === POLICY_X ? xId : yId, id, nodePath, p === POLICY_X ? xVersion : yVersion],
      );
    return id;
  }

  /** Inserts the population; returns each active resident's facts as the reference reads them (computed in JS). */
  async function load(pop: Population, asOf: string): Promise<Map<number, PersonFacts>> {
    const out = new Map<number, PersonFacts>();
    const facts = (m: Member, house: { use: string; area: number | null } | null, hh: Member[]): PersonFacts => {
      const living = hh.filter((x) => x.active);
      return {
        age: ageOn(m.birth, asOf),
        sex: m.sex,
        birth_date: m.birth,
        ethnicity: m.ethnicity,
        hukou_type: m.hukou,
        income_band: m.income,
        disability_grade: m.grade,
        relation: m.relation,
        moved_in_on: m.movedIn,
        household_size: living.length,
        lives_alone: living.length === 1,
        household_minors: living.filter((x) => ageOn(x.birth, asOf) < 18).length,
        household_elders: living.filter((x) => ageOn(x.birth, asOf) >= 60).length,
        house_use: house?.use ?? null,
        house_area: house?.area ?? null,
        tags: new Set(m.tags),
        receiving: new Set(m.receiving),
      };
    };
    for (const h of pop.households) {
      const houseId = await insertHouse(h.house);
      const rows = await env.db.query<{ id: number }>(
        `INSERT INTO households (county_id, node_id, node_path, house_id) VALUES ($1, $2, $3, $4) RETURNING id`,
        [countyId, nodeId, nodePath, houseId],
      );
      const hhId = Number(rows[0]!.id);
      for (const m of h.members) {
        const id = await insertMember(m, houseId, hhId);
        if (m.active) out.set(id, facts(m, h.house, h.members));
      }
    }
    for (const m of pop.loners) {
      const houseId = await insertHouse(m.house);
      const id = await insertMember(m, houseId, null);
      // Without a household: size 0, not living alone (nothing recorded about who they live with).
      if (m.active) out.set(id, facts(m, m.house, []));
    }
    return out;
  }

  /** Outcomes seen over the property's runs (so the property is not vacuous). */
  const seen = { eligible: 0, nearMiss: 0, absent: 0 };

  async function runAndCompare(asOf: string, rules: Rule[], ruleY: Rule | null, pop: Population): Promise<void> {
    await clear();
    const people = await load(pop, asOf);
    const runId = await newRun(asOf);
    const resolve = (code: string) => (code === POLICY_Y ? ruleY : null);
    const checkCtx: RuleContext = {
      ...ctx,
      policies: new Map([
        [POLICY_X, { name: '政策X', rule: null }],
        [POLICY_Y, { name: '政策Y', rule: ruleY }],
      ]),
    };
    const versions: VersionToRun[] = rules.map((raw, i) => {
      const rule = parseRule(raw, checkCtx, POLICY_X);
      return {
        policyId: xId,
        policyCode: POLICY_X,
        versionId: versionIds[i]!,
        rule,
        leaves: ruleLeaves(rule, checkCtx),
      };
    });
    const result = await evaluatePolicies(env.db, { runId, nodePath, asOf, versions, resolve });
    expect(result.residents).toBe(people.size);
    const rows = await env.db.query<{
      v: number;
      r: number;
      outcome: string;
      mask: string;
      facts: Record<string, unknown>;
    }>(
      `SELECT policy_version_id AS v, resident_id AS r, outcome, met_mask::text AS mask, facts
         FROM policy_run_results WHERE run_id = $1`,
      [runId],
    );
    const got = new Map(rows.map((x) => [`${Number(x.v)}:${Number(x.r)}`, x]));
    versions.forEach((v, i) => {
      let eligible = 0;
      let near = 0;
      for (const [id, f] of people) {
        const e = evaluateRule(v.rule, f, resolve);
        const want = outcomeOf(e);
        const row = got.get(`${v.versionId}:${id}`);
        const where = `version ${i} ${JSON.stringify(v.rule)} resident ${JSON.stringify({ ...f, tags: [...f.tags], receiving: [...f.receiving] })}`;
        expect(row?.outcome ?? null, where).toBe(want);
        if (row) {
          expect(BigInt(row.mask), where).toBe(e.metMask);
          if ('age' in row.facts) expect(row.facts.age, where).toBe(f.age);
        }
        if (want === 'eligible') eligible++;
        if (want === 'near_miss') near++;
        if (want === null) seen.absent++;
      }
      expect(result.counts[i]).toEqual({ versionId: v.versionId, eligible, nearMiss: near });
      seen.eligible += eligible;
      seen.nearMiss += near;
    });
    expect(rows.length).toBe(result.counts.reduce((s, c) => s + c.eligible + c.nearMiss, 0));
  }

  it('random residents and random rules: same outcome and met_mask per person (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('2026-12-07', '2024-02-29', '2025-02-28', '2025-03-01'),
        fc.array(fc.oneof({ weight: 1, arbitrary: ruleArb(true) }, { weight: 2, arbitrary: nearRuleArb }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.option(ruleArb(false), { nil: null, freq: 5 }),
        populationArb,
        async (asOf, rules, ruleY, pop) => {
          await runAndCompare(asOf, rules, ruleY, pop);
        },
      ),
      { numRuns: 100 },
    );
    expect(seen.eligible).toBeGreaterThan(20);
    // Near misses need every other leaf to hold and one to miss by its margin: fewer (typically 40–50), never none.
    expect(seen.nearMiss).toBeGreaterThan(5);
    expect(seen.absent).toBeGreaterThan(20);
  }, 300_000);

  describe('fixed cases', () => {
    const member = (o: Partial<Member>): Member => ({
      sex: 'female',
      birth: '1950-01-01',
      ethnicity: '汉族',
      hukou: 'local_urban',
      income: 'low',
      grade: null,
      relation: 'head',
      movedIn: null,
      active: true,
      tags: [],
      receiving: [],
      ...o,
    });

    it("'not receiving X': a receiving candidate is excluded, the others are eligible", async () => {
      await clear();
      const pop: Population = {
        households: [
          {
            house: null,
            // 76 receiving; 76 not receiving; 58 (two years short of 60: near) not receiving; 57 (far).
            members: [
              member({ receiving: [POLICY_X] }),
              member({}),
              member({ birth: '1968-06-01' }),
              member({ birth: '1969-06-01' }),
            ],
          },
        ],
        loners: [],
      };
      const people = await load(pop, '2026-12-07');
      const runId = await newRun('2026-12-07');
      const rule = parseRule(
        { all: [{ field: 'age', op: '>=', value: 60 }, { not: { policy: POLICY_X, state: 'receiving' } }] },
        ctx,
        'a1_other',
      );
      const res = await evaluatePolicies(env.db, {
        runId,
        nodePath,
        asOf: '2026-12-07',
        versions: [
          { policyId: xId, policyCode: POLICY_X, versionId: versionIds[0]!, rule, leaves: ruleLeaves(rule, ctx) },
        ],
        resolve: () => null,
      });
      const [, other, near] = [...people.keys()];
      const rows = await env.db.query<{ r: number; outcome: string; mask: string; facts: Record<string, unknown> }>(
        'SELECT resident_id AS r, outcome, met_mask::text AS mask, facts FROM policy_run_results WHERE run_id = $1 ORDER BY resident_id',
        [runId],
      );
      // The receiver is no near miss: a leaf under a `not` is never near.
      expect(res.counts).toEqual([{ versionId: versionIds[0], eligible: 1, nearMiss: 1 }]);
      expect(rows.map((r) => [Number(r.r), r.outcome, r.mask])).toEqual([
        [other, 'eligible', '1'],
        [near, 'near_miss', '0'],
      ]);
      expect(rows[0]!.facts).toEqual({ age: 76, [`receiving:${POLICY_X}`]: false });
      expect(rows[1]!.facts).toEqual({ age: 58, [`receiving:${POLICY_X}`]: false });
    });

    it("'eligible for Y' inlines Y's current rule; the 29 February birthday counts on 1 March", async () => {
      await clear();
      const pop: Population = {
        households: [
          // Born 29 February 1944: 80 on 2025-02-28, 81 on 2025-03-01; born 1945-03-01: 80 on 2025-03-01.
          {
            house: { use: 'owner_occupied', area: 60.5 },
            members: [member({ birth: '1944-02-29', hukou: 'local_rural' })],
          },
          { house: null, members: [member({ birth: '1945-03-01', hukou: 'nonlocal' })] },
        ],
        loners: [],
      };
      await load(pop, '2025-03-01');
      const ruleY: Rule = { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural'] };
      const yCtx: RuleContext = { ...ctx, policies: new Map([[POLICY_Y, { name: '政策Y', rule: ruleY }]]) };
      const rule = parseRule(
        {
          all: [
            { field: 'age', op: '>=', value: 81 },
            { policy: POLICY_Y, state: 'eligible' },
          ],
        },
        yCtx,
        POLICY_X,
      );
      for (const [asOf, want] of [
        ['2025-02-28', []],
        ['2025-03-01', [['eligible', '3']]],
      ] as const) {
        const runId = await newRun(asOf);
        await evaluatePolicies(env.db, {
          runId,
          nodePath,
          asOf,
          versions: [
            { policyId: xId, policyCode: POLICY_X, versionId: versionIds[0]!, rule, leaves: ruleLeaves(rule, yCtx) },
          ],
          resolve: (c) => (c === POLICY_Y ? ruleY : null),
        });
        const rows = await env.db.query<{ outcome: string; mask: string; facts: Record<string, unknown> }>(
          `SELECT outcome, met_mask::text AS mask, facts FROM policy_run_results WHERE run_id = $1 AND outcome = 'eligible'`,
          [runId],
        );
        expect(rows.map((r) => [r.outcome, r.mask])).toEqual(want);
      }
    });

    it("near misses: 'age >= 80 AND hukou local' lists 78 and 79, not 77 or a non-local 85; dates and areas by margin", async () => {
      await clear();
      const pop: Population = {
        households: [],
        loners: [
          // Ages on 2026-12-07: 80, 79, 78, 77, 50, and a non-local 85.
          { ...member({ birth: '1946-12-07' }), house: { use: 'rented', area: 45 } },
          { ...member({ birth: '1946-12-08', movedIn: '2020-07-05' }), house: { use: 'rented', area: 55 } },
          { ...member({ birth: '1948-12-07', movedIn: '2020-07-04' }), house: null },
          { ...member({ birth: '1948-12-08' }), house: null },
          { ...member({ birth: '1976-01-01' }), house: null },
          { ...member({ birth: '1941-01-01', hukou: 'nonlocal' }), house: null },
        ],
      };
      const people = await load(pop, '2026-12-07');
      const [p80, p79, p78] = [...people.keys()];
      const cases: [unknown, [number, string][]][] = [
        [
          {
            all: [
              { field: 'age', op: '>=', value: 80 },
              { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural'] },
            ],
          },
          [
            [p80!, 'eligible'],
            [p79!, 'near_miss'],
            [p78!, 'near_miss'],
          ],
        ],
        // moved in on or after 2021-01-01: 2020-07-05 is 180 days before (near), 2020-07-04 is not.
        [{ field: 'moved_in_on', op: '>=', value: '2021-01-01' }, [[p79!, 'near_miss']]],
        [{ field: 'moved_in_on', op: '>=', value: '2021-01-02' }, []],
        // area ≤ 50: 45 holds, 55 is within max(1, 10% of 50) = 5.
        [
          { field: 'house_area', op: '<=', value: 50 },
          [
            [p80!, 'eligible'],
            [p79!, 'near_miss'],
          ],
        ],
        [{ field: 'house_area', op: '<', value: 50 }, [[p80!, 'eligible']]],
      ];
      for (const [raw, want] of cases) {
        const runId = await newRun('2026-12-07');
        const rule = parseRule(raw, ctx);
        await evaluatePolicies(env.db, {
          runId,
          nodePath,
          asOf: '2026-12-07',
          versions: [
            { policyId: xId, policyCode: POLICY_X, versionId: versionIds[0]!, rule, leaves: ruleLeaves(rule, ctx) },
          ],
          resolve: () => null,
        });
        const rows = await env.db.query<{ r: number; outcome: string }>(
          'SELECT resident_id AS r, outcome FROM policy_run_results WHERE run_id = $1 ORDER BY 1',
          [runId],
        );
        expect(
          rows.map((r) => [Number(r.r), r.outcome]),
          JSON.stringify(raw),
        ).toEqual(want);
      }
    });

    it('nulls: a comparison with a value not recorded is false, is_null tests recording; dates compare as dates', async () => {
      await clear();
      const pop: Population = {
        households: [],
        loners: [
          { ...member({ hukou: null, movedIn: '2015-06-30' }), house: null },
          { ...member({ hukou: 'nonlocal', movedIn: null }), house: null },
        ],
      };
      const people = await load(pop, '2026-12-07');
      const [noHukou, nonlocal] = [...people.keys()];
      const cases: [unknown, number[]][] = [
        [{ field: 'hukou_type', op: '!=', value: 'local_urban' }, [nonlocal!]],
        [{ field: 'hukou_type', op: 'not_in', value: ['local_urban'] }, [nonlocal!]],
        [{ not: { field: 'hukou_type', op: '=', value: 'nonlocal' } }, [noHukou!]],
        [{ field: 'hukou_type', op: 'is_null' }, [noHukou!]],
        [{ field: 'moved_in_on', op: '>=', value: '2015-06-30' }, [noHukou!]],
        [{ field: 'moved_in_on', op: '>', value: '2015-06-30' }, []],
        [{ field: 'house_area', op: 'not_null' }, []],
      ];
      for (const [raw, want] of cases) {
        const runId = await newRun('2026-12-07');
        const rule = parseRule(raw, ctx);
        await evaluatePolicies(env.db, {
          runId,
          nodePath,
          asOf: '2026-12-07',
          versions: [
            { policyId: xId, policyCode: POLICY_X, versionId: versionIds[0]!, rule, leaves: ruleLeaves(rule, ctx) },
          ],
          resolve: () => null,
        });
        const rows = await env.db.query<{ r: number }>(
          `SELECT resident_id AS r FROM policy_run_results WHERE run_id = $1 AND outcome = 'eligible' ORDER BY 1`,
          [runId],
        );
        expect(
          rows.map((r) => Number(r.r)),
          JSON.stringify(raw),
        ).toEqual(want);
      }
    });
  });
});
