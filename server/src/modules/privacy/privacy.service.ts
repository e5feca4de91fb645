import ExcelJS from 'exceljs';
import type { Ctx } from '../../platform/access/context.js';
import { assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { neutraliseCell } from '../../platform/files/spreadsheet.logic.js';
import { nearestHolders, send } from '../../platform/notify/notify.service.js';
import { maskName, type PiiCipher } from '../../platform/pii/index.js';
import { dueAt } from '../cases/calendar.service.js';
import { findNodeById } from '../org/org.service.js';
import { ageOn } from '../people/people.logic.js';
import * as peopleRepo from '../people/people.repo.js';
import type { UpdateResidentBody } from '../people/people.schemas.js';
import { sealPhone, todayShanghai } from '../people/people.service.js';
import { removeResidentTag, updateResident } from '../people/residents.service.js';
import { linkedResidentOf } from '../users/users.service.js';
import {
  type Change,
  CORRECTABLE_FIELDS,
  DEADLINE,
  DELETABLE_FIELDS,
  duplicateField,
  isOverdue,
  LEGAL_GROUND_TEXT,
  type LegalGround,
  maskChange,
  PURPOSES,
  purposeOf,
  purposeOfSection,
} from './privacy.logic.js';
import * as repo from './privacy.repo.js';
import type {
  CreateRequestBody,
  DecisionBody,
  MyData,
  MyRequest,
  RequestDetail,
  RequestListQuery,
  RequestPage,
  RequestSummary,
} from './privacy.schemas.js';

export type PrivacyDeps = { db: Db; pii: PiiCipher };

/** The resident asked for something; their grid worker (the nearest privacy.handle holders) is told. */
export const REQUEST_KIND = 'privacy.request';
/** A worker decided; the resident is told. */
export const DECIDED_KIND = 'privacy.decided';

const purposeName = (code: string | null, ctx: Ctx) =>
  code === null ? null : (purposeOf(code)?.name[ctx.locale] ?? code);

/** The caller's linked resident record, or RESIDENT_NOT_FOUND (an account not bound to a record has no data). */
async function ownResident(q: Queryable, ctx: Ctx): Promise<peopleRepo.ResidentRow> {
  const id = await linkedResidentOf(q, ctx.principal.userId);
  const r = id === null ? undefined : await peopleRepo.findResident(q, id);
  if (!r) throw new AppError('PRIVACY_NOT_LINKED');
  return r;
}

function openChanges(pii: PiiCipher, row: repo.RequestRow): Change[] {
  if (!row.changes_sealed) return [];
  return JSON.parse(pii.open(row.changes_sealed)) as Change[];
}

function toMyRequest(pii: PiiCipher, ctx: Ctx, row: repo.RequestRow, tags: Map<number, string>): MyRequest {
  return {
    id: row.id,
    kind: row.kind,
    purpose: row.purpose,
    changes: openChanges(pii, row),
    tags: row.tag_ids.map((id) => ({ id, name: tags.get(id) ?? `#${id}` })),
    explanation: row.explanation,
    status: row.status,
    dueAt: row.due_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    legalGround: row.legal_ground,
    legalGroundText: row.legal_ground
      ? (LEGAL_GROUND_TEXT[row.legal_ground as LegalGround]?.[ctx.locale] ?? null)
      : null,
  };
}

async function collectMyData(deps: PrivacyDeps, ctx: Ctx, r: peopleRepo.ResidentRow): Promise<MyData> {
  const zh = ctx.locale === 'zh-CN';
  const q = deps.db;
  const today = todayShanghai();
  const household = r.household_id === null ? undefined : await peopleRepo.findHousehold(q, r.household_id);
  const houseId = r.house_id ?? household?.house_id ?? null;
  const house = houseId === null ? undefined : await peopleRepo.findHouse(q, houseId);
  const tags = await repo.listTagsOf(q, r.id);
  const cases = await repo.listReportedCases(q, ctx.principal.userId, zh);
  const balances = await repo.listBalances(q, r.id, r.household_id);
  const visits = await repo.listVisitsAbout(q, r.id, r.household_id);
  const devices = await repo.listDevicesOf(q, r.id, zh);
  const objections = await repo.listObjections(q, r.id);
  const requests = await repo.listRequestsOfResident(q, r.id);
  const tagIds = [...new Set(requests.flatMap((x) => x.tag_ids))];
  const tagNames = new Map((await repo.tagNames(q, tagIds)).map((t) => [t.id, t.name]));
  const objected = new Set(objections.map((o) => o.purpose));
  const p = (s: Parameters<typeof purposeOfSection>[0]) => purposeOfSection(s).code;
  return {
    linked: true,
    purposes: PURPOSES.map((x) => ({
      code: x.code,
      name: x.name[ctx.locale],
      notice: x.notice[ctx.locale],
      basis: x.basis,
      objectable: x.objectable,
      objected: objected.has(x.code),
      sections: [...x.sections],
    })),
    record: {
      purpose: p('record'),
      id: r.id,
      name: r.name,
      sex: r.sex,
      birthDate: r.birth_date,
      idNumber: deps.pii.open(r.id_sealed),
      phone: r.phone_sealed ? deps.pii.open(r.phone_sealed) : null,
      ethnicity: r.ethnicity,
      relation: r.relation,
      status: r.status,
      place: r.place,
      hukouAddress: r.hukou_address,
      currentAddress: r.current_address,
      movedInOn: r.moved_in_on,
      hukouType: r.hukou_type,
      incomeBand: r.income_band,
      disabilityGrade: r.disability_grade,
      updatedAt: r.updated_at.toISOString(),
    },
    household: household
      ? {
          purpose: p('household'),
          householdNo: household.household_no,
          members: household.members
            .filter((m) => m.status === 'active' || m.id === r.id)
            .map((m) => ({
              id: m.id,
              name: m.id === r.id ? m.name : maskName(m.name),
              relation: m.relation,
              sex: m.sex,
              age: ageOn(m.birth_date, today),
              isSelf: m.id === r.id,
            })),
        }
      : null,
    house: house
      ? {
          purpose: p('house'),
          roomNo: house.room_no,
          address: house.address,
          area: house.area === null ? null : Number(house.area),
          use: house.use,
          place: house.place,
        }
      : null,
    tags: {
      purpose: p('tags'),
      items: tags.map((t) => ({
        id: t.id,
        name: t.name,
        sensitive: t.sensitive,
        source: t.source,
        since: t.since.toISOString(),
        removable: !t.derived,
      })),
    },
    cases: {
      purpose: p('cases'),
      items: cases.map((c) => ({ id: c.id, title: c.title, stage: c.stage, createdAt: c.created_at.toISOString() })),
    },
    balances: {
      purpose: p('balances'),
      items: balances.map((b) => ({
        currency: b.currency,
        balance: b.balance,
        unit: b.currency === 'hours' ? ('minutes' as const) : ('points' as const),
        owner: b.owner,
      })),
    },
    visits: {
      purpose: p('visits'),
      items: visits.map((v) => ({
        id: v.id,
        visitedAt: v.visited_at.toISOString(),
        outcome: v.outcome,
        note: v.note,
        visitor: v.visitor,
        household: v.household,
      })),
    },
    devices: { purpose: p('devices'), items: devices },
    consents: {
      purpose: p('consents'),
      objections: objections.map((o) => ({ purpose: o.purpose, since: o.since.toISOString() })),
      requests: requests.map((x) => toMyRequest(deps.pii, ctx, x, tagNames)),
    },
    correctable: [...CORRECTABLE_FIELDS],
    deletable: [...DELETABLE_FIELDS],
  };
}

const NOT_LINKED: Omit<MyData, 'purposes'> = {
  linked: false,
  record: null,
  household: null,
  house: null,
  tags: { purpose: 'special_care', items: [] },
  cases: { purpose: 'case_handling', items: [] },
  balances: { purpose: 'points_timebank', items: [] },
  visits: { purpose: 'special_care', items: [] },
  devices: { purpose: 'device_alerts', items: [] },
  consents: { purpose: 'privacy_rights', objections: [], requests: [] },
  correctable: [],
  deletable: [],
};

/**
 * "My data" (PIPL Art 44): what Linli holds about the caller (through the resident record their account is linked
 * to) and their household, each section with the purpose it is held for and that purpose's notice. Their own
 * numbers in full, other members' names masked. The read is audited as the resident reading their own data.
 * An account without a record gets the notices and empty sections.
 */
export async function getMyData(deps: PrivacyDeps, ctx: Ctx): Promise<MyData> {
  const residentId = await linkedResidentOf(deps.db, ctx.principal.userId);
  const r = residentId === null ? undefined : await peopleRepo.findResident(deps.db, residentId);
  if (!r) {
    return {
      ...NOT_LINKED,
      purposes: PURPOSES.map((x) => ({
        code: x.code,
        name: x.name[ctx.locale],
        notice: x.notice[ctx.locale],
        basis: x.basis,
        objectable: x.objectable,
        objected: false,
        sections: [...x.sections],
      })),
    };
  }
  const data = await collectMyData(deps, ctx, r);
  await recordAudit(deps.db, ctx, {
    action: 'privacy.data_read',
    targetType: 'resident',
    targetId: r.id,
    targetLabel: maskName(r.name),
    scopePath: r.node_path,
    countyId: r.county_id,
    diff: null,
  });
  return data;
}

export type CopyFile = { fileName: string; contentType: string; body: Buffer };

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return neutraliseCell(v);
  return neutraliseCell(JSON.stringify(v));
}

