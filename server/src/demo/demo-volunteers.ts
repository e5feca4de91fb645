import { randomBytes } from 'node:crypto';
import { creditEndedActivities } from '../modules/volunteers/activities.service.js';
import { registerVolunteerNotifications } from '../modules/volunteers/volunteers.notify.js';
import type { Db, Queryable } from '../platform/db/client.js';

/**
 * volunteers [D]: the demo community's volunteering — zhiyuan (刘志愿) linked to a resident of 东关社区 and enrolled
 * with skills; the teams 东关社区志愿服务队 (zhiyuan leads) and 新业态移动网格员队 (two riders); activities: one
 * ended yesterday and credited (jumin attended, another no-show), a health walk tomorrow open for sign-up, a choir
 * rehearsal next week (reward by rule). Straight into the tables (the demo runs as the system), once.
 */

const SETTING = 'demo_volunteers';
const HOUR = 3_600_000;

async function unlinkedResidents(q: Queryable, path: string, n: number): Promise<{ id: number }[]> {
  return q.query<{ id: number }>(
    `SELECT r.id::int AS id FROM residents r
      WHERE r.node_path LIKE $1 AND r.status = 'active' AND r.birth_date < DATE '2000-01-01'
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.resident_id = r.id)
        AND NOT EXISTS (SELECT 1 FROM volunteers v WHERE v.resident_id = r.id)
      ORDER BY r.id LIMIT ${Number(n)}`,
    [`${path}%`],
  );
}

async function enrol(q: Queryable, residentId: number, kind: string, skills: string[], userId: number | null) {
  await q.query(
    `INSERT INTO volunteers (resident_id, county_id, node_path, user_id, kind, skills)
     SELECT id, county_id, node_path, $2, $3, $4 FROM residents WHERE id = $1 ON CONFLICT (resident_id) DO NOTHING`,
    [residentId, userId, kind, skills],
  );
}

/** A Shanghai wall-clock time `days` from today at `hour`:00. */
function shanghaiAt(days: number, hour: number): Date {
  const now = new Date(Date.now() + 8 * HOUR);
  const d = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, hour) - 8 * HOUR;
  return new Date(d);
}

