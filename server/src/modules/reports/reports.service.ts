import { PassThrough, type Readable } from 'node:stream';
import type { Ctx } from '../../platform/access/context.js';
import {
  assertCan,
  assertPermission,
  can,
  hasPermission,
  pathInScope,
  type Scope,
  scopeFor,
} from '../../platform/access/scope.js';
import { recordAudit, requireReason } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { type FormatCtx, formatRow } from './reports.format.js';
import {
  BUILTIN_REPORTS,
  commonAncestorPath,
  comparePaths,
  dayInShanghai,
  describeCatalogue,
  exportFileName,
  isPlaceLevel,
  outputColumns,
  type ParsedDefinition,
  PLACE_LEVELS,
  PLACE_TYPES,
  type PlaceNode,
  packSegments,
  parseDefinition,
  pathIds,
  placeOnPath,
  SPECIAL_GROUPS_TAG,
  TAG_MEASURE_RE,
  tagCodesOf,
  timeInShanghai,
} from './reports.logic.js';
import * as repo from './reports.repo.js';
import type {
  CellValue,
  CreateTemplateBody,
  ExportQuery,
  FieldCatalogue,
  PreviewDefinitionBody,
  PreviewQuery,
  PreviewResult,
  ReportColumnOut,
  ReportTemplate,
  UpdateTemplateBody,
} from './reports.schemas.js';
import { openXlsxReport } from './reports.xlsx.js';

export type ReportsDeps = { db: Db; pii: PiiCipher };

/** Rows per database round trip of an export. */
export const EXPORT_PAGE_ROWS = 2000;

const ENTITY_UNITS = { resident: '人', house: '套', household: '户' } as const;

// ---- templates ---------------------------------------------------------------------------------------------

function assertUsesReports(ctx: Ctx): void {
  if (!hasPermission(ctx.principal, 'reports.export') && !hasPermission(ctx.principal, 'reports.manage'))
    throw new AppError('FORBIDDEN');
}

/**
 * Built-in and region-wide templates are visible to everyone working with reports; a template narrowed to a
 * node only to those who export or manage reports over that node.
 */
function isVisible(ctx: Ctx, t: repo.TemplateRow): boolean {
  if (t.builtin || t.definition.filters?.nodeId === undefined) return true;
  return can(ctx.principal, 'reports.export', t.pin_path) || can(ctx.principal, 'reports.manage', t.pin_path);
}

async function visibleTemplate(q: Queryable, ctx: Ctx, id: number): Promise<repo.TemplateRow> {
  const t = await repo.findTemplate(q, id);
  if (!t || !isVisible(ctx, t)) throw new AppError('REPORT_TEMPLATE_NOT_FOUND');
  return t;
}

function toTemplate(t: repo.TemplateRow): ReportTemplate {
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    description: t.description,
    builtin: t.builtin,
    definition: t.definition,
    createdAt: t.created_at.toISOString(),
    updatedAt: t.updated_at.toISOString(),
  };
}

function countyOf(path: string | null): number | null {
  return path === null ? null : (pathIds(path)[0] ?? null);
}

/** The node a definition or request narrows to: it must exist, be visible, and lie where `permission` holds. */
async function narrowingNode(
  q: Queryable,
  ctx: Ctx,
  nodeId: number,
  permission: 'reports.export' | 'reports.manage',
  field: string,
): Promise<repo.NodeRef> {
  const notFound = new AppError('ORG_NODE_NOT_FOUND', { field });
  const node = await repo.findNode(q, nodeId);
  if (!node || node.status !== 'active') throw notFound;
  assertCan(ctx.principal, permission, node.path, { readPermission: 'org.read', notFound });
  return node;
}

