/**
 * SQL of task generation: every statement works on sets (INSERT … SELECT … ON CONFLICT DO NOTHING, UPDATE … FROM),
 * one per rule at most, never a statement per person.
 *
 * Who is responsible for a place (a resident's or household's node path) is found by splitting the path into its
 * ancestors' ids and joining them with the posts and links held there (hash joins, no LIKE between two tables):
 * - grid_worker: an enabled account with a grid_worker post at the nearest grid or micro-grid above the place that
 *   has one (the lowest user id when several); NULL when none;
 * - party_member: the party_household link in force for the household (lowest user id), else the grid worker;
 * - building_leader: the leader_building link in force for the building, else a building_leader post at it, else
 *   the grid worker.
 * `assignee_kind` says who it turned out to be (a party-member rule falling back to the grid worker: grid_worker).
 */
import type { Queryable } from '../../platform/db/client.js';
import type { RuleRow } from './rules.repo.js';

/** CTEs over `places(node_path)` and `$day` (Shanghai date): place_people(node_path, gw, bl_link, bl_post), ph. */
// place_people and ph are MATERIALIZED: computed once, hashed, never re-run per task under a planner that thinks
// visit_tasks is empty (its statistics lag behind a run that just wrote many rows).
function responsibleCtes(dayParam: string): string {
  return `gw_nodes AS (
      SELECT p.node_id, min(p.user_id) AS user_id
        FROM posts p JOIN users u ON u.id = p.user_id AND NOT u.disabled
        JOIN org_nodes n ON n.id = p.node_id AND n.type IN ('grid', 'micro_grid') AND n.status = 'active'
       WHERE p.role = 'grid_worker' GROUP BY p.node_id),
    bl_posts AS (
      SELECT p.node_id, min(p.user_id) AS user_id
        FROM posts p JOIN users u ON u.id = p.user_id AND NOT u.disabled
        JOIN org_nodes n ON n.id = p.node_id AND n.type = 'building'
       WHERE p.role = 'building_leader' GROUP BY p.node_id),
    bl_links AS (
      SELECT l.node_id, min(l.user_id) AS user_id
        FROM grid_links l JOIN users u ON u.id = l.user_id AND NOT u.disabled
       WHERE l.kind = 'leader_building' AND l.ended_at IS NULL AND l.valid_from <= ${dayParam}::date
         AND (l.valid_to IS NULL OR l.valid_to >= ${dayParam}::date)
       GROUP BY l.node_id),
    ph AS MATERIALIZED (
      SELECT l.household_id, min(l.user_id) AS user_id
        FROM grid_links l JOIN users u ON u.id = l.user_id AND NOT u.disabled
       WHERE l.kind = 'party_household' AND l.ended_at IS NULL AND l.valid_from <= ${dayParam}::date
         AND (l.valid_to IS NULL OR l.valid_to >= ${dayParam}::date)
       GROUP BY l.household_id),
    anc AS (
      SELECT pl.node_path, a.id::bigint AS node_id, a.ord
        FROM places pl, unnest(string_to_array(trim(BOTH '/' FROM pl.node_path), '/')) WITH ORDINALITY AS a(id, ord)),
    place_people AS MATERIALIZED (
      SELECT a.node_path,
             (array_agg(g.user_id ORDER BY a.ord DESC) FILTER (WHERE g.user_id IS NOT NULL))[1] AS gw,
             (array_agg(bl.user_id ORDER BY a.ord DESC) FILTER (WHERE bl.user_id IS NOT NULL))[1] AS bl_link,
             (array_agg(bp.user_id ORDER BY a.ord DESC) FILTER (WHERE bp.user_id IS NOT NULL))[1] AS bl_post
        FROM anc a
        LEFT JOIN gw_nodes g ON g.node_id = a.node_id
        LEFT JOIN bl_links bl ON bl.node_id = a.node_id
        LEFT JOIN bl_posts bp ON bp.node_id = a.node_id
       GROUP BY a.node_path)`;
}

