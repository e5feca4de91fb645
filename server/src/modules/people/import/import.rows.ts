/**
 * Checks one row of a residents file on its own (no database, no other rows): every cell normalised, every
 * problem reported with its column. What needs the whole file (the same person twice, two heads of one
 * household) or the database (registered outside the importer's area) is decided by the runner.
 */
import { parseIdNumber, parsePhone, type Sex } from '../../../platform/pii/index.js';
import { parseRelation, RELATION_LABELS, type Relation } from '../people.logic.js';
import { type FlagColumn, isNoTag, parseYesNo } from './import.flags.js';
import {
  type Cell,
  type ColumnMap,
  cellText,
  type ImportField,
  normalizeCode,
  normalizeName,
  parseDate,
  parseSex,
  type RowIssue,
  splitTags,
} from './import.logic.js';
import type { PlaceIndex, PlaceNode } from './import.places.js';

export type TagRef = { id: number; derived: boolean };

export type RowContext = {
  columns: ColumnMap;
  places: PlaceIndex;
  /** Tags by name and by code. */
  tags: ReadonlyMap<string, TagRef>;
  /** The relation of a row that gives none (a houses file's rows are heads of household). */
  defaultRelation?: Relation;
  /** Yes/no columns (是否低保 …), each setting one tag. */
  flags?: readonly FlagColumn[];
  /** Today in Asia/Shanghai (YYYY-MM-DD) and as a Date, for ID numbers and dates in the future. */
  today: string;
  now: Date;
};

export type GoodRow = {
  /** Canonical 18-character ID number. */
  id: string;
  birthDate: string;
  sex: Sex;
  name: string;
  phone: string | null;
  ethnicity: string | null;
  hukouAddress: string | null;
  currentAddress: string | null;
  node: PlaceNode;
  roomNo: string | null;
  householdNo: string | null;
  relation: Relation | null;
  tagIds: number[];
  movedInOn: string | null;
};

/** A checked row: `issues` is empty for a good row; `id` is set whenever the ID number itself is valid. */
export type CheckedRow = { issues: RowIssue[]; id: string | null; row: GoodRow | null };

