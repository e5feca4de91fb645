/**
 * The timed rules (no use, high use, silence), evaluated every minute over all active devices in a few set-based
 * statements: rules and per-person overrides become a small table of parameter variants (computed here: quiet
 * hours and the no-use window across midnight in Shanghai time), and one statement per kind returns only the
 * devices whose alarm must be raised or cleared. The ladder's lost steps are swept on the same beat.
 */
import { Type } from 'typebox';
import type { Queryable } from '../../platform/db/client.js';
import type { Jobs } from '../../platform/jobs/index.js';
import {
  type AlarmDeps,
  clearAlarms,
  LADDER_JOB,
  LadderPayload,
  raiseAlarms,
  runLadderStep,
  sweepLadder,
} from './alarms.service.js';
import type { AlarmTrigger, HighUseParams, NoUseParams, RuleKind, SilentParams } from './devices.schemas.js';
import {
  decideHighUse,
  decideNoUse,
  decideSilent,
  isQuiet,
  mergeOverride,
  noUseWindowStart,
  quietOf,
  type StoredRule,
} from './rules.logic.js';

export const EVALUATE_JOB = 'devices.evaluate';
const TIMED_KINDS = ['no_use', 'high_use', 'silent'] as const;
/** Raises and clears are written in transactions of this many (a thousand silent meters do not make one huge one). */
const CHUNK = 500;
/** How far before a window's start a reading may lie to count as the reading "at" its start. */
const BASELINE_LOOKBACK = '2 days';

type RuleRow = {
  id: number;
  code: string;
  type_code: string;
  kind: RuleKind;
  params: Record<string, unknown>;
  severity: StoredRule['severity'];
  auto_resolve: boolean;
  enabled: boolean;
};

type Variant = {
  vid: number;
  ruleId: number;
  kind: (typeof TIMED_KINDS)[number];
  params: Record<string, unknown>;
  /** no_use/high_use: the window's start; silent: heard from after this is not silent. */
  from: Date;
  limit: number;
  /** no_use inside quiet hours: the rule says nothing now. */
  skip: boolean;
};

/** Rules and overrides → parameter variants; which variant each (rule, resident) uses (0: off for them). */
async function variantsOf(q: Queryable, now: Date) {
  const rules = await q.query<RuleRow>(
    `SELECT r.id, r.code, r.type_code, r.kind, r.params, r.severity, r.auto_resolve, r.enabled
       FROM device_rules r JOIN device_types t ON t.code = r.type_code
      WHERE r.enabled AND t.active AND r.kind = ANY($1::text[])`,
    [TIMED_KINDS],
  );
  const overrides =
    rules.length === 0
      ? []
      : await q.query<{ rule_id: number; resident_id: number; params: Record<string, unknown>; enabled: boolean }>(
          'SELECT rule_id, resident_id, params, enabled FROM device_rule_overrides WHERE rule_id = ANY($1::bigint[])',
          [rules.map((r) => r.id)],
        );
  const variants: Variant[] = [];
  const byKey = new Map<string, number>();
  const variantFor = (rule: RuleRow, params: Record<string, unknown>): number => {
    const key = `${rule.id}:${JSON.stringify(params)}`;
    const found = byKey.get(key);
    if (found) return found;
    const vid = variants.length + 1;
    const kind = rule.kind as Variant['kind'];
    let v: Variant;
    if (kind === 'no_use') {
      const p = params as NoUseParams;
      const quiet = quietOf(p.quietStart, p.quietEnd);
      v = {
        vid,
        ruleId: Number(rule.id),
        kind,
        params,
        from: noUseWindowStart(now, Number(p.windowHours), quiet),
        limit: Number(p.minUse),
        skip: isQuiet(now, p.quietStart, p.quietEnd),
      };
    } else if (kind === 'high_use') {
      const p = params as HighUseParams;
      v = {
        vid,
        ruleId: Number(rule.id),
        kind,
        params,
        from: new Date(now.getTime() - Number(p.windowMinutes) * 60_000),
        limit: Number(p.maxUse),
        skip: false,
      };
    } else {
      const p = params as SilentParams;
      v = {
        vid,
        ruleId: Number(rule.id),
        kind,
        params,
        from: new Date(now.getTime() - Number(p.minutes) * 60_000),
        limit: Number(p.minutes),
        skip: false,
      };
    }
    // A rule whose params are unusable (a metric missing) is left out rather than stopping the others.
    if (!Number.isFinite(v.from.getTime()) || !Number.isFinite(v.limit)) v.skip = true;
    if ((kind === 'no_use' || kind === 'high_use') && typeof params.metric !== 'string') v.skip = true;
    variants.push(v);
    byKey.set(key, vid);
    return vid;
  };
  const stored = (r: RuleRow): StoredRule => ({
    id: Number(r.id),
    code: r.code,
    kind: r.kind,
    params: r.params ?? {},
    severity: r.severity,
    autoResolve: r.auto_resolve,
    enabled: r.enabled,
  });
  const base = rules.map((r) => ({ ruleId: Number(r.id), typeCode: r.type_code, vid: variantFor(r, r.params ?? {}) }));
  const ruleById = new Map(rules.map((r) => [Number(r.id), r]));
  const over = overrides.map((o) => {
    const rule = ruleById.get(Number(o.rule_id))!;
    const eff = mergeOverride(stored(rule), { params: o.params ?? {}, enabled: o.enabled });
    return {
      ruleId: Number(o.rule_id),
      residentId: Number(o.resident_id),
      vid: eff ? variantFor(rule, eff.params as Record<string, unknown>) : 0,
    };
  });
  return { variants, base, over };
}

