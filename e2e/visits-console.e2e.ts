import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from './server.js';
import { browserSession, signIn } from './session.js';

// grid work [G]: the console's visit pages on the demo data (the demo start runs the task generation)
const session = browserSession({ pageTimeoutMs: 30_000 });

type Rule = {
  id: number;
  code: string;
  name: string;
  kind: string;
  every: number | null;
  unit: string | null;
  enabled: boolean;
};
type TaskDetail = { id: number; ruleName: string; residentName: string | null; status: string };

describe('走访规则 (visit rules)', () => {
  it('lists the 三到六访 rules with 独居老人 weekly, and generates tasks now', async () => {
    const page = await session.openPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '走访规则' }).click();
    await page.waitForURL('**/visits/rules');

    const lonely = page.getByTestId('visit-rules-table').locator('tr', { hasText: '独居老人' }).first();
    await lonely.waitFor();
    const rules = (await (await page.request.get('/api/visit-rules')).json()) as { items: Rule[] };
    // the built-in weekly rule (visits.seed.ts: 独居老人每周走访)
    const rule = rules.items.find((r) => r.code === 'routine_elderly_alone');
    expect(rule).toMatchObject({ every: 1, unit: 'week', enabled: true });
    expect(await lonely.textContent()).toContain('每 1 周一次');

    // 立即生成: the day's tasks exist already, so the run answers its figures without duplicating any
    await page.getByTestId('visit-generate').click();
    const result = page.getByTestId('visit-generation-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/已生成：新增 \d+ 个任务/);
  });
});

describe('走访任务 (visit tasks)', () => {
  it('shows the generated tasks and opens one', async () => {
    const page = await session.openPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '走访任务' }).click();
    await page.waitForURL('**/visits/tasks');

    const link = page.getByTestId('visit-tasks-table').getByTestId('visit-task-link').first();
    await link.waitFor();
    await link.click();
    await page.waitForURL(/\/visits\/tasks\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('visit-task-detail').waitFor();
    const task = (await (await page.request.get(`/api/visit-tasks/${id}`)).json()) as TaskDetail;
    expect(task.id).toBe(id);
    const title = (await page.getByTestId('visit-task-title').textContent()) ?? '';
    expect(title).toContain(task.ruleName);
    if (task.residentName) expect(title).toContain(task.residentName);
    await page.getByTestId('visit-task-facts').waitFor();
    await page.getByTestId('visit-task-members').waitFor();

    // back to the list, which opened on open tasks
    await page.getByRole('link', { name: '返回走访任务' }).click();
    await page.waitForURL('**/visits/tasks');
    await page.getByTestId('visit-count-open').waitFor();
  });
});
