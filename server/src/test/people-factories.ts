import { namePinyin, type Relation } from '../modules/people/people.logic.js';
import type { Queryable } from '../platform/db/client.js';
import { generateIdNumber, maskIdNumber, maskPhone, type PiiCipher } from '../platform/pii/index.js';

/**
 * Rows of the people database written straight with SQL, for tests of modules that read people (reports,
 * policies …) without going through the people service. Parents are looked up from the org tree.
 */
export type PeopleEnv = { db: Queryable; pii: PiiCipher };

type Place = { path: string; countyId: number };

async function place(db: Queryable, nodeId: number): Promise<Place> {
  const rows = await db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [nodeId]);
  const path = rows[0]?.path;
  if (!path) throw new Error(`no org node ${nodeId}`);
  return { path, countyId: Number(path.split('/')[1]) };
}

/** The first node of a type under an ancestor (in creation order; `skip` to take a later one), e.g. a grid's unit. */
export async function firstNodeUnder(db: Queryable, ancestorId: number, type: string, skip = 0): Promise<number> {
  const { path } = await place(db, ancestorId);
  const rows = await db.query<{ id: number }>(
    `SELECT id FROM org_nodes WHERE type = $1 AND path LIKE $2 || '%' AND status = 'active' ORDER BY id OFFSET $3 LIMIT 1`,
    [type, path, skip],
  );
  if (!rows[0]) throw new Error(`no ${type} under node ${ancestorId}`);
  return rows[0].id;
}

/** A tag by code, created when missing (the built-in dictionary is normally seeded already). */
export async function ensureTag(
  db: Queryable,
  code: string,
  opts: { name?: string; sensitive?: boolean; parent?: string } = {},
): Promise<number> {
  const found = await db.query<{ id: number }>('SELECT id FROM tags WHERE code = $1', [code]);
  if (found[0]) return found[0].id;
  const parentId = opts.parent ? await ensureTag(db, opts.parent) : null;
  const rows = await db.query<{ id: number }>(
    'INSERT INTO tags (parent_id, code, name, sensitive) VALUES ($1, $2, $3, $4) RETURNING id',
    [parentId, code, opts.name ?? code, opts.sensitive ?? false],
  );
  return rows[0]!.id;
}

let houseSeq = 0;

