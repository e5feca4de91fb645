import type { CreateNodeBody } from '../modules/org/org.schemas.js';
import { createNodeIn } from '../modules/org/org.service.js';
import { createUser, usernameTaken } from '../modules/users/users.service.js';
import { systemCtx } from '../platform/access/context.js';
import type { Role } from '../platform/access/roles.js';
import type { Db, Queryable } from '../platform/db/client.js';
import type { PiiCipher } from '../platform/pii/index.js';
import { demoBuildingBoundary, demoCommunityBoundary, demoGridBoundary } from './demo-boundaries.js';

/**
 * A synthetic but plausible region in the style of the seeds' Shandong towns, so that a visitor can see
 * every role's view at once. Names and codes are invented (370899 is not an assigned county code).
 */
export const DEMO_PASSWORD = 'Linli@2026';
export const DEMO_COUNTY = { name: '泗源县', code: '370899' };

type Area = {
  name: string;
  code: string;
  kind: 'street' | 'town';
  places: { name: string; kind: 'community' | 'village' }[];
};

const AREAS: Area[] = [
  {
    name: '泗源街道',
    code: '370899001',
    kind: 'street',
    places: [
      { name: '东关社区', kind: 'community' },
      { name: '西关社区', kind: 'community' },
      { name: '文昌社区', kind: 'community' },
      { name: '杏坛社区', kind: 'community' },
    ],
  },
  {
    name: '白石镇',
    code: '370899101',
    kind: 'town',
    places: [
      { name: '白石村', kind: 'village' },
      { name: '河口村', kind: 'village' },
      { name: '柳林村', kind: 'village' },
      { name: '南岭村', kind: 'village' },
    ],
  },
];

const ORDINALS = ['一', '二', '三', '四', '五', '六'];
const GRIDS_PER_PLACE = 5;
const MICRO_PER_GRID = 2;
const BUILDINGS_PER_MICRO = 3;
const UNITS_PER_BUILDING = 2;

export type DemoIds = Record<string, number>;

const SETTING = 'demo_region';

export async function isDemoLoaded(db: Queryable): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING]);
  return rows.length > 0;
}

/** Builds the demo hierarchy in one transaction; returns ids of the nodes the demo accounts sit on. */
export async function loadDemoRegion(db: Db): Promise<{ nodes: number; ids: DemoIds }> {
  const ctx = systemCtx('demo');
  return db.transaction(async (tx) => {
    let count = 0;
    const ids: DemoIds = {};
    const add = async (body: CreateNodeBody) => {
      count++;
      return (await createNodeIn(tx, ctx, body)).id;
    };
    ids.county = await add({ parentId: null, type: 'county', name: DEMO_COUNTY.name, code: DEMO_COUNTY.code });
    for (const [ai, area] of AREAS.entries()) {
      const areaId = await add({ parentId: ids.county, type: area.kind, name: area.name, code: area.code });
      if (ai === 0) ids.street = areaId;
      for (const [pi, place] of area.places.entries()) {
        const placeCode = `${area.code}${String(pi + 1).padStart(3, '0')}`;
        // The demo community (东关社区) has its outlines drawn, for the phone's grid map (demo-boundaries.ts).
        const isMapped = ai === 0 && pi === 0;
        const placeId = await add({
          parentId: areaId,
          type: place.kind,
          name: place.name,
          code: placeCode,
          ...(isMapped ? { boundary: demoCommunityBoundary() } : {}),
        });
        if (ai === 0 && pi === 0) ids.community = placeId;
        for (let g = 0; g < GRIDS_PER_PLACE; g++) {
          const gridId = await add({
            parentId: placeId,
            type: 'grid',
            name: `第${ORDINALS[g]}网格`,
            code: `${placeCode}G${String(g + 1).padStart(2, '0')}`,
            ...(isMapped ? { boundary: demoGridBoundary(g) } : {}),
          });
          if (ai === 0 && pi === 0 && g === 0) ids.grid = gridId;
          let building = 0;
          for (let m = 0; m < MICRO_PER_GRID; m++) {
            const microId = await add({ parentId: gridId, type: 'micro_grid', name: `${m + 1}号微网格` });
            // Villages are courtyards, not blocks of flats: their micro-grids hold households later.
            if (place.kind === 'village') continue;
            for (let b = 0; b < BUILDINGS_PER_MICRO; b++) {
              building++;
              const buildingNo = g * MICRO_PER_GRID * BUILDINGS_PER_MICRO + building;
              const bId = await add({
                parentId: microId,
                type: 'building',
                name: `${buildingNo}号楼`,
                ...(isMapped ? { boundary: demoBuildingBoundary(g, building - 1) } : {}),
              });
              if (ai === 0 && pi === 0 && g === 0 && m === 0 && b === 0) ids.building = bId;
              for (let u = 0; u < UNITS_PER_BUILDING; u++) {
                const uId = await add({ parentId: bId, type: 'unit', name: `${u + 1}单元` });
                if (ids.building === bId && u === 0) ids.unit = uId;
              }
            }
          }
        }
      }
    }
    await tx.query('INSERT INTO system_settings (key, value) VALUES ($1, $2)', [
      SETTING,
      JSON.stringify({ ids, nodes: count }),
    ]);
    return { nodes: count, ids };
  });
}

