import type { Queryable, Tx } from '../../platform/db/client.js';
import type { Relation } from './people.logic.js';

export type TagRefRow = { id: number; code: string; name: string; sensitive: boolean };

export type ResidentRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  house_id: number | null;
  room_no: string | null;
  household_id: number | null;
  relation: Relation | null;
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  id_masked: string;
  id_sealed: Uint8Array;
  phone_masked: string | null;
  phone_sealed: Uint8Array | null;
  ethnicity: string | null;
  hukou_address: string | null;
  current_address: string | null;
  status: 'active' | 'moved_out' | 'deceased';
  moved_in_on: string | null;
  left_on: string | null;
  hukou_type: 'local_urban' | 'local_rural' | 'nonlocal' | null;
  income_band: 'subsistence' | 'low' | 'lower_middle' | 'middle' | 'high' | null;
  disability_grade: number | null;
  created_at: Date;
  updated_at: Date;
  place: string;
  tags: TagRefRow[];
};

/** Names of the nodes from the community down, joined: 东关社区/第一网格/1号楼/1单元. */
const PLACE_SQL = (pathCol: string) =>
  `(SELECT string_agg(pn.name, '/' ORDER BY pn.depth) FROM org_nodes pn
     WHERE pn.id = ANY(string_to_array(trim(both '/' from ${pathCol}), '/')::bigint[]) AND pn.depth >= 2)`;

/** A resident's row as every reader gets it (the search selects it too, `resident-search.repo.ts`). */
export const RESIDENT_COLS = `r.id, r.county_id, r.node_id, r.node_path, r.house_id, h.room_no, r.household_id, r.relation, r.name, r.sex,
  to_char(r.birth_date, 'YYYY-MM-DD') AS birth_date, r.id_masked, r.id_sealed, r.phone_masked, r.phone_sealed, r.ethnicity,
  r.hukou_address, r.current_address, r.status, to_char(r.moved_in_on, 'YYYY-MM-DD') AS moved_in_on,
  to_char(r.left_on, 'YYYY-MM-DD') AS left_on, r.hukou_type, r.income_band, r.disability_grade, r.created_at, r.updated_at,
  ${PLACE_SQL('r.node_path')} AS place,
  COALESCE((SELECT json_agg(json_build_object('id', t.id, 'code', t.code, 'name', t.name, 'sensitive', t.sensitive) ORDER BY t.sort, t.id)
     FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.resident_id = r.id), '[]'::json) AS tags`;

