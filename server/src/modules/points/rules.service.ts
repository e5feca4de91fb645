/**
 * Earning rules (积分规则) and the installation's points settings, installation-wide: read by whoever reads points
 * anywhere (points.read) or configures them (points.config); changed by points.config only (system administrators).
 * Every change is audited and checked against the version read (409 on a stale one).
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, hasPermission } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { ruleProblem } from './earning.logic.js';
import type {
  EarningRuleCreate,
  EarningRulePatch,
  EarningRuleView,
  PointsSettingsPut,
  PointsSettingsView,
} from './rules.schemas.js';

type RuleRow = {
  id: number;
  code: string;
  name: string;
  description: string | null;
  trigger: string;
  activityType: string | null;
  currency: 'points' | 'hours' | 'conduct';
  amount: number;
  dailyCap: number | null;
  monthlyCap: number | null;
  enabled: boolean;
  builtin: boolean;
  version: number;
  credited: number;
  updatedAt: Date;
};

type RuleValues = Pick<
  RuleRow,
  'name' | 'description' | 'trigger' | 'activityType' | 'currency' | 'amount' | 'dailyCap' | 'monthlyCap' | 'enabled'
>;

const SELECT_RULE = `SELECT r.id, r.code, r.name, r.description, r.trigger, r.activity_type AS "activityType", r.currency,
    r.amount, r.daily_cap AS "dailyCap", r.monthly_cap AS "monthlyCap", r.enabled, r.builtin, r.version,
    r.updated_at AS "updatedAt",
    (SELECT COALESCE(sum(c.amount), 0) FROM earning_credits c WHERE c.rule_id = r.id
       AND NOT EXISTS (SELECT 1 FROM ledger_transfers x WHERE x.reverses_id = c.transfer_id))::bigint AS credited
  FROM earning_rules r`;

const n = (v: number | string | null) => (v === null ? null : Number(v));

function toView(r: RuleRow): EarningRuleView {
  return {
    id: Number(r.id),
    code: r.code,
    name: r.name,
    description: r.description,
    trigger: r.trigger,
    activityType: r.activityType,
    currency: r.currency,
    amount: Number(r.amount),
    dailyCap: n(r.dailyCap),
    monthlyCap: n(r.monthlyCap),
    enabled: r.enabled,
    builtin: r.builtin,
    version: r.version,
    credited: Number(r.credited),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function assertRead(ctx: Ctx): void {
  if (hasPermission(ctx.principal, 'points.read') || hasPermission(ctx.principal, 'points.config')) return;
  assertCan(ctx.principal, 'points.config', null);
}

function assertConfig(ctx: Ctx): void {
  assertCan(ctx.principal, 'points.config', null);
}

async function findRule(q: Queryable, id: number, lock = false): Promise<RuleRow | null> {
  if (lock) await q.query('SELECT id FROM earning_rules WHERE id = $1 FOR UPDATE', [id]);
  const rows = await q.query<RuleRow>(`${SELECT_RULE} WHERE r.id = $1`, [id]);
  return rows[0] ?? null;
}

/** Every rule, enabled first, by trigger. @throws FORBIDDEN */
export async function listRules(db: Db, ctx: Ctx): Promise<EarningRuleView[]> {
  assertRead(ctx);
  const rows = await db.query<RuleRow>(
    `${SELECT_RULE} ORDER BY r.enabled DESC, r.trigger, r.activity_type NULLS FIRST, r.id`,
  );
  return rows.map(toView);
}

