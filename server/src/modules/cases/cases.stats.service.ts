import { PassThrough, type Readable } from 'node:stream';
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, scopeFor } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { dayInShanghai, exportFileName, timeInShanghai } from '../reports/reports.logic.js';
import { openXlsxReport } from '../reports/reports.xlsx.js';
import {
  comparePaths,
  foldStats,
  type GroupRef,
  groupOnPath,
  idsOnPath,
  monthsOf,
  periodOf,
  rootCategory,
  type StatsGroupBy,
  type StatsPeriod,
  type StatsRaw,
} from './cases.stats.logic.js';
import * as repo from './cases.stats.repo.js';
import type { CaseStats, CaseStatsQuery } from './cases.stats.schemas.js';

type Plan = { period: StatsPeriod; filter: repo.StatsFilter; area: repo.StatsNode | null; groupBy: StatsGroupBy };

async function planStats(db: Db, ctx: Ctx, query: CaseStatsQuery, now: Date): Promise<Plan> {
  assertPermission(ctx.principal, 'cases.stats');
  const period = periodOf(query, dayInShanghai(now));
  if ('invalid' in period) throw new AppError('CASE_STATS_PERIOD_INVALID', { field: period.invalid });
  let area: repo.StatsNode | null = null;
  if (query.nodeId !== undefined) {
    const notFound = new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    area = (await repo.findNode(db, query.nodeId)) ?? null;
    if (!area || area.status !== 'active') throw notFound;
    assertCan(ctx.principal, 'cases.stats', area.path, { readPermission: 'org.read', notFound });
  }
  const filter: repo.StatsFilter = {
    scope: scopeFor(ctx.principal, 'cases.stats'),
    areaPath: area?.path ?? null,
    start: period.start,
    end: period.end,
    now,
  };
  return { period, filter, area, groupBy: query.groupBy ?? 'grid' };
}

const OTHER = {
  grid: { 'zh-CN': '（未分网格）', en: '(no grid)' },
  community: { 'zh-CN': '（未分社区）', en: '(no community)' },
  department: { 'zh-CN': '（部门已删除）', en: '(department removed)' },
  category: { 'zh-CN': '（未知类别）', en: '(unknown category)' },
  month: { 'zh-CN': '（期间外）', en: '(outside the period)' },
} as const;

async function countStats(db: Db, ctx: Ctx, plan: Plan): Promise<CaseStats> {
  const { filter, groupBy, period } = plan;
  const locale = ctx.locale;
  const other = { key: 'none', label: OTHER[groupBy][locale] };
  let raws: StatsRaw[];
  let groups: GroupRef[] = [];
  let groupOf: (r: StatsRaw) => GroupRef | null;

  if (groupBy === 'grid' || groupBy === 'community') {
    raws = await repo.countCases(db, filter, 'path', false);
    const nodes = await repo.listGroupNodes(db, groupBy === 'grid' ? ['grid'] : ['community', 'village'], filter);
    // A grid is named with its community ('东关社区 第一网格'), which may lie above the area asked for.
    const above =
      groupBy === 'grid' ? await repo.loadNodes(db, [...new Set(nodes.flatMap((n) => idsOnPath(n.path)))]) : [];
    const communities = new Map(
      above.filter((n) => n.type === 'community' || n.type === 'village').map((n) => [n.id, n]),
    );
    const refs = new Map<number, GroupRef>();
    nodes
      .sort((a, b) => comparePaths(a.path, b.path))
      .forEach((n, i) => {
        const community = groupBy === 'grid' ? groupOnPath(n.path, communities) : null;
        refs.set(n.id, { key: String(n.id), label: community ? `${community.name} ${n.name}` : n.name, order: i });
        if (n.status === 'active') groups.push(refs.get(n.id)!);
      });
    groupOf = (r) => (r.dim === null ? null : groupOnPath(r.dim, refs));
  } else if (groupBy === 'category') {
    raws = await repo.countCases(db, filter, 'category', false);
    const cats = await repo.listCategories(db);
    const parents = new Map(cats.map((c) => [c.id, c.parent_id]));
    const refs = new Map<number, GroupRef>();
    cats
      .filter((c) => c.parent_id === null)
      .sort((a, b) => a.sort - b.sort || a.id - b.id)
      .forEach((c, i) => {
        refs.set(c.id, { key: String(c.id), label: locale === 'en' ? c.name_en : c.name_zh, order: i });
        if (c.active) groups.push(refs.get(c.id)!);
      });
    groupOf = (r) => (r.dim === null ? null : (refs.get(rootCategory(Number(r.dim), parents)) ?? null));
  } else if (groupBy === 'month') {
    raws = await repo.countCases(db, filter, 'none', true);
    groups = monthsOf(period).map((m, i) => ({ key: m, label: m, order: i }));
    const refs = new Map(groups.map((g) => [g.key, g]));
    groupOf = (r) => (r.month === null ? null : (refs.get(r.month) ?? null));
  } else {
    raws = await repo.countWhistles(db, filter);
    const depts = await repo.loadDepartments(
      db,
      raws.map((r) => Number(r.dim)),
    );
    const refs = new Map(depts.map((d) => [String(d.id), { key: String(d.id), label: d.name, order: 0 }]));
    groupOf = (r) => (r.dim === null ? null : (refs.get(r.dim) ?? null));
  }
  const { items, totals } = foldStats(raws, groupOf, groups, other);
  // Departments are ranked (the street compares them); places, categories and months keep their own order.
  if (groupBy === 'department')
    items.sort((a, b) => b.received - a.received || a.label.localeCompare(b.label, 'zh-CN'));
  return { groupBy, from: period.from, to: period.to, items, totals };
}