export async function findResident(q: Queryable, id: number, forUpdate = false): Promise<ResidentRow | undefined> {
  const rows = await q.query<ResidentRow>(
    `SELECT ${RESIDENT_COLS} FROM residents r LEFT JOIN houses h ON h.id = r.house_id WHERE r.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return rows[0];
}

export async function findResidentIdByIdHash(
  q: Queryable,
  idHash: Buffer,
): Promise<{ id: number; node_path: string; county_id: number } | undefined> {
  const rows = await q.query<{ id: number; node_path: string; county_id: number }>(
    'SELECT id, node_path, county_id FROM residents WHERE id_hash = $1',
    [idHash],
  );
  return rows[0];
}

export type NewResident = {
  countyId: number;
  nodeId: number;
  nodePath: string;
  houseId: number | null;
  householdId: number | null;
  relation: Relation | null;
  name: string;
  namePinyin: string;
  nameInitials: string;
  idSealed: Buffer;
  idHash: Buffer;
  idMasked: string;
  sex: 'male' | 'female';
  birthDate: string;
  ethnicity: string | null;
  phoneSealed: Buffer | null;
  phoneHash: Buffer | null;
  phoneMasked: string | null;
  hukouAddress: string | null;
  currentAddress: string | null;
  movedInOn: string | null;
};

export async function insertResident(q: Queryable, r: NewResident): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO residents (county_id, node_id, node_path, house_id, household_id, relation, name, name_pinyin, name_initials,
       id_sealed, id_hash, id_masked, sex, birth_date, ethnicity, phone_sealed, phone_hash, phone_masked, hukou_address,
       current_address, moved_in_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
    [
      r.countyId,
      r.nodeId,
      r.nodePath,
      r.houseId,
      r.householdId,
      r.relation,
      r.name,
      r.namePinyin,
      r.nameInitials,
      r.idSealed,
      r.idHash,
      r.idMasked,
      r.sex,
      r.birthDate,
      r.ethnicity,
      r.phoneSealed,
      r.phoneHash,
      r.phoneMasked,
      r.hukouAddress,
      r.currentAddress,
      r.movedInOn,
    ],
  );
  return rows[0]!.id;
}

export async function updateResident(
  q: Queryable,
  id: number,
  p: {
    name: string;
    namePinyin: string;
    nameInitials: string;
    phone: { sealed: Buffer | null; hash: Buffer | null; masked: string | null } | undefined;
    ethnicity: string | null;
    hukouAddress: string | null;
    currentAddress: string | null;
    nodeId: number;
    nodePath: string;
    countyId: number;
    houseId: number | null;
  },
): Promise<void> {
  await q.query(
    `UPDATE residents SET name = $2, name_pinyin = $3, name_initials = $4,
       phone_sealed = CASE WHEN $5 THEN $6 ELSE phone_sealed END,
       phone_hash = CASE WHEN $5 THEN $7 ELSE phone_hash END,
       phone_masked = CASE WHEN $5 THEN $8 ELSE phone_masked END,
       ethnicity = $9, hukou_address = $10, current_address = $11, node_id = $12, node_path = $13, county_id = $14,
       house_id = $15, updated_at = now()
     WHERE id = $1`,
    [
      id,
      p.name,
      p.namePinyin,
      p.nameInitials,
      p.phone !== undefined,
      p.phone?.sealed ?? null,
      p.phone?.hash ?? null,
      p.phone?.masked ?? null,
      p.ethnicity,
      p.hukouAddress,
      p.currentAddress,
      p.nodeId,
      p.nodePath,
      p.countyId,
      p.houseId,
    ],
  );
}

/** The facts policies read (户籍类型, 收入档次, 残疾等级); an undefined one is left as it is. */
export async function setPolicyFacts(
  q: Queryable,
  id: number,
  f: { hukouType?: string | null; incomeBand?: string | null; disabilityGrade?: number | null },
): Promise<void> {
  if (f.hukouType === undefined && f.incomeBand === undefined && f.disabilityGrade === undefined) return;
  await q.query(
    `UPDATE residents SET
       hukou_type = CASE WHEN $2 THEN $3 ELSE hukou_type END,
       income_band = CASE WHEN $4 THEN $5 ELSE income_band END,
       disability_grade = CASE WHEN $6 THEN $7::smallint ELSE disability_grade END
     WHERE id = $1`,
    [
      id,
      f.hukouType !== undefined,
      f.hukouType ?? null,
      f.incomeBand !== undefined,
      f.incomeBand ?? null,
      f.disabilityGrade !== undefined,
      f.disabilityGrade ?? null,
    ],
  );
}

export async function setResidentStatus(
  q: Queryable,
  id: number,
  status: 'moved_out' | 'deceased',
  on: string,
): Promise<void> {
  await q.query(
    `UPDATE residents SET status = $2, left_on = $3, household_id = CASE WHEN $2 = 'moved_out' THEN NULL ELSE household_id END,
       relation = CASE WHEN $2 = 'moved_out' THEN NULL ELSE relation END, updated_at = now() WHERE id = $1`,
    [id, status, on],
  );
}

export async function setHousehold(
  q: Queryable,
  residentId: number,
  householdId: number | null,
  relation: Relation | null,
): Promise<void> {
  await q.query('UPDATE residents SET household_id = $2, relation = $3, updated_at = now() WHERE id = $1', [
    residentId,
    householdId,
    relation,
  ]);
}

/** Someone who moved in (again): active, no date of leaving, the date they came. */
export async function reactivateResident(q: Queryable, id: number, movedInOn: string): Promise<void> {
  await q.query(
    `UPDATE residents SET status = 'active', left_on = NULL, moved_in_on = $2, updated_at = now() WHERE id = $1`,
    [id, movedInOn],
  );
}

// ---- tags on residents --------------------------------------------------------------------------------

export async function addResidentTag(
  q: Queryable,
  t: {
    residentId: number;
    tagId: number;
    countyId: number;
    source: 'manual' | 'rule' | 'import';
    reason: string | null;
    by: number | null;
  },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO resident_tags (resident_id, tag_id, county_id, source, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (resident_id, tag_id) DO NOTHING RETURNING resident_id`,
    [t.residentId, t.tagId, t.countyId, t.source, t.reason, t.by],
  );
  return rows.length > 0;
}

