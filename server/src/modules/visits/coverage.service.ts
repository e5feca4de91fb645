import { PassThrough, type Readable } from 'node:stream';
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskName } from '../../platform/pii/index.js';
import { dayInShanghai, exportFileName, timeInShanghai } from '../reports/reports.logic.js';
import { openXlsxReport } from '../reports/reports.xlsx.js';
import {
  type CoveragePeriod,
  childPart,
  coveragePeriod,
  onTimeRate,
  ROW_TYPES,
  ratePercent,
} from './coverage.logic.js';
import * as repo from './coverage.repo.js';
import type {
  Coverage,
  CoverageQuery,
  CoverageRow,
  CoverageWorkerRow,
  UnvisitedHousehold,
  UnvisitedPage,
  UnvisitedQuery,
} from './visits.schemas.js';

/**
 * Coverage (走访覆盖, visits.read): per child area and per worker, the tasks due in a week or month and how many were
 * done on time, late, or are overdue; visits made; households not visited for N months (户户到). Definitions:
 * docs/architecture.md, "Grid work: coverage".
 */

export const DEFAULT_UNVISITED_MONTHS = 6;

/**
 * The area asked for (a node the caller reads under visits.read; else 404 ORG_NODE_NOT_FOUND, or 403 OUT_OF_SCOPE
 * when they read it under org.read), or by default the caller's: the first (widest) node of their visits.read
 * scope, the first county for a scope over everything.
 */
async function areaOf(db: Db, ctx: Ctx, nodeId: number | undefined): Promise<repo.CoverageNode> {
  assertPermission(ctx.principal, 'visits.read');
  const notFound = new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  if (nodeId !== undefined) {
    const node = await repo.findNode(db, nodeId);
    if (!node || node.status !== 'active') throw notFound;
    assertCan(ctx.principal, 'visits.read', node.path, { readPermission: 'org.read', notFound });
    return node;
  }
  const scope = scopeFor(ctx.principal, 'visits.read');
  const first = scope.all ? await repo.firstCounty(db) : await nodeOfPath(db, scope.paths[0]);
  if (!first) throw notFound;
  return first;
}

async function nodeOfPath(db: Db, path: string | undefined): Promise<repo.CoverageNode | undefined> {
  const id = path?.split('/').filter(Boolean).pop();
  return id ? repo.findNode(db, Number(id)) : undefined;
}