/** Every tag code the definition uses, resolved to tag ids. @throws REPORT_TAG_UNKNOWN naming where it is used */
async function resolveDefinitionTags(
  q: Queryable,
  def: ParsedDefinition,
  base = 'definition',
): Promise<Map<string, repo.ResolvedTag>> {
  const found = new Map((await repo.resolveTags(q, tagCodesOf(def))).map((t) => [t.code, t]));
  (def.filters.tagCodes ?? []).forEach((code, i) => {
    if (!found.has(code))
      throw new AppError('REPORT_TAG_UNKNOWN', { field: `${base}.filters.tagCodes.${i}`, params: { code } });
  });
  def.columns.forEach((c, i) => {
    const code = c.field === 'special' ? SPECIAL_GROUPS_TAG : TAG_MEASURE_RE.exec(c.field)?.[1];
    if (def.aggregate === 'count_by' && code && !found.has(code))
      throw new AppError('REPORT_TAG_UNKNOWN', { field: `${base}.columns.${i}.field`, params: { code } });
  });
  return found;
}

/** Checks a definition about to be saved: its rules, its tags, and that its node is the manager's. */
async function checkDefinitionToSave(q: Queryable, ctx: Ctx, raw: unknown): Promise<{ pinPath: string | null }> {
  const def = parseDefinition(raw);
  await resolveDefinitionTags(q, def);
  if (def.filters.nodeId === undefined) return { pinPath: null };
  const node = await narrowingNode(q, ctx, def.filters.nodeId, 'reports.manage', 'definition.filters.nodeId');
  return { pinPath: node.path };
}

/**
 * Custom templates narrowed to a node are managed by whoever manages reports over that node; region-wide
 * ones by their author and system administrators.
 */
function assertManageable(ctx: Ctx, t: repo.TemplateRow): void {
  if (t.builtin) throw new AppError('REPORT_TEMPLATE_BUILTIN');
  if (t.definition.filters?.nodeId !== undefined) {
    assertCan(ctx.principal, 'reports.manage', t.pin_path);
    return;
  }
  if (t.created_by !== ctx.principal.userId && !can(ctx.principal, 'reports.manage', null))
    throw new AppError('FORBIDDEN');
}

/** Built-in templates and those the caller may use. @throws FORBIDDEN */
export async function listTemplates(db: Db, ctx: Ctx): Promise<ReportTemplate[]> {
  assertUsesReports(ctx);
  return (await repo.listTemplates(db)).filter((t) => isVisible(ctx, t)).map(toTemplate);
}

/** @throws FORBIDDEN, REPORT_TEMPLATE_NOT_FOUND */
export async function getTemplate(db: Db, ctx: Ctx, id: number): Promise<ReportTemplate> {
  assertUsesReports(ctx);
  return toTemplate(await visibleTemplate(db, ctx, id));
}

/** The fields, counts and filters the template editor offers. @throws FORBIDDEN */
export function listFields(ctx: Ctx): FieldCatalogue {
  assertUsesReports(ctx);
  return describeCatalogue();
}

/**
 * Adds a custom template.
 * @throws FORBIDDEN, OUT_OF_SCOPE, ORG_NODE_NOT_FOUND, REPORT_DEFINITION_INVALID, REPORT_FIELD_UNKNOWN,
 *   REPORT_FIELD_DUPLICATE, REPORT_FILTER_NOT_APPLICABLE, REPORT_AGE_RANGE_INVALID, REPORT_GROUP_REQUIRED,
 *   REPORT_SORT_INVALID, REPORT_TAG_UNKNOWN
 */
export async function createTemplate(db: Db, ctx: Ctx, body: CreateTemplateBody): Promise<ReportTemplate> {
  assertPermission(ctx.principal, 'reports.manage');
  const id = await db.transaction(async (tx) => {
    const { pinPath } = await checkDefinitionToSave(tx, ctx, body.definition);
    const name = body.name.trim();
    const description = body.description?.trim() || null;
    const newId = await repo.insertTemplate(tx, {
      name,
      description,
      definition: body.definition,
      createdBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
    });
    await recordAudit(tx, ctx, {
      action: 'report_template.create',
      targetType: 'report_template',
      targetId: newId,
      targetLabel: name,
      scopePath: pinPath,
      countyId: countyOf(pinPath),
      after: { name, description, definition: body.definition },
    });
    return newId;
  });
  return getTemplate(db, ctx, id);
}

