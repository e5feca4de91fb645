import type { Ctx } from '../../platform/access/context.js';
import type { Permission } from '../../platform/access/roles.js';
import { assertPermission, can, scopeFor } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { dayInShanghai } from '../reports/reports.logic.js';
import {
  fillAgeBands,
  fillMonths,
  idsOnPath,
  lastFullMonth,
  listLink,
  monthsEnding,
  rankingSlices,
  ratio,
} from './dashboard.logic.js';
import * as repo from './dashboard.repo.js';
import type { Dashboard, DashboardQuery } from './dashboard.schemas.js';

/** A Shanghai day's first instant as an ISO timestamp. */
const startOf = (day: string) => `${day}T00:00:00+08:00`;

async function resolveNode(db: Db, ctx: Ctx, query: DashboardQuery): Promise<repo.NodeRow> {
  const notFound = new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  if (query.nodeId !== undefined) {
    const node = await repo.findNode(db, query.nodeId);
    if (!node || node.status !== 'active' || !can(ctx.principal, 'dashboard.read', node.path)) throw notFound;
    return node;
  }
  const scope = scopeFor(ctx.principal, 'dashboard.read');
  const node = scope.all
    ? await repo.firstCounty(db)
    : // the highest post: the shortest path (scopeFor sorts them so)
      scope.paths[0]
      ? await repo.findNode(db, idsOnPath(scope.paths[0]).at(-1)!)
      : undefined;
  if (!node) throw notFound;
  return node;
}

/**
 * The dashboard (驾驶舱) of a node in the caller's dashboard.read scope: population, special groups, cases, visits,
 * alarms, points and volunteer hours, the latest ranking and the figures of each child node, each with the link of
 * the list behind it (when the caller may read that list there).
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND (nodeId: unknown, retired or outside the scope)
 */
