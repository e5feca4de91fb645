import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSession, signIn } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });

type Dash = {
  node: { id: number; name: string; type: string };
  population: { residents: { value: number } };
  children: { id: number; name: string; population: number }[];
};

/** The digits of a text: '1,234' → 1234. */
const digits = (s: string | null) => Number((s ?? '').replace(/[^0-9]/g, ''));

/** The dashboard's answer for a node, read with the page's own session (what the page itself shows). */
async function answer(page: Page, nodeId?: number): Promise<Dash> {
  const res = await page.request.get(`/api/dashboard${nodeId ? `?nodeId=${nodeId}` : ''}`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Dash;
}

async function kpi(page: Page, key: string): Promise<number> {
  const value = page.getByTestId(`kpi-${key}`).locator('.ant-statistic-content-value');
  await value.waitFor();
  return digits(await value.textContent());
}

async function crumbs(page: Page): Promise<string> {
  return (await page.getByTestId('dashboard-breadcrumb').textContent()) ?? '';
}

describe('驾驶舱', () => {
  it('jiedao drills from the street to a community and a grid, opens the people list of the grid, and goes back up; the big screen shows the same figure', async () => {
    const page = await session.openPage();
    await signIn(page, 'jiedao');
    await page.goto('/dashboard');
    const street = await answer(page);
    expect(street.node.type).toBe('street');
    expect(await kpi(page, 'residents')).toBe(street.population.residents.value);
    expect(await crumbs(page)).toContain(street.node.name);

    // ---- a community in the children table ----
    const community = street.children.find((c) => c.population > 0) ?? street.children[0]!;
    await page.getByTestId('dashboard-children').getByRole('link', { name: community.name, exact: true }).click();
    await page.waitForURL(`**/dashboard?node=${community.id}`);
    await expect.poll(() => crumbs(page)).toContain(community.name);
    await expect.poll(() => kpi(page, 'residents')).toBe(community.population);

    // ---- a grid of it: a click on its row ----
    const level = await answer(page, community.id);
    const grid = level.children.find((c) => c.population > 0) ?? level.children[0]!;
    await page
      .getByTestId('dashboard-children')
      .getByRole('row', { name: new RegExp(grid.name) })
      .first()
      .click();
    await page.waitForURL(`**/dashboard?node=${grid.id}`);
    await expect.poll(() => crumbs(page)).toContain(grid.name);
    await expect.poll(() => kpi(page, 'residents')).toBe(grid.population);

    // ---- 人口 opens the people list of that grid, with the same count ----
    await page.getByTestId('kpi-link-residents').click();
    await page.waitForURL(`**/people?nodeId=${grid.id}`);
    await expect
      .poll(async () => digits(await page.getByTestId('residents-total').textContent()))
      .toBe(grid.population);

    // ---- back, and up the breadcrumb to the street ----
    await page.goBack();
    await page.waitForURL(`**/dashboard?node=${grid.id}`);
    await page.getByTestId('dashboard-breadcrumb').getByRole('link', { name: street.node.name }).click();
    await page.waitForURL(`**/dashboard?node=${street.node.id}`);
    await expect.poll(() => kpi(page, 'residents')).toBe(street.population.residents.value);

    // ---- 大屏 ----
    await page.getByRole('button', { name: /大屏/ }).click();
    await page.waitForURL(`**/big-screen?node=${street.node.id}`);
    const big = page.getByTestId('bs-kpi-residents').locator('.bs-kpi-value');
    await big.waitFor();
    expect(digits(await big.textContent())).toBe(street.population.residents.value);
    expect(await page.getByTestId('big-screen-title').textContent()).toContain(street.node.name);
    await page.keyboard.press('Escape');
    await page.waitForURL(`**/dashboard?node=${street.node.id}`);
  });

  it('shequ sees their community and not another one', async () => {
    const boss = await session.openPage();
    await signIn(boss, 'jiedao');
    const street = await answer(boss);

    const page = await session.openPage();
    await signIn(page, 'shequ');
    await page.goto('/dashboard');
    const own = await answer(page);
    expect(own.node.type).toBe('community');
    expect(await kpi(page, 'residents')).toBe(own.population.residents.value);
    const other = street.children.find((c) => c.id !== own.node.id);
    expect(other, 'a second community of the street').toBeTruthy();
    await page.goto(`/dashboard?node=${other!.id}`);
    await page.getByTestId('dashboard-not-found').waitFor();
    expect(await page.getByTestId('dashboard-not-found').textContent()).toContain('不在您的管辖范围内');
  });
});