/**
 * Changes a custom template (built-in ones are fixed; copy them instead).
 * @throws as createTemplate, and REPORT_TEMPLATE_NOT_FOUND, REPORT_TEMPLATE_BUILTIN
 */
export async function updateTemplate(db: Db, ctx: Ctx, id: number, body: UpdateTemplateBody): Promise<ReportTemplate> {
  assertPermission(ctx.principal, 'reports.manage');
  await db.transaction(async (tx) => {
    const t = await visibleTemplate(tx, ctx, id);
    assertManageable(ctx, t);
    const definition = body.definition ?? t.definition;
    const { pinPath } = await checkDefinitionToSave(tx, ctx, definition);
    const next = {
      name: body.name?.trim() ?? t.name,
      description: body.description === undefined ? t.description : body.description?.trim() || null,
      definition,
    };
    await repo.updateTemplate(tx, id, next);
    await recordAudit(tx, ctx, {
      action: 'report_template.update',
      targetType: 'report_template',
      targetId: id,
      targetLabel: next.name,
      scopePath: pinPath ?? t.pin_path,
      countyId: countyOf(pinPath ?? t.pin_path),
      before: { name: t.name, description: t.description, definition: t.definition },
      after: next,
    });
  });
  return getTemplate(db, ctx, id);
}

/** @throws FORBIDDEN, OUT_OF_SCOPE, REPORT_TEMPLATE_NOT_FOUND, REPORT_TEMPLATE_BUILTIN */
export async function deleteTemplate(db: Db, ctx: Ctx, id: number): Promise<void> {
  assertPermission(ctx.principal, 'reports.manage');
  await db.transaction(async (tx) => {
    const t = await visibleTemplate(tx, ctx, id);
    assertManageable(ctx, t);
    await repo.deleteTemplate(tx, id);
    await recordAudit(tx, ctx, {
      action: 'report_template.delete',
      targetType: 'report_template',
      targetId: id,
      targetLabel: t.name,
      scopePath: t.pin_path,
      countyId: countyOf(t.pin_path),
      before: { name: t.name, description: t.description, definition: t.definition },
    });
  });
}

/** Seeds the built-in templates, or updates them to this version (idempotent; run at start). */
export async function ensureBuiltinReports(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    let changed = 0;
    for (const b of BUILTIN_REPORTS) {
      parseDefinition(b.definition);
      if (await repo.upsertBuiltinTemplate(tx, b)) changed++;
    }
    return changed;
  });
}

// ---- running a report -------------------------------------------------------------------------------------

type Target = { name: string; templateId: number | null; def: ParsedDefinition; pinPath: string | null };

type Plan = {
  target: Target;
  rq: repo.ReportQuery;
  columns: ReportColumnOut[];
  fields: string[];
  unmasked: boolean;
  /** The place the report covers, for its title. */
  areaLabel: string;
  /** Where the export is recorded in the audit trail (who may read the entry). */
  auditPath: string | null;
  nodes: Map<number, PlaceNode>;
  fmt: FormatCtx;
  total: number;
  /** List reports: rows per node path, in place order (comparePaths). */
  counts: { path: string; n: number }[];
  /** count_by reports: the finished table. */
  table: { rows: CellValue[][]; totals: CellValue[] } | null;
};

async function loadPlaceNodes(q: Queryable, nodes: Map<number, PlaceNode>, paths: Iterable<string>): Promise<void> {
  const missing = new Set<number>();
  for (const p of paths) for (const id of pathIds(p)) if (!nodes.has(id)) missing.add(id);
  for (const n of await repo.loadNodes(q, [...missing])) nodes.set(n.id, n);
}