export async function getDashboard(db: Db, ctx: Ctx, query: DashboardQuery, now = new Date()): Promise<Dashboard> {
  assertPermission(ctx.principal, 'dashboard.read');
  const node = await resolveNode(db, ctx, query);
  const p = node.path;
  const en = ctx.locale === 'en';
  const today = dayInShanghai(now);
  const last = lastFullMonth(today);
  const months = monthsEnding(today, 12);
  const linkIf = (perm: Permission, path: string, query: Record<string, string | number | undefined>) =>
    can(ctx.principal, perm, p) ? listLink(path, query) : null;
  const nodeId = node.id;

  const [crumbNodes, children, totals, ageSex, groups, byStage, byCategory, overdue, caseMonths, onTime] =
    await Promise.all([
      repo.loadNodes(db, idsOnPath(p)),
      repo.listChildren(db, node.id),
      repo.countPopulation(db, p),
      repo.countAgeSex(db, p, today),
      repo.countSpecialGroups(db, p),
      repo.countOpenByStage(db, p),
      repo.countOpenByCategory(db, p, 8),
      repo.countOverdueCases(db, p),
      repo.countCaseMonths(db, p, startOf(`${months[0]}-01`)),
      repo.countOnTime(db, p, startOf(last.start), startOf(last.end)),
    ]);
  const [tasksOverdue, alarms, pointsIssued, minutes, scores, childCounts, metrics] = await Promise.all([
    repo.countTasksOverdue(db, p),
    repo.countAlarms(db, p),
    repo.sumIssued(db, p, 'points', startOf(last.start), startOf(last.end)),
    repo.sumIssued(db, p, 'hours', startOf(last.start), startOf(last.end)),
    repo.latestScores(db, p),
    repo.countChildren(db, p),
    repo.loadMonthMetrics(
      db,
      last.start,
      [node.id, ...children.map((c) => c.id)],
      ['cases_on_time_rate', 'household_coverage', 'alarms_ack_rate', 'points_issued', 'volunteer_hours'],
    ),
  ]);

  const metricOf = (id: number, code: string) => metrics.find((m) => m.subject_id === id && m.metric === code);
  const rateOf = (code: string, fallback: number | null, link: string | null) => {
    const m = metricOf(node.id, code);
    if (m) return { value: ratio(m.num, m.den), source: 'metric' as const, link };
    return { value: fallback, source: fallback === null ? ('none' as const) : ('computed' as const), link };
  };
  const countOf = (code: string, fallback: number, link: string | null) => {
    const m = metricOf(node.id, code);
    return m
      ? { value: m.num, source: 'metric' as const, link }
      : { value: fallback, source: 'computed' as const, link };
  };

  const people = (q: Record<string, string | number | undefined> = {}) =>
    linkIf('people.read', '/people', { nodeId, ...q });
  const casesLink = (q: Record<string, string | number | undefined> = {}) =>
    linkIf('cases.read', '/cases', { nodeId, ...q });
  const sensitive = can(ctx.principal, 'people.sensitive', p);
  const openStages = byStage.map((s) => s.stage).join(',');

  const crumbById = new Map(crumbNodes.map((n) => [n.id, n]));
  const crumbs = idsOnPath(p)
    .map((id) => crumbById.get(id))
    .filter((n): n is repo.NodeRow => n !== undefined)
    .map((n) => ({ id: n.id, name: n.name, type: n.type, clickable: can(ctx.principal, 'dashboard.read', n.path) }));

  const ranking = scores ? rankingSlices(scores.rows, 5) : null;
  const shapeScore = (r: repo.ScoreRow) => ({ name: r.name, total: r.total, rank: r.rank, groupSize: r.group_size });

  const countsByChild = new Map(childCounts.map((c) => [Number(c.child), c]));

  return {
    node: { id: node.id, name: node.name, type: node.type, crumbs },
    today,
    lastMonth: last.month,
    population: {
      residents: { value: totals.residents, link: people() },
      households: { value: totals.households, link: linkIf('people.read', '/people/buildings', { nodeId }) },
      houses: { value: totals.houses, link: linkIf('people.read', '/people/buildings', { nodeId }) },
      ageBands: fillAgeBands(ageSex).map((b) => ({
        band: b.band,
        min: b.min,
        max: b.max,
        male: { value: b.male, link: people({ ageMin: b.min, ageMax: b.max ?? undefined, sex: 'male' }) },
        female: { value: b.female, link: people({ ageMin: b.min, ageMax: b.max ?? undefined, sex: 'female' }) },
      })),
      groups: groups
        .filter((g) => sensitive || !g.sensitive)
        .map((g) => ({
          code: g.code,
          name: g.name,
          sensitive: g.sensitive,
          value: g.holders,
          link: people({ tag: g.code }),
        })),
    },
    cases: {
      open: {
        value: byStage.reduce((s, r) => s + r.n, 0),
        link: casesLink(openStages ? { stage: openStages } : {}),
      },
      overdue: { value: overdue, link: casesLink({ alert: 'overdue' }) },
      byStage: byStage.map((s) => ({
        stage: s.stage,
        name: en ? s.name_en : s.name_zh,
        value: s.n,
        link: casesLink({ stage: s.stage }),
      })),
      byCategory: byCategory.map((c) => ({
        id: c.id,
        name: en ? c.name_en : c.name_zh,
        value: c.n,
        link: casesLink({ categoryId: c.id, stage: openStages || undefined }),
      })),
      months: fillMonths(months, caseMonths),
      onTimeRate: rateOf(
        'cases_on_time_rate',
        ratio(onTime.onTime, onTime.due),
        linkIf('cases.stats', '/cases/stats', { nodeId, groupBy: 'month' }),
      ),
    },
    visits: {
      coverage: rateOf('household_coverage', null, linkIf('visits.read', '/visits/coverage', {})),
      tasksOverdue: {
        value: tasksOverdue,
        link: linkIf('visits.read', '/visits/tasks', { status: 'overdue', nodeId }),
      },
    },
    alarms: {
      open: { value: alarms.byKind.reduce((s, r) => s + r.n, 0), link: linkIf('devices.read', '/alarms', { nodeId }) },
      byKind: alarms.byKind.map((k) => ({
        kind: k.kind,
        value: k.n,
        link: linkIf('devices.read', '/alarms', { nodeId, kind: k.kind }),
      })),
      raised30d: {
        value: alarms.raised30d,
        link: linkIf('devices.read', '/alarms', { nodeId, status: 'all', from: addDays(today, -29) }),
      },
      ackRate: rateOf('alarms_ack_rate', ratio(alarms.acked30d, alarms.raised30d), null),
    },
    points: { issued: countOf('points_issued', pointsIssued, linkIf('points.read', '/points', {})) },
    volunteerHours: countOf(
      'volunteer_hours',
      Math.round((minutes / 60) * 10) / 10,
      linkIf('volunteers.read', '/volunteers/activities', {}),
    ),
    rankings:
      scores && ranking
        ? {
            scheme: {
              id: scores.scheme.id,
              name: scores.scheme.name,
              subject: scores.scheme.subject,
              periodStart: scores.scheme.period_start,
            },
            top: ranking.top.map(shapeScore),
            bottom: ranking.bottom.map(shapeScore),
          }
        : null,
    children: children.map((c) => {
      const k = countsByChild.get(c.id);
      const cov = metricOf(c.id, 'household_coverage');
      return {
        id: c.id,
        name: c.name,
        type: c.type,
        population: k?.population ?? 0,
        openCases: k?.open_cases ?? 0,
        overdue: k?.overdue ?? 0,
        coverage: cov ? ratio(cov.num, cov.den) : null,
        alarmsOpen: k?.alarms_open ?? 0,
      };
    }),
  };
}

/** A Shanghai day shifted by whole days. */
function addDays(day: string, delta: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
}
