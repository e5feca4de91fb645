/**
 * Move-in requests (迁入申请). Registering or importing a person whose ID number is registered outside the
 * caller's area must not tell the caller where, or whom: it files a request to the community holding the person,
 * answered to the caller only as "submitted for review". The holding community (whoever holds people.write over
 * it: its community worker, the street above, a system administrator) accepts — the person moves to the requested
 * place, with history — or declines. Every clash is audited (`people.id_clash`, visible to the holder's side and
 * administrators, not to the requester), and a user who causes more than the daily limit is refused and reported.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit, requireReason } from '../../platform/audit/audit.js';
import type { AuditDiff } from '../../platform/audit/audit.logic.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import * as notify from '../../platform/notify/notify.service.js';
import { maskName, type PiiCipher } from '../../platform/pii/index.js';
import { findNodeById } from '../org/org.service.js';
import * as repo from './move-in.repo.js';
import type {
  AcceptMoveInBody,
  DeclineMoveInBody,
  MoveInFact,
  MoveInQuery,
  MoveInRequest,
  MoveInSubmitted,
} from './move-in.schemas.js';
import { inferFloor, namePinyin, type Relation } from './people.logic.js';
import { ID_CLASH_LIMIT, MOVE_IN_REQUESTED } from './people.notify.js';
import * as peopleRepo from './people.repo.js';
import { refreshDerivedTags } from './tags.service.js';

export type ClashLog = { warn(obj: unknown, msg?: string): void };

/** How many clashes a user may cause per day, and where a refusal is reported. */
export type ClashSettings = { dailyLimit: number; log?: ClashLog };

export type MoveInDeps = { db: Db; pii: PiiCipher } & Partial<ClashSettings>;

export const DEFAULT_ID_CLASH_DAILY_LIMIT = 20;

const SUBMITTED_MESSAGE = {
  'zh-CN': '已提交审核，结果可在“迁入申请 › 我提交的”中查看',
  en: 'Submitted for review; see Move-in requests › Submitted by me for the outcome',
} as const;

/** Midnight today in Asia/Shanghai, where the day of the limit starts. */
function startOfDayShanghai(now = new Date()): Date {
  const day = now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  return new Date(`${day}T00:00:00+08:00`);
}

/**
 * Counts a user's clashes against the daily limit, within one transaction (a registration, or a whole import
 * commit): the count is read once under a per-user lock, then kept here. Refusals are reported once, by
 * `reportRefusals`, before the transaction ends.
 */
export class ClashGate {
  private remaining: number | null = null;
  refused = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly settings: ClashSettings,
  ) {}

  /** Whether one more clash may become a request; false once the day's limit is used up. */
  async admit(q: Queryable): Promise<boolean> {
    const userId = this.ctx.principal.userId;
    // The system (command line without a user, start-up work) holds everything: no clash to limit.
    if (userId <= 0) return true;
    if (this.remaining === null) {
      await repo.lockClashCount(q, userId);
      this.remaining = this.settings.dailyLimit - (await repo.countClashesSince(q, userId, startOfDayShanghai()));
    }
    if (this.remaining > 0) {
      this.remaining--;
      return true;
    }
    this.refused++;
    return false;
  }

  /**
   * Tells the administrators that a user went over the limit: a warning in the log, an audit entry only
   * system-wide administrators read (no scope path, action `people.id_clash_limit`), and an urgent inbox alert
   * to the system administrators, once per user and day (the first refusal's count).
   */
  async reportRefusals(q: Queryable, where: 'registration' | 'import'): Promise<void> {
    if (this.refused === 0) return;
    const p = this.ctx.principal;
    this.settings.log?.warn(
      { userId: p.userId, username: p.username, refused: this.refused, limit: this.settings.dailyLimit, where },
      'ID clash limit reached: entries of people registered elsewhere refused',
    );
    await recordAudit(q, this.ctx, {
      action: 'people.id_clash_limit',
      targetType: 'user',
      targetId: p.userId,
      targetLabel: p.username,
      scopePath: null,
      countyId: null,
      diff: { refused: [null, this.refused], limit: [null, this.settings.dailyLimit] },
      reason: where,
    });
    await notify.send(
      q,
      await notify.systemAdministrators(q),
      ID_CLASH_LIMIT,
      {
        userId: p.userId,
        user: p.displayName,
        username: p.username,
        refused: this.refused,
        limit: this.settings.dailyLimit,
        where,
      },
      { once: { key: `user:${p.userId}`, since: startOfDayShanghai() } },
    );
  }
}

