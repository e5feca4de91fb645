import type { Queryable } from '../../platform/db/client.js';
import type { FilesService } from '../../platform/files/files.service.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { claimCan } from './partners.logic.js';
import * as repo from './partners.repo.js';
import type { Claim, Delivery, Org, Project } from './partners.schemas.js';

/** Rows to the API's shapes, shared by the module's services. */

export type PartnersDeps = { db: import('../../platform/db/client.js').Db; pii: PiiCipher; files: FilesService };

/** The attachment kind of a delivery's photos (at most 9). */
export const PARTNER_DELIVERY_FILE_KIND = 'partner_delivery';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const num = (v: number | string | null) => (v === null ? null : Number(v));

export function toOrg(r: repo.OrgRow): Org {
  return {
    id: Number(r.id),
    name: r.name,
    kind: r.kind,
    creditCode: r.credit_code,
    contactName: r.contact_name,
    phoneMasked: r.phone_masked,
    description: r.description,
    nodeId: Number(r.node_id),
    nodeName: r.node_name,
    status: r.status,
    reviewNote: r.review_note,
    reviewedAt: iso(r.reviewed_at),
    createdAt: iso(r.created_at)!,
    members: Number(r.members),
    claims: Number(r.claims),
    confirmedDeliveries: Number(r.confirmed),
    pointsBalance: Number(r.balance),
  };
}

export function toProject(r: repo.ProjectRow): Project {
  return {
    id: Number(r.id),
    title: r.title,
    description: r.description,
    category: r.category,
    nodeId: Number(r.node_id),
    nodeName: r.node_name,
    maxClaims: Number(r.max_claims),
    rewardPoints: num(r.reward_points),
    status: r.status,
    closesOn: r.closes_on,
    activeClaims: Number(r.active_claims),
    createdAt: iso(r.created_at)!,
  };
}

export async function toDelivery(files: FilesService, q: Queryable, d: repo.DeliveryRow): Promise<Delivery> {
  const attached = await files.listAttached(q, PARTNER_DELIVERY_FILE_KIND, Number(d.id));
  return {
    id: Number(d.id),
    claimId: Number(d.claim_id),
    projectId: Number(d.project_id),
    projectTitle: d.project_title,
    orgId: Number(d.org_id),
    orgName: d.org_name,
    deliveredOn: d.delivered_on,
    summary: d.summary,
    peopleServed: num(d.people_served),
    status: d.status,
    reviewNote: d.review_note,
    reviewedAt: iso(d.reviewed_at),
    rewardPoints: num(d.credited),
    transferId: num(d.transfer_id),
    createdAt: iso(d.created_at)!,
    files: attached.map((f) => ({ id: f.id, name: f.name, mime: f.mime })),
  };
}

export async function toClaims(files: FilesService, q: Queryable, rows: repo.ClaimRow[]): Promise<Claim[]> {
  const out: Claim[] = [];
  for (const c of rows) {
    const { rows: ds } = await repo.deliveriesWhere(q, 'd.claim_id = $1', [c.id]);
    out.push({
      id: Number(c.id),
      projectId: Number(c.project_id),
      projectTitle: c.project_title,
      category: c.category,
      orgId: Number(c.org_id),
      orgName: c.org_name,
      plan: c.plan,
      status: c.status,
      claimedAt: iso(c.claimed_at)!,
      deliveries: await Promise.all(ds.map((d) => toDelivery(files, q, d))),
      can: claimCan(c.status),
    });
  }
  return out;
}
