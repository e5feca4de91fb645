/**
 * Policy runs: a run evaluates every active policy valid on its day (or the one asked) over everyone living under a
 * node (A1's evaluatePolicies), counts the diff against the previous finished run of each policy over the node, turns
 * the newly eligible into candidates (lapsing pending ones no longer eligible) and tells the grid workers. The
 * explained lists, the Excel export and a resident's own view read the stored results.
 */
import ExcelJS from 'exceljs';
import type { Ctx } from '../../platform/access/context.js';
import {
  assertPermission,
  can,
  hasPermission,
  isValidPath,
  pathInScope,
  type Scope,
  scopeFor,
  scopeSql,
} from '../../platform/access/scope.js';
import { recordAudit, requireReason } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { nearestHolders, send } from '../../platform/notify/notify.service.js';
import { maskName, type PiiCipher } from '../../platform/pii/index.js';
import { nodePathInScope } from '../org/org.service.js';
import { ageOn } from '../people/people.logic.js';
import { todayShanghai } from '../people/people.service.js';
import { explain, leafView, runsOn } from './policies.logic.js';
import * as repo from './policies.repo.js';
import type {
  ExportQuery,
  ResidentPoliciesView,
  ResultPage,
  ResultRow,
  ResultsQuery,
  RunCreate,
  RunListQuery,
  RunPage,
  RunPolicyView,
  RunView,
} from './policies.schemas.js';
import { assertReader } from './policies.service.js';
import type { Rule } from './rules.logic.js';
import { evaluatePolicies } from './rules.sql.js';

export const RUN_JOB = 'policies.run';
export const NIGHTLY_JOB = 'policies.nightly';
export const PRUNE_JOB = 'policies.prune';
export const NEW_CANDIDATES_KIND = 'policies.new_candidates';
/** Results kept per node and policy (older runs keep their counts only). */
export const KEEP_RUNS = 10;

export type RunsDeps = { db: Db; jobs: Jobs; pii: PiiCipher };

// ---- visibility -----------------------------------------------------------------------------------------------

/** A run is visible when it covers part of the caller's area (a county's nightly run shows a grid worker their grid). */
export function runsCond(scope: Scope): string {
  if (scope.all) return 'TRUE';
  if (scope.paths.length === 0) return 'FALSE';
  return `(${scope.paths
    .map((p) => {
      if (!isValidPath(p)) throw new Error(`invalid scope path ${p}`);
      return `r.node_path LIKE '${p}%' OR '${p}' LIKE r.node_path || '%'`;
    })
    .join(' OR ')})`;
}

function runVisible(scope: Scope, path: string): boolean {
  return pathInScope(scope, path) || (!scope.all && scope.paths.some((p) => p.startsWith(path)));
}

async function readableRun(q: Queryable, ctx: Ctx, id: number): Promise<repo.RunRow> {
  assertReader(ctx);
  const r = await repo.findRun(q, id);
  if (!r || !runVisible(scopeFor(ctx.principal, 'policies.read'), r.node_path))
    throw new AppError('POLICY_RUN_NOT_FOUND');
  return r;
}

function toRunPolicy(p: repo.RunPolicyRow): RunPolicyView {
  return {
    policyId: p.policy_id,
    policyCode: p.policy_code,
    policyName: p.policy_name,
    versionId: p.version_id,
    version: p.version,
    eligible: p.eligible,
    nearMiss: p.near_miss,
    newlyEligible: p.newly_eligible,
    noLongerEligible: p.no_longer_eligible,
    previousRunId: p.previous_run_id,
  };
}

function toRunView(r: repo.RunRow, policies: repo.RunPolicyRow[]): RunView {
  return {
    id: r.id,
    nodeId: r.node_id,
    nodeName: r.node_name,
    trigger: r.trigger,
    policyId: r.policy_id,
    policyName: r.policy_name,
    status: r.status,
    asOf: r.as_of,
    residents: r.residents,
    error: r.error,
    startedByName: r.started_by_name,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at ? r.started_at.toISOString() : null,
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
    policies: policies.filter((p) => p.run_id === r.id).map(toRunPolicy),
  };
}

// ---- runs -----------------------------------------------------------------------------------------------------

