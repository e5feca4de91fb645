import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import type { PartnerMe, PartnerOpenProjects } from '../../features/partners/partner-types';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { MobilePartnerPage } from './mobile-partner-page';

failOnRenderWarnings();

const partner = {
  user: { id: 9, username: 'huoban', displayName: '泗源爱心协会', locale: 'zh-CN', mustChangePassword: false },
  permissions: ['partners.act'],
  modules: ['volunteers'],
  posts: [{ nodeId: 2, nodeType: 'street', nodeName: '泗源街道', role: 'partner' }],
  notice: null,
} as unknown as Me;

const org = {
  id: 1,
  name: '泗源爱心协会',
  kind: 'social_org' as const,
  creditCode: '91350100M000100Y43',
  contactName: '李爱心',
  phoneMasked: '139****0001',
  description: null,
  nodeId: 2,
  nodeName: '泗源街道',
  status: 'approved' as const,
  reviewNote: null,
  reviewedAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  members: 1,
  claims: 1,
  confirmedDeliveries: 0,
  pointsBalance: 100,
};

const render = (me: PartnerMe, open?: PartnerOpenProjects) =>
  renderView(partner, <MobilePartnerPage />, (c) => {
    c.setQueryData(['partners', 'me'], me);
    if (open) c.setQueryData(['partners', 'open'], open);
  }).replaceAll('<!-- -->', '');

describe('the partner’s phone page', () => {
  it('offers the application form when the account has no organisation', () => {
    const html = render({ orgs: [], claims: [], nodes: [{ id: 2, name: '泗源街道', type: 'street' }] });
    expect(html).toContain('data-testid="m-partner-apply"');
    expect(html).toContain('申请成为红色合伙人');
    expect(html).toContain('统一社会信用代码');
  });

  it('shows the approved organisation, open projects to claim and its claims with their next steps', () => {
    const html = render(
      {
        orgs: [org],
        nodes: [],
        claims: [
          {
            id: 4,
            projectId: 3,
            projectTitle: '敬老院义务理发',
            category: 'elderly_care',
            orgId: 1,
            orgName: '泗源爱心协会',
            plan: null,
            status: 'claimed',
            claimedAt: '2026-12-02T00:00:00.000Z',
            deliveries: [],
            can: { deliver: true, withdraw: true },
          },
        ],
      },
      {
        items: [
          {
            id: 5,
            title: '社区义诊',
            description: null,
            category: 'health',
            nodeId: 3,
            nodeName: '东关社区',
            maxClaims: 1,
            rewardPoints: 120,
            status: 'open',
            closesOn: null,
            activeClaims: 0,
            createdAt: '2026-12-01T00:00:00.000Z',
            claimedByMe: false,
            full: false,
          },
        ],
      },
    );
    expect(html).not.toContain('m-partner-apply');
    expect(html).toContain('已通过');
    expect(html).toContain('100 积分');
    expect(html).toContain('社区义诊');
    expect(html).toContain('义诊 · 东关社区 · 120 积分');
    expect(html).toContain('认领');
    expect(html).toContain('敬老院义务理发');
    expect(html).toContain('提交成果');
    expect(html).toContain('撤回');
  });
});
