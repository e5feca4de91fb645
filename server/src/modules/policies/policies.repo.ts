/** SQL of the policies service: policies and versions, runs and their counts, explained results, candidates. */
import type { Queryable } from '../../platform/db/client.js';
import type { CandidateStatus, PolicyStatus } from './policies.logic.js';
import type { Leaf, Rule } from './rules.logic.js';

// ---- policies and versions --------------------------------------------------------------------------------------

export type PolicyRow = {
  id: number;
  code: string;
  name: string;
  legal_ref: string;
  legal_url: string | null;
  description: string;
  resident_text: string;
  handled_by: string | null;
  valid_from: string;
  valid_to: string | null;
  status: PolicyStatus;
  current_version_id: number;
  version: number;
  rule: Rule;
  leaves: Leaf[];
  created_at: Date;
  updated_at: Date;
};

const POLICY_COLS = `p.id, p.code, p.name, p.legal_ref, p.legal_url, p.description, p.resident_text, p.handled_by,
  to_char(p.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(p.valid_to, 'YYYY-MM-DD') AS valid_to, p.status,
  p.current_version_id, v.version, v.rule, v.leaves, p.created_at, p.updated_at`;

export async function listPolicies(q: Queryable, f: { status?: string; q?: string }): Promise<PolicyRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status) {
    params.push(f.status);
    where.push(`p.status = $${params.length}`);
  }
  if (f.q) {
    params.push(`%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
    where.push(`(p.name LIKE $${params.length} OR p.code LIKE $${params.length})`);
  }
  return q.query<PolicyRow>(
    `SELECT ${POLICY_COLS} FROM policies p JOIN policy_versions v ON v.id = p.current_version_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY CASE p.status WHEN 'active' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, p.id`,
    params,
  );
}

export async function findPolicy(q: Queryable, id: number, forUpdate = false): Promise<PolicyRow | undefined> {
  const rows = await q.query<PolicyRow>(
    `SELECT ${POLICY_COLS} FROM policies p JOIN policy_versions v ON v.id = p.current_version_id
     WHERE p.id = $1${forUpdate ? ' FOR UPDATE OF p' : ''}`,
    [id],
  );
  return rows[0];
}

export async function policyIdByCode(q: Queryable, code: string): Promise<number | undefined> {
  const rows = await q.query<{ id: number }>('SELECT id FROM policies WHERE code = $1', [code]);
  return rows[0]?.id;
}

export type PolicyFields = {
  name: string;
  legalRef: string;
  legalUrl: string | null;
  description: string;
  residentText: string;
  handledBy: string | null;
  validFrom: string;
  validTo: string | null;
};

export async function insertPolicy(
  q: Queryable,
  p: PolicyFields & { code: string; createdBy: number | null },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO policies (code, name, legal_ref, legal_url, description, resident_text, handled_by, valid_from,
       valid_to, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      p.code,
      p.name,
      p.legalRef,
      p.legalUrl,
      p.description,
      p.residentText,
      p.handledBy,
      p.validFrom,
      p.validTo,
      p.createdBy,
    ],
  );
  return rows[0]!.id;
}

export async function updatePolicy(q: Queryable, id: number, p: PolicyFields): Promise<void> {
  await q.query(
    `UPDATE policies SET name = $2, legal_ref = $3, legal_url = $4, description = $5, resident_text = $6,
       handled_by = $7, valid_from = $8, valid_to = $9, updated_at = now() WHERE id = $1`,
    [id, p.name, p.legalRef, p.legalUrl, p.description, p.residentText, p.handledBy, p.validFrom, p.validTo],
  );
}

export async function setPolicyStatus(q: Queryable, id: number, status: PolicyStatus): Promise<void> {
  await q.query('UPDATE policies SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

/** Writes the next version of a policy's rule and makes it current. */
export async function addVersion(
  q: Queryable,
  v: { policyId: number; rule: Rule; leaves: Leaf[]; note: string | null; createdBy: number | null },
): Promise<{ id: number; version: number }> {
  const rows = await q.query<{ id: number; version: number }>(
    `INSERT INTO policy_versions (policy_id, version, rule, leaves, note, created_by)
     VALUES ($1, COALESCE((SELECT max(version) FROM policy_versions WHERE policy_id = $1), 0) + 1, $2, $3, $4, $5)
     RETURNING id, version`,
    [v.policyId, JSON.stringify(v.rule), JSON.stringify(v.leaves), v.note, v.createdBy],
  );
  await q.query('UPDATE policies SET current_version_id = $2, updated_at = now() WHERE id = $1', [
    v.policyId,
    rows[0]!.id,
  ]);
  return rows[0]!;
}

export type VersionRow = {
  id: number;
  version: number;
  rule: Rule;
  leaves: Leaf[];
  note: string | null;
  created_by_name: string | null;
  created_at: Date;
};

export async function listVersions(q: Queryable, policyId: number): Promise<VersionRow[]> {
  return q.query<VersionRow>(
    `SELECT v.id, v.version, v.rule, v.leaves, v.note, u.display_name AS created_by_name, v.created_at
     FROM policy_versions v LEFT JOIN users u ON u.id = v.created_by
     WHERE v.policy_id = $1 ORDER BY v.version DESC`,
    [policyId],
  );
}

export async function findVersion(q: Queryable, id: number): Promise<VersionRow | undefined> {
  const rows = await q.query<VersionRow>(
    `SELECT v.id, v.version, v.rule, v.leaves, v.note, NULL AS created_by_name, v.created_at
     FROM policy_versions v WHERE v.id = $1`,
    [id],
  );
  return rows[0];
}

/** Every policy's code, name and current rule: what rules may refer to. */
export async function policyRules(q: Queryable): Promise<{ code: string; name: string; rule: Rule | null }[]> {
  return q.query(
    `SELECT p.code, p.name, v.rule FROM policies p LEFT JOIN policy_versions v ON v.id = p.current_version_id
     ORDER BY p.id`,
  );
}

export async function tagNames(q: Queryable): Promise<{ code: string; name: string }[]> {
  return q.query('SELECT code, name FROM tags ORDER BY sort, id');
}

// ---- runs -------------------------------------------------------------------------------------------------------

export type RunRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_name: string;
  node_path: string;
  trigger: 'manual' | 'nightly';
  policy_id: number | null;
  policy_name: string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  as_of: string;
  residents: number | null;
  error: string | null;
  started_by_name: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const RUN_COLS = `r.id, r.county_id, r.node_id, n.name AS node_name, r.node_path, r.trigger, r.policy_id,
  p.name AS policy_name, r.status, to_char(r.as_of, 'YYYY-MM-DD') AS as_of, r.residents, r.error,
  u.display_name AS started_by_name, r.created_at, r.started_at, r.finished_at`;
const RUN_FROM = `policy_runs r JOIN org_nodes n ON n.id = r.node_id LEFT JOIN policies p ON p.id = r.policy_id
  LEFT JOIN users u ON u.id = r.started_by`;

export async function insertRun(
  q: Queryable,
  r: {
    countyId: number;
    nodeId: number;
    nodePath: string;
    trigger: 'manual' | 'nightly';
    policyId: number | null;
    asOf: string;
    startedBy: number | null;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO policy_runs (county_id, node_id, node_path, trigger, policy_id, as_of, started_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [r.countyId, r.nodeId, r.nodePath, r.trigger, r.policyId, r.asOf, r.startedBy],
  );
  return rows[0]!.id;
}

export async function findRun(q: Queryable, id: number, forUpdate = false): Promise<RunRow | undefined> {
  const rows = await q.query<RunRow>(
    `SELECT ${RUN_COLS} FROM ${RUN_FROM} WHERE r.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return rows[0];
}

/** Runs over a node in `cond` (a scope condition on r.node_path, or runs above the caller's area). */
export async function listRuns(
  q: Queryable,
  cond: string,
  f: { nodePath?: string; policyId?: number; status?: string; limit: number; offset: number },
): Promise<{ rows: RunRow[]; total: number }> {
  const where = [cond];
  const params: unknown[] = [];
  if (f.nodePath) {
    // runs over the node or over an area holding it (a county's nightly run covers its grids)
    params.push(f.nodePath);
    where.push(`(r.node_path = $${params.length} OR $${params.length} LIKE r.node_path || '%')`);
  }
  if (f.policyId) {
    params.push(f.policyId);
    where.push(
      `EXISTS (SELECT 1 FROM policy_run_policies rp WHERE rp.run_id = r.id AND rp.policy_id = $${params.length})`,
    );
  }
  if (f.status) {
    params.push(f.status);
    where.push(`r.status = $${params.length}`);
  }
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM policy_runs r WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await q.query<RunRow>(
    `SELECT ${RUN_COLS} FROM ${RUN_FROM} WHERE ${where.join(' AND ')}
     ORDER BY r.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
    params,
  );
  return { rows, total: total[0]?.n ?? 0 };
}

export type RunPolicyRow = {
  run_id: number;
  policy_id: number;
  policy_code: string;
  policy_name: string;
  version_id: number;
  version: number;
  eligible: number;
  near_miss: number;
  newly_eligible: number;
  no_longer_eligible: number;
  previous_run_id: number | null;
};

export async function runPolicies(q: Queryable, runIds: number[]): Promise<RunPolicyRow[]> {
  if (runIds.length === 0) return [];
  return q.query<RunPolicyRow>(
    `SELECT rp.run_id, rp.policy_id, p.code AS policy_code, p.name AS policy_name, rp.policy_version_id AS version_id,
       v.version, rp.eligible, rp.near_miss, rp.newly_eligible, rp.no_longer_eligible, rp.previous_run_id
     FROM policy_run_policies rp JOIN policies p ON p.id = rp.policy_id
     JOIN policy_versions v ON v.id = rp.policy_version_id
     WHERE rp.run_id = ANY($1::bigint[]) ORDER BY rp.run_id, p.id`,
    [runIds],
  );
}

/**
 * A run's lines counted within an area (`areaCond` over rr.node_path): a county's nightly run seen by a street,
 * community or grid shows that area's eligible, near misses and diff, not the county's.
 */
export async function areaRunPolicies(q: Queryable, runIds: number[], areaCond: string): Promise<RunPolicyRow[]> {
  if (runIds.length === 0) return [];
  const inArea = (run: string, policy: string, outcome: string) =>
    `SELECT rr.resident_id FROM policy_run_results rr JOIN policy_versions pv ON pv.id = rr.policy_version_id
     WHERE rr.run_id = ${run} AND pv.policy_id = ${policy} AND rr.outcome = '${outcome}' AND ${areaCond}`;
  return q.query<RunPolicyRow>(
    `SELECT rp.run_id, rp.policy_id, p.code AS policy_code, p.name AS policy_name, rp.policy_version_id AS version_id,
       v.version,
       (SELECT count(*)::int FROM (${inArea('rp.run_id', 'rp.policy_id', 'eligible')}) e) AS eligible,
       (SELECT count(*)::int FROM (${inArea('rp.run_id', 'rp.policy_id', 'near_miss')}) n) AS near_miss,
       (SELECT count(*)::int FROM (${inArea('rp.run_id', 'rp.policy_id', 'eligible')}
          EXCEPT ${inArea('rp.previous_run_id', 'rp.policy_id', 'eligible')}) a) AS newly_eligible,
       CASE WHEN rp.previous_run_id IS NULL THEN 0 ELSE
         (SELECT count(*)::int FROM (${inArea('rp.previous_run_id', 'rp.policy_id', 'eligible')}
            EXCEPT ${inArea('rp.run_id', 'rp.policy_id', 'eligible')}) g) END AS no_longer_eligible,
       rp.previous_run_id
     FROM policy_run_policies rp JOIN policies p ON p.id = rp.policy_id
     JOIN policy_versions v ON v.id = rp.policy_version_id
     WHERE rp.run_id = ANY($1::bigint[]) ORDER BY rp.run_id, p.id`,
    [runIds],
  );
}

export async function setRunStatus(
  q: Queryable,
  id: number,
  s: { status: 'running' | 'done' | 'failed'; residents?: number | null; error?: string | null },
): Promise<void> {
  await q.query(
    `UPDATE policy_runs SET status = $2,
       started_at = CASE WHEN $2 = 'running' THEN now() ELSE started_at END,
       finished_at = CASE WHEN $2 IN ('done', 'failed') THEN now() ELSE finished_at END,
       residents = COALESCE($3, residents), error = $4
     WHERE id = $1`,
    [id, s.status, s.residents ?? null, s.error ?? null],
  );
}

/** A run started again after a crash starts clean. */
export async function clearRun(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM policy_run_results WHERE run_id = $1', [id]);
  await q.query('DELETE FROM policy_run_policies WHERE run_id = $1', [id]);
}

export type RunnablePolicy = {
  policy_id: number;
  code: string;
  name: string;
  status: string;
  valid_from: string;
  valid_to: string | null;
  version_id: number;
  rule: Rule;
  leaves: Leaf[];
};

export async function runnablePolicies(q: Queryable, policyId: number | null): Promise<RunnablePolicy[]> {
  return q.query<RunnablePolicy>(
    `SELECT p.id AS policy_id, p.code, p.name, p.status, to_char(p.valid_from, 'YYYY-MM-DD') AS valid_from,
       to_char(p.valid_to, 'YYYY-MM-DD') AS valid_to, v.id AS version_id, v.rule, v.leaves
     FROM policies p JOIN policy_versions v ON v.id = p.current_version_id
     WHERE ($1::bigint IS NULL OR p.id = $1) ORDER BY p.id`,
    [policyId],
  );
}

/** The latest finished run of the policy over the same node before this run. */
export async function previousRun(
  q: Queryable,
  runId: number,
  nodeId: number,
  policyId: number,
): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `SELECT r.id FROM policy_runs r JOIN policy_run_policies rp ON rp.run_id = r.id AND rp.policy_id = $3
     WHERE r.node_id = $2 AND r.status = 'done' AND r.id < $1 ORDER BY r.id DESC LIMIT 1`,
    [runId, nodeId, policyId],
  );
  return rows[0]?.id ?? null;
}

/** Residents eligible for the policy in a run (any version of it). */
const ELIGIBLE_IN = (runParam: string, policyParam: string) =>
  `SELECT rr.resident_id FROM policy_run_results rr JOIN policy_versions pv ON pv.id = rr.policy_version_id
   WHERE rr.run_id = ${runParam} AND pv.policy_id = ${policyParam} AND rr.outcome = 'eligible'`;

/** Counts the diff against the previous run and records the policy's line of the run. */
export async function recordRunPolicy(
  q: Queryable,
  r: {
    runId: number;
    versionId: number;
    policyId: number;
    eligible: number;
    nearMiss: number;
    previousRunId: number | null;
  },
): Promise<{ newlyEligible: number; noLongerEligible: number }> {
  let newlyEligible = r.eligible;
  let noLongerEligible = 0;
  if (r.previousRunId !== null) {
    const d = await q.query<{ added: number; gone: number }>(
      `SELECT
         (SELECT count(*)::int FROM (${ELIGIBLE_IN('$1', '$3')} EXCEPT ${ELIGIBLE_IN('$2', '$3')}) a) AS added,
         (SELECT count(*)::int FROM (${ELIGIBLE_IN('$2', '$3')} EXCEPT ${ELIGIBLE_IN('$1', '$3')}) g) AS gone`,
      [r.runId, r.previousRunId, r.policyId],
    );
    newlyEligible = d[0]!.added;
    noLongerEligible = d[0]!.gone;
  }
  await q.query(
    `INSERT INTO policy_run_policies (run_id, policy_version_id, policy_id, eligible, near_miss, newly_eligible,
       no_longer_eligible, previous_run_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (run_id, policy_version_id) DO UPDATE SET eligible = EXCLUDED.eligible,
       near_miss = EXCLUDED.near_miss, newly_eligible = EXCLUDED.newly_eligible,
       no_longer_eligible = EXCLUDED.no_longer_eligible, previous_run_id = EXCLUDED.previous_run_id`,
    [r.runId, r.versionId, r.policyId, r.eligible, r.nearMiss, newlyEligible, noLongerEligible, r.previousRunId],
  );
  return { newlyEligible, noLongerEligible };
}

/**
 * New candidates: the newly eligible (not eligible in the previous run, or every eligible one in a first run)
 * without an open candidacy. Returns the new candidates' ids and node paths.
 */
export async function addCandidates(
  q: Queryable,
  r: { runId: number; countyId: number; policyId: number; versionId: number; previousRunId: number | null },
): Promise<{ id: number; node_path: string }[]> {
  return q.query(
    `INSERT INTO policy_candidates (county_id, policy_id, resident_id, node_path, run_id, policy_version_id, due_at)
     SELECT $2, $3, rr.resident_id, rr.node_path, $1, $4, now() + interval '10 days'
     FROM policy_run_results rr
     WHERE rr.run_id = $1 AND rr.policy_version_id = $4 AND rr.outcome = 'eligible'
       AND ($5::bigint IS NULL OR rr.resident_id NOT IN (${ELIGIBLE_IN('$5::bigint', '$3')}))
       AND NOT EXISTS (SELECT 1 FROM policy_candidates c WHERE c.policy_id = $3 AND c.resident_id = rr.resident_id
                         AND c.status IN ('pending', 'confirmed', 'receiving'))
     ON CONFLICT DO NOTHING
     RETURNING id, node_path`,
    [r.runId, r.countyId, r.policyId, r.versionId, r.previousRunId],
  );
}

/** Pending candidates under the run's node no longer eligible in it lapse. */
export async function lapseCandidates(
  q: Queryable,
  r: { runId: number; nodePath: string; policyId: number },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `UPDATE policy_candidates c SET status = 'lapsed', decided_at = now(), version = version + 1, updated_at = now()
     WHERE c.policy_id = $3 AND c.status = 'pending' AND c.node_path LIKE $2 || '%'
       AND c.resident_id NOT IN (${ELIGIBLE_IN('$1', '$3')})
     RETURNING c.id`,
    [r.runId, r.nodePath, r.policyId],
  );
  return rows.length;
}

/** Keeps the results of the last `keep` finished runs per node and policy; older runs keep only their counts. */
export async function pruneResults(q: Queryable, keep: number): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH ranked AS (
       SELECT rp.run_id, rp.policy_version_id,
         row_number() OVER (PARTITION BY r.node_id, rp.policy_id ORDER BY rp.run_id DESC) AS rn
       FROM policy_run_policies rp JOIN policy_runs r ON r.id = rp.run_id WHERE r.status = 'done'),
     gone AS (
       DELETE FROM policy_run_results rr USING ranked k
       WHERE k.rn > $1 AND rr.run_id = k.run_id AND rr.policy_version_id = k.policy_version_id
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [keep],
  );
  return rows[0]?.n ?? 0;
}

export async function counties(q: Queryable): Promise<{ id: number; path: string; county_id: number }[]> {
  return q.query(`SELECT id, path, county_id FROM org_nodes WHERE type = 'county' AND status = 'active' ORDER BY id`);
}

export async function findNode(
  q: Queryable,
  id: number,
): Promise<{ id: number; path: string; county_id: number } | undefined> {
  const rows = await q.query<{ id: number; path: string; county_id: number }>(
    'SELECT id, path, county_id FROM org_nodes WHERE id = $1',
    [id],
  );
  return rows[0];
}

// ---- explained results -------------------------------------------------------------------------------------------

export type ResultRowDb = {
  resident_id: number;
  name: string;
  id_masked: string;
  id_sealed: Uint8Array;
  sex: 'male' | 'female';
  birth_date: string;
  node_id: number;
  node_path: string;
  place: string | null;
  outcome: 'eligible' | 'near_miss';
  met_mask: string;
  facts: Record<string, unknown>;
  version_id: number;
  is_new: boolean;
  candidate_id: number | null;
  candidate_status: CandidateStatus | null;
  candidate_version: number | null;
};

const PLACE = `(SELECT string_agg(pn.name, '/' ORDER BY pn.depth) FROM org_nodes pn
  WHERE pn.id = ANY(string_to_array(trim(both '/' from res.node_path), '/')::bigint[]) AND pn.depth >= 2)`;

/**
 * Results of a run for one policy: `eligible`, `near_miss`, `new` (eligible, not in the previous run) or `gone`
 * (eligible in the previous run, not in this one: rows of the previous run). `cond` scopes rr.node_path.
 */
export async function listResults(
  q: Queryable,
  cond: string,
  f: {
    runId: number;
    policyId: number;
    previousRunId: number | null;
    outcome?: 'eligible' | 'near_miss' | 'new' | 'gone';
    q?: string;
    nodePath?: string;
    limit: number | null;
    offset: number;
  },
): Promise<{ rows: ResultRowDb[]; total: number }> {
  const params: unknown[] = [f.runId, f.policyId, f.previousRunId];
  const gone = f.outcome === 'gone';
  const where = [cond, 'pv.policy_id = $2'];
  if (gone) {
    where.push('rr.run_id = $3', `rr.outcome = 'eligible'`, `rr.resident_id NOT IN (${ELIGIBLE_IN('$1', '$2')})`);
  } else {
    where.push('rr.run_id = $1');
    if (f.outcome === 'eligible' || f.outcome === 'new') where.push(`rr.outcome = 'eligible'`);
    if (f.outcome === 'near_miss') where.push(`rr.outcome = 'near_miss'`);
    if (f.outcome === 'new')
      where.push(`($3::bigint IS NULL OR rr.resident_id NOT IN (${ELIGIBLE_IN('$3::bigint', '$2')}))`);
  }
  if (f.q) {
    params.push(`%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
    where.push(`res.name LIKE $${params.length}`);
  }
  if (f.nodePath) {
    params.push(f.nodePath);
    where.push(`rr.node_path LIKE $${params.length} || '%'`);
  }
  const from = `policy_run_results rr JOIN policy_versions pv ON pv.id = rr.policy_version_id
    JOIN residents res ON res.id = rr.resident_id`;
  const total = await q.query<{ n: number }>(
    // Every parameter is referenced whatever the filters ($1 … $3 are bound always).
    `SELECT count(*)::int AS n, $1::bigint AS run, $3::bigint AS prev FROM ${from} WHERE ${where.join(' AND ')}`,
    params,
  );
  const isNew = gone
    ? 'false'
    : `rr.outcome = 'eligible' AND ($3::bigint IS NULL OR rr.resident_id NOT IN (${ELIGIBLE_IN('$3::bigint', '$2')}))`;
  const rows = await q.query<ResultRowDb>(
    `SELECT $1::bigint AS run, rr.resident_id, res.name, res.id_masked, res.id_sealed, res.sex, to_char(res.birth_date, 'YYYY-MM-DD') AS birth_date,
       res.node_id, rr.node_path, ${PLACE} AS place, rr.outcome, rr.met_mask::text AS met_mask, rr.facts,
       rr.policy_version_id AS version_id, (${isNew}) AS is_new,
       c.id AS candidate_id, c.status AS candidate_status, c.version AS candidate_version
     FROM ${from}
     LEFT JOIN LATERAL (SELECT c.id, c.status, c.version FROM policy_candidates c
       WHERE c.policy_id = $2 AND c.resident_id = rr.resident_id ORDER BY c.id DESC LIMIT 1) c ON true
     WHERE ${where.join(' AND ')}
     ORDER BY rr.outcome, rr.resident_id
     ${f.limit === null ? '' : `LIMIT ${f.limit}`} OFFSET ${f.offset}`,
    params,
  );
  return { rows, total: total[0]?.n ?? 0 };
}

/** A resident's results in the latest finished run of each policy that evaluated them. */
export async function residentResults(
  q: Queryable,
  residentId: number,
): Promise<
  {
    policy_id: number;
    policy_code: string;
    policy_name: string;
    run_id: number;
    as_of: string;
    outcome: 'eligible' | 'near_miss';
    met_mask: string;
    facts: Record<string, unknown>;
    rule: Rule;
    leaves: Leaf[];
  }[]
> {
  return q.query(
    `SELECT DISTINCT ON (pv.policy_id) pv.policy_id, p.code AS policy_code, p.name AS policy_name, rr.run_id,
       to_char(r.as_of, 'YYYY-MM-DD') AS as_of, rr.outcome, rr.met_mask::text AS met_mask, rr.facts, pv.rule, pv.leaves
     FROM policy_run_results rr JOIN policy_versions pv ON pv.id = rr.policy_version_id
     JOIN policies p ON p.id = pv.policy_id JOIN policy_runs r ON r.id = rr.run_id
     WHERE rr.resident_id = $1 AND r.status = 'done'
       AND rr.run_id = (SELECT max(rp.run_id) FROM policy_run_policies rp JOIN policy_runs r2 ON r2.id = rp.run_id
                        WHERE rp.policy_id = pv.policy_id AND r2.status = 'done' AND r2.node_id = r.node_id)
     ORDER BY pv.policy_id, rr.run_id DESC`,
    [residentId],
  );
}

export async function findResult(
  q: Queryable,
  runId: number,
  versionId: number,
  residentId: number,
): Promise<{ met_mask: string; facts: Record<string, unknown>; outcome: 'eligible' | 'near_miss' } | undefined> {
  const rows = await q.query<{ met_mask: string; facts: Record<string, unknown>; outcome: 'eligible' | 'near_miss' }>(
    `SELECT met_mask::text AS met_mask, facts, outcome FROM policy_run_results
     WHERE run_id = $1 AND policy_version_id = $2 AND resident_id = $3`,
    [runId, versionId, residentId],
  );
  return rows[0];
}

// ---- candidates -------------------------------------------------------------------------------------------------

export type CandidateRow = {
  id: number;
  county_id: number;
  policy_id: number;
  policy_code: string;
  policy_name: string;
  legal_ref: string;
  handled_by: string | null;
  description: string;
  resident_text: string;
  resident_id: number;
  name: string;
  id_masked: string;
  sex: 'male' | 'female';
  birth_date: string;
  node_id: number;
  node_path: string;
  place: string | null;
  status: CandidateStatus;
  run_id: number | null;
  policy_version_id: number;
  found_at: Date;
  due_at: Date | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  reason: string | null;
  receiving_since: string | null;
  receiving_until: string | null;
  version: number;
  updated_at: Date;
};

const CANDIDATE_COLS = `c.id, c.county_id, c.policy_id, p.code AS policy_code, p.name AS policy_name, p.legal_ref,
  p.handled_by, p.description, p.resident_text, c.resident_id, res.name, res.id_masked, res.sex,
  to_char(res.birth_date, 'YYYY-MM-DD') AS birth_date, res.node_id, c.node_path, ${PLACE} AS place, c.status,
  c.run_id, c.policy_version_id, c.found_at, c.due_at, u.display_name AS decided_by_name, c.decided_at, c.reason,
  to_char(c.receiving_since, 'YYYY-MM-DD') AS receiving_since, to_char(c.receiving_until, 'YYYY-MM-DD') AS receiving_until,
  c.version, c.updated_at`;
const CANDIDATE_FROM = `policy_candidates c JOIN policies p ON p.id = c.policy_id
  JOIN residents res ON res.id = c.resident_id LEFT JOIN users u ON u.id = c.decided_by`;

export async function listCandidates(
  q: Queryable,
  cond: string,
  f: {
    status?: string;
    policyId?: number;
    nodePath?: string;
    residentId?: number;
    limit: number;
    offset: number;
  },
): Promise<{ rows: CandidateRow[]; total: number }> {
  const where = [cond];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.status) add('c.status = ?', f.status);
  if (f.policyId) add('c.policy_id = ?', f.policyId);
  if (f.nodePath) add(`c.node_path LIKE ? || '%'`, f.nodePath);
  if (f.residentId) add('c.resident_id = ?', f.residentId);
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM policy_candidates c WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await q.query<CandidateRow>(
    `SELECT ${CANDIDATE_COLS} FROM ${CANDIDATE_FROM} WHERE ${where.join(' AND ')}
     ORDER BY CASE c.status WHEN 'pending' THEN 0 WHEN 'confirmed' THEN 1 ELSE 2 END, c.due_at NULLS LAST, c.id
     LIMIT ${f.limit} OFFSET ${f.offset}`,
    params,
  );
  return { rows, total: total[0]?.n ?? 0 };
}

export async function findCandidate(q: Queryable, id: number, forUpdate = false): Promise<CandidateRow | undefined> {
  const rows = await q.query<CandidateRow>(
    `SELECT ${CANDIDATE_COLS} FROM ${CANDIDATE_FROM} WHERE c.id = $1${forUpdate ? ' FOR UPDATE OF c' : ''}`,
    [id],
  );
  return rows[0];
}

export async function decideCandidate(
  q: Queryable,
  id: number,
  d: {
    status: CandidateStatus;
    decidedBy: number | null;
    reason?: string | null;
    receivingSince?: string | null;
    receivingUntil?: string | null;
  },
): Promise<void> {
  await q.query(
    `UPDATE policy_candidates SET status = $2, decided_by = $3, decided_at = now(),
       reason = CASE WHEN $4::boolean THEN $5 ELSE reason END,
       receiving_since = COALESCE($6::date, receiving_since), receiving_until = COALESCE($7::date, receiving_until),
       version = version + 1, updated_at = now()
     WHERE id = $1`,
    [
      id,
      d.status,
      d.decidedBy,
      d.reason !== undefined,
      d.reason ?? null,
      d.receivingSince ?? null,
      d.receivingUntil ?? null,
    ],
  );
}

export async function candidateHistory(
  q: Queryable,
  id: number,
): Promise<{ at: Date; actor_name: string | null; action: string; reason: string | null }[]> {
  return q.query(
    `SELECT at, actor_name, action, reason FROM audit_log
     WHERE target_type = 'policy_candidate' AND target_id = $1 ORDER BY at, id`,
    [String(id)],
  );
}

/** Open candidacies for "my tasks": pending ones in the caller's area, due first. */
export async function pendingCandidates(
  q: Queryable,
  cond: string,
  now: Date,
  limit: number,
): Promise<
  {
    id: number;
    policy_name: string;
    name: string;
    node_path: string;
    place: string | null;
    due_at: Date | null;
    found_at: Date;
    total: number;
    overdue_total: number;
  }[]
> {
  return q.query(
    `SELECT c.id, p.name AS policy_name, res.name, c.node_path, ${PLACE} AS place, c.due_at, c.found_at,
       count(*) OVER ()::int AS total, (count(*) FILTER (WHERE c.due_at < $1) OVER ())::int AS overdue_total
     FROM policy_candidates c JOIN policies p ON p.id = c.policy_id JOIN residents res ON res.id = c.resident_id
     WHERE c.status = 'pending' AND ${cond}
     ORDER BY c.due_at NULLS LAST, c.id LIMIT ${limit}`,
    [now],
  );
}
