import { Value } from 'typebox/value';
import type { NodeType } from '../../platform/access/roles.js';
import { AppError, type Locale } from '../../platform/errors/errors.js';
import {
  GROUP_BYS,
  type GroupBy,
  type HouseUse,
  REPORT_ENTITIES,
  ReportDefinition,
  type ReportEntity,
  type ReportFilters,
} from './reports.schemas.js';

/**
 * Pure rules of one-click reports: the field catalogue templates pick columns from, validation of template
 * definitions, the built-in templates, and cell neutralisation. No I/O.
 */

export type FieldDef = { label: string; labelEn: string; pii?: boolean; sortable?: boolean };

// ---- places ---------------------------------------------------------------------------------------------

/** Levels of the hierarchy a report can name in a column or group by, and the node types at each level. */
export const PLACE_LEVELS = ['street', 'community', 'grid', 'building', 'unit'] as const;
export type PlaceLevel = (typeof PLACE_LEVELS)[number];
export const PLACE_TYPES: Record<PlaceLevel, readonly NodeType[]> = {
  street: ['street', 'town'],
  community: ['community', 'village'],
  grid: ['grid'],
  building: ['building'],
  unit: ['unit'],
};

const PLACE_FIELDS: Record<PlaceLevel, FieldDef> = {
  street: { label: '街道（镇）', labelEn: 'Street / town' },
  community: { label: '社区（村）', labelEn: 'Community / village' },
  grid: { label: '网格', labelEn: 'Grid' },
  building: { label: '楼栋', labelEn: 'Building' },
  unit: { label: '单元', labelEn: 'Unit' },
};

export function isPlaceLevel(field: string): field is PlaceLevel {
  return (PLACE_LEVELS as readonly string[]).includes(field);
}

// ---- the field catalogue ---------------------------------------------------------------------------------

export const ENTITY_LABELS: Record<ReportEntity, { label: string; labelEn: string }> = {
  resident: { label: '人口', labelEn: 'Residents' },
  house: { label: '房屋', labelEn: 'Houses' },
  household: { label: '户', labelEn: 'Households' },
};

/** Columns of a list report, per entity. */
export const FIELD_CATALOGUE: Record<ReportEntity, Record<string, FieldDef>> = {
  resident: {
    name: { label: '姓名', labelEn: 'Name', sortable: true },
    sex: { label: '性别', labelEn: 'Sex' },
    birthDate: { label: '出生日期', labelEn: 'Date of birth', sortable: true },
    age: { label: '年龄', labelEn: 'Age', sortable: true },
    ethnicity: { label: '民族', labelEn: 'Ethnicity' },
    idNumber: { label: '身份证号', labelEn: 'ID number', pii: true },
    phone: { label: '联系电话', labelEn: 'Phone', pii: true },
    hukouAddress: { label: '户籍地址', labelEn: 'Hukou address' },
    currentAddress: { label: '现住址', labelEn: 'Current address' },
    ...PLACE_FIELDS,
    room: { label: '房号', labelEn: 'Room' },
    relation: { label: '与户主关系', labelEn: 'Relation to head' },
    householdNo: { label: '户号', labelEn: 'Household no.' },
    tags: { label: '人员标签', labelEn: 'Tags' },
    status: { label: '状态', labelEn: 'Status' },
    contacts: { label: '紧急联系人', labelEn: 'Emergency contacts', pii: true },
  },
  house: {
    ...PLACE_FIELDS,
    room: { label: '房号', labelEn: 'Room', sortable: true },
    floor: { label: '楼层', labelEn: 'Floor', sortable: true },
    use: { label: '房屋用途', labelEn: 'Use' },
    area: { label: '面积（㎡）', labelEn: 'Area (m²)', sortable: true },
    address: { label: '地址', labelEn: 'Address' },
    residentsCount: { label: '居住人数', labelEn: 'Residents' },
    headName: { label: '户主', labelEn: 'Head of household' },
    residents: { label: '居住人员', labelEn: 'Residents (names)' },
    residentsDetail: { label: '居住人员（姓名、身份证号、电话）', labelEn: 'Residents (name, ID, phone)', pii: true },
  },
  household: {
    householdNo: { label: '户号', labelEn: 'Household no.', sortable: true },
    headName: { label: '户主姓名', labelEn: 'Head of household' },
    headIdNumber: { label: '户主身份证号', labelEn: 'Head’s ID number', pii: true },
    headPhone: { label: '户主电话', labelEn: 'Head’s phone', pii: true },
    membersCount: { label: '户内人数', labelEn: 'Members' },
    members: { label: '家庭成员', labelEn: 'Members (names)' },
    address: { label: '住址', labelEn: 'Address' },
    ...PLACE_FIELDS,
    room: { label: '房号', labelEn: 'Room' },
    houseUse: { label: '房屋用途', labelEn: 'House use' },
  },
};

