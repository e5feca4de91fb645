/**
 * Metrics from real work (考核指标): `refreshMetrics` precomputes every metric of the catalogue for a period into
 * metric_values (job `metrics.refresh`, CLI `linli metrics refresh`); the API reads them within the caller's scope.
 */
import { PassThrough } from 'node:stream';
import type { Ctx } from '../../platform/access/context.js';
import { assertPermission, can, scopeFor } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { exportFileName, timeInShanghai } from '../reports/reports.logic.js';
import { openXlsxReport } from '../reports/reports.xlsx.js';
import { METRICS, type MetricCode, type PeriodKind } from './metrics.catalogue.js';
import {
  isPeriodStart,
  metricValue,
  parseMetricList,
  periodBounds,
  periodSeries,
  periodStartOf,
  shanghaiDay,
} from './metrics.logic.js';
import * as repo from './metrics.repo.js';
import type {
  CatalogueItem,
  HistoryQuery,
  HistoryResult,
  MetricFigure,
  MetricsQuery,
  MetricsResult,
  MetricsRow,
  RefreshBody,
  RefreshItem,
} from './metrics.schemas.js';

export const REFRESH_JOB = 'metrics.refresh';
/** Declared by assessment [C1]; sent after a refresh when it exists. */
export const SCORE_JOB = 'assessment.score';

export type RefreshInput = {
  periodKind: PeriodKind;
  periodStart: string;
  countyId?: number | null;
  /** Called after each metric family (the CLI prints it). */
  onProgress?: (family: repo.Family, millis: number) => void;
};

function assertPeriod(kind: PeriodKind, start: string, field = 'periodStart'): void {
  if (!isPeriodStart(kind, start)) throw new AppError('METRICS_PERIOD_INVALID', { field });
}

/** The Shanghai day 6 months before the period's end, as an instant (data_freshness). */
function sixMonthsBefore(to: Date): string {
  const d = new Date(to.getTime() + 8 * 3600 * 1000); // Shanghai wall clock of the end (a midnight)
  const back = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 6, d.getUTCDate()));
  return new Date(back.getTime() - 8 * 3600 * 1000).toISOString();
}

/**
 * Computes every metric for the period (all counties, or one) and replaces the period's rows, in one transaction.
 * @returns the rows written and the time it took
 */
export async function refreshMetrics(db: Db, input: RefreshInput): Promise<{ rows: number; millis: number }> {
  assertPeriod(input.periodKind, input.periodStart);
  const started = Date.now();
  const b = periodBounds(input.periodKind, input.periodStart);
  const p: repo.RefreshParams = {
    periodKind: input.periodKind,
    periodStart: input.periodStart,
    from: b.from.toISOString(),
    to: b.to.toISOString(),
    freshFrom: sixMonthsBefore(b.to),
    countyId: input.countyId ?? null,
  };
  return db.transaction(async (tx) => {
    await repo.lockRefresh(tx);
    let t = Date.now();
    const step = async (family: repo.Family, fn: () => Promise<unknown>) => {
      await fn();
      const now = Date.now();
      input.onProgress?.(family, now - t);
      t = now;
    };
    await step('units', () => repo.prepareUnits(tx, p));
    await step('cases', () => repo.computeCases(tx, p));
    await step('visit_tasks', () => repo.computeVisitTasks(tx, p));
    await step('coverage', () => repo.computeCoverage(tx, p));
    await step('alarms', () => repo.computeAlarms(tx, p));
    await step('freshness', () => repo.computeFreshness(tx, p));
    await step('volunteering', () => repo.computeVolunteering(tx, p));
    await step('points', () => repo.computePoints(tx, p));
    let rows = 0;
    await step('write', async () => {
      rows = await repo.writeValues(tx, p);
    });
    const millis = Date.now() - started;
    await repo.recordRefresh(tx, p, millis);
    return { rows, millis };
  });
}

/** The job's work: refresh, then ask assessment [C1] to score the period when its job is declared. */
export async function refreshAndScore(
  db: Db,
  jobs: Jobs,
  input: { periodKind: PeriodKind; periodStart: string },
): Promise<{ rows: number; millis: number; scored: boolean }> {
  const r = await refreshMetrics(db, input);
  let scored = false;
  if (jobs.names().includes(SCORE_JOB)) {
    await jobs.send(SCORE_JOB, { periodKind: input.periodKind, periodStart: input.periodStart });
    scored = true;
  }
  return { ...r, scored };
}