/** A rule as it would be stored: its fields, the conduct setting, no second enabled rule for the same trigger. */
async function check(q: Queryable, v: RuleValues, id: number | null): Promise<void> {
  const problem = ruleProblem(v);
  if (problem) {
    throw new AppError('EARNING_RULE_INVALID', {
      field: problem.field,
      params: { field: problem.field, reason: problem.reason },
    });
  }
  if (!v.enabled) return;
  if (v.currency === 'conduct') {
    const [s] = await q.query<{ on: boolean }>('SELECT conduct_enabled AS on FROM points_settings WHERE id = 1');
    if (!s?.on) throw new AppError('EARNING_RULE_CONDUCT_OFF', { field: 'currency' });
  }
  if (v.trigger === 'manual') return; // awards name their rule by code: several may be on
  const [other] = await q.query<{ code: string }>(
    `SELECT code FROM earning_rules WHERE enabled AND trigger = $1 AND activity_type IS NOT DISTINCT FROM $2
        AND id IS DISTINCT FROM $3::bigint LIMIT 1`,
    [v.trigger, v.activityType, id],
  );
  if (other) throw new AppError('EARNING_RULE_DUPLICATE', { field: 'trigger', params: { rule: other.code } });
}

function auditView(v: RuleValues): Record<string, unknown> {
  return { ...v };
}

/** @throws FORBIDDEN, EARNING_RULE_INVALID (field), EARNING_RULE_CODE_TAKEN, EARNING_RULE_DUPLICATE, EARNING_RULE_CONDUCT_OFF */
export async function createRule(db: Db, ctx: Ctx, body: EarningRuleCreate): Promise<EarningRuleView> {
  assertConfig(ctx);
  const v: RuleValues = {
    name: body.name,
    description: body.description ?? null,
    trigger: body.trigger,
    activityType: body.activityType ?? null,
    currency: body.currency ?? 'points',
    amount: body.amount,
    dailyCap: body.dailyCap ?? null,
    monthlyCap: body.monthlyCap ?? null,
    enabled: body.enabled ?? true,
  };
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('linli.earning_rules'))`);
    await check(tx, v, null);
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO earning_rules (code, name, description, trigger, activity_type, currency, amount, daily_cap,
         monthly_cap, enabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (code) DO NOTHING RETURNING id`,
      [
        body.code,
        v.name,
        v.description,
        v.trigger,
        v.activityType,
        v.currency,
        v.amount,
        v.dailyCap,
        v.monthlyCap,
        v.enabled,
      ],
    );
    const id = rows[0]?.id;
    if (id === undefined) throw new AppError('EARNING_RULE_CODE_TAKEN', { field: 'code', params: { code: body.code } });
    await recordAudit(tx, ctx, {
      action: 'earning_rule.create',
      targetType: 'earning_rule',
      targetId: Number(id),
      targetLabel: v.name,
      scopePath: null,
      countyId: null,
      before: null,
      after: { code: body.code, ...auditView(v) },
    });
    return toView((await findRule(tx, Number(id)))!);
  });
}

/**
 * Changes a rule (code, currency and builtin stay). The version sent must be the stored one.
 * @throws FORBIDDEN, EARNING_RULE_NOT_FOUND, EARNING_RULE_VERSION_CONFLICT, EARNING_RULE_INVALID (field),
 *   EARNING_RULE_DUPLICATE, EARNING_RULE_CONDUCT_OFF
 */
export async function updateRule(
  db: Db,
  ctx: Ctx,
  id: number,
  body: EarningRulePatch,
  action = 'earning_rule.update',
): Promise<EarningRuleView> {
  assertConfig(ctx);
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('linli.earning_rules'))`);
    const before = await findRule(tx, id, true);
    if (!before) throw new AppError('EARNING_RULE_NOT_FOUND');
    if (before.version !== body.version) throw new AppError('EARNING_RULE_VERSION_CONFLICT', { field: 'version' });
    const old: RuleValues = {
      name: before.name,
      description: before.description,
      trigger: before.trigger,
      activityType: before.activityType,
      currency: before.currency,
      amount: Number(before.amount),
      dailyCap: n(before.dailyCap),
      monthlyCap: n(before.monthlyCap),
      enabled: before.enabled,
    };
    const { version: _version, ...changes } = body;
    const v = { ...old } as RuleValues;
    for (const [k, value] of Object.entries(changes)) {
      if (value !== undefined) (v as Record<string, unknown>)[k] = value;
    }
    if (changes.trigger !== undefined && changes.trigger !== 'activity' && changes.activityType === undefined) {
      v.activityType = null; // a switch away from 'activity' leaves no stale type behind
    }
    await check(tx, v, id);
    await tx.query(
      `UPDATE earning_rules SET name = $2, description = $3, trigger = $4, activity_type = $5, amount = $6,
         daily_cap = $7, monthly_cap = $8, enabled = $9, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, v.name, v.description, v.trigger, v.activityType, v.amount, v.dailyCap, v.monthlyCap, v.enabled],
    );
    await recordAudit(tx, ctx, {
      action,
      targetType: 'earning_rule',
      targetId: id,
      targetLabel: v.name,
      scopePath: null,
      countyId: null,
      before: auditView(old),
      after: auditView(v),
    });
    return toView((await findRule(tx, id))!);
  });
}

