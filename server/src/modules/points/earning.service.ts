import type { Queryable } from '../../platform/db/client.js';
import { shanghaiDay, shanghaiMidnight } from '../cases/calendar.logic.js';
import { applyCaps, ruleAmount } from './earning.logic.js';
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
 * transaction. Caps count what the rule credited the same account this Shanghai day and month (reversed credits
 * excluded); the account row is locked first, so concurrent credits to one person cannot pass a cap together.
 * Once per `idempotencyKey`.
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
  const rule = await findEarningRule(
    tx,
    input.ruleCode ? { code: input.ruleCode } : { trigger: input.trigger, activityType: input.activityType ?? null },
  );
  if (!rule) return { transferId: null, amount: 0, ruleId: null, capped: false, duplicate: false };
  const [prior] = await tx.query<{ id: number; amount: number }>(
    'SELECT id, amount FROM ledger_transfers WHERE idempotency_key = $1',
    [input.idempotencyKey],
  );
  if (prior) return { transferId: prior.id, amount: prior.amount, ruleId: rule.id, capped: false, duplicate: true };

  const account = await earningAccount(tx, input.residentId, rule.currency);
  await tx.query('SELECT id FROM ledger_accounts WHERE id = $1 FOR UPDATE', [account.id]);
  const now = input.now ?? new Date();
  const day = shanghaiDay(now);
  const [earned] = await tx.query<{ today: number; month: number }>(
    `SELECT COALESCE(sum(t.amount) FILTER (WHERE t.created_at >= $3), 0)::bigint AS today,
            COALESCE(sum(t.amount), 0)::bigint AS month
       FROM ledger_transfers t
      WHERE t.rule_id = $1 AND t.to_account_id = $2 AND t.kind = 'earn' AND t.created_at >= $4
        AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.reverses_id = t.id)`,
    [rule.id, account.id, new Date(shanghaiMidnight(day)), new Date(shanghaiMidnight(`${day.slice(0, 7)}-01`))],
  );
  const { amount, capped } = applyCaps(
    ruleAmount(rule.amount, input.quantity ?? 1),
    { dailyCap: rule.dailyCap, monthlyCap: rule.monthlyCap },
    { today: Number(earned?.today ?? 0), thisMonth: Number(earned?.month ?? 0) },
  );
  if (amount <= 0) return { transferId: null, amount: 0, ruleId: rule.id, capped, duplicate: false };
  const issuer = await issuerAccount(tx, account.communityId, rule.currency);
  const t = await postTransfer(tx, {
    currency: rule.currency,
    kind: 'earn',
    amount,
    fromAccountId: issuer.id,
    toAccountId: account.id,
    reason: input.reason,
    ruleId: rule.id,
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    idempotencyKey: input.idempotencyKey,
    operatorId: input.operatorId ?? null,
  });
  return { transferId: t.id, amount, ruleId: rule.id, capped, duplicate: !t.created };
}