export type DemoAccount = { username: string; displayName: string; role: Role; node: keyof DemoIds; note: string };

/** One account per role; the README lists them. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'jiedao', displayName: '王街道', role: 'street_admin', node: 'street', note: '泗源街道 管理员' },
  {
    username: 'shequ',
    displayName: '李社工',
    role: 'community_worker',
    node: 'community',
    note: '东关社区 社区工作者',
  },
  { username: 'wangge', displayName: '张网格', role: 'grid_worker', node: 'grid', note: '东关社区第一网格 网格员' },
  { username: 'louzhang', displayName: '赵楼长', role: 'building_leader', node: 'building', note: '1号楼 红色楼长' },
  { username: 'bumen', displayName: '县民政局', role: 'department', node: 'county', note: '职能部门' },
  { username: 'jumin', displayName: '陈居民', role: 'resident', node: 'unit', note: '1号楼1单元 居民' },
  { username: 'zhiyuan', displayName: '刘志愿', role: 'volunteer', node: 'community', note: '东关社区 志愿者' },
  { username: 'huoban', displayName: '泗源爱心协会', role: 'partner', node: 'street', note: '红色合伙人' },
  { username: 'shanghu', displayName: '东关便民超市', role: 'merchant', node: 'community', note: '积分兑换商户' },
];

/** Creates the demo accounts that do not exist yet (safe to run again). */
export async function loadDemoAccounts(db: Db, pii: PiiCipher): Promise<number> {
  const rows = await db.query<{ value: { ids: DemoIds } }>('SELECT value FROM system_settings WHERE key = $1', [
    SETTING,
  ]);
  const ids = rows[0]?.value.ids;
  if (!ids) return 0;
  const ctx = systemCtx('demo');
  let created = 0;
  for (const [i, a] of DEMO_ACCOUNTS.entries()) {
    if (await usernameTaken(db, a.username)) continue;
    const nodeId = ids[a.node]!;
    // Demo accounts are for looking around: no forced password change.
    await createUser(
      { db, pii },
      ctx,
      {
        username: a.username,
        displayName: a.displayName,
        password: DEMO_PASSWORD,
        phone: `1380537${String(1000 + i).padStart(4, '0')}`,
        homeNodeId: nodeId,
        posts: [{ nodeId, role: a.role }],
      },
      { mustChangePassword: false },
    );
    created++;
  }
  return created;
}

/**
 * Links the demo resident's account (jumin, at 1号楼1单元) to the head of the first household there, so that the
 * phone home shows a household; done once the demo people exist, and never over a link someone set.
 */
export async function linkDemoResident(db: Db): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `WITH head AS (
       SELECT u.id AS user_id, (SELECT r.id FROM residents r
          WHERE r.node_id = u.home_node_id AND r.relation = 'head' AND r.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM users o WHERE o.resident_id = r.id)
          ORDER BY r.id LIMIT 1) AS resident_id
         FROM users u WHERE lower(u.username) = 'jumin' AND u.resident_id IS NULL)
     UPDATE users u SET resident_id = head.resident_id FROM head
      WHERE u.id = head.user_id AND head.resident_id IS NOT NULL
      RETURNING u.id`,
  );
  return rows.length > 0;
}
