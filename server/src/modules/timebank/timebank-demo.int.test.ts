import { expect, it } from 'vitest';
import { loadDemoPeople } from '../../demo/demo-people.js';
import { linkDemoResident } from '../../demo/demo-region.js';
import { loadDemoTimebank } from '../../demo/demo-timebank.js';
import { describeEachDb } from '../../test/test-app.js';

describeEachDb('time bank demo', (env) => {
  it('loads confirmed services, one for jumin to confirm and an open request, once', async () => {
    await loadDemoPeople(env.db, env.pii);
    await linkDemoResident(env.db);
    expect(await loadDemoTimebank(env.db)).toEqual({ services: 5 });
    expect(await loadDemoTimebank(env.db)).toBeNull();
    const me = await env.as('jumin', { method: 'GET', url: '/api/me/timebank' });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().awaitingMe).toHaveLength(1);
    const stats = (await env.as('shequ', { method: 'GET', url: '/api/timebank/stats' })).json();
    expect(stats.communities[0]).toMatchObject({ nodeId: env.ids.community, depositedMinutes: 315 });
    const open = (await env.as('shequ', { method: 'GET', url: '/api/timebank/requests?status=open' })).json();
    expect(open.items).toHaveLength(1);
    const cands = (
      await env.as('shequ', { method: 'GET', url: `/api/timebank/requests/${open.items[0].id}/candidates` })
    ).json();
    expect(cands.items[0]).toMatchObject({ skillMatch: true });
    const [sum] = await env.db.query<{ s: string }>(
      `SELECT sum(balance) AS s FROM ledger_accounts WHERE currency = 'hours'`,
    );
    expect(Number(sum!.s)).toBe(0);
    // the demo people take a while on PGlite
  }, 240_000);
});
