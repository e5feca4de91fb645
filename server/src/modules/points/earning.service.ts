import type { Queryable } from '../../platform/db/client.js';
import { applyCaps, capWindows, ruleAmount } from './earning.logic.js';
import {
  type Currency,
  householdAccount,
  issuerAccount,
  type LedgerAccount,
  postTransfer,
  residentAccount,
} from './ledger.repo.js';

/**
 * Crediting by earning rule: the one way modules turn what a resident did (an activity attended, a report
 * confirmed, a visit, a garbage-sorting check-in, hours volunteered) into points. Pinned contract; the rules'
 * management, the automatic earners and their jobs live beside it (points [B]).
 */

export type EarnTrigger =
  | 'case_confirmed'
  | 'visit_done'
  | 'garbage_checkin'
  | 'volunteer_hour'
  | 'activity'
  | 'manual';

export type EarningRule = {
  id: number;
  code: string;
  name: string;
  trigger: EarnTrigger;
  activityType: string | null;
  currency: Currency;
  amount: number;
  dailyCap: number | null;
  monthlyCap: number | null;
  enabled: boolean;
};

export type CreditResult = {
  /** null: nothing credited (no enabled rule, a cap reached, or the amount came to 0). */
  transferId: number | null;
  amount: number;
  ruleId: number | null;
  /** A cap cut the credit (to `amount`, possibly 0). */
  capped: boolean;
  /** The idempotency key had been used: this is the earlier credit, nothing moved now. */
  duplicate: boolean;
};

const RULE_COLUMNS = `id, code, name, trigger, activity_type AS "activityType", currency, amount,
  daily_cap AS "dailyCap", monthly_cap AS "monthlyCap", enabled`;

/** The enabled rule for a trigger (and an activity type), or for a code (manual awards). */
export async function findEarningRule(
  db: Queryable,
  by: { trigger: EarnTrigger; activityType?: string | null } | { code: string },
): Promise<EarningRule | null> {
  const rows =
    'code' in by
      ? await db.query<EarningRule>(`SELECT ${RULE_COLUMNS} FROM earning_rules WHERE code = $1 AND enabled`, [by.code])
      : await db.query<EarningRule>(
          `SELECT ${RULE_COLUMNS} FROM earning_rules
            WHERE trigger = $1 AND enabled AND activity_type IS NOT DISTINCT FROM $2
            ORDER BY id LIMIT 1`,
          [by.trigger, by.trigger === 'activity' ? (by.activityType ?? null) : null],
        );
  return rows[0] ?? null;
}

/**
 * The account a resident's points land in and are spent from: their own, or their household's when points are kept
 * per household (points_settings.household_mode 'own'); hours and the conduct score are always personal.
 */
export async function earningAccount(db: Queryable, residentId: number, currency: Currency): Promise<LedgerAccount> {
  if (currency === 'points') {
    const [row] = await db.query<{ mode: string; householdId: number | null }>(
      `SELECT s.household_mode AS mode, r.household_id AS "householdId"
         FROM points_settings s, residents r WHERE s.id = 1 AND r.id = $1`,
      [residentId],
    );
    if (row?.mode === 'own' && row.householdId !== null) return householdAccount(db, row.householdId, currency);
  }
  return residentAccount(db, residentId, currency);
}

/**
 * Credits a resident by the rule for `trigger` (or `ruleCode`), from their community's issuer, inside the caller's
 * transaction. Caps count what the rule credited this person (earning_credits, whichever account it landed in) on
 * the Shanghai day and month of `now`, reversed credits excluded; a per-person advisory lock is taken first, so
 * concurrent credits to one person cannot pass a cap together. Once per `idempotencyKey` (a repeat returns the first
 * credit, `duplicate`, and moves nothing).
 */
