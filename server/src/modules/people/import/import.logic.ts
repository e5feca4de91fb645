/**
 * Pure rules of the residents import: the columns a file may have (with the headers people really write),
 * header mapping, cell and date normalisation, and the wording of row errors. No I/O.
 */
import type { Locale } from '../../../platform/errors/errors.js';
import { AppError } from '../../../platform/errors/errors.js';
import { toHalfWidth } from '../../../platform/pii/index.js';
import { RELATION_LABELS } from '../people.logic.js';

export type ImportFieldDef = {
  key: string;
  /** The template's header (and the name used in messages when a file has no header of its own). */
  header: string;
  required: boolean;
  /** Other headers accepted for this column, compared after normalizeHeader. */
  aliases: readonly string[];
  /** One line for the template's 说明 sheet. */
  note: string;
};

export const IMPORT_FIELDS = [
  {
    key: 'name',
    header: '姓名',
    required: true,
    aliases: ['名字', '居民姓名', '人员姓名', '户籍姓名', 'name'],
    note: '必填，1–50 个字',
  },
  {
    key: 'idNumber',
    header: '身份证号',
    required: true,
    aliases: ['身份证号码', '身份证', '公民身份号码', '证件号码', '证件号', '身份号码', 'idnumber'],
    note: '必填，18 位（15 位旧号自动升级）；请把这一列设为“文本”格式，否则 Excel 会丢掉末几位',
  },
  {
    key: 'phone',
    header: '联系电话',
    required: false,
    aliases: ['电话', '手机', '手机号', '手机号码', '联系方式', '电话号码', '联系电话号码', 'phone'],
    note: '手机 11 位，或固话如 0537-1234567',
  },
  {
    key: 'sex',
    header: '性别',
    required: false,
    aliases: ['sex', 'gender'],
    note: '男 / 女；留空则按身份证号判断，填写时须与身份证号一致',
  },
  {
    key: 'ethnicity',
    header: '民族',
    required: false,
    aliases: ['族别', 'ethnicity'],
    note: '如 汉族',
  },
  {
    key: 'birthDate',
    header: '出生日期',
    required: false,
    aliases: ['出生年月', '出生年月日', '生日', '出生时间', 'birthdate'],
    note: '留空则按身份证号；填写时须与身份证号一致。可写 2024-01-05、2024/1/5、20240105、2024年1月5日',
  },
  {
    key: 'hukouAddress',
    header: '户籍地址',
    required: false,
    aliases: ['户籍地', '户籍所在地', '户口所在地', '户籍住址', '户口地址'],
    note: '最多 200 个字',
  },
  {
    key: 'currentAddress',
    header: '现住址',
    required: false,
    aliases: ['现居住地址', '现居住地', '居住地址', '现住地址', '现居地', '住址', '家庭住址'],
    note: '最多 200 个字',
  },
  {
    key: 'street',
    header: '街道',
    required: false,
    aliases: ['街道/镇', '街道（镇）', '乡镇', '乡镇街道', '镇街', '镇', '乡镇（街道）'],
    note: '可选；社区或村重名时用来区分',
  },
  {
    key: 'community',
    header: '社区',
    required: false,
    aliases: ['社区/村', '社区（村）', '村', '村居', '村（社区）', '所属社区', '社区名称', '村名'],
    note: '社区或村的名称；不填时，网格名称须在您的管辖范围内唯一',
  },
  {
    key: 'grid',
    header: '网格',
    required: true,
    aliases: ['所属网格', '网格名称', '网格名'],
    note: '必填，如 第一网格',
  },
  {
    key: 'microGrid',
    header: '微网格',
    required: false,
    aliases: ['所属微网格', '微网格名称'],
    note: '可选；楼栋名称在网格内重名时用来区分',
  },
  {
    key: 'building',
    header: '楼栋',
    required: false,
    aliases: ['楼号', '楼栋号', '楼', '栋', '幢', '楼幢'],
    note: '如 1号楼（也可只写 1）；农村留空',
  },
  {
    key: 'unit',
    header: '单元',
    required: false,
    aliases: ['单元号'],
    note: '如 1单元（也可只写 1）',
  },
  {
    key: 'roomNo',
    header: '房号',
    required: false,
    aliases: ['房间号', '户室号', '门牌号', '室号', '院落号', '院号', '房屋编号'],
    note: '楼房写房号如 101；农村写院落（门牌）号。同一地点同一房号即同一套房屋',
  },
  {
    key: 'householdNo',
    header: '户号',
    required: false,
    aliases: ['户编号', '户口号', '户籍户号', '家庭编号'],
    note: '同一户号的人为一户；不填时，同一房屋的人为一户',
  },
  {
    key: 'relation',
    header: '与户主关系',
    required: false,
    aliases: ['与户主的关系', '户主关系', '家庭关系', '关系'],
    note: `${Object.values(RELATION_LABELS).join('、')}（写“户主”的人成为该户户主）`,
  },
  {
    key: 'tags',
    header: '标签',
    required: false,
    aliases: ['人员标签', '人群类别', '特殊人群', '人员类别', '标签名称'],
    note: '多个用 ， , 、 ; 隔开，须是已有标签；高龄、独居、未成年等由规则自动计算，可不填',
  },
  {
    key: 'movedInOn',
    header: '入住日期',
    required: false,
    aliases: ['迁入日期', '入住时间', '迁入时间'],
    note: '可选，日期写法同出生日期',
  },
] as const satisfies readonly ImportFieldDef[];

