/** Fixtures shared by the import's tests. */
import type { Db } from '../../../platform/db/client.js';
import { generateIdNumber } from '../../../platform/pii/index.js';
import type { PlaceNode } from './import.places.js';

/** The template's columns, in the template's order (a file as an office fills it in). */
export const HEADER = [
  '姓名',
  '身份证号',
  '联系电话',
  '性别',
  '出生日期',
  '社区',
  '网格',
  '楼栋',
  '单元',
  '房号',
  '户号',
  '与户主关系',
  '标签',
];

let sequence = 0;
/** A fresh valid ID number for each call (sequences step by 2 so the sex adjustment never collides). */
export function newId(birthDate = '1985-06-15', sex: 'male' | 'female' = 'male', areaCode = '370899'): string {
  sequence += 2;
  return generateIdNumber({ areaCode, birthDate, sequence: sequence % 1000, sex });
}

/** Rows that make an import fail part-way: the database refuses the one named 失败 ('refused by test'). */
export const FAILING_ROWS = () => [
  HEADER,
  ['成功', newId(), '', '', '', '东关社区', '第三网格', '', '', '77号', 'F-1', '户主', '党员'],
  ['失败', newId(), '', '', '', '东关社区', '第三网格', '', '', '78号', 'F-2', '户主', ''],
];

/** Runs `fn` while a trigger makes the database refuse to store anyone named 失败, then removes it. */
export async function whileRefusing(db: Db, fn: () => Promise<void>): Promise<void> {
  await db.exec(`
    CREATE FUNCTION test_refuse_import() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.name = '失败' THEN RAISE EXCEPTION 'refused by test'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_refuse_import BEFORE INSERT ON residents FOR EACH ROW EXECUTE FUNCTION test_refuse_import();`);
  try {
    await fn();
  } finally {
    await db.exec('DROP TRIGGER test_refuse_import ON residents; DROP FUNCTION test_refuse_import();');
  }
}

/** Rows as CSV text (cells need no quoting in these tests). */
export const csv = (rows: (string | number)[][]) => `${rows.map((r) => r.join(',')).join('\n')}\n`;

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
