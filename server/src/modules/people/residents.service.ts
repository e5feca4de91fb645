/** Residents: search, register (or file a move-in request), edit, leave, tags, contacts and revealing a field. */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, hasPermission, type Scope, scopeFor } from '../../platform/access/scope.js';
import { recordAudit, requireReason } from '../../platform/audit/audit.js';
import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskIdNumber, maskName, parseIdNumber, parsePhone } from '../../platform/pii/index.js';
import { findNodeById } from '../org/org.service.js';
import type { MoveInSubmitted } from './move-in.schemas.js';
import { ClashGate, DEFAULT_ID_CLASH_DAILY_LIMIT, fileMoveInRequest, submittedAnswer } from './move-in.service.js';
import { birthRangeForAges, namePinyin } from './people.logic.js';
import * as repo from './people.repo.js';
import type {
  ContactBody,
  CreateResidentBody,
  LeaveBody,
  ResidentDetail,
  ResidentPage,
  ResidentsQuery,
  RevealResidentBody,
  SetTagBody,
  UpdateResidentBody,
} from './people.schemas.js';
import {
  houseAtPlace,
  houseInScope,
  type PeopleDeps,
  placeNode,
  readableResident,
  sealPhone,
  todayShanghai,
  toHousehold,
  toSummary,
  writableResident,
} from './people.service.js';
import type { ResidentSearch } from './resident-search.repo.js';
import * as searchRepo from './resident-search.repo.js';
import * as tagsRepo from './tags.repo.js';
import { refreshDerivedTags } from './tags.service.js';

// Lists show "1000+" beyond this: counting a whole county exactly costs more than the page itself.
export const COUNT_CAP = 1_000;

function auditShape(
  r: Pick<
    repo.ResidentRow,
    | 'name'
    | 'phone_masked'
    | 'ethnicity'
    | 'hukou_address'
    | 'current_address'
    | 'node_id'
    | 'house_id'
    | 'household_id'
    | 'relation'
    | 'status'
    | 'hukou_type'
    | 'income_band'
    | 'disability_grade'
  >,
) {
  return {
    name: r.name,
    phone: r.phone_masked,
    ethnicity: r.ethnicity,
    hukouAddress: r.hukou_address,
    currentAddress: r.current_address,
    nodeId: r.node_id,
    houseId: r.house_id,
    householdId: r.household_id,
    relation: r.relation,
    status: r.status,
    hukouType: r.hukou_type,
    incomeBand: r.income_band,
    disabilityGrade: r.disability_grade,
  };
}

const ID_REASONS: Record<string, string> = {
  empty: '为空 empty',
  length: '位数不对 wrong length',
  format: '含非法字符 bad characters',
  area: '地区码无效 unknown area code',
  birth_date: '出生日期无效 bad birth date',
  check_digit: '校验位错误 wrong check digit',
};

/**
 * Finds residents in the caller's scope: `q` is an ID number (exact), a phone number (exact), pinyin or
 * initials (prefix: zhangsan, zs) or a name (prefix); plus tags, age range, sex, status, place and address.
 * Pages run in id order: by number (`page`), or after a cursor (`after`, the `nextAfter` of the page before),
 * which costs the same however deep it goes. The plan is the repo's (`resident-search.repo.ts`).
 * @throws ORG_NODE_NOT_FOUND, TAG_NOT_FOUND, FORBIDDEN (a sensitive tag without people.sensitive)
 */
