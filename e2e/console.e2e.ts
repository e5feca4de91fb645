import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DEMO_PASSWORD } from './server.js';
import { browserSession, signIn } from './session.js';

const session = browserSession({ pageTimeoutMs: 20_000 });
const openPage = session.openPage;

async function menuItems(page: Page): Promise<string[]> {
  const menu = page.getByTestId('side-menu');
  await menu.getByRole('menuitem').first().waitFor();
  return (await menu.getByRole('menuitem').allTextContents()).map((s) => s.trim());
}

describe('the console', () => {
  it('lets an administrator add a grid under a community and then find it in the audit log', async () => {
    const page = await openPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL('**/workbench');
    expect(await menuItems(page)).toEqual([
      '工作台',
      // grid work: 我的任务 for every console role
      '我的任务',
      // policies, assessment, dashboard: the county's dashboard
      '驾驶舱',
      '事件',
      '部门事件',
      '事件统计',
      '职能部门',
      // devices [D]
      '预警中心',
      '设备',
      // grid work
      '走访任务',
      '走访记录',
      '走访覆盖',
      '一网三联',
      '巡查记录',
      // points, volunteers
      '积分账户',
      '兑换商户',
      '志愿队伍',
      '志愿活动',
      '时间银行',
      '红色合伙人',
      // policies, assessment: the county's lists, metrics, scores, honours and archives
      '政策找人',
      '政策待办',
      '考核指标',
      '考核排名',
      '评优评先',
      '一人一档',
      // ---- deliberation [A] ----
      '议事协商',
      '三方会议',
      '居民认证',
      // ---- end deliberation [A] ----
      // ---- notices [B] ----
      '信息发布',
      // ---- end notices [B] ----
      // ---- machinery [D] ----
      '农机共享',
      // ---- end machinery [D] ----
      '组织架构',
      '人口',
      '房屋',
      '导入',
      '迁入申请',
      '报表',
      '标签',
      '用户与岗位',
      '审计日志',
      '后台任务',
      '事件设置',
      'Open311 接口',
      // devices [E]
      '设备导入',
      '设备设置',
      // grid work: the rules are installation-wide
      '走访规则',
      '积分规则',
      // policies, assessment: writing policies and schemes is installation-wide
      '政策管理',
      '考核方案',
      // ---- services [C] ----
      '便民服务',
      // ---- end services [C] ----
      // ---- privacy [E] ----
      '个人信息申请',
      // ---- end privacy [E] ----
    ]);

    const search = await page.request.get('/api/org/search', { params: { q: '东关社区', type: 'community' } });
    expect(search.status()).toBe(200);
    const community = ((await search.json()) as { items: { id: number; name: string }[] }).items[0];
    expect(community?.name).toBe('东关社区');

    await page.goto(`/org?node=${community?.id}`);
    const detail = page.getByTestId('node-detail');
    await expect.poll(() => detail.getByRole('heading').textContent()).toBe('东关社区');
    // the tree unfolds down to the node opened from the address
    await page.getByTestId('org-tree').getByText('东关社区').waitFor();

    const gridName = `测试网格${Date.now() % 100000}`;
    await page.getByRole('button', { name: '添加下级' }).click();
    const dialog = page.getByRole('dialog');
    // a community can hold only grids, so the type is chosen already
    await expect
      .poll(() => dialog.locator('.ant-select-content, .ant-select-selection-item').first().textContent())
      .toContain('网格');
    await dialog.getByLabel('名称').fill(gridName);
    await dialog.getByRole('button', { name: /新\s*建/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByTestId('org-tree').getByText(gridName).waitFor();
    await expect.poll(() => detail.getByRole('heading').textContent()).toBe(gridName);
    expect(await detail.textContent()).toContain('泗源县');

    await page.getByTestId('side-menu').getByRole('menuitem', { name: '审计日志' }).click();
    await page.waitForURL('**/audit');
    const row = page.locator('tr.ant-table-row', { hasText: gridName }).first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('系统管理员');
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  });

  it('shows the system administrator the background job queues with their schedules; a street admin may not open them', async () => {
    const page = await openPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '后台任务' }).click();
    await page.waitForURL('**/jobs');
    const queues = page.getByTestId('job-queues');
    const sweep = queues.locator('tr.ant-table-row', { hasText: 'people.import_sweep' });
    await sweep.waitFor();
    expect(await sweep.textContent()).toContain('0 * * * *');
    expect(
      await queues.locator('tr.ant-table-row', { hasText: 'people.refresh_derived_tags' }).textContent(),
    ).toContain('7 * * * *');
    expect(await queues.locator('th').allTextContents()).toEqual(
      expect.arrayContaining(['队列', '排队中', '运行中', '失败']),
    );
    // The failed jobs below (none on a fresh server).
    await page.getByTestId('job-list').getByText('没有该状态的任务').waitFor();

    const other = await openPage();
    await signIn(other, 'jiedao', DEMO_PASSWORD);
    expect(await menuItems(other)).not.toContain('后台任务');
    await other.goto('/jobs');
    await other.getByText('403').waitFor();
  });

  it('shows a grid worker only their own grid and no user management', async () => {
    const page = await openPage();
    await signIn(page, 'wangge', DEMO_PASSWORD);
    await page.waitForURL('**/workbench');
    // residents, houses, move-in requests and reports, but no import, tag dictionary or user management;
    // devices [D]: the alarm centre and the devices of their grid
    expect(await menuItems(page)).toEqual([
      '工作台',
      '我的任务',
      // policies, assessment, dashboard: their grid's dashboard
      '驾驶舱',
      '事件',
      '预警中心',
      '设备',
      // grid work: their tasks, visits, coverage, links and patrols (no rules)
      '走访任务',
      '走访记录',
      '走访覆盖',
      '一网三联',
      '巡查记录',
      // points, volunteers: the grid's passbooks, merchants, activities, time bank and partners
      '积分账户',
      '兑换商户',
      '志愿队伍',
      '志愿活动',
      '时间银行',
      '红色合伙人',
      // the people of their grid a policy finds, and their grid's metrics, scores, honours and archives
      '政策找人',
      '政策待办',
      '考核指标',
      '考核排名',
      '评优评先',
      '一人一档',
      // ---- deliberation [A] ----
      '议事协商',
      '三方会议',
      '居民认证',
      // ---- end deliberation [A] ----
      // ---- notices [B] ----
      '信息发布',
      // ---- end notices [B] ----
      // ---- machinery [D] ----
      '农机共享',
      // ---- end machinery [D] ----
      '组织架构',
      '人口',
      '房屋',
      '迁入申请',
      '报表',
      // ---- services [C] ----
      '便民服务',
      // ---- end services [C] ----
      // ---- privacy [E] ----
      '个人信息申请',
      // ---- end privacy [E] ----
    ]);
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '组织架构' }).click();
    await page.waitForURL('**/org');

    const tree = page.getByTestId('org-tree');
    await tree.locator('.ant-tree-treenode').first().waitFor();
    const roots = tree.locator('.ant-tree-treenode');
    expect(await roots.count()).toBe(1);
    const root = (await roots.first().textContent()) ?? '';
    expect(root).toContain('第一网格');
    expect(root).toContain('网格');

    await page.goto('/users');
    await page.getByText('403').waitFor();
    expect(await page.getByTestId('side-menu').getByRole('menuitem', { name: '用户与岗位' }).count()).toBe(0);
  });

  it('sends a resident who signs in at the desktop login to the phone view, which is theirs', async () => {
    const page = await openPage();
    await signIn(page, 'jumin', DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/m');
    await page.getByTestId('m-home').waitFor();
    expect(await page.getByTestId('side-menu').count()).toBe(0);
  });

  it('signs a grid worker in on the phone shell at 390×844', async () => {
    const page = await openPage({ width: 390, height: 844 }, true);
    await page.goto('/m');
    await page.waitForURL('**/m/login');
    await page.getByPlaceholder('用户名').fill('wangge');
    await page.getByPlaceholder('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.pathname === '/m');
    // a grid worker's home leads to their tasks (the demo's cases may already wait there)
    await page.getByTestId('m-home').getByTestId('m-entry-tasks').waitFor();
    expect(await page.locator('.adm-nav-bar').textContent()).toContain('我的任务');

    await page.locator('.adm-tab-bar-item', { hasText: '我的' }).click();
    await page.waitForURL('**/m/me');
    const me = page.getByTestId('m-me');
    await me.getByText('张网格').waitFor();
    expect(await me.textContent()).toContain('网格员 · 第一网格');

    // nothing sticks out sideways on a 390 px wide phone
    // (a string, so that this file needs no DOM typings)
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