const LIMITS = { name: 50, ethnicity: 20, hukouAddress: 200, currentAddress: 200, roomNo: 20, householdNo: 40 };
const ALLOWED_RELATIONS = Object.values(RELATION_LABELS).join('、');
// 2^53: an ID number Excel stored as a number has lost its last digits beyond this.
const MAX_EXACT = 9_007_199_254_740_991;
// The same number as Excel shows it, and as it reaches a CSV: 3.70899E+17, 3.7089919610302E+17.
const SCIENTIFIC = /^\d(?:\.\d+)?e\+?\d{1,2}$/i;
const SEX_LABEL: Record<Sex, string> = { male: '男', female: '女' };
// Cells that need no normalising at all, the usual case; anything else takes the general path.
const PLAIN_NAME = /^[\u4e00-\u9fff]{1,20}$/;
const PLAIN_CODE = /^[0-9A-Za-z\u4e00-\u9fff#-]{1,40}$/;
// A mobile number as parsePhone returns it: 11 digits, nothing to strip.
const PLAIN_MOBILE = /^1[3-9]\d{9}$/;

// Module-level helpers rather than closures: this runs for every row of a county register.
function cellOf(cells: readonly Cell[], i: number): Cell {
  return i >= 0 ? cells[i] : undefined;
}

function textOf(cells: readonly Cell[], i: number): string {
  return i >= 0 ? cellText(cells[i]) : '';
}

function limited(issues: RowIssue[], field: keyof typeof LIMITS, v: string): string | null {
  if (v === '') return null;
  if (v.length > LIMITS[field]) {
    issues.push({ field, code: 'too_long', params: { max: LIMITS[field] } });
    return null;
  }
  return v;
}

// The options object for parseIdNumber, made once per import rather than once per row.
let lastOptions: { today: Date } = { today: new Date(0) };
function idOptions(now: Date): { today: Date } {
  if (lastOptions.today !== now) lastOptions = { today: now };
  return lastOptions;
}

// A file writes a handful of relations over and over: a Map look-up instead of a scan and a property look-up.
const RELATION_MEMO = new Map<string, Relation | null>();
function relationOf(text: string): Relation | null {
  let r = RELATION_MEMO.get(text);
  if (r === undefined) {
    r = parseRelation(text) ?? null;
    if (RELATION_MEMO.size < 1000) RELATION_MEMO.set(text, r);
  }
  return r;
}

function code(raw: string): string {
  return raw === '' || PLAIN_CODE.test(raw) ? raw : normalizeCode(raw);
}

/**
 * Columns holding U+FFFD: the reader's stand-in for NUL and lone surrogates (and a decoder's for bytes of a
 * wrong encoding). Such text is never stored; the row is reported with the column instead.
 */
function unreadableFields(cells: readonly Cell[], idx: ColumnMap['index']): ImportField[] {
  const found: ImportField[] = [];
  for (const field in idx) {
    const cell = cells[idx[field as ImportField]];
    if (typeof cell === 'string' && cell.includes('\uFFFD')) found.push(field as ImportField);
  }
  return found;
}

export function checkRow(cells: readonly Cell[], ctx: RowContext): CheckedRow {
  const idx = ctx.columns.index;
  const unreadable = unreadableFields(cells, idx);
  const checked = checkCells(cells, ctx);
  if (unreadable.length === 0) return checked;
  // One issue per unreadable column, instead of whatever else its garbled text would have caused.
  const issues = [
    ...unreadable.map((field): RowIssue => ({ field, code: 'text_unreadable' })),
    ...checked.issues.filter((i) => !unreadable.includes(i.field)),
  ];
  return { issues, id: checked.id, row: null };
}

function checkCells(cells: readonly Cell[], ctx: RowContext): CheckedRow {
  const idx = ctx.columns.index;
  const issues: RowIssue[] = [];

  const rawName = textOf(cells, idx.name);
  const name = PLAIN_NAME.test(rawName) ? rawName : normalizeName(rawName);
  if (name === '') issues.push({ field: 'name', code: 'required' });
  else limited(issues, 'name', name);

  let id: string | null = null;
  let birthDate = '';
  let sex: Sex = 'male';
  const idCell = cellOf(cells, idx.idNumber);
  if (
    (typeof idCell === 'number' && idCell > MAX_EXACT) ||
    (typeof idCell === 'string' && SCIENTIFIC.test(idCell.trim()))
  ) {
    issues.push({ field: 'idNumber', code: 'id_number_cell' });
  } else {
    const idText = cellText(idCell);
    if (idText === '') issues.push({ field: 'idNumber', code: 'required' });
    else {
      const parsed = parseIdNumber(idText, idOptions(ctx.now));
      if (parsed.ok) {
        id = parsed.value;
        birthDate = parsed.birthDate;
        sex = parsed.sex;
      } else if (parsed.error === 'empty') issues.push({ field: 'idNumber', code: 'required' });
      else issues.push({ field: 'idNumber', code: `id_${parsed.error}` });
    }
  }

  const birthCell = cellOf(cells, idx.birthDate);
  const birthText = cellText(birthCell);
  // The usual case, the same date written the canonical way, needs no parsing.
  if (birthText !== '' && birthText !== birthDate) {
    const d = parseDate(birthCell);
    if (d === null) issues.push({ field: 'birthDate', code: 'date_invalid', params: { value: birthText } });
    else if (id !== null && d !== birthDate) {
      issues.push({ field: 'birthDate', code: 'birth_mismatch', params: { expected: birthDate } });
    }
  }

  const sexText = textOf(cells, idx.sex);
  if (sexText !== '') {
    const s = sexText === '男' ? 'male' : sexText === '女' ? 'female' : parseSex(sexText);
    if (s === undefined) issues.push({ field: 'sex', code: 'sex_invalid', params: { value: sexText } });
    else if (id !== null && s !== sex) {
      issues.push({ field: 'sex', code: 'sex_mismatch', params: { expected: SEX_LABEL[sex] } });
    }
  }

  let phone: string | null = null;
  const phoneText = textOf(cells, idx.phone);
  if (phoneText !== '') {
    const p = PLAIN_MOBILE.test(phoneText) ? null : parsePhone(phoneText);
    if (p === null) phone = phoneText;
    else if (p.ok) phone = p.value;
    else issues.push({ field: 'phone', code: 'phone_invalid', params: { value: phoneText } });
  }

  const ethnicity = limited(issues, 'ethnicity', textOf(cells, idx.ethnicity));
  const hukouAddress = limited(issues, 'hukouAddress', textOf(cells, idx.hukouAddress));
  const currentAddress = limited(issues, 'currentAddress', textOf(cells, idx.currentAddress));
  const roomNo = limited(issues, 'roomNo', code(textOf(cells, idx.roomNo)));
  const householdNo = limited(issues, 'householdNo', code(textOf(cells, idx.householdNo)));

  let node: PlaceNode | null = null;
  const grid = textOf(cells, idx.grid);
  if (grid === '') issues.push({ field: 'grid', code: 'required' });
  else {
    const place = ctx.places.resolve(
      textOf(cells, idx.street),
      textOf(cells, idx.community),
      grid,
      textOf(cells, idx.microGrid),
      textOf(cells, idx.building),
      textOf(cells, idx.unit),
    );
    if (place.ok) node = place.node;
    else issues.push(place.issue);
  }

  let relation: Relation | null = null;
  const relationText = textOf(cells, idx.relation);
  if (relationText === '') relation = ctx.defaultRelation ?? null;
  else {
    relation = relationOf(relationText);
    if (relation === null) {
      issues.push({
        field: 'relation',
        code: 'relation_invalid',
        params: { value: relationText, allowed: ALLOWED_RELATIONS },
      });
    }
  }

  const tagIds: number[] = [];
  const tagText = textOf(cells, idx.tags);
  if (tagText !== '') {
    for (const t of splitTags(tagText)) {
      // 否, 无: the cell says the person has no tag.
      if (isNoTag(t)) continue;
      const tag = ctx.tags.get(t);
      if (!tag) issues.push({ field: 'tags', code: 'tag_unknown', params: { value: t } });
      // Derived tags are computed by their rules after the import; a file's say on them is ignored.
      else if (!tag.derived && !tagIds.includes(tag.id)) tagIds.push(tag.id);
    }
  }

  if (ctx.flags) {
    for (const f of ctx.flags) {
      const text = textOf(cells, f.index);
      const yes = parseYesNo(text);
      if (yes === undefined) {
        issues.push({ field: 'tags', column: f.label, code: 'yes_no_invalid', params: { value: text } });
        continue;
      }
      if (!yes) continue;
      const tag = ctx.tags.get(f.tag);
      if (!tag) issues.push({ field: 'tags', column: f.label, code: 'tag_unknown', params: { value: f.label } });
      else if (!tag.derived && !tagIds.includes(tag.id)) tagIds.push(tag.id);
    }
  }

  let movedInOn: string | null = null;
  const movedCell = cellOf(cells, idx.movedInOn);
  const movedText = cellText(movedCell);
  if (movedText !== '') {
    movedInOn = parseDate(movedCell);
    if (movedInOn === null) issues.push({ field: 'movedInOn', code: 'date_invalid', params: { value: movedText } });
    else if (movedInOn > ctx.today) issues.push({ field: 'movedInOn', code: 'date_future' });
  }

  if (issues.length > 0 || id === null || node === null) return { issues, id, row: null };
  return {
    issues,
    id,
    row: {
      id,
      birthDate,
      sex,
      name,
      phone,
      ethnicity,
      hukouAddress,
      currentAddress,
      node,
      roomNo,
      householdNo,
      relation,
      tagIds,
      movedInOn,
    },
  };
}

/**
 * The household a row belongs to: by 户号 within the county when given, else by its house; null when the row
 * names neither (the person is registered without a household).
 */
export function householdKey(row: GoodRow): string | null {
  if (row.householdNo !== null) return `n:${row.node.countyId}:${row.householdNo}`;
  if (row.roomNo !== null) return `h:${row.node.id}:${row.roomNo}`;
  return null;
}