/** Queues a run over a node of the caller's policies.run area. @throws ORG_NODE_NOT_FOUND, POLICY_NOT_FOUND, POLICY_NOT_ACTIVE */
export async function createRun(deps: RunsDeps, ctx: Ctx, body: RunCreate): Promise<RunView> {
  assertPermission(ctx.principal, 'policies.run');
  const today = todayShanghai();
  const id = await deps.db.transaction(async (tx) => {
    const path = await nodePathInScope(tx, ctx, 'policies.run', body.nodeId);
    const node = (await repo.findNode(tx, body.nodeId))!;
    let policyName: string | null = null;
    if (body.policyId !== undefined) {
      const p = await repo.findPolicy(tx, body.policyId);
      if (!p) throw new AppError('POLICY_NOT_FOUND', { field: 'policyId' });
      if (!runsOn(p, today)) throw new AppError('POLICY_NOT_ACTIVE', { field: 'policyId' });
      policyName = p.name;
    }
    const id = await repo.insertRun(tx, {
      countyId: node.county_id,
      nodeId: node.id,
      nodePath: path,
      trigger: 'manual',
      policyId: body.policyId ?? null,
      asOf: today,
      startedBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
    });
    await recordAudit(tx, ctx, {
      action: 'policy.run.create',
      targetType: 'policy_run',
      targetId: id,
      targetLabel: policyName,
      scopePath: path,
      countyId: node.county_id,
      after: { nodeId: node.id, policyId: body.policyId ?? null, asOf: today },
    });
    return id;
  });
  try {
    await deps.jobs.send(RUN_JOB, { runId: id });
  } catch {
    // Jobs not running (an app built without starting them: tools, some tests): the run runs here.
    await executeRun(deps.db, id);
  }
  return getRun(deps, ctx, id);
}

/**
 * The lines of runs as the caller sees them: a run over the caller's own area (or over the asked node) counts as
 * stored; a run over a wider area (a county's nightly run seen by a community) is counted within the asked node, or
 * within the caller's area.
 */
async function linesFor(q: Queryable, ctx: Ctx, runs: repo.RunRow[], nodePath?: string): Promise<repo.RunPolicyRow[]> {
  const scope = scopeFor(ctx.principal, 'policies.read');
  const whole = runs.filter((r) => (nodePath ? r.node_path === nodePath : pathInScope(scope, r.node_path)));
  const narrowed = runs.filter((r) => !whole.includes(r));
  let areaCond: string;
  if (nodePath) {
    if (!isValidPath(nodePath)) throw new Error(`invalid path ${nodePath}`);
    areaCond = `rr.node_path LIKE '${nodePath}%'`;
  } else areaCond = scopeSql(scope, 'rr.node_path');
  return [
    ...(await repo.runPolicies(
      q,
      whole.map((r) => r.id),
    )),
    ...(await repo.areaRunPolicies(
      q,
      narrowed.map((r) => r.id),
      areaCond,
    )),
  ];
}

export async function getRun(deps: Pick<RunsDeps, 'db'>, ctx: Ctx, id: number): Promise<RunView> {
  const r = await readableRun(deps.db, ctx, id);
  return toRunView(r, await linesFor(deps.db, ctx, [r]));
}