export type ImportField = (typeof IMPORT_FIELDS)[number]['key'];
export const IMPORT_FIELD_KEYS: readonly ImportField[] = IMPORT_FIELDS.map((f) => f.key);
const FIELD_BY_KEY = new Map<string, ImportFieldDef>(IMPORT_FIELDS.map((f) => [f.key, f]));

export function fieldDef(key: ImportField): ImportFieldDef {
  return FIELD_BY_KEY.get(key) as ImportFieldDef;
}

/** Where each field sits in a row: column index or -1, and the header the file used (for messages). */
export type ColumnMap = {
  index: Record<ImportField, number>;
  label: Record<ImportField, string>;
  headers: string[];
};

// Notes people put into headers: 姓名*, 出生日期(yyyy-mm-dd), 身份证号【必填】.
const HEADER_NOTES = /[(（[【〔<《].*?[)）\]】〕>》]/g;
const HEADER_NOISE = /[\s\u200b-\u200d\u2060\ufeff*＊:：]+/g;

/** The form headers are compared in: notes in brackets, spaces, stars and colons removed; ASCII lower case. */
export function normalizeHeader(raw: string): string {
  return toHalfWidth(raw).replace(HEADER_NOTES, '').replace(HEADER_NOISE, '').toLowerCase();
}

const ALIASES = new Map<string, ImportField>();
for (const f of IMPORT_FIELDS) {
  for (const name of [f.header, f.key, ...f.aliases]) ALIASES.set(normalizeHeader(name), f.key);
}

/** The field a header names (by its canonical name, its code or a common alias), or undefined. */
export function fieldForHeader(header: string): ImportField | undefined {
  return ALIASES.get(normalizeHeader(header));
}

/**
 * Maps a header row to fields. `explicit` ({ header → field }, field as code or canonical header; an empty
 * field ignores the column) overrides the aliases. Throws the file error a user must fix first.
 * @throws IMPORT_MAPPING_FIELD_UNKNOWN, IMPORT_MAPPING_HEADER_UNKNOWN for a mapping naming an unknown field
 *   or a header the file lacks,
 *   IMPORT_COLUMN_DUPLICATE when two columns give the same field, IMPORT_COLUMN_MISSING naming the first
 *   required column (姓名, 身份证号, 网格) that is absent.
 */
