/**
 * Time-bank service records (存时间): a volunteer records minutes of service to a person (on the phone, or a worker
 * for them); the person served (their own account, or the family member who asked for it) or a worker confirms it,
 * never the volunteer. Confirmed, the hours go to the volunteer's hours account in the same transaction: from the
 * community's hours issuer (kind 'service'), or from the requester's hours account when the record answers a request
 * they pay for (kind 'withdraw'; short → LEDGER_INSUFFICIENT_BALANCE and nothing changes). Key
 * `timebank:service:<id>`, so a record is paid once.
 * Scope: a worker reads with volunteers.read and changes with volunteers.manage over the place of the service (the
 * recipient's node); outside it a record is "not found".
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import * as notify from '../../platform/notify/notify.service.js';
import { maskName } from '../../platform/pii/index.js';
import { nodePathInScope } from '../org/org.service.js';
import { communityOfNode, issuerAccount, postTransfer, residentAccount } from '../points/ledger.repo.js';
import { meResident, ownResidentId, toService } from './timebank.access.js';
import { TIMEBANK_NOTIFY } from './timebank.notify.js';
import * as repo from './timebank.repo.js';
import type {
  MyServiceCreate,
  PeopleQuery,
  PersonList,
  ServiceCreate,
  ServiceListQuery,
  ServiceRecord,
  ServiceReject,
} from './timebank.schemas.js';

export type TimebankDeps = { db: Db };

/** How far ahead of the server's clock a phone's servedAt may be. */
const FUTURE_SKEW_MS = 5 * 60_000;
const notFound = () => new AppError('TIMEBANK_SERVICE_NOT_FOUND');

// ---------------------------------------------------------------------------------------------------------------
// Recording

type Recording = {
  volunteer: repo.ResidentRow;
  body: MyServiceCreate;
  /** Whether the recipient lies where the recorder may act (the volunteer's community, or a worker's scope). */
  recipientAllowed: (r: repo.ResidentRow) => boolean;
};

async function record(tx: Queryable, ctx: Ctx, x: Recording, viewer?: number): Promise<ServiceRecord> {
  const { body, volunteer } = x;
  if (new Date(body.servedAt).getTime() > Date.now() + FUTURE_SKEW_MS)
    throw new AppError('TIMEBANK_IN_FUTURE', { field: 'servedAt' });
  if (body.recipientResidentId === Number(volunteer.id))
    throw new AppError('TIMEBANK_SELF_SERVICE', { field: 'recipientResidentId' });
  let requestId: number | null = null;
  const recipient = await repo.findResident(tx, body.recipientResidentId);
  if (body.requestId !== undefined) {
    const req = await repo.findRequest(tx, body.requestId, true);
    if (
      !req ||
      !(x.recipientAllowed(await residentAt(tx, req)) || Number(req.volunteer_resident_id) === Number(volunteer.id))
    )
      throw new AppError('TIMEBANK_REQUEST_NOT_FOUND', { field: 'requestId' });
    if (req.status !== 'matched') throw new AppError('TIMEBANK_REQUEST_NOT_OPEN', { field: 'requestId' });
    if (Number(req.volunteer_resident_id) !== Number(volunteer.id))
      throw new AppError('TIMEBANK_REQUEST_NOT_YOURS', { field: 'requestId' });
    if (Number(req.beneficiary_resident_id) !== body.recipientResidentId)
      throw new AppError('VALIDATION', {
        field: 'recipientResidentId',
        params: { field: 'recipientResidentId', detail: 'must be the request’s beneficiary' },
      });
    if (await repo.requestHasLiveService(tx, Number(req.id)))
      throw new AppError('TIMEBANK_REQUEST_HAS_SERVICE', { field: 'requestId' });
    requestId = Number(req.id);
  } else if (!recipient || recipient.status !== 'active' || !x.recipientAllowed(recipient)) {
    throw new AppError('TIMEBANK_RECIPIENT_NOT_FOUND', { field: 'recipientResidentId' });
  }
  if (!recipient) throw new AppError('TIMEBANK_RECIPIENT_NOT_FOUND', { field: 'recipientResidentId' });
  const id = await repo.insertService(tx, {
    countyId: Number(recipient.county_id),
    nodeId: Number(recipient.node_id),
    nodePath: recipient.node_path,
    volunteerResidentId: Number(volunteer.id),
    recipientResidentId: Number(recipient.id),
    requestId,
    serviceType: body.serviceType,
    servedAt: new Date(body.servedAt),
    minutes: body.minutes,
    note: body.note ?? null,
    recordedBy: ctx.principal.userId,
  });
  const row = (await repo.findService(tx, id))!;
  await recordAudit(tx, ctx, {
    action: 'timebank.service.record',
    targetType: 'timebank_service',
    targetId: id,
    targetLabel: `${row.volunteer_name} → ${row.recipient_name}`,
    scopePath: row.node_path,
    countyId: Number(row.county_id),
    after: {
      volunteerResidentId: Number(volunteer.id),
      recipientResidentId: Number(recipient.id),
      requestId,
      serviceType: body.serviceType,
      minutes: body.minutes,
      servedAt: row.served_at.toISOString(),
    },
  });
  const confirmers = new Set(await repo.usersOfResident(tx, Number(recipient.id)));
  if (row.requester_resident_id !== null)
    for (const u of await repo.usersOfResident(tx, Number(row.requester_resident_id))) confirmers.add(u);
  await notify.send(tx, [...confirmers], TIMEBANK_NOTIFY.confirmAsked, {
    serviceId: id,
    volunteer: maskName(row.volunteer_name),
    recipient: maskName(row.recipient_name),
    minutes: body.minutes,
  });
  return toService(row, viewer);
}

