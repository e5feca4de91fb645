import { expect, it } from 'vitest';
import { buildResident } from '../test/people-factories.js';
import { linkUserToResident } from '../test/points-factories.js';
import { describeEachDb } from '../test/test-app.js';
import { loadDemoServices } from './demo-services.js';

describeEachDb('demo services', (env) => {
  it('loads the directory, the canteen with its subsidies and a week of menus once, and only adds missing menus', async () => {
    const resident = await buildResident(env, { nodeId: env.ids.unit!, name: '陈居民' });
    const [jumin] = await env.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'jumin'`);
    await linkUserToResident(env.db, jumin!.id, resident.id);
    const first = await loadDemoServices(env.db);
    expect(first).toEqual({ entries: 6, menus: 14 });
    const again = await loadDemoServices(env.db);
    expect(again).toBeNull();
    const [c] = await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM canteen_subsidies s JOIN canteens c ON c.id = s.canteen_id
        WHERE c.name = '东关社区长者食堂'`,
    );
    expect(c!.n).toBe(3);
    const res = await env.as('jumin', { method: 'GET', url: '/api/me/services/canteen' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().menus.length).toBeGreaterThanOrEqual(13);
    expect(res.json().resident.hoursMinutes).toBe(120);
    expect(res.json().canteens[0].subsidies).toHaveLength(3);
  });
});