export async function removeResidentTag(q: Queryable, residentId: number, tagId: number): Promise<boolean> {
  const rows = await q.query('DELETE FROM resident_tags WHERE resident_id = $1 AND tag_id = $2 RETURNING resident_id', [
    residentId,
    tagId,
  ]);
  return rows.length > 0;
}

// ---- contacts -----------------------------------------------------------------------------------------

export type ContactRow = { id: number; name: string; relation: string; phone_masked: string };

export async function listContacts(q: Queryable, residentId: number): Promise<ContactRow[]> {
  return q.query<ContactRow>(
    'SELECT id, name, relation, phone_masked FROM resident_contacts WHERE resident_id = $1 ORDER BY id',
    [residentId],
  );
}

export async function insertContact(
  q: Queryable,
  c: {
    countyId: number;
    residentId: number;
    name: string;
    relation: string;
    sealed: Buffer;
    hash: Buffer;
    masked: string;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO resident_contacts (county_id, resident_id, name, relation, phone_sealed, phone_hash, phone_masked)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [c.countyId, c.residentId, c.name, c.relation, c.sealed, c.hash, c.masked],
  );
  return rows[0]!.id;
}

export async function deleteContact(
  q: Queryable,
  residentId: number,
  contactId: number,
): Promise<ContactRow | undefined> {
  const rows = await q.query<ContactRow>(
    'DELETE FROM resident_contacts WHERE id = $1 AND resident_id = $2 RETURNING id, name, relation, phone_masked',
    [contactId, residentId],
  );
  return rows[0];
}

// ---- households ---------------------------------------------------------------------------------------

export type HouseholdRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  house_id: number | null;
  household_no: string | null;
  head_resident_id: number | null;
  place: string;
  members: {
    id: number;
    name: string;
    relation: Relation | null;
    sex: 'male' | 'female';
    birth_date: string;
    status: string;
    node_path: string;
  }[];
};

export async function findHousehold(q: Queryable, id: number): Promise<HouseholdRow | undefined> {
  const rows = await q.query<HouseholdRow>(
    `SELECT hh.id, hh.county_id, hh.node_id, hh.node_path, hh.house_id, hh.household_no, hh.head_resident_id,
            ${PLACE_SQL('hh.node_path')} AS place,
            COALESCE((SELECT json_agg(json_build_object('id', m.id, 'name', m.name, 'relation', m.relation, 'sex', m.sex,
                'birth_date', to_char(m.birth_date, 'YYYY-MM-DD'), 'status', m.status, 'node_path', m.node_path) ORDER BY (m.relation = 'head') DESC, m.birth_date)
              FROM residents m WHERE m.household_id = hh.id), '[]'::json) AS members
       FROM households hh WHERE hh.id = $1`,
    [id],
  );
  return rows[0];
}

export async function listHouseholdsOfHouse(q: Queryable, houseId: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    'SELECT id FROM households WHERE house_id = $1 AND dissolved_at IS NULL ORDER BY id',
    [houseId],
  );
  return rows.map((r) => r.id);
}