/** Names the scope for a title: the narrowing node, or the caller's post nodes. */
async function describeArea(q: Queryable, scope: Scope, narrowed: repo.NodeRef | null): Promise<string> {
  if (narrowed) return narrowed.name;
  if (scope.all) return '全部';
  const nodes = await repo.loadNodes(
    q,
    scope.paths.map((p) => pathIds(p).at(-1)!),
  );
  return nodes.map((n) => n.name).join('、') || '—';
}

/**
 * Everything a preview or export needs before the first row: permission and scope checks, the compiled
 * query, the row count per node path (or the whole table of a count_by report).
 */
async function planReport(
  deps: ReportsDeps,
  ctx: Ctx,
  target: Target,
  opts: { nodeId?: number | undefined; unmasked: boolean; nodeField?: string },
): Promise<Plan> {
  const { db } = deps;
  const p = ctx.principal;
  assertPermission(p, 'reports.export');
  const scope = scopeFor(p, 'reports.export');
  const sensitiveScope = scopeFor(p, 'people.sensitive');
  const requested =
    opts.nodeId === undefined
      ? null
      : await narrowingNode(db, ctx, opts.nodeId, 'reports.export', opts.nodeField ?? 'nodeId');
  const pinned = target.pinPath;

  if (opts.unmasked) {
    // The whole exported area must lie where the caller may reveal personal data.
    const roots = requested ? [requested.path] : pinned ? [pinned] : scope.all ? [null] : scope.paths;
    if (!hasPermission(p, 'pii.reveal') || !roots.every((r) => can(p, 'pii.reveal', r)))
      throw new AppError('REPORT_UNMASK_FORBIDDEN');
  }

  const def = target.def;
  const tags = await resolveDefinitionTags(db, def);
  const today = dayInShanghai(new Date());
  const areaPaths = [pinned, requested?.path].filter((x): x is string => typeof x === 'string');
  const rq: repo.ReportQuery = {
    entity: def.entity,
    scope,
    sensitiveScope,
    areaPaths,
    filters: def.filters,
    today,
    tags,
  };
  const tagNames = new Map([...tags.values()].map((t) => [t.code, t.name]));
  const columns = outputColumns(def, tagNames, ctx.locale);
  const fields = def.columns.map((c) => c.field);
  const nodes = new Map<number, PlaceNode>();
  const sensitiveAt = new Map<string, boolean>();
  const fmt: FormatCtx = {
    nodes,
    today,
    seesSensitive: (path) => {
      let v = sensitiveAt.get(path);
      if (v === undefined) {
        v = pathInScope(sensitiveScope, path);
        sensitiveAt.set(path, v);
      }
      return v;
    },
    reveal: opts.unmasked ? (sealed) => deps.pii.open(sealed) : null,
  };
  const pinnedNode = pinned && !requested ? await repo.findNode(db, target.def.filters.nodeId!) : undefined;
  const plan: Plan = {
    target,
    rq,
    columns,
    fields,
    unmasked: opts.unmasked,
    areaLabel: await describeArea(db, scope, requested ?? pinnedNode ?? null),
    auditPath: requested?.path ?? pinned ?? (scope.all ? null : commonAncestorPath(scope.paths)),
    nodes,
    fmt,
    total: 0,
    counts: [],
    table: null,
  };

  if (def.aggregate === 'count_by') {
    plan.table = await countTable(db, plan);
    plan.total = plan.table.rows.length;
    return plan;
  }
  plan.counts = (await repo.countByPath(db, rq)).sort((a, b) => comparePaths(a.path, b.path));
  plan.total = plan.counts.reduce((s, c) => s + c.n, 0);
  await loadPlaceNodes(
    db,
    nodes,
    plan.counts.map((c) => c.path),
  );
  return plan;
}

function groupOf(plan: Plan, path: string): PlaceNode | null {
  const by = plan.target.def.groupBy;
  return by ? (placeOnPath(path, by, plan.nodes) ?? null) : null;
}