type UseRow = { device_id: number; rule_id: number; vid: number; away: boolean; used: number };
type SilentRow = { device_id: number; rule_id: number; vid: number; last_seen_at: Date | null; since: Date };

/** The devices of each rule with the variant that applies to their resident (rules of `kinds` only). */
function devicesCte(kinds: string[]): string {
  return `
    b AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[]) AS b(rule_id, type_code, vid)),
    o AS (SELECT * FROM unnest($4::bigint[], $5::bigint[], $6::int[]) AS o(rule_id, resident_id, vid)),
    v AS (SELECT * FROM unnest($7::int[], $8::text[], $9::text[], $10::timestamptz[], $11::float8[], $12::bool[])
            AS v(vid, kind, metric, from_ts, limit_val, skip)),
    dv AS (
      SELECT d.id AS device_id, d.resident_id, b.rule_id, COALESCE(o.vid, b.vid) AS vid
        FROM b JOIN devices d ON d.type_code = b.type_code AND d.status = 'active'
        LEFT JOIN o ON o.rule_id = b.rule_id AND o.resident_id = d.resident_id
    ),
    x AS (
      SELECT dv.*, v.kind, v.metric, v.from_ts, v.limit_val, oa.id AS open_id, oa.cleared_at
        FROM dv JOIN v ON v.vid = dv.vid AND NOT v.skip AND v.kind IN (${kinds.map((k) => `'${k}'`).join(', ')})
        LEFT JOIN alarms oa ON oa.device_id = dv.device_id AND oa.rule_id = dv.rule_id AND oa.status <> 'resolved'
    )`;
}

/**
 * Evaluates the timed rules of every active device at `now`: raises alarms whose condition holds (and that are not
 * open already), clears open ones whose condition stopped holding, and takes overdue ladder steps.
 * @returns devices looked at, alarms raised, alarms cleared
 */