/** A workbook of "my data": a sheet of notices, then one sheet per section (key/value or a table). */
export async function myDataWorkbook(data: MyData, zh: boolean): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linli';
  const notices = wb.addWorksheet(zh ? '处理目的' : 'Purposes');
  notices.addRow(zh ? ['目的', '法律依据', '可否反对', '告知'] : ['Purpose', 'Basis', 'May object', 'Notice']);
  for (const p of data.purposes) notices.addRow([p.name, p.basis, p.objectable, p.notice].map(cell));
  const keyValues = (name: string, obj: Record<string, unknown> | null) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(zh ? ['项目', '内容'] : ['Field', 'Value']);
    for (const [k, v] of Object.entries(obj ?? {})) ws.addRow([k, cell(v)]);
  };
  const table = (name: string, items: Record<string, unknown>[]) => {
    const ws = wb.addWorksheet(name);
    const cols = Object.keys(items[0] ?? {});
    ws.addRow(cols);
    for (const it of items) ws.addRow(cols.map((c) => cell(it[c])));
  };
  keyValues(zh ? '本人信息' : 'Record', data.record);
  table(zh ? '家庭成员' : 'Household', data.household?.members ?? []);
  keyValues(zh ? '房屋' : 'House', data.house);
  table(zh ? '标签' : 'Tags', data.tags.items);
  table(zh ? '反映的问题' : 'Cases', data.cases.items);
  table(zh ? '积分与时长' : 'Balances', data.balances.items);
  table(zh ? '走访' : 'Visits', data.visits.items);
  table(zh ? '设备' : 'Devices', data.devices.items);
  table(
    zh ? '申请' : 'Requests',
    data.consents.requests.map(({ changes, tags, ...r }) => ({ ...r, changes, tags })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A copy of "my data" to download (PIPL Art 45), JSON or an Excel workbook, audited. A resident's data is bounded
 * (each list at most 200 rows), so the copy is built in the request.
 * @throws PRIVACY_NOT_LINKED
 */
export async function buildMyCopy(deps: PrivacyDeps, ctx: Ctx, format: 'json' | 'xlsx'): Promise<CopyFile> {
  const r = await ownResident(deps.db, ctx);
  const data = await collectMyData(deps, ctx, r);
  await recordAudit(deps.db, ctx, {
    action: 'privacy.copy',
    targetType: 'resident',
    targetId: r.id,
    targetLabel: maskName(r.name),
    scopePath: r.node_path,
    countyId: r.county_id,
    diff: { format: [null, format] },
  });
  const stamp = todayShanghai();
  const zh = ctx.locale === 'zh-CN';
  const base = zh ? `我的个人信息-${stamp}` : `my-data-${stamp}`;
  if (format === 'json') {
    return {
      fileName: `${base}.json`,
      contentType: 'application/json; charset=utf-8',
      body: Buffer.from(JSON.stringify({ generatedAt: new Date().toISOString(), ...data }, null, 2)),
    };
  }
  return { fileName: `${base}.xlsx`, contentType: XLSX_TYPE, body: await myDataWorkbook(data, zh) };
}

/**
 * A correction (PIPL Art 46) or a deletion/objection (Art 47) request of the caller's own data. It is due in 15
 * working days (the cases module's working calendar) and goes to the nearest privacy.handle holders of the
 * resident's place (their grid worker), in their tasks and inbox. One open request of each kind at a time.
 * @throws PRIVACY_NOT_LINKED, PRIVACY_CHANGES_REQUIRED, PRIVACY_FIELD_REPEATED, PRIVACY_VALUE_REQUIRED,
 *   PHONE_INVALID, PRIVACY_PURPOSE_REQUIRED, PRIVACY_TAG_NOT_HELD, PRIVACY_REQUEST_OPEN
 */
export async function createMyRequest(
  deps: PrivacyDeps,
  ctx: Ctx,
  body: CreateRequestBody,
  now = new Date(),
): Promise<MyRequest> {
  const r = await ownResident(deps.db, ctx);
  let changes: Change[] = [];
  let tagIds: number[] = [];
  let purpose: string | null = null;
  if (body.kind === 'correction') {
    if (!body.changes || body.changes.length === 0)
      throw new AppError('PRIVACY_CHANGES_REQUIRED', { field: 'changes' });
    if (body.purpose !== undefined || body.fields !== undefined || body.tagIds !== undefined)
      throw new AppError('PRIVACY_FIELD_NOT_FOR_KIND', { field: body.purpose !== undefined ? 'purpose' : 'fields' });
    const dup = duplicateField(body.changes);
    if (dup >= 0) throw new AppError('PRIVACY_FIELD_REPEATED', { field: `changes.${dup}.field` });
    changes = body.changes.map((c, i) => {
      const value = c.value === null || c.value.trim() === '' ? null : c.value.trim();
      if (value === null && c.field === 'name')
        throw new AppError('PRIVACY_VALUE_REQUIRED', { field: `changes.${i}.value` });
      if (c.field === 'phone' && value !== null) sealPhone(deps.pii, value, `changes.${i}.value`);
      return { field: c.field, value };
    });
  } else {
    if (body.changes !== undefined) throw new AppError('PRIVACY_FIELD_NOT_FOR_KIND', { field: 'changes' });
    if (!body.purpose) throw new AppError('PRIVACY_PURPOSE_REQUIRED', { field: 'purpose' });
    purpose = body.purpose;
    tagIds = [...new Set(body.tagIds ?? [])];
    const held = new Map((await repo.listTagsOf(deps.db, r.id)).map((t) => [t.id, t]));
    for (const [i, id] of tagIds.entries()) {
      if (!held.has(id)) throw new AppError('PRIVACY_TAG_NOT_HELD', { field: `tagIds.${i}` });
    }
    changes = [...new Set(body.fields ?? [])].map((field) => ({ field, value: null }));
  }
  const due = (await dueAt(deps.db, now, DEADLINE))!;
  const id = await deps.db.transaction(async (tx) => {
    const newId = await repo.insertRequest(tx, {
      countyId: r.county_id,
      residentId: r.id,
      requesterId: ctx.principal.userId,
      kind: body.kind,
      purpose,
      changesSealed:
        changes.length > 0
          ? deps.pii.seal(JSON.stringify(changes))
          : body.kind === 'correction'
            ? deps.pii.seal('[]')
            : null,
      changesMasked: changes.map(maskChange),
      tagIds,
      explanation: body.explanation,
      dueAt: due,
    });
    if (newId === null) throw new AppError('PRIVACY_REQUEST_OPEN', { field: 'kind' });
    await recordAudit(tx, ctx, {
      action: 'privacy.request_create',
      targetType: 'privacy_request',
      targetId: newId,
      targetLabel: maskName(r.name),
      scopePath: r.node_path,
      countyId: r.county_id,
      diff: {
        kind: [null, body.kind],
        purpose: [null, purpose],
        changes: [null, changes.map(maskChange)],
        tagIds: [null, tagIds],
        dueAt: [null, due.toISOString()],
      },
    });
    const workers = await nearestHolders(tx, r.node_path, 'privacy.handle');
    await send(tx, workers, REQUEST_KIND, {
      requestId: newId,
      kind: body.kind,
      name: maskName(r.name),
      dueAt: due.toISOString(),
      nodePath: r.node_path,
    });
    return newId;
  });
  const row = (await repo.findRequest(deps.db, id))!;
  const names = new Map((await repo.tagNames(deps.db, row.tag_ids)).map((t) => [t.id, t.name]));
  return toMyRequest(deps.pii, ctx, row, names);
}

// ---- console: requests of the area ---------------------------------------------------------------------------

function toSummary(ctx: Ctx, row: repo.RequestRow, now: Date): RequestSummary {
  const sensitive = can(ctx.principal, 'people.sensitive', row.node_path);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    purpose: row.purpose,
    residentId: row.resident_id,
    residentName: sensitive ? row.resident_name : maskName(row.resident_name),
    place: row.place ?? '',
    changes: row.changes_masked,
    dueAt: row.due_at.toISOString(),
    overdue: isOverdue(row.status, row.due_at, now),
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
  };
}

/** Privacy requests of the caller's privacy.handle area, pending first by deadline. @throws FORBIDDEN, ORG_NODE_NOT_FOUND */
export async function listRequests(
  deps: PrivacyDeps,
  ctx: Ctx,
  query: RequestListQuery,
  now = new Date(),
): Promise<RequestPage> {
  assertPermission(ctx.principal, 'privacy.handle');
  let underPath: string | null = null;
  if (query.nodeId !== undefined) {
    const node = await findNodeById(deps.db, query.nodeId);
    if (!node || !can(ctx.principal, 'privacy.handle', node.path))
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    underPath = node.path;
  }
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.searchRequests(deps.db, {
    scope: scopeSql(scopeFor(ctx.principal, 'privacy.handle'), 'r.node_path'),
    underPath,
    status: query.status,
    kind: query.kind,
    overdue: query.overdue,
    now,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: rows.map((r) => toSummary(ctx, r, now)), total };
}

async function requestInScope(q: Queryable, ctx: Ctx, id: number, forUpdate = false): Promise<repo.RequestRow> {
  const row = await repo.findRequest(q, id, forUpdate);
  if (!row || !can(ctx.principal, 'privacy.handle', row.node_path)) throw new AppError('PRIVACY_REQUEST_NOT_FOUND');
  return row;
}

const FIELD_COLUMN: Record<string, (r: peopleRepo.ResidentRow) => string | null> = {
  name: (r) => r.name,
  phone: (r) => r.phone_masked,
  ethnicity: (r) => r.ethnicity,
  hukouAddress: (r) => r.hukou_address,
  currentAddress: (r) => r.current_address,
};

async function toDetail(deps: PrivacyDeps, ctx: Ctx, row: repo.RequestRow, now: Date): Promise<RequestDetail> {
  const r = await peopleRepo.findResident(deps.db, row.resident_id);
  const held = new Set((await repo.listTagsOf(deps.db, row.resident_id)).map((t) => t.id));
  const names = await repo.tagNames(deps.db, row.tag_ids);
  const current: Record<string, string | null> = {};
  for (const c of row.changes_masked) current[c.field] = r ? (FIELD_COLUMN[c.field]?.(r) ?? null) : null;
  const summary = toSummary(ctx, row, now);
  if (!can(ctx.principal, 'people.sensitive', row.node_path) && 'name' in current && current.name)
    current.name = maskName(current.name);
  return {
    ...summary,
    explanation: row.explanation,
    tags: names.map((t) => ({ ...t, held: held.has(t.id) })),
    fields: row.kind === 'deletion' ? row.changes_masked.map((c) => c.field) : [],
    current,
    before: row.before_masked,
    decidedBy: row.decided_by,
    decisionNote: row.decision_note,
    legalGround: row.legal_ground,
    legalGroundText: row.legal_ground
      ? (LEGAL_GROUND_TEXT[row.legal_ground as LegalGround]?.[ctx.locale] ?? null)
      : null,
    requester: row.requester,
  };
}

/** One request of the caller's area. @throws FORBIDDEN, PRIVACY_REQUEST_NOT_FOUND */
export async function getRequest(deps: PrivacyDeps, ctx: Ctx, id: number, now = new Date()): Promise<RequestDetail> {
  assertPermission(ctx.principal, 'privacy.handle');
  return toDetail(deps, ctx, await requestInScope(deps.db, ctx, id), now);
}

/**
 * Decides a pending request. Accepting a correction applies the proposed values through the people service (its
 * own audited, versioned update, under the worker's people.write); accepting a deletion removes the named tags
 * and optional fields the same way and records the objection to its purpose (processing for it stops). A purpose
 * required by law cannot be accepted as an objection: it is refused with the legal ground. Rejecting needs the
 * legal ground and a note. The resident is told either way.
 * @throws FORBIDDEN, PRIVACY_REQUEST_NOT_FOUND, PRIVACY_REQUEST_DECIDED, PRIVACY_GROUND_REQUIRED,
 *   REASON_REQUIRED, PRIVACY_PURPOSE_REQUIRED_BY_LAW (and the people service's errors when applying)
 */
export async function decideRequest(
  deps: PrivacyDeps,
  ctx: Ctx,
  id: number,
  body: DecisionBody,
  now = new Date(),
): Promise<RequestDetail> {
  assertPermission(ctx.principal, 'privacy.handle');
  const row = await requestInScope(deps.db, ctx, id);
  if (row.status !== 'pending') throw new AppError('PRIVACY_REQUEST_DECIDED');
  const note = body.note?.trim() || null;
  if (body.decision === 'reject') {
    if (!body.legalGround) throw new AppError('PRIVACY_GROUND_REQUIRED', { field: 'legalGround' });
    if (!note || note.length < 2) throw new AppError('REASON_REQUIRED', { field: 'note' });
  }
  let before: Record<string, string | null> | null = null;
  if (body.decision === 'accept') {
    const purpose = row.purpose === null ? undefined : purposeOf(row.purpose);
    if (
      row.kind === 'deletion' &&
      purpose &&
      !purpose.objectable &&
      row.tag_ids.length === 0 &&
      row.changes_masked.length === 0
    )
      throw new AppError('PRIVACY_PURPOSE_REQUIRED_BY_LAW', { field: 'decision' });
    const resident = await peopleRepo.findResident(deps.db, row.resident_id);
    if (!resident) throw new AppError('PRIVACY_REQUEST_NOT_FOUND');
    before = {};
    for (const c of row.changes_masked) before[c.field] = FIELD_COLUMN[c.field]?.(resident) ?? null;
    const changes = openChanges(deps.pii, row);
    if (changes.length > 0) {
      const patch: UpdateResidentBody = {};
      for (const c of changes) {
        if (c.field === 'name') {
          if (c.value) patch.name = c.value;
        } else patch[c.field] = c.value;
      }
      await updateResident(deps, ctx, row.resident_id, patch);
    }
    if (row.kind === 'deletion') {
      const held = new Set((await repo.listTagsOf(deps.db, row.resident_id)).map((t) => t.id));
      for (const tagId of row.tag_ids) {
        if (held.has(tagId)) await removeResidentTag(deps, ctx, row.resident_id, tagId);
      }
    }
  }
  await deps.db.transaction(async (tx) => {
    const ok = await repo.decideRequest(tx, id, {
      status: body.decision === 'accept' ? 'accepted' : 'rejected',
      by: ctx.principal.userId || null,
      note,
      legalGround: body.decision === 'reject' ? (body.legalGround ?? null) : null,
      beforeMasked: before,
    });
    if (!ok) throw new AppError('PRIVACY_REQUEST_DECIDED');
    const purpose = row.purpose === null ? undefined : purposeOf(row.purpose);
    if (body.decision === 'accept' && row.kind === 'deletion' && purpose?.objectable)
      await repo.addObjection(tx, row.resident_id, purpose.code, id);
    await recordAudit(tx, ctx, {
      action: body.decision === 'accept' ? 'privacy.request_accept' : 'privacy.request_reject',
      targetType: 'privacy_request',
      targetId: id,
      targetLabel: maskName(row.resident_name),
      scopePath: row.node_path,
      countyId: row.county_id,
      diff: { status: ['pending', body.decision === 'accept' ? 'accepted' : 'rejected'] },
      reason: note,
    });
    await send(tx, [row.requester_id], DECIDED_KIND, {
      requestId: id,
      kind: row.kind,
      decision: body.decision,
      purpose: purposeName(row.purpose, ctx),
    });
  });
  return getRequest(deps, ctx, id, now);
}