/** The resident a request is for, as a place to check scope against. */
async function residentAt(tx: Queryable, req: repo.RequestRow): Promise<repo.ResidentRow> {
  return (await repo.findResident(tx, Number(req.beneficiary_resident_id)))!;
}

/**
 * A volunteer records a service they gave (201, pending). The recipient lives in the volunteer's community, or is
 * the beneficiary of a request matched to them.
 * @throws LEDGER_NO_RESIDENT, TIMEBANK_NOT_VOLUNTEER, TIMEBANK_RECIPIENT_NOT_FOUND, TIMEBANK_SELF_SERVICE,
 *   TIMEBANK_IN_FUTURE, TIMEBANK_REQUEST_NOT_FOUND|NOT_OPEN|NOT_YOURS|HAS_SERVICE
 */
export async function recordMyService(deps: TimebankDeps, ctx: Ctx, body: MyServiceCreate): Promise<ServiceRecord> {
  return deps.db.transaction(async (tx) => {
    const me = await meResident(tx, ctx);
    if (!(await repo.findVolunteer(tx, Number(me.id)))) throw new AppError('TIMEBANK_NOT_VOLUNTEER');
    return record(
      tx,
      ctx,
      { volunteer: me, body, recipientAllowed: (r) => r.node_path.startsWith(me.community.path) },
      Number(me.id),
    );
  });
}

/**
 * A worker records a service for a volunteer (volunteers.manage over both the volunteer and the recipient).
 * @throws FORBIDDEN, TIMEBANK_VOLUNTEER_NOT_FOUND, TIMEBANK_RECIPIENT_NOT_FOUND and the phone's refusals
 */
