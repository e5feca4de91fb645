import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { buildUser, nodeIdByName } from '../../test/factories.js';
import { buildResident } from '../../test/people-factories.js';
import { linkUserToResident } from '../../test/points-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { checkinCodeFor, checkinWindow } from './activities.logic.js';
import { creditEndedActivities } from './activities.service.js';
import type {
  Activity,
  CheckinCode,
  MyActivity,
  Signup,
  TeamDetail,
  Volunteer,
  VolunteerPage,
} from './volunteers.schemas.js';

type Err = { code?: string; field?: string };
const MIN = 60_000;

describeEachDb('volunteers and activities', (env: TestEnv) => {
  const residents: { id: number; user: string; userId: number }[] = [];
  let grid2Resident: number;
  let grid2Worker: string;
  const post = (user: string, url: string, payload: Record<string, unknown> = {}) =>
    env.as(user, { method: 'POST', url, payload });
  const get = (user: string, url: string) => env.as(user, { method: 'GET', url });
  const del = (user: string, url: string) => env.as(user, { method: 'DELETE', url });
  const balance = async (residentId: number, currency = 'points') =>
    Number(
      (
        await env.db.query<{ b: number }>(
          "SELECT COALESCE(sum(balance), 0)::bigint AS b FROM ledger_accounts WHERE resident_id = $1 AND currency = $2 AND kind = 'resident'",
          [residentId, currency],
        )
      )[0]!.b,
    );
  const transfers = async () =>
    Number((await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_transfers'))[0]!.n);
  const newActivity = async (o: Partial<Record<string, unknown>> & { startsIn: number; lasts?: number }) => {
    const startsAt = new Date(Date.now() + o.startsIn);
    const endsAt = new Date(startsAt.getTime() + (o.lasts ?? 60 * MIN));
    const { startsIn: _s, lasts: _l, ...rest } = o;
    const res = await post('shequ', '/api/volunteers/activities', {
      nodeId: env.ids.community,
      title: '健步走',
      activityType: 'health_walk',
      place: '东关广场',
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      rewardAmount: 10,
      ...rest,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Activity;
  };

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const r = await buildResident(env, { nodeId: env.ids.unit!, name: `志愿者${i}` });
      const u = await buildUser(env, { role: 'resident', nodeId: env.ids.unit!, password: DEMO_PASSWORD });
      await linkUserToResident(env.db, u.id, r.id);
      residents.push({ id: r.id, user: u.username, userId: u.id });
    }
    const grid2 = await nodeIdByName(env.db, '第二网格', env.ids.community);
    grid2Resident = (await buildResident(env, { nodeId: grid2, name: '二网格居民' })).id;
    grid2Worker = (await buildUser(env, { role: 'grid_worker', nodeId: grid2, password: DEMO_PASSWORD })).username;
  });

  describe('teams and volunteers', () => {
    it('enrols residents with skills, refusing unknown skills and a second enrolment', async () => {
      const bad = await post('shequ', '/api/volunteers', { residentId: residents[0]!.id, skills: ['flying'] });
      expect([bad.statusCode, (bad.json() as Err).code, (bad.json() as Err).field]).toEqual([
        400,
        'VOLUNTEER_SKILL_UNKNOWN',
        'skills',
      ]);
      const res = await post('shequ', '/api/volunteers', {
        residentId: residents[0]!.id,
        skills: ['meals', 'repairs'],
        kind: 'rider',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        residentId: residents[0]!.id,
        name: '志愿者0',
        kind: 'rider',
        skills: ['meals', 'repairs'],
        available: true,
        userId: residents[0]!.userId,
        noShows: 0,
      });
      const again = await post('shequ', '/api/volunteers', { residentId: residents[0]!.id });
      expect((again.json() as Err).code).toBe('VOLUNTEER_ALREADY_ENROLLED');
    });

    it('keeps a grid worker to their grid: a resident of another grid is not found', async () => {
      const res = await post('wangge', '/api/volunteers', { residentId: grid2Resident });
      expect([res.statusCode, (res.json() as Err).code]).toEqual([404, 'VOLUNTEER_RESIDENT_NOT_FOUND']);
      const ok = await post(grid2Worker, '/api/volunteers', { residentId: grid2Resident, skills: ['tutoring'] });
      expect(ok.statusCode, ok.body).toBe(201);
      const list = (await get('wangge', '/api/volunteers')).json() as VolunteerPage;
      expect(list.items.map((v) => v.residentId)).toContain(residents[0]!.id);
      expect(list.items.map((v) => v.residentId)).not.toContain(grid2Resident);
      const filtered = (await get('shequ', '/api/volunteers?skill=tutoring')).json() as VolunteerPage;
      expect(filtered.items.map((v) => v.residentId)).toEqual([grid2Resident]);
    });

    it('lets a resident enrol themself from the phone; an unlinked account is refused', async () => {
      const res = await post(residents[1]!.user, '/api/me/volunteer', { skills: ['companionship'] });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ residentId: residents[1]!.id, kind: 'resident', available: true });
      const again = await post(residents[1]!.user, '/api/me/volunteer', { skills: ['haircut'], kind: 'courier' });
      expect(again.statusCode).toBe(200);
      expect((again.json() as Volunteer).skills).toEqual(['haircut']);
      const none = await post('zhiyuan', '/api/me/volunteer', { skills: ['meals'] });
      expect([none.statusCode, (none.json() as Err).code]).toEqual([409, 'LEDGER_NO_RESIDENT']);
    });

    it('makes a team, adds and removes members, audits the change', async () => {
      const res = await post('shequ', '/api/volunteers/teams', {
        nodeId: env.ids.community,
        name: '新业态移动网格员队',
        kind: 'mobile_grid',
      });
      expect(res.statusCode, res.body).toBe(201);
      const team = res.json() as TeamDetail;
      const added = await post('shequ', `/api/volunteers/teams/${team.id}/members`, {
        residentId: residents[0]!.id,
        role: 'leader',
      });
      expect(added.statusCode, added.body).toBe(200);
      expect((added.json() as TeamDetail).items).toMatchObject([{ residentId: residents[0]!.id, role: 'leader' }]);
      const notEnrolled = await post('shequ', `/api/volunteers/teams/${team.id}/members`, {
        residentId: residents[2]!.id,
      });
      expect((notEnrolled.json() as Err).code).toBe('VOLUNTEER_NOT_FOUND');
      // a grid worker cannot see a community's team
      expect((await get('wangge', `/api/volunteers/teams/${team.id}`)).statusCode).toBe(404);
      const removed = await del('shequ', `/api/volunteers/teams/${team.id}/members/${residents[0]!.id}`);
      expect((removed.json() as TeamDetail).items).toEqual([]);
      const audit = await env.db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE target_type = 'volunteer_team' AND target_id = $1 ORDER BY id",
        [String(team.id)],
      );
      expect(audit.map((a) => a.action)).toEqual([
        'volunteer_team.create',
        'volunteer_team.member_add',
        'volunteer_team.member_remove',
      ]);
    });
  });

  describe('activities: sign-up, check-in and crediting', () => {
    it('refuses a full activity, a second sign-up, and signing up after the start', async () => {
      const a = await newActivity({ startsIn: 2 * 24 * 60 * MIN, capacity: 1 });
      const first = await post(residents[0]!.user, `/api/me/activities/${a.id}/signup`);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ myStatus: 'signed_up', placesLeft: 0 });
      const twice = await post(residents[0]!.user, `/api/me/activities/${a.id}/signup`);
      expect((twice.json() as Err).code).toBe('ACTIVITY_ALREADY_SIGNED_UP');
      const full = await post(residents[1]!.user, `/api/me/activities/${a.id}/signup`);
      expect([full.statusCode, (full.json() as Err).code]).toEqual([409, 'ACTIVITY_FULL']);
      // withdrawing frees the place
      expect((await del(residents[0]!.user, `/api/me/activities/${a.id}/signup`)).statusCode).toBe(200);
      expect((await post(residents[1]!.user, `/api/me/activities/${a.id}/signup`)).statusCode).toBe(200);
      const open = (await get(residents[0]!.user, '/api/me/activities?scope=open')).json() as { items: MyActivity[] };
      expect(open.items.find((x) => x.id === a.id)).toMatchObject({ myStatus: 'cancelled', placesLeft: 0 });

      const started = await newActivity({ startsIn: -10 * MIN });
      const late = await post(residents[0]!.user, `/api/me/activities/${started.id}/signup`);
      expect([late.statusCode, (late.json() as Err).code]).toEqual([409, 'ACTIVITY_SIGNUP_CLOSED']);
    });

    it('checks in with the current code only, inside the window, and credits attendees once; others no-show', async () => {
      const a = await newActivity({ startsIn: 10 * MIN, lasts: 30 * MIN });
      for (const r of residents) expect((await post(r.user, `/api/me/activities/${a.id}/signup`)).statusCode).toBe(200);
      const code = (await get('shequ', `/api/volunteers/activities/${a.id}/checkin-code`)).json() as CheckinCode;
      expect(code.code).toMatch(/^\d{6}$/);
      expect(code.qr).toBe(`LINLI-ACT:${a.id}:${code.code}`);
      // a resident cannot read the organiser's code
      expect((await get(residents[0]!.user, `/api/volunteers/activities/${a.id}/checkin-code`)).statusCode).toBe(403);

      const secret = (
        await env.db.query<{ checkin_secret: string }>('SELECT checkin_secret FROM activities WHERE id = $1', [a.id])
      )[0]!.checkin_secret;
      const stale = checkinCodeFor(secret, a.id, checkinWindow(new Date()) - 3);
      const bad = await post(residents[0]!.user, `/api/me/activities/${a.id}/checkin`, { code: stale });
      expect([bad.statusCode, (bad.json() as Err).code, (bad.json() as Err).field]).toEqual([
        400,
        'ACTIVITY_CHECKIN_CODE_INVALID',
        'code',
      ]);
      const ok = await post(residents[0]!.user, `/api/me/activities/${a.id}/checkin`, { code: code.qr });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((ok.json() as MyActivity).checkedInAt).not.toBeNull();
      // not signed up
      const outsider = await buildResident(env, { nodeId: env.ids.unit!, name: '路人' });
      const ou = await buildUser(env, { role: 'resident', nodeId: env.ids.unit!, password: DEMO_PASSWORD });
      await linkUserToResident(env.db, ou.id, outsider.id);
      const notSigned = await post(ou.username, `/api/me/activities/${a.id}/checkin`, { code: code.code });
      expect((notSigned.json() as Err).code).toBe('ACTIVITY_CHECKIN_NOT_SIGNED_UP');
      // the organiser marks the second present by hand
      const marked = await post('shequ', `/api/volunteers/activities/${a.id}/attendance`, {
        residentId: residents[1]!.id,
        attended: true,
      });
      expect(marked.statusCode, marked.body).toBe(200);
      expect(marked.json()).toMatchObject({ checkinMethod: 'organiser' });

      const before = [
        await balance(residents[0]!.id),
        await balance(residents[1]!.id),
        await balance(residents[2]!.id),
      ];
      const afterEnd = new Date(Date.parse(a.endsAt) + MIN);
      const r = await creditEndedActivities(env.db, afterEnd);
      expect(r).toMatchObject({ credited: 2, noShows: 1 });
      expect(await balance(residents[0]!.id)).toBe(before[0]! + 10);
      expect(await balance(residents[1]!.id)).toBe(before[1]! + 10);
      expect(await balance(residents[2]!.id)).toBe(before[2]!);
      const n = await transfers();
      expect(await creditEndedActivities(env.db, afterEnd)).toMatchObject({ activities: 0 });
      expect(await transfers()).toBe(n);

      const signups = (await get('shequ', `/api/volunteers/activities/${a.id}/signups`)).json() as { items: Signup[] };
      expect(Object.fromEntries(signups.items.map((s) => [s.residentId, [s.status, s.credited]]))).toEqual({
        [residents[0]!.id]: ['attended', 10],
        [residents[1]!.id]: ['attended', 10],
        [residents[2]!.id]: ['no_show', null],
      });
      const detail = (await get('shequ', `/api/volunteers/activities/${a.id}`)).json() as Activity;
      expect(detail.status).toBe('ended');
      expect(detail.creditedAt).not.toBeNull();
      const keys = await env.db.query<{ idempotency_key: string; kind: string }>(
        "SELECT idempotency_key, kind FROM ledger_transfers WHERE source_type = 'activity' AND source_id = $1 ORDER BY id",
        [a.id],
      );
      expect(keys).toEqual([
        { idempotency_key: `activity:${a.id}:resident:${residents[0]!.id}`, kind: 'earn' },
        { idempotency_key: `activity:${a.id}:resident:${residents[1]!.id}`, kind: 'earn' },
      ]);
      const inbox = await env.db.query<{ kind: string; payload: { amount: number } }>(
        'SELECT kind, payload FROM inbox_messages WHERE user_id = $1 ORDER BY id DESC LIMIT 1',
        [residents[0]!.userId],
      );
      expect(inbox[0]).toMatchObject({ kind: 'volunteers.activity_credited', payload: { amount: 10 } });
      // the no-show is counted in the volunteer list
      const vols = (await get('shequ', '/api/volunteers?q=志愿者')).json() as VolunteerPage;
      const v0 = vols.items.find((v) => v.residentId === residents[0]!.id);
      expect(v0).toMatchObject({ attended: 1 });
      // the ended activity refuses check-in
      const closed = await post(residents[2]!.user, `/api/me/activities/${a.id}/checkin`, { code: code.code });
      expect((closed.json() as Err).code).toBe('ACTIVITY_CHECKIN_CLOSED');
    });

    it('refuses check-in before it opens and on a cancelled activity, leaving the ledger as it was', async () => {
      const a = await newActivity({ startsIn: 3 * 60 * MIN });
      expect((await post(residents[0]!.user, `/api/me/activities/${a.id}/signup`)).statusCode).toBe(200);
      const code = (await get('shequ', `/api/volunteers/activities/${a.id}/checkin-code`)).json() as CheckinCode;
      const early = await post(residents[0]!.user, `/api/me/activities/${a.id}/checkin`, { code: code.code });
      expect([early.statusCode, (early.json() as Err).code]).toEqual([409, 'ACTIVITY_CHECKIN_NOT_OPEN']);
      const n = await transfers();
      const cancelled = await post('shequ', `/api/volunteers/activities/${a.id}/cancel`);
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect((cancelled.json() as Activity).status).toBe('cancelled');
      const after = await post(residents[0]!.user, `/api/me/activities/${a.id}/signup`);
      expect((after.json() as Err).code).toBe('ACTIVITY_CANCELLED');
      await creditEndedActivities(env.db, new Date(Date.parse(a.endsAt) + MIN));
      expect(await transfers()).toBe(n);
    });

    it('keeps activities to the organiser’s scope', async () => {
      const a = await newActivity({ startsIn: 24 * 60 * MIN });
      expect((await get(grid2Worker, `/api/volunteers/activities/${a.id}`)).statusCode).toBe(404);
      const patch = await env.as(grid2Worker, {
        method: 'PATCH',
        url: `/api/volunteers/activities/${a.id}`,
        payload: { title: 'x' },
      });
      expect(patch.statusCode).toBe(404);
      const own = await env.as('shequ', {
        method: 'PATCH',
        url: `/api/volunteers/activities/${a.id}`,
        payload: { title: '合唱排练', activityType: 'choir' },
      });
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json()).toMatchObject({ title: '合唱排练', activityType: 'choir' });
      const badType = await env.as('shequ', {
        method: 'PATCH',
        url: `/api/volunteers/activities/${a.id}`,
        payload: { activityType: 'skydiving' },
      });
      expect((badType.json() as Err).code).toBe('ACTIVITY_TYPE_UNKNOWN');
    });
  });
});
