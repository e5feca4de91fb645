import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HonoursNotice } from '../features/assessment/assessment-types';
import { notice } from '../features/assessment/test/fixtures';
import { failOnRenderWarnings } from '../test/render-view';
import { byQuarter, fetchHonours, HonoursNoticePage, noticePlace } from './honours-notice-page';

failOnRenderWarnings();

function renderNotice(url: string, data?: HonoursNotice) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  if (data) client.setQueryData(['public-honours', data.node.id], data);
  return renderToString(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <HonoursNoticePage />
      </MemoryRouter>
    </QueryClientProvider>,
  ).replaceAll('<!-- -->', '');
}

afterEach(() => vi.unstubAllGlobals());

describe('the public notice of honours', () => {
  it('shows the area’s honours by quarter, newest first, with places and citations', () => {
    const html = renderNotice('/notice/honours?node=2', notice);
    expect(html).toContain('泗源街道 · 评优评先公示');
    expect(html.indexOf('2026年第3季度')).toBeGreaterThan(0);
    expect(html.indexOf('2026年第3季度')).toBeLessThan(html.indexOf('2026年第2季度'));
    expect(html).toContain('红旗网格');
    expect(html).toContain('优秀网格员');
    expect(html).toContain('<td>王网格</td><td>东关一网格 · 东关社区</td><td>入户走访率全街道第一</td>');
    // a grid's own name is not repeated as its place
    expect(html).toContain('<td>东关一网格</td><td>东关社区</td><td>全年无超期事件</td>');
  });

  it('says so when no area is named, or it has nothing published', () => {
    expect(renderNotice('/notice/honours')).toContain('未找到该区域的公示');
    expect(renderNotice('/notice/honours?node=abc')).toContain('未找到该区域的公示');
    expect(renderNotice('/notice/honours?node=2', { ...notice, honours: [] })).toContain('暂无已公示的荣誉');
  });

  it('fetches without the session (no cookies) and fails on an error status', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(notice), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(fetchHonours(2)).resolves.toEqual(notice);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/public/honours?nodeId=2');
    expect(init.credentials).toBe('omit');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 404 })),
    );
    await expect(fetchHonours(2)).rejects.toThrow('404');
  });

  it('orders and places honours', () => {
    expect(byQuarter(notice.honours).map(([p, list]) => [p, list.map((h) => h.name)])).toEqual([
      ['2026-07-01', ['王网格', '东关一网格']],
      ['2026-04-01', ['李网格']],
    ]);
    expect(noticePlace({ ...notice.honours[0]!, communityName: null })).toBe('—');
  });
});