export async function searchResidents(deps: PeopleDeps, ctx: Ctx, query: ResidentsQuery): Promise<ResidentPage> {
  assertPermission(ctx.principal, 'people.read');
  const today = todayShanghai();
  // The area: the caller's scope and, if asked, one node in it.
  const areas: Scope[] = [scopeFor(ctx.principal, 'people.read')];
  if (query.nodeId) {
    const node = await findNodeById(deps.db, query.nodeId);
    if (!node || !can(ctx.principal, 'org.read', node.path))
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    areas.push({ all: false, paths: [node.path] });
  }
  const search: ResidentSearch = {
    areas,
    status: query.status ?? 'active',
    sex: query.sex,
    limit: query.pageSize ?? 20,
    offset: ((query.page ?? 1) - 1) * (query.pageSize ?? 20),
    after: query.after,
  };
  if (query.ageMin !== undefined || query.ageMax !== undefined) {
    const range = birthRangeForAges(today, query.ageMin, query.ageMax);
    search.born = { onOrBefore: range.bornOnOrBefore, after: range.bornAfter };
  }
  const text = query.q?.trim();
  if (text) {
    const id = parseIdNumber(text);
    const phone = parsePhone(text);
    search.name = id.ok
      ? { by: 'id_hash', hash: deps.pii.hash(id.value, 'id') }
      : phone.ok
        ? { by: 'phone_hash', hash: deps.pii.hash(phone.value, 'phone') }
        : /^[a-zA-Z]+$/.test(text)
          ? { by: 'pinyin', prefix: text }
          : { by: 'name', prefix: text };
  }
  if (query.address?.trim()) search.address = query.address.trim();
  const tagCodes = query.tag === undefined ? [] : [query.tag].flat();
  if (tagCodes.length > 0) {
    const tags = (await tagsRepo.listTags(deps.db)).filter((t) => tagCodes.includes(t.code));
    if (tags.length !== new Set(tagCodes).size) throw new AppError('TAG_NOT_FOUND', { field: 'tag' });
    if (tags.some((t) => t.sensitive) && !hasPermission(ctx.principal, 'people.sensitive'))
      throw new AppError('FORBIDDEN', { field: 'tag' });
    search.tags = { ids: tags.map((t) => t.id), mode: query.tagMode ?? 'any' };
  }
  const { rows, total } = await deps.db.transaction(async (tx) => {
    await searchRepo.disableParallelPlans(tx);
    return searchRepo.searchResidents(tx, search, COUNT_CAP);
  });
  // A full page may have a next one: its cursor is the last id shown (pages run in id order).
  const nextAfter = rows.length === search.limit ? rows[rows.length - 1]!.id : null;
  return { items: rows.map((r) => toSummary(ctx, r, today)), total, nextAfter };
}

