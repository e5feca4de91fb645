import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from './server.js';
import { browserSession, signIn } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });
const openPage = session.openPage;

describe('the Open311 interface page', () => {
  it('lets the system administrator make a key for a community, shown once, that a server then uses until it is revoked', async () => {
    const page = await openPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('side-menu').getByRole('menuitem', { name: 'Open311 接口' }).click();
    await page.waitForURL('**/cases/open311');

    const name = `12345热线${Date.now() % 100000}`;
    await page.getByLabel('名称').fill(name);
    await page.getByTestId('open311-area').click();
    await page.keyboard.type('东关社区');
    await page.locator('.ant-select-item-option', { hasText: '东关社区' }).first().click();
    await page.getByRole('button', { name: '新建密钥' }).click();
    const shown = page.getByTestId('new-open311-key');
    await shown.waitFor();
    const key = ((await shown.textContent()) ?? '').trim();
    expect(key).toMatch(/^o311_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);

    const row = page.locator('tr.ant-table-row', { hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain('东关社区');
    expect(await row.textContent()).toContain('有效');
    // the list never holds the key itself
    expect(await page.locator('table').textContent()).not.toContain(key);

    // A server (no cookie, no Origin) reads with the key.
    const base = session.server().url;
    const ok = await fetch(`${base}/open311/v2/requests.json?api_key=${encodeURIComponent(key)}`);
    expect(ok.status).toBe(200);
    expect(Array.isArray(await ok.json())).toBe(true);

    await row.getByRole('button', { name: '吊销' }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /吊\s*销/ })
      .click();
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('已吊销');
    const refused = await fetch(`${base}/open311/v2/requests.xml?api_key=${encodeURIComponent(key)}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<errors><error><code>403</code>');
  });
});
