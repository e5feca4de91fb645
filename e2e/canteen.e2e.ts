import type { APIRequestContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './server.js';
import { browserSession, signIn, signInOnPhone } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });
const PHONE = { width: 390, height: 844 };

type Api = APIRequestContext;
type Order = {
  id: number;
  menuId: number;
  day: string;
  meal: 'lunch' | 'dinner';
  payment: string;
  payMinutes: number;
  subsidyLabel: string | null;
  status: string;
};

/** A context signed in through the API only, to prepare and check what the server stored beside the pages. */
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

describe('ordering a meal at the elder canteen on a phone', () => {
  it('jumin orders a meal with the 空巢老人 subsidy and pays in time-bank hours; the kitchen count in the console shows it', async () => {
    // jumin is an empty-nest elder here: the community worker sets the tag by hand (the demo canteen takes 2 元 off)
    const me = await json<{ user: { residentId: number | null } }>(await (await apiAs('jumin')).get('/api/auth/me'));
    expect(me.user.residentId, 'jumin is linked to a resident').toEqual(expect.any(Number));
    const worker = await apiAs('shequ');
    const tags = await json<{ items: { id: number; code: string }[] }>(await worker.get('/api/people/tags'));
    const emptyNest = tags.items.find((t) => t.code === 'empty_nest')!;
    expect(emptyNest, 'the built-in tag 空巢老人').toBeTruthy();
    const tagged = await worker.post(`/api/people/residents/${me.user.residentId}/tags`, {
      data: { tagId: emptyNest.id, reason: '浏览器测试：子女在外地' },
      headers: { origin: session.server().url },
    });
    expect([200, 409]).toContain(tagged.status());

    // ---- jumin on the phone: 便民服务 → 长者食堂 ----
    const phone = await session.openPage(PHONE, true);
    await signInOnPhone(phone, 'jumin');
    await phone.getByTestId('m-entry-services').click();
    await phone.waitForURL('**/m/services');
    await phone.getByTestId('m-canteen').waitFor();
    const hoursBefore = Number(await phone.getByTestId('m-canteen-hours').textContent());
    expect(hoursBefore).toBeGreaterThan(0);
    // the first meal still open for orders, with the subsidy shown beside its price
    const item = phone
      .getByTestId('m-menu-item')
      .filter({ has: phone.locator('button:not([disabled])') })
      .first();
    await item.waitFor();
    const menuId = Number(await item.getAttribute('data-menu-id'));
    expect(await item.getByTestId('m-menu-subsidy').textContent()).toContain('空巢老人');
    await item.getByTestId('m-order-button').click();
    const popup = phone.getByTestId('m-order-popup');
    await popup.waitFor();
    await popup.getByText(/时间银行/).click();
    await popup.getByTestId('m-order-confirm').click();
    await phone.getByText('订餐成功').waitFor();
    await phone.getByTestId('m-my-order').first().waitFor();
    await expect
      .poll(async () => Number(await phone.getByTestId('m-canteen-hours').textContent()))
      .toBeLessThan(hoursBefore);

    // what the server stored: paid in hours after the subsidy
    const orders = await json<{ items: Order[] }>(await (await apiAs('jumin')).get('/api/me/services/orders'));
    const order = orders.items.find((o) => o.menuId === menuId && o.status === 'ordered')!;
    expect(order).toMatchObject({ payment: 'hours', subsidyLabel: '空巢老人' });
    expect(order.payMinutes).toBeGreaterThan(0);

    // ---- the kitchen: 便民服务 in the console, that day's counts ----
    const canteens = await json<{ items: { id: number; name: string }[] }>(await worker.get('/api/services/canteens'));
    const canteen = canteens.items.find((c) => c.name === '东关社区长者食堂')!;
    const counts = await json<{ meals: { menuId: number; portions: number }[] }>(
      await worker.get(`/api/services/canteens/${canteen.id}/counts?day=${order.day}`),
    );
    const row = counts.meals.find((m) => m.menuId === menuId)!;
    expect(row.portions).toBeGreaterThanOrEqual(1);
    const desk = await session.openPage();
    await signIn(desk, 'shequ');
    await desk.goto(`/services?day=${order.day}`);
    const table = desk.getByTestId('services-counts');
    await table.waitFor();
    const mealName = order.meal === 'lunch' ? '午餐' : '晚餐';
    const line = table.locator('tr').filter({ hasText: mealName });
    await expect.poll(async () => line.getByTestId('services-portions').textContent()).toBe(String(row.portions));
  });
});