/** Counts a count_by report can show per group (besides the place columns at or above the group level). */
export const MEASURE_CATALOGUE: Record<ReportEntity, Record<string, FieldDef>> = {
  resident: {
    total: { label: '总人口', labelEn: 'Residents' },
    male: { label: '男', labelEn: 'Male' },
    female: { label: '女', labelEn: 'Female' },
    age60: { label: '60岁以上', labelEn: 'Aged 60+' },
    age80: { label: '80岁以上', labelEn: 'Aged 80+' },
    under18: { label: '18岁以下', labelEn: 'Under 18' },
    special: { label: '特殊人群数', labelEn: 'Special groups' },
  },
  house: {
    total: { label: '房屋数', labelEn: 'Houses' },
    ownerOccupied: { label: '自住', labelEn: 'Owner-occupied' },
    rented: { label: '出租', labelEn: 'Rented' },
    vacant: { label: '空置', labelEn: 'Vacant' },
    commercial: { label: '商用', labelEn: 'Commercial' },
    residents: { label: '居住人数', labelEn: 'Residents' },
  },
  household: {
    total: { label: '户数', labelEn: 'Households' },
    members: { label: '户内人口', labelEn: 'Members' },
  },
};

/** A count of the residents holding a tag (with its child tags): `tag:disabled`. */
export const TAG_MEASURE_RE = /^tag:([a-z0-9_]{2,40})$/;
/** The tag whose subtree `special` counts. */
export const SPECIAL_GROUPS_TAG = 'special_groups';

export const FILTERS_BY_ENTITY: Record<ReportEntity, readonly (keyof ReportFilters)[]> = {
  resident: ['tagCodes', 'tagMode', 'ageMin', 'ageMax', 'sex', 'status', 'houseUse', 'nodeId'],
  house: ['houseUse', 'nodeId'],
  household: ['tagCodes', 'tagMode', 'status', 'houseUse', 'nodeId'],
};

export const SEX_LABELS: Record<string, string> = { male: '男', female: '女' };
export const STATUS_LABELS: Record<string, string> = { active: '在册', moved_out: '迁出', deceased: '死亡' };
export const HOUSE_USE_LABELS: Record<HouseUse, string> = {
  owner_occupied: '自住',
  rented: '出租',
  vacant: '空置',
  commercial: '商用',
  other: '其他',
};

/** The place columns a count_by report grouped at `groupBy` may show (that level and those above it). */
export function dimensionsFor(groupBy: GroupBy): PlaceLevel[] {
  return PLACE_LEVELS.slice(0, PLACE_LEVELS.indexOf(groupBy) + 1);
}

// ---- validation ---------------------------------------------------------------------------------------------

/** A definition that passed `parseDefinition`: filters always present, sort direction filled in. */
export type ParsedDefinition = Omit<ReportDefinition, 'filters' | 'sort'> & {
  filters: ReportFilters;
  sort?: { field: string; dir: 'asc' | 'desc' };
};

function invalid(field: string): never {
  throw new AppError('REPORT_DEFINITION_INVALID', { field, params: { field } });
}

/** The schema violation to report: the deepest path of the first error, as `definition.columns.3.field`. */
function shapeError(raw: unknown, base: string): never {
  const first = Value.Errors(ReportDefinition, raw)[0];
  let path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = (first?.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0];
  if (first?.keyword === 'required' && missing) path = path ? `${path}.${missing}` : missing;
  invalid(path ? `${base}.${path}` : base);
}