/** @throws RESIDENT_NOT_FOUND */
export async function getResident(deps: PeopleDeps, ctx: Ctx, id: number): Promise<ResidentDetail> {
  const r = await readableResident(deps.db, ctx, id);
  const today = todayShanghai();
  const [contacts, history, household] = await Promise.all([
    repo.listContacts(deps.db, id),
    repo.residentHistory(deps.db, id),
    r.household_id ? toHousehold(deps.db, ctx, r.household_id, today) : Promise.resolve(null),
  ]);
  return {
    ...toSummary(ctx, r, today),
    ethnicity: r.ethnicity,
    hukouAddress: r.hukou_address,
    currentAddress: r.current_address,
    movedInOn: r.moved_in_on,
    leftOn: r.left_on,
    hukouType: r.hukou_type,
    incomeBand: r.income_band,
    disabilityGrade: r.disability_grade,
    household,
    contacts: contacts.map((c) => ({ id: c.id, name: c.name, relation: c.relation, phoneMasked: c.phone_masked })),
    history: history.map((h) => ({
      at: h.at.toISOString(),
      actorName: h.actor_name,
      action: h.action,
      diff: h.diff,
      reason: h.reason,
    })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * Registers a person once; birth date and sex come from the ID number. A person already registered where the
 * caller can see them is a duplicate; one registered outside the caller's area becomes a move-in request to
 * their community, and the caller learns only that (`{ status: 'review' }`), never where or whom.
 * @throws ID_NUMBER_INVALID, ID_NUMBER_DUPLICATE, ID_CLASH_LIMIT (too many clashes today), PHONE_INVALID,
 *   ORG_NODE_NOT_FOUND, RESIDENT_NODE_INVALID, HOUSE_NOT_FOUND, HOUSEHOLD_NOT_FOUND, TAG_NOT_FOUND, TAG_IS_DERIVED
 */
export async function createResident(
  deps: PeopleDeps,
  ctx: Ctx,
  body: CreateResidentBody,
): Promise<ResidentDetail | MoveInSubmitted> {
  assertPermission(ctx.principal, 'people.write');
  const id = parseIdNumber(body.idNumber);
  if (!id.ok)
    throw new AppError('ID_NUMBER_INVALID', {
      field: 'idNumber',
      params: { reason: ID_REASONS[id.error] ?? id.error },
    });
  const phone = sealPhone(deps.pii, body.phone);
  const name = body.name.trim();
  const py = namePinyin(name);
  const idHash = deps.pii.hash(id.value, 'id');
  const outcome = await deps.db.transaction(async (tx): Promise<CreateOutcome> => {
    const node = await placeNode(tx, ctx, body.nodeId);
    const existing = await repo.findResidentIdByIdHash(tx, idHash);
    // Someone the caller can see is a plain duplicate, as it always was.
    if (existing && can(ctx.principal, 'people.read', existing.node_path))
      throw new AppError('ID_NUMBER_DUPLICATE', { field: 'idNumber' });
    const houseId = body.houseId ? houseAtPlace(await houseInScope(tx, ctx, body.houseId, 'houseId'), node.path) : null;
    let householdId: number | null = null;
    if (body.householdId) {
      const hh = await repo.findHousehold(tx, body.householdId);
      if (!hh || !can(ctx.principal, 'people.write', hh.node_path))
        throw new AppError('HOUSEHOLD_NOT_FOUND', { field: 'householdId' });
      if (body.relation === 'head' && hh.head_resident_id)
        throw new AppError('HOUSEHOLD_HAS_HEAD', { field: 'relation' });
      householdId = hh.id;
    }
    if (existing) {
      // Registered outside the caller's area: a move-in request, within the day's limit.
      const gate = new ClashGate(ctx, {
        dailyLimit: deps.idClashDailyLimit ?? DEFAULT_ID_CLASH_DAILY_LIMIT,
        log: deps.log,
      });
      if (!(await gate.admit(tx))) {
        await gate.reportRefusals(tx, 'registration');
        return { kind: 'refused' };
      }
      const requestId = await fileMoveInRequest(tx, ctx, {
        resident: { id: existing.id, nodePath: existing.node_path, countyId: existing.county_id },
        typed: {
          name,
          phone: phone?.sealed && phone.masked ? { sealed: phone.sealed, masked: phone.masked } : null,
          ethnicity: body.ethnicity?.trim() || null,
          hukouAddress: body.hukouAddress?.trim() || null,
          currentAddress: body.currentAddress?.trim() || null,
          movedInOn: body.movedInOn ?? null,
        },
        dest: {
          nodeId: node.id,
          nodePath: node.path,
          countyId: node.county_id,
          houseId,
          roomNo: null,
          householdId,
          householdNo: null,
          relation: householdId ? (body.relation ?? 'other') : null,
        },
        source: 'api',
        importId: null,
      });
      return { kind: 'review', requestId };
    }
    const newId = await repo.insertResident(tx, {
      countyId: node.county_id,
      nodeId: node.id,
      nodePath: node.path,
      houseId,
      householdId,
      relation: householdId ? (body.relation ?? 'other') : null,
      name,
      namePinyin: py.full,
      nameInitials: py.initials,
      idSealed: deps.pii.seal(id.value),
      idHash,
      idMasked: maskIdNumber(id.value),
      sex: id.sex,
      birthDate: id.birthDate,
      ethnicity: body.ethnicity?.trim() || null,
      phoneSealed: phone?.sealed ?? null,
      phoneHash: phone?.hash ?? null,
      phoneMasked: phone?.masked ?? null,
      hukouAddress: body.hukouAddress?.trim() || null,
      currentAddress: body.currentAddress?.trim() || null,
      movedInOn: body.movedInOn ?? null,
    });
    await repo.setPolicyFacts(tx, newId, body);
    if (householdId && body.relation === 'head') await repo.setHouseholdHead(tx, householdId, newId);
    for (const tagId of body.tagIds ?? []) await attachManualTag(tx, ctx, newId, node.county_id, tagId, '登记时设置');
    await refreshDerivedTags(tx, {
      where: householdId ? 'r.household_id = $1' : 'r.id = $1',
      params: [householdId ?? newId],
    });
    await recordAudit(tx, ctx, {
      action: 'resident.create',
      targetType: 'resident',
      targetId: newId,
      targetLabel: maskName(name),
      scopePath: node.path,
      countyId: node.county_id,
      after: {
        name,
        idNumber: maskIdNumber(id.value),
        phone: phone?.masked ?? null,
        nodeId: node.id,
        houseId,
        householdId,
        relation: body.relation ?? null,
      },
    });
    return { kind: 'created', residentId: newId };
  });
  // Refusals are committed (their audit entry) before the caller is told.
  if (outcome.kind === 'refused') throw new AppError('ID_CLASH_LIMIT');
  if (outcome.kind === 'review') return submittedAnswer(ctx, outcome.requestId);
  return getResident(deps, ctx, outcome.residentId);
}

type CreateOutcome =
  | { kind: 'created'; residentId: number }
  | { kind: 'review'; requestId: number }
  | { kind: 'refused' };

/** @throws RESIDENT_NOT_FOUND, PHONE_INVALID, ORG_NODE_NOT_FOUND, RESIDENT_NODE_INVALID, HOUSE_NOT_FOUND */
export async function updateResident(
  deps: PeopleDeps,
  ctx: Ctx,
  id: number,
  body: UpdateResidentBody,
): Promise<ResidentDetail> {
  const phone = sealPhone(deps.pii, body.phone);
  await deps.db.transaction(async (tx) => {
    const r = await writableResident(tx, ctx, id);
    const node = body.nodeId && body.nodeId !== r.node_id ? await placeNode(tx, ctx, body.nodeId) : null;
    const houseId =
      body.houseId === undefined
        ? r.house_id
        : body.houseId === null
          ? null
          : (await houseInScope(tx, ctx, body.houseId, 'houseId')).id;
    // A person moved to another place cannot keep a house that lies elsewhere (their house's views would
    // show them to that place's workers): the house is given anew, or none.
    if (houseId !== null && node) {
      const house = await repo.findHouse(tx, houseId);
      if (house) houseAtPlace(house, node.path);
    }
    const name = body.name?.trim() ?? r.name;
    const py = namePinyin(name);
    const next = {
      name,
      namePinyin: py.full,
      nameInitials: py.initials,
      phone,
      ethnicity: body.ethnicity === undefined ? r.ethnicity : body.ethnicity?.trim() || null,
      hukouAddress: body.hukouAddress === undefined ? r.hukou_address : body.hukouAddress?.trim() || null,
      currentAddress: body.currentAddress === undefined ? r.current_address : body.currentAddress?.trim() || null,
      nodeId: node?.id ?? r.node_id,
      nodePath: node?.path ?? r.node_path,
      countyId: node?.county_id ?? r.county_id,
      houseId,
    };
    await repo.updateResident(tx, id, next);
    await repo.setPolicyFacts(tx, id, body);
    await recordAudit(tx, ctx, {
      action: 'resident.update',
      targetType: 'resident',
      targetId: id,
      targetLabel: maskName(name),
      scopePath: next.nodePath,
      countyId: next.countyId,
      before: auditShape(r),
      after: auditShape({
        ...r,
        name,
        phone_masked: phone === undefined ? r.phone_masked : phone.masked,
        ethnicity: next.ethnicity,
        hukou_address: next.hukouAddress,
        current_address: next.currentAddress,
        node_id: next.nodeId,
        house_id: houseId,
        hukou_type: body.hukouType === undefined ? r.hukou_type : body.hukouType,
        income_band: body.incomeBand === undefined ? r.income_band : body.incomeBand,
        disability_grade: body.disabilityGrade === undefined ? r.disability_grade : body.disabilityGrade,
      }),
    });
  });
  return getResident(deps, ctx, id);
}

/**
 * Records a move out of the area (迁出) or a death; history stays. Leaving ends household membership for a
 * move; the household's head is cleared if it was them.
 * @throws RESIDENT_NOT_FOUND, RESIDENT_NOT_ACTIVE, DATE_INVALID
 */
export async function recordLeave(deps: PeopleDeps, ctx: Ctx, id: number, body: LeaveBody): Promise<ResidentDetail> {
  if (Number.isNaN(Date.parse(body.on)) || body.on > todayShanghai())
    throw new AppError('DATE_INVALID', { field: 'on' });
  await deps.db.transaction(async (tx) => {
    const r = await writableResident(tx, ctx, id);
    if (r.status !== 'active') throw new AppError('RESIDENT_NOT_ACTIVE');
    await repo.setResidentStatus(tx, id, body.reason, body.on);
    if (r.household_id && r.relation === 'head') await repo.setHouseholdHead(tx, r.household_id, null);
    if (r.household_id) await refreshDerivedTags(tx, { where: 'r.household_id = $1', params: [r.household_id] });
    await recordAudit(tx, ctx, {
      action: body.reason === 'deceased' ? 'resident.death' : 'resident.move_out',
      targetType: 'resident',
      targetId: id,
      targetLabel: maskName(r.name),
      scopePath: r.node_path,
      countyId: r.county_id,
      diff: {
        status: [r.status, body.reason],
        leftOn: [null, body.on],
        householdId: [r.household_id, body.reason === 'moved_out' ? null : r.household_id],
      },
      reason: body.note ?? null,
    });
  });
  return getResident(deps, ctx, id);
}

async function attachManualTag(
  q: Queryable,
  ctx: Ctx,
  residentId: number,
  countyId: number,
  tagId: number,
  reason: string,
) {
  const tag = await tagsRepo.findTag(q, tagId);
  if (!tag) throw new AppError('TAG_NOT_FOUND', { field: 'tagId' });
  if (tag.rule) throw new AppError('TAG_IS_DERIVED', { field: 'tagId', params: { name: tag.name } });
  if (tag.sensitive) assertPermission(ctx.principal, 'people.sensitive');
  return {
    tag,
    added: await repo.addResidentTag(q, {
      residentId,
      tagId,
      countyId,
      source: 'manual',
      reason,
      by: ctx.principal.userId || null,
    }),
  };
}

/** Sets a tag by hand, with the reason kept. @throws TAG_NOT_FOUND, TAG_IS_DERIVED */
export async function setResidentTag(
  deps: PeopleDeps,
  ctx: Ctx,
  id: number,
  body: SetTagBody,
): Promise<ResidentDetail> {
  const reason = requireReason(body.reason);
  await deps.db.transaction(async (tx) => {
    const r = await writableResident(tx, ctx, id);
    const { tag, added } = await attachManualTag(tx, ctx, id, r.county_id, body.tagId, reason);
    if (added) {
      await recordAudit(tx, ctx, {
        action: 'resident.tag_add',
        targetType: 'resident',
        targetId: id,
        targetLabel: maskName(r.name),
        scopePath: r.node_path,
        countyId: r.county_id,
        diff: { tag: [null, tag.name] },
        reason,
      });
    }
  });
  return getResident(deps, ctx, id);
}

/** @throws TAG_NOT_FOUND, TAG_IS_DERIVED */
export async function removeResidentTag(
  deps: PeopleDeps,
  ctx: Ctx,
  id: number,
  tagId: number,
): Promise<ResidentDetail> {
  await deps.db.transaction(async (tx) => {
    const r = await writableResident(tx, ctx, id);
    const tag = await tagsRepo.findTag(tx, tagId);
    if (!tag) throw new AppError('TAG_NOT_FOUND');
    if (tag.rule) throw new AppError('TAG_IS_DERIVED', { params: { name: tag.name } });
    if (tag.sensitive) assertPermission(ctx.principal, 'people.sensitive');
    if (await repo.removeResidentTag(tx, id, tagId)) {
      await recordAudit(tx, ctx, {
        action: 'resident.tag_remove',
        targetType: 'resident',
        targetId: id,
        targetLabel: maskName(r.name),
        scopePath: r.node_path,
        countyId: r.county_id,
        diff: { tag: [tag.name, null] },
      });
    }
  });
  return getResident(deps, ctx, id);
}

/** Shows an ID or phone number in full to a caller holding pii.reveal there, and records who, what and why. */
export async function revealResidentField(
  deps: PeopleDeps,
  ctx: Ctx,
  id: number,
  body: RevealResidentBody,
): Promise<{ value: string }> {
  const reason = requireReason(body.reason);
  return deps.db.transaction(async (tx) => {
    const r = await readableResident(tx, ctx, id);
    assertCan(ctx.principal, 'pii.reveal', r.node_path);
    const sealed = body.field === 'idNumber' ? r.id_sealed : r.phone_sealed;
    if (!sealed) throw new AppError('PII_FIELD_EMPTY', { field: 'field' });
    const value = deps.pii.open(sealed);
    await recordAudit(tx, ctx, {
      action: 'pii.reveal',
      targetType: 'resident',
      targetId: id,
      targetLabel: maskName(r.name),
      scopePath: r.node_path,
      countyId: r.county_id,
      diff: null,
      reason: `${body.field}: ${reason}`,
    });
    return { value };
  });
}

export async function addContact(deps: PeopleDeps, ctx: Ctx, id: number, body: ContactBody): Promise<ResidentDetail> {
  const phone = sealPhone(deps.pii, body.phone);
  // A contact to notify is nothing without a number.
  if (!phone?.sealed || !phone.hash || !phone.masked) throw new AppError('PHONE_INVALID', { field: 'phone' });
  const { sealed, hash, masked } = phone;
  await deps.db.transaction(async (tx) => {
    const r = await writableResident(tx, ctx, id);
    const contactId = await repo.insertContact(tx, {
      countyId: r.county_id,
      residentId: id,
      name: body.name.trim(),
      relation: body.relation.trim(),
      sealed,
      hash,
      masked,
    });
    await recordAudit(tx, ctx, {
      action: 'resident.contact_add',
      targetType: 'resident',
      targetId: id,
      targetLabel: maskName(r.name),
      scopePath: r.node_path,
      countyId: r.county_id,
      diff: {
        contact: [null, { id: contactId, name: body.name.trim(), relation: body.relation, phone: phone!.masked }],
      },
    });
  });
  return getResident(deps, ctx, id);
}

export async function removeContact(
  deps: PeopleDeps,
  ctx: Ctx,
  id: number,
  contactId: number,
): Promise<ResidentDetail> {
  await deps.db.transaction(async (tx) => {
    const r = await writableResident(tx, ctx, id);
    const c = await repo.deleteContact(tx, id, contactId);
    if (!c) throw new AppError('RESIDENT_NOT_FOUND');
    await recordAudit(tx, ctx, {
      action: 'resident.contact_remove',
      targetType: 'resident',
      targetId: id,
      targetLabel: maskName(r.name),
      scopePath: r.node_path,
      countyId: r.county_id,
      diff: { contact: [{ id: c.id, name: c.name, relation: c.relation, phone: c.phone_masked }, null] },
    });
  });
  return getResident(deps, ctx, id);
}
