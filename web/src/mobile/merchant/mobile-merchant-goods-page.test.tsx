import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import { type Goods, lastMonth, steppedStock, yuan } from '../../features/merchants/merchant-types';
import { merchantKeys } from '../../features/merchants/use-merchants';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { MobileMerchantGoodsPage } from './mobile-merchant-goods-page';

const shanghu = {
  user: {
    id: 9,
    username: 'shanghu',
    displayName: '东关便民超市',
    locale: 'zh-CN',
    mustChangePassword: false,
    residentId: null,
  },
  permissions: ['points.redeem'],
  modules: ['points'],
  posts: [{ nodeId: 2, nodeType: 'community', nodeName: '东关社区', role: 'merchant' }],
  notice: null,
} as unknown as Me;

const goods = (id: number, over: Partial<Goods> = {}): Goods => ({
  id,
  merchantId: 1,
  merchantName: '东关便民超市',
  name: `商品${id}`,
  description: null,
  price: 100 * id,
  stock: 5,
  active: true,
  sort: 0,
  version: 1,
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

failOnRenderWarnings();

describe('the merchant’s goods page (/m/merchant/goods)', () => {
  it('lists the goods under their merchant with stock steppers, a price field and the sale switch', () => {
    const html = renderView(shanghu, <MobileMerchantGoodsPage />, (c) =>
      c.setQueryData(merchantKeys.staffGoods(), {
        items: [goods(1, { name: '大米 5kg', price: 500 }), goods(2, { stock: 0 })],
      }),
    );
    expect(html).toContain('东关便民超市');
    expect(html).toContain('大米 5kg');
    expect(html.match(/data-testid="m-goods"/g)).toHaveLength(2);
    expect(html.match(/data-testid="m-goods-stock"/g)).toHaveLength(2);
    expect(html).toContain('value="500"');
    expect(html).toContain('已售罄');
  });

  it('says so when the account is staff of no merchant', () => {
    const html = renderView(shanghu, <MobileMerchantGoodsPage />, (c) =>
      c.setQueryData(merchantKeys.staffGoods(), { items: [] }),
    );
    expect(html).toContain('暂无商品');
    expect(html).not.toContain('data-testid="m-goods"');
  });
});

describe('merchant helpers', () => {
  it('formats fen as yuan, picks last month in Shanghai, keeps stock at or above 0', () => {
    expect(yuan(1300)).toBe('13.00');
    expect(yuan(33333)).toBe('333.33');
    expect(lastMonth(new Date('2026-01-01T01:00:00+08:00'))).toBe('2025-12');
    expect(lastMonth(new Date('2026-03-31T23:00:00+08:00'))).toBe('2026-02');
    expect(steppedStock(1, -3)).toBe(0);
    expect(steppedStock(1, 2)).toBe(3);
  });
});