/**
 * Checks a template definition written by an administrator: its shape, that every column is a field of the
 * entity's catalogue (or, for count_by, a count or a place at or above the group), that every filter
 * applies to the entity, and that sorting and grouping make sense. Errors name the offending field, e.g.
 * `definition.columns.2.field`. Tag codes are checked against the database by the service.
 * @throws REPORT_DEFINITION_INVALID, REPORT_FIELD_UNKNOWN, REPORT_FIELD_DUPLICATE, REPORT_FILTER_NOT_APPLICABLE,
 *   REPORT_AGE_RANGE_INVALID, REPORT_GROUP_REQUIRED, REPORT_SORT_INVALID
 */
export function parseDefinition(raw: unknown, base = 'definition'): ParsedDefinition {
  if (!Value.Check(ReportDefinition, raw)) shapeError(raw, base);
  const def = raw as ReportDefinition;
  const entity = def.entity;
  const isCount = def.aggregate === 'count_by';
  if (isCount && !def.groupBy) throw new AppError('REPORT_GROUP_REQUIRED', { field: `${base}.groupBy` });

  const seen = new Set<string>();
  def.columns.forEach((c, i) => {
    const field = `${base}.columns.${i}.field`;
    if (!isColumnField(entity, c.field, isCount ? def.groupBy : undefined))
      throw new AppError('REPORT_FIELD_UNKNOWN', { field, params: { name: c.field, entity } });
    if (seen.has(c.field)) throw new AppError('REPORT_FIELD_DUPLICATE', { field, params: { name: c.field } });
    seen.add(c.field);
  });

  const filters = def.filters ?? {};
  for (const key of Object.keys(filters) as (keyof ReportFilters)[]) {
    if (!FILTERS_BY_ENTITY[entity].includes(key))
      throw new AppError('REPORT_FILTER_NOT_APPLICABLE', {
        field: `${base}.filters.${key}`,
        params: { name: key, entity },
      });
  }
  if (filters.tagMode !== undefined && filters.tagCodes === undefined) invalid(`${base}.filters.tagMode`);
  if (filters.ageMin !== undefined && filters.ageMax !== undefined && filters.ageMin > filters.ageMax)
    throw new AppError('REPORT_AGE_RANGE_INVALID', { field: `${base}.filters.ageMax` });
  if (entity === 'household' && filters.status !== undefined && !['active', 'all'].includes(filters.status))
    invalid(`${base}.filters.status`);

  let sort: ParsedDefinition['sort'];
  if (def.sort) {
    if (isCount || !FIELD_CATALOGUE[entity][def.sort.field]?.sortable)
      throw new AppError('REPORT_SORT_INVALID', { field: `${base}.sort.field`, params: { name: def.sort.field } });
    sort = { field: def.sort.field, dir: def.sort.dir ?? 'asc' };
  }
  const { sort: _omit, ...rest } = def;
  return { ...rest, filters, ...(sort ? { sort } : {}) };
}

function isColumnField(entity: ReportEntity, field: string, countGroup: GroupBy | undefined): boolean {
  if (countGroup === undefined) return Object.hasOwn(FIELD_CATALOGUE[entity], field);
  if (Object.hasOwn(MEASURE_CATALOGUE[entity], field)) return true;
  if (isPlaceLevel(field)) return dimensionsFor(countGroup).includes(field);
  return entity === 'resident' && TAG_MEASURE_RE.test(field);
}

/** Every tag code a definition refers to (filters and tag counts), for the service to check and resolve. */
export function tagCodesOf(def: ParsedDefinition): string[] {
  const codes = new Set(def.filters.tagCodes ?? []);
  if (def.aggregate === 'count_by') {
    for (const c of def.columns) {
      const m = TAG_MEASURE_RE.exec(c.field);
      if (m) codes.add(m[1]!);
      if (c.field === 'special') codes.add(SPECIAL_GROUPS_TAG);
    }
  }
  return [...codes];
}

/**
 * The columns of the output: key = field, label = the template's own label, else the tag's name, else the
 * catalogue's label in the reader's language.
 */