// ---- API --------------------------------------------------------------------------------------------------------

/** GET /api/metrics/catalogue */
export function catalogue(ctx: Ctx): CatalogueItem[] {
  assertPermission(ctx.principal, 'assessment.read');
  return (Object.keys(METRICS) as MetricCode[]).map((code) => {
    const m = METRICS[code];
    return {
      code,
      kind: m.kind,
      higherBetter: m.higherBetter,
      subjects: [...m.subjects],
      label: ctx.locale === 'en' ? m.en : m.zh,
      doc: m.doc,
    };
  });
}

/** The console's list behind a figure, with filters its page really reads (null when no list fits). */
export function figureLink(
  code: MetricCode,
  subject: { kind: 'node' | 'user' | 'department'; id: number; nodeId: number | null },
  periodKind: PeriodKind,
  periodStart: string,
): string | null {
  const last = periodBounds(periodKind, periodStart).lastDay;
  const days = `from=${periodStart}&to=${last}`;
  if (subject.kind === 'node') {
    const n = subject.id;
    switch (code) {
      // the cases board filters by the day a case was created: for received cases that is the day it came in
      case 'cases_received':
        return `/cases?nodeId=${n}&${days}`;
      // the board's "overdue" shows what is overdue now
      case 'cases_overdue':
        return `/cases?nodeId=${n}&alert=overdue`;
      case 'visits_on_time_rate':
        return `/visits/tasks?nodeId=${n}&status=all`;
      case 'household_coverage':
      case 'data_freshness':
        return `/visits/records?nodeId=${n}&${days}`;
      case 'alarms_ack_rate':
        return `/alarms?nodeId=${n}&status=all&${days}`;
      default:
        return null;
    }
  }
  if (subject.kind === 'user') {
    const u = subject.id;
    switch (code) {
      case 'visits_on_time_rate':
        return `/visits/tasks?assigneeId=${u}&status=all`;
      case 'household_coverage':
        return `/visits/records?visitorId=${u}&${days}`;
      default:
        return null;
    }
  }
  return null;
}

function figure(
  code: MetricCode,
  row: repo.ValueRow | undefined,
  subject: { kind: 'node' | 'user' | 'department'; id: number; nodeId: number | null },
  periodKind: PeriodKind,
  periodStart: string,
): MetricFigure {
  if (!row) return { metric: code, num: null, den: null, value: null, link: null };
  const num = Number(row.num);
  const den = row.den === null ? null : Number(row.den);
  return {
    metric: code,
    num,
    den,
    value: metricValue(code, num, den),
    link: figureLink(code, subject, periodKind, periodStart),
  };
}

async function resolveNode(db: Queryable, ctx: Ctx, nodeId: number | undefined): Promise<repo.NodeBrief> {
  const scope = scopeFor(ctx.principal, 'assessment.read');
  let id = nodeId;
  if (id === undefined) {
    // the caller's own top node: the first grant carrying the permission (a system administrator: the first county)
    const grant = ctx.principal.grants.find((g) => g.nodeId !== null && can(ctx.principal, 'assessment.read', g.path));
    if (grant?.nodeId) id = grant.nodeId;
    else if (scope.all) {
      const rows = await db.query<{ id: number }>(
        "SELECT id FROM org_nodes WHERE type = 'county' AND status = 'active' ORDER BY id LIMIT 1",
      );
      id = rows[0]?.id;
    }
  }
  const node = id === undefined ? undefined : await repo.findNode(db, id);
  if (!node || !can(ctx.principal, 'assessment.read', node.path))
    throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  return node;
}

function parseMetrics(raw: string | undefined): MetricCode[] {
  const r = parseMetricList(raw);
  if (r.bad !== null) throw new AppError('METRICS_METRIC_UNKNOWN', { field: 'metrics', params: { metric: r.bad } });
  return r.codes;
}

