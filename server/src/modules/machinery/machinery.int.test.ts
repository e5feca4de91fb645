import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUser, nodeIdByName, TEST_PASSWORD } from '../../test/factories.js';
import { buildResident, firstNodeUnder } from '../../test/people-factories.js';
import { describeEachDb, login, OWN_ORIGIN, type TestEnv } from '../../test/test-app.js';
import { dayInShanghai } from '../reports/reports.logic.js';
import { addDays, overlaps } from './machinery.logic.js';
import type { Booking, Demand, DispatchResult, Machine, MatchList, Owner, Stats } from './machinery.schemas.js';

/**
 * Farm machinery sharing in 白石镇 of the demo region: a village worker of 白石村 and one of 河口村, the town's
 * administrator, a farmer of 白石村 with an account, an owner (a cooperative of 白石村 linked to a partner
 * organisation whose member sees its schedule), and a village of another town (农机测试镇 · 远村) for "too far".
 */

const today = dayInShanghai(new Date());
const day = (n: number) => addDays(today, n);

describeEachDb('machinery', (env: TestEnv) => {
  const n = { town: 0, vA: 0, vB: 0, far: 0, gridA: 0 };
  const u = { cwA: '', cwB: '', town: '', farmer: '', owner: '', farmerId: 0, farmerResident: 0 };
  let owner: Owner;
  const m: Record<string, Machine> = {};

  // accounts made here (buildUser: test…) log in with their own password; demo accounts through env.as
  const built = new Map<string, string>();
  const as = async (user: string, opts: { method: 'GET' | 'POST'; url: string; payload?: object }) => {
    if (!user.startsWith('test')) return env.as(user, opts);
    let cookie = built.get(user);
    if (!cookie) {
      cookie = await login(env.app, user, TEST_PASSWORD);
      built.set(user, cookie);
    }
    return env.app.inject({ ...opts, headers: { origin: OWN_ORIGIN, cookie } });
  };
  const post = async (user: string, url: string, payload: object) => as(user, { method: 'POST', url, payload });
  const get = async (user: string, url: string) => as(user, { method: 'GET', url });
  const created = async <T>(user: string, url: string, payload: object): Promise<T> => {
    const res = await post(user, url, payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as T;
  };
  const demand = (over: Record<string, unknown> = {}) => ({
    nodeId: n.vA,
    farmerName: '王农户',
    place: '东洼地',
    crop: '小麦',
    machineType: 'harvester',
    areaMu: 100,
    windowStart: day(1),
    windowEnd: day(10),
    ...over,
  });
  const count = async (table: string) =>
    (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  beforeAll(async () => {
    n.town = await nodeIdByName(env.db, '白石镇');
    n.vA = await nodeIdByName(env.db, '白石村', n.town);
    n.vB = await nodeIdByName(env.db, '河口村', n.town);
    n.gridA = await firstNodeUnder(env.db, n.vA, 'grid');
    const addNode = async (parentId: number, type: string, name: string) => {
      const res = await env.as('admin', { method: 'POST', url: '/api/org/nodes', payload: { parentId, type, name } });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { id: number }).id;
    };
    const farTown = await addNode(env.ids.county!, 'town', '农机测试镇');
    n.far = await addNode(farTown, 'village', '远村');
    u.cwA = (await buildUser(env, { role: 'community_worker', nodeId: n.vA })).username;
    u.cwB = (await buildUser(env, { role: 'community_worker', nodeId: n.vB })).username;
    u.town = (await buildUser(env, { role: 'street_admin', nodeId: n.town })).username;
    const farmer = await buildUser(env, { role: 'resident', nodeId: n.gridA });
    u.farmer = farmer.username;
    u.farmerId = farmer.id;
    u.farmerResident = (await buildResident({ db: env.db, pii: env.pii }, { nodeId: n.gridA, name: '李种粮' })).id;
    const link = await env.as('admin', {
      method: 'PATCH',
      url: `/api/users/${farmer.id}`,
      payload: { residentId: u.farmerResident },
    });
    expect(link.statusCode, link.body).toBe(200);
    const ownerUser = await buildUser(env, { role: 'partner', nodeId: n.town });
    u.owner = ownerUser.username;
    const [org] = await env.db.query<{ id: number }>(
      `INSERT INTO partner_orgs (county_id, node_id, node_path, name, kind, status)
       SELECT county_id, id, path, '白石农机合作社', 'other', 'approved' FROM org_nodes WHERE id = $1 RETURNING id`,
      [n.town],
    );
    await env.db.query('INSERT INTO partner_members (org_id, user_id) VALUES ($1, $2)', [org!.id, ownerUser.id]);

    owner = await created<Owner>(u.cwA, '/api/machinery/owners', {
      nodeId: n.vA,
      name: '白石村农机专业合作社',
      kind: 'cooperative',
      contactName: '孙社长',
      phone: '13905371234',
      partnerOrgId: org!.id,
    });
    const machine = (nodeId: number, type: string, name: string, capacityMu: number, pricePerMu: number) => ({
      ownerId: owner.id,
      nodeId,
      type,
      name,
      capacityMu,
      pricePerMu,
    });
    m.a = await created<Machine>(u.cwA, '/api/machinery/machines', machine(n.vA, 'harvester', '雷沃谷神 A', 50, 60));
    m.b = await created<Machine>(u.town, '/api/machinery/machines', machine(n.vB, 'harvester', '久保田 B', 80, 55));
    m.far = await created<Machine>('admin', '/api/machinery/machines', machine(n.far, 'harvester', '远方 C', 200, 1));
  });

  describe('owners and machines', () => {
    it('keeps the owner’s phone masked and lists machines by scope', async () => {
      expect(owner).toMatchObject({ name: '白石村农机专业合作社', kind: 'cooperative', phone: '139****1234' });
      const sealed = await env.db.query<{ phone_sealed: Uint8Array }>(
        'SELECT phone_sealed FROM machinery_owners WHERE id = $1',
        [owner.id],
      );
      expect(env.pii.open(sealed[0]!.phone_sealed)).toBe('13905371234');
      const mine = (await get(u.cwA, '/api/machinery/machines')).json() as { items: Machine[] };
      expect(mine.items.map((x) => x.id)).toEqual([m.a!.id]);
      const town = (await get(u.town, '/api/machinery/machines')).json() as { items: Machine[] };
      expect(town.items.map((x) => x.id).sort()).toEqual([m.a!.id, m.b!.id].sort());
      expect(town.items.find((x) => x.id === m.a!.id)).toMatchObject({
        capacityMu: 50,
        pricePerMu: 60,
        nodeName: '白石村',
      });
    });

    it('refuses a machine outside the worker’s village, or kept at a grid, or with no capacity, and adds nothing', async () => {
      const before = await count('machinery_machines');
      const body = { ownerId: owner.id, nodeId: n.vB, type: 'tractor', name: 'X', capacityMu: 30, pricePerMu: 20 };
      const other = await post(u.cwA, '/api/machinery/machines', body);
      expect(other.statusCode).toBe(404);
      expect(other.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND', field: 'nodeId' });
      const grid = await post(u.cwA, '/api/machinery/machines', { ...body, nodeId: n.gridA });
      expect(grid.statusCode).toBe(400);
      expect(grid.json()).toMatchObject({ code: 'MACHINERY_NODE_NOT_VILLAGE', field: 'nodeId' });
      const zero = await post(u.cwA, '/api/machinery/machines', { ...body, nodeId: n.vA, capacityMu: 0 });
      expect(zero.statusCode).toBe(400);
      expect(zero.json()).toMatchObject({ code: 'VALIDATION', field: 'capacityMu' });
      const resident = await post(u.farmer, '/api/machinery/machines', { ...body, nodeId: n.vA });
      expect(resident.statusCode).toBe(403);
      expect(await count('machinery_machines')).toBe(before);
    });
  });

  describe('demands and matching', () => {
    it('lets a farmer post demand for their own village from the phone and see it with their own name', async () => {
      const d = await created<Demand>(u.farmer, '/api/me/machinery/demands', {
        place: '村南二号地',
        crop: '小麦',
        machineType: 'harvester',
        areaMu: 30,
        windowStart: day(2),
        windowEnd: day(6),
      });
      expect(d).toMatchObject({
        nodeId: n.vA,
        nodeName: '白石村',
        farmerName: '李种粮',
        status: 'open',
        booking: null,
      });
      const mine = (await get(u.farmer, '/api/me/machinery/demands')).json() as { items: Demand[] };
      expect(mine.items.map((x) => x.id)).toEqual([d.id]);
      // the village worker sees it, the name masked; the next village's worker does not
      const list = (await get(u.cwA, '/api/machinery/demands')).json() as { items: Demand[] };
      expect(list.items.find((x) => x.id === d.id)).toMatchObject({ farmerName: '李*粮' });
      const other = (await get(u.cwB, '/api/machinery/demands')).json() as { items: Demand[] };
      expect(other.items.some((x) => x.id === d.id)).toBe(false);
    });

    it('refuses a window that ends before it starts, naming the field, and a farmer outside any village', async () => {
      const before = await count('machinery_demands');
      const bad = await post(u.cwA, '/api/machinery/demands', demand({ windowStart: day(5), windowEnd: day(3) }));
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'MACHINERY_WINDOW_INVALID', field: 'windowEnd' });
      const noName = await post(u.cwA, '/api/machinery/demands', demand({ farmerName: undefined }));
      expect(noName.json()).toMatchObject({ code: 'MACHINERY_FARMER_REQUIRED', field: 'farmerName' });
      const town = await post('jumin', '/api/me/machinery/demands', {
        place: '楼下',
        crop: '花',
        machineType: 'drone',
        areaMu: 1,
        windowStart: day(1),
        windowEnd: day(2),
      });
      expect(town.statusCode).toBe(409);
      expect(town.json()).toMatchObject({ code: 'MACHINERY_NOT_VILLAGER' });
      expect(await count('machinery_demands')).toBe(before);
    });

    it('matches the village’s own machine first, then the town’s, and never one of another town', async () => {
      const d = await created<Demand>(u.cwA, '/api/machinery/demands', demand({ areaMu: 120 }));
      const res = await get(u.cwA, `/api/machinery/demands/${d.id}/matches`);
      expect(res.statusCode, res.body).toBe(200);
      const items = (res.json() as MatchList).items;
      expect(items.map((x) => [x.machineId, x.place])).toEqual([
        [m.a!.id, 'village'],
        [m.b!.id, 'town'],
      ]);
      // 120 亩 at 50 a day: three days, at 60 yuan a 亩
      expect(items[0]).toMatchObject({ days: 3, start: day(1), end: day(3), costYuan: 7200 });
      const hidden = await get(u.cwB, `/api/machinery/demands/${d.id}/matches`);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json()).toMatchObject({ code: 'MACHINERY_DEMAND_NOT_FOUND' });
    });
  });

  describe('bookings', () => {
    it('books a machine, then refuses an overlapping booking of it and too few days, changing nothing', async () => {
      const d1 = await created<Demand>(u.cwA, '/api/machinery/demands', demand({ areaMu: 100 }));
      const d2 = await created<Demand>(u.cwA, '/api/machinery/demands', demand({ areaMu: 40 }));
      const b = await created<Booking>(u.cwA, '/api/machinery/bookings', {
        demandId: d1.id,
        machineId: m.a!.id,
        start: day(4),
        end: day(5),
      });
      expect(b).toMatchObject({ machineId: m.a!.id, start: day(4), end: day(5), status: 'booked', areaMu: 100 });
      const before = await count('machinery_bookings');
      const clash = await post(u.cwA, '/api/machinery/bookings', {
        demandId: d2.id,
        machineId: m.a!.id,
        start: day(5),
        end: day(5),
      });
      expect(clash.statusCode).toBe(409);
      expect(clash.json()).toMatchObject({ code: 'MACHINERY_BOOKING_OVERLAP', field: 'start' });
      const short = await post(u.cwA, '/api/machinery/bookings', {
        demandId: d1.id,
        machineId: m.b!.id,
        start: day(1),
        end: day(1),
      });
      expect(short.json()).toMatchObject({ code: 'MACHINERY_DEMAND_NOT_OPEN' });
      const d3 = await created<Demand>(u.cwA, '/api/machinery/demands', demand({ areaMu: 100 }));
      const tooShort = await post(u.cwA, '/api/machinery/bookings', {
        demandId: d3.id,
        machineId: m.b!.id,
        start: day(1),
        end: day(1),
      });
      expect(tooShort.statusCode).toBe(400);
      expect(tooShort.json()).toMatchObject({ code: 'MACHINERY_CAPACITY_SHORT', field: 'end' });
      const far = await post('admin', '/api/machinery/bookings', {
        demandId: d3.id,
        machineId: m.far!.id,
        start: day(1),
        end: day(1),
      });
      expect(far.json()).toMatchObject({ code: 'MACHINERY_TOO_FAR' });
      expect(await count('machinery_bookings')).toBe(before);
      // the demand shows its booking to the worker
      const list = (await get(u.cwA, '/api/machinery/demands?status=booked')).json() as { items: Demand[] };
      expect(list.items.find((x) => x.id === d1.id)?.booking).toMatchObject({ id: b.id, costYuan: 6000 });
    });

    it('lets only one of two simultaneous bookings of the same machine and days through', async () => {
      const [d1, d2] = [
        await created<Demand>(
          u.cwA,
          '/api/machinery/demands',
          demand({ areaMu: 50, windowStart: day(20), windowEnd: day(25) }),
        ),
        await created<Demand>(
          u.town,
          '/api/machinery/demands',
          demand({ areaMu: 50, windowStart: day(20), windowEnd: day(25) }),
        ),
      ];
      const book = (user: string, demandId: number) =>
        post(user, '/api/machinery/bookings', { demandId, machineId: m.a!.id, start: day(21), end: day(21) });
      const results = await Promise.all([book(u.cwA, d1!.id), book(u.town, d2!.id)]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([201, 409]);
      expect(results.find((r) => r.statusCode === 409)!.json()).toMatchObject({ code: 'MACHINERY_BOOKING_OVERLAP' });
      const live = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM machinery_bookings WHERE machine_id = $1 AND period && daterange($2::date, $2::date, '[]')
           AND status <> 'cancelled'`,
        [m.a!.id, day(21)],
      );
      expect(live[0]!.n).toBe(1);
    });

    it('is refused by the database itself when an overlapping booking is written past the service', async () => {
      const [row] = await env.db.query<{ demand_id: number; node_path: string; county_id: number }>(
        `SELECT demand_id, node_path, county_id FROM machinery_bookings WHERE machine_id = $1 AND status = 'booked' LIMIT 1`,
        [m.a!.id],
      );
      const d = await created<Demand>(u.cwA, '/api/machinery/demands', demand({ areaMu: 10 }));
      await expect(
        env.db.query(
          `INSERT INTO machinery_bookings (county_id, machine_id, demand_id, node_path, period, area_mu, price_fen)
           VALUES ($1, $2, $3, $4, daterange($5::date, $6::date, '[]'), 10, 100)`,
          [row!.county_id, m.a!.id, d.id, row!.node_path, day(5), day(5)],
        ),
      ).rejects.toMatchObject({ code: '23P01' });
      expect(row!.demand_id).toBeGreaterThan(0);
    });

    it('dispatches every open demand of the town without double-booking any machine', async () => {
      for (let i = 0; i < 6; i++)
        await created<Demand>(
          u.town,
          '/api/machinery/demands',
          demand({ nodeId: i % 2 ? n.vA : n.vB, areaMu: 90 + i * 10, windowStart: day(30), windowEnd: day(40) }),
        );
      const res = await post(u.town, '/api/machinery/dispatch', { nodeId: n.town });
      expect(res.statusCode, res.body).toBe(200);
      const out = res.json() as DispatchResult;
      expect(out.booked.length).toBeGreaterThanOrEqual(6);
      const rows = await env.db.query<{ machine_id: number; s: string; e: string }>(
        `SELECT machine_id, to_char(lower(period), 'YYYY-MM-DD') AS s, to_char(upper(period) - 1, 'YYYY-MM-DD') AS e
         FROM machinery_bookings WHERE status <> 'cancelled'`,
      );
      for (let i = 0; i < rows.length; i++)
        for (let j = i + 1; j < rows.length; j++)
          if (rows[i]!.machine_id === rows[j]!.machine_id)
            expect(overlaps({ start: rows[i]!.s, end: rows[i]!.e }, { start: rows[j]!.s, end: rows[j]!.e })).toBe(
              false,
            );
      expect(out.booked.every((b) => b.machineId !== m.far!.id)).toBe(true);
      const open = (await get(u.town, '/api/machinery/demands?status=open')).json() as { items: Demand[] };
      expect(open.items.map((x) => x.id).filter((id) => out.unassigned.every((x) => x.demandId !== id))).toEqual([]);
    });

    it('shows the owner their schedule and the farmer their booking', async () => {
      const mine = (await get(u.farmer, '/api/me/machinery/demands')).json() as { items: Demand[] };
      const d = mine.items[0]!;
      expect(d.status).toBe('booked');
      expect(d.booking).toMatchObject({ ownerName: '白石村农机专业合作社' });
      const schedule = (await get(u.owner, '/api/me/machinery/schedule')).json() as { items: Booking[] };
      expect(schedule.items.some((b) => b.demandId === d.id && b.farmerName === '李*粮')).toBe(true);
      expect(((await get('huoban', '/api/me/machinery/schedule')).json() as { items: Booking[] }).items).toEqual([]);
    });
  });

  describe('completion and statistics', () => {
    it('completes a job with the area done, counts it in the month, and exports the figures', async () => {
      const bookings = (await get(u.cwA, `/api/machinery/bookings?machineId=${m.a!.id}`)).json() as {
        items: Booking[];
      };
      const b = bookings.items.find((x) => x.status === 'booked' && x.areaMu === 100)!;
      const too = await post(u.cwA, `/api/machinery/bookings/${b.id}/complete`, { areaDoneMu: 100.5 });
      expect(too.statusCode).toBe(400);
      expect(too.json()).toMatchObject({ code: 'MACHINERY_AREA_DONE_TOO_LARGE', field: 'areaDoneMu' });
      const hidden = await post(u.cwB, `/api/machinery/bookings/${b.id}/complete`, { areaDoneMu: 95 });
      expect(hidden.statusCode).toBe(404);
      const done = await post(u.cwA, `/api/machinery/bookings/${b.id}/complete`, { areaDoneMu: 95.5 });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ status: 'done', areaDoneMu: 95.5, revenueYuan: 5730 });
      const again = await post(u.cwA, `/api/machinery/bookings/${b.id}/complete`, { areaDoneMu: 1 });
      expect(again.json()).toMatchObject({ code: 'MACHINERY_BOOKING_NOT_OPEN' });

      const month = today.slice(0, 7);
      const stats = (await get(u.cwA, `/api/machinery/stats?month=${month}`)).json() as Stats;
      expect(stats.total).toEqual({ bookings: 1, areaDoneMu: 95.5, revenueYuan: 5730 });
      expect(stats.byMachine).toEqual([
        { id: m.a!.id, name: '雷沃谷神 A', bookings: 1, areaDoneMu: 95.5, revenueYuan: 5730 },
      ]);
      expect(stats.byOwner[0]).toMatchObject({ id: owner.id, bookings: 1 });
      expect(stats.byVillage[0]).toMatchObject({ id: n.vA, name: '白石村', areaDoneMu: 95.5 });
      const empty = (await get(u.cwB, `/api/machinery/stats?month=${month}`)).json() as Stats;
      expect(empty.total.bookings).toBe(0);
      const bad = await get(u.cwA, '/api/machinery/stats?month=2026-13');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ field: 'month' });

      const xlsx = await get(u.cwA, `/api/machinery/stats/export?month=${month}`);
      expect(xlsx.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('按农机')!;
      expect(ws.getRow(3).values).toEqual([undefined, '雷沃谷神 A', 1, 95.5, 5730]);
    });

    it('cancels a booking: the machine’s days are free and the demand open again', async () => {
      const list = (await get(u.town, '/api/machinery/bookings?status=booked')).json() as { items: Booking[] };
      const b = list.items[0]!;
      const res = await post(u.town, `/api/machinery/bookings/${b.id}/cancel`, {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'cancelled' });
      const d = await env.db.query<{ status: string }>('SELECT status FROM machinery_demands WHERE id = $1', [
        b.demandId,
      ]);
      expect(d[0]!.status).toBe('open');
      const audit = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'machinery.booking_cancel' AND target_id = $1`,
        [String(b.id)],
      );
      expect(audit[0]!.n).toBe(1);
    });
  });
});
