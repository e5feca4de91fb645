import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expiredLots,
  expiringThisYear,
  expiryKey,
  fifoLots,
  formatLedgerCheck,
  type LedgerCheck,
  ledgerCheckOk,
} from './ledger.logic.js';

describe('fifoLots', () => {
  it('keeps one lot per year of credits', () => {
    expect(
      fifoLots([
        { year: 2024, amount: 10 },
        { year: 2024, amount: 5 },
        { year: 2025, amount: 7 },
      ]),
    ).toEqual([
      { year: 2024, remaining: 15 },
      { year: 2025, remaining: 7 },
    ]);
  });

  it('spends the oldest credits first, across years', () => {
    expect(
      fifoLots([
        { year: 2024, amount: 10 },
        { year: 2025, amount: 20 },
        { year: 2025, amount: -15 },
      ]),
    ).toEqual([{ year: 2025, remaining: 15 }]);
  });

  it('a debit after a later credit still consumes the older lot first', () => {
    expect(
      fifoLots([
        { year: 2023, amount: 8 },
        { year: 2024, amount: 8 },
        { year: 2025, amount: 8 },
        { year: 2025, amount: -3 },
      ]),
    ).toEqual([
      { year: 2023, remaining: 5 },
      { year: 2024, remaining: 8 },
      { year: 2025, remaining: 8 },
    ]);
  });

  it('everything spent leaves no lots; an overdraft is covered by the next credit first', () => {
    expect(
      fifoLots([
        { year: 2024, amount: 10 },
        { year: 2024, amount: -10 },
      ]),
    ).toEqual([]);
    expect(
      fifoLots([
        { year: 2024, amount: -4 },
        { year: 2025, amount: 10 },
      ]),
    ).toEqual([{ year: 2025, remaining: 6 }]);
  });

  it('refuses movements out of year order and fractional amounts', () => {
    expect(() =>
      fifoLots([
        { year: 2025, amount: 1 },
        { year: 2024, amount: 1 },
      ]),
    ).toThrow(/order/);
    expect(() => fifoLots([{ year: 2025, amount: 1.5 }])).toThrow();
  });

  it('lots always sum to the balance when it is not negative (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dy: fc.integer({ min: 0, max: 1 }), amount: fc.integer({ min: -50, max: 50 }) })),
        (steps) => {
          let year = 2020;
          const moves = steps.map((s) => {
            year += s.dy;
            return { year, amount: s.amount };
          });
          const lots = fifoLots(moves);
          const sumLots = lots.reduce((a, l) => a + l.remaining, 0);
          // running balance never below 0 in a real account; here compare with max(0, ...) semantics
          let overdraft = 0;
          let held = 0;
          for (const m of moves) {
            if (m.amount > 0) {
              const c = Math.min(m.amount, overdraft);
              overdraft -= c;
              held += m.amount - c;
            } else {
              const d = Math.min(-m.amount, held);
              held -= d;
              overdraft += -m.amount - d;
            }
          }
          expect(sumLots).toBe(held);
          for (const l of lots) expect(l.remaining).toBeGreaterThan(0);
          for (let i = 1; i < lots.length; i++) expect(lots[i]!.year).toBeGreaterThan(lots[i - 1]!.year);
        },
      ),
    );
  });
});

describe('expiredLots', () => {
  const moves = [
    { year: 2023, amount: 100 },
    { year: 2024, amount: 50 },
    { year: 2024, amount: -30 }, // spends from 2023
    { year: 2025, amount: 40 },
  ];

  it('points earned in Y expire after the end of Y + expiryYears (1 year)', () => {
    expect(expiredLots(moves, 1, 2024)).toEqual([]); // 2023's last spending year is 2024
    expect(expiredLots(moves, 1, 2025)).toEqual([{ year: 2023, remaining: 70 }]);
    expect(expiredLots(moves, 1, 2026)).toEqual([
      { year: 2023, remaining: 70 },
      { year: 2024, remaining: 50 },
    ]);
  });

  it('with 2 years they last one year longer', () => {
    expect(expiredLots(moves, 2, 2025)).toEqual([]);
    expect(expiredLots(moves, 2, 2026)).toEqual([{ year: 2023, remaining: 70 }]);
  });

  it('an expiry already posted (a debit) consumes the lot: a rerun finds nothing', () => {
    const after = [...moves, { year: 2025, amount: -70 }];
    expect(expiredLots(after, 1, 2025)).toEqual([]);
  });

  it('spending everything before the end leaves nothing to expire', () => {
    expect(expiredLots([...moves, { year: 2024, amount: -120 }], 1, 2025)).toEqual([]);
  });

  it('refuses a non-positive number of years', () => {
    expect(() => expiredLots(moves, 0, 2025)).toThrow();
  });
});

describe('expiringThisYear and keys', () => {
  it('sums what reaches its last spending year now', () => {
    expect(
      expiringThisYear(
        [
          { year: 2024, amount: 30 },
          { year: 2025, amount: 20 },
          { year: 2025, amount: -10 },
        ],
        1,
        2025,
      ),
    ).toBe(20);
    expect(expiringThisYear([{ year: 2025, amount: 20 }], 1, 2025)).toBe(0);
  });

  it('keys are per account and earning year', () => {
    expect(expiryKey(12, 2024)).toBe('expire:12:2024');
    expect(expiryKey(12, 2024)).not.toBe(expiryKey(12, 2025));
  });
});

describe('ledger check verdict', () => {
  const ok: LedgerCheck = {
    sums: [{ currency: 'points', sum: 0 }],
    balanceMismatches: [],
    brokenTransfers: [],
    limitBreaches: [],
  };
  it('is ok only when every sum is 0 and nothing is listed', () => {
    expect(ledgerCheckOk(ok)).toBe(true);
    expect(ledgerCheckOk({ ...ok, sums: [{ currency: 'points', sum: 3 }] })).toBe(false);
    expect(ledgerCheckOk({ ...ok, brokenTransfers: [{ transferId: 1, movements: 1 }] })).toBe(false);
    expect(ledgerCheckOk({ ...ok, balanceMismatches: [{ accountId: 1, balance: 2, movementSum: 1 }] })).toBe(false);
    expect(
      ledgerCheckOk({ ...ok, limitBreaches: [{ accountId: 1, balance: -1, minBalance: 0, maxBalance: null }] }),
    ).toBe(false);
    expect(formatLedgerCheck(ok).at(-1)).toBe('ledger consistent');
    expect(formatLedgerCheck({ ...ok, sums: [{ currency: 'points', sum: 3 }] }).join('\n')).toMatch(/MISMATCH/);
  });
});