/** Enables or disables a rule (the version read). */
export function setRuleEnabled(db: Db, ctx: Ctx, id: number, version: number, enabled: boolean) {
  return updateRule(db, ctx, id, { version, enabled }, enabled ? 'earning_rule.enable' : 'earning_rule.disable');
}

// ---- settings ---------------------------------------------------------------------------------------------------

type SettingsRow = {
  householdMode: 'sum' | 'own';
  expiryPolicy: 'none' | 'yearly';
  expiryYears: number;
  conductEnabled: boolean;
  pointsPerYuan: number;
  version: number;
  updatedAt: Date;
};

async function readSettings(q: Queryable, lock = false): Promise<SettingsRow> {
  const [row] = await q.query<SettingsRow>(
    `SELECT household_mode AS "householdMode", expiry_policy AS "expiryPolicy", expiry_years AS "expiryYears",
            conduct_enabled AS "conductEnabled", points_per_yuan AS "pointsPerYuan", version, updated_at AS "updatedAt"
       FROM points_settings WHERE id = 1${lock ? ' FOR UPDATE' : ''}`,
  );
  return row!;
}

function settingsView(r: SettingsRow): PointsSettingsView {
  return {
    householdMode: r.householdMode,
    expiryPolicy: r.expiryPolicy,
    expiryYears: Number(r.expiryYears),
    conductEnabled: r.conductEnabled,
    pointsPerYuan: Number(r.pointsPerYuan),
    version: r.version,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

/** The settings (points.read or points.config). @throws FORBIDDEN */
export async function getSettings(db: Db, ctx: Ctx): Promise<PointsSettingsView> {
  assertRead(ctx);
  return settingsView(await readSettings(db));
}

/**
 * Replaces the settings (points.config), audited. Turning the conduct score off disables its rules.
 * @throws FORBIDDEN, POINTS_SETTINGS_VERSION_CONFLICT
 */
export async function putSettings(db: Db, ctx: Ctx, body: PointsSettingsPut): Promise<PointsSettingsView> {
  assertConfig(ctx);
  return db.transaction(async (tx) => {
    const before = await readSettings(tx, true);
    if (before.version !== body.version) throw new AppError('POINTS_SETTINGS_VERSION_CONFLICT', { field: 'version' });
    await tx.query(
      `UPDATE points_settings SET household_mode = $1, expiry_policy = $2, expiry_years = $3, conduct_enabled = $4,
         points_per_yuan = $5, version = version + 1, updated_at = now(), updated_by = $6 WHERE id = 1`,
      [
        body.householdMode,
        body.expiryPolicy,
        body.expiryYears,
        body.conductEnabled,
        body.pointsPerYuan,
        ctx.principal.userId > 0 ? ctx.principal.userId : null,
      ],
    );
    if (before.conductEnabled && !body.conductEnabled) {
      await tx.query(
        `UPDATE earning_rules SET enabled = false, version = version + 1, updated_at = now()
          WHERE currency = 'conduct' AND enabled`,
      );
    }
    const { version: _v, ...after } = body;
    const { version: _bv, updatedAt: _u, ...old } = settingsView(before);
    await recordAudit(tx, ctx, {
      action: 'points_settings.update',
      targetType: 'points_settings',
      targetId: 1,
      targetLabel: null,
      scopePath: null,
      countyId: null,
      before: old,
      after,
    });
    return settingsView(await readSettings(tx));
  });
}