export async function loadDemoVolunteers(db: Db): Promise<{ activities: number } | null> {
  // main.ts loads the demo before the app registers the notification kinds: crediting tells attendees
  registerVolunteerNotifications();
  if ((await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0) return null;
  const region = await db.query<{ value: { ids: Record<string, number> } }>(
    `SELECT value FROM system_settings WHERE key = 'demo_region'`,
  );
  const communityId = region[0]?.value.ids.community;
  if (!communityId) return null;
  const [community] = await db.query<{ path: string; county_id: number }>(
    'SELECT path, county_id FROM org_nodes WHERE id = $1',
    [communityId],
  );
  if (!community) return null;
  const users = await db.query<{ id: number; username: string; resident_id: number | null }>(
    `SELECT id::int AS id, username, resident_id::int AS resident_id FROM users WHERE username IN ('zhiyuan', 'jumin')`,
  );
  const zhiyuan = users.find((u) => u.username === 'zhiyuan');
  const jumin = users.find((u) => u.username === 'jumin');
  const picked = await unlinkedResidents(db, community.path, 4);
  if (picked.length < 4) return null;

  const created = await db.transaction(async (tx) => {
    // zhiyuan: linked to a resident of 东关社区 (unless someone linked them already) and enrolled
    let zhiyuanResident = zhiyuan?.resident_id ?? null;
    if (zhiyuan && zhiyuanResident === null) {
      zhiyuanResident = picked[0]!.id;
      await tx.query('UPDATE users SET resident_id = $2 WHERE id = $1 AND resident_id IS NULL', [
        zhiyuan.id,
        zhiyuanResident,
      ]);
    }
    if (zhiyuanResident !== null)
      await enrol(tx, zhiyuanResident, 'resident', ['companionship', 'repairs', 'shopping'], zhiyuan?.id ?? null);
    const riders = [picked[1]!.id, picked[2]!.id];
    for (const r of riders) await enrol(tx, r, 'rider', ['shopping'], null);
    await enrol(tx, picked[3]!.id, 'resident', ['meals', 'cleaning'], null);

    const team = async (name: string, kind: string, description: string, leaderUserId: number | null) => {
      const [t] = await tx.query<{ id: number }>(
        `INSERT INTO volunteer_teams (county_id, node_id, node_path, name, kind, description, leader_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int AS id`,
        [community.county_id, communityId, community.path, name, kind, description, leaderUserId],
      );
      return t!.id;
    };
    const service = await team(
      '东关社区志愿服务队',
      'volunteer',
      '助老、助洁、陪伴聊天，每周六集中服务',
      zhiyuan?.id ?? null,
    );
    const mobile = await team('新业态移动网格员队', 'mobile_grid', '外卖骑手、快递员随手拍，发现隐患及时上报', null);
    const member = (teamId: number, residentId: number, role = 'member') =>
      tx.query(
        'INSERT INTO volunteer_team_members (team_id, resident_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [teamId, residentId, role],
      );
    if (zhiyuanResident !== null) await member(service, zhiyuanResident, 'leader');
    await member(service, picked[3]!.id);
    for (const r of riders) await member(mobile, r);

    const activity = async (o: {
      title: string;
      type: string;
      place: string;
      starts: Date;
      hours: number;
      capacity: number | null;
      reward: number | null;
      teamId: number | null;
      description: string;
    }) => {
      const [a] = await tx.query<{ id: number }>(
        `INSERT INTO activities (county_id, node_id, node_path, team_id, title, description, activity_type, place,
           starts_at, ends_at, capacity, reward_amount, checkin_secret)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id::int AS id`,
        [
          community.county_id,
          communityId,
          community.path,
          o.teamId,
          o.title,
          o.description,
          o.type,
          o.place,
          o.starts,
          new Date(o.starts.getTime() + o.hours * HOUR),
          o.capacity,
          o.reward,
          randomBytes(24).toString('hex'),
        ],
      );
      return a!.id;
    };
    const ended = await activity({
      title: '垃圾分类宣传进小区',
      type: 'garbage_sorting',
      place: '东关社区党群服务中心',
      starts: shanghaiAt(-1, 9),
      hours: 2,
      capacity: 20,
      reward: 10,
      teamId: service,
      description: '向居民讲解垃圾分类，发放宣传册',
    });
    const signups: [number, boolean][] = [];
    if (jumin?.resident_id != null) signups.push([jumin.resident_id, true]);
    signups.push([picked[3]!.id, false]);
    for (const [rid, attended] of signups)
      await tx.query(
        `INSERT INTO activity_signups (activity_id, resident_id, user_id, signed_up_at, checked_in_at, checkin_method)
         VALUES ($1, $2, (SELECT id FROM users WHERE resident_id = $2 LIMIT 1), $3, $4, $5)`,
        [ended, rid, shanghaiAt(-3, 10), attended ? shanghaiAt(-1, 9) : null, attended ? 'qr' : null],
      );
    await activity({
      title: '健步走 · 环城公园',
      type: 'health_walk',
      place: '环城公园南门',
      starts: shanghaiAt(1, 8),
      hours: 2,
      capacity: 30,
      reward: 5,
      teamId: null,
      description: '全程约 5 公里，请穿运动鞋，自带饮用水',
    });
    await activity({
      title: '社区合唱团排练',
      type: 'choir',
      place: '东关社区活动室',
      starts: shanghaiAt(7, 15),
      hours: 2,
      capacity: 40,
      reward: null,
      teamId: null,
      description: '排练《歌唱祖国》，欢迎喜爱唱歌的居民参加',
    });
    await tx.query(`INSERT INTO system_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [
      SETTING,
      JSON.stringify({ loadedAt: new Date().toISOString() }),
    ]);
    return 3;
  });
  // the ended activity: credited as the job would (jumin attended, the other a no-show)
  await creditEndedActivities(db);
  return { activities: created };
}
