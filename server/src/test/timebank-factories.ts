import type { Queryable } from '../platform/db/client.js';

/**
 * Time-bank rows for tests: a volunteer enrolled straight into part D's table (skills for matching), and a service
 * record or request written with SQL where a test needs one in a place no test account may reach.
 */

export async function enrollVolunteer(
  db: Queryable,
  residentId: number,
  o: { skills?: string[]; userId?: number | null; available?: boolean } = {},
): Promise<void> {
  await db.query(
    `INSERT INTO volunteers (resident_id, county_id, node_path, user_id, skills, available)
     SELECT id, county_id, node_path, $2, $3, $4 FROM residents WHERE id = $1
     ON CONFLICT (resident_id) DO UPDATE SET skills = EXCLUDED.skills, available = EXCLUDED.available,
       user_id = coalesce(EXCLUDED.user_id, volunteers.user_id), left_at = NULL`,
    [residentId, o.userId ?? null, o.skills ?? [], o.available ?? true],
  );
}

/** A pending service record from a volunteer to a recipient (recorded by `recordedBy`). */
export async function buildService(
  db: Queryable,
  o: { volunteerResidentId: number; recipientResidentId: number; recordedBy: number; minutes?: number },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO timebank_services (county_id, node_id, node_path, volunteer_resident_id, recipient_resident_id,
       service_type, served_at, minutes, recorded_by)
     SELECT county_id, node_id, node_path, $1, $2, 'elder_care', now() - interval '1 hour', $3, $4
       FROM residents WHERE id = $2 RETURNING id`,
    [o.volunteerResidentId, o.recipientResidentId, o.minutes ?? 60, o.recordedBy],
  );
  return Number(row!.id);
}

/** An open request for a resident, paid by the community (or by `requesterResidentId` when given). */
export async function buildRequest(
  db: Queryable,
  o: { beneficiaryResidentId: number; requesterResidentId?: number; minutes?: number; serviceType?: string },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO timebank_requests (county_id, node_id, node_path, requester_resident_id, beneficiary_resident_id,
       service_type, wanted_at, minutes, pay_from)
     SELECT county_id, node_id, node_path, $2, $1, $3, now() + interval '1 day', $4, $5
       FROM residents WHERE id = $1 RETURNING id`,
    [
      o.beneficiaryResidentId,
      o.requesterResidentId ?? o.beneficiaryResidentId,
      o.serviceType ?? 'elder_care',
      o.minutes ?? 60,
      o.requesterResidentId === undefined ? 'community' : 'requester',
    ],
  );
  return Number(row!.id);
}