/**
 * Case statistics (事件统计) in the caller's cases.stats scope, grouped by grid, community, department (from
 * the whistles), category (its root, 大类) or month, over a period of Shanghai days.
 * @throws FORBIDDEN, TOKEN_NOT_ALLOWED, ORG_NODE_NOT_FOUND (nodeId), OUT_OF_SCOPE, CASE_STATS_PERIOD_INVALID (from/to)
 */
export async function getCaseStats(db: Db, ctx: Ctx, query: CaseStatsQuery, now = new Date()): Promise<CaseStats> {
  return countStats(db, ctx, await planStats(db, ctx, query, now));
}

const COLUMNS = [
  ['received', '受理数', 'Received'],
  ['opened', '立案数', 'Opened'],
  ['due', '应结案数', 'Due'],
  ['closed', '结案数', 'Closed'],
  ['closedOnTime', '按期结案数', 'Closed on time'],
  ['onTimeRate', '按期结案率(%)', 'On-time rate (%)'],
  ['rework', '返工数', 'Rework'],
  ['overdue', '超期数', 'Overdue'],
  ['supervised', '督办数', 'Supervised'],
  ['ratingCount', '评价数', 'Ratings'],
  ['satisfaction', '满意度(1-5)', 'Satisfaction (1–5)'],
] as const;

const GROUP_NAMES = {
  grid: ['网格', 'Grid'],
  community: ['社区', 'Community'],
  department: ['职能部门', 'Department'],
  category: ['类别', 'Category'],
  month: ['月份', 'Month'],
} as const;

export type StatsExport = { fileName: string; stream: Readable };

/**
 * The same statistics as an Excel sheet: one row per group and a 合计 row; the on-time rate in percent.
 * @throws as getCaseStats
 */
export async function exportCaseStats(db: Db, ctx: Ctx, query: CaseStatsQuery, now = new Date()): Promise<StatsExport> {
  const plan = await planStats(db, ctx, query, now);
  const stats = await countStats(db, ctx, plan);
  const en = ctx.locale === 'en';
  const [groupZh, groupEn] = GROUP_NAMES[plan.groupBy];
  const name = en ? `Case statistics by ${groupEn.toLowerCase()}` : `事件统计（按${groupZh}）`;
  const areaLabel = plan.area?.name ?? (en ? 'all in scope' : '全部');
  const stream = new PassThrough();
  const xw = openXlsxReport(stream, {
    sheetName: name,
    title: en
      ? `${name}  Area: ${areaLabel}  Period: ${stats.from} to ${stats.to}  Exported: ${timeInShanghai(now)}`
      : `${name}　范围：${areaLabel}　期间：${stats.from} 至 ${stats.to}　导出时间：${timeInShanghai(now)}`,
    columns: [
      { key: 'label', label: en ? groupEn : groupZh },
      ...COLUMNS.map(([key, zh, enLabel]) => ({ key, label: en ? enLabel : zh })),
    ],
  });
  const cells = (label: string, f: CaseStats['totals']) => [
    label,
    ...COLUMNS.map(([key]) => {
      const v = f[key];
      if (v === null) return null;
      return key === 'onTimeRate' ? Math.round(v * 1000) / 10 : v;
    }),
  ];
  void (async () => {
    for (const item of stats.items) xw.addRow(cells(item.label, item));
    xw.addRow(cells(en ? 'Total' : '合计', stats.totals));
    await xw.finish();
  })().catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  return { fileName: exportFileName(name, now), stream };
}
