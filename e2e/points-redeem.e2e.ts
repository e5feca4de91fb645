import type { APIRequestContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './server.js';
import { browserSession, signInOnPhone } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });
const PHONE = { width: 390, height: 844 };

type Api = APIRequestContext;
type Counter = {
  merchants: { id: number; name: string; goods: { id: number; name: string; price: number; stock: number }[] }[];
};

/** A context signed in through the API only, to check what the server stored beside the phones under test. */
async function apiAs(username: string, password = DEMO_PASSWORD): Promise<Api> {
  const page = await session.openPage();
  const res = await page.request.post('/api/auth/login', {
    data: { username, password },
    headers: { origin: session.server().url },
  });
  expect([res.status(), await res.text()]).toEqual([200, expect.any(String)]);
  return page.request;
}

async function json<T>(res: Awaited<ReturnType<Api['get']>>, status = 200): Promise<T> {
  expect([res.status(), await res.text()]).toEqual([status, expect.any(String)]);
  return (await res.json()) as T;
}

describe('redeeming points at the merchant’s counter', () => {
  it('jumin shows a code, shanghu types it, picks goods and confirms; jumin’s page shows 兑换成功 and the lower balance; the stock dropped', async () => {
    // the demo merchant (东关便民超市, shanghu on its staff, goods) and jumin's starting points come from the demo
    const shop = await apiAs('shanghu');
    const before = await json<Counter>(await shop.get('/api/merchant/counter'));
    const merchant = before.merchants.find((m) => m.name === '东关便民超市')!;
    expect(merchant, 'the demo merchant').toBeTruthy();
    const goods = [...merchant.goods].sort((a, b) => a.price - b.price).find((g) => g.stock >= 2)!;
    expect(goods, 'a goods item of the demo merchant in stock').toBeTruthy();
    // whatever the demo gave jumin, the community worker awards enough for two of them (积分账户's award)
    const me = await json<{ user: { residentId: number | null } }>(await (await apiAs('jumin')).get('/api/auth/me'));
    expect(me.user.residentId, 'jumin is linked to a resident').toEqual(expect.any(Number));
    const community = await apiAs('shequ');
    await json(
      await community.post('/api/points/awards', {
        data: { residentId: me.user.residentId, currency: 'points', amount: goods.price * 2, reason: '浏览器测试奖励' },
        headers: { origin: session.server().url },
      }),
      201,
    );

    // ---- jumin opens 出示兑换码 ----
    const resident = await session.openPage(PHONE, true);
    await signInOnPhone(resident, 'jumin');
    await resident.goto('/m/points/redeem');
    const digits = resident.getByTestId('m-redeem-digits');
    await digits.waitFor();
    const code = (await digits.getAttribute('data-code'))!;
    expect(code).toMatch(/^[0-9]{8}$/);
    expect(await resident.getByTestId('qr-code').getAttribute('data-value')).toBe(`linli:redeem:${code}`);
    const balanceText = (await resident.getByTestId('m-redeem-balance').textContent())!;
    const balance = Number(/([0-9]+)/.exec(balanceText)![1]);
    expect(balance).toBeGreaterThanOrEqual(goods.price * 2);

    // ---- shanghu at the counter: no camera in headless chromium, so the code is typed ----
    const counter = await session.openPage(PHONE, true);
    await signInOnPhone(counter, 'shanghu');
    await counter.getByTestId('m-entry-counter').click();
    await counter.waitForURL('**/m/merchant');
    await counter.getByTestId('m-counter-code').locator('input').fill(code);
    await counter.getByTestId('m-counter-lookup').click();
    const stepper = counter.getByTestId(`m-counter-goods-${goods.id}`);
    await stepper.waitFor();
    await stepper.locator('.adm-stepper-plus').click();
    await stepper.locator('.adm-stepper-plus').click();
    await expect
      .poll(async () => counter.getByTestId('m-counter-total').textContent())
      .toContain(String(goods.price * 2));
    await counter.getByTestId('m-counter-confirm').click();
    await counter.getByText('兑换成功').waitFor();

    // ---- jumin's page follows: 兑换成功, the balance lower by what was taken ----
    await resident.getByTestId('m-redeem-done').waitFor();
    await expect
      .poll(async () => resident.getByTestId('m-redeem-balance').textContent())
      .toContain(String(balance - goods.price * 2));

    // ---- the stock dropped, and the counter lists the redemption ----
    const after = await json<Counter>(await shop.get('/api/merchant/counter'));
    const left = after.merchants.find((m) => m.id === merchant.id)!.goods.find((g) => g.id === goods.id)!;
    expect(left.stock).toBe(goods.stock - 2);
    const today = await json<{ items: { total: number; status: string }[] }>(
      await shop.get('/api/merchant/redemptions'),
    );
    expect(today.items[0]).toMatchObject({ total: goods.price * 2, status: 'done' });
  });
});
