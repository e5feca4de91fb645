/**
 * The rule for rows without 户号 at a house that already has a household (written down in the user guide):
 * such rows join that household, so they cannot bring a head or a spouse of their own — a household never has
 * two 户主. A 户主 row there is an error unless it names the household's head himself; so is a 配偶 row when the
 * household already has a spouse who is someone else. To register another household at the house, the rows give
 * their 户号. Checked in the dry run and again at the commit, on both the batch and the bulk path.
 */
import type { Queryable } from '../../../platform/db/client.js';
import type { PiiCipher } from '../../../platform/pii/index.js';
import { findOccupants } from './import.households.repo.js';
import type { RowIssue } from './import.logic.js';
import type { GoodRow } from './import.rows.js';

/** A good row of a batch and its issues (the rule adds to them). */
export type HouseholdCandidate = { good: GoodRow | null; issues: RowIssue[] };

/** Adds the occupied-house issues to the batch's rows; returns the rows it made bad. */
export async function checkOccupiedHouses<T extends HouseholdCandidate>(
  q: Queryable,
  pii: PiiCipher,
  importId: number,
  rows: T[],
): Promise<T[]> {
  const relevant = rows.filter(
    (r) =>
      r.good !== null &&
      r.issues.length === 0 &&
      r.good.householdNo === null &&
      r.good.roomNo !== null &&
      (r.good.relation === 'head' || r.good.relation === 'spouse'),
  );
  if (relevant.length === 0) return [];
  const occupants = await findOccupants(
    q,
    relevant.map((r) => ({ nodeId: (r.good as GoodRow).node.id, roomNo: (r.good as GoodRow).roomNo as string })),
    importId,
  );
  if (occupants.length === 0) return [];
  const byHouse = new Map(occupants.map((o) => [`${o.node_id}:${o.room_no}`, o]));
  const made: T[] = [];
  for (const r of relevant) {
    const g = r.good as GoodRow;
    const o = byHouse.get(`${g.node.id}:${g.roomNo}`);
    if (!o) continue;
    if (g.relation === 'head' && o.head_hash !== null) {
      if (pii.hash(g.id, 'id').toString('hex') === o.head_hash) continue;
      r.issues.push({ field: 'relation', code: 'head_at_occupied_house', params: { name: o.head_name ?? '' } });
      made.push(r);
    } else if (g.relation === 'spouse' && o.spouse_hash !== null) {
      if (pii.hash(g.id, 'id').toString('hex') === o.spouse_hash) continue;
      r.issues.push({
        field: 'relation',
        code: 'spouse_at_occupied_house',
        params: { name: o.spouse_name ?? '', head: o.head_name ?? '—' },
      });
      made.push(r);
    }
  }
  return made;
}
