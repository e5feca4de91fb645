/** The SQL of a houses file's commit (import.houses.ts): the houses' own facts written onto them. */
import type { Tx } from '../../../platform/db/client.js';
import type { HouseFact } from './import.houses.js';

/**
 * Writes what a houses file says of each house (floor, area, use; a blank cell keeps what is stored) and adds the
 * houses that do not exist yet (those without a head: the rows with a head were added by the load). Returns how
 * many houses it added.
 */
export async function writeHouseFacts(tx: Tx, facts: HouseFact[]): Promise<number> {
  if (facts.length === 0) return 0;
  const cols = [
    facts.map((f) => f.node.countyId),
    facts.map((f) => f.node.id),
    facts.map((f) => f.node.path),
    facts.map((f) => f.roomNo),
    facts.map((f) => f.floor),
    facts.map((f) => f.area),
    facts.map((f) => f.use),
  ];
  const v = `unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::numeric[], $7::text[])
               AS v(county_id, node_id, node_path, room_no, floor, area, use)`;
  await tx.query(
    `UPDATE houses h SET floor = COALESCE(v.floor, h.floor), area = COALESCE(v.area, h.area),
            use = COALESCE(v.use, h.use), updated_at = now()
       FROM (SELECT DISTINCT ON (node_id, room_no) * FROM ${v} ORDER BY node_id, room_no) v
      WHERE h.node_id = v.node_id AND h.room_no = v.room_no`,
    cols,
  );
  const added = await tx.query<{ id: number }>(
    `INSERT INTO houses (county_id, node_id, node_path, room_no, floor, area, use)
     SELECT DISTINCT ON (node_id, room_no) county_id, node_id, node_path, room_no, floor, area,
            COALESCE(use, 'owner_occupied')
       FROM ${v} ORDER BY node_id, room_no
     ON CONFLICT (node_id, room_no) DO NOTHING
     RETURNING id`,
    cols,
  );
  return added.length;
}