export async function buildHouse(
  env: PeopleEnv,
  o: {
    nodeId: number;
    roomNo?: string;
    use?: string;
    floor?: number | null;
    area?: number | null;
    address?: string | null;
  },
): Promise<{ id: number }> {
  const { path, countyId } = await place(env.db, o.nodeId);
  houseSeq++;
  const rows = await env.db.query<{ id: number }>(
    `INSERT INTO houses (county_id, node_id, node_path, room_no, floor, use, area, address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      countyId,
      o.nodeId,
      path,
      o.roomNo ?? `T${houseSeq}`,
      o.floor ?? null,
      o.use ?? 'owner_occupied',
      o.area ?? null,
      o.address ?? null,
    ],
  );
  return { id: rows[0]!.id };
}

export async function buildHousehold(
  env: PeopleEnv,
  o: { nodeId: number; houseId?: number | null; householdNo?: string | null; headResidentId?: number | null },
): Promise<{ id: number }> {
  const { path, countyId } = await place(env.db, o.nodeId);
  const rows = await env.db.query<{ id: number }>(
    `INSERT INTO households (county_id, node_id, node_path, house_id, household_no, head_resident_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [countyId, o.nodeId, path, o.houseId ?? null, o.householdNo ?? null, o.headResidentId ?? null],
  );
  return { id: rows[0]!.id };
}

export async function setHouseholdHead(db: Queryable, householdId: number, residentId: number): Promise<void> {
  await db.query('UPDATE households SET head_resident_id = $2 WHERE id = $1', [householdId, residentId]);
}

let idSeq = 0;

/** A valid ID number for a birth date and sex, unique among those this module makes (4,000 per birth date). */
export function nextIdNumber(birthDate: string, sex: 'male' | 'female'): string {
  idSeq++;
  const areas = ['370323', '370829', '110105', '440305', '510104', '370102', '370211', '320102'];
  const area = areas[Math.floor(idSeq / 500) % areas.length]!;
  return generateIdNumber({ areaCode: area, birthDate, sequence: (idSeq % 500) * 2 + (sex === 'male' ? 1 : 0), sex });
}

export type ResidentInput = {
  nodeId: number;
  name?: string;
  sex?: 'male' | 'female';
  birthDate?: string;
  idNumber?: string;
  phone?: string | null;
  ethnicity?: string | null;
  hukouAddress?: string | null;
  currentAddress?: string | null;
  houseId?: number | null;
  householdId?: number | null;
  relation?: Relation | null;
  status?: 'active' | 'moved_out' | 'deceased';
  /** Tag codes to give the resident. */
  tags?: string[];
  contacts?: { name: string; relation: string; phone: string }[];
};

export type BuiltResident = { id: number; idNumber: string; phone: string | null; name: string };

function sealedRow(env: PeopleEnv, o: ResidentInput, i: number) {
  const sex = o.sex ?? (i % 2 === 0 ? 'male' : 'female');
  const birthDate = o.birthDate ?? '1980-01-01';
  const idNumber = o.idNumber ?? nextIdNumber(birthDate, sex);
  const name = o.name ?? `测试人${i}`;
  const py = namePinyin(name);
  const phone = o.phone === undefined ? null : o.phone;
  return {
    name,
    pinyin: py.full || 'x',
    initials: py.initials || 'x',
    idNumber,
    sex,
    birthDate,
    phone,
    idSealed: env.pii.seal(idNumber),
    idHash: env.pii.hash(idNumber, 'id'),
    idMasked: maskIdNumber(idNumber),
    phoneSealed: phone ? env.pii.seal(phone) : null,
    phoneHash: phone ? env.pii.hash(phone, 'phone') : null,
    phoneMasked: phone ? maskPhone(phone) : null,
  };
}

/** One resident with their tags and emergency contacts. */
export async function buildResident(env: PeopleEnv, o: ResidentInput): Promise<BuiltResident> {
  const { path, countyId } = await place(env.db, o.nodeId);
  const s = sealedRow(env, o, idSeq);
  const rows = await env.db.query<{ id: number }>(
    `INSERT INTO residents (county_id, node_id, node_path, house_id, household_id, relation, name, name_pinyin, name_initials,
       id_sealed, id_hash, id_masked, sex, birth_date, ethnicity, phone_sealed, phone_hash, phone_masked,
       hukou_address, current_address, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
    [
      countyId,
      o.nodeId,
      path,
      o.houseId ?? null,
      o.householdId ?? null,
      o.relation ?? null,
      s.name,
      s.pinyin,
      s.initials,
      s.idSealed,
      s.idHash,
      s.idMasked,
      s.sex,
      s.birthDate,
      o.ethnicity ?? '汉族',
      s.phoneSealed,
      s.phoneHash,
      s.phoneMasked,
      o.hukouAddress ?? null,
      o.currentAddress ?? null,
      o.status ?? 'active',
    ],
  );
  const id = rows[0]!.id;
  for (const code of o.tags ?? []) {
    const tagId = await ensureTag(env.db, code);
    await env.db.query(
      `INSERT INTO resident_tags (resident_id, tag_id, county_id, source) VALUES ($1, $2, $3, 'manual')`,
      [id, tagId, countyId],
    );
  }
  for (const c of o.contacts ?? []) {
    await env.db.query(
      `INSERT INTO resident_contacts (county_id, resident_id, name, relation, phone_sealed, phone_hash, phone_masked)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [countyId, id, c.name, c.relation, env.pii.seal(c.phone), env.pii.hash(c.phone, 'phone'), maskPhone(c.phone)],
    );
  }
  return { id, idNumber: s.idNumber, phone: s.phone, name: s.name };
}

/**
 * Many residents at one node in one statement (for volume tests): names 批量0, 批量1 …, birth dates spread
 * over the years so ages vary, every tenth one with a phone.
 */
export async function buildResidents(
  env: PeopleEnv,
  count: number,
  o: { nodeId: number; namePrefix?: string },
): Promise<BuiltResident[]> {
  const { path, countyId } = await place(env.db, o.nodeId);
  const made: BuiltResident[] = [];
  const cols: unknown[][] = Array.from({ length: 12 }, () => []);
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(1930, 0, 1) + (i % 30000) * 86_400_000).toISOString().slice(0, 10);
    const phone = i % 10 === 0 ? `139${String(10_000_000 + i).slice(-8)}` : null;
    const s = sealedRow(env, { nodeId: o.nodeId, name: `${o.namePrefix ?? '批量'}${i}`, birthDate: day, phone }, i);
    made.push({ id: 0, idNumber: s.idNumber, phone: s.phone, name: s.name });
    const values: unknown[] = [s.name, s.pinyin, s.initials, s.idSealed, s.idHash, s.idMasked, s.sex, s.birthDate];
    values.push(s.phoneSealed, s.phoneHash, s.phoneMasked, `批量路${i}号`);
    for (const [k, v] of values.entries()) cols[k]!.push(v);
  }
  const rows = await env.db.query<{ id: number }>(
    `INSERT INTO residents (county_id, node_id, node_path, name, name_pinyin, name_initials, id_sealed, id_hash, id_masked,
       sex, birth_date, phone_sealed, phone_hash, phone_masked, current_address)
     SELECT $1, $2, $3, v.* FROM unnest($4::text[], $5::text[], $6::text[], $7::bytea[], $8::bytea[], $9::text[],
       $10::text[], $11::date[], $12::bytea[], $13::bytea[], $14::text[], $15::text[]) AS v
     RETURNING id`,
    [countyId, o.nodeId, path, ...cols],
  );
  rows.forEach((r, i) => {
    made[i]!.id = r.id;
  });
  return made;
}