export async function recordService(deps: TimebankDeps, ctx: Ctx, body: ServiceCreate): Promise<ServiceRecord> {
  const p = ctx.principal;
  assertPermission(p, 'volunteers.manage');
  return deps.db.transaction(async (tx) => {
    const volunteer = await repo.findResident(tx, body.volunteerResidentId);
    if (
      !volunteer ||
      !can(p, 'volunteers.manage', volunteer.node_path) ||
      !(await repo.findVolunteer(tx, Number(volunteer.id)))
    )
      throw new AppError('TIMEBANK_VOLUNTEER_NOT_FOUND', { field: 'volunteerResidentId' });
    const { volunteerResidentId: _, ...rest } = body;
    return record(tx, ctx, {
      volunteer,
      body: rest,
      recipientAllowed: (r) => can(p, 'volunteers.manage', r.node_path),
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Confirming

type Decision = { confirm: true } | { confirm: false; reason: string };

async function decide(tx: Queryable, ctx: Ctx, row: repo.ServiceRow, d: Decision): Promise<repo.ServiceRow> {
  if (row.status !== 'pending') throw new AppError('TIMEBANK_ALREADY_DECIDED');
  const id = Number(row.id);
  let transferId: number | null = null;
  if (d.confirm) {
    const to = await residentAccount(tx, Number(row.volunteer_resident_id), 'hours');
    let fromId: number;
    let kind: 'service' | 'withdraw';
    if (row.pay_from === 'requester' && row.requester_resident_id !== null) {
      fromId = (await residentAccount(tx, Number(row.requester_resident_id), 'hours')).id;
      kind = 'withdraw';
    } else {
      const community = await communityOfNode(tx, Number(row.node_id));
      if (!community) throw new AppError('LEDGER_NO_COMMUNITY', { params: { target: row.recipient_name } });
      fromId = (await issuerAccount(tx, community.id, 'hours')).id;
      kind = 'service';
    }
    const t = await postTransfer(tx, {
      currency: 'hours',
      kind,
      amount: Number(row.minutes),
      fromAccountId: fromId,
      toAccountId: to.id,
      reason: `时间银行服务 ${row.service_type} ${row.minutes} 分钟`,
      sourceType: 'timebank_service',
      sourceId: id,
      idempotencyKey: `timebank:service:${id}`,
      operatorId: ctx.principal.userId > 0 ? ctx.principal.userId : null,
    });
    if (!t.created) throw new AppError('TIMEBANK_ALREADY_DECIDED');
    transferId = t.id;
    await tx.query(
      `UPDATE timebank_services SET status = 'confirmed', confirmed_by = $2, confirmed_at = now(), transfer_id = $3
        WHERE id = $1`,
      [id, ctx.principal.userId > 0 ? ctx.principal.userId : null, transferId],
    );
    if (row.request_id !== null) await repo.setRequestStatus(tx, Number(row.request_id), 'done');
  } else {
    await tx.query(
      `UPDATE timebank_services SET status = 'rejected', confirmed_by = $2, confirmed_at = now(), reject_reason = $3
        WHERE id = $1`,
      [id, ctx.principal.userId > 0 ? ctx.principal.userId : null, d.reason],
    );
  }
  await recordAudit(tx, ctx, {
    action: d.confirm ? 'timebank.service.confirm' : 'timebank.service.reject',
    targetType: 'timebank_service',
    targetId: id,
    targetLabel: `${row.volunteer_name} → ${row.recipient_name}`,
    scopePath: row.node_path,
    countyId: Number(row.county_id),
    before: { status: 'pending' },
    after: d.confirm ? { status: 'confirmed', transferId } : { status: 'rejected', reason: d.reason },
  });
  await notify.send(tx, await repo.usersOfResident(tx, Number(row.volunteer_resident_id)), TIMEBANK_NOTIFY.decided, {
    serviceId: id,
    recipient: maskName(row.recipient_name),
    minutes: Number(row.minutes),
    outcome: d.confirm ? '确认，时间已存入' : `退回：${d.confirm ? '' : d.reason}`,
    outcomeEn: d.confirm ? 'confirmed, the hours are deposited' : `rejected: ${d.confirm ? '' : d.reason}`,
  });
  return (await repo.findService(tx, id))!;
}

/**
 * The person served (or the family member who asked) confirms or rejects a record on their phone.
 * @throws LEDGER_NO_RESIDENT, TIMEBANK_SERVICE_NOT_FOUND, TIMEBANK_SELF_CONFIRM, TIMEBANK_ALREADY_DECIDED,
 *   LEDGER_INSUFFICIENT_BALANCE (the requester's hours are short)
 */
export async function decideMyService(deps: TimebankDeps, ctx: Ctx, id: number, d: Decision): Promise<ServiceRecord> {
  return deps.db.transaction(async (tx) => {
    const me = await meResident(tx, ctx);
    const row = await repo.findService(tx, id, true);
    if (!row) throw notFound();
    const mine = Number(me.id);
    if (Number(row.volunteer_resident_id) === mine) throw new AppError('TIMEBANK_SELF_CONFIRM');
    if (Number(row.recipient_resident_id) !== mine && Number(row.requester_resident_id) !== mine) throw notFound();
    return toService(await decide(tx, ctx, row, d), mine);
  });
}

/**
 * A worker confirms or rejects a record in their area (volunteers.manage), unless they are its volunteer.
 * @throws TIMEBANK_SERVICE_NOT_FOUND, FORBIDDEN, TIMEBANK_SELF_CONFIRM, TIMEBANK_ALREADY_DECIDED,
 *   LEDGER_INSUFFICIENT_BALANCE
 */
export async function decideService(deps: TimebankDeps, ctx: Ctx, id: number, d: Decision): Promise<ServiceRecord> {
  return deps.db.transaction(async (tx) => {
    const row = await repo.findService(tx, id, true);
    if (!row) throw notFound();
    assertCan(ctx.principal, 'volunteers.manage', row.node_path, {
      readPermission: 'volunteers.read',
      notFound: notFound(),
    });
    if ((await ownResidentId(tx, ctx)) === Number(row.volunteer_resident_id))
      throw new AppError('TIMEBANK_SELF_CONFIRM');
    return toService(await decide(tx, ctx, row, d));
  });
}

export const confirmOf = (): Decision => ({ confirm: true });
export const rejectOf = (body: ServiceReject): Decision => ({ confirm: false, reason: body.reason });

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** Service records of the area (volunteers.read), newest first; `nodeId` narrows to a node in scope. */
export async function listServices(
  deps: TimebankDeps,
  ctx: Ctx,
  query: ServiceListQuery,
): Promise<{ items: ServiceRecord[] }> {
  assertPermission(ctx.principal, 'volunteers.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 's.node_path')];
  const params: unknown[] = [];
  if (query.nodeId !== undefined) {
    const nodePath = await nodePathInScope(deps.db, ctx, 'volunteers.read', query.nodeId);
    params.push(nodePath);
    where.push(`s.node_path LIKE $${params.length} || '%'`);
  }
  if (query.status) {
    params.push(query.status);
    where.push(`s.status = $${params.length}`);
  }
  const rows = await repo.listServices(deps.db, where.join(' AND '), params);
  return { items: rows.map((r) => toService(r)) };
}

/**
 * People a volunteer may record a service to: active residents of their community by name (and room), names
 * masked, at most 10.
 * @throws LEDGER_NO_RESIDENT, TIMEBANK_NOT_VOLUNTEER
 */
export async function findPeople(deps: TimebankDeps, ctx: Ctx, query: PeopleQuery): Promise<PersonList> {
  const me = await meResident(deps.db, ctx);
  if (!(await repo.findVolunteer(deps.db, Number(me.id)))) throw new AppError('TIMEBANK_NOT_VOLUNTEER');
  const rows = await deps.db.query<{ id: number; name: string; unit: string | null; room_no: string | null }>(
    `SELECT r.id, r.name, n.name AS unit, h.room_no
       FROM residents r JOIN org_nodes n ON n.id = r.node_id LEFT JOIN houses h ON h.id = r.house_id
      WHERE r.status = 'active' AND r.node_path LIKE $1 || '%' AND r.id <> $2
        AND r.name = $3 AND ($4::text IS NULL OR h.room_no = $4)
      ORDER BY r.id LIMIT 10`,
    [me.community.path, me.id, query.name, query.room ?? null],
  );
  return {
    items: rows.map((r) => ({
      residentId: Number(r.id),
      name: maskName(r.name),
      placeLabel: [r.unit, r.room_no].filter(Boolean).join(' '),
    })),
  };
}
