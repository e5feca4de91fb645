import type { APIRequestContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DEMO_PASSWORD } from './server.js';
import { browserSession, signIn } from './session.js';

const session = browserSession({ pageTimeoutMs: 20_000 });

/** A context signed in through the API only, for acting as another user beside the page under test. */
async function apiAs(username: string, password = DEMO_PASSWORD): Promise<APIRequestContext> {
  const page = await session.openPage();
  const res = await page.request.post('/api/auth/login', {
    data: { username, password },
    headers: { origin: session.server().url },
  });
  expect(res.status()).toBe(200);
  return page.request;
}

async function json<T>(res: Awaited<ReturnType<APIRequestContext['get']>>, status = 200): Promise<T> {
  expect([res.status(), await res.text()]).toEqual([status, expect.any(String)]);
  return (await res.json()) as T;
}

type Detail = { id: number; caseNo: string; stage: string; allowedActions: string[] };

/** The buttons shown on a case page, by action. */
async function shownActions(page: Page): Promise<string[]> {
  const ids = await page
    .getByTestId('case-actions')
    .locator('[data-testid^="action-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.replace('action-', '') ?? ''));
  return ids.sort();
}

const stageOf = (page: Page) => page.getByTestId('case-detail').getByTestId('case-stage').first();

describe('the cases console', () => {
  it('takes a resident’s case from the live board through dispatch and a whistle to the department’s answer and the check', async () => {
    const origin = { origin: session.server().url };
    // 东关社区's worker keeps a department whose member is the county's department account (bumen)
    const admin = await apiAs('admin', ADMIN_PASSWORD);
    const bumen = (await json<{ items: { id: number }[] }>(await admin.get('/api/users', { params: { q: 'bumen' } })))
      .items[0]!;
    const shequApi = await apiAs('shequ');
    const me = await json<{ posts: { nodeId: number }[] }>(await shequApi.get('/api/auth/me'));
    const department = await json<{ id: number; name: string }>(
      await shequApi.post('/api/cases/departments', {
        data: { nodeId: me.posts[0]!.nodeId, name: '社区物业服务站', memberIds: [bumen.id] },
        headers: origin,
      }),
      201,
    );

    // The community worker watches the board.
    const page = await session.openPage();
    await signIn(page, 'shequ');
    await page.getByTestId('side-menu').getByRole('link', { name: '事件', exact: true }).click();
    await page.waitForURL('**/cases');
    await page.getByTestId('cases-table').waitFor();
    const navigations: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });

    // A resident reports a broken stair light at home; the board shows it without a reload.
    const jumin = await apiAs('jumin');
    const categories = await json<{ items: { id: number; parentId: number | null; name: string }[] }>(
      await jumin.get('/api/cases/categories'),
    );
    const category =
      categories.items.find((c) => c.name === '设施损坏') ?? categories.items.find((c) => c.parentId !== null)!;
    const reported = await json<Detail>(
      await jumin.post('/api/cases', {
        data: { categoryId: category.id, description: '3楼楼道灯不亮' },
        headers: origin,
      }),
      201,
    );
    const row = page.getByTestId('cases-table').locator('tr', { hasText: reported.caseNo });
    await row.waitFor({ timeout: 15_000 });
    expect(navigations).toEqual([]);
    await expect.poll(() => row.getByTestId('case-stage').getAttribute('data-stage')).toBe('reported');

    // The kanban puts it under 待受理, counted.
    await page.getByTestId('board-view').getByText('看板').click();
    const column = page.getByTestId('kanban-reported');
    await column.getByTestId('kanban-card').filter({ hasText: reported.caseNo }).waitFor();
    expect(Number(await column.locator('.ant-badge .ant-scroll-number').first().getAttribute('title'))).toBeGreaterThan(
      0,
    );

    // Opened, the case shows exactly the actions the server allows this worker.
    await column.getByTestId('kanban-card').filter({ hasText: reported.caseNo }).click();
    await page.waitForURL(`**/cases/${reported.id}`);
    await page.getByTestId('case-facts').getByText('3楼楼道灯不亮').waitFor();
    const asWorker = await json<Detail>(await shequApi.get(`/api/cases/${reported.id}`));
    expect(asWorker.allowedActions).toContain('dispatch');
    expect(await shownActions(page)).toEqual([...asWorker.allowedActions].sort());

    // 派遣 to the case's own grid (offered first).
    await page.getByTestId('action-dispatch').click();
    const dispatch = page.getByTestId('action-dialog-dispatch');
    await dispatch.getByTestId('dispatch-grid').getByText('第一网格').waitFor();
    await dispatch.getByTestId('action-note').fill('请网格员尽快查看');
    await dispatch.getByRole('button', { name: /派\s*遣/ }).click();
    await expect.poll(() => stageOf(page).getAttribute('data-stage')).toBe('dispatched');
    await page.getByTestId('case-timeline').getByText('请网格员尽快查看').waitFor();

    // 吹哨 to the department, with a note.
    await page.getByTestId('action-whistle').click();
    const whistle = page.getByTestId('action-dialog-whistle');
    await whistle.getByTestId('whistle-departments').click();
    await page.locator('.ant-select-item-option', { hasText: department.name }).click();
    await whistle.getByTestId('action-note').fill('需物业配合更换灯具');
    await whistle.getByRole('button', { name: /吹\s*哨/ }).click();
    await expect.poll(() => stageOf(page).getAttribute('data-stage')).toBe('whistled');
    const whistleRow = page.getByTestId('case-whistles').locator('tr', { hasText: department.name });
    await expect.poll(() => whistleRow.getByTestId('whistle-status').getAttribute('data-status')).toBe('pending');

    // The department's member finds it under 部门事件, reports for duty and reports back.
    const dept = await session.openPage();
    await signIn(dept, 'bumen');
    await dept.getByTestId('side-menu').getByRole('link', { name: '部门事件' }).click();
    await dept.waitForURL('**/cases/department');
    await dept.getByTestId('cases-table').getByText(reported.caseNo).click();
    await dept.waitForURL(`**/cases/${reported.id}`);
    const deptWhistle = dept.getByTestId('case-whistles').locator('tr', { hasText: department.name });
    await deptWhistle.getByTestId('whistle-accept').click();
    await dept
      .getByTestId('whistle-dialog-accept')
      .getByRole('button', { name: /报\s*到/ })
      .click();
    await expect.poll(() => deptWhistle.getByTestId('whistle-status').getAttribute('data-status')).toBe('accepted');
    await deptWhistle.getByTestId('whistle-report').click();
    const report = dept.getByTestId('whistle-dialog-report');
    await report.getByTestId('action-note').fill('已更换3楼楼道灯');
    await report.getByRole('button', { name: '反馈结果' }).click();
    await expect.poll(() => deptWhistle.getByTestId('whistle-status').getAttribute('data-status')).toBe('reported');
    await dept.getByTestId('case-timeline').getByText('已更换3楼楼道灯').waitFor();

    // Every whistle answered: the worker's open page turns to handled by itself and offers the check.
    await expect.poll(() => stageOf(page).getAttribute('data-stage'), { timeout: 15_000 }).toBe('handled');
    await page.getByTestId('action-verify').waitFor();
    await page.getByTestId('action-verify').click();
    await page
      .getByTestId('action-dialog-verify')
      .getByRole('button', { name: /核\s*查/ })
      .click();
    await expect.poll(() => stageOf(page).getAttribute('data-stage')).toBe('closed');
    const closed = await json<Detail>(await shequApi.get(`/api/cases/${reported.id}`));
    expect(closed.stage).toBe('closed');
  });

  it('records a hotline case through the form, adds progress with a photo, parks and unparks it', async () => {
    const page = await session.openPage();
    await signIn(page, 'shequ');
    await page.goto('/cases');
    await page.getByTestId('report-case').click();
    const form = page.getByTestId('report-case-modal');
    // a leaf of the category tree, found by typing
    await form.getByTestId('report-category').click();
    await page.keyboard.type('路面塌陷');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '路面塌陷' }).click();
    await form.getByTestId('report-title').fill('东关路井盖旁路面塌陷');
    await form.getByTestId('report-description').fill('市民来电：路面下陷约半米');
    await form.getByTestId('report-place').click();
    await page.keyboard.type('第一网格');
    await page
      .locator('.ant-select-item-option', { hasText: '东关社区' })
      .filter({ hasText: '第一网格' })
      .first()
      .click();
    await form.getByLabel('联系电话').fill('13912345678');
    await form.getByRole('button', { name: /登\s*记/ }).click();

    await page.waitForURL(/\/cases\/\d+$/);
    const detail = page.getByTestId('case-detail');
    await detail.getByText('东关路井盖旁路面塌陷').waitFor();
    await expect.poll(() => stageOf(page).getAttribute('data-stage')).toBe('reported');
    const facts = page.getByTestId('case-facts');
    await facts.getByText('热线').waitFor();
    await facts.getByText('139****5678').waitFor();
    await facts.getByText('市民来电：路面下陷约半米').waitFor();
    await page.getByTestId('case-timeline').locator('[data-action="report"]').waitFor();
    expect(await shownActions(page)).toContain('dispatch');

    // 添加进展 with a photo: it is on the timeline and among the case's photos
    const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#8a7f6d' } })
      .jpeg()
      .toBuffer();
    await page.getByTestId('action-note').click();
    const note = page.getByTestId('action-dialog-note');
    await note.getByTestId('action-note').fill('已设置警示围挡');
    await note.locator('input[type="file"]').setInputFiles({ name: '围挡.jpg', mimeType: 'image/jpeg', buffer: photo });
    await note.locator('.ant-upload-list-item-done').waitFor();
    await note.getByRole('button', { name: '添加进展' }).click();
    const event = page.getByTestId('case-timeline').locator('[data-action="note"]', { hasText: '已设置警示围挡' });
    await event.locator('img').waitFor();
    await page.getByTestId('case-photos-card').locator('img').first().waitFor();

    // 挂账 until a day, then 解除挂账: back to where it was
    await page.getByTestId('action-park').click();
    const park = page.getByTestId('action-dialog-park');
    await park.getByTestId('action-reason').fill('待市政统一维修');
    await park.getByTestId('park-until').click();
    await page.keyboard.type('2030-01-15');
    await page.keyboard.press('Enter');
    await park.getByRole('button', { name: /挂\s*账/ }).click();
    await expect.poll(() => stageOf(page).getAttribute('data-stage')).toBe('parked');
    await page.getByTestId('case-facts').getByText('2030-01-15').waitFor();
    await page.getByTestId('action-unpark').click();
    await page.getByTestId('action-dialog-unpark').getByRole('button', { name: '解除挂账' }).click();
    await expect.poll(() => stageOf(page).getAttribute('data-stage')).toBe('reported');

    // back on the board, the new case is there
    await page.getByRole('link', { name: '返回事件列表' }).click();
    await page.getByTestId('cases-table').getByText('东关路井盖旁路面塌陷').waitFor();
  });
});
