import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { generateIdNumber } from '../server/src/platform/pii/id-number.logic.js';
import { ADMIN_PASSWORD, DEMO_PASSWORD } from './server.js';
import { browserSession, signIn } from './session.js';

const session = browserSession({ pageTimeoutMs: 20_000 });

/** A context signed in through the API only (no page needed), for acting as another user. */
async function apiAs(username: string, password: string) {
  const page = await session.openPage();
  const res = await page.request.post('/api/auth/login', {
    data: { username, password },
    headers: { origin: session.server().url },
  });
  expect(res.status()).toBe(200);
  return page.request;
}

const bellCount = async (page: Page) => {
  const sup = page.getByTestId('inbox-count').locator('.ant-scroll-number');
  return (await sup.count()) === 0 ? 0 : Number((await sup.first().getAttribute('title')) ?? '0');
};

describe('the inbox', () => {
  it('shows a message sent on the server in the bell without a reload, and opens its record', async () => {
    // The community worker of 东关社区 watches the console.
    const page = await session.openPage();
    await signIn(page, 'shequ', DEMO_PASSWORD);
    await page.getByTestId('inbox-bell').waitFor();
    const before = await bellCount(page);
    const navigations: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });

    // A person registered in 第二网格 of 东关社区 …
    const admin = await apiAs('admin', ADMIN_PASSWORD);
    const grids = (await (await admin.get('/api/org/search', { params: { q: '第二网格', type: 'grid' } })).json()) as {
      items: { id: number; parentNames: string[] }[];
    };
    const grid2 = grids.items.find((g) => g.parentNames.includes('东关社区'))!;
    const idNumber = generateIdNumber({ areaCode: '370899', birthDate: '1958-09-17', sequence: 713, sex: 'male' });
    const origin = { origin: session.server().url };
    const held = await admin.post('/api/people/residents', {
      data: { name: '邻格老人', idNumber, nodeId: grid2.id },
      headers: origin,
    });
    expect(held.status()).toBe(201);
    // … entered again by the grid worker of 第一网格, who cannot see them: a move-in request to 东关社区.
    const wangge = await apiAs('wangge', DEMO_PASSWORD);
    const me = (await (await wangge.get('/api/auth/me')).json()) as { posts: { nodeId: number }[] };
    const submitted = await wangge.post('/api/people/residents', {
      data: { name: '迁入老人', idNumber, nodeId: me.posts[0]!.nodeId },
      headers: origin,
    });
    expect(submitted.status()).toBe(202);

    // The bell counts it, live.
    await expect.poll(() => bellCount(page), { timeout: 15_000 }).toBe(before + 1);
    expect(navigations).toEqual([]);
    await page.getByTestId('inbox-bell').click();
    const item = page.getByTestId('inbox-item').filter({ hasText: '新的迁入申请：迁入老人（张网格 提交）' });
    await item.waitFor();
    await item.click();
    await page.waitForURL('**/people/move-in');
    await expect.poll(() => bellCount(page)).toBe(before);

    // 消息: the message is there, read; marking all read leaves nothing unread.
    await page.goto('/inbox');
    const row = page.getByTestId('inbox-row').filter({ hasText: '迁入老人' });
    await row.waitFor();
    expect(await row.getByRole('button', { name: '标为已读' }).count()).toBe(0);
    await page.getByText('通知设置').first().waitFor();
    await page.getByText('管理员尚未配置短信、微信或 Webhook 等渠道').waitFor();
  });
});