/** A person found registered outside the caller's area, and what the caller typed and where they want them. */
export type Clash = {
  resident: { id: number; nodePath: string; countyId: number };
  typed: {
    name: string;
    phone: { sealed: Buffer; masked: string } | null;
    ethnicity: string | null;
    hukouAddress: string | null;
    currentAddress: string | null;
    movedInOn: string | null;
  };
  dest: {
    nodeId: number;
    nodePath: string;
    countyId: number;
    houseId: number | null;
    roomNo: string | null;
    householdId: number | null;
    householdNo: string | null;
    relation: Relation | null;
  };
  source: 'api' | 'import';
  importId: number | null;
};

/**
 * Files a move-in request for a clash (or joins the caller's pending one for the same person) and audits the
 * clash where the holder's side can read it. Call after the gate admitted it, in the caller's transaction.
 */
export async function fileMoveInRequest(q: Queryable, ctx: Ctx, c: Clash): Promise<number> {
  const holder = (await repo.findCommunityOf(q, c.resident.nodePath)) ?? {
    id: Number(c.resident.nodePath.split('/').at(-2)),
    path: c.resident.nodePath,
  };
  const { id, isNew } = await repo.insertMoveIn(q, {
    countyId: c.dest.countyId,
    requesterId: ctx.principal.userId > 0 ? ctx.principal.userId : null,
    requesterName: ctx.principal.displayName,
    residentId: c.resident.id,
    holderNodeId: holder.id,
    holderPath: holder.path,
    destNodeId: c.dest.nodeId,
    destPath: c.dest.nodePath,
    houseId: c.dest.houseId,
    roomNo: c.dest.roomNo,
    householdId: c.dest.householdId,
    householdNo: c.dest.householdNo,
    relation: c.dest.relation,
    name: c.typed.name,
    phoneSealed: c.typed.phone?.sealed ?? null,
    phoneMasked: c.typed.phone?.masked ?? null,
    ethnicity: c.typed.ethnicity,
    hukouAddress: c.typed.hukouAddress,
    currentAddress: c.typed.currentAddress,
    movedInOn: c.typed.movedInOn,
    source: c.source,
    importId: c.importId,
  });
  await recordAudit(q, ctx, {
    action: 'people.id_clash',
    targetType: 'move_in_request',
    targetId: id,
    targetLabel: maskName(c.typed.name),
    // The holder's community reads it (and those above); the requester's scope does not reach it.
    scopePath: holder.path,
    countyId: c.resident.countyId,
    diff: { residentId: [null, c.resident.id], destNodeId: [null, c.dest.nodeId], source: [null, c.source] },
  });
  if (isNew) {
    const holders = await notify.nearestHolders(q, holder.path, 'people.write');
    await notify.send(
      q,
      holders.filter((u) => u !== ctx.principal.userId),
      MOVE_IN_REQUESTED,
      { moveInRequestId: id, name: c.typed.name, requester: ctx.principal.displayName, holderPath: holder.path },
    );
  }
  return id;
}

export function submittedAnswer(ctx: Ctx, moveInRequestId: number): MoveInSubmitted {
  return { status: 'review', moveInRequestId, message: SUBMITTED_MESSAGE[ctx.locale] };
}

// ---- reading ----------------------------------------------------------------------------------------

/** Whether the caller decides the request: people.write over the community holding the person. */
const holds = (ctx: Ctx, m: repo.MoveInRow) => can(ctx.principal, 'people.write', m.holder_path);
const isRequester = (ctx: Ctx, m: repo.MoveInRow) =>
  ctx.principal.userId > 0 && m.requester_id === ctx.principal.userId;

async function toView(q: Queryable, ctx: Ctx, m: repo.MoveInRow): Promise<MoveInRequest> {
  const view: MoveInRequest = {
    id: m.id,
    name: m.name,
    destNodeId: m.dest_node_id,
    destPlace: m.dest_place ?? '',
    roomNo: m.room_no,
    source: m.source,
    status: m.status,
    createdAt: m.created_at.toISOString(),
    decidedAt: m.decided_at?.toISOString() ?? null,
  };
  if (!holds(ctx, m)) return view;
  const r = await peopleRepo.findResident(q, m.resident_id);
  if (!r) return view;
  const sensitive = can(ctx.principal, 'people.sensitive', r.node_path);
  view.review = {
    requesterName: m.requester_name,
    phoneMasked: m.phone_masked,
    ethnicity: m.ethnicity,
    hukouAddress: m.hukou_address,
    currentAddress: m.current_address,
    movedInOn: m.moved_in_on,
    householdId: m.household_id,
    householdNo: m.household_no,
    relation: m.relation,
    declineReason: m.decline_reason,
    decidedByName: m.decided_by_name,
    resident: {
      id: r.id,
      name: sensitive ? r.name : maskName(r.name),
      sex: r.sex,
      idMasked: r.id_masked,
      place: r.place ?? '',
      status: r.status,
    },
  };
  return view;
}

