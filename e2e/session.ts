import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { DEMO_PASSWORD, type RunningServer, startServer } from './server.js';

/**
 * One real server and one Chromium for a test file: started before its tests, stopped after them.
 * `openPage` gives a fresh browser context (its own cookies) in zh-CN and Asia/Shanghai.
 */
export function browserSession(opts: { pageTimeoutMs: number }) {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  return {
    server: () => server,
    async openPage(viewport = { width: 1366, height: 900 }, isMobile = false): Promise<Page> {
      const context = await browser.newContext({
        baseURL: server.url,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        viewport,
        isMobile,
        hasTouch: isMobile,
        acceptDownloads: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(opts.pageTimeoutMs);
      return page;
    },
  };
}

/** Signs in at the console's login page and waits to leave it. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Signs in at the phone's login page and waits for the phone home. */
export async function signInOnPhone(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/m/login');
  await page.getByPlaceholder('用户名').fill(username);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname === '/m');
}
