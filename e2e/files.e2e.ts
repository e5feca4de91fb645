import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { browserSession, signIn, signInOnPhone } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });
const openPage = session.openPage;

type FileView = { id: string; name: string; width: number | null; height: number | null; url: string };

/** A resident of the grid worker's grid (第一网格), whom the community worker and the building leader see too. */
async function residentOfFirstGrid(page: Page): Promise<number> {
  const res = await page.request.get('/api/people/residents', { params: { pageSize: 50 } });
  const items = ((await res.json()) as { items: { id: number; place: string }[] }).items;
  const target = items.find((r) => r.place.includes('第一网格') && r.place.includes('1号楼'));
  if (!target) throw new Error('no resident in 1号楼 of 第一网格 in the demo data');
  return target.id;
}

/** A noisy photo that compresses badly, so that its size says whether the browser shrank it. */
async function noisyPng(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function attachments(page: Page, residentId: number): Promise<FileView[]> {
  const res = await page.request.get(`/api/people/residents/${residentId}/attachments`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { items: FileView[] }).items;
}

describe('documents and photos of a resident', () => {
  it('a community worker uploads a scan on the resident page and sees its thumbnail; a building leader sees no card', async () => {
    const page = await openPage();
    await signIn(page, 'shequ');
    const id = await residentOfFirstGrid(page);
    await page.goto(`/people/residents/${id}`);
    const card = page.getByTestId('resident-files');
    await card.waitFor();
    const before = (await attachments(page, id)).length;

    const scan = await sharp({ create: { width: 2600, height: 1800, channels: 3, background: '#f4f1e8' } })
      .jpeg()
      .toBuffer();
    await card
      .locator('input[type=file]')
      .setInputFiles({ name: '低保证明.jpg', mimeType: 'image/jpeg', buffer: scan });
    await expect.poll(() => card.getByTestId('resident-file').count(), { timeout: 30_000 }).toBe(before + 1);
    // The thumbnail is really served to the page (the browser decoded it).
    const thumb = card.locator('img[alt="低保证明.jpg"]').first();
    const naturalWidth = () =>
      thumb.evaluate((el) => {
        const img = el as unknown as { complete: boolean; naturalWidth: number };
        return img.complete ? img.naturalWidth : 0;
      });
    await expect.poll(naturalWidth, { timeout: 30_000 }).toBe(320);
    const stored = (await attachments(page, id)).find((f) => f.name === '低保证明.jpg');
    expect(stored && Math.max(stored.width ?? 0, stored.height ?? 0)).toBe(2048);

    const leader = await openPage();
    await signIn(leader, 'louzhang');
    await leader.goto(`/people/residents/${id}`);
    await leader.getByTestId('resident-detail').waitFor();
    expect(await leader.getByTestId('resident-files').count()).toBe(0);
    const refused = await leader.request.get(stored!.url);
    expect(refused.status()).toBe(404);
  });

  it('the phone shrinks a photo to a 2048 px JPEG before it is sent', async () => {
    const page = await openPage({ width: 390, height: 844 }, true);
    await signInOnPhone(page, 'wangge');
    const id = await residentOfFirstGrid(page);
    await page.goto(`/m/residents/${id}`);
    await page.getByTestId('m-resident-files').waitFor();

    const photo = await noisyPng(3000, 2250);
    const sent: number[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/files')
        sent.push(req.postDataBuffer()?.length ?? 0);
    });
    await page
      .getByTestId('m-file-input')
      .setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: photo });
    // Named .jpg: the browser re-encoded it (the server keeps the name it is sent).
    await expect
      .poll(async () => (await attachments(page, id)).map((f) => f.name), { timeout: 30_000 })
      .toContain('IMG_0001.jpg');
    const stored = (await attachments(page, id)).find((f) => f.name === 'IMG_0001.jpg');
    expect([stored?.width, stored?.height]).toEqual([2048, 1536]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeLessThan(photo.length / 2);
    await expect
      .poll(() => page.getByTestId('m-resident-files').locator('img').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
  });
});
