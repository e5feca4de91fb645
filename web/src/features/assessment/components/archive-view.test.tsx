import { describe, expect, it } from 'vitest';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { archive, streetAdmin } from '../test/fixtures';
import { ArchivesView, archiveChartOption } from './archive-view';

failOnRenderWarnings();

const clean = (html: string) => html.replaceAll('<!-- -->', '');

describe('一人一档', () => {
  it('shows a worker’s scores by period, honours as badges, and adjustments with evidence', () => {
    const html = clean(
      renderView(streetAdmin, <ArchivesView initial={{ kind: 'user', id: 7 }} />, (c) =>
        c.setQueryData(['assessment', 'archive', { kind: 'user', id: 7 }], archive),
      ),
    );
    expect(html).toContain('王网格');
    expect(html).toContain(' · 东关一网格');
    // the published honour as a badge; the nominated one says it is pending
    expect(html).toContain('2026年第3季度 优秀网格员');
    expect(html).toContain('2026年第2季度 优秀网格员（已提名）');
    // newest period first, rank of group
    expect(html.indexOf('2026年第3季度</td>')).toBeLessThan(html.indexOf('2026年第2季度</td>'));
    expect(html).toContain('1 / 4');
    expect(html).toContain('3 / 4');
    expect(html).toContain('93.5');
    expect(html).toContain('data-testid="archive-chart"');
    expect(html).toContain('协助处置燃气泄漏，获街道通报表扬');
    expect(html).toContain('href="/api/files/AAAAAAAAAAAAAAAAAAAAAA"');
    // archives are read-only
    expect(html).not.toContain('撤销');
  });

  it('asks for a subject before showing anything', () => {
    const html = renderView(streetAdmin, <ArchivesView />);
    expect(html).toContain('请选择网格员或网格');
    expect(html).not.toContain('data-testid="assessment-archive"');
  });

  it('charts totals and ranks (rank axis inverted: first at the top) oldest period first', () => {
    const option = archiveChartOption(archive.scores, 'zh-CN', '排名');
    expect(option.xAxis.data).toEqual(['2026年第2季度', '2026年第3季度']);
    expect(option.yAxis[1]).toMatchObject({ inverse: true, min: 1 });
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['网格员季度考核', [80, 93.5]],
      ['网格员季度考核 · 排名', [3, 1]],
    ]);
  });
});
