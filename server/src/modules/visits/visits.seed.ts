/**
 * The built-in visit rules (三到六访): 必到 (must go: an emergency, a safety hazard, a family newly in difficulty, a
 * dispute, an alarm where help was given), 必访 (must visit: empty-nest elderly, left-behind children, 低保 families,
 * serious illness or a hospital stay, a death in the family, a disaster or an accident) and the routine weekly visit
 * of elderly people living alone. Inserted once (missing codes only), so an installation's own edits stay; a rule
 * whose tag or case category is missing is left out.
 */
import type { Queryable } from '../../platform/db/client.js';
import * as repo from './rules.repo.js';
import type { AssigneeKind, PeriodUnit, RuleTarget, VisitRuleCategory, VisitTrigger } from './visits.schemas.js';

type Seed = {
  code: string;
  name: string;
  description: string;
  category: VisitRuleCategory;
  target: RuleTarget;
  assignee?: AssigneeKind;
  periodic?: { tag: string; every: number; unit: PeriodUnit };
  event?: { trigger: VisitTrigger; tag?: string; category?: string; outcome?: string; dueHours: number };
};

export const BUILTIN_VISIT_RULES: Seed[] = [
  // 必到
  {
    code: 'must_go_emergency',
    name: '突发事件必到',
    description: '辖区发生突发事件（道路塌陷、水管破裂等），网格员须到场走访受影响住户',
    category: 'must_go',
    target: 'household',
    event: { trigger: 'case_category', category: 'ev.emergency', dueHours: 24 },
  },
  {
    code: 'must_go_safety',
    name: '安全隐患必到',
    description: '上报安全隐患事件的住户，须到场核实',
    category: 'must_go',
    target: 'household',
    event: { trigger: 'case_category', category: 'safety', dueHours: 24 },
  },
  {
    code: 'must_go_hardship',
    name: '困难群众必到',
    description: '新认定的低保等困难家庭，须上门了解情况',
    category: 'must_go',
    target: 'household',
    event: { trigger: 'tag_added', tag: 'low_income', dueHours: 72 },
  },
  {
    code: 'must_go_dispute',
    name: '矛盾纠纷必到',
    description: '邻里纠纷事件，须到场调解',
    category: 'must_go',
    target: 'household',
    event: { trigger: 'case_category', category: 'dispute', dueHours: 48 },
  },
  {
    code: 'must_go_alarm_help',
    name: '预警救助回访',
    description: '设备预警处置为“已施救”后，24小时内上门回访',
    category: 'must_go',
    target: 'resident',
    event: { trigger: 'alarm_outcome', outcome: 'help_given', dueHours: 24 },
  },
  // 必访
  {
    code: 'must_visit_empty_nest',
    name: '空巢老人必访',
    description: '空巢老人每两周走访一次',
    category: 'must_visit',
    target: 'resident',
    periodic: { tag: 'empty_nest', every: 2, unit: 'week' },
  },
  {
    code: 'must_visit_left_behind',
    name: '留守儿童必访',
    description: '留守儿童每月走访一次',
    category: 'must_visit',
    target: 'resident',
    periodic: { tag: 'left_behind_child', every: 1, unit: 'month' },
  },
  {
    code: 'must_visit_low_income',
    name: '困难家庭必访',
    description: '低保户每季度走访一次',
    category: 'must_visit',
    target: 'household',
    periodic: { tag: 'low_income', every: 1, unit: 'quarter' },
  },
  {
    code: 'must_visit_hospital',
    name: '重病住院必访',
    description: '居民重病或住院，72小时内走访',
    category: 'must_visit',
    target: 'resident',
    event: { trigger: 'tag_added', tag: 'hospitalised', dueHours: 72 },
  },
  {
    code: 'must_visit_bereaved',
    name: '家有丧事必访',
    description: '家中有人去世，72小时内走访其家庭',
    category: 'must_visit',
    target: 'household',
    event: { trigger: 'resident_deceased', dueHours: 72 },
  },
  {
    code: 'must_visit_disaster',
    name: '意外灾害必访',
    description: '家庭受灾，24小时内走访',
    category: 'must_visit',
    target: 'household',
    event: { trigger: 'tag_added', tag: 'disaster_hit', dueHours: 24 },
  },
  {
    code: 'must_visit_accident',
    name: '意外事故必访',
    description: '居民遭遇意外事故，48小时内走访',
    category: 'must_visit',
    target: 'resident',
    event: { trigger: 'tag_added', tag: 'accident', dueHours: 48 },
  },
  // 例行
  {
    code: 'routine_elderly_alone',
    name: '独居老人每周走访',
    description: '独居老人每周走访一次',
    category: 'routine',
    target: 'resident',
    periodic: { tag: 'elderly_alone', every: 1, unit: 'week' },
  },
];

async function idByCode(q: Queryable, table: 'tags' | 'case_categories', code: string): Promise<number | null> {
  const rows = await q.query<{ id: number }>(`SELECT id::int AS id FROM ${table} WHERE code = $1`, [code]);
  return rows[0]?.id ?? null;
}

/** Adds the built-in rules that are missing; returns how many. Run after tags and case categories are seeded. */
export async function ensureBuiltinVisitRules(q: Queryable): Promise<number> {
  let added = 0;
  for (const [i, s] of BUILTIN_VISIT_RULES.entries()) {
    if ((await repo.findRuleIdByCode(q, s.code)) !== null) continue;
    const tagCode = s.periodic?.tag ?? s.event?.tag;
    const tagId = tagCode ? await idByCode(q, 'tags', tagCode) : null;
    if (tagCode && tagId === null) continue;
    const categoryId = s.event?.category ? await idByCode(q, 'case_categories', s.event.category) : null;
    if (s.event?.category && categoryId === null) continue;
    const id = await repo.insertRule(q, {
      code: s.code,
      name: s.name,
      description: s.description,
      kind: s.periodic ? 'periodic' : 'event',
      category: s.category,
      tagId: s.periodic ? tagId : null,
      every: s.periodic?.every ?? null,
      unit: s.periodic?.unit ?? null,
      trigger: s.event?.trigger ?? null,
      triggerTagId: s.event ? tagId : null,
      triggerCategoryId: categoryId,
      triggerOutcome: s.event?.outcome ?? null,
      triggerRuleId: null,
      dueHours: s.event?.dueHours ?? null,
      assignee: s.assignee ?? 'grid_worker',
      target: s.target,
      enabled: true,
      builtin: true,
      sort: i * 10,
    });
    if (id !== null) added++;
  }
  return added;
}