export async function insertHousehold(
  q: Queryable,
  h: { countyId: number; nodeId: number; nodePath: string; houseId: number | null; householdNo: string | null },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO households (county_id, node_id, node_path, house_id, household_no) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [h.countyId, h.nodeId, h.nodePath, h.houseId, h.householdNo],
  );
  return rows[0]!.id;
}

/** A live household by its number (户号) within a county. */
export async function findHouseholdIdByNo(q: Queryable, countyId: number, householdNo: string): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `SELECT id FROM households WHERE county_id = $1 AND household_no = $2 AND dissolved_at IS NULL ORDER BY id LIMIT 1`,
    [countyId, householdNo],
  );
  return rows[0]?.id ?? null;
}

export async function setHouseholdHead(q: Queryable, householdId: number, residentId: number | null): Promise<void> {
  await q.query('UPDATE households SET head_resident_id = $2, updated_at = now() WHERE id = $1', [
    householdId,
    residentId,
  ]);
}

// ---- houses -------------------------------------------------------------------------------------------

export type HouseRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  room_no: string;
  floor: number | null;
  use: 'owner_occupied' | 'rented' | 'vacant' | 'commercial' | 'other';
  area: string | null;
  address: string | null;
  residents_count: number;
  place: string;
};

const HOUSE_COLS = `ho.id, ho.county_id, ho.node_id, ho.node_path, ho.room_no, ho.floor, ho.use, ho.area::text AS area, ho.address,
  (SELECT count(*)::int FROM residents m WHERE m.house_id = ho.id AND m.status = 'active') AS residents_count,
  ${PLACE_SQL('ho.node_path')} AS place`;

export async function findHouse(q: Queryable, id: number): Promise<HouseRow | undefined> {
  const rows = await q.query<HouseRow>(`SELECT ${HOUSE_COLS} FROM houses ho WHERE ho.id = $1`, [id]);
  return rows[0];
}

export async function findHouseIdByRoom(q: Queryable, nodeId: number, roomNo: string): Promise<number | null> {
  const rows = await q.query<{ id: number }>('SELECT id FROM houses WHERE node_id = $1 AND room_no = $2', [
    nodeId,
    roomNo,
  ]);
  return rows[0]?.id ?? null;
}

