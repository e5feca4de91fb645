/**
 * Devices from and to Excel: the import template (headers in Chinese and English), an import that is all or
 * nothing (every error named by row and column, nothing created while any remains), and the list as a file.
 */
import ExcelJS from 'exceljs';
import type { Ctx } from '../../platform/access/context.js';
import { assertPermission, can, hasPermission, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors/errors.js';
import { parseIdNumber } from '../../platform/pii/index.js';
import * as repo from './devices.repo.js';
import type { DeviceImportResult, DeviceListQuery } from './devices.schemas.js';
import { type CheckedDevice, type DevicesDeps, insertDevices, listArea, toListItem } from './devices.service.js';

/** The most rows one import takes (a building's or a community's devices; larger sets go in several files). */
export const MAX_IMPORT_ROWS = 5000;
/** The most rows an export holds. */
export const MAX_EXPORT_ROWS = 50_000;

type ColumnKey =
  | 'type'
  | 'serial'
  | 'name'
  | 'place'
  | 'room'
  | 'resident'
  | 'installedOn'
  | 'location'
  | 'lat'
  | 'lng';

const COLUMNS: { key: ColumnKey; zh: string; en: string; required?: boolean; width: number; note: string }[] = [
  {
    key: 'type',
    zh: '设备类型',
    en: 'Type',
    required: true,
    width: 16,
    note: '类型名称或编码，如 智能水表 / water_meter',
  },
  { key: 'serial', zh: '序列号', en: 'Serial', required: true, width: 20, note: '字母、数字、_ . : -，同类型内唯一' },
  { key: 'name', zh: '设备名称', en: 'Name', width: 16, note: '可选' },
  {
    key: 'place',
    zh: '安装地点',
    en: 'Place',
    required: true,
    width: 30,
    note: '节点名称或路径，如 东关社区/第一网格/1号楼',
  },
  { key: 'room', zh: '房号', en: 'Room', width: 10, note: '可选：安装地点所在楼的房号，如 101' },
  { key: 'resident', zh: '看护对象身份证号', en: 'Resident ID number', width: 22, note: '可选：须已登记' },
  { key: 'installedOn', zh: '安装日期', en: 'Installed on', width: 14, note: '可选：YYYY-MM-DD' },
  { key: 'location', zh: '位置说明', en: 'Location', width: 20, note: '可选，如 厨房' },
  { key: 'lat', zh: '纬度', en: 'Latitude', width: 10, note: '可选' },
  { key: 'lng', zh: '经度', en: 'Longitude', width: 10, note: '可选' },
];

const header = (c: (typeof COLUMNS)[number]) => `${c.zh} ${c.en}`;
const SERIAL_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The import template: one header row (中文 + English), a notes row, an example. */
export async function importTemplate(ctx: Ctx): Promise<Buffer> {
  assertPermission(ctx.principal, 'devices.manage');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('设备 Devices');
  ws.columns = COLUMNS.map((c) => ({ header: header(c), key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  COLUMNS.forEach((c, i) => {
    ws.getCell(1, i + 1).note = c.note + (c.required ? '（必填 required）' : '');
  });
  const help = wb.addWorksheet('说明 Notes');
  help.columns = [
    { header: '列 Column', key: 'col', width: 28 },
    { header: '说明 Notes', key: 'note', width: 60 },
  ];
  for (const c of COLUMNS) help.addRow({ col: header(c), note: c.note + (c.required ? '（必填 required）' : '') });
  help.addRow({ col: '', note: '全部行无误才会导入；有任何错误则不导入任何设备。All rows or none.' });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type RowError = { row: number; column: string; message: string };

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v)
      return v.result === undefined || v.result === null ? '' : cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v);
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

type Messages = Record<string, [string, string]>;
const MSG: Messages = {
  required: ['必填', 'is required'],
  typeUnknown: ['没有这种设备类型：{v}', 'no such device type: {v}'],
  serialFormat: ['序列号只能含字母、数字和 _ . : -，最长 64 位', 'letters, digits and _ . : - only, up to 64'],
  serialDup: ['与第 {v} 行重复', 'the same as row {v}'],
  serialTaken: ['该类型下已有此序列号的设备', 'a device of this type has this serial already'],
  placeUnknown: ['找不到该地点，或不在您的管辖范围内：{v}', 'no such place in your area: {v}'],
  placeAmbiguous: ['有多个同名地点，请写完整路径：{v}', 'several places have this name; give the full path: {v}'],
  roomUnknown: ['该地点没有房号 {v}', 'no room {v} at this place'],
  roomAmbiguous: ['该地点有多个房号 {v}，请把安装地点写到单元', 'several rooms {v} here; give the unit as the place'],
  idInvalid: ['身份证号无效', 'not a valid ID number'],
  residentUnknown: ['没有登记此人，或不在您的管辖范围内', 'no such resident in your area'],
  date: ['日期格式应为 YYYY-MM-DD', 'a date as YYYY-MM-DD'],
  lat: ['纬度应在 -90 到 90 之间', 'a latitude between -90 and 90'],
  lng: ['经度应在 -180 到 180 之间', 'a longitude between -180 and 180'],
  tooLong: ['最多 {v} 个字符', 'at most {v} characters'],
  noRows: ['文件中没有设备行', 'the file holds no device rows'],
  tooMany: ['一次最多导入 {v} 行', 'at most {v} rows per import'],
  header: ['缺少表头：{v}', 'missing column: {v}'],
  unreadable: ['无法读取文件：请上传 .xlsx', 'cannot read the file: upload an .xlsx'],
};

/**
 * Imports devices from an .xlsx in one transaction: every row checked (type by code or name, place by name or path
 * in the caller's area, room at that place, resident by ID number, serial unique), and any error creates nothing.
 * The answer holds the new devices' credentials, once.
 * @throws FORBIDDEN, DEVICE_IMPORT_INVALID (with the errors, see `ImportInvalid`)
 */
export async function importDevices(deps: DevicesDeps, ctx: Ctx, file: Buffer): Promise<DeviceImportResult> {
  assertPermission(ctx.principal, 'devices.manage');
  const msg = (key: keyof typeof MSG, v: string | number = '') =>
    (ctx.locale === 'en' ? MSG[key]![1] : MSG[key]![0]).replace('{v}', String(v));
  const errors: RowError[] = [];
  const fail = (): never => {
    throw new ImportInvalid(errors);
  };

  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    errors.push({ row: 0, column: '', message: msg('unreadable') });
    fail();
  }
  const ws = wb.worksheets[0];
  if (!ws) {
    errors.push({ row: 0, column: '', message: msg('noRows') });
    return fail();
  }
  // Headers: "设备类型 Type", "设备类型" or "Type" all name the column.
  const colOf = new Map<ColumnKey, { index: number; label: string }>();
  ws.getRow(1).eachCell((cell, index) => {
    const text = norm(cellText(cell.value));
    const c = COLUMNS.find((k) => [norm(header(k)), norm(k.zh), norm(k.en), k.key.toLowerCase()].includes(text));
    if (c && !colOf.has(c.key)) colOf.set(c.key, { index, label: cellText(cell.value).trim() });
  });
  for (const c of COLUMNS.filter((k) => k.required && !colOf.has(k.key)))
    errors.push({ row: 1, column: header(c), message: msg('header', header(c)) });
  if (errors.length) fail();

  const types = await repo.listTypes(deps.db);
  const typeOf = (v: string) => {
    const n = norm(v);
    return types.find((t) => t.active && (t.code === v || norm(t.nameZh) === n || norm(t.nameEn) === n));
  };
  const manageArea = scopeSql(scopeFor(ctx.principal, 'devices.manage'), 'n.path');
  const nodeCache = new Map<string, repo.NodeRef | RowError['message']>();
  const findPlace = async (text: string): Promise<repo.NodeRef | string> => {
    const cached = nodeCache.get(text);
    if (cached) return cached;
    const parts = text
      .split(/[/／>]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const wanted = `/${parts.map(norm).join('/')}`;
    // A name alone, or a path ending at the node (from any ancestor down: 东关社区/第一网格/1号楼).
    const exact = (await repo.findNodesByName(deps.db, parts[parts.length - 1] ?? '', manageArea)).filter(
      (n) => can(ctx.principal, 'devices.manage', n.path) && `/${norm(n.fullPlace)}`.endsWith(wanted),
    );
    const out =
      exact.length === 1 ? exact[0]! : exact.length === 0 ? msg('placeUnknown', text) : msg('placeAmbiguous', text);
    nodeCache.set(text, out);
    return out;
  };

  const checked: CheckedDevice[] = [];
  const seen = new Map<string, number>();
  const lastRow = ws.actualRowCount > 0 ? ws.rowCount : 0;
  let dataRows = 0;
  for (let r = 2; r <= lastRow; r++) {
    const row = ws.getRow(r);
    const get = (k: ColumnKey) => {
      const c = colOf.get(k);
      return c ? cellText(row.getCell(c.index).value).trim() : '';
    };
    if (COLUMNS.every((c) => get(c.key) === '')) continue;
    dataRows++;
    if (dataRows > MAX_IMPORT_ROWS) {
      errors.push({ row: r, column: '', message: msg('tooMany', MAX_IMPORT_ROWS) });
      break;
    }
    const err = (k: ColumnKey, m: string) =>
      errors.push({ row: r, column: colOf.get(k)?.label ?? header(COLUMNS.find((c) => c.key === k)!), message: m });
    const before = errors.length;

    const typeText = get('type');
    const type = typeText ? typeOf(typeText) : undefined;
    if (!typeText) err('type', msg('required'));
    else if (!type) err('type', msg('typeUnknown', typeText));

    const serial = get('serial');
    if (!serial) err('serial', msg('required'));
    else if (!SERIAL_RE.test(serial)) err('serial', msg('serialFormat'));
    else if (type) {
      const key = `${type.code} ${serial}`;
      const first = seen.get(key);
      if (first !== undefined) err('serial', msg('serialDup', first));
      else seen.set(key, r);
    }

    const name = get('name');
    if (name.length > 60) err('name', msg('tooLong', 60));
    const placeText = get('place');
    let node: repo.NodeRef | null = null;
    if (!placeText) err('place', msg('required'));
    else {
      const found = await findPlace(placeText);
      if (typeof found === 'string') err('place', found);
      else node = found;
    }
    let houseId: number | null = null;
    const room = get('room');
    if (room && node) {
      const houses = (await repo.findHousesByRoom(deps.db, node.path, room)).filter((h) =>
        can(ctx.principal, 'devices.manage', h.nodePath),
      );
      if (houses.length === 0) err('room', msg('roomUnknown', room));
      else if (houses.length > 1) err('room', msg('roomAmbiguous', room));
      else houseId = houses[0]!.id;
    }
    let residentId: number | null = null;
    const idText = get('resident');
    if (idText) {
      const id = parseIdNumber(idText);
      if (!id.ok) err('resident', msg('idInvalid'));
      else {
        const res = await repo.findResidentByIdHash(deps.db, deps.pii.hash(id.value, 'id'));
        if (!res || res.status !== 'active' || !can(ctx.principal, 'devices.manage', res.nodePath))
          err('resident', msg('residentUnknown'));
        else residentId = res.id;
      }
    }
    const installedOn = get('installedOn');
    if (installedOn && (!/^\d{4}-\d{2}-\d{2}$/.test(installedOn) || Number.isNaN(Date.parse(installedOn))))
      err('installedOn', msg('date'));
    const location = get('location');
    if (location.length > 100) err('location', msg('tooLong', 100));
    const coord = (k: 'lat' | 'lng', limit: number) => {
      const t = get(k);
      if (!t) return null;
      const n = Number(t);
      if (!Number.isFinite(n) || Math.abs(n) > limit) {
        err(k, msg(k));
        return null;
      }
      return n;
    };
    const lat = coord('lat', 90);
    const lng = coord('lng', 180);
    if (errors.length === before && type && node) {
      checked.push({
        countyId: node.countyId,
        nodeId: node.id,
        nodePath: node.path,
        typeCode: type.code,
        serial,
        name: name || null,
        houseId,
        residentId,
        installedOn: installedOn || null,
        location: location || null,
        lat,
        lng,
      });
      (checked[checked.length - 1] as CheckedDevice & { row?: number }).row = r;
    }
  }
  if (dataRows === 0 && errors.length === 0) errors.push({ row: 2, column: '', message: msg('noRows') });

  // Serials already registered (checked here for every row at once; the insert still guards against a race).
  const taken = await repo.serialsTaken(deps.db, checked);
  for (const d of checked) {
    if (taken.has(`${d.typeCode} ${d.serial}`)) {
      errors.push({
        row: (d as CheckedDevice & { row?: number }).row ?? 0,
        column: colOf.get('serial')!.label,
        message: msg('serialTaken'),
      });
    }
  }
  if (errors.length) {
    errors.sort((a, b) => a.row - b.row);
    fail();
  }

  const made = await deps.db.transaction(async (tx) => {
    const rows = await insertDevices(
      tx,
      ctx,
      checked.map(({ row: _row, ...d }: CheckedDevice & { row?: number }) => d),
    );
    await recordAudit(tx, ctx, {
      action: 'device.import',
      targetType: 'device',
      targetId: null,
      targetLabel: `${rows.length}`,
      scopePath: commonPath(checked.map((d) => d.nodePath)),
      countyId: checked[0]?.countyId ?? null,
      diff: null,
      reason: JSON.stringify({ created: rows.length }),
    });
    return rows;
  });
  return {
    created: made.length,
    errors: [],
    credentials: made.map((m) => ({ ...m.credentials, serial: m.serial })),
  };
}

/** The deepest path every one of `paths` lies under. */
function commonPath(paths: string[]): string | null {
  if (paths.length === 0) return null;
  let prefix = paths[0]!;
  for (const p of paths) while (!p.startsWith(prefix)) prefix = prefix.replace(/\d+\/$/, '');
  return prefix === '/' ? null : prefix;
}

/** An import refused: DEVICE_IMPORT_INVALID with the errors (the route answers 400 with them). */
export class ImportInvalid extends AppError {
  readonly errors: RowError[];
  constructor(errors: RowError[]) {
    super('DEVICE_IMPORT_INVALID', { field: 'file', params: { count: errors.length } });
    this.errors = errors;
  }
}

/** The device list as filtered (no paging), as .xlsx; resident names masked as on screen. @throws FORBIDDEN, ORG_NODE_NOT_FOUND */
export async function exportDevices(
  deps: DevicesDeps,
  ctx: Ctx,
  query: Omit<DeviceListQuery, 'page' | 'pageSize'>,
): Promise<{ buffer: Buffer; rows: number }> {
  if (!hasPermission(ctx.principal, 'devices.read')) throw new AppError('FORBIDDEN');
  const { rows } = await repo.listDevices(deps.db, {
    pathSql: await listArea(deps.db, ctx, query.nodeId),
    typeCode: query.typeCode,
    status: query.status,
    online: query.online,
    residentId: query.residentId,
    q: query.q?.trim() || undefined,
    limit: MAX_EXPORT_ROWS,
    offset: 0,
  });
  const en = ctx.locale === 'en';
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(en ? 'Devices' : '设备');
  const cols: [string, string, number][] = [
    ['id', 'ID', 8],
    ['type', en ? 'Type' : '设备类型', 14],
    ['serial', en ? 'Serial' : '序列号', 20],
    ['name', en ? 'Name' : '设备名称', 16],
    ['place', en ? 'Place' : '安装地点', 30],
    ['room', en ? 'Room' : '房号', 10],
    ['resident', en ? 'Resident' : '看护对象', 12],
    ['status', en ? 'Status' : '状态', 10],
    ['online', en ? 'Online' : '在线', 8],
    ['lastSeen', en ? 'Last heard' : '最近上报', 20],
    ['openAlarms', en ? 'Open alarms' : '未处理预警', 10],
    ['installedOn', en ? 'Installed on' : '安装日期', 12],
  ];
  ws.columns = cols.map(([key, h, width]) => ({ key, header: h, width }));
  ws.getRow(1).font = { bold: true };
  const STATUS: Record<string, [string, string]> = {
    active: ['启用', 'Active'],
    disabled: ['停用', 'Disabled'],
    retired: ['已报废', 'Retired'],
  };
  for (const r of rows) {
    const item = toListItem(ctx, r);
    ws.addRow({
      id: item.id,
      type: item.typeName,
      serial: item.serial,
      name: item.name ?? '',
      place: item.placeName,
      room: item.houseLabel ?? '',
      resident: item.residentName ?? '',
      status: STATUS[item.status]![en ? 1 : 0],
      online: item.online ? (en ? 'yes' : '在线') : en ? 'no' : '离线',
      lastSeen: item.lastSeenAt ? new Date(item.lastSeenAt).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }) : '',
      openAlarms: item.openAlarms,
      installedOn: item.installedOn ?? '',
    });
  }
  await recordAudit(deps.db, ctx, {
    action: 'device.export',
    targetType: 'device',
    targetId: null,
    targetLabel: `${rows.length}`,
    scopePath: null,
    countyId: null,
    diff: null,
    reason: JSON.stringify({ rows: rows.length }),
  });
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows: rows.length };
}