export function mapColumns(headers: string[], explicit: Record<string, string> = {}): ColumnMap {
  const byHeader = new Map<string, ImportField | null>();
  for (const [from, to] of Object.entries(explicit)) {
    const target = to.trim() === '' ? null : fieldForHeader(to);
    if (target === undefined) {
      throw new AppError('IMPORT_MAPPING_FIELD_UNKNOWN', { field: 'mapping', params: { header: from, target: to } });
    }
    if (!headers.some((h) => normalizeHeader(h) === normalizeHeader(from))) {
      throw new AppError('IMPORT_MAPPING_HEADER_UNKNOWN', { field: 'mapping', params: { header: from } });
    }
    byHeader.set(normalizeHeader(from), target);
  }
  const index = Object.fromEntries(IMPORT_FIELD_KEYS.map((k) => [k, -1])) as Record<ImportField, number>;
  const label = Object.fromEntries(IMPORT_FIELDS.map((f) => [f.key, f.header])) as Record<ImportField, string>;
  headers.forEach((h, i) => {
    const n = normalizeHeader(h);
    if (n === '') return;
    const field = byHeader.has(n) ? byHeader.get(n) : ALIASES.get(n);
    if (!field) return;
    if (index[field] !== -1) {
      throw new AppError('IMPORT_COLUMN_DUPLICATE', {
        field: 'file',
        params: { column: `${headers[index[field]]?.trim()}、${h.trim()}` },
      });
    }
    index[field] = i;
    label[field] = h.trim();
  });
  for (const f of IMPORT_FIELDS) {
    if (f.required && index[f.key] === -1) {
      throw new AppError('IMPORT_COLUMN_MISSING', { field: 'file', params: { column: f.header } });
    }
  }
  return { index, label, headers };
}

/** True when a row looks like the header row (it names at least two of the required columns). */
export function looksLikeHeader(cells: readonly unknown[]): boolean {
  let hits = 0;
  for (const c of cells) {
    if (typeof c !== 'string') continue;
    const f = ALIASES.get(normalizeHeader(c));
    if (f === 'name' || f === 'idNumber' || f === 'grid') hits++;
  }
  return hits >= 2;
}

// ---- Cells ----------------------------------------------------------------------------------------------

/** A cell as a reader gives it: text from CSV; text or a number from .xlsx. */
export type Cell = string | number | null | undefined;

/** Text of a cell with whitespace trimmed (numbers written plainly, 1e21 and up as they come). */
export function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  return c.trim();
}

export function isBlankRow(cells: readonly Cell[]): boolean {
  for (const c of cells) if (cellText(c) !== '') return false;
  return true;
}

// ---- Dates ----------------------------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;
// Excel's day 0 is 1899-12-31 and it believes 1900-02-29 existed (serial 60), so from serial 61 on the
// offset to 1899-12-30 is right; serials 1..59 are one day later than that.
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const MAX_SERIAL = 2_958_465; // 9999-12-31

function ymd(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** An Excel serial day number (1900 date system) as YYYY-MM-DD; the time of day is dropped. */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > MAX_SERIAL || serial === 60) return null;
  const whole = Math.floor(serial);
  const days = whole < 60 ? whole + 1 : whole;
  const t = new Date(EXCEL_EPOCH + days * MS_PER_DAY);
  return ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

const DATE_SEPARATED = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^\d{1,7}(?:\.\d+)?$/;

/**
 * Reads a date as spreadsheets and people write it: an Excel serial number (a number cell, or its digits
 * in a CSV), 2024-01-05, 2024/1/5, 2024.1.5, 20240105, 2024年1月5日 (full-width digits too, a time after
 * it ignored). Returns YYYY-MM-DD, or null when it is not a real date.
 */