/** A count_by report: counts per node path added up per group; groups in scope with nothing are listed as 0. */
async function countTable(db: Db, plan: Plan): Promise<{ rows: CellValue[][]; totals: CellValue[] }> {
  const def = plan.target.def;
  const groupBy = def.groupBy!;
  const measures = plan.fields.filter((f) => !isPlaceLevel(f));
  const [byPath, empty] = await Promise.all([
    repo.aggregateByPath(db, plan.rq, measures),
    repo.listPlaceNodes(db, PLACE_TYPES[groupBy], plan.rq.scope, plan.rq.areaPaths),
  ]);
  await loadPlaceNodes(db, plan.nodes, [...byPath.map((r) => r.path), ...empty.map((n) => n.path)]);

  const zero = () => Object.fromEntries(measures.map((m) => [m, 0])) as Record<string, number>;
  const groups = new Map<number, { node: PlaceNode | null; sums: Record<string, number> }>();
  for (const n of empty) groups.set(n.id, { node: n, sums: zero() });
  for (const r of byPath) {
    const node = placeOnPath(r.path, groupBy, plan.nodes) ?? null;
    const key = node?.id ?? 0;
    let g = groups.get(key);
    if (!g) {
      g = { node, sums: zero() };
      groups.set(key, g);
    }
    for (const m of measures) g.sums[m] = (g.sums[m] ?? 0) + (r[m] ?? 0);
  }
  const ordered = [...groups.values()].sort((a, b) =>
    a.node && b.node ? comparePaths(a.node.path, b.node.path) : a.node ? -1 : b.node ? 1 : 0,
  );
  const totals = zero();
  const rows = ordered.map((g) => {
    for (const m of measures) totals[m] = (totals[m] ?? 0) + (g.sums[m] ?? 0);
    return plan.fields.map((f): CellValue => {
      if (!isPlaceLevel(f)) return g.sums[f] ?? 0;
      if (!g.node) return f === groupBy ? '（未分组）' : null;
      return placeOnPath(g.node.path, f, plan.nodes)?.name ?? null;
    });
  });
  const firstPlace = plan.fields.findIndex((f) => isPlaceLevel(f));
  const totalRow = plan.fields.map(
    (f, i): CellValue => (isPlaceLevel(f) ? (i === firstPlace ? '合计' : null) : (totals[f] ?? 0)),
  );
  return { rows, totals: totalRow };
}

type ReportRecord = { group: PlaceNode | null; cells: CellValue[] };

/** The segments a list report is read in: packed runs of node paths, or (sorted) one run per group. */
function segmentsOf(plan: Plan): string[][] {
  if (!plan.target.def.sort) return packSegments(plan.counts, EXPORT_PAGE_ROWS);
  if (!plan.target.def.groupBy) return plan.counts.length ? [plan.counts.map((c) => c.path)] : [];
  const runs: string[][] = [];
  let last: number | undefined;
  for (const c of plan.counts) {
    const key = groupOf(plan, c.path)?.id ?? 0;
    if (key !== last || runs.length === 0) runs.push([]);
    runs.at(-1)!.push(c.path);
    last = key;
  }
  return runs;
}

/**
 * The records of a list report in order, a keyset page at a time (never the whole result in memory). The
 * next page is asked for as soon as the current one arrives, so that on PostgreSQL the database works on it
 * while this process formats and writes the current one.
 */
