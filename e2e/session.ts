import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { type RunningServer, startServer } from './server.js';

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
