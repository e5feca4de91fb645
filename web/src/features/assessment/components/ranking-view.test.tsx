import { describe, expect, it } from 'vitest';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { adjustment, gridWorker, monthly, rankings, streetAdmin } from '../test/fixtures';
import { AdjustmentsTable, RankingView, ScoreItems, totalsChartOption } from './ranking-view';

failOnRenderWarnings();

const initial = { schemeId: 1, periodStart: '2026-11-01' };
const fill = (c: import('@tanstack/react-query').QueryClient) => {
  c.setQueryData(['assessment', 'schemes'], { items: [monthly] });
  c.setQueryData(['assessment', 'rankings', { schemeId: 1, periodStart: '2026-11-01', nodeId: null }], rankings);
  c.setQueryData(['assessment', 'adjustments', { schemeId: 1, periodStart: '2026-11-01' }], {
    items: [
      adjustment,
      { ...adjustment, id: 32, points: -2, reason: '台账缺失', evidence: [], withdrawnAt: '2026-11-21T00:00:00.000Z' },
    ],
    total: 2,
  });
};
const clean = (html: string) => html.replaceAll('<!-- -->', '');

describe('考核排名', () => {
  it('ranks a group with totals, marks, adjustments and the change against the previous period', () => {
    const html = clean(renderView(streetAdmin, <RankingView canManage defaultNodeId={null} initial={initial} />, fill));
    expect(html).toContain('东关社区');
    expect(html).toContain('网格月度考核 · 2026年11月：总分 = 指标得分 + 加减分（加减分上限 ±10 分）');
    // rank of size, name linking to the archive, total, base, signed adjustments
    expect(html).toContain('1 / 2');
    expect(html).toContain('href="/assessment/archives?node=11"');
    expect(html).toContain('<b>92.5</b>');
    expect(html).toContain('89.5');
    expect(html).toContain('+3');
    expect(html).toContain('−2');
    // moved up one place and 11.5 points; the other moved down
    expect(html).toContain('↑1');
    expect(html).toContain('↑11.5');
    expect(html).toContain('↓1');
    expect(html).toContain('↓18.25');
    expect(html).toContain('data-testid="assessment-chart"');
    // a manager may add a bonus or penalty, and withdraw one; a withdrawn one shows as such
    expect(html.match(/>加减分<\/span><\/button>/g)?.length).toBe(2);
    expect(html).toContain('协助处置燃气泄漏，获街道通报表扬');
    expect(html).toContain('href="/api/files/AAAAAAAAAAAAAAAAAAAAAA"');
    expect(html).toContain('表扬通报.pdf');
    expect(html).toContain('街道管理员 · ');
    expect(html).toContain('>撤销</span></button>');
    expect(html).toContain('已撤销');
  });

  it('offers a reader no bonus, penalty or withdrawal', () => {
    const html = clean(
      renderView(gridWorker, <RankingView canManage={false} defaultNodeId={null} initial={initial} />, fill),
    );
    expect(html).toContain('东关一网格');
    expect(html).toContain('<b>92.5</b>');
    expect(html).not.toContain('>加减分</span></button>');
    expect(html).not.toContain('>撤销</span></button>');
    expect(html).toContain('协助处置燃气泄漏');
  });

  it('says so when the period has no scores', () => {
    const html = renderView(streetAdmin, <RankingView canManage defaultNodeId={null} initial={initial} />, (c) => {
      c.setQueryData(['assessment', 'schemes'], { items: [monthly] });
      c.setQueryData(['assessment', 'rankings', { schemeId: 1, periodStart: '2026-11-01', nodeId: null }], {
        ...rankings,
        groups: [],
      });
    });
    expect(html).toContain('该周期暂无考核得分');
  });

  it('shows each item’s value as its kind says and the marks out of the weight', () => {
    const html = clean(renderView(streetAdmin, <ScoreItems items={rankings.groups[0]!.subjects[0]!.items} />));
    expect(html).toContain('按时办结率');
    expect(html).toContain('87.5%');
    expect(html).toContain('49.5 / 60');
    expect(html).toContain('超期事件数');
    expect(html).toContain('40 / 40');
    const missing = clean(renderView(streetAdmin, <ScoreItems items={rankings.groups[0]!.subjects[1]!.items} />));
    expect(missing).toContain('—');
    expect(missing).toContain('0 / 60');
  });

  it('charts the totals of a group in rank order', () => {
    const option = totalsChartOption(rankings.groups[0]!);
    expect(option.xAxis.data).toEqual(['东关一网格', '东关二网格']);
    expect(option.series[0]!.data).toEqual([92.5, 70]);
  });

  it('lists adjustments without actions for a reader', () => {
    const html = clean(renderView(gridWorker, <AdjustmentsTable items={[adjustment]} canManage={false} />));
    expect(html).toContain('+3');
    expect(html).not.toContain('撤销');
  });
});
