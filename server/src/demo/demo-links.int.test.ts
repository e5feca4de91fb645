import { expect, it } from 'vitest';
import { describeEachDb, login, type TestEnv } from '../test/test-app.js';
import { DEMO_PARTY_MEMBERS, loadDemoLinks } from './demo-links.js';
import { loadDemoPeople } from './demo-people.js';
import { DEMO_PASSWORD } from './demo-region.js';

describeEachDb('demo links (一网三联)', (env: TestEnv) => {
  it('links two party members to households of 第一网格 and the building leader to 1号楼, once', async () => {
    await loadDemoPeople(env.db, env.pii, { maxPlaces: 12 });
    const r = await loadDemoLinks(env.db, env.pii);
    expect(r?.links).toBeGreaterThan(2);
    expect(await loadDemoLinks(env.db, env.pii)).toBeNull();
    const cookie = await login(env.app, DEMO_PARTY_MEMBERS[0].username, DEMO_PASSWORD);
    const mine = await env.app.inject({ method: 'GET', url: '/api/grid-links/mine', headers: { cookie } });
    expect(mine.statusCode).toBe(200);
    const households = mine.json().items.flatMap((i: { households: unknown[] }) => i.households);
    expect(households.length).toBeGreaterThan(0);
    const leader = await env.as('louzhang', { method: 'GET', url: '/api/grid-links/mine' });
    expect(leader.json().items.map((i: { link: { kind: string; nodeId: number } }) => i.link)).toMatchObject([
      { kind: 'leader_building', nodeId: env.ids.building },
    ]);
    const audit = await env.db.query(`SELECT 1 FROM audit_log WHERE action = 'grid_link.create'`);
    expect(audit.length).toBe(r!.links);
  });
});
