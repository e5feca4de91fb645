import { communityOfNode, issuerAccount, postTransfer, residentAccount } from '../modules/points/ledger.repo.js';
import type { Db, Queryable } from '../platform/db/client.js';

/**
 * timebank [E]: the demo community's (东关社区) time bank, once — two volunteers of 第一网格 (enrolled here when part
 * D has not: skills for matching) with a few confirmed services to elders (hours deposited from the community's
 * issuer); one service to jumin's resident waiting for jumin to confirm (so jumin's phone shows 待我确认); one open
 * request from an elder, paid by the community. Needs the demo people and jumin's link; does nothing without them.
 */

const SETTING = 'demo_timebank';
const DAY = 86_400_000;

type Person = { id: number; name: string; node_id: number; node_path: string; county_id: number };

async function enroll(q: Queryable, residentId: number, skills: string[]): Promise<void> {
  await q.query(
    `INSERT INTO volunteers (resident_id, county_id, node_path, skills)
     SELECT id, county_id, node_path, $2 FROM residents WHERE id = $1
     ON CONFLICT (resident_id) DO UPDATE
       SET skills = (SELECT array_agg(DISTINCT s) FROM unnest(volunteers.skills || EXCLUDED.skills) s)`,
    [residentId, skills],
  );
}

async function service(
  q: Queryable,
  o: { volunteer: Person; recipient: Person; type: string; minutes: number; daysAgo: number; note: string },
  recordedBy: number,
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO timebank_services (county_id, node_id, node_path, volunteer_resident_id, recipient_resident_id,
       service_type, served_at, minutes, note, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      o.recipient.county_id,
      o.recipient.node_id,
      o.recipient.node_path,
      o.volunteer.id,
      o.recipient.id,
      o.type,
      new Date(Date.now() - o.daysAgo * DAY),
      o.minutes,
      o.note,
      recordedBy,
    ],
  );
  return Number(row!.id);
}

export async function loadDemoTimebank(db: Db): Promise<{ services: number } | null> {
  if ((await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0) return null;
  const region = await db.query<{ value: { ids: Record<string, number> } }>(
    `SELECT value FROM system_settings WHERE key = 'demo_region'`,
  );
  const ids = region[0]?.value.ids;
  if (!ids?.community || !ids.grid) return null;
  const [users] = await db.query<{ jumin_resident: number | null; shequ: number | null }>(
    `SELECT (SELECT resident_id FROM users WHERE username = 'jumin') AS jumin_resident,
            (SELECT id FROM users WHERE username = 'shequ') AS shequ`,
  );
  if (!users?.jumin_resident || !users.shequ) return null;
  const shequ = Number(users.shequ);
  const cols = 'r.id::int AS id, r.name, r.node_id::int AS node_id, r.node_path, r.county_id::int AS county_id';
  const [grid] = await db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [ids.grid]);
  const [jumin] = await db.query<Person & { household_id: number | null }>(
    `SELECT ${cols}, r.household_id FROM residents r WHERE r.id = $1`,
    [users.jumin_resident],
  );
  if (!grid || !jumin) return null;
  const others = `r.status = 'active' AND r.node_path LIKE $1 || '%' AND r.id <> $2
    AND r.household_id IS DISTINCT FROM $3::bigint AND NOT EXISTS (SELECT 1 FROM users u WHERE u.resident_id = r.id)`;
  // volunteers: two adults under 60 in different households; elders: the three oldest
  const volunteers = await db.query<Person>(
    `SELECT DISTINCT ON (r.household_id) ${cols} FROM residents r
      WHERE ${others} AND r.birth_date BETWEEN current_date - interval '60 years' AND current_date - interval '20 years'
      ORDER BY r.household_id, r.id LIMIT 2`,
    [grid.path, jumin.id, jumin.household_id],
  );
  const elders = await db.query<Person>(
    `SELECT ${cols} FROM residents r WHERE ${others} AND r.birth_date < current_date - interval '70 years'
      ORDER BY r.birth_date, r.id LIMIT 3`,
    [grid.path, jumin.id, jumin.household_id],
  );
  if (volunteers.length < 2 || elders.length < 2) return null;
  const [a, b] = volunteers as [Person, Person];
  const community = await communityOfNode(db, Number(jumin.node_id));
  if (!community) return null;
  return db.transaction(async (tx) => {
    await enroll(tx, a.id, ['walking', 'companionship', 'shopping']);
    await enroll(tx, b.id, ['repairs', 'cleaning']);
    const issuer = await issuerAccount(tx, community.id, 'hours');
    const confirmed = [
      {
        volunteer: a,
        recipient: elders[0]!,
        type: 'walking',
        minutes: 120,
        daysAgo: 12,
        note: '陪同到社区医院体检',
      },
      { volunteer: a, recipient: elders[1]!, type: 'companionship', minutes: 60, daysAgo: 6, note: '陪老人聊天、读报' },
      { volunteer: b, recipient: elders[1]!, type: 'repairs', minutes: 90, daysAgo: 4, note: '修理水龙头和门锁' },
      { volunteer: a, recipient: elders[0]!, type: 'shopping', minutes: 45, daysAgo: 2, note: '代买药品和蔬菜' },
    ];
    for (const s of confirmed) {
      const id = await service(tx, s, shequ);
      const to = await residentAccount(tx, s.volunteer.id, 'hours');
      const t = await postTransfer(tx, {
        currency: 'hours',
        kind: 'service',
        amount: s.minutes,
        fromAccountId: issuer.id,
        toAccountId: to.id,
        reason: `时间银行服务 ${s.type} ${s.minutes} 分钟`,
        sourceType: 'timebank_service',
        sourceId: id,
        idempotencyKey: `timebank:service:${id}`,
        operatorId: shequ,
      });
      await tx.query(
        `UPDATE timebank_services SET status = 'confirmed', confirmed_by = $2, confirmed_at = served_at + interval '1 day',
           transfer_id = $3 WHERE id = $1`,
        [id, shequ, t.id],
      );
    }
    // waiting for jumin: a volunteer helped him yesterday
    await service(
      tx,
      { volunteer: b, recipient: jumin, type: 'repairs', minutes: 60, daysAgo: 1, note: '帮忙疏通下水道' },
      shequ,
    );
    // an elder living alone asks for company; the community pays
    const elder = elders[2] ?? elders[0]!;
    await tx.query(
      `INSERT INTO timebank_requests (county_id, node_id, node_path, requester_resident_id, beneficiary_resident_id,
         requested_by, service_type, description, place, wanted_at, minutes, pay_from)
       VALUES ($1, $2, $3, $4, $4, $5, 'companionship', '独居老人，希望有人陪同散步、聊天', '家中及小区内', $6, 90,
         'community')`,
      [elder.county_id, elder.node_id, elder.node_path, elder.id, shequ, new Date(Date.now() + 2 * DAY)],
    );
    await tx.query(`INSERT INTO system_settings (key, value) VALUES ($1, $2)`, [
      SETTING,
      JSON.stringify({ volunteers: [a.id, b.id] }),
    ]);
    return { services: confirmed.length + 1 };
  });
}
