/**
 * Yes/no columns as offices' registers have them (是否低保, 是否残疾, 是否优抚对象, 是否失独): each names one
 * built-in tag; 是 (Y, 1, √ …) gives the resident the tag, 否 (N, 0, 无, ×, empty) leaves it off. And the words a
 * tags column uses for "none" (否, 无 …). Pure rules, no I/O.
 */
import { toHalfWidth } from '../../../platform/pii/index.js';
import { normalizeHeader } from './import.logic.js';

export type FlagColumnDef = { tag: string; headers: readonly string[] };

/** The yes/no columns, by the code of the built-in tag each one sets. */
export const FLAG_COLUMNS: readonly FlagColumnDef[] = [
  { tag: 'low_income', headers: ['是否低保', '是否低保户', '低保', '低保户', '是否享受低保'] },
  { tag: 'disabled', headers: ['是否残疾', '是否残疾人', '残疾', '残疾人', '是否残障'] },
  { tag: 'entitled_group', headers: ['是否优抚对象', '是否优抚', '优抚对象', '是否为优抚对象'] },
  { tag: 'bereaved_family', headers: ['是否失独', '是否失独家庭', '失独', '失独家庭', '是否失独人员'] },
];

const BY_HEADER = new Map<string, string>();
for (const f of FLAG_COLUMNS) for (const h of f.headers) BY_HEADER.set(normalizeHeader(h), f.tag);

/** The tag code a yes/no column sets, or undefined for any other header. */
export function flagTagForHeader(header: string): string | undefined {
  return BY_HEADER.get(normalizeHeader(header));
}

/** A yes/no column found in the header row: where it is, the file's header, and the tag's code. */
export type FlagColumn = { index: number; label: string; tag: string };

const YES = new Set(['是', '有', 'y', 'yes', '1', '√', '✓', '✔', 'true', '对', '是的']);
const NO = new Set(['否', '无', '不是', '没有', 'n', 'no', '0', '×', '✗', 'x', 'false', '-', '—', '/']);

/** true for 是, false for 否 (or an empty cell), undefined for anything else (reported with its column). */
export function parseYesNo(raw: string): boolean | undefined {
  const t = toHalfWidth(raw).trim().toLowerCase();
  if (t === '') return false;
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return undefined;
}

const NONE = new Set(['否', '无', '没有', '不是', '暂无', 'none', 'n/a', 'na', '-', '—', '/']);

/** Whether a tags cell (or one of its parts) says "no tag": 否, 无, 暂无, none, a dash. */
export function isNoTag(part: string): boolean {
  return NONE.has(toHalfWidth(part).trim().toLowerCase());
}

/**
 * The yes/no columns of a header row. A header the import maps to a field of its own, or that the caller's
 * explicit mapping names, is not one.
 */
export function findFlagColumns(
  headers: readonly string[],
  mapped: readonly number[],
  explicit: Record<string, string> = {},
): FlagColumn[] {
  const named = new Set(Object.keys(explicit).map(normalizeHeader));
  const out: FlagColumn[] = [];
  headers.forEach((h, index) => {
    if (mapped.includes(index) || named.has(normalizeHeader(h))) return;
    const tag = flagTagForHeader(h);
    if (tag !== undefined) out.push({ index, label: h.trim(), tag });
  });
  return out;
}
