/**
 * Time-bank requests (取时间): a member (or a family member for a relative in their household) asks for service and
 * pays in hours when it is done; their available hours (balance minus open requests' minutes) must cover it. A
 * worker may file one paid by the community. Matching ranks the community's available volunteers
 * (matching.logic.ts); a worker matches one (volunteers.manage) or a volunteer takes an open request of their
 * community. Done when its service record is confirmed (services.service.ts).
 * Scope: the request's place is the beneficiary's node; workers read with volunteers.read, change with
 * volunteers.manage; outside it a request is "not found". Residents act through /api/me on their own requests.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import * as notify from '../../platform/notify/notify.service.js';
import { nodePathInScope } from '../org/org.service.js';
import { communityOfNode, residentAccount } from '../points/ledger.repo.js';
import { availableMinutes, rankCandidates } from './matching.logic.js';
import type { TimebankDeps } from './services.service.js';
import { meResident, toRequest, toService } from './timebank.access.js';
import { TIMEBANK_NOTIFY } from './timebank.notify.js';
import * as repo from './timebank.repo.js';
import type {
  CandidateList,
  MyRequestCreate,
  MyTimebank,
  RequestCreate,
  RequestListQuery,
  RequestMatch,
  TimebankRequest,
  TimebankStats,
} from './timebank.schemas.js';

const PAST_SKEW_MS = 5 * 60_000;
/** How far back a no-show counts against a volunteer in matching. */
const NO_SHOW_WINDOW_MS = 90 * 86_400_000;
const notFound = () => new AppError('TIMEBANK_REQUEST_NOT_FOUND');

async function insert(
  tx: Queryable,
  ctx: Ctx,
  beneficiary: repo.ResidentRow,
  requesterId: number,
  payFrom: 'requester' | 'community',
  body: MyRequestCreate,
): Promise<repo.RequestRow> {
  if (new Date(body.wantedAt).getTime() < Date.now() - PAST_SKEW_MS)
    throw new AppError('TIMEBANK_IN_PAST', { field: 'wantedAt' });
  if (!(await communityOfNode(tx, Number(beneficiary.node_id))))
    throw new AppError('LEDGER_NO_COMMUNITY', { params: { target: beneficiary.name } });
  const id = await repo.insertRequest(tx, {
    countyId: Number(beneficiary.county_id),
    nodeId: Number(beneficiary.node_id),
    nodePath: beneficiary.node_path,
    requesterResidentId: requesterId,
    beneficiaryResidentId: Number(beneficiary.id),
    requestedBy: ctx.principal.userId,
    serviceType: body.serviceType,
    description: body.description ?? null,
    place: body.place ?? null,
    wantedAt: new Date(body.wantedAt),
    minutes: body.minutes,
    payFrom,
  });
  const row = (await repo.findRequest(tx, id))!;
  await recordAudit(tx, ctx, {
    action: 'timebank.request.create',
    targetType: 'timebank_request',
    targetId: id,
    targetLabel: row.beneficiary_name,
    scopePath: row.node_path,
    countyId: Number(row.county_id),
    after: {
      requesterResidentId: requesterId,
      beneficiaryResidentId: Number(beneficiary.id),
      serviceType: body.serviceType,
      minutes: body.minutes,
      payFrom,
      wantedAt: row.wanted_at.toISOString(),
    },
  });
  return row;
}

/**
 * A member asks for service for themselves or a member of their household, paid from their hours.
 * @throws LEDGER_NO_RESIDENT, TIMEBANK_NOT_FAMILY, TIMEBANK_IN_PAST, TIMEBANK_HOURS_SHORT
 */
export async function createMyRequest(deps: TimebankDeps, ctx: Ctx, body: MyRequestCreate): Promise<TimebankRequest> {
  return deps.db.transaction(async (tx) => {
    const me = await meResident(tx, ctx);
    const mine = Number(me.id);
    const beneficiary = await repo.findResident(tx, body.beneficiaryResidentId);
    const family =
      beneficiary !== null &&
      beneficiary.status === 'active' &&
      (Number(beneficiary.id) === mine ||
        (me.household_id !== null && Number(beneficiary.household_id) === Number(me.household_id)));
    if (!family || !beneficiary) throw new AppError('TIMEBANK_NOT_FAMILY', { field: 'beneficiaryResidentId' });
    // The account's row lock orders two requests of one requester, so their promises never pass the balance.
    const account = await residentAccount(tx, mine, 'hours');
    await tx.query('SELECT id FROM ledger_accounts WHERE id = $1 FOR UPDATE', [account.id]);
    const balance = await repo.hoursBalance(tx, mine);
    const available = availableMinutes(balance, await repo.reservedMinutes(tx, mine));
    if (available < body.minutes)
      throw new AppError('TIMEBANK_HOURS_SHORT', { field: 'minutes', params: { available, needed: body.minutes } });
    return toRequest(await insert(tx, ctx, beneficiary, mine, 'requester', body), mine);
  });
}

