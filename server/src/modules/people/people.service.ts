/**
 * What the residents, households and houses services share: the module's deps and hooks, the guards that find
 * a record in the caller's scope (or refuse it), and the shapes a reader sees (masked without people.sensitive).
 * The use cases live by what they serve: `residents.service.ts` (search, register, edit, leave, tags, contacts,
 * reveal), `households.service.ts`, `houses.service.ts` (houses and the building map).
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, can } from '../../platform/access/scope.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskName, maskPhone, type PiiCipher, parsePhone } from '../../platform/pii/index.js';
import { addRetireGuard, addSubtreeMoveHook, findNodeById } from '../org/org.service.js';
import * as moveInRepo from './move-in.repo.js';
import type { ClashLog } from './move-in.service.js';
import { ageOn } from './people.logic.js';
import * as repo from './people.repo.js';
import type { Household, ResidentSummary } from './people.schemas.js';

export type PeopleDeps = {
  db: Db;
  pii: PiiCipher;
  /** Clashes with people registered outside the caller's area allowed per user and day (default 20). */
  idClashDailyLimit?: number;
  log?: ClashLog;
};

const PLACE_TYPES = ['grid', 'micro_grid', 'building', 'unit'];

/** The org module keeps our copies of node paths right, and will not retire a node people still live in. */
let hooksRegistered = false;

export function registerPeopleHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  addSubtreeMoveHook(async (q, m) => {
    await repo.rewritePaths(q, m.oldPath, m.newPath, m.countyId);
    await moveInRepo.rewriteMoveInPaths(q, m.oldPath, m.newPath);
  });
  addRetireGuard(async (q, node) => {
    const n = await repo.countLivingUnder(q, node.path);
    const count = n.residents + n.houses;
    return count > 0 ? new AppError('ORG_NODE_HAS_PEOPLE', { params: { count } }) : null;
  });
}

export function todayShanghai(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

export const seesSensitive = (ctx: Ctx, path: string | null) => can(ctx.principal, 'people.sensitive', path);

export function toSummary(ctx: Ctx, r: repo.ResidentRow, today: string): ResidentSummary {
  const sensitive = seesSensitive(ctx, r.node_path);
  return {
    id: r.id,
    name: sensitive ? r.name : maskName(r.name),
    sex: r.sex,
    age: ageOn(r.birth_date, today),
    birthDate: sensitive ? r.birth_date : `${r.birth_date.slice(0, 4)}-**-**`,
    idMasked: r.id_masked,
    phoneMasked: r.phone_masked,
    nodeId: r.node_id,
    place: r.place ?? '',
    houseId: r.house_id,
    roomNo: r.room_no,
    householdId: r.household_id,
    relation: r.relation,
    status: r.status,
    tags: r.tags.filter((t) => sensitive || !t.sensitive),
  };
}

export async function readableResident(
  q: Queryable,
  ctx: Ctx,
  id: number,
  forUpdate = false,
): Promise<repo.ResidentRow> {
  const r = await repo.findResident(q, id, forUpdate);
  if (!r || !can(ctx.principal, 'people.read', r.node_path)) throw new AppError('RESIDENT_NOT_FOUND');
  return r;
}

export async function writableResident(q: Queryable, ctx: Ctx, id: number): Promise<repo.ResidentRow> {
  const r = await readableResident(q, ctx, id, true);
  assertCan(ctx.principal, 'people.write', r.node_path);
  return r;
}

/** A node people may live in, inside the caller's write scope. */
export async function placeNode(q: Queryable, ctx: Ctx, nodeId: number, field = 'nodeId') {
  const node = await findNodeById(q, nodeId);
  if (!node || node.status !== 'active' || !can(ctx.principal, 'org.read', node.path))
    throw new AppError('ORG_NODE_NOT_FOUND', { field });
  if (!PLACE_TYPES.includes(node.type)) throw new AppError('RESIDENT_NODE_INVALID', { field });
  assertCan(ctx.principal, 'people.write', node.path);
  return node;
}

export function sealPhone(pii: PiiCipher, raw: string | null | undefined, field = 'phone') {
  if (raw === undefined) return undefined;
  if (raw === null || raw.trim() === '') return { sealed: null, hash: null, masked: null };
  const p = parsePhone(raw);
  if (!p.ok) throw new AppError('PHONE_INVALID', { field });
  return { sealed: pii.seal(p.value), hash: pii.hash(p.value, 'phone'), masked: maskPhone(p.value) };
}

/**
 * A resident's house lies on their place's line: at or below it (a grid's person in one of its buildings), or
 * above it (a room kept at the building, the person at its unit); never in another branch.
 * @throws RESIDENT_HOUSE_ELSEWHERE
 */
export function houseAtPlace(house: repo.HouseRow, placePath: string): number {
  if (!house.node_path.startsWith(placePath) && !placePath.startsWith(house.node_path))
    throw new AppError('RESIDENT_HOUSE_ELSEWHERE', { field: 'houseId' });
  return house.id;
}

export async function houseInScope(q: Queryable, ctx: Ctx, id: number, field?: string): Promise<repo.HouseRow> {
  const h = await repo.findHouse(q, id);
  if (!h || !can(ctx.principal, 'people.read', h.node_path))
    throw new AppError('HOUSE_NOT_FOUND', field ? { field } : {});
  return h;
}

export async function toHousehold(q: Queryable, ctx: Ctx, id: number, today: string): Promise<Household | null> {
  const hh = await repo.findHousehold(q, id);
  if (!hh || !can(ctx.principal, 'people.read', hh.node_path)) return null;
  const sensitive = seesSensitive(ctx, hh.node_path);
  return {
    id: hh.id,
    householdNo: hh.household_no,
    headResidentId: hh.head_resident_id,
    houseId: hh.house_id,
    nodeId: hh.node_id,
    place: hh.place ?? '',
    members: hh.members
      .filter((m) => can(ctx.principal, 'people.read', m.node_path))
      .map((m) => ({
        id: m.id,
        name: sensitive ? m.name : maskName(m.name),
        relation: m.relation,
        sex: m.sex,
        age: ageOn(m.birth_date, today),
        status: m.status as 'active',
      })),
  };
}