/** GET /api/metrics: the node's own figures and its children's (a grid: its workers'). */
export async function getMetrics(db: Queryable, ctx: Ctx, q: MetricsQuery): Promise<MetricsResult> {
  assertPermission(ctx.principal, 'assessment.read');
  assertPeriod(q.periodKind, q.periodStart);
  const codes = parseMetrics(q.metrics);
  const node = await resolveNode(db, ctx, q.nodeId);
  const crumbs = (await repo.pathNodes(db, node.path)).filter((n) => can(ctx.principal, 'assessment.read', n.path));
  const isGrid = node.type === 'grid';
  const children = isGrid ? [] : await repo.childUnits(db, node.id);
  const workers = isGrid ? await repo.gridWorkers(db, node.path) : [];
  const base = { periodKind: q.periodKind, periodStart: q.periodStart, metrics: codes };
  const nodeRows = await repo.valuesFor(db, { ...base, kind: 'node', ids: [node.id, ...children.map((c) => c.id)] });
  const userRows = await repo.valuesFor(db, { ...base, kind: 'user', ids: workers.map((w) => w.id) });
  const byKey = new Map<string, repo.ValueRow>();
  for (const r of [...nodeRows, ...userRows]) byKey.set(`${r.subject_kind}:${r.subject_id}:${r.metric}`, r);
  const row = (kind: 'node' | 'user', id: number, name: string, type: string | null): MetricsRow => ({
    subjectKind: kind,
    subjectId: id,
    name,
    type,
    figures: codes.map((c) =>
      figure(
        c,
        byKey.get(`${kind}:${id}:${c}`),
        { kind, id, nodeId: kind === 'node' ? id : null },
        q.periodKind,
        q.periodStart,
      ),
    ),
  });
  const refreshedAt = await repo.lastRefresh(db, q.periodKind, q.periodStart, node.county_id);
  return {
    periodKind: q.periodKind,
    periodStart: q.periodStart,
    periodEnd: periodBounds(q.periodKind, q.periodStart).lastDay,
    metrics: codes,
    node: { id: node.id, name: node.name, type: node.type },
    breadcrumb: crumbs.map((n) => ({ id: n.id, name: n.name, type: n.type })),
    self: row('node', node.id, node.name, node.type),
    children: isGrid
      ? workers.map((w) => row('user', w.id, w.name, null))
      : children.map((c) => row('node', c.id, c.name, c.type)),
    refreshedAt: refreshedAt ? refreshedAt.toISOString() : null,
  };
}

/** GET /api/metrics/history: one subject's metric over the last `count` periods, oldest first. */
export async function getHistory(db: Queryable, ctx: Ctx, q: HistoryQuery): Promise<HistoryResult> {
  assertPermission(ctx.principal, 'assessment.read');
  const code = parseMetrics(q.metric)[0] as MetricCode;
  if (!(METRICS[code].subjects as readonly string[]).includes(q.subjectKind))
    throw new AppError('METRICS_SUBJECT_INVALID', { field: 'subjectKind' });
  const notFound = new AppError('METRICS_SUBJECT_NOT_FOUND', { field: 'subjectId' });
  let path: string | undefined;
  if (q.subjectKind === 'node') path = (await repo.findNode(db, q.subjectId))?.path;
  else path = (await repo.subjectPath(db, q.subjectKind, q.subjectId))?.path;
  if (!path || !can(ctx.principal, 'assessment.read', path)) throw notFound;
  const last = q.periodStart ?? periodStartNow(q.periodKind);
  assertPeriod(q.periodKind, last);
  const starts = periodSeries(q.periodKind, last, q.count ?? 12);
  const rows = await repo.history(db, {
    periodKind: q.periodKind,
    starts,
    kind: q.subjectKind,
    id: q.subjectId,
    metric: code,
  });
  const byStart = new Map(rows.map((r) => [r.period_start, r]));
  const subject = { kind: q.subjectKind, id: q.subjectId, nodeId: q.subjectKind === 'node' ? q.subjectId : null };
  return {
    subjectKind: q.subjectKind,
    subjectId: q.subjectId,
    metric: code,
    periodKind: q.periodKind,
    points: starts.map((s) => ({ periodStart: s, ...figure(code, byStart.get(s), subject, q.periodKind, s) })),
  };
}

function periodStartNow(kind: PeriodKind): string {
  return periodStartOf(kind, shanghaiDay(new Date()));
}