/** The responsible account and its kind, for a row with `pp` (place_people), `ph` and the wanted kind. */
function assigneeExprs(want: string): { id: string; kind: string } {
  return {
    id: `CASE ${want}
           WHEN 'party_member' THEN COALESCE(ph.user_id, pp.gw)
           WHEN 'building_leader' THEN COALESCE(pp.bl_link, pp.bl_post, pp.gw)
           ELSE pp.gw END`,
    kind: `CASE
           WHEN ${want} = 'party_member' AND ph.user_id IS NOT NULL THEN 'party_member'
           WHEN ${want} = 'building_leader' AND COALESCE(pp.bl_link, pp.bl_post) IS NOT NULL THEN 'building_leader'
           ELSE 'grid_worker' END`,
  };
}

/**
 * Inserts the tasks of `tgt` (a CTE: subject, reason_key, resident_id, household_id, node_id, node_path,
 * county_id, period_start, due_at, source_ref) not yet made for the rule; returns how many were made.
 * `unique` (periodic rules, many rows): `tgt` already yields each subject and reason once and leaves out those
 * made before (a second anti-join would only make the planner think nothing is left, and join what is left row by
 * row).
 */
async function insertTargets(
  q: Queryable,
  rule: RuleRow,
  tgtSql: string,
  params: unknown[],
  day: string,
  unique = false,
): Promise<number> {
  const p = [...params, rule.id, rule.assignee, day];
  const ruleParam = `$${p.length - 2}`;
  const wantParam = `$${p.length - 1}`;
  const dayParam = `$${p.length}`;
  const a = assigneeExprs(`${wantParam}::text`);
  // A periodic rule's targets left are known only once they are read (often none; on a period's first run every
  // holder): the planner's guess may be one row, and a nested loop over the places would then cost rows × places.
  // Hash joins cost little at any count; the per-holder look-ups written as LATERAL … OFFSET 0 stay nested loops.
  if (unique) await q.query(`SELECT set_config('enable_nestloop', 'off', true)`);
  const rows = await q.query<{ n: number }>(
    `WITH RECURSIVE ${tgtSql},
    fresh AS (${
      unique
        ? 'SELECT * FROM tgt'
        : `SELECT DISTINCT ON (t.subject, t.reason_key) t.* FROM tgt t
       WHERE NOT EXISTS (SELECT 1 FROM visit_tasks x
                          WHERE x.rule_id = ${ruleParam} AND x.subject = t.subject AND x.reason_key = t.reason_key)
       ORDER BY t.subject, t.reason_key`
    }),
    places AS (SELECT DISTINCT node_path FROM fresh),
    ${responsibleCtes(dayParam)},
    ins AS (
      INSERT INTO visit_tasks (county_id, rule_id, subject, reason_key, resident_id, household_id, node_id, node_path,
                               assignee_id, assignee_kind, period_start, due_at, source_ref)
      SELECT f.county_id, ${ruleParam}, f.subject, f.reason_key, f.resident_id, f.household_id, f.node_id, f.node_path,
             ${a.id}, ${a.kind}, f.period_start, f.due_at, f.source_ref
        FROM fresh f
        LEFT JOIN place_people pp ON pp.node_path = f.node_path
        LEFT JOIN ph ON ph.household_id = f.household_id
      ON CONFLICT (rule_id, subject, reason_key) DO NOTHING
      RETURNING 1)
    SELECT count(*)::int AS n FROM ins`,
    p,
  );
  if (unique) await q.query('SET LOCAL enable_nestloop TO DEFAULT');
  return rows[0]?.n ?? 0;
}