async function* readRecords(db: Db, plan: Plan, limit = Number.POSITIVE_INFINITY): AsyncGenerator<ReportRecord[]> {
  const fieldSet = new Set(plan.fields);
  const segments = segmentsOf(plan);
  type Request = { segment: number; after: repo.Cursor | null; limit: number };
  const fetch = (r: Request) => {
    const rows = repo.fetchPage(db, plan.rq, {
      paths: segments[r.segment]!,
      sort: plan.target.def.sort ?? null,
      after: r.after,
      limit: r.limit,
      fields: fieldSet,
      sealed: plan.unmasked,
    });
    // A page asked for ahead is abandoned if the reader stops early; its failure must not go unhandled.
    rows.catch(() => undefined);
    return rows;
  };
  let left = limit;
  let request: Request | null =
    segments.length > 0 ? { segment: 0, after: null, limit: Math.min(EXPORT_PAGE_ROWS, left) } : null;
  let pending = request ? fetch(request) : null;
  while (request && pending) {
    const rows = await pending;
    left -= rows.length;
    let next: Request | null = null;
    if (left > 0) {
      const lastRow = rows.at(-1);
      if (lastRow && rows.length === request.limit) {
        next = {
          segment: request.segment,
          after: { key: lastRow.cursor_key, id: lastRow.id },
          limit: Math.min(EXPORT_PAGE_ROWS, left),
        };
      } else if (request.segment + 1 < segments.length) {
        next = { segment: request.segment + 1, after: null, limit: Math.min(EXPORT_PAGE_ROWS, left) };
      }
    }
    request = next;
    pending = next ? fetch(next) : null;
    if (rows.length > 0) {
      yield rows.map((r) => ({
        group: groupOf(plan, r.node_path),
        cells: formatRow(plan.rq.entity, plan.fields, r, plan.fmt),
      }));
    }
  }
}

function toObject(columns: ReportColumnOut[], cells: CellValue[]): Record<string, CellValue> {
  return Object.fromEntries(columns.map((c, i) => [c.key, cells[i] ?? null]));
}

async function preview(deps: ReportsDeps, plan: Plan, limit: number): Promise<PreviewResult> {
  if (plan.table) {
    return {
      columns: plan.columns,
      rows: plan.table.rows.slice(0, limit).map((r) => toObject(plan.columns, r)),
      total: plan.total,
      totals: toObject(plan.columns, plan.table.totals),
    };
  }
  const rows: Record<string, CellValue>[] = [];
  for await (const batch of readRecords(deps.db, plan, limit)) {
    for (const r of batch) rows.push(toObject(plan.columns, r.cells));
  }
  return { columns: plan.columns, rows, total: plan.total };
}

async function savedTarget(db: Db, ctx: Ctx, id: number): Promise<Target> {
  assertPermission(ctx.principal, 'reports.export');
  const t = await visibleTemplate(db, ctx, id);
  const def = parseDefinition(t.definition);
  if (def.filters.nodeId !== undefined && t.pin_path === null)
    throw new AppError('ORG_NODE_NOT_FOUND', { field: 'definition.filters.nodeId' });
  return { name: t.name, templateId: t.id, def, pinPath: t.pin_path };
}

/**
 * The first rows of a template's report in the caller's scope (always masked).
 * @throws FORBIDDEN, OUT_OF_SCOPE, ORG_NODE_NOT_FOUND, REPORT_TEMPLATE_NOT_FOUND, REPORT_TAG_UNKNOWN
 */
export async function previewTemplate(
  deps: ReportsDeps,
  ctx: Ctx,
  id: number,
  query: PreviewQuery,
): Promise<PreviewResult> {
  const target = await savedTarget(deps.db, ctx, id);
  const plan = await planReport(deps, ctx, target, { nodeId: query.nodeId, unmasked: false });
  return preview(deps, plan, query.limit ?? 50);
}

/**
 * The first rows of a definition not saved yet (the template editor's live preview; always masked).
 * @throws as previewTemplate, and the definition errors of createTemplate
 */
export async function previewDefinition(
  deps: ReportsDeps,
  ctx: Ctx,
  body: PreviewDefinitionBody,
): Promise<PreviewResult> {
  assertPermission(ctx.principal, 'reports.export');
  const def = parseDefinition(body.definition);
  const pin =
    def.filters.nodeId === undefined
      ? null
      : await narrowingNode(deps.db, ctx, def.filters.nodeId, 'reports.export', 'definition.filters.nodeId');
  const target: Target = { name: '预览', templateId: null, def, pinPath: pin?.path ?? null };
  const plan = await planReport(deps, ctx, target, { nodeId: body.nodeId, unmasked: false });
  return preview(deps, plan, body.limit ?? 50);
}

