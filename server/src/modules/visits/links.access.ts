import type { Queryable } from '../../platform/db/client.js';

/**
 * 一网三联 gives access beyond posts: whoever is linked to a household (a party member to it, a building leader to
 * its building, a cadre to its village group) sees and may visit it while the link is in force. The visits and
 * links services ask here; `platform/access/scope.ts` still decides everything that comes from posts.
 */

/** Whether `userId` is linked, on day `on` (YYYY-MM-DD, Asia/Shanghai), to the household or the place it lies in. */
export async function linkedAccess(
  q: Queryable,
  userId: number,
  target: { householdId: number | null; nodePath: string },
  on: string,
): Promise<boolean> {
  const rows = await q.query<{ one: number }>(
    `SELECT 1 AS one FROM grid_links l
      WHERE l.user_id = $1 AND l.ended_at IS NULL
        AND l.valid_from <= $4::date AND (l.valid_to IS NULL OR l.valid_to >= $4::date)
        AND ((l.kind = 'party_household' AND l.household_id = $2)
          OR (l.kind <> 'party_household' AND $3 LIKE l.node_path || '%'))
      LIMIT 1`,
    [userId, target.householdId, target.nodePath, on],
  );
  return rows.length > 0;
}

/** The households a user is linked to today (directly, or through a building or a group), for lists and scoping. */
export function linkedHouseholdsSql(userParam: string, dayParam: string): string {
  return `SELECT h.id FROM households h
      JOIN grid_links l ON l.user_id = ${userParam} AND l.ended_at IS NULL
        AND l.valid_from <= ${dayParam}::date AND (l.valid_to IS NULL OR l.valid_to >= ${dayParam}::date)
       AND ((l.kind = 'party_household' AND l.household_id = h.id)
         OR (l.kind <> 'party_household' AND h.node_path LIKE l.node_path || '%'))
     WHERE h.dissolved_at IS NULL`;
}