export function outputColumns(
  def: ParsedDefinition,
  tagNames: ReadonlyMap<string, string> = new Map(),
  locale: Locale = 'zh-CN',
): { key: string; label: string }[] {
  const isCount = def.aggregate === 'count_by';
  return def.columns.map((c) => {
    if (c.label) return { key: c.field, label: c.label };
    const tag = TAG_MEASURE_RE.exec(c.field)?.[1];
    const entry = tag
      ? undefined
      : ((isCount ? MEASURE_CATALOGUE[def.entity][c.field] : undefined) ?? FIELD_CATALOGUE[def.entity][c.field]);
    const label = tag ? (tagNames.get(tag) ?? tag) : ((locale === 'en' ? entry?.labelEn : entry?.label) ?? c.field);
    return { key: c.field, label };
  });
}

/** Whether any column shows personal data that an unmasked export reveals. */
export function hasPiiColumns(def: ParsedDefinition): boolean {
  return def.aggregate !== 'count_by' && def.columns.some((c) => FIELD_CATALOGUE[def.entity][c.field]?.pii === true);
}

// ---- cells ----------------------------------------------------------------------------------------------

/** Re-exported for the report writer; the rule itself is shared by every workbook Linli writes. */
export { neutraliseCell } from '../../platform/files/spreadsheet.logic.js';

// ---- places and paths -------------------------------------------------------------------------------------

export type PlaceNode = { id: number; type: NodeType; name: string; path: string };

/** The ids along a materialized path: '/1/7/42/' → [1, 7, 42]. */
export function pathIds(path: string): number[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(Number);
}

/** The node of a level on a path (e.g. the grid a unit lies in), if the path passes through one. */
export function placeOnPath(
  path: string,
  level: PlaceLevel,
  nodes: ReadonlyMap<number, PlaceNode>,
): PlaceNode | undefined {
  const types = PLACE_TYPES[level];
  for (const id of pathIds(path)) {
    const n = nodes.get(id);
    if (n && types.includes(n.type)) return n;
  }
  return undefined;
}

/** The deepest path every given path lies under ('/1/7/' for '/1/7/42/' and '/1/7/43/'); null for none. */
export function commonAncestorPath(paths: readonly string[]): string | null {
  if (paths.length === 0) return null;
  let ids = pathIds(paths[0]!);
  for (const p of paths.slice(1)) {
    const other = pathIds(p);
    let i = 0;
    while (i < ids.length && i < other.length && ids[i] === other[i]) i++;
    ids = ids.slice(0, i);
  }
  return ids.length === 0 ? null : `/${ids.join('/')}/`;
}

/**
 * Packs the node paths of an export (sorted, with their row counts) into segments of consecutive paths
 * holding fewer than `max` rows each, so that each segment is read with one query in the common case; a
 * path with more rows stands alone and is read in pages.
 */
