import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoPointsEarning } from '../../demo/demo-points-earning.js';
import { buildResident } from '../../test/people-factories.js';
import { linkUserToResident } from '../../test/points-factories.js';
import { describeEachDb } from '../../test/test-app.js';
import { runEarners } from './earners.service.js';
import { creditByRule } from './earning.service.js';
import { reverseTransfer } from './ledger.repo.js';

type Rule = { id: number; code: string; version: number; enabled: boolean; amount: number; dailyCap: number | null };

describeEachDb('points earning', (env) => {
  let resA = 0; // jumin's resident (1号楼1单元)
  let resB = 0;
  let resOut = 0; // a resident of 第二网格 (outside wangge's grid)
  let caseCat = 0;
  let caseSeq = 0;

  beforeAll(async () => {
    resA = (await buildResident(env, { nodeId: env.ids.unit!, name: '陈积分' })).id;
    resB = (await buildResident(env, { nodeId: env.ids.unit!, name: '林积分' })).id;
    const [grid2] = await env.db.query<{ id: number }>(
      "SELECT id FROM org_nodes WHERE parent_id = $1 AND name = '第二网格'",
      [env.ids.community],
    );
    resOut = (await buildResident(env, { nodeId: Number(grid2!.id), name: '外网格' })).id;
    const [jumin] = await env.db.query<{ id: number }>("SELECT id FROM users WHERE username = 'jumin'");
    await linkUserToResident(env.db, Number(jumin!.id), resA);
    const [cat] = await env.db.query<{ id: number }>('SELECT id FROM case_categories ORDER BY id LIMIT 1');
    caseCat = Number(cat!.id);
  });

  const rules = async (): Promise<Rule[]> =>
    ((await env.as('admin', { method: 'GET', url: '/api/points/rules' })).json() as { items: Rule[] }).items;
  const rule = async (code: string) => (await rules()).find((r) => r.code === code)!;
  const credit = (
    residentId: number,
    key: string,
    now: Date,
    trigger: 'case_confirmed' | 'garbage_checkin' = 'case_confirmed',
  ) =>
    env.db.transaction((tx) =>
      creditByRule(tx, {
        trigger,
        residentId,
        idempotencyKey: key,
        reason: '测试',
        sourceType: 'test',
        sourceId: null,
        now,
      }),
    );
  const balance = async (residentId: number) => {
    const [row] = await env.db.query<{ b: string }>(
      "SELECT COALESCE(sum(balance), 0)::bigint AS b FROM ledger_accounts WHERE resident_id = $1 AND currency = 'points'",
      [residentId],
    );
    return Number(row!.b);
  };

  describe('rules', () => {
    it('lists the builtin rules to points.read and points.config, and refuses residents', async () => {
      const res = await env.as('shequ', { method: 'GET', url: '/api/points/rules' });
      expect(res.statusCode).toBe(200);
      const items = (res.json() as { items: Rule[] }).items;
      expect(items).toContainEqual(
        expect.objectContaining({ code: 'case_confirmed', trigger: 'case_confirmed', amount: 10, dailyCap: 30 }),
      );
      expect(items).toContainEqual(expect.objectContaining({ code: 'garbage_checkin', amount: 2, dailyCap: 2 }));
      expect(items).toContainEqual(
        expect.objectContaining({ code: 'activity_choir', trigger: 'activity', activityType: 'choir', amount: 5 }),
      );
      expect(items).toContainEqual(
        expect.objectContaining({ code: 'conduct_award', currency: 'conduct', enabled: false }),
      );
      const refused = await env.as('jumin', { method: 'GET', url: '/api/points/rules' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'FORBIDDEN' });
    });

    it('refuses bad rules naming the field, and creates nothing', async () => {
      const base = { code: 'bad_rule', name: '坏规则', trigger: 'activity', activityType: 'dance', amount: 5 };
      const cases: [Record<string, unknown>, string][] = [
        [{ trigger: 'birthday', activityType: null }, 'trigger'],
        [{ activityType: null }, 'activityType'],
        [{ trigger: 'garbage_checkin' }, 'activityType'],
        [{ amount: 0 }, 'amount'],
        [{ amount: -3 }, 'amount'],
        [{ dailyCap: 50, monthlyCap: 20 }, 'dailyCap'],
      ];
      for (const [change, field] of cases) {
        const res = await env.as('admin', {
          method: 'POST',
          url: '/api/points/rules',
          payload: { ...base, ...change },
        });
        expect(res.statusCode, JSON.stringify(change)).toBe(400);
        expect(res.json()).toMatchObject({ code: 'EARNING_RULE_INVALID', field });
      }
      expect((await rules()).some((r) => r.code === 'bad_rule')).toBe(false);
      // a second enabled rule for the same trigger would make crediting ambiguous
      const dup = await env.as('admin', {
        method: 'POST',
        url: '/api/points/rules',
        payload: { code: 'second_choir', name: '合唱2', trigger: 'activity', activityType: 'choir', amount: 3 },
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ code: 'EARNING_RULE_DUPLICATE', field: 'trigger' });
      // a conduct rule while the conduct score is off
      const conduct = await env.as('admin', {
        method: 'POST',
        url: '/api/points/rules',
        payload: { code: 'conduct_x', name: '文明', trigger: 'manual', currency: 'conduct', amount: 3 },
      });
      expect(conduct.statusCode).toBe(409);
      expect(conduct.json()).toMatchObject({ code: 'EARNING_RULE_CONDUCT_OFF' });
      // the community worker may read but not create
      const worker = await env.as('shequ', { method: 'POST', url: '/api/points/rules', payload: base });
      expect(worker.statusCode).toBe(403);
    });

    it('creates, changes (version checked), disables and enables a rule, audited', async () => {
      const created = await env.as('admin', {
        method: 'POST',
        url: '/api/points/rules',
        payload: {
          code: 'dance_rule',
          name: '广场舞',
          trigger: 'activity',
          activityType: 'dance',
          amount: 4,
          dailyCap: 8,
        },
      });
      expect(created.statusCode).toBe(201);
      const r = created.json() as Rule;
      expect(r).toMatchObject({
        code: 'dance_rule',
        amount: 4,
        dailyCap: 8,
        enabled: true,
        builtin: false,
        version: 1,
      });
      const changed = await env.as('admin', {
        method: 'PATCH',
        url: `/api/points/rules/${r.id}`,
        payload: { version: 1, amount: 6, monthlyCap: 60 },
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({ amount: 6, dailyCap: 8, monthlyCap: 60, version: 2 });
      const stale = await env.as('admin', {
        method: 'PATCH',
        url: `/api/points/rules/${r.id}`,
        payload: { version: 1, amount: 7 },
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'EARNING_RULE_VERSION_CONFLICT' });
      const tooMuch = await env.as('admin', {
        method: 'PATCH',
        url: `/api/points/rules/${r.id}`,
        payload: { version: 2, dailyCap: 100 },
      });
      expect(tooMuch.statusCode).toBe(400);
      expect(tooMuch.json()).toMatchObject({ code: 'EARNING_RULE_INVALID', field: 'dailyCap' });
      expect(await rule('dance_rule')).toMatchObject({ amount: 6, version: 2 });
      const off = await env.as('admin', {
        method: 'POST',
        url: `/api/points/rules/${r.id}/disable`,
        payload: { version: 2 },
      });
      expect(off.json()).toMatchObject({ enabled: false, version: 3 });
      const on = await env.as('admin', {
        method: 'POST',
        url: `/api/points/rules/${r.id}/enable`,
        payload: { version: 3 },
      });
      expect(on.json()).toMatchObject({ enabled: true, version: 4 });
      const audit = await env.db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE target_type = 'earning_rule' AND target_id = $1 ORDER BY id",
        [String(r.id)],
      );
      expect(audit.map((a) => a.action)).toEqual([
        'earning_rule.create',
        'earning_rule.update',
        'earning_rule.disable',
        'earning_rule.enable',
      ]);
      const missing = await env.as('admin', {
        method: 'PATCH',
        url: '/api/points/rules/999999',
        payload: { version: 1 },
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ code: 'EARNING_RULE_NOT_FOUND' });
    });
  });

  describe('settings', () => {
    it('reads and replaces the settings (version checked, audited), refusing workers', async () => {
      const got = await env.as('admin', { method: 'GET', url: '/api/points/settings' });
      expect(got.json()).toMatchObject({
        householdMode: 'sum',
        expiryPolicy: 'none',
        conductEnabled: false,
        pointsPerYuan: 100,
      });
      const v = (got.json() as { version: number }).version;
      const body = {
        householdMode: 'sum',
        expiryPolicy: 'yearly',
        expiryYears: 2,
        conductEnabled: true,
        pointsPerYuan: 100,
      };
      const refused = await env.as('shequ', {
        method: 'PUT',
        url: '/api/points/settings',
        payload: { ...body, version: v },
      });
      expect(refused.statusCode).toBe(403);
      const put = await env.as('admin', {
        method: 'PUT',
        url: '/api/points/settings',
        payload: { ...body, version: v },
      });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({
        expiryPolicy: 'yearly',
        expiryYears: 2,
        conductEnabled: true,
        version: v + 1,
      });
      const stale = await env.as('admin', {
        method: 'PUT',
        url: '/api/points/settings',
        payload: { ...body, version: v },
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'POINTS_SETTINGS_VERSION_CONFLICT' });
      const bad = await env.as('admin', {
        method: 'PUT',
        url: '/api/points/settings',
        payload: { ...body, expiryYears: 9, version: v + 1 },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ field: 'expiryYears' });
      // the conduct score on: its rule may be enabled now; off again: its rules go off with it
      const conduct = await rule('conduct_award');
      const on = await env.as('admin', {
        method: 'POST',
        url: `/api/points/rules/${conduct.id}/enable`,
        payload: { version: conduct.version },
      });
      expect(on.json()).toMatchObject({ enabled: true });
      const back = await env.as('admin', {
        method: 'PUT',
        url: '/api/points/settings',
        payload: { ...body, expiryPolicy: 'none', expiryYears: 1, conductEnabled: false, version: v + 1 },
      });
      expect(back.json()).toMatchObject({ conductEnabled: false, expiryPolicy: 'none' });
      expect(await rule('conduct_award')).toMatchObject({ enabled: false });
      const audit = await env.db.query("SELECT 1 FROM audit_log WHERE action = 'points_settings.update'");
      expect(audit.length).toBe(2);
    });
  });

  describe('creditByRule caps', () => {
    it('daily cap on Shanghai days: cut to what is left, nothing when reached; 23:59 and 00:01 are two days', async () => {
      const day1 = new Date('2026-03-10T03:00:00Z'); // 11:00 in Shanghai
      const r1 = await credit(resB, 'cap:1', day1);
      const r2 = await credit(resB, 'cap:2', day1);
      const r3 = await credit(resB, 'cap:3', day1);
      expect([r1.amount, r2.amount, r3.amount]).toEqual([10, 10, 10]);
      const late = await credit(resB, 'cap:4', new Date('2026-03-10T15:59:00Z')); // 23:59, same day: cap 30 reached
      expect(late).toMatchObject({ transferId: null, amount: 0, capped: true, duplicate: false });
      const early = await credit(resB, 'cap:5', new Date('2026-03-10T16:01:00Z')); // 00:01 next day
      expect(early).toMatchObject({ amount: 10, capped: false });
      expect(await balance(resB)).toBe(40);
    });

    it('a daily cap cuts a credit to what is left of it', async () => {
      const dance = await rule('dance_rule'); // amount 6, daily cap 8, monthly 60
      const at = new Date('2026-03-12T02:00:00Z');
      const go = (key: string) =>
        env.db.transaction((tx) =>
          creditByRule(tx, {
            trigger: 'activity',
            activityType: 'dance',
            residentId: resB,
            idempotencyKey: key,
            reason: '广场舞',
            sourceType: 'test',
            sourceId: null,
            now: at,
          }),
        );
      expect(await go('dance:1')).toMatchObject({ amount: 6, capped: false, ruleId: dance.id });
      expect(await go('dance:2')).toMatchObject({ amount: 2, capped: true });
      expect(await go('dance:3')).toMatchObject({ amount: 0, capped: true, transferId: null });
    });

    it('the monthly cap counts the Shanghai month', async () => {
      const dance = await rule('dance_rule');
      const patched = await env.as('admin', {
        method: 'PATCH',
        url: `/api/points/rules/${dance.id}`,
        payload: { version: dance.version, dailyCap: null, monthlyCap: 15 },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const at = (iso: string, key: string) =>
        env.db.transaction((tx) =>
          creditByRule(tx, {
            trigger: 'activity',
            activityType: 'dance',
            residentId: resA,
            idempotencyKey: key,
            reason: '广场舞',
            sourceType: 'test',
            sourceId: null,
            now: new Date(iso),
          }),
        );
      expect((await at('2026-04-01T01:00:00Z', 'm:1')).amount).toBe(6);
      expect((await at('2026-04-15T01:00:00Z', 'm:2')).amount).toBe(6);
      expect(await at('2026-04-30T15:30:00Z', 'm:3')).toMatchObject({ amount: 3, capped: true }); // 23:30 on the 30th
      expect((await at('2026-04-30T16:30:00Z', 'm:4')).amount).toBe(6); // 00:30 on 1 May: a new month
    });

    it('reversed credits do not count against the cap', async () => {
      const at = new Date('2026-03-20T02:00:00Z');
      const a = await credit(resA, 'rev:1', at);
      await credit(resA, 'rev:2', at);
      await credit(resA, 'rev:3', at);
      expect((await credit(resA, 'rev:4', at)).amount).toBe(0);
      await env.db.transaction((tx) => reverseTransfer(tx, a.transferId!, { reason: '撤销测试' }));
      expect(await credit(resA, 'rev:5', at)).toMatchObject({ amount: 10, capped: false });
    });

    it('is idempotent: the same key is the earlier credit, nothing moves', async () => {
      const at = new Date('2026-03-21T02:00:00Z');
      const before = await balance(resA);
      const first = await credit(resA, 'idem:1', at);
      const again = await credit(resA, 'idem:1', at);
      expect(again).toMatchObject({ transferId: first.transferId, amount: 10, duplicate: true });
      expect(await balance(resA)).toBe(before + 10);
    });

    it('no enabled rule: nothing credited', async () => {
      const g = await rule('garbage_checkin');
      await env.as('admin', {
        method: 'POST',
        url: `/api/points/rules/${g.id}/disable`,
        payload: { version: g.version },
      });
      const r = await credit(resA, 'off:1', new Date(), 'garbage_checkin');
      expect(r).toMatchObject({ transferId: null, amount: 0, ruleId: null });
      const g2 = await rule('garbage_checkin');
      await env.as('admin', {
        method: 'POST',
        url: `/api/points/rules/${g2.id}/enable`,
        payload: { version: g2.version },
      });
    });

    it('concurrent credits to one person cannot pass a cap together', async () => {
      const fresh = (await buildResident(env, { nodeId: env.ids.unit!, name: '并发人' })).id;
      const at = new Date('2026-05-05T02:00:00Z');
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => credit(fresh, `conc:${fresh}:${i}`, at)));
      const total = results.reduce((s, r) => s + r.amount, 0);
      expect(total).toBe(30); // the daily cap, whatever the interleaving
      expect(results.filter((r) => r.transferId !== null).length).toBe(3);
      expect(await balance(fresh)).toBe(30);
    });
  });

  describe('automatic earners', () => {
    const insertCase = async (o: { reporter: string; stage: string; dispatched: boolean }) => {
      caseSeq++;
      const [u] = await env.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [o.reporter]);
      const [node] = await env.db.query<{ path: string; county_id: number }>(
        'SELECT path, county_id FROM org_nodes WHERE id = $1',
        [env.ids.unit],
      );
      const [c] = await env.db.query<{ id: number }>(
        `INSERT INTO cases (county_id, case_no, category_id, stage, title, source, reporter_id, node_id, node_path,
           dispatched_at)
         VALUES ($1, $2, $3, $4, '楼道堆物', 'resident', $5, $6, $7, $8) RETURNING id`,
        [
          node!.county_id,
          `PTEST-${caseSeq}-${randomUUID().slice(0, 8)}`,
          caseCat,
          o.stage,
          u!.id,
          env.ids.unit,
          node!.path,
          o.dispatched ? new Date() : null,
        ],
      );
      return Number(c!.id);
    };

    it('credits a confirmed case reported by a resident-linked account once, and notifies them', async () => {
      const before = await balance(resA);
      const accepted = await insertCase({ reporter: 'jumin', stage: 'handling', dispatched: true });
      const pending = await insertCase({ reporter: 'jumin', stage: 'reported', dispatched: false });
      const cancelled = await insertCase({ reporter: 'jumin', stage: 'cancelled', dispatched: true });
      const merged = await insertCase({ reporter: 'jumin', stage: 'merged', dispatched: true });
      const byWorker = await insertCase({ reporter: 'wangge', stage: 'handling', dispatched: true });
      const r = await runEarners(env.db);
      expect(r.cases).toBe(1);
      expect(await balance(resA)).toBe(before + 10);
      const keys = await env.db.query<{ k: string }>(
        "SELECT idempotency_key AS k FROM ledger_transfers WHERE idempotency_key LIKE 'case:%'",
      );
      const credited = keys.map((k) => k.k);
      expect(credited).toContain(`case:${accepted}`);
      for (const id of [pending, cancelled, merged, byWorker]) expect(credited).not.toContain(`case:${id}`);
      // again: nothing more
      expect((await runEarners(env.db)).cases).toBe(0);
      expect(await balance(resA)).toBe(before + 10);
      // the pending case accepted later is credited by the next run
      await env.db.query("UPDATE cases SET stage = 'dispatched', dispatched_at = now() WHERE id = $1", [pending]);
      expect((await runEarners(env.db)).cases).toBe(1);
      expect(await balance(resA)).toBe(before + 20);
      const inbox = await env.as('jumin', { method: 'GET', url: '/api/inbox' });
      expect(JSON.stringify(inbox.json())).toContain('随手拍被受理');
    });

    it('credits a visit by a linked volunteer without a staff post (not not_home, not a staff visitor)', async () => {
      const [lz] = await env.db.query<{ id: number }>("SELECT id FROM users WHERE username = 'louzhang'");
      const [wg] = await env.db.query<{ id: number }>("SELECT id FROM users WHERE username = 'wangge'");
      const leaderRes = (await buildResident(env, { nodeId: env.ids.unit!, name: '楼长本人' })).id;
      const workerRes = (await buildResident(env, { nodeId: env.ids.unit!, name: '网格员本人' })).id;
      await linkUserToResident(env.db, Number(lz!.id), leaderRes);
      await linkUserToResident(env.db, Number(wg!.id), workerRes);
      const [node] = await env.db.query<{ path: string; county_id: number }>(
        'SELECT path, county_id FROM org_nodes WHERE id = $1',
        [env.ids.unit],
      );
      const visit = async (visitor: number, outcome: string) => {
        const [v] = await env.db.query<{ id: number }>(
          `INSERT INTO visits (county_id, resident_id, node_id, node_path, visitor_id, visited_at, outcome, client_id)
           VALUES ($1, $2, $3, $4, $5, now(), $6, $7) RETURNING id`,
          [node!.county_id, resB, env.ids.unit, node!.path, visitor, outcome, randomUUID()],
        );
        return Number(v!.id);
      };
      const good = await visit(Number(lz!.id), 'well');
      await visit(Number(lz!.id), 'not_home');
      await visit(Number(wg!.id), 'well');
      const r = await runEarners(env.db);
      expect(r.visits).toBe(1);
      expect(await balance(leaderRes)).toBe(5);
      expect(await balance(workerRes)).toBe(0);
      const [t] = await env.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM ledger_transfers WHERE idempotency_key = 'visit:' || $1::text",
        [good],
      );
      expect(Number(t!.n)).toBe(1);
      expect((await runEarners(env.db)).visits).toBe(0);
    });
  });

  describe('garbage check-ins', () => {
    it('a good check-in credits the rule; the daily cap then says why nothing was; same clientId is the same', async () => {
      const before = await balance(resB);
      const clientId = randomUUID();
      const first = await env.as('wangge', {
        method: 'POST',
        url: '/api/points/garbage-checkins',
        payload: { residentId: resB, quality: 'good', clientId },
      });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ residentId: resB, quality: 'good', credited: 2, outcome: 'credited' });
      const again = await env.as('wangge', {
        method: 'POST',
        url: '/api/points/garbage-checkins',
        payload: { residentId: resB, quality: 'good', clientId },
      });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id: (first.json() as { id: number }).id, credited: 2 });
      const second = await env.as('louzhang', {
        method: 'POST',
        url: '/api/points/garbage-checkins',
        payload: { residentId: resB, quality: 'good', clientId: randomUUID() },
      });
      expect(second.statusCode).toBe(201);
      expect(second.json()).toMatchObject({ credited: 0, outcome: 'capped', transferId: null });
      const fair = await env.as('wangge', {
        method: 'POST',
        url: '/api/points/garbage-checkins',
        payload: { residentId: resA, quality: 'fair', clientId: randomUUID() },
      });
      expect(fair.json()).toMatchObject({ credited: 0, outcome: 'not_good' });
      expect(await balance(resB)).toBe(before + 2);
      const reused = await env.as('wangge', {
        method: 'POST',
        url: '/api/points/garbage-checkins',
        payload: { residentId: resA, quality: 'good', clientId },
      });
      expect(reused.statusCode).toBe(409);
      expect(reused.json()).toMatchObject({ code: 'GARBAGE_CHECKIN_CLIENT_REUSED', field: 'clientId' });
    });

    it('refuses residents outside the area and callers without the permission, recording nothing', async () => {
      const [{ n: before }] = (await env.db.query<{ n: string }>('SELECT count(*) AS n FROM garbage_checkins')) as [
        { n: string },
      ];
      const outside = await env.as('louzhang', {
        method: 'POST',
        url: '/api/points/garbage-checkins',
        payload: { residentId: resOut, quality: 'good', clientId: randomUUID() },
      });
      expect(outside.statusCode).toBe(404);
      expect(outside.json()).toMatchObject({ code: 'RESIDENT_NOT_FOUND' });
      const resident = await env.as('jumin', {
        method: 'POST',
        url: '/api/points/garbage-checkins',
        payload: { residentId: resB, quality: 'good', clientId: randomUUID() },
      });
      expect(resident.statusCode).toBe(404);
      const [{ n: after }] = (await env.db.query<{ n: string }>('SELECT count(*) AS n FROM garbage_checkins')) as [
        { n: string },
      ];
      expect(after).toBe(before);
    });

    it('lists check-ins of an area for readers, and a supervisor their own', async () => {
      const list = await env.as('wangge', {
        method: 'GET',
        url: `/api/points/garbage-checkins?nodeId=${env.ids.grid}`,
      });
      expect(list.statusCode).toBe(200);
      const items = (list.json() as { items: { residentId: number; recorderName: string }[] }).items;
      expect(items.filter((i) => i.residentId === resB).length).toBe(2);
      const own = await env.as('louzhang', { method: 'GET', url: '/api/points/garbage-checkins' });
      const mine = (own.json() as { items: { recordedBy: number }[] }).items;
      expect(mine.length).toBe(1);
      const refused = await env.as('jumin', { method: 'GET', url: '/api/points/garbage-checkins' });
      expect(refused.statusCode).toBe(403);
    });
  });

  describe('demo', () => {
    it('gives jumin garbage check-in credits through the real service, once', async () => {
      const before = await balance(resA);
      const first = await loadDemoPointsEarning(env.db);
      expect(first).toMatchObject({ checkins: 3 });
      expect(await balance(resA)).toBe(before + 6);
      expect(await loadDemoPointsEarning(env.db)).toBeNull();
      expect(await balance(resA)).toBe(before + 6);
    });
  });
});
