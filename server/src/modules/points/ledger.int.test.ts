import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { buildUser, newSession } from '../../test/factories.js';
import { buildResident, firstNodeUnder } from '../../test/people-factories.js';
import { buildMerchant, fundResident, linkUserToResident } from '../../test/points-factories.js';
import { describeEachDb } from '../../test/test-app.js';
import { ledgerCheckOk } from './ledger.logic.js';
import { issuerAccount, merchantAccount, postTransfer, reverseTransfer } from './ledger.repo.js';
import { checkLedger } from './ledger.service.js';

const codeOf = (err: unknown) => (err instanceof AppError ? err.code : `raw:${(err as Error).message}`);

async function balanceOf(db: Queryable, id: number): Promise<number> {
  const [a] = await db.query<{ balance: number }>('SELECT balance FROM ledger_accounts WHERE id = $1', [id]);
  return Number(a!.balance);
}

describeEachDb('points ledger engine', (env) => {
  /** A fresh merchant account in the demo community, funded by the issuer. */
  async function fundedAccount(amount: number): Promise<{ id: number; issuerId: number }> {
    const m = await buildMerchant(env.db, { nodeId: env.ids.community! });
    const a = await merchantAccount(env.db, m.id, 'points');
    const issuer = await issuerAccount(env.db, m.communityId, 'points');
    if (amount > 0)
      await postTransfer(env.db, {
        currency: 'points',
        kind: 'adjust',
        amount,
        fromAccountId: issuer.id,
        toAccountId: a.id,
        reason: '测试充值',
      });
    return { id: a.id, issuerId: issuer.id };
  }

  it('200 racing debits of 10 from 500: exactly 50 succeed, the rest are insufficient, balance 0', async () => {
    const a = await fundedAccount(500);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        env.db.transaction((tx) =>
          postTransfer(tx, {
            currency: 'points',
            kind: 'redeem',
            amount: 10,
            fromAccountId: a.id,
            toAccountId: a.issuerId,
            reason: `并发扣减 ${i}`,
          }),
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => codeOf((r as PromiseRejectedResult).reason));
    expect(ok).toHaveLength(50);
    expect(new Set(refused)).toEqual(new Set(['LEDGER_INSUFFICIENT_BALANCE']));
    expect(refused).toHaveLength(150);
    expect(await balanceOf(env.db, a.id)).toBe(0);
    const [n] = await env.db.query<{ n: number }>(
      'SELECT COUNT(*)::int AS n FROM ledger_movements WHERE account_id = $1 AND amount = -10',
      [a.id],
    );
    expect(n!.n).toBe(50);
    // the balance after each successful debit is distinct: 490, 480, …, 0
    const afters = await env.db.query<{ b: number }>(
      'SELECT balance_after AS b FROM ledger_movements WHERE account_id = $1 AND amount = -10 ORDER BY id',
      [a.id],
    );
    expect(afters.map((r) => Number(r.b))).toEqual(Array.from({ length: 50 }, (_, i) => 490 - i * 10));
  });

  it('opposite-direction transfers on one pair run without deadlock and net out', async () => {
    const a = await fundedAccount(1000);
    const b = await fundedAccount(1000);
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        env.db.transaction((tx) =>
          postTransfer(tx, {
            currency: 'points',
            kind: 'transfer',
            amount: 7,
            fromAccountId: i % 2 === 0 ? a.id : b.id,
            toAccountId: i % 2 === 0 ? b.id : a.id,
            reason: `对向转账 ${i}`,
          }),
        ),
      ),
    );
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => codeOf((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
    expect(await balanceOf(env.db, a.id)).toBe(1000);
    expect(await balanceOf(env.db, b.id)).toBe(1000);
  });

  it('concurrent credits with one idempotency key move once', async () => {
    const a = await fundedAccount(0);
    const key = `test:idem:${a.id}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        env.db.transaction((tx) =>
          postTransfer(tx, {
            currency: 'points',
            kind: 'earn',
            amount: 7,
            fromAccountId: a.issuerId,
            toAccountId: a.id,
            reason: '幂等入账',
            idempotencyKey: key,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await balanceOf(env.db, a.id)).toBe(7);
  });

  it('a reversal happens once, even when two race; a reversal is not reversible', async () => {
    const a = await fundedAccount(0);
    const t = await postTransfer(env.db, {
      currency: 'points',
      kind: 'adjust',
      amount: 30,
      fromAccountId: a.issuerId,
      toAccountId: a.id,
      reason: '待冲正',
    });
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => env.db.transaction((tx) => reverseTransfer(tx, t.id, { reason: '冲正' }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect(codeOf((r as PromiseRejectedResult).reason)).toBe('LEDGER_ALREADY_REVERSED');
    expect(await balanceOf(env.db, a.id)).toBe(0);
    const rev = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: number }>).value;
    await expect(reverseTransfer(env.db, rev.id, { reason: 'again' })).rejects.toMatchObject({
      code: 'LEDGER_NOT_REVERSIBLE',
    });
  });

  it('refuses to update or delete ledger rows (append-only trigger)', async () => {
    const a = await fundedAccount(5);
    const [t] = await env.db.query<{ id: number }>(
      'SELECT transfer_id AS id FROM ledger_movements WHERE account_id = $1',
      [a.id],
    );
    await expect(env.db.query('UPDATE ledger_transfers SET amount = 6 WHERE id = $1', [t!.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(env.db.query('DELETE FROM ledger_movements WHERE transfer_id = $1', [t!.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(env.db.query('DELETE FROM ledger_transfers WHERE id = $1', [t!.id])).rejects.toThrow(/append-only/);
    expect(await balanceOf(env.db, a.id)).toBe(5);
  });

  describe('checkLedger', () => {
    it('finds the ledger consistent after all of the above, then names a forged movement', async () => {
      const before = await checkLedger(env.db);
      expect(before.sums.find((s) => s.currency === 'points')?.sum).toBe(0);
      expect(before.balanceMismatches).toEqual([]);
      expect(before.brokenTransfers).toEqual([]);
      expect(ledgerCheckOk(before)).toBe(true);

      // forge: a lone movement (inserts are allowed; only updates/deletes are refused)
      const a = await fundedAccount(10);
      const [t] = await env.db.query<{ id: number }>(
        'SELECT transfer_id AS id FROM ledger_movements WHERE account_id = $1',
        [a.id],
      );
      await env.db.query(
        'INSERT INTO ledger_movements (transfer_id, account_id, amount, balance_after) VALUES ($1, $2, 3, 13)',
        [t!.id, a.id],
      );
      const after = await checkLedger(env.db);
      expect(ledgerCheckOk(after)).toBe(false);
      expect(after.balanceMismatches).toEqual([{ accountId: a.id, balance: 10, movementSum: 13 }]);
      expect(after.brokenTransfers).toEqual([{ transferId: t!.id, movements: 3 }]);
    });
  });
});

describeEachDb('points ledger routes', (env) => {
  let resident: { id: number; name: string };
  let outsider: { id: number };
  const post = (user: string, url: string, payload: object) => env.as(user, { method: 'POST', url, payload });
  const get = (user: string, url: string) => env.as(user, { method: 'GET', url });
  const balance = async (residentId: number) => {
    const [a] = await env.db.query<{ balance: number }>(
      `SELECT balance FROM ledger_accounts WHERE kind = 'resident' AND resident_id = $1 AND currency = 'points'`,
      [residentId],
    );
    return a ? Number(a.balance) : null;
  };

  it('sets up residents inside and outside 东关社区', async () => {
    resident = await buildResident(env, { nodeId: env.ids.unit!, name: '积分测试甲' });
    const other = await firstNodeUnder(env.db, env.ids.street!, 'community', 1);
    outsider = await buildResident(env, { nodeId: await firstNodeUnder(env.db, other, 'unit'), name: '外社区乙' });
    expect(resident.id).toBeGreaterThan(0);
  });

  it('awards and deducts (kind adjust), never below zero; refuses without the permission or outside the scope', async () => {
    const ok = await post('shequ', '/api/points/awards', {
      residentId: resident.id,
      currency: 'points',
      amount: 50,
      reason: '楼道清扫',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ amount: 50, balance: 50, capped: false });
    const [t] = await env.db.query<{ kind: string; operator_id: number }>(
      'SELECT kind, operator_id FROM ledger_transfers WHERE id = $1',
      [ok.json().transferId],
    );
    expect(t!.kind).toBe('adjust');
    const audit = await env.db.query(`SELECT 1 FROM audit_log WHERE action = 'points.award' AND target_id = $1`, [
      String(resident.id),
    ]);
    expect(audit).toHaveLength(1);

    const tooMuch = await post('shequ', '/api/points/awards', {
      residentId: resident.id,
      currency: 'points',
      amount: -80,
      reason: '扣分测试',
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe('LEDGER_INSUFFICIENT_BALANCE');
    expect(await balance(resident.id)).toBe(50);

    const deduct = await post('shequ', '/api/points/awards', {
      residentId: resident.id,
      currency: 'points',
      amount: -20,
      reason: '违规停车',
    });
    expect(deduct.statusCode).toBe(201);
    expect(deduct.json()).toMatchObject({ amount: -20, balance: 30 });

    const zero = await post('shequ', '/api/points/awards', {
      residentId: resident.id,
      currency: 'points',
      amount: 0,
      reason: '零分',
    });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().field).toBe('amount');

    for (const [user, status, code] of [
      ['wangge', 403, 'FORBIDDEN'],
      ['jumin', 403, 'FORBIDDEN'],
    ] as const) {
      const r = await post(user, '/api/points/awards', {
        residentId: resident.id,
        currency: 'points',
        amount: 5,
        reason: '无权',
      });
      expect(r.statusCode).toBe(status);
      expect(r.json().code).toBe(code);
    }
    const outside = await post('shequ', '/api/points/awards', {
      residentId: outsider.id,
      currency: 'points',
      amount: 5,
      reason: '范围外',
    });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe('RESIDENT_NOT_FOUND');
    expect(await balance(resident.id)).toBe(30);
    expect(await balance(outsider.id)).toBeNull();
  });

  it('awards by a manual rule within its daily cap', async () => {
    await env.db.query(
      `INSERT INTO earning_rules (code, name, trigger, amount, daily_cap) VALUES ('test_manual', '手工奖励', 'manual', 10, 30)`,
    );
    const first = await post('shequ', '/api/points/awards', {
      residentId: resident.id,
      currency: 'points',
      amount: 40,
      reason: '志愿服务',
      ruleCode: 'test_manual',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ amount: 30, balance: 60, capped: true });
    const again = await post('shequ', '/api/points/awards', {
      residentId: resident.id,
      currency: 'points',
      amount: 10,
      reason: '志愿服务',
      ruleCode: 'test_manual',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('POINTS_AWARD_CAPPED');
    const wrong = await post('shequ', '/api/points/awards', {
      residentId: resident.id,
      currency: 'points',
      amount: 10,
      reason: '志愿服务',
      ruleCode: 'no_such_rule',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('ruleCode');
    expect(await balance(resident.id)).toBe(60);
  });

  it('lists accounts in the area and shows a passbook newest first with counterparts', async () => {
    const list = await get('shequ', `/api/points/accounts?kind=resident&q=${encodeURIComponent('积分测试')}`);
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: number; label: string; balance: number; residentId: number }[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ label: '积分测试甲', balance: 60, residentId: resident.id });
    const none = await get('shequ', `/api/points/accounts?q=${encodeURIComponent('外社区')}`);
    expect(none.json().items).toEqual([]);

    const pb = await get('wangge', `/api/points/accounts/${items[0]!.id}/movements?limit=2`);
    expect(pb.statusCode).toBe(200);
    const body = pb.json();
    expect(body.items.map((m: { amount: number }) => m.amount)).toEqual([30, -20]);
    expect(body.items[0]).toMatchObject({ kind: 'earn', balanceAfter: 60, counterpart: { kind: 'issuer' } });
    expect(body.items[1]).toMatchObject({ kind: 'adjust', reason: '违规停车', balanceAfter: 30 });
    expect(body.nextCursor).toBe(body.items[1].id);
    const rest = await get('wangge', `/api/points/accounts/${items[0]!.id}/movements?cursor=${body.nextCursor}`);
    expect(rest.json().items.map((m: { amount: number }) => m.amount)).toEqual([50]);
    expect(rest.json().nextCursor).toBeNull();
    expect((await get('jumin', `/api/points/accounts/${items[0]!.id}/movements`)).statusCode).toBe(403);

    // outside the scope: not found
    await fundResident(env.db, outsider.id, 5);
    const [oa] = await env.db.query<{ id: number }>(
      `SELECT id FROM ledger_accounts WHERE resident_id = $1 AND kind = 'resident'`,
      [outsider.id],
    );
    const hidden = await get('shequ', `/api/points/accounts/${oa!.id}/movements`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('LEDGER_ACCOUNT_NOT_FOUND');
    expect((await get('jiedao', `/api/points/accounts/${oa!.id}/movements`)).statusCode).toBe(200);
  });

  it('reverses a deduction once; refuses without points.manage', async () => {
    const [d] = await env.db.query<{ id: number }>(
      `SELECT t.id FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.from_account_id
        WHERE a.resident_id = $1 AND t.kind = 'adjust'`,
      [resident.id],
    );
    const refused = await post('wangge', `/api/points/transfers/${d!.id}/reverse`, { reason: '误扣' });
    expect(refused.statusCode).toBe(403);
    expect(await balance(resident.id)).toBe(60);
    const ok = await post('shequ', `/api/points/transfers/${d!.id}/reverse`, { reason: '误扣' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().reversesId).toBe(d!.id);
    expect(await balance(resident.id)).toBe(80);
    const again = await post('shequ', `/api/points/transfers/${d!.id}/reverse`, { reason: '误扣' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('LEDGER_ALREADY_REVERSED');
    expect(await balance(resident.id)).toBe(80);
    const audit = await env.db.query(`SELECT 1 FROM audit_log WHERE action = 'points.reverse' AND target_id = $1`, [
      String(d!.id),
    ]);
    expect(audit).toHaveLength(1);
  });

  it("shows a resident's points and the totals, consistent, and exports them", async () => {
    const r = await get('wangge', `/api/points/residents/${resident.id}`);
    expect(r.statusCode).toBe(200);
    expect(r.json().balances.find((b: { currency: string }) => b.currency === 'points').balance).toBe(80);
    expect(r.json().recent.length).toBeGreaterThanOrEqual(4);
    expect((await get('shequ', `/api/points/residents/${outsider.id}`)).statusCode).toBe(404);

    const t = await get('shequ', '/api/points/totals');
    expect(t.statusCode).toBe(200);
    const body = t.json();
    expect(body.consistent).toBe(true);
    const row = body.rows.find((x: { communityId: number; currency: string }) => x.communityId === env.ids.community);
    expect(row).toMatchObject({ currency: 'points', issued: 80, reversed: 20, heldByResidents: 80, sum: 0 });
    expect(body.rows.every((x: { communityId: number }) => x.communityId === env.ids.community)).toBe(true);
    const all = await get('jiedao', '/api/points/totals');
    expect(all.json().total.find((x: { currency: string }) => x.currency === 'points').heldByResidents).toBe(85);
    expect((await get('jumin', '/api/points/totals')).statusCode).toBe(403);

    const x = await get('shequ', '/api/points/totals/export');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('gives a linked resident their own points and passbook; 409 without a record', async () => {
    const u = await buildUser(env, { role: 'resident' });
    const cookie = await newSession(env, u);
    const me = (url: string) => env.app.inject({ method: 'GET', url, headers: { cookie } });
    const no = await me('/api/me/points');
    expect(no.statusCode).toBe(409);
    expect(no.json().code).toBe('LEDGER_NO_RESIDENT');
    await linkUserToResident(env.db, u.id, resident.id);
    const mine = await me('/api/me/points');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().resident).toEqual({ id: resident.id, name: '积分测试甲' });
    expect(mine.json().balances.find((b: { currency: string }) => b.currency === 'points').balance).toBe(80);
    const pb = await me('/api/me/points/movements?limit=1');
    expect(pb.json()).toMatchObject({ currency: 'points', balance: 80 });
    expect(pb.json().items[0]).toMatchObject({ kind: 'reverse', amount: 20 });
    const hours = await me('/api/me/points/movements?currency=hours');
    expect(hours.json()).toEqual({ currency: 'hours', balance: 0, items: [], nextCursor: null });
  });
});
