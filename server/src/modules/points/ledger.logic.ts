/**
 * Pure ledger logic: points expiry (FIFO over an account's movements) and the ledger check's verdict.
 *
 * Expiry (points_settings.expiry_policy 'yearly'): what an account received in year Y expires at the end of year
 * Y + expiryYears. What expires is what of those credits has not been spent since: every debit (a redemption, a
 * deduction, an earlier expiry, a reversal) consumes the oldest credits first.
 */

export type LotMovement = {
  /** The Asia/Shanghai calendar year of the movement. */
  year: number;
  /** Signed: a credit is positive, a debit negative. */
  amount: number;
};

export type Lot = { year: number; remaining: number };

/**
 * The unspent part of each year's credits after the movements (in the order given: oldest first). A debit beyond
 * every lot (an issuer-like account going negative) leaves all lots empty; later credits start new lots.
 */
export function fifoLots(movements: readonly LotMovement[]): Lot[] {
  const lots: Lot[] = [];
  let overdraft = 0; // debits not yet covered by any credit
  for (const m of movements) {
    if (!Number.isSafeInteger(m.amount) || !Number.isSafeInteger(m.year)) throw new Error('movement not whole');
    if (m.amount > 0) {
      let credit = m.amount;
      const covered = Math.min(credit, overdraft);
      overdraft -= covered;
      credit -= covered;
      if (credit === 0) continue;
      const last = lots[lots.length - 1];
      if (last && last.year === m.year) last.remaining += credit;
      else if (last && last.year > m.year) throw new Error('movements out of order');
      else lots.push({ year: m.year, remaining: credit });
    } else if (m.amount < 0) {
      let debit = -m.amount;
      for (const lot of lots) {
        if (debit === 0) break;
        const take = Math.min(lot.remaining, debit);
        lot.remaining -= take;
        debit -= take;
      }
      overdraft += debit;
      while (lots.length > 0 && lots[0]!.remaining === 0) lots.shift();
    }
  }
  return lots.filter((l) => l.remaining > 0);
}

/** The last calendar year in which points earned in `earnedYear` can still be spent. */
export function lastSpendingYear(earnedYear: number, expiryYears: number): number {
  return earnedYear + expiryYears;
}

/**
 * What has expired by `currentYear` (i.e. lots whose last spending year lies before it), per earning year, given
 * the account's movements so far (earlier expiries included: they consumed the oldest lots, so a repeat finds
 * nothing left).
 */
export function expiredLots(movements: readonly LotMovement[], expiryYears: number, currentYear: number): Lot[] {
  if (!Number.isInteger(expiryYears) || expiryYears < 1) throw new Error('expiryYears must be a positive integer');
  return fifoLots(movements).filter((l) => lastSpendingYear(l.year, expiryYears) < currentYear);
}

/** What will expire at the end of `currentYear` unless spent (for the reminder a month before). */
export function expiringThisYear(movements: readonly LotMovement[], expiryYears: number, currentYear: number): number {
  return fifoLots(movements)
    .filter((l) => lastSpendingYear(l.year, expiryYears) === currentYear)
    .reduce((s, l) => s + l.remaining, 0);
}

/** The idempotency key of an account's expiry of one earning year (a rerun of the job moves nothing). */
export function expiryKey(accountId: number, earnedYear: number): string {
  return `expire:${accountId}:${earnedYear}`;
}

// ---- the ledger check ----------------------------------------------------------------------------------------

export type LedgerCheck = {
  /** Per currency, the sum of every account's balance (0 when consistent). */
  sums: { currency: string; sum: number }[];
  /** Accounts whose stored balance differs from the sum of their movements (or the last balance_after). */
  balanceMismatches: { accountId: number; balance: number; movementSum: number }[];
  /** Transfers without exactly two movements that cancel out on the transfer's two accounts. */
  brokenTransfers: { transferId: number; movements: number }[];
  /** Accounts below their minimum or above their maximum. */
  limitBreaches: { accountId: number; balance: number; minBalance: number | null; maxBalance: number | null }[];
};

export function ledgerCheckOk(c: LedgerCheck): boolean {
  return (
    c.sums.every((s) => s.sum === 0) &&
    c.balanceMismatches.length === 0 &&
    c.brokenTransfers.length === 0 &&
    c.limitBreaches.length === 0
  );
}

/** Lines for the CLI: a summary and every problem found. */
export function formatLedgerCheck(c: LedgerCheck): string[] {
  const lines = c.sums.map((s) => `${s.currency}: sum over accounts ${s.sum}${s.sum === 0 ? '' : '  MISMATCH'}`);
  if (c.sums.length === 0) lines.push('no accounts');
  for (const m of c.balanceMismatches)
    lines.push(`account ${m.accountId}: balance ${m.balance} but movements sum to ${m.movementSum}`);
  for (const t of c.brokenTransfers) lines.push(`transfer ${t.transferId}: ${t.movements} movement(s), not two`);
  for (const b of c.limitBreaches)
    lines.push(
      `account ${b.accountId}: balance ${b.balance} outside [${b.minBalance ?? '-∞'}, ${b.maxBalance ?? '∞'}]`,
    );
  lines.push(ledgerCheckOk(c) ? 'ledger consistent' : 'ledger INCONSISTENT');
  return lines;
}
