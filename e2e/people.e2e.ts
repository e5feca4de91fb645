import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { namePinyin } from '../server/src/modules/people/people.logic.js';
import { ADMIN_PASSWORD } from './server.js';
import { browserSession, signIn, signInOnPhone } from './session.js';
import { byHeader, FULL_ID_NUMBER, FULL_MOBILE, readSheetRows } from './xlsx.js';

const session = browserSession({ pageTimeoutMs: 30_000 });
const openPage = session.openPage;

type Resident = { id: number; name: string; place: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** An 18-character ID number with the right check digit (GB 11643) for a 17-digit body. */
function idNumber(body: string): string {
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] ?? 0), 0);
  return body + CHECK[sum % 11];
}

/** The same number with a wrong check digit. */
function withWrongCheckDigit(id: string): string {
  return id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
}

function statisticValue(page: Page, testId: string) {
  return page.getByTestId(testId).locator('.ant-statistic-content-value').textContent();
}

describe('the people and houses database', () => {
  it('finds a resident by the initials of their name and opens them', async () => {
    const page = await openPage();
    await signIn(page, 'shequ');
    const found = await page.request.get('/api/people/residents', { params: { pageSize: 50 } });
    expect(found.status()).toBe(200);
    const { items } = (await found.json()) as { items: Resident[] };
    // three characters make initials specific enough for the first page of results
    const target = items.find((r) => r.name.length === 3);
    if (!target) throw new Error('no resident with a three-character name in the demo data');
    const { initials } = namePinyin(target.name);

    await page.goto('/people');
    await page.getByTestId('resident-search').fill(initials);
    // the search runs once typing pauses, and keeps its words in the address
    await page.waitForURL((url) => url.searchParams.get('q') === initials);
    const link = page.getByTestId(`resident-${target.id}`);
    await link.waitFor();
    await link.click();
    await page.waitForURL(`**/people/residents/${target.id}`);
    await expect.poll(() => page.getByTestId('resident-name').textContent()).toBe(target.name);
    expect(await page.getByTestId('resident-detail').textContent()).toContain(target.place);
  });

  it('imports a CSV, reports the bad rows and what is wrong with each, loads the good ones and finds an imported person', async () => {
    const page = await openPage();
    await signIn(page, 'shequ');
    const run = String(Date.now() % 1000).padStart(3, '0');
    const people = [
      { name: '欧阳导入', id: idNumber(`37089919650312${run}`), phone: '13900001111', relation: '户主' },
      { name: '欧阳配偶', id: idNumber(`37089919680521${run}`), phone: '13900002222', relation: '配偶' },
      { name: '欧阳小宝', id: idNumber(`37089920120909${run}`), phone: '', relation: '子女' },
    ];
    const bad = withWrongCheckDigit(idNumber(`37089919770101${run}`));
    const place = '东关社区,第一网格,1号楼,1单元';
    const header = '姓名,身份证号,联系电话,社区,网格,楼栋,单元,房号,与户主关系';
    const csv = [
      header,
      ...people.map((p) => `${p.name},${p.id},${p.phone},${place},801,${p.relation}`),
      `欧阳错号,${bad},13900004444,${place},802,户主`,
      `欧阳错电,${idNumber(`37089919790202${run}`)},12345,${place},803,户主`,
    ].join('\n');

    await page.goto('/people/import');
    // the only file input on the page: antd's upload area hides it behind its drop zone
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '居民导入.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`, 'utf8') });
    await page.getByTestId('import-commit').waitFor();
    expect(await statisticValue(page, 'rows-valid')).toBe('3');
    expect(await statisticValue(page, 'rows-invalid')).toBe('2');

    // the error report holds the bad rows (and only them) with their line in the file and what is wrong
    const href = await page.getByTestId('error-report').getAttribute('href');
    const report = await page.request.get(href ?? '');
    expect(report.status()).toBe(200);
    const sheet = await readSheetRows(await report.body());
    expect(sheet[0]).toEqual(['行号', ...header.split(','), '错误']);
    const errors = byHeader(sheet, 1).map((r) => [r.行号, r.姓名, r.房号, r.错误]);
    expect(errors).toEqual([
      ['5', '欧阳错号', '802', '身份证号：校验位不正确，请核对号码'],
      ['6', '欧阳错电', '803', expect.stringMatching(/^联系电话：.*不是有效的手机或固定电话号码$/)],
    ]);

    await page.getByTestId('import-commit').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '确认导入' }).click();
    // the commit is a background job: on PGlite's single connection it may queue behind the scheduled jobs that
    // fall due at the same minute (points.earn, visits.events, volunteers.credit), so it gets more than the default
    await page.getByTestId('rows-inserted').waitFor({ timeout: 90_000 });
    expect(await statisticValue(page, 'rows-inserted')).toBe('3');

    await page.goto(`/people?q=${encodeURIComponent('欧阳配偶')}`);
    const row = page.getByTestId('residents-table').locator('tr.ant-table-row', { hasText: '欧阳配偶' });
    await row.waitFor();
    expect(await row.textContent()).toContain('配偶');
    await row.getByRole('link', { name: '欧阳配偶' }).click();
    await expect.poll(() => page.getByTestId('resident-name').textContent()).toBe('欧阳配偶');
    const household = page.getByTestId('resident-household');
    await household.getByText('欧阳导入').waitFor();
    expect(await household.textContent()).toContain('欧阳小宝');
  });

  it('refuses on screen an import that would give a household a second 户主, showing the rows and why', async () => {
    const page = await openPage();
    await signIn(page, 'shequ');
    const run = String((Date.now() + 7) % 1000).padStart(3, '0');
    const header = '姓名,身份证号,社区,网格,房号,户号,与户主关系';
    const room = `双户${run}`;
    const upload = async (name: string, rows: string[]) => {
      await page.goto('/people/import');
      await page.locator('input[type=file]').setInputFiles({
        name,
        mimeType: 'text/csv',
        buffer: Buffer.from(`${[header, ...rows].join('\n')}\n`, 'utf8'),
      });
      await page.getByTestId('import-commit').waitFor();
    };
    // A household at the house: its head and spouse, without 户号.
    await upload('第一户.csv', [
      `司马原主,${idNumber(`37089919600101${run}`)},东关社区,第二网格,${room},,户主`,
      `司马原配,${idNumber(`37089919620202${run}`)},东关社区,第二网格,${room},,配偶`,
    ]);
    await page.getByTestId('import-commit').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '确认导入' }).click();
    await page.getByTestId('rows-inserted').waitFor();
    expect(await statisticValue(page, 'rows-inserted')).toBe('2');

    // Another head and spouse at the same house, again without 户号: refused in the dry run, rows on screen.
    await upload('第二户.csv', [
      `司马新主,${idNumber(`37089919700303${run}`)},东关社区,第二网格,${room},,户主`,
      `司马新配,${idNumber(`37089919720404${run}`)},东关社区,第二网格,${room},,配偶`,
    ]);
    expect(await statisticValue(page, 'rows-valid')).toBe('0');
    expect(await statisticValue(page, 'rows-invalid')).toBe('2');
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    const table = page.getByTestId('import-error-rows');
    await table.waitFor();
    const rows = await table.locator('tr.ant-table-row').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^2与户主关系没有填写户号，而该房屋已有一户，户主是司马原主；一户只能有一个户主/);
    expect(rows[1]).toMatch(/^3与户主关系没有填写户号，而该房屋的户中已有配偶司马原配（户主司马原主）/);
    // The error report is next to them.
    expect(await page.getByTestId('error-report').getAttribute('href')).toMatch(/\/errors\.xlsx$/);
  });

  it("exports the list of the very old as an Excel workbook: the user's community only, numbers masked", async () => {
    // what the street (all four communities) sees of the same list, to know who is in and who is out
    const street = await openPage();
    await signIn(street, 'jiedao');
    const templates = (await (await street.request.get('/api/reports/templates')).json()) as {
      items: { id: number; name: string }[];
    };
    const template = templates.items.find((t) => t.name === '高龄老人名单');
    if (!template) throw new Error('no 高龄老人名单 template');
    type Row = { community: string; name: string; idNumber: string };
    const preview = async (community: string) => {
      const found = await street.request.get('/api/org/search', { params: { q: community, type: 'community' } });
      const node = ((await found.json()) as { items: { id: number; name: string }[] }).items[0];
      expect(node?.name).toBe(community);
      const res = await street.request.get(`/api/reports/templates/${template.id}/preview`, {
        params: { nodeId: node?.id ?? 0, limit: 200 },
      });
      expect(res.status()).toBe(200);
      return (await res.json()) as { rows: Row[]; total: number };
    };
    const inside = await preview('东关社区');
    const outside = await preview('西关社区');
    expect(inside.rows.length).toBeGreaterThan(0);
    expect(outside.rows.length).toBeGreaterThan(0);
    const key = (name: string, id: string) => `${name}|${id}`;

    const page = await openPage();
    await signIn(page, 'shequ');
    await page.goto('/reports');
    const row = page.getByTestId('report-templates').locator('tr.ant-table-row', { hasText: '高龄老人名单' });
    await row.waitFor();
    const download = page.waitForEvent('download');
    await row.getByRole('button', { name: /导\s*出/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^高龄老人名单-\d{8}\.xlsx$/);
    const saved = path.join(os.tmpdir(), `linli-e2e-${Date.now()}.xlsx`);
    await file.saveAs(saved);
    let sheet: string[][];
    try {
      sheet = await readSheetRows(await readFile(saved));
    } finally {
      await rm(saved, { force: true });
    }
    await page
      .getByTestId('export-progress')
      .getByText(/已保存为/)
      .waitFor();

    // row 1 is the title, row 2 the header
    expect(sheet[0]?.[0]).toContain('东关社区');
    const rows = byHeader(sheet, 2);
    expect(rows).toHaveLength(inside.total);
    expect(new Set(rows.map((r) => r['社区（村）']))).toEqual(new Set(['东关社区']));
    const exported = new Set(rows.map((r) => key(r.姓名 ?? '', r.身份证号 ?? '')));
    const someoneInside = inside.rows[0]!;
    expect(exported).toContain(key(someoneInside.name, someoneInside.idNumber));
    for (const r of outside.rows) expect(exported).not.toContain(key(r.name, r.idNumber));
    // ID and phone numbers masked: no cell anywhere holds a whole one
    for (const r of rows) {
      expect(r.身份证号).toMatch(/^\d{6}\*+\d{3}[\dX]$/);
      if (r.联系电话) expect(r.联系电话).toContain('****');
    }
    for (const cell of sheet.flat()) {
      expect(cell).not.toMatch(FULL_ID_NUMBER);
      expect(cell).not.toMatch(FULL_MOBILE);
    }
  });

  it('lets a grid worker look someone up on the phone and call them after giving a reason', async () => {
    const page = await openPage({ width: 390, height: 844 }, true);
    await signInOnPhone(page, 'wangge');
    const found = await page.request.get('/api/people/residents', { params: { pageSize: 50 } });
    const { items } = (await found.json()) as { items: (Resident & { phoneMasked: string | null })[] };
    const target = items.find((r) => r.phoneMasked !== null && r.name.length === 3);
    if (!target) throw new Error("no resident with a phone number in the grid worker's grid");

    await page.locator('.adm-tab-bar-item', { hasText: '居民' }).click();
    await page.getByTestId('m-residents').locator('.adm-search-bar input').fill(namePinyin(target.name).initials);
    await page.getByTestId(`m-resident-${target.id}`).click();
    await page.getByTestId('m-resident').waitFor();
    await page.getByTestId('m-call').click();
    await page.locator('.adm-dialog textarea').fill('走访前电话确认');
    await page.locator('.adm-dialog').getByRole('button', { name: '确认' }).click();
    const call = page.getByTestId('m-call-link');
    await call.waitFor();
    const href = (await call.getAttribute('href')) ?? '';
    expect(href).toMatch(/^tel:\+?\d{7,}$/);
    // the number revealed is the one shown masked
    const masked = target.phoneMasked ?? '';
    expect(href.slice(-4)).toBe(masked.slice(-4));
    expect(href).toContain(masked.slice(0, 3));

    // the reveal is in the audit trail, with who, whom and why
    const admin = await openPage();
    await signIn(admin, 'admin', ADMIN_PASSWORD);
    const audit = await admin.request.get('/api/audit', {
      params: { action: 'pii.reveal', targetId: String(target.id) },
    });
    expect(audit.status()).toBe(200);
    const entries = (
      (await audit.json()) as {
        items: { action: string; targetType: string; targetId: string; actorName: string; reason: string }[];
      }
    ).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'pii.reveal',
      targetType: 'resident',
      targetId: String(target.id),
      actorName: '张网格',
    });
    expect(entries[0]?.reason).toContain('phone');
    expect(entries[0]?.reason).toContain('走访前电话确认');
  });
});
