import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import type { MerchantDetail, Settlement } from './merchant-types';
import { MerchantDetailView, MerchantsList } from './merchants-views';
import { merchantKeys } from './use-merchants';

const shequ = {
  user: {
    id: 4,
    username: 'shequ',
    displayName: '李社区',
    locale: 'zh-CN',
    mustChangePassword: false,
    residentId: null,
  },
  permissions: ['points.read', 'points.manage'],
  modules: ['points'],
  posts: [{ nodeId: 2, nodeType: 'community', nodeName: '东关社区', role: 'community_worker' }],
  notice: null,
} as unknown as Me;

const merchant: MerchantDetail = {
  id: 7,
  nodeId: 2,
  nodeName: '东关社区',
  communityId: 2,
  communityName: '东关社区',
  name: '东关便民超市',
  address: '东关路 18 号',
  contactName: '刘店长',
  phone: '139****0123',
  status: 'suspended',
  balance: 1300,
  goods: 8,
  members: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  staff: [{ userId: 9, username: 'shanghu', displayName: '东关便民超市', createdAt: '2026-11-01T00:00:00.000Z' }],
  can: { manage: true },
};

failOnRenderWarnings();

describe('兑换商户 pages', () => {
  it('lists the merchants with status, goods and unsettled points', () => {
    const html = renderView(shequ, <MerchantsList canManage />, (c) =>
      c.setQueryData(merchantKeys.list({}), { items: [merchant], total: 1 }),
    );
    expect(html).toContain('东关便民超市');
    expect(html).toContain('暂停兑换');
    expect(html).toContain('1300');
    expect(html).toContain('新增商户');
  });

  it('shows a merchant with its masked phone and the four tabs', () => {
    const settlement: Settlement = {
      id: 1,
      merchantId: 7,
      merchantName: '东关便民超市',
      communityId: 2,
      period: '2026-11',
      redemptions: 3,
      points: 1300,
      deducted: 0,
      amountFen: 1300,
      transferId: 5,
      status: 'open',
      paidAt: null,
      paidByName: null,
      createdAt: '2026-12-01T00:00:00.000Z',
    };
    const html = renderView(shequ, <MerchantDetailView id={7} />, (c) => {
      c.setQueryData(merchantKeys.detail(7), merchant);
      c.setQueryData(merchantKeys.goods(7), { items: [] });
      c.setQueryData(merchantKeys.settlements(7), { items: [settlement] });
    });
    expect(html).toContain('139****0123');
    expect(html).not.toContain('13905370123');
    for (const tab of ['商品', '店员', '兑换记录', '月结']) expect(html).toContain(tab);
  });
});
