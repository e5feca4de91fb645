import { beforeAll, describe, expect, it } from 'vitest';
import { buildHouse, buildHousehold, buildResident, ensureTag } from '../../test/people-factories.js';
import { fundResident, linkUserToResident } from '../../test/points-factories.js';
import { describeEachDb } from '../../test/test-app.js';
import { shanghaiDay } from './services.logic.js';

/**
 * The elder canteen end to end: menus, the best subsidy by tag, orders by the resident, a family member and a
 * worker (who ordered for whom is recorded), capacity, the cut-off, payment in time-bank hours through the ledger and
 * its refund on cancel, and the kitchen's counts. Every refusal leaves orders and the ledger as they were.
 */
describeEachDb('services: directory and elder canteen', (env) => {
  const r: Record<string, number> = {};
  let canteen = 0;
  let aged = 0;
  let outsideUnit = 0;
  const day = (plus: number) => shanghaiDay(new Date(), plus);

  const hours = async (residentId: number) => {
    const [a] = await env.db.query<{ balance: number }>(
      `SELECT balance FROM ledger_accounts WHERE kind = 'resident' AND resident_id = $1 AND currency = 'hours'`,
      [residentId],
    );
    return a ? Number(a.balance) : 0;
  };
  const hoursSum = async () =>
    Number(
      (
        await env.db.query<{ s: string }>(
          `SELECT coalesce(sum(balance), 0) AS s FROM ledger_accounts WHERE currency = 'hours'`,
        )
      )[0]!.s,
    );
  const state = async () =>
    (
      await env.db.query<{ n: number; t: number }>(
        `SELECT (SELECT count(*)::int FROM canteen_orders WHERE status = 'ordered') AS n,
                (SELECT count(*)::int FROM ledger_transfers) AS t`,
      )
    )[0];
  const menu = async (body: Record<string, unknown>, id = canteen) => {
    const res = await env.as('shequ', { method: 'POST', url: `/api/services/canteens/${id}/menus`, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; open: boolean; cutoffAt: string };
  };

  beforeAll(async () => {
    const unit = env.ids.unit!;
    const [other] = await env.db.query<{ id: number }>(
      `SELECT n.id FROM org_nodes n WHERE n.type = 'unit'
          AND n.path NOT LIKE (SELECT path FROM org_nodes WHERE id = $1) || '%' ORDER BY n.id LIMIT 1`,
      [env.ids.community],
    );
    outsideUnit = other!.id;
    aged = await ensureTag(env.db, 'aged_80');
    const house = await buildHouse(env, { nodeId: unit, roomNo: '0801' });
    const household = await buildHousehold(env, { nodeId: unit, houseId: house.id });
    r.grandma = (
      await buildResident(env, {
        nodeId: unit,
        name: '孙奶奶',
        birthDate: '1938-02-01',
        householdId: household.id,
        houseId: house.id,
        relation: 'head',
        tags: ['aged_80'],
      })
    ).id;
    r.son = (
      await buildResident(env, {
        nodeId: unit,
        name: '孙建军',
        householdId: household.id,
        houseId: house.id,
        relation: 'child',
      })
    ).id;
    r.neighbour = (await buildResident(env, { nodeId: unit, name: '周邻居' })).id;
    r.outside = (await buildResident(env, { nodeId: outsideUnit, name: '外县人' })).id;
    const [jumin] = await env.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'jumin'`);
    await linkUserToResident(env.db, jumin!.id, r.son!);
    await fundResident(env.db, r.son!, 120, 'hours');

    const res = await env.as('shequ', {
      method: 'POST',
      url: '/api/services/canteens',
      payload: { nodeId: env.ids.community, name: '东关长者食堂', lunchAt: '11:30', cutoffMinutes: 60 },
    });
    expect(res.statusCode, res.body).toBe(201);
    canteen = res.json().id;
  });

  describe('subsidies', () => {
    it('refuses a percentage over 100 and an unknown tag, naming the field, and keeps the rules', async () => {
      const bad = await env.as('shequ', {
        method: 'PUT',
        url: `/api/services/canteens/${canteen}/subsidies`,
        payload: { rules: [{ tagId: aged, kind: 'percent', value: 150 }] },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'SERVICES_SUBSIDY_INVALID', field: 'rules' });
      const unknown = await env.as('shequ', {
        method: 'PUT',
        url: `/api/services/canteens/${canteen}/subsidies`,
        payload: { rules: [{ tagId: 987654321, kind: 'amount', value: 100 }] },
      });
      expect(unknown.json()).toMatchObject({ code: 'SERVICES_TAG_NOT_FOUND', field: 'rules' });
      const list = await env.as('shequ', { method: 'GET', url: '/api/services/canteens' });
      expect(list.json().items.find((c: { id: number }) => c.id === canteen).subsidies).toEqual([]);
    });

    it('sets 高龄 pays 3 yuan less', async () => {
      const res = await env.as('shequ', {
        method: 'PUT',
        url: `/api/services/canteens/${canteen}/subsidies`,
        payload: { rules: [{ tagId: aged, kind: 'amount', value: 300 }] },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().subsidies).toEqual([expect.objectContaining({ tagId: aged, kind: 'amount', value: 300 })]);
    });
  });

  describe('orders', () => {
    let lunch = 0;
    beforeAll(async () => {
      lunch = (
        await menu({
          day: day(2),
          meal: 'lunch',
          dishes: ['红烧肉', '清炒时蔬', '米饭'],
          priceCents: 1000,
          priceMinutes: 30,
          capacity: 3,
        })
      ).id;
    });

    it('shows the family their prices after subsidies on the phone', async () => {
      const res = await env.as('jumin', { method: 'GET', url: '/api/me/services/canteen' });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.resident).toMatchObject({ id: r.son, hoursMinutes: 120 });
      expect(body.diners.map((d: { residentId: number }) => d.residentId).sort()).toEqual([r.grandma, r.son].sort());
      const m = body.menus.find((x: { id: number }) => x.id === lunch);
      expect(m).toMatchObject({ open: true, ordered: 0, capacity: 3 });
      expect(m.prices).toContainEqual({
        residentId: r.grandma,
        payCents: 700,
        payMinutes: 21,
        subsidyLabel: '高龄老人',
        subsidyCents: 300,
      });
      expect(m.prices).toContainEqual(expect.objectContaining({ residentId: r.son, payCents: 1000, payMinutes: 30 }));
    });

    it('a family member orders for grandma with delivery, paying in hours: subsidy applied, hours moved', async () => {
      const sum = await hoursSum();
      const res = await env.as('jumin', {
        method: 'POST',
        url: '/api/me/services/orders',
        payload: { menuId: lunch, residentId: r.grandma, delivery: true, payment: 'hours' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const o = res.json();
      expect(o).toMatchObject({
        residentId: r.grandma,
        residentName: '孙奶奶',
        channel: 'family',
        orderedByName: '陈居民',
        delivery: true,
        subsidyLabel: '高龄老人',
        listCents: 1000,
        subsidyCents: 300,
        payCents: 700,
        payMinutes: 21,
        payment: 'hours',
        status: 'ordered',
        cancellable: true,
      });
      expect(o.deliveryAddress).toContain('0801');
      expect(await hours(r.son!)).toBe(99);
      expect(await hoursSum()).toBe(sum); // a transfer: the issuer took back what the son spent
      const [t] = await env.db.query<{ kind: string; amount: number; source_type: string }>(
        'SELECT kind, amount, source_type FROM ledger_transfers WHERE id = $1',
        [o.transferId],
      );
      expect(t).toMatchObject({ kind: 'withdraw', amount: 21, source_type: 'canteen_order' });
      r.grandmaOrder = o.id;
    });

    it('refuses a second order of the same meal for the same diner', async () => {
      const before = await state();
      const res = await env.as('jumin', {
        method: 'POST',
        url: '/api/me/services/orders',
        payload: { menuId: lunch, residentId: r.grandma, payment: 'counter' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'SERVICES_ALREADY_ORDERED', field: 'menuId' });
      expect(await state()).toEqual(before);
    });

    it('refuses to order for someone outside the household', async () => {
      const res = await env.as('jumin', {
        method: 'POST',
        url: '/api/me/services/orders',
        payload: { menuId: lunch, residentId: r.neighbour, payment: 'counter' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'SERVICES_NOT_FAMILY', field: 'residentId' });
    });

    it('a worker orders on a resident’s behalf; the order records the worker and the resident is told', async () => {
      const res = await env.as('wangge', {
        method: 'POST',
        url: '/api/services/orders',
        payload: { menuId: lunch, residentId: r.neighbour, payment: 'counter', quantity: 1 },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        residentId: r.neighbour,
        channel: 'worker',
        orderedByName: '张网格',
        payCents: 1000,
        payMinutes: 0,
        payment: 'counter',
        transferId: null,
      });
    });

    it('refuses an order over the capacity left, and one for a resident outside the worker’s area', async () => {
      const before = await state();
      const over = await env.as('jumin', {
        method: 'POST',
        url: '/api/me/services/orders',
        payload: { menuId: lunch, quantity: 2, payment: 'counter' },
      });
      expect(over.statusCode).toBe(409);
      expect(over.json()).toMatchObject({ code: 'SERVICES_SOLD_OUT', field: 'quantity' });
      expect(over.json().message).toContain('1');
      const outside = await env.as('wangge', {
        method: 'POST',
        url: '/api/services/orders',
        payload: { menuId: lunch, residentId: r.outside, payment: 'counter' },
      });
      expect(outside.statusCode).toBe(404);
      expect(outside.json()).toMatchObject({ code: 'SERVICES_DINER_NOT_FOUND', field: 'residentId' });
      expect(await state()).toEqual(before);
    });

    it('refuses hours the payer does not have, and moves nothing', async () => {
      const dear = (
        await menu({ day: day(3), meal: 'dinner', dishes: ['饺子'], priceCents: 2000, priceMinutes: 500, capacity: 5 })
      ).id;
      const before = await state();
      const res = await env.as('jumin', {
        method: 'POST',
        url: '/api/me/services/orders',
        payload: { menuId: dear, payment: 'hours' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'LEDGER_INSUFFICIENT_BALANCE' });
      expect(await state()).toEqual(before);
      expect(await hours(r.son!)).toBe(99);
    });

    it('refuses hours for a menu without an hours price', async () => {
      const cash = (await menu({ day: day(4), meal: 'lunch', dishes: ['面条'], priceCents: 800, capacity: 5 })).id;
      const res = await env.as('jumin', {
        method: 'POST',
        url: '/api/me/services/orders',
        payload: { menuId: cash, payment: 'hours' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'SERVICES_HOURS_NOT_ACCEPTED', field: 'payment' });
    });

    it('the kitchen count shows the live portions and the delivery address; the CSV carries the same', async () => {
      const res = await env.as('shequ', {
        method: 'GET',
        url: `/api/services/canteens/${canteen}/counts?day=${day(2)}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.meals).toEqual([
        expect.objectContaining({ menuId: lunch, meal: 'lunch', orders: 2, portions: 2, delivery: 1, capacity: 3 }),
      ]);
      expect(body.deliveries).toEqual([
        expect.objectContaining({ orderId: r.grandmaOrder, residentName: '孙奶奶', quantity: 1 }),
      ]);
      const csv = await env.as('shequ', {
        method: 'GET',
        url: `/api/services/canteens/${canteen}/counts.csv?day=${day(2)}`,
      });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body).toContain('午餐,红烧肉、清炒时蔬、米饭,2,2,1,3');
      expect(csv.body).toContain('孙奶奶');
    });

    it('cancelling refunds the hours by reversing the transfer, and frees the portion', async () => {
      const res = await env.as('jumin', { method: 'POST', url: `/api/me/services/orders/${r.grandmaOrder}/cancel` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'cancelled', cancellable: false });
      expect(res.json().refundTransferId).toBeGreaterThan(0);
      expect(await hours(r.son!)).toBe(120);
      const again = await env.as('jumin', { method: 'POST', url: `/api/me/services/orders/${r.grandmaOrder}/cancel` });
      expect(again.json()).toMatchObject({ code: 'SERVICES_ALREADY_CANCELLED' });
      expect(await hours(r.son!)).toBe(120);
      const counts = await env.as('shequ', {
        method: 'GET',
        url: `/api/services/canteens/${canteen}/counts?day=${day(2)}`,
      });
      expect(counts.json().meals[0]).toMatchObject({ orders: 1, portions: 1, delivery: 0 });
    });

    it('closes ordering and cancelling at the cut-off', async () => {
      const past = await menu({ day: day(-1), meal: 'lunch', dishes: ['粥'], priceCents: 500, capacity: 5 });
      expect(past.open).toBe(false);
      const res = await env.as('jumin', {
        method: 'POST',
        url: '/api/me/services/orders',
        payload: { menuId: past.id, payment: 'counter' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'SERVICES_ORDERS_CLOSED', field: 'menuId' });

      const soon = (
        await menu({ day: day(5), meal: 'lunch', dishes: ['馄饨'], priceCents: 600, priceMinutes: 20, capacity: 5 })
      ).id;
      const ordered = await env.as('jumin', {
        method: 'POST',
        url: '/api/me/services/orders',
        payload: { menuId: soon, payment: 'hours' },
      });
      expect(ordered.statusCode, ordered.body).toBe(201);
      expect(await hours(r.son!)).toBe(100);
      // the meal moves to yesterday: its cut-off has passed
      await env.db.query(`UPDATE canteen_menus SET day = $2 WHERE id = $1`, [soon, day(-2)]);
      const late = await env.as('jumin', {
        method: 'POST',
        url: `/api/me/services/orders/${ordered.json().id}/cancel`,
      });
      expect(late.statusCode).toBe(409);
      expect(late.json()).toMatchObject({ code: 'SERVICES_ORDERS_CLOSED' });
      expect(await hours(r.son!)).toBe(100);
    });

    it('lists the household’s orders for the resident and the area’s for the worker, not outside it', async () => {
      const mine = await env.as('jumin', { method: 'GET', url: '/api/me/services/orders' });
      const ids = mine.json().items.map((o: { residentId: number }) => o.residentId);
      expect(ids).toContain(r.grandma);
      expect(ids).not.toContain(r.neighbour);
      const worker = await env.as('wangge', { method: 'GET', url: `/api/services/orders?canteenId=${canteen}` });
      expect(worker.json().items.map((o: { residentId: number }) => o.residentId)).toContain(r.neighbour);
      const louzhang = await env.as('louzhang', { method: 'GET', url: '/api/services/orders' });
      expect(louzhang.statusCode).toBe(403);
    });
  });

  describe('directory', () => {
    it('a worker adds an entry, the resident sees it on the phone, bad input names the field', async () => {
      const bad = await env.as('shequ', {
        method: 'POST',
        url: '/api/services/entries',
        payload: { nodeId: env.ids.community, name: '', category: 'repair' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().field).toBe('name');
      const res = await env.as('shequ', {
        method: 'POST',
        url: '/api/services/entries',
        payload: {
          nodeId: env.ids.community,
          name: '惠民家政',
          category: 'housekeeping',
          provider: '惠民家政服务公司',
          phone: '0537-1234567',
          hours: '8:00–18:00',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id;
      const phone = await env.as('jumin', { method: 'GET', url: '/api/me/services/entries' });
      expect(phone.json().items).toContainEqual(
        expect.objectContaining({ id, name: '惠民家政', phone: '0537-1234567' }),
      );
      // the grid worker reads their community's directory but cannot change it
      const read = await env.as('wangge', { method: 'GET', url: '/api/services/entries' });
      expect(read.json().items.map((e: { id: number }) => e.id)).toContain(id);
      const change = await env.as('wangge', {
        method: 'PATCH',
        url: `/api/services/entries/${id}`,
        payload: { name: '改名' },
      });
      expect(change.statusCode).toBe(403);
      const ok = await env.as('shequ', {
        method: 'PATCH',
        url: `/api/services/entries/${id}`,
        payload: { hours: '全天' },
      });
      expect(ok.json()).toMatchObject({ id, name: '惠民家政', hours: '全天' });
    });
  });
});