/** A periodic rule's tasks for one period: every active holder of the tag (or each household with one). */
export async function generatePeriodic(
  q: Queryable,
  rule: RuleRow,
  period: { start: string; due: Date },
  day: string,
): Promise<number> {
  const params = [rule.tagId, period.start, period.due];
  // Driven from the tag's holders (resident_tags), never from all residents: the holders (or their households)
  // already given this period's task ($4: the rule) are left out first, then each one left is looked up by its key
  // (a LATERAL … OFFSET 0 keeps those look-ups per row, so a run that makes nothing reads no resident row and a
  // first run reads as many as there are holders, however many residents the region has).
  const tgt =
    rule.target === 'household'
      ? `hh AS MATERIALIZED (
          SELECT DISTINCT m.household_id
            FROM resident_tags rt
            CROSS JOIN LATERAL (SELECT r.household_id FROM residents r
                                 WHERE r.id = rt.resident_id AND r.status = 'active' OFFSET 0) m
           WHERE rt.tag_id = $1 AND m.household_id IS NOT NULL),
        tgt AS (
          SELECT 'h' || h.id AS subject, 'p:' || $2::text AS reason_key, NULL::bigint AS resident_id,
                 h.id AS household_id, h.node_id, h.node_path, h.county_id, $2::date AS period_start,
                 $3::timestamptz AS due_at, NULL::text AS source_ref
            FROM hh
            CROSS JOIN LATERAL (SELECT * FROM households h
                                 WHERE h.id = hh.household_id AND h.dissolved_at IS NULL OFFSET 0) h
           WHERE NOT EXISTS (SELECT 1 FROM visit_tasks x
                              WHERE x.rule_id = $4 AND x.subject = 'h' || hh.household_id
                                AND x.reason_key = 'p:' || $2::text))`
      : `tgt AS (
          SELECT 'r' || r.id AS subject, 'p:' || $2::text AS reason_key, r.id AS resident_id, r.household_id,
                 r.node_id, r.node_path, r.county_id, $2::date AS period_start, $3::timestamptz AS due_at,
                 NULL::text AS source_ref
            FROM (SELECT rt.resident_id FROM resident_tags rt
                   WHERE rt.tag_id = $1
                     AND NOT EXISTS (SELECT 1 FROM visit_tasks x
                                      WHERE x.rule_id = $4 AND x.subject = 'r' || rt.resident_id
                                        AND x.reason_key = 'p:' || $2::text)) todo
            CROSS JOIN LATERAL (SELECT * FROM residents r
                                 WHERE r.id = todo.resident_id AND r.status = 'active' OFFSET 0) r)`;
  return insertTargets(q, rule, tgt, params, day, true);
}

/**
 * An event rule's tasks for what happened since `since`: `src` yields (resident_id, household_id, at,
 * reason_key), then the target decides the subject (a resident, or their household).
 */
export async function generateEvent(q: Queryable, rule: RuleRow, since: Date, day: string): Promise<number> {
  const params: unknown[] = [since, rule.dueHours];
  let src: string;
  let extra = '';
  switch (rule.trigger) {
    case 'tag_added':
      params.push(rule.triggerTagId);
      src = `SELECT r.id AS resident_id, r.household_id, rt.created_at AS at,
                    'tag:' || floor(extract(epoch FROM rt.created_at) * 1000)::bigint AS reason_key
               FROM resident_tags rt JOIN residents r ON r.id = rt.resident_id AND r.status = 'active'
              WHERE rt.tag_id = $3 AND rt.created_at >= $1`;
      break;
    case 'resident_deceased':
      src = `SELECT r.id AS resident_id, r.household_id, r.updated_at AS at, 'deceased' AS reason_key
               FROM residents r WHERE r.status = 'deceased' AND r.updated_at >= $1`;
      break;
    case 'case_category':
      params.push(rule.triggerCategoryId);
      extra = `cats AS (SELECT id FROM case_categories WHERE id = $3
                UNION ALL SELECT cc.id FROM case_categories cc JOIN cats ON cc.parent_id = cats.id),`;
      src = `SELECT NULL::bigint AS resident_id,
                    (SELECT min(h.id) FROM households h WHERE h.house_id = c.house_id AND h.dissolved_at IS NULL)
                      AS household_id,
                    c.created_at AS at, 'case:' || c.id AS reason_key
               FROM cases c
              WHERE c.category_id IN (SELECT id FROM cats) AND c.created_at >= $1 AND c.house_id IS NOT NULL
                AND c.stage NOT IN ('cancelled', 'merged') AND c.source <> 'visit'`;
      break;
    case 'alarm_outcome':
      params.push(rule.triggerOutcome);
      src = `SELECT a.resident_id,
                    COALESCE((SELECT r.household_id FROM residents r WHERE r.id = a.resident_id),
                             (SELECT min(h.id) FROM households h WHERE h.house_id = a.house_id AND h.dissolved_at IS NULL))
                      AS household_id,
                    a.resolved_at AS at, 'alarm:' || a.id AS reason_key
               FROM alarms a
              WHERE a.status = 'resolved' AND a.outcome = $3 AND a.resolved_at >= $1`;
      break;
    case 'visit_outcome':
      params.push(rule.triggerRuleId, rule.triggerOutcome);
      src = `SELECT v.resident_id,
                    COALESCE(v.household_id, (SELECT r.household_id FROM residents r WHERE r.id = v.resident_id))
                      AS household_id,
                    v.recorded_at AS at, 'visit:' || v.id AS reason_key
               FROM visits v JOIN visit_tasks vt ON vt.id = v.task_id AND vt.rule_id = $3
              WHERE v.outcome = $4 AND v.recorded_at >= $1`;
      break;
    default:
      return 0;
  }
  const subject =
    rule.target === 'household'
      ? `SELECT 'h' || h.id AS subject, s.reason_key, NULL::bigint AS resident_id, h.id AS household_id, h.node_id,
                h.node_path, h.county_id, NULL::date AS period_start,
                s.at + make_interval(hours => $2::int) AS due_at, s.reason_key AS source_ref
           FROM src s JOIN households h ON h.id = s.household_id AND h.dissolved_at IS NULL`
      : `SELECT 'r' || r.id AS subject, s.reason_key, r.id AS resident_id, r.household_id, r.node_id, r.node_path,
                r.county_id, NULL::date AS period_start, s.at + make_interval(hours => $2::int) AS due_at,
                s.reason_key AS source_ref
           FROM src s
           JOIN residents r ON r.id = COALESCE(s.resident_id,
                  (SELECT h.head_resident_id FROM households h WHERE h.id = s.household_id))`;
  const tgt = `${extra} src AS (${src}), tgt AS (${subject})`;
  return insertTargets(q, rule, tgt, params, day);
}