export async function listRuns(deps: Pick<RunsDeps, 'db'>, ctx: Ctx, query: RunListQuery): Promise<RunPage> {
  assertReader(ctx);
  const pageSize = query.pageSize ?? 20;
  const nodePath =
    query.nodeId === undefined ? undefined : await nodePathInScope(deps.db, ctx, 'policies.read', query.nodeId);
  const { rows, total } = await repo.listRuns(deps.db, runsCond(scopeFor(ctx.principal, 'policies.read')), {
    nodePath,
    policyId: query.policyId,
    status: query.status,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  const pols = await linesFor(deps.db, ctx, rows, nodePath);
  return { items: rows.map((r) => toRunView(r, pols)), total };
}

/**
 * The job: evaluates the run (idempotent — a run already finished is left; one left running by a crash starts
 * clean), writes counts and diffs, candidates, lapses, and tells the grid workers of new candidates.
 */
export async function executeRun(db: Db, runId: number): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      const run = await repo.findRun(tx, runId, true);
      if (!run || run.status === 'done' || run.status === 'failed') return;
      await repo.clearRun(tx, runId);
      await repo.setRunStatus(tx, runId, { status: 'running' });
      const all = await repo.runnablePolicies(tx, run.policy_id);
      const toRun = all.filter((p) => runsOn(p, run.as_of));
      if (run.policy_id !== null && toRun.length === 0) throw new AppError('POLICY_NOT_ACTIVE');
      const rules = new Map<string, Rule>(
        (await repo.policyRules(tx)).flatMap((p) => (p.rule ? [[p.code, p.rule]] : [])),
      );
      const { residents, counts } = await evaluatePolicies(tx, {
        runId,
        nodePath: run.node_path,
        asOf: run.as_of,
        versions: toRun.map((p) => ({
          policyId: p.policy_id,
          policyCode: p.code,
          versionId: p.version_id,
          rule: p.rule,
          leaves: p.leaves,
        })),
        resolve: (code) => rules.get(code) ?? null,
      });
      const newByPath = new Map<string, { count: number; policies: Set<string> }>();
      for (const p of toRun) {
        const c = counts.find((x) => x.versionId === p.version_id) ?? { eligible: 0, nearMiss: 0 };
        const previousRunId = await repo.previousRun(tx, runId, run.node_id, p.policy_id);
        await repo.recordRunPolicy(tx, {
          runId,
          versionId: p.version_id,
          policyId: p.policy_id,
          eligible: c.eligible,
          nearMiss: c.nearMiss,
          previousRunId,
        });
        const added = await repo.addCandidates(tx, {
          runId,
          countyId: run.county_id,
          policyId: p.policy_id,
          versionId: p.version_id,
          previousRunId,
        });
        await repo.lapseCandidates(tx, { runId, nodePath: run.node_path, policyId: p.policy_id });
        for (const a of added) {
          const e = newByPath.get(a.node_path) ?? { count: 0, policies: new Set<string>() };
          e.count++;
          e.policies.add(p.name);
          newByPath.set(a.node_path, e);
        }
      }
      await notifyWorkers(tx, runId, newByPath);
      await repo.setRunStatus(tx, runId, { status: 'done', residents });
    });
  } catch (err) {
    const message = err instanceof AppError ? err.code : err instanceof Error ? err.message : String(err);
    await db.transaction(async (tx) => {
      const run = await repo.findRun(tx, runId, true);
      if (run && (run.status === 'queued' || run.status === 'running'))
        await repo.setRunStatus(tx, runId, { status: 'failed', error: message.slice(0, 500) });
    });
  }
}

/** One message per worker: how many new candidates the run found in their area (the nearest policies.confirm holders). */
async function notifyWorkers(
  q: Queryable,
  runId: number,
  byPath: Map<string, { count: number; policies: Set<string> }>,
): Promise<void> {
  const perUser = new Map<number, { count: number; policies: Set<string>; path: string }>();
  for (const [path, e] of byPath) {
    for (const u of await nearestHolders(q, path, 'policies.confirm')) {
      const cur = perUser.get(u) ?? { count: 0, policies: new Set<string>(), path };
      cur.count += e.count;
      for (const p of e.policies) cur.policies.add(p);
      perUser.set(u, cur);
    }
  }
  for (const [userId, e] of perUser)
    await send(q, [userId], NEW_CANDIDATES_KIND, {
      runId,
      count: e.count,
      policies: [...e.policies].join('、'),
      nodePath: e.path,
    });
}

/** The nightly run: every active policy over each county. */
export async function queueNightlyRuns(db: Db, jobs: Jobs): Promise<number> {
  const today = todayShanghai();
  return db.transaction(async (tx) => {
    const cs = await repo.counties(tx);
    for (const c of cs) {
      const id = await repo.insertRun(tx, {
        countyId: c.county_id,
        nodeId: c.id,
        nodePath: c.path,
        trigger: 'nightly',
        policyId: null,
        asOf: today,
        startedBy: null,
      });
      await jobs.send(RUN_JOB, { runId: id }, { tx });
    }
    return cs.length;
  });
}

export async function pruneRuns(db: Db): Promise<number> {
  return db.transaction((tx) => repo.pruneResults(tx, KEEP_RUNS));
}

