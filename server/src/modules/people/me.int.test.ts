import { beforeAll, expect, it } from 'vitest';
import { buildUser, newSession } from '../../test/factories.js';
import { buildHouse, buildHousehold, buildResident, firstNodeUnder } from '../../test/people-factories.js';
import { describeEachDb } from '../../test/test-app.js';
import type { MyHousehold } from './me.schemas.js';

describeEachDb('a resident’s own household', (env) => {
  const family = { head: 0, spouse: 0, gone: 0, headId: '', headPhone: '' };
  let neighbour = 0;
  let westResident = 0;
  let juminId = 0;

  const mine = async (cookie: string) => {
    const res = await env.app.inject({ method: 'GET', url: '/api/me/household', headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MyHousehold;
  };
  const link = (as: string, userId: number, residentId: number | null) =>
    env.as(as, { method: 'PATCH', url: `/api/users/${userId}`, payload: { residentId } });

  beforeAll(async () => {
    const db = { db: env.db, pii: env.pii };
    const house = await buildHouse(db, { nodeId: env.ids.unit!, roomNo: '502', floor: 5, area: 88 });
    const hh = await buildHousehold(db, { nodeId: env.ids.unit!, houseId: house.id, householdNo: 'HH-502' });
    const at = { nodeId: env.ids.unit!, houseId: house.id, householdId: hh.id };
    const head = await buildResident(db, { ...at, relation: 'head', name: '陈户主', phone: '13905375020' });
    family.head = head.id;
    family.headId = head.idNumber;
    family.headPhone = head.phone!;
    family.spouse = (await buildResident(db, { ...at, relation: 'spouse', name: '林配偶', sex: 'female' })).id;
    family.gone = (await buildResident(db, { ...at, relation: 'child', name: '陈已迁', status: 'moved_out' })).id;
    const other = await buildHouse(db, { nodeId: env.ids.unit!, roomNo: '503', floor: 5 });
    const otherHh = await buildHousehold(db, { nodeId: env.ids.unit!, houseId: other.id });
    neighbour = (
      await buildResident(db, { nodeId: env.ids.unit!, houseId: other.id, householdId: otherHh.id, name: '邻居甲' })
    ).id;
    const xiguan = (await env.db.query<{ id: number }>(`SELECT id FROM org_nodes WHERE name = '西关社区'`))[0]!.id;
    westResident = (await buildResident(db, { nodeId: await firstNodeUnder(env.db, xiguan, 'unit'), name: '西关人' }))
      .id;
    juminId = (await env.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'jumin'`))[0]!.id;
  });

  it('tells an account linked to nobody that it is not linked, and nothing else', async () => {
    expect(await mine(await env.cookie('jumin'))).toEqual({ linked: false, self: null, household: null, house: null });
    // a grid worker reads many people, but has no household of their own here
    expect(await mine(await env.cookie('wangge'))).toEqual({ linked: false, self: null, household: null, house: null });
  });

  it('lets the community worker link the resident’s account, audited', async () => {
    const res = await link('shequ', juminId, family.head);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: juminId, residentId: family.head });
    const audit = await env.db.query<{ diff: Record<string, unknown> }>(
      `SELECT diff FROM audit_log WHERE action = 'user.update' AND target_id = $1 ORDER BY id DESC LIMIT 1`,
      [String(juminId)],
    );
    expect(audit[0]!.diff.resident).toEqual([null, `陈户主 #${family.head}`]);
  });

  it('shows the resident their household and house, their own numbers in full', async () => {
    const body = await mine(await env.cookie('jumin'));
    expect(body.linked).toBe(true);
    expect(body.self).toMatchObject({
      id: family.head,
      name: '陈户主',
      idNumber: family.headId,
      phone: family.headPhone,
      relation: 'head',
    });
    expect(body.household?.householdNo).toBe('HH-502');
    expect(body.household?.members.map((m) => [m.name, m.relation, m.isSelf])).toEqual([
      ['陈户主', 'head', true],
      ['林配偶', 'spouse', false],
    ]);
    expect(body.house).toMatchObject({ roomNo: '502', floor: 5, area: '88.00' });
    expect(body.house?.place).toContain('1单元');
    // nobody else's numbers: the spouse is a name and a relation
    expect(JSON.stringify(body.household)).not.toMatch(/\d{17}[\dX]/);
    expect(JSON.stringify(body)).not.toContain('邻居甲');
    expect(JSON.stringify(body)).not.toContain('陈已迁');
  });

  it('shows another resident only their own household, never the first one’s', async () => {
    const other = await buildUser(env, { role: 'resident', nodeId: env.ids.unit! });
    expect((await link('admin', other.id, neighbour)).statusCode).toBe(200);
    const body = await mine(await newSession(env, other));
    expect(body.self?.name).toBe('邻居甲');
    expect(body.household?.members.map((m) => m.name)).toEqual(['邻居甲']);
    expect(JSON.stringify(body)).not.toContain('陈户主');
    expect(JSON.stringify(body)).not.toContain(family.headId);
  });

  it('refuses a link to a resident the manager may not read, and a second account for one resident', async () => {
    expect((await link('admin', juminId, family.head)).statusCode).toBe(200);
    const before = await env.db.query<{ resident_id: number | null }>('SELECT resident_id FROM users WHERE id = $1', [
      juminId,
    ]);
    const outside = await link('shequ', juminId, westResident);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe('RESIDENT_NOT_FOUND');
    const other = await buildUser(env, { role: 'resident', nodeId: env.ids.unit! });
    const taken = await link('admin', other.id, family.head);
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'RESIDENT_ACCOUNT_TAKEN', field: 'residentId' });
    const after = await env.db.query<{ resident_id: number | null }>('SELECT resident_id FROM users WHERE id = $1', [
      juminId,
    ]);
    expect(after).toEqual(before);
    expect(before[0]!.resident_id).toBe(family.head);
    // the resident may not link themselves to someone else (they manage no account, their own included)
    const self = await link('jumin', juminId, neighbour);
    expect(self.statusCode).toBe(404);
    expect(self.json().code).toBe('USER_NOT_FOUND');
  });
});