export type ExportStream = { fileName: string; totalRows: number; stream: Readable };

/**
 * Starts an Excel export of a template in the caller's scope. Checks, counts and records the export in the
 * audit trail before the first byte; then rows are read page by page and written to the returned stream as
 * they come (the stream stops early, without finishing the file, if the reader goes away).
 * @throws FORBIDDEN, OUT_OF_SCOPE, ORG_NODE_NOT_FOUND, REPORT_TEMPLATE_NOT_FOUND, REPORT_TAG_UNKNOWN,
 *   REPORT_UNMASK_FORBIDDEN, REASON_REQUIRED
 */
export async function exportTemplate(
  deps: ReportsDeps,
  ctx: Ctx,
  id: number,
  query: ExportQuery,
): Promise<ExportStream> {
  const target = await savedTarget(deps.db, ctx, id);
  const unmasked = query.unmasked === true;
  const plan = await planReport(deps, ctx, target, { nodeId: query.nodeId, unmasked });
  // An unmasked export shows every ID and phone number of the area: it needs a reason, like a single reveal.
  const reason = unmasked ? requireReason(query.reason) : null;
  await recordAudit(deps.db, ctx, {
    action: 'report.export',
    targetType: 'report_template',
    targetId: id,
    targetLabel: target.name,
    scopePath: plan.auditPath,
    countyId: countyOf(plan.auditPath),
    after: { template: target.name, rows: plan.total, unmasked, nodeId: query.nodeId ?? null },
    reason,
  });
  const now = new Date();
  const stream = new PassThrough();
  writeXlsx(deps.db, plan, stream, now).catch((err: unknown) => {
    stream.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return { fileName: exportFileName(target.name, now), totalRows: plan.total, stream };
}

/** Writes the workbook to `out` (the plan's rows, read page by page) and ends it. */
async function writeXlsx(db: Db, plan: Plan, out: PassThrough, now: Date): Promise<void> {
  const note = plan.unmasked ? '含完整个人信息，注意保密' : '个人信息已脱敏';
  const xw = openXlsxReport(out, {
    sheetName: plan.target.name,
    title: `${plan.target.name}　范围：${plan.areaLabel}　导出时间：${timeInShanghai(now)}　${note}`,
    columns: plan.columns,
  });
  if (plan.table) {
    for (const r of plan.table.rows) xw.addRow(r);
    xw.addRow(plan.table.totals);
  } else {
    const groupBy = plan.target.def.groupBy;
    const unit = ENTITY_UNITS[plan.rq.entity];
    const groupCounts = new Map<number, number>();
    if (groupBy) {
      for (const c of plan.counts) {
        const key = groupOf(plan, c.path)?.id ?? 0;
        groupCounts.set(key, (groupCounts.get(key) ?? 0) + c.n);
      }
    }
    let current: number | undefined;
    for await (const batch of readRecords(db, plan)) {
      if (out.destroyed) return;
      for (const r of batch) {
        const key = r.group?.id ?? 0;
        if (groupBy && key !== current) {
          current = key;
          xw.addBanner(`${groupLabel(plan, r.group, groupBy)}（${groupCounts.get(key) ?? 0}${unit}）`);
        }
        xw.addRow(r.cells);
      }
      await xw.waitForRoom();
    }
  }
  if (out.destroyed) return;
  await xw.finish();
}

/** '东关社区 第一网格' for a grid: the places from the community down to the group. */
function groupLabel(plan: Plan, group: PlaceNode | null, groupBy: (typeof PLACE_LEVELS)[number]): string {
  if (!group) return '（未分组）';
  const levels = PLACE_LEVELS.slice(1, PLACE_LEVELS.indexOf(groupBy) + 1);
  return levels
    .map((l) => placeOnPath(group.path, l, plan.nodes)?.name)
    .filter(Boolean)
    .join(' ');
}
