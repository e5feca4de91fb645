import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeIdByName } from '../../test/factories.js';
import { buildResident } from '../../test/people-factories.js';
import { buildGoods, buildMerchant, fundResident } from '../../test/points-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { merchantAccount, postTransfer, residentAccount, reverseTransfer } from './ledger.repo.js';
import type { Goods, GoodsList, MerchantDetail, MerchantPage, RedemptionPage } from './merchants.schemas.js';
import type { Settlement, SettlementDetail, SettlementList } from './settlements.schemas.js';
import { settleAll } from './settlements.service.js';

describeEachDb('merchants, goods and settlements (points [C])', (env: TestEnv) => {
  let xiguan: number; // 西关社区: jiedao's, not shequ's
  let userId: (name: string) => Promise<number>;
  let residentId: number;
  const req = (user: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    env.as(user, { method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const balanceOf = async (id: number) =>
    Number(
      (await env.db.query<{ balance: number }>('SELECT balance FROM ledger_accounts WHERE id = $1', [id]))[0]!.balance,
    );

  /** A redemption as part G writes it: resident → merchant (kind 'redeem') and its row, dated `at`. */
  const redeem = async (merchantId: number, total: number, at: string, status: 'done' | 'reversed' = 'done') => {
    const from = await residentAccount(env.db, residentId, 'points');
    const to = await merchantAccount(env.db, merchantId, 'points');
    const t = await postTransfer(env.db, {
      currency: 'points',
      kind: 'redeem',
      amount: total,
      fromAccountId: from.id,
      toAccountId: to.id,
      reason: '兑换',
    });
    let reversed: number | null = null;
    if (status === 'reversed') reversed = (await reverseTransfer(env.db, t.id, { reason: '退货' })).id;
    const [r] = await env.db.query<{ id: number }>(
      `INSERT INTO redemptions (county_id, merchant_id, account_id, resident_id, node_path, items, total, transfer_id,
         operator_id, status, reversed_transfer_id, created_at)
       SELECT m.county_id, m.id, $2, $3, m.node_path, $4::jsonb, $5, $6, (SELECT id FROM users WHERE username = 'shanghu'),
              $7, $8, $9
         FROM merchants m WHERE m.id = $1 RETURNING id`,
      [
        merchantId,
        from.id,
        residentId,
        JSON.stringify([{ goodsId: null, name: '大米 5kg', price: total, quantity: 1 }]),
        total,
        t.id,
        status,
        reversed,
        new Date(at),
      ],
    );
    return { id: Number(r!.id), transferId: t.id };
  };

  beforeAll(async () => {
    xiguan = await nodeIdByName(env.db, '西关社区');
    userId = async (name) =>
      Number((await env.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [name]))[0]!.id);
    residentId = (await buildResident(env, { nodeId: env.ids.unit!, name: '王小明' })).id;
    await fundResident(env.db, residentId, 100000);
  });

  describe('merchants', () => {
    let merchant: MerchantDetail;

    it('a community worker adds a merchant in their community, its phone sealed and shown masked', async () => {
      const res = await req('shequ', 'POST', '/api/points/merchants', {
        nodeId: env.ids.grid,
        name: ' 东关小卖部 ',
        address: '东关路 1 号',
        contactName: '李老板',
        phone: '13812345678',
      });
      expect(res.statusCode, res.body).toBe(201);
      merchant = res.json() as MerchantDetail;
      expect(merchant).toMatchObject({
        name: '东关小卖部',
        nodeId: env.ids.grid,
        communityId: env.ids.community,
        communityName: '东关社区',
        phone: '138****5678',
        status: 'active',
        balance: 0,
        staff: [],
        can: { manage: true },
      });
      const [row] = await env.db.query<{ phone_sealed: Uint8Array }>(
        'SELECT phone_sealed FROM merchants WHERE id = $1',
        [merchant.id],
      );
      expect(env.pii.open(row!.phone_sealed)).toBe('13812345678');
      expect(Buffer.from(row!.phone_sealed).toString('latin1')).not.toContain('13812345678');
    });

    it('refuses a merchant above a community, a bad phone, and a reader without points.manage', async () => {
      const before = await env.db.query('SELECT id FROM merchants');
      const street = await req('jiedao', 'POST', '/api/points/merchants', { nodeId: env.ids.street, name: '街道店' });
      expect(street.statusCode).toBe(400);
      expect(street.json()).toMatchObject({ code: 'MERCHANT_NODE_INVALID', field: 'nodeId' });
      const phone = await req('shequ', 'POST', '/api/points/merchants', {
        nodeId: env.ids.grid,
        name: 'x',
        phone: '12',
      });
      expect(phone.json()).toMatchObject({ code: 'PHONE_INVALID', field: 'phone' });
      const grid = await req('wangge', 'POST', '/api/points/merchants', { nodeId: env.ids.grid, name: '网格店' });
      expect(grid.statusCode).toBe(403);
      const outside = await req('shequ', 'POST', '/api/points/merchants', { nodeId: xiguan, name: '西关店' });
      expect(outside.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND' });
      expect(await env.db.query('SELECT id FROM merchants')).toHaveLength(before.length);
    });

    it('lists and reads merchants only in scope', async () => {
      const west = await buildMerchant(env.db, { nodeId: xiguan, name: '西关超市' });
      const shequ = (await req('shequ', 'GET', '/api/points/merchants?pageSize=200')).json() as MerchantPage;
      expect(shequ.items.map((m) => m.id)).toContain(merchant.id);
      expect(shequ.items.map((m) => m.id)).not.toContain(west.id);
      const jiedao = (await req('jiedao', 'GET', '/api/points/merchants?pageSize=200')).json() as MerchantPage;
      expect(jiedao.items.map((m) => m.id)).toEqual(expect.arrayContaining([merchant.id, west.id]));
      expect((await req('shequ', 'GET', `/api/points/merchants/${west.id}`)).json()).toMatchObject({
        code: 'MERCHANT_NOT_FOUND',
      });
      const wangge = await req('wangge', 'GET', `/api/points/merchants/${merchant.id}`);
      expect(wangge.statusCode).toBe(200);
      expect(wangge.json()).toMatchObject({ id: merchant.id, can: { manage: false } });
      expect((await req('wangge', 'PATCH', `/api/points/merchants/${merchant.id}`, { name: 'x' })).statusCode).toBe(
        403,
      );
      expect((await req('shanghu', 'GET', '/api/points/merchants')).statusCode).toBe(403);
    });

    it('adds staff holding the merchant role only, and removes them', async () => {
      const shanghu = await userId('shanghu');
      const jumin = await userId('jumin');
      const bad = await req('shequ', 'POST', `/api/points/merchants/${merchant.id}/members`, { userId: jumin });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'MERCHANT_MEMBER_INVALID', field: 'userId' });
      const ok = await req('shequ', 'POST', `/api/points/merchants/${merchant.id}/members`, { userId: shanghu });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((ok.json() as MerchantDetail).staff).toEqual([
        expect.objectContaining({ userId: shanghu, username: 'shanghu' }),
      ]);
      const del = await req('shequ', 'DELETE', `/api/points/merchants/${merchant.id}/members/${shanghu}`);
      expect((del.json() as MerchantDetail).staff).toEqual([]);
      const again = await req('shequ', 'DELETE', `/api/points/merchants/${merchant.id}/members/${shanghu}`);
      expect(again.json()).toMatchObject({ code: 'MERCHANT_MEMBER_NOT_FOUND' });
    });

    it('suspends a merchant (status kept for the counter to check) and audits it', async () => {
      const res = await req('shequ', 'PATCH', `/api/points/merchants/${merchant.id}`, {
        status: 'suspended',
        phone: null,
      });
      expect(res.json()).toMatchObject({ status: 'suspended', phone: null });
      const list = (await req('shequ', 'GET', '/api/points/merchants?status=suspended')).json() as MerchantPage;
      expect(list.items.map((m) => m.id)).toEqual([merchant.id]);
      const audit = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'merchant' AND target_id = $1 ORDER BY id`,
        [String(merchant.id)],
      );
      expect(audit.map((a) => a.action)).toEqual([
        'merchant.create',
        'merchant.member.add',
        'merchant.member.remove',
        'merchant.update',
      ]);
      await req('shequ', 'PATCH', `/api/points/merchants/${merchant.id}`, { status: 'active' });
    });
  });

  describe('goods', () => {
    let m: { id: number };
    let other: { id: number };
    let goods: Goods;
    beforeAll(async () => {
      m = await buildMerchant(env.db, { nodeId: env.ids.community!, staffUserIds: [await userId('shanghu')] });
      other = await buildMerchant(env.db, { nodeId: env.ids.community! });
    });

    it('the console adds and edits goods with a version check', async () => {
      const res = await req('shequ', 'POST', `/api/points/merchants/${m.id}/goods`, {
        name: '食用油',
        price: 800,
        stock: 5,
      });
      expect(res.statusCode, res.body).toBe(201);
      goods = res.json() as Goods;
      expect(goods).toMatchObject({ merchantId: m.id, name: '食用油', price: 800, stock: 5, active: true, version: 1 });
      const patched = await req('shequ', 'PATCH', `/api/points/goods/${goods.id}`, { version: 1, price: 750 });
      expect(patched.json()).toMatchObject({ price: 750, version: 2 });
      const stale = await req('shequ', 'PATCH', `/api/points/goods/${goods.id}`, { version: 1, price: 1 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'MERCHANT_GOODS_VERSION_CONFLICT' });
      const neg = await req('shequ', 'PATCH', `/api/points/goods/${goods.id}`, { version: 2, stock: -1 });
      expect(neg.statusCode).toBe(400);
      const list = (await req('shequ', 'GET', `/api/points/merchants/${m.id}/goods`)).json() as GoodsList;
      expect(list.items).toEqual([expect.objectContaining({ id: goods.id, price: 750, stock: 5 })]);
    });

    it('staff keep their own goods from the phone; stock never below 0', async () => {
      const theirs = await buildGoods(env.db, { merchantId: other.id });
      const list = (await req('shanghu', 'GET', '/api/merchant/goods')).json() as GoodsList;
      expect(list.items.map((g) => g.id)).toContain(goods.id);
      expect(list.items.map((g) => g.id)).not.toContain(theirs.id);
      const down = await req('shanghu', 'PATCH', `/api/merchant/goods/${goods.id}`, { stockDelta: -6 });
      expect(down.statusCode).toBe(409);
      expect(down.json()).toMatchObject({ code: 'MERCHANT_GOODS_STOCK_NEGATIVE', field: 'stock' });
      expect(down.json().message).toContain('5');
      const one = await req('shanghu', 'PATCH', `/api/merchant/goods/${goods.id}`, { stockDelta: -1, price: 700 });
      expect(one.json()).toMatchObject({ stock: 4, price: 700 });
      const off = await req('shanghu', 'PATCH', `/api/merchant/goods/${goods.id}`, { active: false, stock: 10 });
      expect(off.json()).toMatchObject({ stock: 10, active: false });
      const foreign = await req('shanghu', 'PATCH', `/api/merchant/goods/${theirs.id}`, { stock: 0 });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json()).toMatchObject({ code: 'MERCHANT_GOODS_NOT_FOUND' });
      expect((await req('shequ', 'GET', '/api/merchant/goods')).statusCode).toBe(403);
      const [row] = await env.db.query<{ stock: number }>('SELECT stock FROM merchant_goods WHERE id = $1', [
        theirs.id,
      ]);
      expect(Number(row!.stock)).toBe(10);
    });
  });

  describe('redemptions and settlements', () => {
    let m: { id: number; communityId: number };
    let first: { id: number; transferId: number };
    let second: { id: number; transferId: number };
    let settlement: Settlement;
    beforeAll(async () => {
      m = await buildMerchant(env.db, { nodeId: env.ids.grid!, name: '东关结算店' });
      first = await redeem(m.id, 500, '2025-03-01T00:30:00+08:00');
      second = await redeem(m.id, 800, '2025-03-31T23:59:00+08:00');
      await redeem(m.id, 300, '2025-03-15T12:00:00+08:00', 'reversed');
      await redeem(m.id, 200, '2025-04-01T00:00:00+08:00'); // April
    });

    it('lists redemptions in scope with the resident masked', async () => {
      const page = (
        await req('shequ', 'GET', `/api/points/redemptions?merchantId=${m.id}&limit=2`)
      ).json() as RedemptionPage;
      expect(page.items).toHaveLength(2);
      expect(page.items[0]).toMatchObject({ residentName: '王*明', operatorName: '东关便民超市', total: 200 });
      const rest = (
        await req('shequ', 'GET', `/api/points/redemptions?merchantId=${m.id}&cursor=${page.nextCursor}`)
      ).json() as RedemptionPage;
      expect(page.items.map((r) => r.total)).toEqual([200, 300]);
      expect(rest.items.map((r) => r.total)).toEqual([800, 500]);
      expect(rest.nextCursor).toBeNull();
      const west = (await req('jiedao', 'GET', `/api/points/redemptions?merchantId=${m.id}`)).json() as RedemptionPage;
      expect(west.items).toHaveLength(4);
      const xg = await buildMerchant(env.db, { nodeId: xiguan });
      expect((await req('shequ', 'GET', `/api/points/redemptions?merchantId=${xg.id}`)).json()).toMatchObject({
        code: 'MERCHANT_NOT_FOUND',
      });
    });

    it('settles a month: one transfer back to the issuer, points ÷ rate in fen, once', async () => {
      const account = await merchantAccount(env.db, m.id, 'points');
      expect(await balanceOf(account.id)).toBe(1500);
      const open = await req('shequ', 'POST', `/api/points/merchants/${m.id}/settlements`, { period: '2099-01' });
      expect(open.statusCode).toBe(409);
      expect(open.json()).toMatchObject({ code: 'SETTLEMENT_PERIOD_OPEN', field: 'period' });
      expect(
        (await req('wangge', 'POST', `/api/points/merchants/${m.id}/settlements`, { period: '2025-03' })).statusCode,
      ).toBe(403);

      const res = await req('shequ', 'POST', `/api/points/merchants/${m.id}/settlements`, { period: '2025-03' });
      expect(res.statusCode, res.body).toBe(201);
      settlement = res.json() as Settlement;
      expect(settlement).toMatchObject({
        period: '2025-03',
        redemptions: 2,
        points: 1300,
        amountFen: 1300,
        status: 'open',
      });
      expect(await balanceOf(account.id)).toBe(200);
      const [t] = await env.db.query<{ kind: string; amount: number; to_account_id: number; idempotency_key: string }>(
        'SELECT kind, amount, to_account_id, idempotency_key FROM ledger_transfers WHERE id = $1',
        [settlement.transferId],
      );
      expect(t).toMatchObject({ kind: 'settle', idempotency_key: `settle:${m.id}:2025-03` });
      expect(Number(t!.amount)).toBe(1300);
      const [issuer] = await env.db.query<{ kind: string; community_id: number }>(
        'SELECT kind, community_id FROM ledger_accounts WHERE id = $1',
        [t!.to_account_id],
      );
      expect(issuer).toMatchObject({ kind: 'issuer' });
      expect(Number(issuer!.community_id)).toBe(env.ids.community);

      const again = await req('shequ', 'POST', `/api/points/merchants/${m.id}/settlements`, { period: '2025-03' });
      expect(again.statusCode).toBe(200);
      expect((again.json() as Settlement).id).toBe(settlement.id);
      expect(await balanceOf(account.id)).toBe(200);
    });

    it('a refund after settlement is refused when the merchant is settled to 0', async () => {
      // April's 200 still on the account: settle April too, leaving 0
      const april = await req('shequ', 'POST', `/api/points/merchants/${m.id}/settlements`, { period: '2025-04' });
      expect((april.json() as Settlement).points).toBe(200);
      const account = await merchantAccount(env.db, m.id, 'points');
      expect(await balanceOf(account.id)).toBe(0);
      const refused = env.db.transaction((tx) => reverseTransfer(tx, first.transferId, { reason: '退货' }));
      await expect(refused).rejects.toMatchObject({ code: 'LEDGER_INSUFFICIENT_BALANCE' });
      expect(await balanceOf(account.id)).toBe(0);
    });

    it('a month with nothing gives a zero statement without a transfer; the job is idempotent', async () => {
      const zero = await req('shequ', 'POST', `/api/points/merchants/${m.id}/settlements`, { period: '2025-05' });
      expect(zero.statusCode).toBe(201);
      expect(zero.json()).toMatchObject({ points: 0, amountFen: 0, redemptions: 0, transferId: null });
      const now = new Date('2025-06-01T02:00:00+08:00');
      const [created] = await env.db.query<{ id: number }>(
        `SELECT count(*)::int AS id FROM merchant_settlements WHERE period = '2025-05'`,
      );
      const r1 = await settleAll(env, now);
      expect(r1.period).toBe('2025-05');
      expect(r1.failed).toEqual([]);
      const r2 = await settleAll(env, now);
      expect(r2.settled).toBe(0);
      expect(r2.existing).toBe(r1.settled + r1.existing);
      const [after] = await env.db.query<{ id: number }>(
        `SELECT count(*)::int AS id FROM merchant_settlements WHERE period = '2025-05'`,
      );
      expect(Number(after!.id)).toBe(Number(created!.id) + r1.settled);
    });

    it('a refund of a settled month taken from a later month is deducted from that month’s settlement', async () => {
      const account = await merchantAccount(env.db, m.id, 'points');
      await redeem(m.id, 1000, '2025-06-10T10:00:00+08:00');
      await env.db.transaction((tx) => reverseTransfer(tx, second.transferId, { reason: '退货' }));
      expect(await balanceOf(account.id)).toBe(200);
      const june = await req('shequ', 'POST', `/api/points/merchants/${m.id}/settlements`, { period: '2025-06' });
      expect(june.statusCode, june.body).toBe(201);
      expect(june.json()).toMatchObject({ redemptions: 1, points: 200, deducted: 800, amountFen: 200 });
      expect(await balanceOf(account.id)).toBe(0);
    });

    it('reads a settlement with its redemptions, exports the statement and marks it paid once', async () => {
      const d = (await req('wangge', 'GET', `/api/points/settlements/${settlement.id}`)).json() as SettlementDetail;
      expect(d.items.map((i) => i.total)).toEqual([500, 300, 800]);
      const list = (await req('shequ', 'GET', `/api/points/settlements?period=2025-03`)).json() as SettlementList;
      expect(list.items.map((s) => s.id)).toContain(settlement.id);
      const xg = await buildMerchant(env.db, { nodeId: xiguan });
      const xs = await req('jiedao', 'POST', `/api/points/merchants/${xg.id}/settlements`, { period: '2025-03' });
      expect(xs.statusCode).toBe(201);
      const xid = (xs.json() as Settlement).id;
      expect((await req('shequ', 'GET', `/api/points/settlements/${xid}`)).json()).toMatchObject({
        code: 'SETTLEMENT_NOT_FOUND',
      });
      const shequList = (await req('shequ', 'GET', '/api/points/settlements')).json() as SettlementList;
      expect(shequList.items.map((s) => s.id)).not.toContain(xid);

      const x = await req('shequ', 'GET', `/api/points/settlements/${settlement.id}/export`);
      expect(x.statusCode).toBe(200);
      expect(x.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const rows: unknown[][] = [];
      ws.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
      expect(rows[0]).toEqual(['商户', '东关结算店']);
      expect(rows[2]).toEqual(['结算月份', '2025-03']);
      expect(rows[4]).toEqual(['时间', '居民', '商品', '积分', '状态']);
      expect(rows[5]).toEqual(['2025/03/01 00:30', '王*明', '大米 5kg×1', 500, '已兑换']);
      expect(rows[6]?.[4]).toBe('已退回');
      expect(rows[7]).toEqual(['2025/03/31 23:59', '王*明', '大米 5kg×1', 800, '已兑换']);
      const flat = rows.map((r) => r.join('|'));
      expect(flat).toContain('兑换笔数|2');
      expect(flat).toContain('积分合计|1300');
      expect(flat).toContain('应付金额（元）|13.00');

      expect((await req('wangge', 'POST', `/api/points/settlements/${settlement.id}/paid`)).statusCode).toBe(403);
      const paid = await req('shequ', 'POST', `/api/points/settlements/${settlement.id}/paid`);
      expect(paid.json()).toMatchObject({ status: 'paid', paidByName: expect.any(String) });
      const twice = await req('shequ', 'POST', `/api/points/settlements/${settlement.id}/paid`);
      expect(twice.json()).toMatchObject({ code: 'SETTLEMENT_ALREADY_PAID' });
    });
  });
});