export async function insertHouse(
  q: Queryable,
  h: {
    countyId: number;
    nodeId: number;
    nodePath: string;
    roomNo: string;
    floor: number | null;
    use: string;
    area: number | null;
    address: string | null;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO houses (county_id, node_id, node_path, room_no, floor, use, area, address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [h.countyId, h.nodeId, h.nodePath, h.roomNo, h.floor, h.use, h.area, h.address],
  );
  return rows[0]!.id;
}

export async function updateHouse(
  q: Queryable,
  id: number,
  h: { floor: number | null; use: string; area: number | string | null; address: string | null },
): Promise<void> {
  await q.query('UPDATE houses SET floor = $2, use = $3, area = $4, address = $5, updated_at = now() WHERE id = $1', [
    id,
    h.floor,
    h.use,
    h.area,
    h.address,
  ]);
}

export type MapRoomRow = {
  house_id: number;
  node_id: number;
  room_no: string;
  floor: number | null;
  use: HouseRow['use'];
  residents_count: number;
  groups: string[] | null;
};

/** Every house under a building (its units included) with occupancy and the special groups living there. */
export async function listBuildingRooms(
  q: Queryable,
  buildingPath: string,
  sensitiveVisible: boolean,
): Promise<MapRoomRow[]> {
  return q.query<MapRoomRow>(
    `SELECT ho.id AS house_id, ho.node_id, ho.room_no, ho.floor, ho.use,
            (SELECT count(*)::int FROM residents m WHERE m.house_id = ho.id AND m.status = 'active') AS residents_count,
            (SELECT array_agg(DISTINCT t.code) FROM residents m JOIN resident_tags rt ON rt.resident_id = m.id
               JOIN tags t ON t.id = rt.tag_id
              WHERE m.house_id = ho.id AND m.status = 'active' AND t.parent_id IS NOT NULL AND ($2 OR NOT t.sensitive)) AS groups
       FROM houses ho WHERE ho.node_path LIKE $1 || '%' ORDER BY ho.floor NULLS LAST, ho.room_no`,
    [buildingPath, sensitiveVisible],
  );
}

// ---- guards and moves ---------------------------------------------------------------------------------

export async function countLivingUnder(q: Queryable, path: string): Promise<{ residents: number; houses: number }> {
  const rows = await q.query<{ residents: number; houses: number }>(
    `SELECT (SELECT count(*)::int FROM residents WHERE node_path LIKE $1 || '%' AND status = 'active') AS residents,
            (SELECT count(*)::int FROM houses WHERE node_path LIKE $1 || '%') AS houses`,
    [path],
  );
  return rows[0]!;
}

export async function rewritePaths(q: Queryable, oldPath: string, newPath: string, countyId: number): Promise<void> {
  for (const table of ['residents', 'houses', 'households', 'resident_contacts']) {
    if (table === 'resident_contacts') {
      await q.query(
        `UPDATE resident_contacts c SET county_id = $2 FROM residents r WHERE r.id = c.resident_id AND r.node_path LIKE $1 || '%'`,
        [newPath, countyId],
      );
      continue;
    }
    await q.query(
      `UPDATE ${table} SET node_path = $2 || substr(node_path, length($1) + 1), county_id = $3 WHERE node_path LIKE $1 || '%'`,
      [oldPath, newPath, countyId],
    );
  }
  // resident_tags.node_path follows residents.node_path by trigger; the region key is set here.
  await q.query(
    `UPDATE resident_tags rt SET county_id = $2 FROM residents r WHERE r.id = rt.resident_id AND r.node_path LIKE $1 || '%'`,
    [newPath, countyId],
  );
}

export type HistoryRow = {
  at: Date;
  actor_name: string | null;
  action: string;
  diff: Record<string, unknown[]> | null;
  reason: string | null;
};

export async function residentHistory(q: Queryable, residentId: number): Promise<HistoryRow[]> {
  return q.query<HistoryRow>(
    `SELECT at, actor_name, action, diff, reason FROM audit_log
      WHERE target_type = 'resident' AND target_id = $1 ORDER BY at DESC, id DESC LIMIT 100`,
    [String(residentId)],
  );
}

// ---- bulk load (demo data, imports) ---------------------------------------------------------------------

type PlaceRef = { nodeId: number; nodePath: string; countyId: number };
export type BulkHouse = PlaceRef & { roomNo: string; floor: number | null; use: string; area: number | null };
/** `house` and `head` are indexes into the houses and residents arrays of the same load. */
export type BulkHousehold = PlaceRef & { house: number | null; householdNo: string | null; head?: number };
export type BulkResident = PlaceRef &
  Omit<NewResident, 'countyId' | 'nodeId' | 'nodePath' | 'houseId' | 'householdId' | 'movedInOn'> & {
    house: number | null;
    household: number | null;
  };

/** One CSV field for COPY: NULL as nothing, bytea as \x hex, text quoted when it must be. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString('hex')}`;
  const s = String(v);
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvRows = (rows: unknown[][]) =>
  rows.map((r) => r.map(csvField).join(',')).join('\n') + (rows.length ? '\n' : '');

async function allocateIds(q: Queryable, table: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  const rows = await q.query<{ id: number }>(
    `SELECT nextval(pg_get_serial_sequence('${table}', 'id')) AS id FROM generate_series(1, $1)`,
    [n],
  );
  return rows.map((r) => r.id);
}

/** Loads houses, households, residents, hand-set tags and contacts with COPY, inside the caller's transaction. */
export async function bulkInsertPeople(
  tx: Tx,
  data: {
    houses: BulkHouse[];
    households: BulkHousehold[];
    residents: BulkResident[];
    tags: { resident: number; code: string; reason: string }[];
    contacts: { resident: number; name: string; relation: string; sealed: Buffer; hash: Buffer; masked: string }[];
  },
): Promise<{ houses: number; households: number; residents: number }> {
  const houseIds = await allocateIds(tx, 'houses', data.houses.length);
  const householdIds = await allocateIds(tx, 'households', data.households.length);
  const residentIds = await allocateIds(tx, 'residents', data.residents.length);
  await tx.copyFrom(
    'COPY houses (id, county_id, node_id, node_path, room_no, floor, use, area) FROM STDIN WITH (FORMAT csv)',
    csvRows(
      data.houses.map((h, i) => [houseIds[i], h.countyId, h.nodeId, h.nodePath, h.roomNo, h.floor, h.use, h.area]),
    ),
  );
  await tx.copyFrom(
    'COPY households (id, county_id, node_id, node_path, house_id, household_no) FROM STDIN WITH (FORMAT csv)',
    csvRows(
      data.households.map((h, i) => [
        householdIds[i],
        h.countyId,
        h.nodeId,
        h.nodePath,
        h.house === null ? null : houseIds[h.house],
        h.householdNo,
      ]),
    ),
  );
  await tx.copyFrom(
    `COPY residents (id, county_id, node_id, node_path, house_id, household_id, relation, name, name_pinyin, name_initials,
       id_sealed, id_hash, id_masked, sex, birth_date, ethnicity, phone_sealed, phone_hash, phone_masked, hukou_address,
       current_address) FROM STDIN WITH (FORMAT csv)`,
    csvRows(
      data.residents.map((r, i) => [
        residentIds[i],
        r.countyId,
        r.nodeId,
        r.nodePath,
        r.house === null ? null : houseIds[r.house],
        r.household === null ? null : householdIds[r.household],
        r.relation,
        r.name,
        r.namePinyin,
        r.nameInitials,
        r.idSealed,
        r.idHash,
        r.idMasked,
        r.sex,
        r.birthDate,
        r.ethnicity,
        r.phoneSealed,
        r.phoneHash,
        r.phoneMasked,
        r.hukouAddress,
        r.currentAddress,
      ]),
    ),
  );
  const heads = data.households.flatMap((h, i) =>
    h.head === undefined ? [] : [[householdIds[i], residentIds[h.head]]],
  );
  if (heads.length) {
    await tx.query(
      `UPDATE households h SET head_resident_id = v.head FROM unnest($1::bigint[], $2::bigint[]) AS v(id, head) WHERE h.id = v.id`,
      [heads.map((x) => x[0]), heads.map((x) => x[1])],
    );
  }
  const tagIds = new Map(
    (await tx.query<{ id: number; code: string }>('SELECT id, code FROM tags')).map((t) => [t.code, t.id]),
  );
  await tx.copyFrom(
    'COPY resident_tags (resident_id, tag_id, county_id, source, reason) FROM STDIN WITH (FORMAT csv)',
    csvRows(
      data.tags
        .filter((t) => tagIds.has(t.code))
        .map((t) => [
          residentIds[t.resident],
          tagIds.get(t.code),
          data.residents[t.resident]!.countyId,
          'import',
          t.reason,
        ]),
    ),
  );
  await tx.copyFrom(
    'COPY resident_contacts (county_id, resident_id, name, relation, phone_sealed, phone_hash, phone_masked) FROM STDIN WITH (FORMAT csv)',
    csvRows(
      data.contacts.map((c) => [
        data.residents[c.resident]!.countyId,
        residentIds[c.resident],
        c.name,
        c.relation,
        c.sealed,
        c.hash,
        c.masked,
      ]),
    ),
  );
  return { houses: data.houses.length, households: data.households.length, residents: data.residents.length };
}