/**
 * Withdraws open tasks whose facts changed, with the reason: the rule disabled (any task), and for periodic
 * tasks the resident died, moved out, lost the tag (a household: no active member holds it any more), or the
 * household was dissolved. `ruleId` narrows it to one rule (the immediate withdrawal when a rule is disabled).
 *
 * Each reason is its own join driven from the side that says it (disabled rules, residents no longer active and
 * dissolved households through partial indexes; a lost tag as an anti-join of the open tasks of each periodic rule
 * against its tag's holders), never a per-task sub-query; when several reasons hold, the first in that order wins.
 */
export async function withdrawStale(q: Queryable, now: Date, ruleId: number | null = null): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH holders AS MATERIALIZED (
       SELECT DISTINCT vr.id AS rule_id, m.household_id
         FROM visit_rules vr JOIN resident_tags rt ON rt.tag_id = vr.tag_id
         JOIN residents m ON m.id = rt.resident_id AND m.status = 'active'
        WHERE vr.kind = 'periodic' AND vr.enabled AND ($2::bigint IS NULL OR vr.id = $2)
          AND (vr.target = 'household' OR EXISTS (SELECT 1 FROM visit_tasks t
                                                   WHERE t.rule_id = vr.id AND t.status = 'open' AND t.resident_id IS NULL))),
     cand AS (
       SELECT t.id, 1 AS pri, 'rule_disabled' AS reason
         FROM visit_rules vr JOIN visit_tasks t ON t.rule_id = vr.id AND t.status = 'open'
        WHERE NOT vr.enabled AND ($2::bigint IS NULL OR vr.id = $2)
       UNION ALL
       SELECT t.id, CASE r.status WHEN 'deceased' THEN 2 ELSE 3 END,
              CASE r.status WHEN 'deceased' THEN 'deceased' ELSE 'moved_out' END
         FROM residents r JOIN visit_tasks t ON t.resident_id = r.id AND t.status = 'open'
         JOIN visit_rules vr ON vr.id = t.rule_id AND vr.kind = 'periodic' AND ($2::bigint IS NULL OR vr.id = $2)
        WHERE r.status <> 'active'
       UNION ALL
       SELECT t.id, 4, 'household_dissolved'
         FROM households h JOIN visit_tasks t ON t.household_id = h.id AND t.status = 'open' AND t.resident_id IS NULL
         JOIN visit_rules vr ON vr.id = t.rule_id AND vr.kind = 'periodic' AND ($2::bigint IS NULL OR vr.id = $2)
        WHERE h.dissolved_at IS NOT NULL
       UNION ALL
       SELECT t.id, 5, 'tag_removed'
         FROM visit_rules vr JOIN visit_tasks t ON t.rule_id = vr.id AND t.status = 'open' AND t.resident_id IS NOT NULL
        WHERE vr.kind = 'periodic' AND ($2::bigint IS NULL OR vr.id = $2)
          AND NOT EXISTS (SELECT 1 FROM resident_tags rt WHERE rt.resident_id = t.resident_id AND rt.tag_id = vr.tag_id)
       UNION ALL
       SELECT t.id, 5, 'tag_removed'
         FROM visit_rules vr JOIN visit_tasks t ON t.rule_id = vr.id AND t.status = 'open' AND t.resident_id IS NULL
        WHERE vr.kind = 'periodic' AND ($2::bigint IS NULL OR vr.id = $2)
          AND NOT EXISTS (SELECT 1 FROM holders hh WHERE hh.rule_id = vr.id AND hh.household_id = t.household_id)),
     pick AS (SELECT DISTINCT ON (id) id, reason FROM cand ORDER BY id, pri),
     upd AS (
       UPDATE visit_tasks t SET status = 'withdrawn', withdrawn_at = $1, withdrawn_reason = s.reason, updated_at = $1
         FROM pick s WHERE t.id = s.id AND t.status = 'open'
       RETURNING 1)
     SELECT count(*)::int AS n FROM upd`,
    [now, ruleId],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Gives open tasks to the person now responsible when the one holding it is no longer (no enabled account with a
 * post over the place that may visit, no link in force), or when nobody held it, or when it went to the grid worker
 * only for want of the rule's own kind (a party member linked since). A colleague given the task by hand keeps it.
 * Tasks made in this run's transaction (created_at = now()) were just given to the responsible person: skipped.
 */
export async function reassignOpen(q: Queryable, day: string): Promise<number> {
  const a = assigneeExprs('o.want');
  const rows = await q.query<{ n: number }>(
    `WITH open_tasks AS (
       SELECT t.id, t.node_path, t.household_id, t.assignee_id, t.assignee_kind, vr.assignee AS want
         FROM visit_tasks t JOIN visit_rules vr ON vr.id = t.rule_id
        WHERE t.status = 'open' AND t.created_at < now()),
     places AS (SELECT DISTINCT node_path FROM open_tasks),
     ${responsibleCtes('$1')},
     computed AS (
       SELECT o.id, o.want, ${a.id} AS new_id, ${a.kind} AS new_kind
         FROM open_tasks o
         LEFT JOIN place_people pp ON pp.node_path = o.node_path
         LEFT JOIN ph ON ph.household_id = o.household_id),
     upd AS (
       UPDATE visit_tasks t SET assignee_id = c.new_id, assignee_kind = c.new_kind, updated_at = now()
         FROM computed c
        WHERE t.id = c.id AND t.status = 'open' AND c.new_id IS NOT NULL AND t.assignee_id IS DISTINCT FROM c.new_id
          AND (t.assignee_id IS NULL
            OR (t.assignee_kind <> c.want AND c.new_kind = c.want)
            OR NOT (
              EXISTS (SELECT 1 FROM users u JOIN posts p ON p.user_id = u.id LEFT JOIN org_nodes n ON n.id = p.node_id
                       WHERE u.id = t.assignee_id AND NOT u.disabled
                         AND p.role IN ('admin', 'street_admin', 'community_worker', 'grid_worker', 'building_leader')
                         AND (p.node_id IS NULL OR t.node_path LIKE n.path || '%'))
              OR EXISTS (SELECT 1 FROM grid_links l JOIN users u ON u.id = l.user_id AND NOT u.disabled
                          WHERE l.user_id = t.assignee_id AND l.ended_at IS NULL
                            AND l.valid_from <= $1::date AND (l.valid_to IS NULL OR l.valid_to >= $1::date)
                            AND ((l.kind = 'party_household' AND l.household_id = t.household_id)
                              OR (l.kind <> 'party_household' AND t.node_path LIKE l.node_path || '%')))))
       RETURNING 1)
     SELECT count(*)::int AS n FROM upd`,
    [day],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Serialises generation runs (the daily job, the events job, "generate now") for the transaction, and sets the
 * transaction up for a batch: no JIT (compiling the large plans cost about a second a statement, more than running
 * them), and memory enough to hash and sort the open tasks without spilling to disk.
 */
export async function lockGeneration(q: Queryable): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['visits.generate']);
  await q.query(`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`);
}

/** Fresh statistics after a large run (in the run's transaction, as imports do). */
export async function analyzeTasks(q: Queryable): Promise<void> {
  await q.query('ANALYZE visit_tasks');
}
