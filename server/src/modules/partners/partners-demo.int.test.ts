import { expect, it } from 'vitest';
import { loadDemoPartners } from '../../demo/demo-partners.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import type { Org, PartnerMe, PublicNotice } from './partners.schemas.js';

describeEachDb('partners demo', (env: TestEnv) => {
  it('loads huoban’s association, two more partners and six projects once, with the confirmed reward credited', async () => {
    expect(await loadDemoPartners(env.db, env.pii)).toEqual({ orgs: 3, projects: 6 });
    expect(await loadDemoPartners(env.db, env.pii)).toBeNull();
    const me = (await env.as('huoban', { method: 'GET', url: '/api/partner/me' })).json() as PartnerMe;
    expect(me.orgs).toHaveLength(1);
    expect(me.orgs[0]).toMatchObject({ name: '泗源爱心协会', status: 'approved', pointsBalance: 100 });
    expect(me.claims.map((c) => c.status).sort()).toEqual(['confirmed', 'delivered']);
    const orgs = (await env.as('shequ', { method: 'GET', url: '/api/partners/orgs' })).json() as { items: Org[] };
    expect(orgs.items.map((o) => o.name).sort()).toEqual(['东关仁和诊所', '鲁源建设有限公司']);
    const open = (await env.as('huoban', { method: 'GET', url: '/api/partner/projects' })).json() as {
      items: { title: string }[];
    };
    expect(open.items).toHaveLength(6);
    const notice = (
      await env.as(null, { method: 'GET', url: `/api/public/partners?nodeId=${env.ids.community}` })
    ).json() as PublicNotice;
    expect(notice.partners.find((p) => p.name === '泗源爱心协会')!.deliveries).toHaveLength(1);
    const [sum] = await env.db.query<{ s: number }>(
      `SELECT sum(balance)::int AS s FROM ledger_accounts WHERE currency = 'points'`,
    );
    expect(Number(sum!.s)).toBe(0);
  });
});
