/**
 * Houses files (房屋档案: 房屋编号, 楼栋号, 单元, 所在楼层, 门牌号, 面积, 房屋类型, 户号, 户主姓名, 户主身份证号 …), as other
 * community systems export them. Read as what the import already knows: a row is a house (its place and 门牌号)
 * with the head of the household living there (户主姓名, 户主身份证号, relation 户主, 户号 if any), loaded by the
 * residents pipeline; a row without a head is a house alone (vacant, or its people come with a residents file). The
 * house's own facts (所在楼层, 面积, 房屋类型) are checked by row and column and written onto the house at commit.
 */
import { toHalfWidth } from '../../../platform/pii/index.js';
import { type Cell, cellText, normalizeCode, normalizeHeader, type RowIssue } from './import.logic.js';
import type { PlaceNode } from './import.places.js';
import type { CheckedRow, RowContext } from './import.rows.js';

export type HouseUse = 'owner_occupied' | 'rented' | 'vacant' | 'commercial' | 'other';

const HEAD_NAME = ['户主姓名', '户主名称', '户主名字'];
const HEAD_ID = ['户主身份证号', '户主身份证号码', '户主证件号码', '户主身份证', '户主公民身份号码'];
const HEAD_PHONE = ['户主电话', '户主联系电话', '户主手机', '户主手机号'];
const HOUSE_CODE = ['房屋编号', '房屋编码', '房屋代码', '房屋id'];
const DOOR_NO = ['门牌号', '房号', '房间号', '室号'];
const FLOOR = ['所在楼层', '楼层', '所在层'];
const AREA = ['面积', '建筑面积', '房屋面积', '使用面积', '面积㎡', '面积m2', '面积平方米'];
const USE = ['房屋类型', '房屋用途', '使用类型', '居住类型', '房屋性质', '使用情况', '房屋状态'];

const set = (names: string[]) => new Set(names.map(normalizeHeader));
const [HEAD_NAME_S, HEAD_ID_S, HEAD_PHONE_S, HOUSE_CODE_S, DOOR_NO_S, FLOOR_S, AREA_S, USE_S] = [
  HEAD_NAME,
  HEAD_ID,
  HEAD_PHONE,
  HOUSE_CODE,
  DOOR_NO,
  FLOOR,
  AREA,
  USE,
].map(set) as [Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>];

/** Where a houses file keeps the house's own facts (-1: no such column) and the file's headers for messages. */
export type HouseColumns = {
  floor: number;
  area: number;
  use: number;
  label: { floor: string; area: string; use: string };
};

/** A house as a houses file describes it, to be written at commit. */
export type HouseFact = {
  node: PlaceNode;
  roomNo: string;
  floor: number | null;
  area: number | null;
  use: HouseUse | null;
};

/** Whether a header row is a houses file's: it names a head of household (户主姓名 / 户主身份证号) and a house. */
export function isHousesHeader(headers: readonly string[]): boolean {
  const n = headers.map(normalizeHeader);
  const head = n.some((h) => HEAD_NAME_S.has(h) || HEAD_ID_S.has(h));
  const house = n.some((h) => HOUSE_CODE_S.has(h) || DOOR_NO_S.has(h));
  return head && house;
}

/**
 * The headers of a houses file as the residents import reads them: 户主姓名 → 姓名, 户主身份证号 → 身份证号, 户主电话 →
 * 联系电话, and 房屋编号 ignored beside a 门牌号 (it is the other system's key; the house is its place and door number)
 * or read as the door number without one. The house's own columns are returned apart.
 */
export function houseHeaders(headers: readonly string[]): { headers: string[]; house: HouseColumns } {
  const n = headers.map(normalizeHeader);
  const hasDoor = n.some((h) => DOOR_NO_S.has(h));
  const house: HouseColumns = { floor: -1, area: -1, use: -1, label: { floor: '', area: '', use: '' } };
  const out = headers.map((h, i) => {
    const k = n[i] as string;
    if (HEAD_NAME_S.has(k)) return '姓名';
    if (HEAD_ID_S.has(k)) return '身份证号';
    if (HEAD_PHONE_S.has(k)) return '联系电话';
    if (HOUSE_CODE_S.has(k)) return hasDoor ? '' : '房号';
    if (FLOOR_S.has(k) && house.floor === -1) {
      house.floor = i;
      house.label.floor = h.trim();
      return '';
    }
    if (AREA_S.has(k) && house.area === -1) {
      house.area = i;
      house.label.area = h.trim();
      return '';
    }
    if (USE_S.has(k) && house.use === -1) {
      house.use = i;
      house.label.use = h.trim();
      return '';
    }
    return h;
  });
  return { headers: out, house };
}

