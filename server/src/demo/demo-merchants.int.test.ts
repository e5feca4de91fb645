import { expect, it } from 'vitest';
import { describeEachDb, type TestEnv } from '../test/test-app.js';
import { DEMO_GOODS, DEMO_MERCHANT, loadDemoMerchants } from './demo-merchants.js';

describeEachDb('demo merchant (points [C])', (env: TestEnv) => {
  it('loads 东关便民超市 with shanghu and its goods once', async () => {
    expect(await loadDemoMerchants(env.db, env.pii)).toEqual({ created: true, goods: DEMO_GOODS.length });
    expect(await loadDemoMerchants(env.db, env.pii)).toEqual({ created: false, goods: 0 });
    const list = (await env.as('shanghu', { method: 'GET', url: '/api/merchant/goods' })).json() as {
      items: { merchantName: string; name: string; price: number }[];
    };
    expect(list.items).toHaveLength(DEMO_GOODS.length);
    expect(list.items[0]).toMatchObject({ merchantName: DEMO_MERCHANT, name: '大米 5kg', price: 500 });
    const m = (await env.as('shequ', { method: 'GET', url: '/api/points/merchants' })).json() as {
      items: { name: string; communityName: string; phone: string; members: number }[];
    };
    expect(m.items).toEqual([
      expect.objectContaining({ name: DEMO_MERCHANT, communityName: '东关社区', phone: '139****0123', members: 1 }),
    ]);
  });
});