// ---- explained results --------------------------------------------------------------------------------------

type Loaded = {
  run: repo.RunRow;
  line: repo.RunPolicyRow;
  versions: Map<number, { rule: Rule; leaves: import('./rules.logic.js').Leaf[] }>;
};

async function loadRunPolicy(q: Queryable, ctx: Ctx, runId: number, policyId: number): Promise<Loaded> {
  const run = await readableRun(q, ctx, runId);
  const lines = await repo.runPolicies(q, [runId]);
  const line = lines.find((l) => l.policy_id === policyId);
  if (!line) throw new AppError('POLICY_NOT_FOUND', { field: 'policyId' });
  const versions = new Map<number, { rule: Rule; leaves: import('./rules.logic.js').Leaf[] }>();
  const v = await repo.findVersion(q, line.version_id);
  if (v) versions.set(v.id, { rule: v.rule, leaves: v.leaves });
  if (line.previous_run_id !== null) {
    const prev = (await repo.runPolicies(q, [line.previous_run_id])).find((l) => l.policy_id === policyId);
    if (prev && !versions.has(prev.version_id)) {
      const pv = await repo.findVersion(q, prev.version_id);
      if (pv) versions.set(pv.id, { rule: pv.rule, leaves: pv.leaves });
    }
  }
  return { run, line, versions };
}

function toResultRow(ctx: Ctx, l: Loaded, r: repo.ResultRowDb, gone: boolean): ResultRow {
  const v = l.versions.get(r.version_id);
  const explanation = v
    ? explain(v.leaves, r.met_mask, r.outcome, r.facts, ctx.locale)
    : { met: [], failed: [], summary: '' };
  return {
    residentId: r.resident_id,
    name: can(ctx.principal, 'people.sensitive', r.node_path) ? r.name : maskName(r.name),
    idMasked: r.id_masked,
    sex: r.sex,
    age: ageOn(r.birth_date, l.run.as_of),
    nodeId: r.node_id,
    place: r.place ?? '',
    outcome: gone ? 'gone' : r.outcome,
    isNew: r.is_new,
    explanation,
    candidate:
      r.candidate_id !== null
        ? { id: r.candidate_id, status: r.candidate_status!, version: r.candidate_version! }
        : null,
  };
}

/** @throws POLICY_RUN_NOT_FOUND, POLICY_NOT_FOUND (the policy is not in the run), ORG_NODE_NOT_FOUND */
export async function listResults(
  deps: Pick<RunsDeps, 'db'>,
  ctx: Ctx,
  runId: number,
  query: ResultsQuery,
): Promise<ResultPage> {
  const l = await loadRunPolicy(deps.db, ctx, runId, query.policyId);
  const nodePath =
    query.nodeId === undefined ? undefined : await nodePathInScope(deps.db, ctx, 'policies.read', query.nodeId);
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listResults(
    deps.db,
    scopeSql(scopeFor(ctx.principal, 'policies.read'), 'rr.node_path'),
    {
      runId,
      policyId: query.policyId,
      previousRunId: l.line.previous_run_id,
      outcome: query.outcome,
      q: query.q,
      nodePath,
      limit: pageSize,
      offset: ((query.page ?? 1) - 1) * pageSize,
    },
  );
  const v = l.versions.get(l.line.version_id);
  return {
    items: rows.map((r) => toResultRow(ctx, l, r, query.outcome === 'gone')),
    total,
    run: toRunView(l.run, [l.line]),
    policy: toRunPolicy(l.line),
    leaves: (v?.leaves ?? []).map((x) => leafView(x, ctx.locale)),
  };
}

const OUTCOME_ZH: Record<string, string> = { eligible: '符合', near_miss: '差一项', gone: '不再符合' };
const CANDIDATE_ZH: Record<string, string> = {
  pending: '待核实',
  confirmed: '已核实',
  rejected: '已否决',
  receiving: '享受中',
  ended: '已终止',
  lapsed: '已失效',
};

