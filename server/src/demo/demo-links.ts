import { createUser, usernameTaken } from '../modules/users/users.service.js';
import { createLinks } from '../modules/visits/links.service.js';
import { systemCtx } from '../platform/access/context.js';
import type { Db } from '../platform/db/client.js';
import type { PiiCipher } from '../platform/pii/index.js';
import { DEMO_PASSWORD } from './demo-region.js';

/**
 * grid work [D]: 一网三联 in the demo community (东关社区): two party members (volunteers with accounts, password
 * DEMO_PASSWORD) linked to 12 households each of 第一网格, and the building leader (louzhang) linked to 1号楼 — so
 * the links pages and the phone's "my households" are not empty. Through the links service (rules and audit); once.
 */

const SETTING = 'demo_links';

export const DEMO_PARTY_MEMBERS = [
  { username: 'dangyuan1', displayName: '王党员', note: '东关社区 党员（联户）' },
  { username: 'dangyuan2', displayName: '孙党员', note: '东关社区 党员（联户）' },
] as const;

const PER_MEMBER = 12;

export async function loadDemoLinks(db: Db, pii: PiiCipher): Promise<{ links: number } | null> {
  if ((await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0) return null;
  const region = await db.query<{ value: { ids: Record<string, number> } }>(
    `SELECT value FROM system_settings WHERE key = 'demo_region'`,
  );
  const ids = region[0]?.value.ids;
  if (!ids?.community || !ids.grid || !ids.building) return null;
  const grid = await db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [ids.grid]);
  const households = await db.query<{ id: number }>(
    `SELECT id::int AS id FROM households WHERE node_path LIKE $1 AND dissolved_at IS NULL ORDER BY node_path, id
      LIMIT ${PER_MEMBER * DEMO_PARTY_MEMBERS.length}`,
    [`${grid[0]!.path}%`],
  );
  if (households.length === 0) return null;
  const ctx = systemCtx('demo');
  const validFrom = '2026-01-01';
  let links = 0;
  for (const [i, m] of DEMO_PARTY_MEMBERS.entries()) {
    if (await usernameTaken(db, m.username)) continue;
    const user = await createUser(
      { db, pii },
      ctx,
      {
        username: m.username,
        displayName: m.displayName,
        password: DEMO_PASSWORD,
        phone: `1380537${String(2000 + i).padStart(4, '0')}`,
        homeNodeId: ids.community,
        posts: [{ nodeId: ids.community, role: 'volunteer' }],
      },
      { mustChangePassword: false },
    );
    const mine = households.slice(i * PER_MEMBER, (i + 1) * PER_MEMBER).map((h) => h.id);
    if (mine.length === 0) continue;
    const r = await createLinks({ db }, ctx, {
      kind: 'party_household',
      userId: user.id,
      householdIds: mine,
      validFrom,
      note: m.note,
    });
    links += r.items.length;
  }
  const leader = await db.query<{ id: number }>(`SELECT id::int AS id FROM users WHERE lower(username) = 'louzhang'`);
  if (leader[0]) {
    const r = await createLinks({ db }, ctx, {
      kind: 'leader_building',
      userId: leader[0].id,
      nodeId: ids.building,
      validFrom,
      note: '红色楼长',
    });
    links += r.items.length;
  }
  await db.query('INSERT INTO system_settings (key, value) VALUES ($1, $2)', [SETTING, JSON.stringify({ links })]);
  return { links };
}
