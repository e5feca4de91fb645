import type { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Me } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { selectionRequest } from '../hooks/use-assessment';
import { monthly, quarterly, selections, streetAdmin } from '../test/fixtures';
import { NoticePreview, publishGroups, SelectionsView, sortSelections } from './selections-view';

failOnRenderWarnings();

const initial = { schemeId: 2, periodStart: '2026-07-01' };
const fill =
  (items = selections) =>
  (c: QueryClient) => {
    c.setQueryData(['assessment', 'schemes'], { items: [monthly, quarterly] });
    c.setQueryData(['assessment', 'selections', { schemeId: 2, periodStart: '2026-07-01' }], {
      items,
      total: items.length,
    });
  };
const clean = (html: string) => html.replaceAll('<!-- -->', '');
const communityWorker = {
  ...streetAdmin,
  permissions: ['assessment.read', 'assessment.manage'],
  posts: [{ nodeId: 5, nodeType: 'community', nodeName: '东关社区', role: 'community_worker' }],
} as unknown as Me;

describe('评优评先', () => {
  it('shows the quarter’s selections in the order of their flow, with the steps a street admin may take', () => {
    const html = clean(renderView(streetAdmin, <SelectionsView canManage canApprove initial={initial} />, fill()));
    const order = ['王网格', '李网格', '张网格', '赵网格'].map((n) => html.indexOf(n));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('系统推荐');
    expect(html).toContain('已提名');
    expect(html).toContain('已批准');
    expect(html).toContain('未批准');
    expect(html).toContain('不批准理由：本季度有超期事件');
    expect(html).toContain('入户走访率全街道第一');
    expect(html).toContain('93.5');
    expect(html).toContain('>提 名</span></button>');
    expect(html).toContain('>修改事迹</span></button>');
    expect(html).toContain('>批 准</span></button>');
    expect(html).toContain('>不批准</span></button>');
    expect(html).toContain('>按得分生成推荐</span></button>');
    expect(html).toContain('>人工推荐</span></button>');
    // one approved selection at the street: publish it there
    expect(html).toContain('发布 泗源街道 公示（1 项）');
    expect(html).not.toContain('data-testid="notice-link"');
  });

  it('gives a community worker nomination but no approval or publishing', () => {
    const html = clean(
      renderView(communityWorker, <SelectionsView canManage canApprove={false} initial={initial} />, fill()),
    );
    expect(html).toContain('>提 名</span></button>');
    expect(html).not.toContain('>批 准</span></button>');
    expect(html).not.toContain('>不批准</span></button>');
    expect(html).not.toContain('公示（');
  });

  it('marks approval the server will refuse (another level) without hiding it, so its refusal is shown', () => {
    const other = selections.map((s) =>
      s.id === 2 ? { ...s, levelNodeName: '钢山街道', can: { nominate: false, approve: false, decline: false } } : s,
    );
    const html = clean(renderView(streetAdmin, <SelectionsView canManage canApprove initial={initial} />, fill(other)));
    expect(html).toContain('title="须由 钢山街道 审批"');
    expect(html).not.toContain('>修改事迹</span></button>');
  });

  it('links the public notice once published', () => {
    const published = selections.map((s) => (s.id === 3 ? { ...s, status: 'published' as const } : s));
    const html = clean(
      renderView(streetAdmin, <SelectionsView canManage canApprove initial={initial} />, fill(published)),
    );
    expect(html).toContain('href="/notice/honours?node=2"');
    expect(html).toContain('查看 泗源街道 公示页');
    expect(html).toContain('已公示');
    expect(html).not.toContain('公示（1 项）');
  });

  it('previews the notice: honours, names, grids and citations', () => {
    const html = clean(renderView(streetAdmin, <NoticePreview items={[selections[2]!]} period="2026年第3季度" />));
    expect(html).toContain('2026年第3季度 评优评先公示');
    expect(html).toContain('优秀网格员');
    expect(html).toContain('张网格');
    expect(html).toContain('（西关一网格）');
    expect(html).toContain('化解邻里纠纷12起');
  });

  it('groups approved selections by the level that publishes them', () => {
    const more = [...selections, { ...selections[2]!, id: 9, levelNodeId: 3, levelNodeName: '钢山街道' }];
    expect(publishGroups(more).map((g) => [g.levelNodeName, g.items.map((s) => s.id)])).toEqual([
      ['泗源街道', [3]],
      ['钢山街道', [9]],
    ]);
    expect(sortSelections([...selections].reverse()).map((s) => s.id)).toEqual([1, 2, 3, 4]);
  });

  it('sends each step to its route with its body', () => {
    expect(selectionRequest({ kind: 'decline', id: 4, reason: '有超期', version: 2 })).toEqual({
      path: '/api/assessment/selections/4/decline',
      body: { reason: '有超期', version: 2 },
    });
    expect(selectionRequest({ kind: 'publish', schemeId: 2, periodStart: '2026-07-01', levelNodeId: 2 })).toEqual({
      path: '/api/assessment/selections/publish',
      body: { schemeId: 2, periodStart: '2026-07-01', levelNodeId: 2 },
    });
    expect(
      selectionRequest({
        kind: 'add',
        schemeId: 2,
        periodStart: '2026-07-01',
        subjectKind: 'user',
        subjectId: 7,
        citation: '好',
      }),
    ).toEqual({
      path: '/api/assessment/selections',
      body: { schemeId: 2, periodStart: '2026-07-01', subjectKind: 'user', subjectId: 7, citation: '好' },
    });
  });
});
