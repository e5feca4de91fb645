import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from './server.js';
import { browserSession, signIn } from './session.js';

// devices [E]: 设备设置, 设备导入 with the single-device form, and 设备与预警 on a resident's page
const session = browserSession({ pageTimeoutMs: 30_000 });

type Rule = { id: number; code: string; kind: string; params: Record<string, unknown>; version: number };

/** Picks the first visible option of the open select dropdown. */
async function pickFirstOption(page: Page) {
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
  await option.waitFor();
  await option.click();
}

async function workbook(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('设备');
  ws.addRow(['设备类型 Type', '序列号 Serial', '设备名称 Name', '安装地点 Place', '位置说明 Location']);
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('设备设置 (device settings)', () => {
  it('lets the administrator widen the no-use window, refusing half-set quiet hours, and add a device type', async () => {
    const page = await session.openPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '设备设置' }).click();
    await page.waitForURL('**/devices/settings');
    const types = page.getByTestId('device-types-table');
    await types.locator('tr', { hasText: 'water_meter' }).waitFor();

    await page.getByRole('tab', { name: '预警规则' }).click();
    const rules = page.getByTestId('device-rules-table');
    const noUse = rules.locator('tr', { hasText: '无使用' }).first();
    await noUse.waitFor();
    await noUse.getByRole('button', { name: /编\s*辑/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('rule-param-quiet-end').fill('');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('静默开始和结束须同时填写').waitFor();
    await dialog.getByTestId('rule-param-quiet-end').fill('06:30');
    await dialog.getByTestId('rule-param-window-hours').fill('12');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    const saved = (await (await page.request.get('/api/device-rules?typeCode=water_meter')).json()) as {
      items: Rule[];
    };
    const rule = saved.items.find((r) => r.kind === 'no_use');
    expect(rule?.params).toMatchObject({ windowHours: 12, quietEnd: '06:30' });
    expect(rule?.version).toBeGreaterThan(1);
    await rules.locator('tr', { hasText: '时间窗口 12 小时' }).waitFor();

    // an admin-defined type with one metric and one event
    await page.getByRole('tab', { name: '设备类型' }).click();
    await page.getByTestId('add-device-type').click();
    const typeDialog = page.getByRole('dialog');
    await typeDialog.getByLabel('代码').fill('gas_detector');
    await typeDialog.getByLabel('中文名称').fill('燃气报警器');
    await typeDialog.getByLabel('英文名称').fill('Gas detector');
    await typeDialog.getByRole('button', { name: '添加测量项' }).click();
    const metric = typeDialog.getByTestId('type-metrics');
    await metric.getByPlaceholder('键').fill('gas_ppm');
    await metric.getByPlaceholder('中文名称').fill('燃气浓度');
    await metric.getByPlaceholder('英文名称').fill('Gas concentration');
    await metric.getByPlaceholder('单位').fill('ppm');
    await metric.getByPlaceholder('最大值').fill('10000');
    await typeDialog.getByRole('button', { name: '添加事件' }).click();
    const event = typeDialog.getByTestId('type-events');
    await event.getByPlaceholder('键').fill('gas_leak');
    await event.getByPlaceholder('中文名称').fill('燃气泄漏');
    await event.getByPlaceholder('英文名称').fill('Gas leak');
    await typeDialog.getByRole('button', { name: /保\s*存/ }).click();
    await typeDialog.waitFor({ state: 'hidden' });
    await types.locator('tr', { hasText: 'gas_detector' }).waitFor();
    const list = (await (await page.request.get('/api/device-types')).json()) as {
      items: { code: string; builtin: boolean; metrics: { key: string; max: number }[]; events: { key: string }[] }[];
    };
    const gas = list.items.find((t) => t.code === 'gas_detector');
    expect(gas).toMatchObject({
      builtin: false,
      metrics: [{ key: 'gas_ppm', max: 10000 }],
      events: [{ key: 'gas_leak' }],
    });
  });
});

describe('设备导入 (registering devices)', () => {
  it('registers one device with its credentials shown once, and imports a file all or nothing', async () => {
    const page = await session.openPage();
    await signIn(page, 'shequ');
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '设备导入' }).click();
    await page.waitForURL('**/devices/import');

    await page.getByTestId('register-device').click();
    await page.getByTestId('register-device-form').waitFor();
    await page.getByTestId('register-device-type').click();
    await pickFirstOption(page);
    const serial = `WM-E2E-${Date.now() % 1_000_000}`;
    await page.getByTestId('register-device-serial').fill(serial);
    await page.getByTestId('register-device-node').click();
    await page.keyboard.type('1号楼');
    // the search is debounced: wait for its answer rather than for time
    const building = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '1号楼' }).first();
    await building.waitFor();
    await building.click();
    await page.getByTestId('register-device-submit').click();
    await page.getByTestId('device-credentials').waitFor();
    const token = ((await page.getByTestId('device-token').textContent()) ?? '').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const username = ((await page.getByTestId('device-username').textContent()) ?? '').trim();
    expect(await page.getByTestId('device-telemetry-topic').textContent()).toBe(`linli/${username}/telemetry`);
    const device = (await (await page.request.get(`/api/devices/${username}`)).json()) as {
      serial: string;
      secretPrefix: string;
    };
    expect(device.serial).toBe(serial);
    expect(device.secretPrefix).toBe(token.slice(0, 6));
    await page.getByRole('button', { name: '我已保存' }).click();
    await page.getByTestId('device-credentials').waitFor({ state: 'hidden' });

    // refused: a serial taken and an unknown type, nothing created
    const place = '东关社区/第一网格/1号微网格/1号楼';
    const stamp = Date.now() % 1_000_000;
    const bad = await workbook([
      ['water_meter', `IMP-${stamp}-1`, '', place, '厨房'],
      ['water_meter', serial, '', place, ''],
      ['toaster', `IMP-${stamp}-3`, '', place, ''],
    ]);
    const upload = page.locator('input[type=file]');
    await upload.setInputFiles({ name: 'devices-bad.xlsx', mimeType: 'application/octet-stream', buffer: bad });
    const errors = page.getByTestId('device-import-errors');
    await errors.waitFor();
    const text = (await errors.textContent()) ?? '';
    expect(text).toContain('序列号');
    expect(text).toContain('设备类型');
    const firstRow = (await (await page.request.get('/api/devices', { params: { q: `IMP-${stamp}-1` } })).json()) as {
      total: number;
    };
    expect(firstRow.total).toBe(0);

    // accepted: both rows, and their credentials as a CSV
    const good = await workbook([
      ['water_meter', `IMP-${stamp}-1`, '张奶奶家水表', place, '厨房'],
      ['智能水表', `IMP-${stamp}-2`, '', place, ''],
    ]);
    await upload.setInputFiles({ name: 'devices-good.xlsx', mimeType: 'application/octet-stream', buffer: good });
    await page.getByTestId('device-import-done').waitFor();
    expect(await page.getByTestId('device-import-done').textContent()).toContain('导入 2 台设备');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('device-import-credentials').click(),
    ]);
    const csv = await (await download.createReadStream()).toArray();
    const lines = Buffer.concat(csv).toString('utf8').split('\r\n');
    expect(lines[0]?.startsWith('\uFEFF序列号,设备 ID,MQTT 用户名,令牌')).toBe(true);
    expect(lines.filter((l) => l.startsWith(`IMP-${stamp}-`))).toHaveLength(2);
    const imported = (await (await page.request.get('/api/devices', { params: { q: `IMP-${stamp}` } })).json()) as {
      total: number;
    };
    expect(imported.total).toBe(2);
  });
});

