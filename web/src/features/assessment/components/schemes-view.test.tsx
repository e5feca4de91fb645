import { describe, expect, it } from 'vitest';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { ApiError } from '../../../ui/api';
import { monthly, quarterly, streetAdmin } from '../test/fixtures';
import { honoursFor, SchemeForm, SchemesView, schemeErrorTarget, WeightSum } from './schemes-view';

failOnRenderWarnings();

const clean = (html: string) => html.replaceAll('<!-- -->', '');

describe('考核方案', () => {
  it('lists schemes with subject, period, items, weights and honour', () => {
    const html = clean(
      renderView(streetAdmin, <SchemesView />, (c) =>
        c.setQueryData(['assessment', 'schemes'], { items: [monthly, quarterly] }),
      ),
    );
    expect(html).toContain('网格月度考核');
    expect(html).toContain('网格员季度考核');
    expect(html).toContain('网格员');
    expect(html).toContain('季度');
    expect(html).toContain('优秀网格员 × 2 (≥ 85)');
    expect(html).toContain('新建考核方案');
  });

  it('edits a scheme: its items with metric labels, and the running sum of weights', () => {
    const html = clean(renderView(streetAdmin, <SchemeForm scheme={monthly} onDone={() => undefined} />));
    expect(html).toContain('value="网格月度考核"');
    expect(html).toContain('按时办结率');
    expect(html).toContain('超期事件数');
    expect(html).toContain('权重合计 100 / 100 ✓');
    // subject and period kind are fixed once a scheme exists
    expect(html.match(/ant-select-disabled/g)?.length).toBe(2);
  });

  it('says when the weights fall short of or exceed the total', () => {
    const short = clean(renderView(streetAdmin, <WeightSum items={[{ weight: 60 }]} total={100} />));
    expect(short).toContain('权重合计 60 / 100 （不足）');
    const over = clean(renderView(streetAdmin, <WeightSum items={[{ weight: 60 }, { weight: 50.5 }]} total={100} />));
    expect(over).toContain('权重合计 110.5 / 100 （超出）');
  });

  it('puts the server’s error at the field it names, the sum of weights under the table', () => {
    const err = (field?: string) => new ApiError(400, 'X', '权重之和为 90，应为 100', field);
    expect(schemeErrorTarget(err('items'))).toEqual({ kind: 'items' });
    expect(schemeErrorTarget(err('/items/2/metric'))).toEqual({ kind: 'field', path: ['items', 2, 'metric'] });
    expect(schemeErrorTarget(err('name'))).toEqual({ kind: 'field', path: ['name'] });
    expect(schemeErrorTarget(err('somethingElse'))).toEqual({ kind: 'message' });
    expect(schemeErrorTarget(err())).toEqual({ kind: 'message' });
    expect(schemeErrorTarget(new Error('x'))).toEqual({ kind: 'message' });
  });

  it('lets an honour fit its subject', () => {
    expect(honoursFor('grid')).toEqual(['red_flag_grid']);
    expect(honoursFor('worker')).toEqual(['excellent_worker']);
    expect(honoursFor('community')).toEqual([]);
  });
});
