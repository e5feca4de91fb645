import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { Me } from '../api-types';
import type { PartnerNotice, PartnerOrgPage } from '../features/partners/partner-types';
import { PartnersConsole } from '../features/partners/partners-views';
import { failOnRenderWarnings, renderView } from '../test/render-view';
import { PartnersNoticePage } from './partners-notice-page';

failOnRenderWarnings();

const notice: PartnerNotice = {
  node: { id: 5, name: '东关社区' },
  partners: [
    {
      name: '泗源爱心协会',
      kind: 'social_org',
      deliveries: [
        {
          projectTitle: '敬老院义务理发',
          category: 'elderly_care',
          deliveredOn: '2026-11-07',
          summary: '为敬老院32位老人义务理发',
          peopleServed: 32,
        },
      ],
    },
    { name: '东关仁和诊所', kind: 'institution', deliveries: [] },
  ],
};

function renderNotice(url: string, data?: PartnerNotice) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  if (data) client.setQueryData(['public-partners', data.node.id], data);
  return renderToString(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <PartnersNoticePage />
      </MemoryRouter>
    </QueryClientProvider>,
  ).replaceAll('<!-- -->', '');
}

describe('the public notice of partners', () => {
  it('shows the area’s partners and their confirmed work', () => {
    const html = renderNotice('/notice/partners?node=5', notice);
    expect(html).toContain('东关社区 · 红色合伙人公示');
    expect(html).toContain('泗源爱心协会');
    expect(html).toContain('社会组织');
    expect(html).toContain('敬老院义务理发（助老）');
    expect(html).toContain('为敬老院32位老人义务理发');
    expect(html).toContain('东关仁和诊所');
    expect(html).toContain('暂无已确认的服务成果');
  });

  it('says so when no area is named', () => {
    expect(renderNotice('/notice/partners')).toContain('未找到该区域的公示');
  });
});

describe('the console page', () => {
  const me = {
    permissions: ['volunteers.read', 'volunteers.manage'],
    modules: ['volunteers'],
    posts: [{ nodeId: 5, nodeName: '东关社区' }],
  } as unknown as Me;
  const orgs: PartnerOrgPage = {
    items: [
      {
        id: 1,
        name: '鲁源建设有限公司',
        kind: 'company',
        creditCode: '91350100M000100Y43',
        contactName: '赵经理',
        phoneMasked: '139****0002',
        description: null,
        nodeId: 5,
        nodeName: '东关社区',
        status: 'applied',
        reviewNote: null,
        reviewedAt: null,
        createdAt: '2026-12-01T00:00:00.000Z',
        members: 1,
        claims: 0,
        confirmedDeliveries: 0,
        pointsBalance: 0,
      },
    ],
    total: 1,
  };

  it('lists applications with review buttons for a manager, and links the public notice', () => {
    const html = renderView(me, <PartnersConsole canManage nodeId={5} />, (c) =>
      c.setQueryData(['partners', 'orgs', { status: undefined, page: 1 }], orgs),
    );
    expect(html).toContain('鲁源建设有限公司');
    expect(html).toContain('待审核');
    expect(html).toContain('data-testid="org-approve-1"');
    expect(html).toContain('href="/notice/partners?node=5"');
  });

  it('offers no review to a reader', () => {
    const html = renderView(me, <PartnersConsole canManage={false} nodeId={5} />, (c) =>
      c.setQueryData(['partners', 'orgs', { status: undefined, page: 1 }], orgs),
    );
    expect(html).toContain('鲁源建设有限公司');
    expect(html).not.toContain('org-approve-1');
  });
});
