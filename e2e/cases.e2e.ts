import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { browserSession, signInOnPhone } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });
const PHONE = { width: 390, height: 844 };

type Category = { id: number; parentId: number | null; name: string; code: string };
type Detail = {
  id: number;
  caseNo: string;
  title: string;
  stage: string;
  rating: number | null;
  ratingComment: string | null;
  timeline: { action: string; files: { id: string; url: string }[] }[];
};

/** A noisy photo that compresses badly, so that its size says whether the browser shrank it. */
async function noisyPng(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function caseAs(page: Page, id: number): Promise<Detail> {
  const res = await page.request.get(`/api/cases/${id}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Detail;
}

/** The stage the case page shows (its code, as the tag carries it). */
const stageShown = (page: Page) =>
  page.getByTestId('m-case').locator('.m-case-head [data-testid=m-case-stage]').getAttribute('data-stage');

/** A locator's box once it stops moving (the place sheet slides up). */
async function settledBox(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await locator.boundingBox();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await locator.boundingBox();
    if (now && last && now.x === last.x && now.y === last.y && now.width === last.width) return now;
    last = now;
  }
  throw new Error('the element kept moving');
}

async function eventsShown(page: Page): Promise<string[]> {
  return page
    .getByTestId('m-timeline')
    .getByTestId('m-event')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-action') ?? ''));
}

describe('a case from a resident’s report to their rating, on the phone', () => {
  it('resident reports with a photo → grid worker takes and handles it → community worker checks and closes → resident rates', async () => {
    // ---- the resident reports: category, a photo, a few words; the place is their own house ----
    const resident = await session.openPage(PHONE, true);
    await signInOnPhone(resident, 'jumin');
    await resident.getByTestId('m-entry-report').click();
    await resident.waitForURL('**/m/report');
    const categories = ((await (await resident.request.get('/api/cases/categories')).json()) as { items: Category[] })
      .items;
    const root = categories.find((c) => c.parentId === null && c.name === '环境卫生');
    expect(root, 'the seeded category 环境卫生').toBeTruthy();
    const leaf = categories.find((c) => c.parentId === root!.id) ?? root!;
    await resident.getByTestId('m-categories').getByRole('button', { name: root!.name }).click();
    if (leaf !== root) await resident.getByTestId('m-categories').getByRole('button', { name: leaf.name }).click();
    await resident.getByTestId('m-report-form').waitFor();
    expect(await resident.getByTestId('m-report-category').textContent()).toContain(leaf.name);
    // the place is the resident's own house unless they choose another
    await expect.poll(() => resident.getByTestId('m-report-place').textContent()).toContain('我的住房');

    const photo = await noisyPng(3000, 2250);
    const sent: number[] = [];
    resident.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/files')
        sent.push(req.postDataBuffer()?.length ?? 0);
    });
    const uploaded = resident.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/files',
    );
    await resident
      .getByTestId('m-report-photos')
      .locator('input[type=file]')
      .setInputFiles({ name: 'IMG_2001.png', mimeType: 'image/png', buffer: photo });
    // the thumbnail of the uploaded photo shows in the picker
    await expect
      .poll(() => resident.getByTestId('m-report-photos').locator('.adm-image-uploader-cell img').count(), {
        timeout: 30_000,
      })
      .toBe(1);
    expect((await uploaded).status()).toBe(201);
    expect(sent).toHaveLength(1);
    // shrunk on the phone before it was sent
    expect(sent[0]).toBeLessThan(photo.length / 2);
    await resident.getByTestId('m-report-text').locator('textarea').fill('楼下垃圾桶满了三天没人清运');
    await resident.getByTestId('m-report-submit').click();
    await resident.waitForURL((url) => /^\/m\/cases\/\d+$/.test(url.pathname));
    const id = Number(new URL(resident.url()).pathname.split('/').pop());
    await resident.getByTestId('m-case').waitFor();
    expect(await stageShown(resident)).toBe('reported');
    expect(await resident.getByTestId('m-case').textContent()).toContain('楼下垃圾桶满了三天没人清运');
    await expect.poll(() => resident.getByTestId('m-case-photos').locator('img').count()).toBe(1);
    expect(await eventsShown(resident)).toEqual(['report']);
    const reported = await caseAs(resident, id);
    expect(reported.stage).toBe('reported');
    expect(reported.timeline[0]!.files).toHaveLength(1);
    // 我的报事 lists it
    await resident.goto('/m/cases');
    await resident.getByTestId('m-my-cases').locator(`[data-case-id="${id}"]`).waitFor();

    // ---- the grid worker: 我的任务 → the new case → 接单 (one tap) → 已处置 with a note and a photo ----
    const worker = await session.openPage(PHONE, true);
    await signInOnPhone(worker, 'wangge');
    await worker.getByTestId('m-entry-tasks').click();
    await worker.waitForURL('**/m/tasks');
    // 我的任务 merges visits, cases and alarms by deadline (a new report has none yet): the 事件 chip narrows it
    await worker.getByTestId('m-tasks-kind-case').click();
    await worker.getByTestId('m-tasks').locator(`[data-case-id="${id}"]`).click();
    await worker.waitForURL(`**/m/cases/${id}`);
    await worker.getByTestId('m-action-accept').click();
    await expect.poll(() => stageShown(worker)).toBe('handling');
    expect(await worker.getByTestId('m-action-accept').count()).toBe(0);
    await worker.getByTestId('m-action-handle').click();
    const handleForm = worker.getByTestId('m-form-handle');
    await handleForm.waitFor();
    await handleForm.locator('textarea').fill('已联系保洁，垃圾已清运完毕');
    const handledPhoto = worker.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/files',
    );
    await handleForm
      .getByTestId('m-form-photos')
      .locator('input[type=file]')
      .setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: await noisyPng(800, 600) });
    await expect
      .poll(() => handleForm.getByTestId('m-form-photos').locator('.adm-image-uploader-cell img').count(), {
        timeout: 30_000,
      })
      .toBe(1);
    expect((await handledPhoto).status()).toBe(201);
    await handleForm.getByTestId('m-form-submit').click();
    await expect.poll(() => stageShown(worker)).toBe('handled');
    expect((await eventsShown(worker)).slice(0, 2)).toEqual(['handle', 'accept']);

    // ---- the community worker: 我的任务 → 待核查 → 核查通过: closed ----
    const community = await session.openPage(PHONE, true);
    await signInOnPhone(community, 'shequ');
    await community.goto('/m/tasks');
    await community.getByRole('tab', { name: '待核查' }).click();
    await community.getByTestId('m-tasks').locator(`[data-case-id="${id}"]`).click();
    await community.waitForURL(`**/m/cases/${id}`);
    await community.getByTestId('m-action-verify-pass').click();
    const verifyForm = community.getByTestId('m-form-verifyPass');
    await verifyForm.locator('textarea').fill('现场核查，已清理干净');
    await verifyForm.getByTestId('m-form-submit').click();
    await expect.poll(() => stageShown(community)).toBe('closed');

    // ---- the resident sees every public step, and rates it (4 stars and a comment) ----
    await resident.goto(`/m/cases/${id}`);
    await expect.poll(() => stageShown(resident)).toBe('closed');
    const seen = await eventsShown(resident);
    for (const action of ['report', 'accept', 'handle', 'verify_pass']) expect(seen).toContain(action);
    // the handler's photo reaches the resident too
    expect(await resident.getByTestId('m-timeline').locator('img').count()).toBeGreaterThanOrEqual(2);
    expect(await resident.getByTestId('m-action-reopen').count()).toBe(1);
    await resident.getByTestId('m-action-rate').click();
    const rateForm = resident.getByTestId('m-form-rate');
    // the stars follow touch (a tap), as on a phone
    await rateForm.getByRole('radio', { name: '4', exact: true }).tap();
    await rateForm.getByText('满意', { exact: true }).waitFor();
    await rateForm.locator('textarea').fill('处理很及时，谢谢');
    await rateForm.getByTestId('m-form-submit').click();
    await resident.getByTestId('m-case-rating').waitFor();
    expect(await resident.getByTestId('m-case-rating').textContent()).toContain('处理很及时，谢谢');
    expect(await resident.getByTestId('m-action-rate').count()).toBe(0);
    expect(await resident.getByTestId('m-action-reopen').count()).toBe(0);
    const rated = await caseAs(resident, id);
    expect([rated.stage, rated.rating, rated.ratingComment]).toEqual(['closed', 4, '处理很及时，谢谢']);
  });

  it('a grid worker reports on patrol at a point of the grid map, which finds the grid', async () => {
    const worker = await session.openPage(PHONE, true);
    await signInOnPhone(worker, 'wangge');
    const map = (await (await worker.request.get('/api/cases/map')).json()) as {
      community: { name: string };
      grids: { id: number; name: string }[];
    };
    expect(map.community.name).toBe('东关社区');
    const grid = map.grids.find((g) => g.name === '第一网格')!;
    await worker.getByTestId('m-entry-patrol').click();
    await worker.waitForURL('**/m/patrol');
    // /m/patrol is the patrol log (grid work); its quick report, one tap further, files a case at once
    await worker.getByTestId('m-patrol-quick-report').click();
    await worker.waitForURL('**/m/patrol/report');
    await worker.getByTestId('m-categories').getByRole('button', { name: '违章搭建' }).click();
    await worker.getByTestId('m-report-place').click();
    // no tiles unless LINLI_MAP_TILES is set: the map is the outlines alone
    const svg = worker.getByTestId('m-grid-map');
    await svg.waitFor();
    expect(await svg.locator('image').count()).toBe(0);
    // a tap in the grid's northern part, where no building stands
    const box = await settledBox(worker.getByTestId(`m-map-grid-${grid.id}`));
    await worker.mouse.click(box.x + box.width / 2, box.y + box.height * 0.12);
    await worker.getByTestId('m-map-pin').waitFor();
    await worker.getByTestId('m-place-done').click();
    expect(await worker.getByTestId('m-report-place').textContent()).toContain('第一网格');
    await worker.getByTestId('m-report-text').locator('textarea').fill('路边新搭了一间彩钢房');
    await worker.getByTestId('m-report-submit').click();
    await worker.waitForURL((url) => /^\/m\/cases\/\d+$/.test(url.pathname));
    const id = Number(new URL(worker.url()).pathname.split('/').pop());
    await worker.getByTestId('m-case').waitFor();
    expect(await worker.getByTestId('m-case').textContent()).toContain('第一网格');
    // the case's own pin on its grid map, and the grid worker may take it at once
    await worker.getByTestId('m-case').getByTestId('m-map-pin').waitFor();
    await worker.getByTestId('m-action-accept').waitFor();
    const body = (await (await worker.request.get(`/api/cases/${id}`)).json()) as {
      source: string;
      stage: string;
      place: { gridId: number | null; lat: number | null; lng: number | null };
    };
    expect(body.source).toBe('patrol');
    expect(body.stage).toBe('reported');
    expect(body.place.gridId).toBe(grid.id);
    expect(body.place.lat).not.toBeNull();
  });

  it('a resident who is not satisfied says 没解决: the closed case is sent back to be handled again', async () => {
    const origin = { Origin: session.server().url };
    const resident = await session.openPage(PHONE, true);
    await signInOnPhone(resident, 'jumin');
    const categories = ((await (await resident.request.get('/api/cases/categories')).json()) as { items: Category[] })
      .items;
    const leaf =
      categories.find((c) => c.name === '设施损坏' && categories.every((x) => x.parentId !== c.id)) ??
      categories.find((c) => categories.every((x) => x.parentId !== c.id))!;
    const created = await resident.request.post('/api/cases', {
      headers: origin,
      data: { categoryId: leaf.id, description: '单元门禁坏了' },
    });
    expect(created.status()).toBe(201);
    const id = ((await created.json()) as Detail).id;
    // taken, handled and checked by the workers (their pages tested above), through the same API
    const worker = await session.openPage(PHONE, true);
    await signInOnPhone(worker, 'wangge');
    for (const [path, data] of [
      ['accept', {}],
      ['handle', { note: '已更换门禁电源' }],
    ] as const) {
      expect((await worker.request.post(`/api/cases/${id}/${path}`, { headers: origin, data })).status()).toBe(200);
    }
    const community = await session.openPage(PHONE, true);
    await signInOnPhone(community, 'shequ');
    const verified = await community.request.post(`/api/cases/${id}/verify`, {
      headers: origin,
      data: { passed: true },
    });
    expect(verified.status()).toBe(200);

    await resident.goto('/m/cases');
    const item = resident.getByTestId('m-my-cases').locator(`[data-case-id="${id}"]`);
    expect(await item.getByTestId('m-case-stage').getAttribute('data-stage')).toBe('closed');
    await item.click();
    await resident.waitForURL(`**/m/cases/${id}`);
    await resident.getByTestId('m-action-reopen').click();
    const form = resident.getByTestId('m-form-reopen');
    await form.locator('textarea').fill('门禁还是打不开');
    await form.getByTestId('m-form-submit').click();
    await expect.poll(() => stageShown(resident)).not.toBe('closed');
    expect(await resident.getByTestId('m-action-rate').count()).toBe(0);
    expect(await resident.getByTestId('m-action-reopen').count()).toBe(0);
    expect((await eventsShown(resident))[0]).toBe('reopen');
    expect(await resident.getByTestId('m-timeline').textContent()).toContain('门禁还是打不开');
    const after = await caseAs(resident, id);
    expect(after.stage).toBe('dispatched');
  });
});
