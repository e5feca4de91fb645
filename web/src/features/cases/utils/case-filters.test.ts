import { describe, expect, it } from 'vitest';
import { filtersFromParams, filtersToParams, toCaseListQuery } from './case-filters';

describe('toCaseListQuery', () => {
  it('sends only the filters set, days as the Shanghai day bounds', () => {
    expect(
      toCaseListQuery({
        stages: ['reported', 'escalated'],
        categoryId: 7,
        nodeId: 3,
        source: 'hotline',
        alert: 'red',
        from: '2026-12-01',
        to: '2026-12-07',
        q: '  井盖 ',
      }),
    ).toEqual({
      view: 'board',
      limit: 50,
      stage: 'reported,escalated',
      categoryId: 7,
      nodeId: 3,
      source: 'hotline',
      supervision: 2,
      from: '2026-11-30T16:00:00.000Z',
      to: '2026-12-07T15:59:59.999Z',
      q: '井盖',
    });
  });

  it('asks for yellow marks as supervision 1 and overdue cases as overdue', () => {
    expect(toCaseListQuery({ alert: 'yellow' }).supervision).toBe(1);
    const overdue = toCaseListQuery({ alert: 'overdue' }, 'department');
    expect(overdue).toEqual({ view: 'department', limit: 50, overdue: true });
  });
});

describe('filtersFromParams', () => {
  it('reads back what filtersToParams wrote', () => {
    const filters = {
      stages: ['handling' as const],
      categoryId: 12,
      source: 'resident' as const,
      alert: 'overdue' as const,
      from: '2026-01-02',
      q: 'C2026',
    };
    const params = filtersToParams(filters, 'kanban');
    expect(params.toString()).toBe(
      'view=kanban&stage=handling&categoryId=12&source=resident&alert=overdue&from=2026-01-02&q=C2026',
    );
    expect(filtersFromParams(params)).toEqual({ filters, view: 'kanban' });
  });

  it('ignores malformed and unknown values', () => {
    const params = new URLSearchParams(
      'stage=handling,bogus,handling&categoryId=-1&nodeId=x&source=fax&alert=blue&from=2026-1-2&view=grid',
    );
    expect(filtersFromParams(params)).toEqual({ filters: { stages: ['handling'] }, view: 'table' });
  });

  it('reads the workbench links, which use the API’s own parameters', () => {
    expect(filtersFromParams(new URLSearchParams('stage=reported,dispatched')).filters).toEqual({
      stages: ['reported', 'dispatched'],
    });
    expect(filtersFromParams(new URLSearchParams('overdue=true')).filters).toEqual({ alert: 'overdue' });
    expect(filtersFromParams(new URLSearchParams('supervision=2')).filters).toEqual({ alert: 'red' });
  });

  it('leaves a plain board a plain address', () => {
    expect(filtersToParams({ q: '  ' }, 'table').toString()).toBe('');
  });
});