/** The explained list as Excel: masked unless `unmasked=1` with pii.reveal over the area and a reason (audited). */
export async function exportResults(
  deps: RunsDeps,
  ctx: Ctx,
  runId: number,
  query: ExportQuery,
): Promise<{ fileName: string; body: Buffer }> {
  const l = await loadRunPolicy(deps.db, ctx, runId, query.policyId);
  const scope = scopeFor(ctx.principal, 'policies.read');
  const nodePath =
    query.nodeId === undefined ? undefined : await nodePathInScope(deps.db, ctx, 'policies.read', query.nodeId);
  const unmasked = query.unmasked === '1';
  const roots = nodePath
    ? [nodePath]
    : pathInScope(scope, l.run.node_path)
      ? [l.run.node_path]
      : scope.all
        ? [null]
        : scope.paths.filter((p) => p.startsWith(l.run.node_path));
  if (
    unmasked &&
    (!hasPermission(ctx.principal, 'pii.reveal') || !roots.every((r) => can(ctx.principal, 'pii.reveal', r)))
  )
    throw new AppError('POLICY_UNMASK_FORBIDDEN');
  const reason = unmasked ? requireReason(query.reason) : null;
  const { rows } = await repo.listResults(deps.db, scopeSql(scope, 'rr.node_path'), {
    runId,
    policyId: query.policyId,
    previousRunId: l.line.previous_run_id,
    outcome: query.outcome,
    nodePath,
    limit: null,
    offset: 0,
  });
  await recordAudit(deps.db, ctx, {
    action: 'policy.export',
    targetType: 'policy_run',
    targetId: runId,
    targetLabel: l.line.policy_name,
    scopePath: nodePath ?? l.run.node_path,
    countyId: l.run.county_id,
    after: { policyId: query.policyId, outcome: query.outcome ?? null, rows: rows.length, unmasked },
    reason,
  });
  const gone = query.outcome === 'gone';
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(l.line.policy_name.slice(0, 31));
  ws.addRow([
    `${l.line.policy_name}　测算日：${l.run.as_of}　${unmasked ? '含完整个人信息，注意保密' : '个人信息已脱敏'}`,
  ]);
  ws.addRow(['姓名', '身份证号', '性别', '年龄', '所在', '结果', '新增', '符合的条件', '未满足的条件', '候选状态']);
  for (const r of rows) {
    const x = toResultRow({ ...ctx, locale: 'zh-CN' }, l, r, gone);
    ws.addRow([
      unmasked ? r.name : x.name,
      unmasked ? deps.pii.open(r.id_sealed) : r.id_masked,
      r.sex === 'male' ? '男' : '女',
      x.age,
      x.place,
      OUTCOME_ZH[x.outcome] ?? x.outcome,
      x.isNew ? '是' : '',
      x.explanation.met.map((c) => `${c.label}（${c.valueText}）`).join('；'),
      x.explanation.failed.map((c) => `${c.label}（${c.valueText}）`).join('；'),
      x.candidate ? (CANDIDATE_ZH[x.candidate.status] ?? x.candidate.status) : '',
    ]);
  }
  ws.getRow(2).font = { bold: true };
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: `政策名单-${l.line.policy_name}-${l.run.as_of}.xlsx`, body };
}

/** A resident's own view: the policies they are eligible or near for in the latest runs, and their candidacies. */
export async function residentPolicies(
  deps: Pick<RunsDeps, 'db'>,
  ctx: Ctx,
  residentId: number,
  candidates: (residentId: number) => Promise<ResidentPoliciesView['candidates']>,
): Promise<ResidentPoliciesView> {
  assertReader(ctx);
  const rows = await deps.db.query<{ node_path: string }>('SELECT node_path FROM residents WHERE id = $1', [
    residentId,
  ]);
  const r = rows[0];
  if (!r || !can(ctx.principal, 'policies.read', r.node_path)) throw new AppError('POLICY_RESIDENT_NOT_FOUND');
  const results = await repo.residentResults(deps.db, residentId);
  return {
    residentId,
    results: results.map((x) => ({
      policyId: x.policy_id,
      policyCode: x.policy_code,
      policyName: x.policy_name,
      runId: x.run_id,
      asOf: x.as_of,
      outcome: x.outcome,
      explanation: explain(x.leaves, x.met_mask, x.outcome, x.facts, ctx.locale),
    })),
    candidates: await candidates(residentId),
  };
}