describe('设备与预警 on a resident page', () => {
  it('lists the devices watching over a person, sets them away and adjusts a rule for them alone', async () => {
    const page = await session.openPage();
    await signIn(page, 'shequ');
    const residents = (await (await page.request.get('/api/people/residents', { params: { pageSize: 1 } })).json()) as {
      items: { id: number; nodeId: number }[];
    };
    const resident = residents.items[0]!;
    const created = await page.request.post('/api/devices', {
      headers: { Origin: session.server().url },
      data: {
        typeCode: 'water_meter',
        serial: `WM-RES-${Date.now() % 1_000_000}`,
        nodeId: resident.nodeId,
        residentId: resident.id,
      },
    });
    expect(created.status()).toBe(201);
    const { device } = (await created.json()) as { device: { id: number; serial: string } };

    await page.goto(`/people/residents/${resident.id}`);
    const card = page.getByTestId('resident-devices');
    await card.getByText(device.serial).waitFor();

    // away: on with a reason, read back from the API
    await card.getByTestId('resident-away').getByRole('switch').click();
    const awayDialog = page.getByRole('dialog');
    await awayDialog.getByLabel('原因').fill('去女儿家住一周');
    await awayDialog.getByRole('button', { name: /确\s*认/ }).click();
    await card.getByText('外出中').waitFor();
    const away = (await (await page.request.get(`/api/residents/${resident.id}/away`)).json()) as { reason: string };
    expect(away.reason).toBe('去女儿家住一周');

    // the no-use rule widened for this person only: the override keeps just the changed value
    const overrides = card.getByTestId('resident-overrides');
    const row = overrides.locator('tr', { hasText: '时间窗口' }).filter({ hasText: '最小用量' }).first();
    await row.getByRole('button', { name: '调整' }).click();
    const overrideDialog = page.getByRole('dialog');
    await overrideDialog.getByTestId('rule-param-window-hours').fill('24');
    await overrideDialog.getByRole('button', { name: /保\s*存/ }).click();
    await overrideDialog.waitFor({ state: 'hidden' });
    await overrides.getByText('已调整').waitFor();
    const list = (await (await page.request.get(`/api/residents/${resident.id}/rule-overrides`)).json()) as {
      items: { params: Record<string, unknown>; enabled: boolean }[];
    };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ params: { windowHours: 24 }, enabled: true });
  });
});