const USES: Record<string, HouseUse> = {
  自住: 'owner_occupied',
  自用: 'owner_occupied',
  自有: 'owner_occupied',
  自有住房: 'owner_occupied',
  住宅: 'owner_occupied',
  出租: 'rented',
  租赁: 'rented',
  出租房: 'rented',
  空置: 'vacant',
  闲置: 'vacant',
  空房: 'vacant',
  商用: 'commercial',
  商铺: 'commercial',
  门面: 'commercial',
  经营: 'commercial',
  其他: 'other',
  其它: 'other',
};
const USE_NAMES = '自住、出租、空置、商用、其他';

/**
 * The house's own cells of a row (所在楼层, 面积, 房屋类型), checked: issues are added to `issues` under the file's
 * column headers.
 */
export function readHouseCells(
  cells: readonly Cell[],
  cols: HouseColumns,
  issues: RowIssue[],
): Pick<HouseFact, 'floor' | 'area' | 'use'> {
  let floor: number | null = null;
  const floorText = cols.floor >= 0 ? toHalfWidth(cellText(cells[cols.floor])).replace(/[层楼F]$/i, '') : '';
  if (floorText !== '') {
    const v = Number(floorText);
    if (!Number.isInteger(v) || v < -10 || v > 200) {
      issues.push({ field: 'roomNo', column: cols.label.floor, code: 'floor_invalid', params: { value: floorText } });
    } else floor = v;
  }
  let area: number | null = null;
  const areaText = cols.area >= 0 ? toHalfWidth(cellText(cells[cols.area])).replace(/(㎡|m2|平方米|平米)$/i, '') : '';
  if (areaText !== '') {
    const v = Number(areaText);
    if (!Number.isFinite(v) || v <= 0 || v >= 100_000_000) {
      issues.push({ field: 'roomNo', column: cols.label.area, code: 'area_invalid', params: { value: areaText } });
    } else area = Math.round(v * 100) / 100;
  }
  let use: HouseUse | null = null;
  const useText = cols.use >= 0 ? cellText(cells[cols.use]) : '';
  if (useText !== '') {
    const u = USES[useText.replace(/\s+/g, '')];
    if (!u) {
      issues.push({
        field: 'roomNo',
        column: cols.label.use,
        code: 'house_use_invalid',
        params: { value: useText, allowed: USE_NAMES },
      });
    } else use = u;
  }
  return { floor, area, use };
}

/** Whether a houses file's row names no head (no name, no ID number): a house alone. */
export function isHouseOnly(cells: readonly Cell[], ctx: RowContext): boolean {
  const i = ctx.columns.index;
  return cellText(i.name >= 0 ? cells[i.name] : '') === '' && cellText(i.idNumber >= 0 ? cells[i.idNumber] : '') === '';
}

/** A house without a head: its place and door number checked, as a residents row's are. */
export function checkHouseOnly(
  cells: readonly Cell[],
  ctx: RowContext,
): { checked: CheckedRow; node: PlaceNode | null; roomNo: string | null } {
  const i = ctx.columns.index;
  const text = (k: number) => (k >= 0 ? cellText(cells[k]) : '');
  const issues: RowIssue[] = [];
  const roomNo = normalizeCode(text(i.roomNo));
  if (roomNo === '') issues.push({ field: 'roomNo', code: 'required' });
  else if (roomNo.length > 20) issues.push({ field: 'roomNo', code: 'too_long', params: { max: 20 } });
  let node: PlaceNode | null = null;
  if (text(i.grid) === '') issues.push({ field: 'grid', code: 'required' });
  else {
    const place = ctx.places.resolve(
      text(i.street),
      text(i.community),
      text(i.grid),
      text(i.microGrid),
      text(i.building),
      text(i.unit),
    );
    if (place.ok) node = place.node;
    else issues.push(place.issue);
  }
  return { checked: { issues, id: null, row: null }, node, roomNo: roomNo === '' ? null : roomNo };
}
