import { describe, expect, it } from 'vitest';
import { browserSession, signIn, signInOnPhone } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });
const openPage = session.openPage;

type Workbench = {
  cards: { id: string; area: string | null; sections: { figures: { key: string; value: number }[] }[] }[];
};

describe('the workbench', () => {
  it('is where a community worker lands: their community’s figures, each opening the list it counts', async () => {
    const page = await openPage();
    await signIn(page, 'shequ');
    await page.waitForURL('**/workbench');
    const menu = page.getByTestId('side-menu');
    await menu.getByRole('menuitem').first().waitFor();
    expect((await menu.getByRole('menuitem').first().textContent())?.trim()).toBe('工作台');

    const card = page.getByTestId('card-people.figures');
    await card.waitFor();
    expect(await card.textContent()).toContain('范围：东关社区');
    const api = (await (await page.request.get('/api/workbench')).json()) as Workbench;
    const figures = Object.fromEntries(
      api.cards[0]!.sections.flatMap((s) => s.figures.map((f) => [f.key, f.value] as const)),
    );
    expect(figures.residents).toBeGreaterThan(0);
    const shown = await card.getByTestId('figure-residents').locator('.ant-statistic-content-value').textContent();
    expect(Number((shown ?? '').replace(/[^\d]/g, ''))).toBe(figures.residents);
    expect(await card.getByTestId('figure-low_income').textContent()).toContain('低保户');

    // the unread card and the to-do list are there, whatever they hold
    await page.getByTestId('workbench-unread').waitFor();
    await page.getByTestId('workbench-todos').waitFor();

    await card.getByTestId('figure-low_income').click();
    await page.waitForURL((url) => url.pathname === '/people' && url.searchParams.get('tag') === 'low_income');
    await page.locator('tr.ant-table-row').first().waitFor();
  });

  it('shows a resident their own household and house on the phone, their ID number in full', async () => {
    const page = await openPage({ width: 390, height: 844 }, true);
    await signInOnPhone(page, 'jumin');
    const household = page.getByTestId('m-household');
    await household.waitFor();
    const mine = (await (await page.request.get('/api/me/household')).json()) as {
      self: { name: string; idNumber: string };
      household: { members: { name: string }[] };
      house: { roomNo: string };
    };
    const text = (await household.textContent()) ?? '';
    // A resident's home is titled 首页, not a grid worker's 我的任务.
    expect(await page.locator('.adm-nav-bar').textContent()).toContain('首页');
    expect(mine.self.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(text).toContain(mine.self.idNumber);
    expect(text).toContain(`${mine.self.name}（我）`);
    for (const m of mine.household.members) expect(text).toContain(m.name);
    expect(text).toContain(mine.house.roomNo);
    expect(text).not.toContain('暂无可用功能');
  });

  it('shows a grid worker their grid’s figures and a building’s map on the phone', async () => {
    const page = await openPage({ width: 390, height: 844 }, true);
    await signInOnPhone(page, 'wangge');
    await page.getByTestId('m-figure-residents').waitFor();
    expect(await page.getByTestId('m-home').textContent()).toContain('第一网格概况');
    const buildings = page.getByTestId('m-buildings');
    await buildings.locator('.adm-list-item').first().click();
    await page.waitForURL((url) => /^\/m\/buildings\/\d+$/.test(url.pathname));
    const map = page.getByTestId('m-building');
    await map.locator('.m-room').first().waitFor();
    expect(await map.textContent()).toMatch(/共 \d+ 套房屋/);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
