/**
 * The public notice (公示), read without login: the approved partners serving a street or community (or with
 * confirmed work there) and their confirmed deliveries in it. Only the organisation's name and kind and what was
 * done: never a phone, a contact name, a credit code or a photo (the files API serves photos to sessions only).
 */
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { findNodeById } from '../org/org.service.js';
import type { OrgKind } from './partners.logic.js';
import type { PublicNotice } from './partners.schemas.js';

/** Deliveries per organisation the notice shows (the newest). */
const PER_ORG = 50;

/** @throws ORG_NODE_NOT_FOUND */
export async function publicNotice(db: Db, nodeId: number): Promise<PublicNotice> {
  const node = await findNodeById(db, nodeId);
  if (!node || node.status !== 'active') throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  const orgs = await db.query<{ id: number; name: string; kind: OrgKind }>(
    `SELECT o.id, o.name, o.kind FROM partner_orgs o
      WHERE o.status = 'approved'
        AND (o.node_path LIKE $1 || '%' OR $1 LIKE o.node_path || '%'
          OR EXISTS (SELECT 1 FROM partner_claims c JOIN partner_projects p ON p.id = c.project_id
                      WHERE c.org_id = o.id AND c.status = 'confirmed' AND p.node_path LIKE $1 || '%'))
      ORDER BY o.name, o.id`,
    [node.path],
  );
  const partners: PublicNotice['partners'] = [];
  for (const o of orgs) {
    const ds = await db.query<{
      project_title: string;
      category: string;
      delivered_on: string;
      summary: string;
      people_served: number | null;
    }>(
      `SELECT p.title AS project_title, p.category, to_char(d.delivered_on, 'YYYY-MM-DD') AS delivered_on, d.summary,
              d.people_served
         FROM partner_deliveries d JOIN partner_claims c ON c.id = d.claim_id
         JOIN partner_projects p ON p.id = c.project_id
        WHERE c.org_id = $1 AND d.status = 'confirmed' AND p.node_path LIKE $2 || '%'
        ORDER BY d.delivered_on DESC, d.id DESC LIMIT ${PER_ORG}`,
      [o.id, node.path],
    );
    partners.push({
      name: o.name,
      kind: o.kind,
      deliveries: ds.map((d) => ({
        projectTitle: d.project_title,
        category: d.category,
        deliveredOn: d.delivered_on,
        summary: d.summary,
        peopleServed: d.people_served === null ? null : Number(d.people_served),
      })),
    });
  }
  return { node: { id: Number(node.id), name: node.name }, partners };
}
