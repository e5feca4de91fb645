import { expect, it } from 'vitest';
import { loadDemoPointsHistory } from '../../demo/demo-points-a.js';
import { buildResident } from '../../test/people-factories.js';
import { fundResident, linkUserToResident } from '../../test/points-factories.js';
import { describeEachDb } from '../../test/test-app.js';
import { EXPIRE_JOB } from './expiry.jobs.js';
import { expirePoints } from './expiry.service.js';
import { issuerAccount, postTransfer, reverseTransfer } from './ledger.repo.js';

describeEachDb('points expiry', (env) => {
  const balanceOf = async (id: number) =>
    Number((await env.db.query<{ b: number }>('SELECT balance AS b FROM ledger_accounts WHERE id = $1', [id]))[0]!.b);

  it('does nothing under the policy none; under yearly expires the unspent part, once, oldest first', async () => {
    const r = await buildResident(env, { nodeId: env.ids.unit!, name: '过期测试' });
    const { accountId } = await fundResident(env.db, r.id, 100);
    const issuer = await issuerAccount(env.db, env.ids.community!, 'points');
    await postTransfer(env.db, {
      currency: 'points',
      kind: 'redeem',
      amount: 30,
      fromAccountId: accountId,
      toAccountId: issuer.id,
      reason: '兑换',
    });
    const thisYear = new Date().getUTCFullYear();
    const later = new Date(Date.UTC(thisYear + 2, 0, 5));

    expect(await expirePoints(env.db, { now: later })).toMatchObject({ policy: 'none', transfers: 0 });
    expect(await balanceOf(accountId)).toBe(70);

    await env.db.query(`UPDATE points_settings SET expiry_policy = 'yearly', expiry_years = 1 WHERE id = 1`);
    // next year: still spendable (last spending year is next year)
    expect((await expirePoints(env.db, { now: new Date(Date.UTC(thisYear + 1, 5, 1)) })).transfers).toBe(0);
    expect(await balanceOf(accountId)).toBe(70);

    const first = await expirePoints(env.db, { now: later });
    expect(first).toMatchObject({ policy: 'yearly', transfers: 1, points: 70 });
    expect(await balanceOf(accountId)).toBe(0);
    const [t] = await env.db.query<{ id: number; kind: string; amount: number; key: string; to: number }>(
      `SELECT id, kind, amount, idempotency_key AS key, to_account_id AS to FROM ledger_transfers
        WHERE from_account_id = $1 AND kind = 'expire'`,
      [accountId],
    );
    expect(t).toMatchObject({ kind: 'expire', amount: 70, key: `expire:${accountId}:${thisYear}`, to: issuer.id });

    // a rerun moves nothing; a worker's reversal of the expiry is not expired again (the key)
    expect((await expirePoints(env.db, { now: later })).transfers).toBe(0);
    await reverseTransfer(env.db, t!.id, { reason: '误过期' });
    expect(await balanceOf(accountId)).toBe(70);
    expect((await expirePoints(env.db, { now: later })).transfers).toBe(0);
    expect(await balanceOf(accountId)).toBe(70);
    await env.db.query(`UPDATE points_settings SET expiry_policy = 'none' WHERE id = 1`);
  });

  it('registers the daily job at 01:10 Shanghai', async () => {
    const rows = await env.db.query<{ cron: string; timezone: string }>(
      'SELECT cron, timezone FROM pgboss.schedule WHERE name = $1',
      [EXPIRE_JOB],
    );
    expect(rows).toEqual([{ cron: '10 1 * * *', timezone: 'Asia/Shanghai' }]);
  });

  it('the demo history gives jumin four transfers once (idempotency keys demo:a:…)', async () => {
    expect(await loadDemoPointsHistory(env.db)).toBe(0); // jumin not linked yet
    const r = await buildResident(env, { nodeId: env.ids.unit!, name: '演示居民' });
    const [u] = await env.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'jumin'`);
    await linkUserToResident(env.db, u!.id, r.id);
    expect(await loadDemoPointsHistory(env.db)).toBe(4);
    expect(await loadDemoPointsHistory(env.db)).toBe(0);
    const [a] = await env.db.query<{ balance: number }>(
      `SELECT balance FROM ledger_accounts WHERE kind = 'resident' AND resident_id = $1 AND currency = 'points'`,
      [r.id],
    );
    expect(Number(a!.balance)).toBe(90);
  });

  it('in December reminds the holders of what expires at the end of the year, once', async () => {
    await env.db.query(`UPDATE points_settings SET expiry_policy = 'yearly', expiry_years = 1 WHERE id = 1`);
    const nextDecember = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 11, 10));
    const r = await expirePoints(env.db, { now: nextDecember });
    expect(r.transfers).toBe(0);
    expect(r.reminded).toBe(1); // jumin's 90 (the other resident has no account of their own)
    const msgs = await env.db.query<{ payload: { points: number } }>(
      `SELECT m.payload FROM inbox_messages m JOIN users u ON u.id = m.user_id
        WHERE u.username = 'jumin' AND m.kind = 'points.expiring'`,
    );
    expect(msgs.map((m) => m.payload.points)).toEqual([90]);
    expect((await expirePoints(env.db, { now: nextDecember })).reminded).toBe(0);
    // in November nothing is said
    await env.db.query(`UPDATE points_settings SET expiry_policy = 'none' WHERE id = 1`);
  });
});