export async function evaluateTimedRules(
  deps: AlarmDeps,
  now: Date,
): Promise<{ evaluated: number; raised: number; cleared: number }> {
  const { variants, base, over } = await variantsOf(deps.db, now);
  let evaluated = 0;
  const triggers: AlarmTrigger[] = [];
  const clears: { deviceId: number; ruleId: number }[] = [];
  if (base.length > 0) {
    const params = [
      base.map((b) => b.ruleId),
      base.map((b) => b.typeCode),
      base.map((b) => b.vid),
      over.map((o) => o.ruleId),
      over.map((o) => o.residentId),
      over.map((o) => o.vid),
      variants.map((v) => v.vid),
      variants.map((v) => v.kind),
      variants.map((v) => (typeof v.params.metric === 'string' ? v.params.metric : '')),
      variants.map((v) => v.from),
      variants.map((v) => v.limit),
      variants.map((v) => v.skip),
      now,
    ];
    const byVid = new Map(variants.map((v) => [v.vid, v]));
    const countRows = await deps.db.query<{ n: number }>(
      `SELECT count(DISTINCT d.id)::int AS n FROM devices d
        WHERE d.status = 'active' AND d.type_code = ANY($1::text[])`,
      [[...new Set(base.map((b) => b.typeCode))]],
    );
    evaluated = countRows[0]?.n ?? 0;

    if (variants.some((v) => !v.skip && (v.kind === 'no_use' || v.kind === 'high_use'))) {
      // used = the latest reading minus the reading at or before the window's start (index probes on the
      // telemetry key); only rows whose alarm must change come back.
      const rows = await deps.db.query<UseRow>(
        `WITH ${devicesCte(['no_use', 'high_use'])},
         -- The latest reading once per device and metric (several rules read the same register), from no earlier
         -- than the oldest window start less the look-back.
         m AS (SELECT device_id, metric, min(from_ts) AS from_ts FROM x GROUP BY device_id, metric),
         lst AS MATERIALIZED (
           SELECT m.device_id, m.metric, l.value
             FROM m JOIN LATERAL (SELECT t.value FROM telemetry t
                                   WHERE t.device_id = m.device_id AND t.metric = m.metric
                                     AND t.ts <= $13 AND t.ts > m.from_ts - interval '${BASELINE_LOOKBACK}'
                                   ORDER BY t.ts DESC LIMIT 1) l ON true
         ),
         y AS (
           SELECT x.device_id, x.rule_id, x.vid, x.kind, x.limit_val, x.open_id, x.cleared_at,
                  EXISTS (SELECT 1 FROM resident_away w WHERE w.resident_id = x.resident_id AND w.from_at <= $13
                            AND (w.until_at IS NULL OR w.until_at > $13)) AS away,
                  lst.value - base.value AS used
             FROM x
             JOIN lst ON lst.device_id = x.device_id AND lst.metric = x.metric
             JOIN LATERAL (SELECT t.value FROM telemetry t
                            WHERE t.device_id = x.device_id AND t.metric = x.metric
                              AND t.ts <= x.from_ts AND t.ts > x.from_ts - interval '${BASELINE_LOOKBACK}'
                            ORDER BY t.ts DESC LIMIT 1) base ON true
         )
         SELECT device_id, rule_id, vid, away, used FROM y
          WHERE CASE WHEN kind = 'no_use' THEN
                  NOT away AND (
                    (GREATEST(used, 0) < limit_val AND (open_id IS NULL OR cleared_at IS NOT NULL))
                    OR (used >= limit_val AND open_id IS NOT NULL AND cleared_at IS NULL))
                ELSE
                  (used > limit_val AND (open_id IS NULL OR cleared_at IS NOT NULL))
                  OR (used <= limit_val AND open_id IS NOT NULL AND cleared_at IS NULL)
                END`,
        params,
      );
      for (const r of rows) {
        const v = byVid.get(r.vid)!;
        const used = Number(r.used);
        const d =
          v.kind === 'no_use'
            ? decideNoUse(v.params as NoUseParams, { used, away: r.away, quiet: v.skip, windowStart: v.from })
            : decideHighUse(v.params as HighUseParams, { used });
        if (d.decision === 'fire')
          triggers.push({ deviceId: r.device_id, ruleId: r.rule_id, at: now, detail: d.detail });
        else if (d.decision === 'clear') clears.push({ deviceId: r.device_id, ruleId: r.rule_id });
      }
    }

    if (variants.some((v) => !v.skip && v.kind === 'silent')) {
      const rows = await deps.db.query<SilentRow>(
        `WITH ${devicesCte(['silent'])},
         y AS (
           SELECT x.device_id, x.rule_id, x.vid, x.from_ts, x.open_id, x.cleared_at, d.last_seen_at,
                  GREATEST(d.created_at, COALESCE(d.installed_on::timestamp AT TIME ZONE 'Asia/Shanghai', d.created_at))
                    AS since
             FROM x JOIN devices d ON d.id = x.device_id
            WHERE $13::timestamptz IS NOT NULL
         )
         SELECT device_id, rule_id, vid, last_seen_at, since FROM y
          WHERE (COALESCE(last_seen_at, since) <= from_ts AND (open_id IS NULL OR cleared_at IS NOT NULL))
             OR (COALESCE(last_seen_at, since) > from_ts AND open_id IS NOT NULL AND cleared_at IS NULL)`,
        params,
      );
      for (const r of rows) {
        const v = byVid.get(r.vid)!;
        const d = decideSilent(v.params as SilentParams, { now, lastSeenAt: r.last_seen_at, since: r.since });
        if (d.decision === 'fire')
          triggers.push({ deviceId: r.device_id, ruleId: r.rule_id, at: now, detail: d.detail });
        else clears.push({ deviceId: r.device_id, ruleId: r.rule_id });
      }
    }
  }

  let raised = 0;
  let cleared = 0;
  for (let i = 0; i < triggers.length; i += CHUNK) {
    const chunk = triggers.slice(i, i + CHUNK);
    raised += (await deps.db.transaction((tx) => raiseAlarms(deps, tx, chunk, { now }))).raised.length;
  }
  for (let i = 0; i < clears.length; i += CHUNK) {
    const chunk = clears.slice(i, i + CHUNK);
    cleared += (await deps.db.transaction((tx) => clearAlarms(deps, tx, chunk, now))).cleared.length;
  }
  await sweepLadder(deps, now);
  return { evaluated, raised, cleared };
}

/** The ladder's step job and the evaluator on cron every minute. */
export async function registerAlarmJobs(jobs: Jobs, deps: AlarmDeps): Promise<void> {
  jobs.register({
    name: LADDER_JOB,
    schema: LadderPayload,
    handler: async (p) => {
      await runLadderStep(deps, p as { alarmId: number; step: number });
    },
  });
  jobs.register({
    name: EVALUATE_JOB,
    schema: Type.Object({}),
    // A minute's run is replaced by the next minute's: no retries piling up behind.
    retryLimit: 0,
    expireInSeconds: 120,
    concurrency: 1,
    handler: async () => {
      await evaluateTimedRules(deps, new Date());
    },
  });
  await jobs.schedule(EVALUATE_JOB, '* * * * *');
}
