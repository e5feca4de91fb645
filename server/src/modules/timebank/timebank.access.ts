import type { Ctx } from '../../platform/access/context.js';
import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskName } from '../../platform/pii/index.js';
import { communityOfNode } from '../points/ledger.repo.js';
import * as repo from './timebank.repo.js';
import type { ServiceRecord, TimebankRequest } from './timebank.schemas.js';

/** Who the caller is in the time bank: the resident their account is linked to (else LEDGER_NO_RESIDENT). */
export async function meResident(
  q: Queryable,
  ctx: Ctx,
): Promise<repo.ResidentRow & { community: { id: number; path: string } }> {
  const id = await repo.residentOfUser(q, ctx.principal.userId);
  const r = id === null ? null : await repo.findResident(q, id);
  if (!r) throw new AppError('LEDGER_NO_RESIDENT');
  const c = await communityOfNode(q, Number(r.node_id));
  if (!c) throw new AppError('LEDGER_NO_COMMUNITY', { params: { target: r.name } });
  return { ...r, community: { id: c.id, path: c.path } };
}

/** The resident the caller's account is linked to, or null (a worker may also be a volunteer). */
export async function ownResidentId(q: Queryable, ctx: Ctx): Promise<number | null> {
  return ctx.principal.userId > 0 ? repo.residentOfUser(q, ctx.principal.userId) : null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const num = (n: number | null) => (n === null ? null : Number(n));

/** `viewer`: a resident seeing it on their phone (others' names masked); undefined: a worker (names in full). */
export function toService(s: repo.ServiceRow, viewer?: number): ServiceRecord {
  const name = (id: number, n: string) => (viewer === undefined || Number(id) === viewer ? n : maskName(n));
  return {
    id: Number(s.id),
    nodeId: Number(s.node_id),
    volunteerResidentId: Number(s.volunteer_resident_id),
    volunteerName: name(s.volunteer_resident_id, s.volunteer_name),
    recipientResidentId: Number(s.recipient_resident_id),
    recipientName: name(s.recipient_resident_id, s.recipient_name),
    requestId: num(s.request_id),
    serviceType: s.service_type,
    servedAt: new Date(s.served_at).toISOString(),
    minutes: Number(s.minutes),
    note: s.note,
    status: s.status,
    payer: s.pay_from === 'requester' ? 'requester' : 'community',
    recordedBy: Number(s.recorded_by),
    confirmedAt: iso(s.confirmed_at),
    rejectReason: s.reject_reason,
    transferId: num(s.transfer_id),
    createdAt: new Date(s.created_at).toISOString(),
  };
}

export function toRequest(r: repo.RequestRow, viewer?: number): TimebankRequest {
  const name = (id: number | null, n: string | null) =>
    n === null ? null : viewer === undefined || Number(id) === viewer ? n : maskName(n);
  return {
    id: Number(r.id),
    nodeId: Number(r.node_id),
    requesterResidentId: Number(r.requester_resident_id),
    requesterName: name(r.requester_resident_id, r.requester_name)!,
    beneficiaryResidentId: Number(r.beneficiary_resident_id),
    beneficiaryName: name(r.beneficiary_resident_id, r.beneficiary_name)!,
    serviceType: r.service_type,
    description: r.description,
    place: r.place,
    wantedAt: new Date(r.wanted_at).toISOString(),
    minutes: Number(r.minutes),
    payFrom: r.pay_from,
    status: r.status,
    volunteerResidentId: num(r.volunteer_resident_id),
    volunteerName: name(r.volunteer_resident_id, r.volunteer_name),
    matchedAt: iso(r.matched_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}
