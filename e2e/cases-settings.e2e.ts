import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from './server.js';
import { browserSession, signIn } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });

type CalendarView = { days: { date: string; kind: string; source: string }[]; warning: string | null };

describe('事件设置 (case settings)', () => {
  it('shows the administrator the category deadlines, renames a stage, and overrides a day of the calendar', async () => {
    const page = await session.openPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '事件设置' }).click();
    await page.waitForURL('**/cases/settings');

    // 分类与时限: the seeded tree, 物业报修 with its 15-minute response.
    const categories = page.getByTestId('categories-table');
    const repair = categories.locator('tr', { hasText: '物业报修' }).first();
    await repair.waitFor();
    expect(await repair.textContent()).toContain('15 分钟');

    // 阶段名称: rename 挂账, saved and read back from the API.
    await page.getByRole('tab', { name: '阶段名称' }).click();
    const parkedName = page.getByLabel('parked 中文名称');
    await parkedName.fill('暂缓处置');
    await page
      .getByTestId('stages-table')
      .locator('tr', { has: parkedName })
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await page.getByText('已保存').first().waitFor();
    const stages = (await (await page.request.get('/api/cases/stages')).json()) as {
      items: { code: string; nameZh: string }[];
    };
    expect(stages.items.find((s) => s.code === 'parked')?.nameZh).toBe('暂缓处置');

    // 工作日历: the Spring Festival and its make-up Saturday; a local holiday set and removed by clicking a day.
    await page.getByRole('tab', { name: '工作日历' }).click();
    const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
    await page.locator('[data-date]').first().waitFor();
    if (year === 2026) {
      expect(await page.locator('[data-date="2026-02-16"]').getAttribute('data-look')).toBe('holiday');
      expect(await page.locator('[data-date="2026-02-28"]').getAttribute('data-look')).toBe('makeup');
      await page.getByTestId('next-year-warning').waitFor();
      expect(await page.getByTestId('next-year-warning').textContent()).toContain('2027 年的节假日安排尚未录入');
    }
    // A Wednesday in March of the year shown that is an ordinary working day.
    const api = (await (await page.request.get(`/api/cases/calendar?year=${year}`)).json()) as CalendarView;
    const listed = new Set(api.days.map((d) => d.date));
    const day = [...Array(28).keys()]
      .map((i) => `${year}-03-${String(i + 1).padStart(2, '0')}`)
      .find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 3 && !listed.has(d))!;
    const cell = page.locator(`[data-date="${day}"]`);
    expect(await cell.getAttribute('data-look')).toBe('workday');
    await cell.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('本地停工');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => cell.getAttribute('data-look')).toBe('holiday');
    const after = (await (await page.request.get(`/api/cases/calendar?year=${year}`)).json()) as CalendarView;
    expect(after.days).toContainEqual({ date: day, kind: 'holiday', name: '本地停工', source: 'local' });

    await cell.click();
    await page.getByRole('dialog').getByRole('button', { name: '撤销本地调整' }).click();
    await page
      .getByRole('button', { name: /确\s*定|OK/ })
      .last()
      .click();
    await expect.poll(() => cell.getAttribute('data-look')).toBe('workday');
  });

  it('is not offered to a street administrator, and the page refuses them', async () => {
    const page = await session.openPage();
    await signIn(page, 'jiedao');
    await page.getByTestId('side-menu').getByRole('menuitem').first().waitFor();
    expect(await page.getByTestId('side-menu').getByRole('menuitem', { name: '事件设置' }).count()).toBe(0);
    await page.goto('/cases/settings');
    await page.getByText('你的岗位没有查看此页面的权限。').waitFor();
    expect((await page.request.get('/api/cases/calendar')).status()).toBe(403);
  });
});
