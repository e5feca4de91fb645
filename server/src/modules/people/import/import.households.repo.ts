/**
 * The SQL of the import's household rules (import.households.ts): who already heads, and who is the spouse in,
 * the household living at a house.
 */
import type { Queryable } from '../../../platform/db/client.js';

export type OccupantRow = {
  node_id: number;
  room_no: string;
  household_id: number;
  head_hash: string | null;
  head_name: string | null;
  spouse_hash: string | null;
  spouse_name: string | null;
};

/**
 * For each house (node, room) that has a living household: the household rows without 户号 would join (the
 * oldest, as the load picks it), its head (the recorded head, else a member whose relation is head) and a spouse.
 * People written by import `importId` itself are left out: the file's own rows are checked against each other.
 */
export async function findOccupants(
  q: Queryable,
  houses: { nodeId: number; roomNo: string }[],
  importId: number,
): Promise<OccupantRow[]> {
  if (houses.length === 0) return [];
  return q.query<OccupantRow>(
    `WITH k AS (SELECT DISTINCT * FROM unnest($1::bigint[], $2::text[]) AS k(node_id, room_no)),
     hh AS (
       SELECT k.node_id, k.room_no,
              (SELECT min(x.id) FROM households x WHERE x.house_id = h.id AND x.dissolved_at IS NULL) AS id
         FROM k JOIN houses h ON h.node_id = k.node_id AND h.room_no = k.room_no)
     SELECT hh.node_id::int AS node_id, hh.room_no, hh.id::int AS household_id,
            encode(head.id_hash, 'hex') AS head_hash, head.name AS head_name,
            encode(sp.id_hash, 'hex') AS spouse_hash, sp.name AS spouse_name
       FROM hh
       LEFT JOIN LATERAL (
         SELECT r.id_hash, r.name FROM residents r JOIN households x ON x.id = hh.id
          WHERE r.household_id = hh.id AND r.status = 'active'
            AND (r.id = x.head_resident_id OR r.relation = 'head') AND r.import_id IS DISTINCT FROM $3
          ORDER BY (r.id = x.head_resident_id) DESC, r.id LIMIT 1) head ON true
       LEFT JOIN LATERAL (
         SELECT r.id_hash, r.name FROM residents r
          WHERE r.household_id = hh.id AND r.status = 'active' AND r.relation = 'spouse'
            AND r.import_id IS DISTINCT FROM $3
          ORDER BY r.id LIMIT 1) sp ON true
      WHERE hh.id IS NOT NULL`,
    [houses.map((h) => h.nodeId), houses.map((h) => h.roomNo), importId],
  );
}
