import { describe, expect, it } from 'vitest';
import { PlaceIndex, parseOrdinal, placeNumber } from './import.places.js';
import { samplePlaces } from './import.test-fixtures.js';

const inDongguan = (path: string) => path.startsWith('/1/2/10/');
const q = (
  grid: string,
  more: Partial<Record<'street' | 'community' | 'microGrid' | 'building' | 'unit', string>> = {},
) =>
  [more.street ?? '', more.community ?? '', grid, more.microGrid ?? '', more.building ?? '', more.unit ?? ''] as const;

describe('parseOrdinal and placeNumber', () => {
  it('read Chinese and Arabic numerals in place names', () => {
    expect(parseOrdinal('一')).toBe(1);
    expect(parseOrdinal('十二')).toBe(12);
    expect(parseOrdinal('二十')).toBe(20);
    expect(parseOrdinal('一百零五')).toBe(105);
    expect(parseOrdinal('12')).toBe(12);
    expect(parseOrdinal('东')).toBeNull();
    expect(placeNumber('grid', '第三网格')).toBe(3);
    expect(placeNumber('building', '３号楼')).toBe(3);
    expect(placeNumber('building', '12栋')).toBe(12);
    expect(placeNumber('unit', '2')).toBe(2);
    expect(placeNumber('building', '东楼')).toBeNull();
  });
});

describe('PlaceIndex.resolve', () => {
  const index = new PlaceIndex(samplePlaces(), inDongguan);

  it('finds the deepest node named, by exact name or by number', () => {
    const r = index.resolve(...q('第一网格', { community: '东关社区', building: '1号楼', unit: '2单元' }));
    expect(r.ok && r.node.id).toBe(17);
    const short = index.resolve(...q('1', { community: '东关社区', building: '1', unit: '2' }));
    expect(short.ok && short.node.id).toBe(17);
    const viaMicro = index.resolve(
      ...q('第一网格', { community: '东关社区', microGrid: '2号微网格', building: '2号楼' }),
    );
    expect(viaMicro.ok && viaMicro.node.id).toBe(18);
  });

  it('takes the one grid of that name inside the scope when no community is given', () => {
    const r = index.resolve(...q('第二网格'));
    expect(r.ok && r.node.id).toBe(12);
    const first = index.resolve(...q('第一网格', { building: '1号楼' }));
    expect(first.ok && first.node.id).toBe(15);
  });

  it('says which column does not resolve', () => {
    const grid = index.resolve(...q('第九网格', { community: '东关社区' }));
    expect(!grid.ok && grid.issue).toMatchObject({ field: 'grid', code: 'place_not_found' });
    const building = index.resolve(...q('第一网格', { community: '东关社区', building: '9号楼' }));
    expect(!building.ok && building.issue).toMatchObject({ field: 'building', code: 'place_not_found' });
    const community = index.resolve(...q('第一网格', { community: '南关社区' }));
    expect(!community.ok && community.issue).toMatchObject({ field: 'community', code: 'place_not_found' });
    const unit = index.resolve(...q('第一网格', { community: '东关社区', unit: '1单元' }));
    expect(!unit.ok && unit.issue).toMatchObject({ field: 'unit', code: 'place_needs_building' });
  });

  it('refuses a place outside the scope, rather than calling it unknown', () => {
    const r = index.resolve(...q('第一网格', { community: '西关社区', building: '1号楼' }));
    expect(!r.ok && r.issue).toMatchObject({ field: 'community', code: 'place_out_of_scope' });
    const village = index.resolve(...q('第一网格', { community: '白石村' }));
    expect(!village.ok && village.issue).toMatchObject({ code: 'place_out_of_scope' });
  });

  it('asks for the community when a grid name is ambiguous', () => {
    const everywhere = new PlaceIndex(samplePlaces(), () => true);
    const r = everywhere.resolve(...q('第一网格'));
    expect(!r.ok && r.issue).toMatchObject({ field: 'grid', code: 'place_ambiguous', params: { hint: '社区' } });
    const street = everywhere.resolve(...q('第一网格', { street: '泗源街道', community: '东关社区' }));
    expect(street.ok && street.node.id).toBe(11);
    const wrongStreet = everywhere.resolve(...q('第一网格', { street: '白石镇', community: '东关社区' }));
    expect(!wrongStreet.ok && wrongStreet.issue).toMatchObject({ field: 'community', code: 'place_not_found' });
  });
});
