import { describe, expect, it } from 'vitest';
import { archive, gridWorker } from '../../features/assessment/test/fixtures';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { latestByScheme, MobileAssessmentPage, MyAssessmentEntry } from './mobile-assessment-page';

failOnRenderWarnings();

const clean = (html: string) => html.replaceAll('<!-- -->', '');

describe('我的考核 on the phone', () => {
  it('shows my latest score and rank with the trend, its items, and my honours', () => {
    const html = clean(
      renderView(gridWorker, <MobileAssessmentPage />, (c) =>
        c.setQueryData(['assessment', 'archive', { kind: 'user', id: 7 }], archive),
      ),
    );
    expect(html).toContain('我的考核');
    expect(html).toContain('网格员季度考核 · 2026年第3季度');
    expect(html).toContain('93.5');
    expect(html).toContain('第 1 名 / 共 4');
    expect(html).toContain('↑2');
    expect(html).toContain('走访按时完成率');
    expect(html).toContain('93.5%');
    expect(html).toContain('83.75/100');
    expect(html).toContain('2026年第3季度 优秀网格员');
    // a nomination still pending is no honour yet
    expect(html).not.toContain('2026年第2季度 优秀网格员');
    expect(html).toContain('协助处置燃气泄漏');
  });

  it('keeps the latest period per scheme and the one before', () => {
    const [first, ...rest] = latestByScheme(archive.scores);
    expect(rest).toEqual([]);
    expect(first?.latest.periodStart).toBe('2026-07-01');
    expect(first?.previous?.periodStart).toBe('2026-04-01');
  });

  it('has an entry on the home page only for those who read assessment', () => {
    expect(renderView(gridWorker, <MyAssessmentEntry />)).toContain('data-testid="m-entry-assessment"');
    const resident = { ...gridWorker, permissions: [], modules: [] } as typeof gridWorker;
    expect(renderView(resident, <MyAssessmentEntry />)).not.toContain('m-entry-assessment');
  });
});
