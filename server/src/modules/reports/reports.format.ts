import { maskName } from '../../platform/pii/index.js';
import { ageOn, RELATION_LABELS, type Relation } from '../people/people.logic.js';
import {
  HOUSE_USE_LABELS,
  isPlaceLevel,
  type PlaceNode,
  placeOnPath,
  SEX_LABELS,
  STATUS_LABELS,
} from './reports.logic.js';
import type { CellValue, HouseUse, ReportEntity } from './reports.schemas.js';

/**
 * Turns database rows into report cells: labels for codes, places from node paths, masked or revealed
 * personal data. Pure: revealing is a function handed in (the PII cipher), so this is tested without keys.
 */

type Person = { name: string; path: string };
type SealedPerson = Person & {
  idMasked: string;
  phoneMasked: string | null;
  idSealed?: string;
  phoneSealed?: string | null;
};

export type ResidentRaw = {
  id: number;
  node_path: string;
  name: string;
  sex: string;
  birth_date: string;
  ethnicity: string | null;
  id_masked: string;
  phone_masked: string | null;
  id_sealed?: Uint8Array;
  phone_sealed?: Uint8Array | null;
  hukou_address: string | null;
  current_address: string | null;
  relation: Relation | null;
  status: string;
  room_no: string | null;
  household_no: string | null;
  tags?: { name: string; sensitive: boolean }[];
  contacts?: { name: string; relation: string; phoneMasked: string; phoneSealed?: string }[];
};

export type HouseRaw = {
  id: number;
  node_path: string;
  room_no: string;
  floor: number | null;
  use: HouseUse;
  area: string | null;
  address: string | null;
  residents_count?: number;
  heads?: Person[] | null;
  residents?: SealedPerson[];
};

export type HouseholdRaw = {
  id: number;
  node_path: string;
  household_no: string | null;
  room_no: string | null;
  house_use: HouseUse | null;
  address: string | null;
  head_name: string | null;
  head_path: string | null;
  head_id_masked: string | null;
  head_phone_masked: string | null;
  head_id_sealed?: Uint8Array | null;
  head_phone_sealed?: Uint8Array | null;
  members_count?: number;
  members?: Person[];
};

export type FormatCtx = {
  nodes: ReadonlyMap<number, PlaceNode>;
  /** Today in Asia/Shanghai, for ages. */
  today: string;
  /** Whether the caller sees sensitive data (full names and birth dates, sensitive tags) at a node path. */
  seesSensitive(path: string): boolean;
  /** Opens a sealed value for an unmasked export; null shows the masked copies. */
  reveal: ((sealed: Uint8Array) => string) | null;
};

const LIST_SEP = '、';

function personName(ctx: FormatCtx, p: { name: string; path: string | null }): string {
  return p.path !== null && ctx.seesSensitive(p.path) ? p.name : maskName(p.name);
}

function sealedOr(
  ctx: FormatCtx,
  sealed: Uint8Array | string | null | undefined,
  masked: string | null,
): string | null {
  if (!ctx.reveal || sealed === null || sealed === undefined) return masked;
  return ctx.reveal(typeof sealed === 'string' ? Buffer.from(sealed, 'base64') : sealed);
}

function place(ctx: FormatCtx, path: string, field: string): string | null {
  return isPlaceLevel(field) ? (placeOnPath(path, field, ctx.nodes)?.name ?? null) : null;
}

function residentCell(ctx: FormatCtx, r: ResidentRaw, field: string): CellValue {
  const sensitive = ctx.seesSensitive(r.node_path);
  switch (field) {
    case 'name':
      return sensitive ? r.name : maskName(r.name);
    case 'sex':
      return SEX_LABELS[r.sex] ?? r.sex;
    case 'birthDate':
      return sensitive ? r.birth_date : `${r.birth_date.slice(0, 4)}-**-**`;
    case 'age':
      return ageOn(r.birth_date, ctx.today);
    case 'ethnicity':
      return r.ethnicity;
    case 'idNumber':
      return sealedOr(ctx, r.id_sealed, r.id_masked);
    case 'phone':
      return sealedOr(ctx, r.phone_sealed, r.phone_masked);
    case 'hukouAddress':
      return r.hukou_address;
    case 'currentAddress':
      return r.current_address;
    case 'room':
      return r.room_no;
    case 'relation':
      return r.relation ? RELATION_LABELS[r.relation] : null;
    case 'householdNo':
      return r.household_no;
    case 'status':
      return STATUS_LABELS[r.status] ?? r.status;
    case 'tags':
      return (r.tags ?? [])
        .filter((t) => sensitive || !t.sensitive)
        .map((t) => t.name)
        .join(LIST_SEP);
    case 'contacts':
      return (r.contacts ?? [])
        .map(
          (c) =>
            `${ctx.reveal ? c.name : maskName(c.name)}（${c.relation}）${sealedOr(ctx, c.phoneSealed, c.phoneMasked) ?? ''}`,
        )
        .join('；');
  }
  return place(ctx, r.node_path, field);
}

function houseCell(ctx: FormatCtx, h: HouseRaw, field: string): CellValue {
  switch (field) {
    case 'room':
      return h.room_no;
    case 'floor':
      return h.floor;
    case 'use':
      return HOUSE_USE_LABELS[h.use] ?? h.use;
    case 'area':
      return h.area === null ? null : Number(h.area);
    case 'address':
      return h.address;
    case 'residentsCount':
      return h.residents_count ?? 0;
    case 'headName':
      return (h.heads ?? []).map((p) => personName(ctx, p)).join(LIST_SEP);
    case 'residents':
      return (h.residents ?? []).map((p) => personName(ctx, p)).join(LIST_SEP);
    case 'residentsDetail':
      return (h.residents ?? [])
        .map((p) => {
          const id = sealedOr(ctx, p.idSealed, p.idMasked);
          const phone = sealedOr(ctx, p.phoneSealed, p.phoneMasked);
          return `${personName(ctx, p)}（${[id, phone].filter(Boolean).join('，')}）`;
        })
        .join('；');
  }
  return place(ctx, h.node_path, field);
}

function householdCell(ctx: FormatCtx, hh: HouseholdRaw, field: string): CellValue {
  switch (field) {
    case 'householdNo':
      return hh.household_no;
    case 'headName':
      return hh.head_name === null ? null : personName(ctx, { name: hh.head_name, path: hh.head_path });
    case 'headIdNumber':
      return sealedOr(ctx, hh.head_id_sealed, hh.head_id_masked);
    case 'headPhone':
      return sealedOr(ctx, hh.head_phone_sealed, hh.head_phone_masked);
    case 'membersCount':
      return hh.members_count ?? 0;
    case 'members':
      return (hh.members ?? []).map((p) => personName(ctx, p)).join(LIST_SEP);
    case 'address':
      return hh.address;
    case 'room':
      return hh.room_no;
    case 'houseUse':
      return hh.house_use ? HOUSE_USE_LABELS[hh.house_use] : null;
  }
  return place(ctx, hh.node_path, field);
}

/** The cells of one record, in column order. */
export function formatRow(
  entity: ReportEntity,
  fields: readonly string[],
  row: ResidentRaw | HouseRaw | HouseholdRaw,
  ctx: FormatCtx,
): CellValue[] {
  switch (entity) {
    case 'resident':
      return fields.map((f) => residentCell(ctx, row as ResidentRaw, f));
    case 'house':
      return fields.map((f) => houseCell(ctx, row as HouseRaw, f));
    case 'household':
      return fields.map((f) => householdCell(ctx, row as HouseholdRaw, f));
  }
}
