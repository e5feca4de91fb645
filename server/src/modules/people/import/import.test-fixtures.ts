/** Fixtures shared by the import's unit tests. */
import type { PlaceNode } from './import.places.js';

/** A small region: two communities with a 第一网格 each, buildings under micro-grids, and a village. */
export function samplePlaces(): PlaceNode[] {
  const nodes: PlaceNode[] = [];
  const add = (id: number, parent: PlaceNode | null, type: PlaceNode['type'], name: string) => {
    const n: PlaceNode = {
      id,
      parentId: parent?.id ?? null,
      type,
      name,
      path: `${parent?.path ?? '/'}${id}/`,
      countyId: 1,
    };
    nodes.push(n);
    return n;
  };
  const county = add(1, null, 'county', '泗源县');
  const street = add(2, county, 'street', '泗源街道');
  const town = add(3, county, 'town', '白石镇');
  const dongguan = add(10, street, 'community', '东关社区');
  const xiguan = add(20, street, 'community', '西关社区');
  const g1 = add(11, dongguan, 'grid', '第一网格');
  add(12, dongguan, 'grid', '第二网格');
  const m1 = add(13, g1, 'micro_grid', '1号微网格');
  const m2 = add(14, g1, 'micro_grid', '2号微网格');
  const b1 = add(15, m1, 'building', '1号楼');
  add(16, b1, 'unit', '1单元');
  add(17, b1, 'unit', '2单元');
  add(18, m2, 'building', '2号楼');
  const xg1 = add(21, xiguan, 'grid', '第一网格');
  add(22, xg1, 'building', '1号楼');
  const village = add(30, town, 'village', '白石村');
  const vg = add(31, village, 'grid', '第一网格');
  add(32, vg, 'micro_grid', '1号微网格');
  return nodes;
}
