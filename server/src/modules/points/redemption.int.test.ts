import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { buildUser, newSession } from '../../test/factories.js';
import { buildResident } from '../../test/people-factories.js';
import { buildGoods, buildMerchant, fundResident, linkUserToResident } from '../../test/points-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import type {
  CodeIssued,
  CodeStatus,
  Counter,
  LookupResult,
  Redemption,
  RedemptionList,
} from './redemption.schemas.js';

type Err = { code?: string; field?: string; message?: string };

describeEachDb('redemption at the counter (兑换)', (env: TestEnv) => {
  const post = (user: string, url: string, payload?: Record<string, unknown>) =>
    env.as(user, { method: 'POST', url, ...(payload ? { payload } : {}) });
  const get = (user: string, url: string) => env.as(user, { method: 'GET', url });
  const userId = async (u: string) =>
    Number((await env.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [u]))[0]!.id);
  const balanceOf = async (accountId: number) =>
    Number(
      (await env.db.query<{ b: number }>('SELECT balance AS b FROM ledger_accounts WHERE id = $1', [accountId]))[0]!.b,
    );
  const stockOf = async (goodsId: number) =>
    Number((await env.db.query<{ s: number }>('SELECT stock AS s FROM merchant_goods WHERE id = $1', [goodsId]))[0]!.s);
  const newCode = async () => {
    const res = await post('jumin', '/api/me/points/codes');
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as CodeIssued;
  };

  let merchant: { id: number };
  let soap: { id: number; price: number };
  let rice: { id: number; price: number };
  let other: { id: number; price: number }; // goods of another merchant
  let accountId: number;

  beforeAll(async () => {
    const resident = await buildResident(env, { nodeId: env.ids.unit!, name: '陈小明' });
    await linkUserToResident(env.db, await userId('jumin'), resident.id);
    accountId = (await fundResident(env.db, resident.id, 500)).accountId;
    merchant = await buildMerchant(env.db, {
      nodeId: env.ids.community!,
      name: '东关便民超市',
      staffUserIds: [await userId('shanghu')],
    });
    soap = await buildGoods(env.db, { merchantId: merchant.id, name: '肥皂', price: 30, stock: 5 });
    rice = await buildGoods(env.db, { merchantId: merchant.id, name: '大米', price: 200, stock: 1 });
    const elsewhere = await buildMerchant(env.db, { nodeId: env.ids.community!, name: '别家商户' });
    other = await buildGoods(env.db, { merchantId: elsewhere.id, name: '别家商品', price: 10, stock: 5 });
  });

  it('gives the resident a code (only its hash stored) that supersedes the earlier one', async () => {
    const first = await newCode();
    expect(first.code).toMatch(/^[0-9]{8}$/);
    expect(first.balance).toBe(500);
    expect(new Date(first.expiresAt).getTime() - Date.now()).toBeGreaterThan(100_000);
    const stored = await env.db.query<{ code_hash: Buffer }>('SELECT code_hash FROM redemption_codes WHERE id = $1', [
      first.id,
    ]);
    expect(Buffer.from(stored[0]!.code_hash).toString('hex')).toHaveLength(64);
    expect(Buffer.from(stored[0]!.code_hash).toString('utf8')).not.toContain(first.code);
    const second = await newCode();
    const old = await post('shanghu', '/api/merchant/redeem/lookup', { code: first.code });
    expect(old.statusCode).toBe(409);
    expect((old.json() as Err).code).toBe('REDEEM_CODE_EXPIRED');
    const st = (await get('jumin', `/api/me/points/codes/${first.id}`)).json() as CodeStatus;
    expect(st.state).toBe('expired');
    const now = await post('shanghu', '/api/merchant/redeem/lookup', { code: `linli:redeem:${second.code}` });
    expect(now.statusCode, now.body).toBe(200);
    expect(now.json() as LookupResult).toMatchObject({ residentName: '陈*明', balance: 500 });
  });

  it('refuses a code to an account with no resident record, and the counter to a resident', async () => {
    const u = await buildUser(env);
    const res = await env.as(null, {
      method: 'POST',
      url: '/api/me/points/codes',
      headers: { cookie: await newSession(env, u) },
    });
    expect(res.statusCode).toBe(409);
    expect((res.json() as Err).code).toBe('LEDGER_NO_RESIDENT');
    const c = await newCode();
    expect((await get('jumin', '/api/merchant/counter')).statusCode).toBe(403);
    const r = await post('jumin', '/api/merchant/redeem', {
      code: c.code,
      items: [{ goodsId: soap.id, quantity: 1 }],
      clientId: randomUUID(),
    });
    expect(r.statusCode).toBe(403);
    expect(await stockOf(soap.id)).toBe(5);
  });

  it('shows the counter its merchant and active goods', async () => {
    const res = await get('shanghu', '/api/merchant/counter');
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json() as Counter;
    expect(c.merchants.map((m) => m.name)).toEqual(['东关便民超市']);
    expect(c.merchants[0]!.member).toBe(true);
    expect(c.merchants[0]!.goods.map((g) => g.name)).toEqual(['肥皂', '大米']);
  });

  it('redeems a basket in one transaction; the same clientId again is the same redemption', async () => {
    const c = await newCode();
    const clientId = randomUUID();
    const body = {
      code: c.code,
      items: [
        { goodsId: soap.id, quantity: 1 },
        { goodsId: soap.id, quantity: 1 },
      ],
      clientId,
    };
    const res = await post('shanghu', '/api/merchant/redeem', body);
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json() as Redemption;
    expect(r).toMatchObject({ total: 60, status: 'done', residentName: '陈*明', balanceAfter: 440 });
    expect(r.items).toEqual([{ goodsId: soap.id, name: '肥皂', price: 30, quantity: 2 }]);
    expect(await stockOf(soap.id)).toBe(3);
    expect(await balanceOf(accountId)).toBe(440);
    const again = await post('shanghu', '/api/merchant/redeem', body);
    expect(again.statusCode).toBe(200);
    expect((again.json() as Redemption).id).toBe(r.id);
    expect(await balanceOf(accountId)).toBe(440);
    expect(await stockOf(soap.id)).toBe(3);
    const st = (await get('jumin', `/api/me/points/codes/${c.id}`)).json() as CodeStatus;
    expect(st).toMatchObject({ state: 'used', balance: 440 });
    expect(st.redemption).toMatchObject({ id: r.id, total: 60, merchantName: '东关便民超市' });
    const t = await env.db.query<{ kind: string; amount: number }>(
      'SELECT kind, amount FROM ledger_transfers WHERE id = (SELECT transfer_id FROM redemptions WHERE id = $1)',
      [r.id],
    );
    expect(t[0]).toMatchObject({ kind: 'redeem', amount: 60 });
    const used = await post('shanghu', '/api/merchant/redeem', { ...body, clientId: randomUUID() });
    expect(used.statusCode).toBe(409);
    expect((used.json() as Err).code).toBe('REDEEM_CODE_USED');
    const audit = await env.db.query("SELECT 1 FROM audit_log WHERE action = 'points.redeem' AND target_id = $1", [
      String(r.id),
    ]);
    expect(audit).toHaveLength(1);
  });

  it('refuses and rolls everything back: short stock, short balance, foreign goods, unknown code', async () => {
    const c = await newCode();
    const attempt = (items: { goodsId: number; quantity: number }[], code = c.code) =>
      post('shanghu', '/api/merchant/redeem', { code, items, clientId: randomUUID() });
    const short = await attempt([
      { goodsId: soap.id, quantity: 1 },
      { goodsId: rice.id, quantity: 2 },
    ]);
    expect(short.statusCode).toBe(409);
    expect(short.json() as Err).toMatchObject({ code: 'REDEEM_STOCK_SHORT', field: 'items.1.quantity' });
    expect((short.json() as Err).message).toContain('大米');
    expect(await stockOf(soap.id)).toBe(3);
    // 440 points cannot pay for 3 × 大米 (600): the balance falls short, the stock stays
    await env.db.query('UPDATE merchant_goods SET stock = 10 WHERE id = $1', [rice.id]);
    const poor = await attempt([{ goodsId: rice.id, quantity: 3 }]);
    expect(poor.statusCode).toBe(409);
    expect((poor.json() as Err).code).toBe('LEDGER_INSUFFICIENT_BALANCE');
    expect(await stockOf(rice.id)).toBe(10);
    expect(await balanceOf(accountId)).toBe(440);
    const foreign = await attempt([
      { goodsId: soap.id, quantity: 1 },
      { goodsId: other.id, quantity: 1 },
    ]);
    expect(foreign.statusCode).toBe(409);
    expect(foreign.json() as Err).toMatchObject({ code: 'REDEEM_GOODS_INVALID', field: 'items.1.goodsId' });
    const unknown = await attempt([{ goodsId: soap.id, quantity: 1 }], '00000000');
    expect(unknown.statusCode).toBe(404);
    expect((unknown.json() as Err).code).toBe('REDEEM_CODE_UNKNOWN');
    const bad = await attempt([{ goodsId: soap.id, quantity: 0 }]);
    expect(bad.statusCode).toBe(400);
    // the code survived every refusal
    const ok = await attempt([{ goodsId: soap.id, quantity: 1 }]);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await stockOf(soap.id)).toBe(2);
    expect(await balanceOf(accountId)).toBe(410);
  });

  it('refuses an expired code and a suspended merchant', async () => {
    const c = await newCode();
    await env.db.query("UPDATE redemption_codes SET expires_at = now() - interval '1 second' WHERE id = $1", [c.id]);
    const exp = await post('shanghu', '/api/merchant/redeem', {
      code: c.code,
      items: [{ goodsId: soap.id, quantity: 1 }],
      clientId: randomUUID(),
    });
    expect((exp.json() as Err).code).toBe('REDEEM_CODE_EXPIRED');
    const c2 = await newCode();
    await env.db.query("UPDATE merchants SET status = 'suspended' WHERE id = $1", [merchant.id]);
    const susp = await post('shanghu', '/api/merchant/redeem', {
      code: c2.code,
      items: [{ goodsId: soap.id, quantity: 1 }],
      clientId: randomUUID(),
    });
    await env.db.query("UPDATE merchants SET status = 'active' WHERE id = $1", [merchant.id]);
    expect(susp.statusCode).toBe(409);
    expect((susp.json() as Err).code).toBe('REDEEM_MERCHANT_SUSPENDED');
    expect(await stockOf(soap.id)).toBe(2);
  });

  it('lists today’s redemptions and refunds one once; a points manager may act at the counter too', async () => {
    const list = (await get('shanghu', '/api/merchant/redemptions')).json() as RedemptionList;
    expect(list.items.length).toBe(2);
    expect(list.total).toBe(90);
    const target = list.items.find((r) => r.total === 30)!;
    expect(target.can?.refund).toBe(true);
    const refund = await post('shanghu', `/api/points/redemptions/${target.id}/refund`, { reason: '顾客退货' });
    expect(refund.statusCode, refund.body).toBe(200);
    expect((refund.json() as Redemption).status).toBe('reversed');
    expect(await stockOf(soap.id)).toBe(3);
    expect(await balanceOf(accountId)).toBe(440);
    const twice = await post('shanghu', `/api/points/redemptions/${target.id}/refund`, { reason: '再退一次' });
    expect(twice.statusCode).toBe(409);
    expect((twice.json() as Err).code).toBe('REDEEM_ALREADY_REFUNDED');
    // yesterday's: the merchant may no longer refund it, the community's points manager may
    const first = list.items.find((r) => r.total === 60)!;
    await env.db.query("UPDATE redemptions SET created_at = now() - interval '2 days' WHERE id = $1", [first.id]);
    const late = await post('shanghu', `/api/points/redemptions/${first.id}/refund`, { reason: '顾客退货' });
    expect(late.statusCode).toBe(403);
    expect((late.json() as Err).code).toBe('REDEEM_REFUND_CLOSED');
    const byWorker = await post('shequ', `/api/points/redemptions/${first.id}/refund`, { reason: '顾客退货' });
    expect(byWorker.statusCode, byWorker.body).toBe(200);
    expect(await balanceOf(accountId)).toBe(500);
    expect(await stockOf(soap.id)).toBe(5);
    // shequ redeems at the counter as the area's points manager
    const counter = (await get('shequ', '/api/merchant/counter')).json() as Counter;
    expect(counter.merchants.some((m) => m.id === merchant.id && !m.member)).toBe(true);
    const c = await newCode();
    const r = await post('shequ', '/api/merchant/redeem', {
      code: c.code,
      items: [{ goodsId: soap.id, quantity: 1 }],
      clientId: randomUUID(),
    });
    expect(r.statusCode, r.body).toBe(201);
    expect((r.json() as Redemption).merchantId).toBe(merchant.id);
  });
});