/**
 * A worker files a request paid by the community for a resident of their area (volunteers.manage).
 * @throws FORBIDDEN, RESIDENT_NOT_FOUND, TIMEBANK_IN_PAST
 */
export async function createRequest(deps: TimebankDeps, ctx: Ctx, body: RequestCreate): Promise<TimebankRequest> {
  assertPermission(ctx.principal, 'volunteers.manage');
  return deps.db.transaction(async (tx) => {
    const b = await repo.findResident(tx, body.beneficiaryResidentId);
    if (!b || b.status !== 'active' || !can(ctx.principal, 'volunteers.manage', b.node_path))
      throw new AppError('RESIDENT_NOT_FOUND', { field: 'beneficiaryResidentId' });
    return toRequest(await insert(tx, ctx, b, Number(b.id), 'community', body));
  });
}

/** Requests of the area (volunteers.read) by wanted time; `nodeId` narrows, `status` filters. */
export async function listRequests(
  deps: TimebankDeps,
  ctx: Ctx,
  query: RequestListQuery,
): Promise<{ items: TimebankRequest[] }> {
  assertPermission(ctx.principal, 'volunteers.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 'q.node_path')];
  const params: unknown[] = [];
  if (query.nodeId !== undefined) {
    const nodePath = await nodePathInScope(deps.db, ctx, 'volunteers.read', query.nodeId);
    params.push(nodePath);
    where.push(`q.node_path LIKE $${params.length} || '%'`);
  }
  if (query.status) {
    params.push(query.status);
    where.push(`q.status = $${params.length}`);
  }
  const rows = await repo.listRequests(deps.db, where.join(' AND '), params);
  return { items: rows.map((r) => toRequest(r)) };
}

async function rankFor(q: Queryable, req: repo.RequestRow) {
  const community = await communityOfNode(q, Number(req.node_id));
  if (!community) return [];
  const rows = await repo.candidates(
    q,
    community.path,
    [Number(req.requester_resident_id), Number(req.beneficiary_resident_id)],
    new Date(Date.now() - NO_SHOW_WINDOW_MS),
  );
  const communityDepth = community.path.split('/').filter(Boolean).length;
  return rankCandidates(
    { serviceType: req.service_type, nodePath: req.node_path, communityDepth },
    rows.map((r) => ({
      residentId: Number(r.resident_id),
      name: r.name,
      nodePath: r.node_path,
      skills: r.skills,
      openMatches: Number(r.open_matches),
      recentNoShows: Number(r.recent_no_shows),
    })),
  );
}

/** The community's available volunteers ranked for a request, with the reasons (volunteers.read). */
export async function candidates(deps: TimebankDeps, ctx: Ctx, id: number): Promise<CandidateList> {
  const req = await repo.findRequest(deps.db, id);
  if (!req || !can(ctx.principal, 'volunteers.read', req.node_path)) throw notFound();
  const ranked = await rankFor(deps.db, req);
  return {
    items: ranked.map((c) => ({
      residentId: c.residentId,
      name: c.name,
      skills: [...c.skills],
      openMatches: c.openMatches,
      recentNoShows: c.recentNoShows,
      rank: c.rank,
      skillMatch: c.skillMatch,
      place: c.place,
      reasons: c.reasons.map((r) => ({ ...r })),
    })),
  };
}

async function setMatched(tx: Queryable, ctx: Ctx, req: repo.RequestRow, volunteerId: number, action: string) {
  await repo.setRequestStatus(tx, Number(req.id), 'matched', {
    volunteerResidentId: volunteerId,
    by: ctx.principal.userId,
  });
  const row = (await repo.findRequest(tx, Number(req.id)))!;
  await recordAudit(tx, ctx, {
    action,
    targetType: 'timebank_request',
    targetId: Number(req.id),
    targetLabel: row.beneficiary_name,
    scopePath: row.node_path,
    countyId: Number(row.county_id),
    before: { status: req.status, volunteerResidentId: req.volunteer_resident_id },
    after: { status: 'matched', volunteerResidentId: volunteerId },
  });
  return row;
}

/**
 * Matches a request to one of its candidates (volunteers.manage) and tells the volunteer. An open request, or a
 * matched one without a service record yet (matched again to someone else).
 * @throws TIMEBANK_REQUEST_NOT_FOUND, FORBIDDEN, TIMEBANK_REQUEST_NOT_OPEN, TIMEBANK_REQUEST_HAS_SERVICE,
 *   TIMEBANK_VOLUNTEER_NOT_FOUND
 */
export async function match(deps: TimebankDeps, ctx: Ctx, id: number, body: RequestMatch): Promise<TimebankRequest> {
  return deps.db.transaction(async (tx) => {
    const req = await repo.findRequest(tx, id, true);
    if (!req) throw notFound();
    assertCan(ctx.principal, 'volunteers.manage', req.node_path, {
      readPermission: 'volunteers.read',
      notFound: notFound(),
    });
    if (req.status !== 'open' && req.status !== 'matched') throw new AppError('TIMEBANK_REQUEST_NOT_OPEN');
    if (await repo.requestHasLiveService(tx, id)) throw new AppError('TIMEBANK_REQUEST_HAS_SERVICE');
    const ranked = await rankFor(tx, req);
    if (!ranked.some((c) => c.residentId === body.volunteerResidentId))
      throw new AppError('TIMEBANK_VOLUNTEER_NOT_FOUND', { field: 'volunteerResidentId' });
    const row = await setMatched(tx, ctx, req, body.volunteerResidentId, 'timebank.request.match');
    await notify.send(tx, await repo.usersOfResident(tx, body.volunteerResidentId), TIMEBANK_NOTIFY.matched, {
      requestId: id,
      place: row.place ?? '',
      wanted: row.wanted_at.toISOString().slice(0, 16).replace('T', ' '),
      minutes: Number(row.minutes),
    });
    return toRequest(row);
  });
}

/**
 * A volunteer takes an open request of their community themself.
 * @throws LEDGER_NO_RESIDENT, TIMEBANK_NOT_VOLUNTEER, TIMEBANK_REQUEST_NOT_FOUND, TIMEBANK_REQUEST_NOT_OPEN,
 *   TIMEBANK_SELF_SERVICE
 */
export async function acceptMy(deps: TimebankDeps, ctx: Ctx, id: number): Promise<TimebankRequest> {
  return deps.db.transaction(async (tx) => {
    const me = await meResident(tx, ctx);
    const mine = Number(me.id);
    const v = await repo.findVolunteer(tx, mine);
    if (!v) throw new AppError('TIMEBANK_NOT_VOLUNTEER');
    const req = await repo.findRequest(tx, id, true);
    if (!req || !req.node_path.startsWith(me.community.path)) throw notFound();
    if (Number(req.requester_resident_id) === mine || Number(req.beneficiary_resident_id) === mine)
      throw new AppError('TIMEBANK_SELF_SERVICE');
    if (req.status !== 'open') throw new AppError('TIMEBANK_REQUEST_NOT_OPEN');
    return toRequest(await setMatched(tx, ctx, req, mine, 'timebank.request.accept'), mine);
  });
}

async function cancel(tx: Queryable, ctx: Ctx, req: repo.RequestRow): Promise<repo.RequestRow> {
  if (req.status !== 'open' && req.status !== 'matched') throw new AppError('TIMEBANK_REQUEST_NOT_OPEN');
  if (await repo.requestHasLiveService(tx, Number(req.id))) throw new AppError('TIMEBANK_REQUEST_HAS_SERVICE');
  await repo.setRequestStatus(tx, Number(req.id), 'cancelled');
  await recordAudit(tx, ctx, {
    action: 'timebank.request.cancel',
    targetType: 'timebank_request',
    targetId: Number(req.id),
    targetLabel: req.beneficiary_name,
    scopePath: req.node_path,
    countyId: Number(req.county_id),
    before: { status: req.status },
    after: { status: 'cancelled' },
  });
  return (await repo.findRequest(tx, Number(req.id)))!;
}

/** A worker cancels a request of their area (volunteers.manage). */
export async function cancelRequest(deps: TimebankDeps, ctx: Ctx, id: number): Promise<TimebankRequest> {
  return deps.db.transaction(async (tx) => {
    const req = await repo.findRequest(tx, id, true);
    if (!req) throw notFound();
    assertCan(ctx.principal, 'volunteers.manage', req.node_path, {
      readPermission: 'volunteers.read',
      notFound: notFound(),
    });
    return toRequest(await cancel(tx, ctx, req));
  });
}

/** The requester (or the member who filed it) cancels their own request. */
export async function cancelMyRequest(deps: TimebankDeps, ctx: Ctx, id: number): Promise<TimebankRequest> {
  return deps.db.transaction(async (tx) => {
    const me = await meResident(tx, ctx);
    const req = await repo.findRequest(tx, id, true);
    if (
      !req ||
      (Number(req.requester_resident_id) !== Number(me.id) && Number(req.requested_by) !== ctx.principal.userId)
    )
      throw notFound();
    return toRequest(await cancel(tx, ctx, req), Number(me.id));
  });
}

/** My hours, the services I gave and received, what awaits my confirmation, my requests and (a volunteer) theirs. */
export async function myTimebank(deps: TimebankDeps, ctx: Ctx): Promise<MyTimebank> {
  const q = deps.db;
  const me = await meResident(q, ctx);
  const mine = Number(me.id);
  const volunteer = (await repo.findVolunteer(q, mine)) !== null;
  const balance = await repo.hoursBalance(q, mine);
  const reserved = await repo.reservedMinutes(q, mine);
  const given = await repo.listServices(q, 's.volunteer_resident_id = $1', [mine], 50);
  const received = await repo.listServices(q, 's.recipient_resident_id = $1', [mine], 50);
  const awaiting = await repo.listServices(
    q,
    `s.status = 'pending' AND s.volunteer_resident_id <> $1
       AND (s.recipient_resident_id = $1 OR q.requester_resident_id = $1)`,
    [mine],
    50,
  );
  const requests = await repo.listRequests(
    q,
    `(q.requester_resident_id = $1 OR q.beneficiary_resident_id = $1 OR q.requested_by = $2)
       AND q.pay_from = 'requester'`,
    [mine, ctx.principal.userId],
    50,
  );
  const matched = volunteer
    ? await repo.listRequests(q, `q.volunteer_resident_id = $1 AND q.status = 'matched'`, [mine], 50)
    : [];
  const open = volunteer
    ? await repo.listRequests(
        q,
        `q.status = 'open' AND q.node_path LIKE $1 || '%' AND q.requester_resident_id <> $2
           AND q.beneficiary_resident_id <> $2 AND q.wanted_at >= now() - interval '1 day'`,
        [me.community.path, mine],
        30,
      )
    : [];
  return {
    residentId: mine,
    name: me.name,
    volunteer,
    balanceMinutes: balance,
    reservedMinutes: reserved,
    availableMinutes: availableMinutes(balance, reserved),
    given: given.map((s) => toService(s, mine)),
    received: received.map((s) => toService(s, mine)),
    awaitingMe: awaiting.map((s) => toService(s, mine)),
    requests: requests.map((r) => toRequest(r, mine)),
    matchedToMe: matched.map((r) => toRequest(r, mine)),
    openNearby: open.map((r) => toRequest(r, mine)),
  };
}

/** Hours deposited and withdrawn per community of the area, and the top volunteers by confirmed minutes. */
export async function stats(deps: TimebankDeps, ctx: Ctx): Promise<TimebankStats> {
  assertPermission(ctx.principal, 'volunteers.read');
  const scope = scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 's.node_path');
  const communities = await deps.db.query<{
    id: number;
    name: string;
    deposited: number;
    withdrawn: number;
    services: number;
    open_requests: number;
  }>(
    `SELECT c.id, c.name,
            coalesce(sum(s.minutes) FILTER (WHERE s.status = 'confirmed'), 0)::int AS deposited,
            coalesce(sum(s.minutes) FILTER (WHERE s.status = 'confirmed' AND q.pay_from = 'requester'), 0)::int
              AS withdrawn,
            count(s.id) FILTER (WHERE s.status = 'confirmed')::int AS services,
            (SELECT count(*)::int FROM timebank_requests o
              WHERE o.node_path LIKE c.path || '%' AND o.status IN ('open', 'matched')
                AND ${scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 'o.node_path')}) AS open_requests
       FROM timebank_services s
       LEFT JOIN timebank_requests q ON q.id = s.request_id
       JOIN org_nodes c ON s.node_path LIKE c.path || '%' AND c.type IN ('community', 'village')
      WHERE ${scope}
      GROUP BY c.id, c.name, c.path
      ORDER BY deposited DESC, c.id`,
  );
  const top = await deps.db.query<{ id: number; name: string; minutes: number; services: number }>(
    `SELECT r.id, r.name, sum(s.minutes)::int AS minutes, count(*)::int AS services
       FROM timebank_services s JOIN residents r ON r.id = s.volunteer_resident_id
      WHERE s.status = 'confirmed' AND ${scope}
      GROUP BY r.id, r.name ORDER BY minutes DESC, r.id LIMIT 10`,
  );
  return {
    communities: communities.map((c) => ({
      nodeId: Number(c.id),
      name: c.name,
      depositedMinutes: Number(c.deposited),
      withdrawnMinutes: Number(c.withdrawn),
      services: Number(c.services),
      openRequests: Number(c.open_requests),
    })),
    topVolunteers: top.map((t) => ({
      residentId: Number(t.id),
      name: t.name,
      minutes: Number(t.minutes),
      services: Number(t.services),
    })),
  };
}
