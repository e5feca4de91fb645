import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from 'antd';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeAll, expect, vi } from 'vitest';
import type { Me } from '../api-types';
import { meQueryKey } from '../features/auth/hooks/use-auth';
import { i18n } from '../i18n';
import { zhCN } from '../i18n/zh-CN';

/**
 * Renders a view to HTML as `me` would see it, with the queries it reads filled in beforehand (no server, no fetch):
 * the page tests of the console's features render this way.
 */
export function renderView(me: Me, node: ReactNode, fill: (client: QueryClient) => void = () => undefined): string {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  client.setQueryData(meQueryKey, me);
  fill(client);
  return renderToString(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <App>{node}</App>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

// Server rendering warns of every layout effect (antd's), and without a screen width the responsive descriptions
// fall back to three columns, which a two-column layout does not fill; any other warning is a fault of the page.
const SSR_ONLY = ['useLayoutEffect does nothing on the server', 'Sum of column `span` in a line not match'];

/** In a test file: zh-CN messages for the views, and every React or antd warning a rendering prints fails the test. */
export function failOnRenderWarnings(): void {
  const warnings: string[] = [];
  beforeAll(async () => {
    vi.spyOn(console, 'error').mockImplementation((message: unknown) => {
      const text = String(message);
      if (!SSR_ONLY.some((s) => text.includes(s))) warnings.push(text);
    });
    await i18n.use(initReactI18next).init({
      resources: { 'zh-CN': { translation: zhCN } },
      lng: 'zh-CN',
      interpolation: { escapeValue: false },
    });
  });
  afterEach(() => {
    expect(warnings.splice(0)).toEqual([]);
  });
}
