import { describe, expect, it } from 'vitest';
import { buildUrl } from '../../../ui/api';
import { filtersFromParams, filtersToParams, toResidentsQuery, totalLabel } from './resident-filters';

describe('toResidentsQuery', () => {
  it('repeats tag for every chosen tag and sends the mode only when it matters', () => {
    const url = buildUrl(
      '/api/people/residents',
      toResidentsQuery({ tags: ['aged_80', 'disabled'], tagMode: 'all', page: 1, pageSize: 20 }),
    );
    expect(url).toBe('/api/people/residents?tag=aged_80&tag=disabled&tagMode=all&page=1&pageSize=20');
    expect(toResidentsQuery({ tags: ['aged_80'], tagMode: 'all', page: 1, pageSize: 20 }).tagMode).toBeUndefined();
  });

  it('leaves out blank text and keeps an age of zero', () => {
    const query = toResidentsQuery({ q: '  ', address: '', ageMax: 0, page: 2, pageSize: 50 });
    expect(buildUrl('/x', query)).toBe('/x?ageMax=0&page=2&pageSize=50');
  });
});

describe('filters in the address', () => {
  it('survive a round trip', () => {
    const filters = {
      q: 'zs',
      tags: ['aged_80', 'elderly_alone'],
      tagMode: 'all' as const,
      ageMin: 60,
      ageMax: 0,
      sex: 'female' as const,
      status: 'all' as const,
      nodeId: 12,
      address: '东关',
      page: 3,
      pageSize: 50,
    };
    expect(filtersFromParams(filtersToParams(filters))).toEqual(filters);
  });

  it('keep a plain list plain', () => {
    expect(filtersToParams({ tags: [], page: 1, pageSize: 20 }).toString()).toBe('');
  });

  it('ignore malformed values', () => {
    const f = filtersFromParams(
      new URLSearchParams('sex=x&ageMin=-3&page=abc&pageSize=7&tag=DROP%20TABLE&status=gone'),
    );
    expect(f).toEqual({
      q: undefined,
      tags: [],
      tagMode: undefined,
      ageMin: undefined,
      ageMax: undefined,
      sex: undefined,
      status: undefined,
      nodeId: undefined,
      address: undefined,
      page: 1,
      pageSize: 20,
    });
  });
});

describe('totalLabel', () => {
  it('says 1000+ when the server stopped counting', () => {
    expect(totalLabel(999)).toBe('999');
    expect(totalLabel(1000)).toBe('1000+');
  });
});
