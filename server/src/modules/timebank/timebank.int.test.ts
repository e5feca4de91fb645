import { beforeAll, expect, it } from 'vitest';
import { buildHousehold, buildResident } from '../../test/people-factories.js';
import { linkUserToResident } from '../../test/points-factories.js';
import { describeEachDb } from '../../test/test-app.js';
import { buildService, enrollVolunteer } from '../../test/timebank-factories.js';
import { issuerAccount, postTransfer, residentAccount } from '../points/ledger.repo.js';

/**
 * The time bank end to end: a volunteer's service → confirmed → hours deposited from the community's issuer; a
 * family member's request paid in hours → matched by ranking → the service confirmed → hours withdrawn from the
 * requester. Every refusal leaves the ledger as it was.
 */
describeEachDb('time bank', (env) => {
  const r: Record<string, number> = {};
  const u: Record<string, number> = {};

  const ledger = async () =>
    (
      await env.db.query<{ n: number; s: string }>(
        `SELECT (SELECT count(*)::int FROM ledger_transfers) AS n,
                (SELECT string_agg(id || ':' || balance, ',' ORDER BY id) FROM ledger_accounts) AS s`,
      )
    )[0];
  const hours = async (residentId: number) => (await residentAccount(env.db, residentId, 'hours')).balance;
  const hoursSum = async () =>
    Number(
      (
        await env.db.query<{ s: string }>(
          `SELECT coalesce(sum(balance), 0) AS s FROM ledger_accounts WHERE currency = 'hours'`,
        )
      )[0]!.s,
    );
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

  beforeAll(async () => {
    for (const name of ['zhiyuan', 'jumin', 'shequ', 'wangge', 'louzhang'])
      u[name] = (await env.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [name]))[0]!.id;
    const unit = env.ids.unit!;
    const [other] = await env.db.query<{ id: number }>(
      `SELECT n.id FROM org_nodes n WHERE n.type = 'unit' AND n.path NOT LIKE (SELECT path FROM org_nodes WHERE id = $1) || '%'
        ORDER BY n.id LIMIT 1`,
      [env.ids.community],
    );
    const [sibling] = await env.db.query<{ id: number }>(
      `SELECT n.id FROM org_nodes n WHERE n.type = 'unit' AND n.id <> $1
          AND n.path LIKE (SELECT path FROM org_nodes WHERE id = $2) || '%'
          AND n.path NOT LIKE (SELECT path FROM org_nodes WHERE id = $3) || '%'
        ORDER BY n.id LIMIT 1`,
      [unit, env.ids.community, env.ids.grid],
    );
    const household = await buildHousehold(env, { nodeId: unit });
    r.elder = (
      await buildResident(env, {
        nodeId: unit,
        name: '王大娘',
        birthDate: '1940-03-01',
        householdId: household.id,
        relation: 'head',
      })
    ).id;
    r.son = (
      await buildResident(env, { nodeId: unit, name: '王建国', householdId: household.id, relation: 'child' })
    ).id;
    r.vol = (await buildResident(env, { nodeId: unit, name: '李志愿' })).id;
    r.vol2 = (await buildResident(env, { nodeId: sibling!.id, name: '赵热心' })).id;
    r.stranger = (await buildResident(env, { nodeId: unit, name: '陈路人' })).id;
    r.outside = (await buildResident(env, { nodeId: other!.id, name: '外社区' })).id;
    r.outsideVol = (await buildResident(env, { nodeId: other!.id, name: '外志愿' })).id;
    await linkUserToResident(env.db, u.zhiyuan!, r.vol!);
    await linkUserToResident(env.db, u.jumin!, r.son!);
    await enrollVolunteer(env.db, r.vol!, { skills: ['elder_care'], userId: u.zhiyuan! });
    await enrollVolunteer(env.db, r.vol2!, { skills: [] });
    await enrollVolunteer(env.db, r.son!, { skills: ['repair'], userId: u.jumin! });
    await enrollVolunteer(env.db, r.outsideVol!, { skills: ['elder_care'] });
  });

  it('deposits a volunteer’s confirmed service from the community’s issuer, once, never self-confirmed', async () => {
    const found = await env.as('zhiyuan', {
      method: 'GET',
      url: `/api/me/timebank/people?name=${encodeURIComponent('王大娘')}`,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json().items).toEqual([expect.objectContaining({ residentId: r.elder, name: '王*娘' })]);
    const outside = await env.as('zhiyuan', {
      method: 'GET',
      url: `/api/me/timebank/people?name=${encodeURIComponent('外社区')}`,
    });
    expect(outside.json().items).toEqual([]);

    const rec = await env.as('zhiyuan', {
      method: 'POST',
      url: '/api/me/timebank/services',
      payload: {
        recipientResidentId: r.elder,
        serviceType: 'elder_care',
        servedAt: at(90),
        minutes: 60,
        note: '陪同就医',
      },
    });
    expect(rec.statusCode, rec.body).toBe(201);
    const s = rec.json();
    expect(s).toMatchObject({
      status: 'pending',
      minutes: 60,
      volunteerName: '李志愿',
      recipientName: '王*娘',
      payer: 'community',
    });

    const before = await ledger();
    const self = await env.as('zhiyuan', { method: 'POST', url: `/api/me/timebank/services/${s.id}/confirm` });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('TIMEBANK_SELF_CONFIRM');
    const stranger = await env.as('jumin', { method: 'POST', url: `/api/me/timebank/services/${s.id}/confirm` });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().code).toBe('TIMEBANK_SERVICE_NOT_FOUND');
    const noRecord = await env.as('louzhang', { method: 'GET', url: '/api/me/timebank' });
    expect(noRecord.json().code).toBe('LEDGER_NO_RESIDENT');
    expect(await ledger()).toEqual(before);

    const ok = await env.as('shequ', { method: 'POST', url: `/api/timebank/services/${s.id}/confirm` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', transferId: expect.any(Number) });
    expect(await hours(r.vol!)).toBe(60);
    const [t] = await env.db.query<{ kind: string; amount: number; from_kind: string; key: string }>(
      `SELECT t.kind, t.amount, f.kind AS from_kind, t.idempotency_key AS key
         FROM ledger_transfers t JOIN ledger_accounts f ON f.id = t.from_account_id WHERE t.id = $1`,
      [ok.json().transferId],
    );
    expect(t).toMatchObject({ kind: 'service', amount: 60, from_kind: 'issuer', key: `timebank:service:${s.id}` });

    const after = await ledger();
    const twice = await env.as('shequ', { method: 'POST', url: `/api/timebank/services/${s.id}/confirm` });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('TIMEBANK_ALREADY_DECIDED');
    const rejectLate = await env.as('shequ', {
      method: 'POST',
      url: `/api/timebank/services/${s.id}/reject`,
      payload: { reason: '晚了' },
    });
    expect(rejectLate.json().code).toBe('TIMEBANK_ALREADY_DECIDED');
    expect(await ledger()).toEqual(after);
    expect(await hoursSum()).toBe(0);
  });

  it('refuses bad records: a future date, oneself, someone outside the community, a non-volunteer', async () => {
    const before = await ledger();
    const count = async () =>
      (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM timebank_services'))[0]!.n;
    const n = await count();
    const post = (who: string, payload: object) =>
      env.as(who, { method: 'POST', url: '/api/me/timebank/services', payload });
    const base = { recipientResidentId: r.elder, serviceType: 'elder_care', servedAt: at(10), minutes: 30 };
    const future = await post('zhiyuan', { ...base, servedAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(future.json()).toMatchObject({ code: 'TIMEBANK_IN_FUTURE', field: 'servedAt' });
    const self = await post('zhiyuan', { ...base, recipientResidentId: r.vol });
    expect(self.json()).toMatchObject({ code: 'TIMEBANK_SELF_SERVICE', field: 'recipientResidentId' });
    const far = await post('zhiyuan', { ...base, recipientResidentId: r.outside });
    expect(far.statusCode).toBe(404);
    expect(far.json()).toMatchObject({ code: 'TIMEBANK_RECIPIENT_NOT_FOUND', field: 'recipientResidentId' });
    const tooShort = await post('zhiyuan', { ...base, minutes: 10 });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().field).toBe('minutes');
    const badType = await post('zhiyuan', { ...base, serviceType: 'Elder Care' });
    expect(badType.json().field).toBe('serviceType');
    const notVol = await post('louzhang', base);
    expect(notVol.json().code).toBe('LEDGER_NO_RESIDENT');
    // the grid worker of 第一网格 cannot record for a volunteer of another community
    const worker = await env.as('wangge', {
      method: 'POST',
      url: '/api/timebank/services',
      payload: { ...base, volunteerResidentId: r.outsideVol, recipientResidentId: r.outside },
    });
    expect(worker.statusCode).toBe(404);
    expect(worker.json().code).toBe('TIMEBANK_VOLUNTEER_NOT_FOUND');
    expect(await count()).toBe(n);
    expect(await ledger()).toEqual(before);
  });

  it('keeps another community’s records out of a worker’s reach', async () => {
    const id = await buildService(env.db, {
      volunteerResidentId: r.outsideVol!,
      recipientResidentId: r.outside!,
      recordedBy: u.shequ!,
    });
    const before = await ledger();
    for (const who of ['shequ', 'wangge']) {
      const res = await env.as(who, { method: 'POST', url: `/api/timebank/services/${id}/confirm` });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('TIMEBANK_SERVICE_NOT_FOUND');
    }
    const list = await env.as('shequ', { method: 'GET', url: '/api/timebank/services' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((s: { id: number }) => s.id)).not.toContain(id);
    expect(await ledger()).toEqual(before);
    const admin = await env.as('admin', {
      method: 'POST',
      url: `/api/timebank/services/${id}/reject`,
      payload: { reason: '重复' },
    });
    expect(admin.json()).toMatchObject({ status: 'rejected', rejectReason: '重复' });
    expect(await ledger()).toEqual(before);
  });

  it('service → hours → request → match → withdrawal, refused while the requester is short', async () => {
    // jumin's resident (王建国) earns 120 minutes serving a neighbour, confirmed by the worker
    const earn = await env.as('jumin', {
      method: 'POST',
      url: '/api/me/timebank/services',
      payload: { recipientResidentId: r.stranger, serviceType: 'repair', servedAt: at(30), minutes: 120 },
    });
    expect(earn.statusCode, earn.body).toBe(201);
    expect(
      (await env.as('shequ', { method: 'POST', url: `/api/timebank/services/${earn.json().id}/confirm` })).statusCode,
    ).toBe(200);
    expect(await hours(r.son!)).toBe(120);

    // he asks for 90 minutes of care for his mother (same household), then cannot promise 60 more
    const wantedAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const ask = (payload: object) => env.as('jumin', { method: 'POST', url: '/api/me/timebank/requests', payload });
    const req = await ask({
      beneficiaryResidentId: r.elder,
      serviceType: 'elder_care',
      wantedAt,
      minutes: 90,
      place: '1号楼1单元',
    });
    expect(req.statusCode, req.body).toBe(201);
    expect(req.json()).toMatchObject({
      status: 'open',
      payFrom: 'requester',
      requesterResidentId: r.son,
      beneficiaryName: '王*娘',
    });
    const short = await ask({ beneficiaryResidentId: r.son, serviceType: 'repair', wantedAt, minutes: 60 });
    expect(short.statusCode).toBe(409);
    expect(short.json()).toMatchObject({ code: 'TIMEBANK_HOURS_SHORT', field: 'minutes' });
    expect(short.json().message).toContain('30');
    const notFamily = await ask({ beneficiaryResidentId: r.stranger, serviceType: 'repair', wantedAt, minutes: 15 });
    expect(notFamily.json()).toMatchObject({ code: 'TIMEBANK_NOT_FAMILY', field: 'beneficiaryResidentId' });
    const me = (await env.as('jumin', { method: 'GET', url: '/api/me/timebank' })).json();
    expect(me).toMatchObject({ balanceMinutes: 120, reservedMinutes: 90, availableMinutes: 30 });
    expect(me.requests.map((x: { id: number }) => x.id)).toEqual([req.json().id]);

    // matching: 李志愿 (skill, same building) first, 赵热心 next; the requester himself is no candidate
    const reqId = req.json().id;
    const cands = await env.as('shequ', { method: 'GET', url: `/api/timebank/requests/${reqId}/candidates` });
    expect(cands.statusCode).toBe(200);
    const items = cands.json().items;
    expect(items.map((c: { residentId: number }) => c.residentId)).toEqual([r.vol, r.vol2]);
    expect(items[0]).toMatchObject({ rank: 1, skillMatch: true, place: 'same_building' });
    expect(items[0].reasons).toContainEqual({ code: 'skill_match', skill: 'elder_care' });
    const wrong = await env.as('shequ', {
      method: 'POST',
      url: `/api/timebank/requests/${reqId}/match`,
      payload: { volunteerResidentId: r.outsideVol },
    });
    expect(wrong.json()).toMatchObject({ code: 'TIMEBANK_VOLUNTEER_NOT_FOUND', field: 'volunteerResidentId' });
    const matched = await env.as('shequ', {
      method: 'POST',
      url: `/api/timebank/requests/${reqId}/match`,
      payload: { volunteerResidentId: r.vol },
    });
    expect(matched.json()).toMatchObject({ status: 'matched', volunteerResidentId: r.vol });
    const inbox = await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM inbox_messages WHERE user_id = $1 AND kind = 'timebank.matched'`,
      [u.zhiyuan],
    );
    expect(inbox[0]!.n).toBe(1);
    const mine = (await env.as('zhiyuan', { method: 'GET', url: '/api/me/timebank' })).json();
    expect(mine.matchedToMe.map((x: { id: number }) => x.id)).toEqual([reqId]);

    // the volunteer records it; the son spends his hours meanwhile, so confirming is refused and nothing moves
    const rec = await env.as('zhiyuan', {
      method: 'POST',
      url: '/api/me/timebank/services',
      payload: {
        recipientResidentId: r.elder,
        requestId: reqId,
        serviceType: 'elder_care',
        servedAt: at(5),
        minutes: 90,
      },
    });
    expect(rec.statusCode, rec.body).toBe(201);
    expect(rec.json()).toMatchObject({ payer: 'requester', requestId: reqId });
    const again = await env.as('zhiyuan', {
      method: 'POST',
      url: '/api/me/timebank/services',
      payload: {
        recipientResidentId: r.elder,
        requestId: reqId,
        serviceType: 'elder_care',
        servedAt: at(5),
        minutes: 90,
      },
    });
    expect(again.json().code).toBe('TIMEBANK_REQUEST_HAS_SERVICE');
    const awaiting = (await env.as('jumin', { method: 'GET', url: '/api/me/timebank' })).json().awaitingMe;
    expect(awaiting.map((x: { id: number }) => x.id)).toEqual([rec.json().id]);

    const sonAcc = await residentAccount(env.db, r.son!, 'hours');
    const issuer = await issuerAccount(env.db, sonAcc.communityId, 'hours');
    await postTransfer(env.db, {
      currency: 'hours',
      kind: 'adjust',
      amount: 60,
      fromAccountId: sonAcc.id,
      toAccountId: issuer.id,
      reason: '测试扣减',
    });
    const before = await ledger();
    const refused = await env.as('jumin', {
      method: 'POST',
      url: `/api/me/timebank/services/${rec.json().id}/confirm`,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('LEDGER_INSUFFICIENT_BALANCE');
    expect(await ledger()).toEqual(before);
    expect(
      (
        await env.db.query<{ status: string }>('SELECT status FROM timebank_services WHERE id = $1', [rec.json().id])
      )[0]!.status,
    ).toBe('pending');

    await postTransfer(env.db, {
      currency: 'hours',
      kind: 'adjust',
      amount: 60,
      fromAccountId: issuer.id,
      toAccountId: sonAcc.id,
      reason: '测试补回',
    });
    const volBefore = await hours(r.vol!);
    const ok = await env.as('jumin', { method: 'POST', url: `/api/me/timebank/services/${rec.json().id}/confirm` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed' });
    expect(await hours(r.son!)).toBe(30);
    expect(await hours(r.vol!)).toBe(volBefore + 90);
    const [t] = await env.db.query<{ kind: string; from_account_id: number }>(
      'SELECT kind, from_account_id FROM ledger_transfers WHERE id = $1',
      [ok.json().transferId],
    );
    expect(t).toMatchObject({ kind: 'withdraw', from_account_id: sonAcc.id });
    const done = await env.as('shequ', { method: 'GET', url: '/api/timebank/requests?status=done' });
    expect(done.json().items.map((x: { id: number }) => x.id)).toContain(reqId);
    expect(await hoursSum()).toBe(0);

    const stats = (await env.as('shequ', { method: 'GET', url: '/api/timebank/stats' })).json();
    expect(stats.communities).toContainEqual(
      expect.objectContaining({ nodeId: env.ids.community, withdrawnMinutes: 90 }),
    );
    expect(stats.topVolunteers[0]).toMatchObject({ residentId: r.vol, minutes: 150 });
  });

  it('lets a volunteer take a community-paid request, and the worker’s confirmation pays from the issuer', async () => {
    const filed = await env.as('wangge', {
      method: 'POST',
      url: '/api/timebank/requests',
      payload: {
        beneficiaryResidentId: r.elder,
        serviceType: 'cleaning',
        wantedAt: new Date(Date.now() + 86_400_000).toISOString(),
        minutes: 45,
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ payFrom: 'community', status: 'open' });
    const id = filed.json().id;
    const outsider = await env.as('wangge', {
      method: 'POST',
      url: '/api/timebank/requests',
      payload: {
        beneficiaryResidentId: r.outside,
        serviceType: 'cleaning',
        wantedAt: new Date(Date.now() + 86_400_000).toISOString(),
        minutes: 45,
      },
    });
    expect(outsider.json()).toMatchObject({ code: 'RESIDENT_NOT_FOUND', field: 'beneficiaryResidentId' });

    const nearby = (await env.as('zhiyuan', { method: 'GET', url: '/api/me/timebank' })).json().openNearby;
    expect(nearby.map((x: { id: number }) => x.id)).toContain(id);
    const take = await env.as('zhiyuan', { method: 'POST', url: `/api/me/timebank/requests/${id}/accept` });
    expect(take.json()).toMatchObject({ status: 'matched', volunteerResidentId: r.vol });
    const late = await env.as('jumin', { method: 'POST', url: `/api/me/timebank/requests/${id}/accept` });
    expect(late.json().code).toBe('TIMEBANK_REQUEST_NOT_OPEN');

    const rec = await env.as('zhiyuan', {
      method: 'POST',
      url: '/api/me/timebank/services',
      payload: { recipientResidentId: r.elder, requestId: id, serviceType: 'cleaning', servedAt: at(1), minutes: 45 },
    });
    expect(rec.json()).toMatchObject({ payer: 'community' });
    const before = await hours(r.vol!);
    const ok = await env.as('wangge', { method: 'POST', url: `/api/timebank/services/${rec.json().id}/confirm` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await hours(r.vol!)).toBe(before + 45);
    const cancel = await env.as('shequ', { method: 'POST', url: `/api/timebank/requests/${id}/cancel` });
    expect(cancel.json().code).toBe('TIMEBANK_REQUEST_NOT_OPEN');
    expect(await hoursSum()).toBe(0);
  });
});