/**
 * The caller's requests (`outgoing`: only what they submitted and the outcome) or those about people they hold
 * (`incoming`, the default: needs people.write).
 * @throws FORBIDDEN (incoming without people.write)
 */
export async function listMoveInRequests(
  deps: MoveInDeps,
  ctx: Ctx,
  query: MoveInQuery,
): Promise<{ items: MoveInRequest[]; total: number }> {
  const params: unknown[] = [];
  const where: string[] = [];
  if ((query.box ?? 'incoming') === 'incoming') {
    assertPermission(ctx.principal, 'people.write');
    where.push(scopeSql(scopeFor(ctx.principal, 'people.write'), 'm.holder_path'));
  } else {
    params.push(ctx.principal.userId);
    where.push(`m.requester_id = $${params.length}`);
  }
  if (query.status) {
    params.push(query.status);
    where.push(`m.status = $${params.length}`);
  }
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listMoveIns(deps.db, {
    where,
    params,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  // An outgoing list shows the requester's own view even to someone who also holds the person.
  const box = query.box ?? 'incoming';
  const items = await Promise.all(
    rows.map(async (m) => {
      const v = await toView(deps.db, ctx, m);
      if (box === 'outgoing') delete v.review;
      return v;
    }),
  );
  return { items, total };
}

/** One request, to its requester or to those who decide it; anyone else is told it does not exist. */
async function visibleMoveIn(q: Queryable, ctx: Ctx, id: number, forUpdate = false): Promise<repo.MoveInRow> {
  const m = await repo.findMoveIn(q, id, forUpdate);
  if (!m || !(holds(ctx, m) || isRequester(ctx, m))) throw new AppError('MOVE_IN_REQUEST_NOT_FOUND');
  return m;
}

/** @throws MOVE_IN_REQUEST_NOT_FOUND */
export async function getMoveInRequest(deps: MoveInDeps, ctx: Ctx, id: number): Promise<MoveInRequest> {
  return toView(deps.db, ctx, await visibleMoveIn(deps.db, ctx, id));
}

/** A pending request the caller decides, locked for the decision. */
async function decidable(q: Queryable, ctx: Ctx, id: number): Promise<repo.MoveInRow> {
  const m = await visibleMoveIn(q, ctx, id, true);
  // The requester may follow their request, not decide it.
  if (!holds(ctx, m)) throw new AppError('FORBIDDEN');
  if (m.status !== 'pending') throw new AppError('MOVE_IN_REQUEST_DECIDED');
  return m;
}

function today(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

// ---- deciding -----------------------------------------------------------------------------------------

/**
 * Accepts a request: the person moves to the requested place (house and household as asked, found or made),
 * active again if they had moved out; of the facts the requester typed, only those in `adopt` replace the stored
 * ones. One history entry (`resident.move_in`) records the move, readable where the person now lives.
 * @throws MOVE_IN_REQUEST_NOT_FOUND, FORBIDDEN (the requester), MOVE_IN_REQUEST_DECIDED, OUT_OF_SCOPE (the person
 *   has left the holder's area since), RESIDENT_NOT_ACTIVE (died), ORG_NODE_NOT_FOUND (the place was retired)
 */
export async function acceptMoveInRequest(
  deps: MoveInDeps,
  ctx: Ctx,
  id: number,
  body: AcceptMoveInBody,
): Promise<MoveInRequest> {
  await deps.db.transaction(async (tx) => {
    const m = await decidable(tx, ctx, id);
    const r = await peopleRepo.findResident(tx, m.resident_id, true);
    if (!r) throw new AppError('RESIDENT_NOT_FOUND');
    if (!can(ctx.principal, 'people.write', r.node_path)) throw new AppError('OUT_OF_SCOPE');
    if (r.status === 'deceased') throw new AppError('RESIDENT_NOT_ACTIVE');
    const dest = await findNodeById(tx, m.dest_node_id);
    if (!dest || dest.status !== 'active') throw new AppError('ORG_NODE_NOT_FOUND');

    let houseId = m.house_id;
    if (houseId === null && m.room_no) {
      houseId =
        (await peopleRepo.findHouseIdByRoom(tx, dest.id, m.room_no)) ??
        (await peopleRepo.insertHouse(tx, {
          countyId: dest.county_id,
          nodeId: dest.id,
          nodePath: dest.path,
          roomNo: m.room_no,
          floor: inferFloor(m.room_no),
          use: 'owner_occupied',
          area: null,
          address: null,
        }));
    }
    let householdId = m.household_id;
    if (householdId === null && m.household_no) {
      householdId =
        (await peopleRepo.findHouseholdIdByNo(tx, dest.county_id, m.household_no)) ??
        (await peopleRepo.insertHousehold(tx, {
          countyId: dest.county_id,
          nodeId: dest.id,
          nodePath: dest.path,
          houseId,
          householdNo: m.household_no,
        }));
    }
    const household = householdId ? await peopleRepo.findHousehold(tx, householdId) : undefined;
    let relation: Relation | null = household ? (m.relation ?? 'other') : null;
    if (relation === 'head' && household?.head_resident_id && household.head_resident_id !== r.id) relation = 'other';

    const adopt = new Set<MoveInFact>(body.adopt ?? []);
    const name = adopt.has('name') ? m.name : r.name;
    const py = namePinyin(name);
    const phone = adopt.has('phone')
      ? m.phone_sealed
        ? {
            sealed: Buffer.from(m.phone_sealed),
            hash: deps.pii.hash(deps.pii.open(m.phone_sealed), 'phone'),
            masked: m.phone_masked,
          }
        : { sealed: null, hash: null, masked: null }
      : undefined;
    const next = {
      name,
      namePinyin: py.full,
      nameInitials: py.initials,
      phone,
      ethnicity: adopt.has('ethnicity') ? m.ethnicity : r.ethnicity,
      hukouAddress: adopt.has('hukouAddress') ? m.hukou_address : r.hukou_address,
      currentAddress: adopt.has('currentAddress') ? m.current_address : r.current_address,
      nodeId: dest.id,
      nodePath: dest.path,
      countyId: dest.county_id,
      houseId: household ? (household.house_id ?? houseId) : houseId,
    };
    const previousHousehold = r.household_id;
    if (previousHousehold && r.relation === 'head' && previousHousehold !== household?.id)
      await peopleRepo.setHouseholdHead(tx, previousHousehold, null);
    await peopleRepo.updateResident(tx, r.id, next);
    await peopleRepo.setHousehold(tx, r.id, household?.id ?? null, relation);
    if (household && relation === 'head') await peopleRepo.setHouseholdHead(tx, household.id, r.id);
    const movedInOn = m.moved_in_on ?? today();
    await peopleRepo.reactivateResident(tx, r.id, movedInOn);
    await refreshDerivedTags(tx, {
      where: 'r.id = $1 OR r.household_id = ANY($2::bigint[])',
      params: [r.id, [previousHousehold, household?.id].filter((x): x is number => typeof x === 'number')],
    });
    await repo.decideMoveIn(tx, m.id, {
      status: 'accepted',
      by: ctx.principal.userId > 0 ? ctx.principal.userId : null,
      byName: ctx.principal.displayName,
      reason: null,
    });
    const diff: AuditDiff = {
      nodeId: [r.node_id, dest.id],
      houseId: [r.house_id, next.houseId],
      householdId: [previousHousehold, household?.id ?? null],
      relation: [r.relation, relation],
      status: [r.status, 'active'],
      moveInRequestId: [null, m.id],
    };
    if (adopt.has('name') && name !== r.name) diff.name = [r.name, name];
    if (phone) diff.phone = [r.phone_masked, phone.masked];
    if (next.ethnicity !== r.ethnicity) diff.ethnicity = [r.ethnicity, next.ethnicity];
    if (next.hukouAddress !== r.hukou_address) diff.hukouAddress = [r.hukou_address, next.hukouAddress];
    if (next.currentAddress !== r.current_address) diff.currentAddress = [r.current_address, next.currentAddress];
    await recordAudit(tx, ctx, {
      action: 'resident.move_in',
      targetType: 'resident',
      targetId: r.id,
      targetLabel: maskName(name),
      scopePath: dest.path,
      countyId: dest.county_id,
      diff,
      reason: body.note?.trim() || null,
    });
  });
  return getMoveInRequest(deps, ctx, id);
}

/**
 * Declines a request with a reason (kept for the holder's side; the requester sees only "declined").
 * @throws MOVE_IN_REQUEST_NOT_FOUND, FORBIDDEN (the requester), MOVE_IN_REQUEST_DECIDED
 */
export async function declineMoveInRequest(
  deps: MoveInDeps,
  ctx: Ctx,
  id: number,
  body: DeclineMoveInBody,
): Promise<MoveInRequest> {
  const reason = requireReason(body.reason);
  await deps.db.transaction(async (tx) => {
    const m = await decidable(tx, ctx, id);
    await repo.decideMoveIn(tx, m.id, {
      status: 'declined',
      by: ctx.principal.userId > 0 ? ctx.principal.userId : null,
      byName: ctx.principal.displayName,
      reason,
    });
    await recordAudit(tx, ctx, {
      action: 'move_in.decline',
      targetType: 'move_in_request',
      targetId: m.id,
      targetLabel: maskName(m.name),
      scopePath: m.holder_path,
      countyId: m.county_id,
      diff: { status: ['pending', 'declined'] },
      reason,
    });
  });
  return getMoveInRequest(deps, ctx, id);
}