function monthsBack(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

type Plan = { area: repo.CoverageNode; period: CoveragePeriod; months: number; since: Date; now: Date };

async function plan(db: Db, ctx: Ctx, query: CoverageQuery, now: Date): Promise<Plan> {
  const area = await areaOf(db, ctx, query.nodeId);
  const period = coveragePeriod(query.period ?? 'week', query.at ?? dayInShanghai(now));
  if (!period) throw new AppError('VALIDATION', { field: 'at', params: { field: 'at', detail: query.at ?? '' } });
  const months = query.months ?? DEFAULT_UNVISITED_MONTHS;
  return { area, period, months, since: monthsBack(now, months), now };
}

const ZERO = { required: 0, doneOnTime: 0, doneLate: 0, overdue: 0 };

function figures(t: repo.TaskFigures | undefined, visits: number | undefined) {
  const f = t ?? ZERO;
  return {
    required: f.required,
    doneOnTime: f.doneOnTime,
    doneLate: f.doneLate,
    overdue: f.overdue,
    onTimeRate: onTimeRate(f.doneOnTime, f.required),
    visits: visits ?? 0,
  };
}

const UNASSIGNED = { 'zh-CN': '（未分配）', en: '(unassigned)' } as const;

async function compute(db: Db, ctx: Ctx, p: Plan): Promise<Coverage> {
  const { area, period, now, since } = p;
  const window = { path: area.path, start: period.start, end: period.end, now };
  const part = { part: childPart(area.path) };
  const [children, taskRows, visitRows, householdRows, tasksTotal, visitsTotal, householdsTotal, byWorker, byVisitor] =
    await Promise.all([
      repo.listChildren(db, area.id, ROW_TYPES),
      repo.countTasks(db, window, part),
      repo.countVisits(db, window, part),
      repo.countHouseholds(db, { path: area.path, since }, part),
      repo.countTasks(db, window, 'none'),
      repo.countVisits(db, window, 'none'),
      repo.countHouseholds(db, { path: area.path, since }, 'none'),
      repo.countTasks(db, window, 'assignee'),
      repo.countVisits(db, window, 'visitor'),
    ]);
  const tasksBy = new Map(taskRows.map((r) => [r.key, r]));
  const visitsBy = new Map(visitRows.map((r) => [r.key, r.visits]));
  const householdsBy = new Map(householdRows.map((r) => [r.key, r]));
  const rows: CoverageRow[] =
    area.type === 'grid'
      ? []
      : children.map((c) => {
          const key = String(c.id);
          const h = householdsBy.get(key);
          return {
            nodeId: c.id,
            nodeName: c.name,
            nodeType: c.type,
            ...figures(tasksBy.get(key), visitsBy.get(key)),
            households: h?.households ?? 0,
            householdsUnvisited: h?.householdsUnvisited ?? 0,
          };
        });

  const workerTasks = new Map(byWorker.map((r) => [r.key, r]));
  const workerVisits = new Map(byVisitor.map((r) => [r.key, r.visits]));
  const ids = [...new Set([...workerTasks.keys(), ...workerVisits.keys()].filter((k) => k !== null).map(Number))];
  const names = await repo.loadUserNames(db, ids);
  const workers: CoverageWorkerRow[] = ids
    .map((id) => ({
      userId: id,
      name: names.get(id) ?? String(id),
      ...figures(workerTasks.get(String(id)), workerVisits.get(String(id))),
    }))
    .sort((a, b) => b.required - a.required || a.name.localeCompare(b.name, 'zh-CN') || a.userId - b.userId);
  const unassigned = workerTasks.get(null);
  if (unassigned) workers.push({ userId: null, name: UNASSIGNED[ctx.locale], ...figures(unassigned, 0) });

  const h = householdsTotal[0];
  return {
    nodeId: area.id,
    nodeName: area.name,
    period: period.period,
    from: period.from,
    to: period.to,
    totals: {
      ...figures(tasksTotal[0], visitsTotal[0]?.visits),
      households: h?.households ?? 0,
      householdsUnvisited: h?.householdsUnvisited ?? 0,
    },
    rows,
    workers,
  };
}

/**
 * Coverage of an area for a week or a month.
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND (nodeId), OUT_OF_SCOPE, VALIDATION (at)
 */
export async function getCoverage(db: Db, ctx: Ctx, query: CoverageQuery, now = new Date()): Promise<Coverage> {
  return compute(db, ctx, await plan(db, ctx, query, now));
}

function toUnvisited(ctx: Ctx, r: repo.UnvisitedRow, reveal: boolean): UnvisitedHousehold {
  const sensitive = reveal && can(ctx.principal, 'people.sensitive', r.node_path);
  return {
    householdId: Number(r.id),
    headName: r.head_name === null ? null : sensitive ? r.head_name : maskName(r.head_name),
    placeLabel: r.place,
    members: r.members,
    lastVisitedAt: r.last_visited_at === null ? null : new Date(r.last_visited_at).toISOString(),
  };
}

/**
 * Households of the area nobody has visited (seen, not "not at home") in the last `months` months (户户到), never
 * visited first. The head's name is masked unless the caller sees sensitive data there.
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND (nodeId), OUT_OF_SCOPE
 */
export async function listUnvisited(db: Db, ctx: Ctx, query: UnvisitedQuery, now = new Date()): Promise<UnvisitedPage> {
  const area = await areaOf(db, ctx, query.nodeId);
  const pageSize = query.pageSize ?? 20;
  const page = query.page ?? 1;
  const { rows, total } = await repo.listUnvisited(
    db,
    { path: area.path, since: monthsBack(now, query.months ?? DEFAULT_UNVISITED_MONTHS) },
    { limit: pageSize, offset: (page - 1) * pageSize },
  );
  return { items: rows.map((r) => toUnvisited(ctx, r, true)), total };
}

const FIGURE_COLUMNS = [
  ['required', '应访数', 'Required'],
  ['doneOnTime', '按期完成', 'Done on time'],
  ['doneLate', '逾期完成', 'Done late'],
  ['overdue', '超期未访', 'Overdue'],
  ['onTimeRate', '按期率(%)', 'On-time rate (%)'],
  ['visits', '走访次数', 'Visits'],
  ['households', '户数', 'Households'],
  ['householdsUnvisited', '未走访户数', 'Households not visited'],
] as const;

const PAGE = 2000;

export type CoverageExport = { fileName: string; stream: Readable };

/**
 * The same coverage as an Excel sheet: the areas and a 合计 row, the workers, then the households not visited in
 * `months` months with their heads' names always masked.
 * @throws as getCoverage
 */
export async function exportCoverage(
  db: Db,
  ctx: Ctx,
  query: CoverageQuery,
  now = new Date(),
): Promise<CoverageExport> {
  const p = await plan(db, ctx, query, now);
  const cov = await compute(db, ctx, p);
  const en = ctx.locale === 'en';
  const periodName = en ? (p.period.period === 'week' ? 'week' : 'month') : p.period.period === 'week' ? '周' : '月';
  const name = en ? `Visit coverage (${periodName})` : `走访覆盖（按${periodName}）`;
  const stream = new PassThrough();
  const xw = openXlsxReport(stream, {
    sheetName: name,
    title: en
      ? `${name}  Area: ${cov.nodeName}  Period: ${cov.from} to ${cov.to}  Not visited: ${p.months} months  Exported: ${timeInShanghai(now)}`
      : `${name}　范围：${cov.nodeName}　期间：${cov.from} 至 ${cov.to}　未走访：${p.months}个月　导出时间：${timeInShanghai(now)}`,
    columns: [
      { key: 'label', label: en ? 'Area' : '区域' },
      ...FIGURE_COLUMNS.map(([key, zh, enLabel]) => ({ key, label: en ? enLabel : zh })),
    ],
  });
  type Fig = Omit<CoverageRow, 'nodeId' | 'nodeName' | 'nodeType' | 'households' | 'householdsUnvisited'> & {
    households?: number;
    householdsUnvisited?: number;
  };
  const cells = (label: string, f: Fig) => [
    label,
    ...FIGURE_COLUMNS.map(([key]) => {
      if (key === 'onTimeRate') return ratePercent(f.onTimeRate);
      return f[key] ?? null;
    }),
  ];
  void (async () => {
    for (const r of cov.rows) xw.addRow(cells(r.nodeName, r));
    xw.addRow(cells(en ? 'Total' : '合计', cov.totals));
    xw.addBanner(en ? 'By worker' : '按网格员');
    for (const w of cov.workers) xw.addRow(cells(w.name, w));
    xw.addBanner(
      en
        ? `Households not visited in ${p.months} months (head's name masked): head, place, members, last visit`
        : `${p.months}个月未走访的户（户主姓名已脱敏）：户主、地址、人数、最近走访`,
    );
    let after = 0;
    for (;;) {
      const rows = await repo.listUnvisitedAfter(db, { path: p.area.path, since: p.since }, after, PAGE);
      for (const r of rows) {
        const u = toUnvisited(ctx, r, false);
        xw.addRow([
          u.headName ?? '',
          u.placeLabel,
          u.members,
          u.lastVisitedAt ? timeInShanghai(new Date(u.lastVisitedAt)) : en ? 'never' : '从未走访',
        ]);
      }
      await xw.waitForRoom();
      if (rows.length < PAGE || stream.destroyed) break;
      after = Number(rows[rows.length - 1]!.id);
    }
    await xw.finish();
  })().catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  return { fileName: exportFileName(name, now), stream };
}