/** GET /api/metrics/refreshes: the latest refreshes of the caller's counties. */
export async function listRefreshes(db: Queryable, ctx: Ctx): Promise<RefreshItem[]> {
  assertPermission(ctx.principal, 'assessment.read');
  const scope = scopeFor(ctx.principal, 'assessment.read');
  let counties: number[] | null = null;
  if (!scope.all) {
    counties = [];
    for (const p of scope.paths) {
      const first = Number(p.split('/')[1]);
      if (Number.isFinite(first)) counties.push(first);
    }
  }
  const rows = await repo.listRefreshes(db, counties, 60);
  return rows.map((r) => ({
    periodKind: r.period_kind,
    periodStart: r.period_start,
    countyId: r.county_id,
    countyName: r.county_name,
    refreshedAt: r.refreshed_at.toISOString(),
    rows: r.rows,
    millis: r.millis,
  }));
}

/**
 * POST /api/metrics/refresh: recomputes a period now, in the request (installation-wide, assessment.config), like
 * "generate now" of visit rules; then queues assessment.score when declared. The nightly job does the same for the
 * current and previous periods.
 */
export async function requestRefresh(
  db: Db,
  jobs: Jobs,
  ctx: Ctx,
  body: RefreshBody,
  log?: { warn: (obj: object, msg: string) => void },
): Promise<{ periodKind: PeriodKind; periodStart: string; rows: number; millis: number; scoring: boolean }> {
  assertPermission(ctx.principal, 'assessment.config');
  if (!scopeFor(ctx.principal, 'assessment.config').all) throw new AppError('OUT_OF_SCOPE');
  assertPeriod(body.periodKind, body.periodStart);
  const r = await refreshMetrics(db, { periodKind: body.periodKind, periodStart: body.periodStart });
  await db.transaction(async (tx) => {
    await recordAudit(tx, ctx, {
      action: 'metrics.refresh',
      targetType: 'metric_period',
      targetId: `${body.periodKind}:${body.periodStart}`,
      scopePath: null,
      countyId: null,
      after: { periodKind: body.periodKind, periodStart: body.periodStart, rows: r.rows },
    });
  });
  let scoring = false;
  if (jobs.names().includes(SCORE_JOB)) {
    try {
      await jobs.send(SCORE_JOB, { periodKind: body.periodKind, periodStart: body.periodStart });
      scoring = true;
    } catch (err) {
      // the figures are in; the nightly assessment.score recomputes the scores
      log?.warn({ err, ...body }, 'assessment.score could not be queued after a metrics refresh');
    }
  }
  return { periodKind: body.periodKind, periodStart: body.periodStart, rows: r.rows, millis: r.millis, scoring };
}

/** GET /api/metrics/export: the same table as GET /api/metrics, as an Excel sheet. */
export async function exportMetrics(
  db: Queryable,
  ctx: Ctx,
  q: MetricsQuery,
): Promise<{ fileName: string; stream: PassThrough }> {
  const r = await getMetrics(db, ctx, q);
  const en = ctx.locale === 'en';
  const now = new Date();
  const name = en ? 'Metrics' : '考核指标';
  const stream = new PassThrough();
  const xw = openXlsxReport(stream, {
    sheetName: name,
    title: en
      ? `${name}  Area: ${r.node.name}  Period: ${r.periodStart} ~ ${r.periodEnd}  Exported: ${timeInShanghai(now)}`
      : `${name}　范围：${r.node.name}　期间：${r.periodStart} ~ ${r.periodEnd}　导出时间：${timeInShanghai(now)}`,
    columns: [
      { key: 'name', label: en ? 'Name' : '名称' },
      ...(r.metrics as MetricCode[]).map((c) => ({
        key: c,
        label: `${en ? METRICS[c].en : METRICS[c].zh}${METRICS[c].kind === 'rate' ? ' (%)' : ''}`,
      })),
    ],
  });
  const cell = (f: MetricFigure): number | string => {
    if (f.value === null) return '';
    const v = METRICS[f.metric as MetricCode].kind === 'rate' ? f.value * 100 : f.value;
    return Math.round(v * 100) / 100;
  };
  void (async () => {
    for (const row of [...r.children, r.self])
      xw.addRow([row === r.self ? `${row.name}${en ? ' (total)' : '（合计）'}` : row.name, ...row.figures.map(cell)]);
    await xw.finish();
  })().catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  return { fileName: exportFileName(name, now), stream };
}