export async function creditByRule(
  tx: Queryable,
  input: {
    trigger: EarnTrigger;
    activityType?: string | null;
    /** A specific rule (manual awards name theirs). */
    ruleCode?: string;
    residentId: number;
    /** Multiplies the rule's amount (hours for 'volunteer_hour'); default 1. */
    quantity?: number;
    idempotencyKey: string;
    reason: string;
    sourceType: string;
    sourceId: number | null;
    operatorId?: number | null;
    now?: Date;
  },
): Promise<CreditResult> {
  const prior = async () => {
    const [row] = await tx.query<{ id: number; amount: number; ruleId: number | null }>(
      'SELECT id, amount, rule_id AS "ruleId" FROM ledger_transfers WHERE idempotency_key = $1',
      [input.idempotencyKey],
    );
    return row
      ? {
          transferId: Number(row.id),
          amount: Number(row.amount),
          ruleId: row.ruleId === null ? null : Number(row.ruleId),
          capped: false,
          duplicate: true,
        }
      : null;
  };
  const before = await prior();
  if (before) return before;
  const rule = await findEarningRule(
    tx,
    input.ruleCode ? { code: input.ruleCode } : { trigger: input.trigger, activityType: input.activityType ?? null },
  );
  if (!rule) return { transferId: null, amount: 0, ruleId: null, capped: false, duplicate: false };
  if (rule.currency === 'conduct' && !(await conductEnabled(tx))) {
    return { transferId: null, amount: 0, ruleId: null, capped: false, duplicate: false };
  }

  // One person's credits take turns: the caps below see every credit committed before.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('linli.points.earn:' || $1::text, 0))`, [
    input.residentId,
  ]);
  const raced = await prior();
  if (raced) return raced;

  const account = await earningAccount(tx, input.residentId, rule.currency);
  const now = input.now ?? new Date();
  const w = capWindows(now);
  const [earned] = await tx.query<{ today: string | number; month: string | number }>(
    `SELECT COALESCE(sum(c.amount) FILTER (WHERE c.credited_at >= $3 AND c.credited_at < $4), 0)::bigint AS today,
            COALESCE(sum(c.amount), 0)::bigint AS month
       FROM earning_credits c
      WHERE c.resident_id = $1 AND c.rule_id = $2 AND c.credited_at >= $5 AND c.credited_at < $6
        AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.reverses_id = c.transfer_id)`,
    [input.residentId, rule.id, w.dayStart, w.dayEnd, w.monthStart, w.monthEnd],
  );
  const { amount, capped } = applyCaps(
    ruleAmount(Number(rule.amount), input.quantity ?? 1),
    {
      dailyCap: rule.dailyCap === null ? null : Number(rule.dailyCap),
      monthlyCap: rule.monthlyCap === null ? null : Number(rule.monthlyCap),
    },
    { today: Number(earned?.today ?? 0), thisMonth: Number(earned?.month ?? 0) },
  );
  if (amount <= 0) return { transferId: null, amount: 0, ruleId: Number(rule.id), capped, duplicate: false };
  const issuer = await issuerAccount(tx, account.communityId, rule.currency);
  const t = await postTransfer(tx, {
    currency: rule.currency,
    kind: 'earn',
    amount,
    fromAccountId: issuer.id,
    toAccountId: account.id,
    reason: input.reason.slice(0, 200),
    ruleId: rule.id,
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    idempotencyKey: input.idempotencyKey,
    operatorId: input.operatorId ?? null,
  });
  if (!t.created) return (await prior())!;
  await tx.query(
    `INSERT INTO earning_credits (transfer_id, rule_id, resident_id, amount, credited_at) VALUES ($1, $2, $3, $4, $5)`,
    [t.id, rule.id, input.residentId, amount, now],
  );
  return { transferId: Number(t.id), amount, ruleId: Number(rule.id), capped, duplicate: false };
}

async function conductEnabled(q: Queryable): Promise<boolean> {
  const [row] = await q.query<{ on: boolean }>('SELECT conduct_enabled AS on FROM points_settings WHERE id = 1');
  return row?.on === true;
}