export function parseDate(c: Cell): string | null {
  if (typeof c === 'number') return excelSerialToDate(c);
  const s = toHalfWidth(cellText(c));
  if (s === '') return null;
  let m = DATE_SEPARATED.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = DATE_COMPACT.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  if (SERIAL.test(s)) return excelSerialToDate(Number(s));
  return null;
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

// ---- Other cells ----------------------------------------------------------------------------------------

const SEXES: Record<string, 'male' | 'female'> = {
  男: 'male',
  男性: 'male',
  m: 'male',
  male: 'male',
  '1': 'male',
  女: 'female',
  女性: 'female',
  f: 'female',
  female: 'female',
  '2': 'female',
};

/** 男/女 (and the GB/T 2261 codes 1/2, M/F); undefined when unrecognised. */
export function parseSex(raw: string): 'male' | 'female' | undefined {
  return SEXES[toHalfWidth(raw).trim().toLowerCase()];
}

const TAG_SEPARATORS = /[，,、;；]+/;

/** Tag names from one cell, separated by ， , 、 or ; (full-width too), blanks dropped, duplicates merged. */
export function splitTags(raw: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(TAG_SEPARATORS)) {
    const t = part.trim();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const SPACES = /[\s\u200b-\u200d\u2060\ufeff]+/g;

/** Names: surrounding space trimmed; spaces inside a Chinese name removed (张 三 → 张三), runs of spaces in others made one. */
export function normalizeName(raw: string): string {
  const t = raw.replace(SPACES, ' ').trim();
  return CJK.test(t) ? t.replace(/ /g, '') : t;
}

/** Short codes typed by hand (房号, 户号): full-width made ASCII, all spaces removed. */
export function normalizeCode(raw: string): string {
  return toHalfWidth(raw).replace(SPACES, '');
}

// ---- Row issues -----------------------------------------------------------------------------------------

/** What is wrong with one cell of a row; `field` names the column, rendered with the file's own header. */
export type RowIssue = {
  field: ImportField;
  code: RowIssueCode;
  params?: Record<string, string | number>;
  /** The file's header of the column, when it is not the field's own (a yes/no column such as 是否低保). */
  column?: string;
};

export const ROW_ISSUE_TEXT = {
  required: { 'zh-CN': '必填，不能为空', en: 'is required' },
  id_length: { 'zh-CN': '位数不正确（应为 18 位或 15 位）', en: 'must have 18 (or 15) characters' },
  id_format: { 'zh-CN': '含有数字和末位 X 以外的字符', en: 'may hold only digits and a final X' },
  id_area: { 'zh-CN': '前两位不是有效的省级地区码', en: 'does not start with a valid province code' },
  id_birth_date: { 'zh-CN': '其中的出生日期不存在或晚于今天', en: 'holds a birth date that does not exist' },
  id_check_digit: { 'zh-CN': '校验位不正确，请核对号码', en: 'has a wrong check digit' },
  id_number_cell: {
    'zh-CN':
      'Excel 把身份证号存成了数字（如 3.70899E+17），第 15 位以后的数字已丢失，无法还原；请把这一列设为“文本”格式，再重新输入这些号码',
    en: 'was stored by Excel as a number (such as 3.70899E+17), which lost every digit after the 15th; format the column as text and enter the numbers again',
  },
  duplicate_in_file: { 'zh-CN': '与第 {row} 行是同一人，同一人只能出现一次', en: 'is the same person as row {row}' },
  // Neutral on purpose (as ID_CLASH_LIMIT): nothing about whom the row names or where they are registered.
  clash_limit: {
    'zh-CN': '今日提交审核的人员已达上限，本行未导入，请明天再试或联系管理员',
    en: 'today’s limit of people submitted for review is reached; the row was not imported (try tomorrow)',
  },
  too_long: { 'zh-CN': '不能超过 {max} 个字', en: 'must have at most {max} characters' },
  text_unreadable: {
    'zh-CN': '含有无法识别的字符（空字符、不成对的代理字符或编码错误），请改正后重新导入',
    en: 'holds a character that cannot be read (NUL, an unpaired surrogate or a wrong encoding); correct it',
  },
  date_invalid: {
    'zh-CN': '“{value}”不是有效日期（可写 2024-01-05、2024/1/5、20240105 或 2024年1月5日）',
    en: '“{value}” is not a date (write 2024-01-05, 2024/1/5, 20240105 or 2024年1月5日)',
  },
  date_future: { 'zh-CN': '不能晚于今天', en: 'cannot be in the future' },
  birth_mismatch: {
    'zh-CN': '与身份证号中的出生日期 {expected} 不一致',
    en: 'differs from the birth date {expected} in the ID number',
  },
  sex_invalid: { 'zh-CN': '“{value}”应为 男 或 女', en: '“{value}” must be 男 or 女' },
  sex_mismatch: {
    'zh-CN': '与身份证号不一致（身份证号为{expected}性）',
    en: 'differs from the ID number ({expected})',
  },
  phone_invalid: {
    'zh-CN': '“{value}”不是有效的手机或固定电话号码',
    en: '“{value}” is not a valid mobile or landline number',
  },
  relation_invalid: {
    'zh-CN': '“{value}”不是可用的关系（可填 {allowed}）',
    en: '“{value}” is not a relation ({allowed})',
  },
  second_head: {
    'zh-CN': '该户已有户主（第 {row} 行），一户只能有一个户主',
    en: 'the household already has a head (row {row})',
  },
  tag_unknown: { 'zh-CN': '没有名为“{value}”的标签', en: 'no tag is named “{value}”' },
  yes_no_invalid: {
    'zh-CN': '“{value}”应为 是 或 否（也可写 Y/N、1/0、√，留空即否）',
    en: '“{value}” must be 是 or 否 (yes or no: Y/N, 1/0, √; empty means no)',
  },
  head_at_occupied_house: {
    'zh-CN':
      '没有填写户号，而该房屋已有一户，户主是{name}；一户只能有一个户主。若是另一户，请填写户号；若是同一户，请改为与{name}的关系',
    en: 'has no 户号 (household number) at a house whose household already has its head, {name}; a household has one head. Give another household its 户号, or write this person’s relation to {name}',
  },
  spouse_at_occupied_house: {
    'zh-CN': '没有填写户号，而该房屋的户中已有配偶{name}（户主{head}）；若是另一户，请填写户号',
    en: 'has no 户号 at a house whose household already has a spouse, {name} (head {head}); give another household its 户号',
  },
  place_not_found: { 'zh-CN': '找不到“{value}”{under}', en: 'no “{value}” found{under}' },
  place_ambiguous: {
    'zh-CN': '“{value}”有 {count} 个同名地点，请填写{hint}以区分',
    en: '“{value}” matches {count} places; fill in {hint}',
  },
  place_out_of_scope: {
    'zh-CN': '“{value}”不在您的管辖范围内，不能导入',
    en: '“{value}” lies outside your area and cannot be imported',
  },
  floor_invalid: { 'zh-CN': '“{value}”不是有效的楼层（整数）', en: '“{value}” is not a floor (a whole number)' },
  area_invalid: { 'zh-CN': '“{value}”不是有效的面积（平方米，大于 0）', en: '“{value}” is not an area (m², above 0)' },
  house_use_invalid: {
    'zh-CN': '“{value}”不是可用的房屋类型（可填 {allowed}）',
    en: '“{value}” is not a house use ({allowed})',
  },
  place_needs_building: { 'zh-CN': '填写了单元，但没有填写楼栋', en: 'a unit needs its building' },
} as const satisfies Record<string, { 'zh-CN': string; en: string }>;
export type RowIssueCode = keyof typeof ROW_ISSUE_TEXT;

/** What is wrong, without the column: “校验位不正确，请核对号码”. */
export function issueText(issue: RowIssue, locale: Locale): string {
  return ROW_ISSUE_TEXT[issue.code][locale].replace(/\{(\w+)\}/g, (_, k: string) => String(issue.params?.[k] ?? ''));
}

/** One issue as the error report shows it: “身份证号：校验位不正确，请核对号码”. */
export function formatIssue(issue: RowIssue, labels: Record<ImportField, string>, locale: Locale): string {
  return `${issue.column ?? labels[issue.field]}${locale === 'zh-CN' ? '：' : ': '}${issueText(issue, locale)}`;
}

export function formatIssues(issues: RowIssue[], labels: Record<ImportField, string>, locale: Locale): string {
  return issues.map((i) => formatIssue(i, labels, locale)).join(locale === 'zh-CN' ? '；' : '; ');
}