export function packSegments(counts: readonly { path: string; n: number }[], max: number): string[][] {
  const segments: string[][] = [];
  let current: string[] = [];
  let sum = 0;
  for (const { path, n } of counts) {
    if (current.length > 0 && sum + n >= max) {
      segments.push(current);
      current = [];
      sum = 0;
    }
    current.push(path);
    sum += n;
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/**
 * Order of node paths: id by id, numerically, so siblings come in the order they were created (第一网格 before
 * 第二网格) and every subtree stays one contiguous run, a parent before its children.
 */
export function comparePaths(a: string, b: string): number {
  const x = pathIds(a);
  const y = pathIds(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

// ---- time and names ---------------------------------------------------------------------------------------

const SHANGHAI = 'Asia/Shanghai';

/** The day in Asia/Shanghai as YYYY-MM-DD. */
export function dayInShanghai(at: Date): string {
  return at.toLocaleDateString('sv-SE', { timeZone: SHANGHAI });
}

/** Date and time in Asia/Shanghai as YYYY-MM-DD HH:mm. */
export function timeInShanghai(at: Date): string {
  return at.toLocaleString('sv-SE', { timeZone: SHANGHAI, hour12: false }).slice(0, 16);
}

/** 高龄老人名单-20261124.xlsx: the template's name without characters a file system refuses. */
export function exportFileName(name: string, at: Date): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
  const safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || 'report';
  return `${safe}-${dayInShanghai(at).replace(/-/g, '')}.xlsx`;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

// ---- built-in templates -------------------------------------------------------------------------------------

export type BuiltinReport = { code: string; name: string; description: string; definition: ReportDefinition };

const PLACE_COLUMNS = [
  { field: 'community' },
  { field: 'grid' },
  { field: 'building' },
  { field: 'unit' },
  { field: 'room' },
];

/** Templates every deployment starts with (seeded by ensureBuiltinReports; not editable, but can be copied). */
export const BUILTIN_REPORTS: BuiltinReport[] = [
  {
    code: 'special_groups_roster',
    name: '特殊人群花名册',
    description: '持有任一特殊人群标签（独居、空巢、高龄、未成年、残疾、低保等）的在册人员，按网格分组',
    definition: {
      entity: 'resident',
      columns: [
        ...PLACE_COLUMNS,
        { field: 'name' },
        { field: 'sex' },
        { field: 'age' },
        { field: 'idNumber' },
        { field: 'phone' },
        { field: 'currentAddress' },
        { field: 'tags', label: '特殊人群类别' },
      ],
      filters: { tagCodes: [SPECIAL_GROUPS_TAG] },
      groupBy: 'grid',
    },
  },
  {
    code: 'grid_population_stats',
    name: '网格人口统计表',
    description: '按网格统计在册人口：总人口、男女、60岁以上、80岁以上、18岁以下、特殊人群',
    definition: {
      entity: 'resident',
      aggregate: 'count_by',
      groupBy: 'grid',
      columns: [
        { field: 'community' },
        { field: 'grid' },
        { field: 'total' },
        { field: 'male' },
        { field: 'female' },
        { field: 'age60' },
        { field: 'age80' },
        { field: 'under18' },
        { field: 'special' },
      ],
    },
  },
  {
    code: 'aged_80_roster',
    name: '高龄老人名单',
    description: '年满80周岁的在册老人（高龄老人标签）',
    definition: {
      entity: 'resident',
      columns: [
        { field: 'community' },
        { field: 'grid' },
        { field: 'name' },
        { field: 'sex' },
        { field: 'birthDate' },
        { field: 'age' },
        { field: 'idNumber' },
        { field: 'phone' },
        { field: 'currentAddress' },
      ],
      filters: { tagCodes: ['aged_80'] },
    },
  },
  {
    code: 'elderly_alone_ledger',
    name: '独居老人台账',
    description: '独居老人（独居老人标签）及其联系电话、住址和紧急联系人',
    definition: {
      entity: 'resident',
      columns: [
        ...PLACE_COLUMNS,
        { field: 'name' },
        { field: 'sex' },
        { field: 'age' },
        { field: 'idNumber' },
        { field: 'phone' },
        { field: 'currentAddress' },
        { field: 'contacts' },
      ],
      filters: { tagCodes: ['elderly_alone'] },
    },
  },
  {
    code: 'rented_houses_register',
    name: '房屋出租登记表',
    description: '用途为出租的房屋及其居住人员',
    definition: {
      entity: 'house',
      columns: [
        ...PLACE_COLUMNS,
        { field: 'floor' },
        { field: 'area' },
        { field: 'address' },
        { field: 'residentsCount' },
        { field: 'residentsDetail', label: '承租居住人员（姓名、身份证号、电话）' },
      ],
      filters: { houseUse: ['rented'] },
    },
  },
];

/** The catalogue as the template editor shows it. */
export function describeCatalogue() {
  const info = (field: string, d: FieldDef) => ({
    field,
    label: d.label,
    labelEn: d.labelEn,
    pii: d.pii === true,
    sortable: d.sortable === true,
  });
  return {
    entities: REPORT_ENTITIES.map((entity) => ({
      entity,
      ...ENTITY_LABELS[entity],
      fields: Object.entries(FIELD_CATALOGUE[entity]).map(([f, d]) => info(f, d)),
      measures: [
        ...PLACE_LEVELS.slice(0, 4).map((l) => info(l, PLACE_FIELDS[l])),
        ...Object.entries(MEASURE_CATALOGUE[entity]).map(([f, d]) => info(f, d)),
      ],
      filters: [...FILTERS_BY_ENTITY[entity]],
    })),
    groupBy: [...GROUP_BYS],
  };
}
