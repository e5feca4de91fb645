/**
 * Demo notices (信息发布) for 东关社区: a public activity notice, an important notice for the community's 高龄老人
 * that asks for confirmation, a water-cut reminder for 第一网格 (published through the scheduler's path, so the
 * targeted residents get their inbox message), one waiting for review and one draft. Once (skipped when the
 * demo's first notice exists).
 */
import '../modules/notices/notices.hooks.js';
import * as repo from '../modules/notices/notices.repo.js';
import { publishDue } from '../modules/notices/notices.service.js';
import type { Db } from '../platform/db/client.js';

const FIRST = '东关社区“邻里节”文艺汇演报名通知';

type DemoNotice = {
  title: string;
  category: repo.NoticeWrite['category'];
  at: 'community' | 'grid';
  tags?: string[];
  body: string;
  isPublic?: boolean;
  isImportant?: boolean;
  status: 'draft' | 'submitted' | 'published';
  author: 'shequ' | 'wangge';
};

const NOTICES: DemoNotice[] = [
  {
    title: FIRST,
    category: 'activity',
    at: 'community',
    body:
      '<p>为丰富居民文化生活，东关社区将于本月最后一个周六下午 2 点在社区广场举办“邻里节”文艺汇演。</p>' +
      '<ul><li>报名时间：即日起至本周五</li><li>报名方式：到社区党群服务中心一楼登记，或联系本网格网格员</li>' +
      '<li>节目类型：歌舞、戏曲、朗诵、器乐均可，每个节目不超过 6 分钟</li></ul><p>欢迎各位居民踊跃参加！</p>',
    isPublic: true,
    status: 'published',
    author: 'shequ',
  },
  {
    title: '关于高龄津贴年度资格认证的通知',
    category: 'policy',
    at: 'community',
    tags: ['aged_80'],
    body:
      '<p>根据《山东省老年人权益保障条例》，享受高龄津贴的老人须每年进行一次资格认证。</p>' +
      '<p><strong>请于下月 15 日前</strong>由本人或家属携带身份证、户口簿到社区党群服务中心办理；行动不便的，' +
      '可联系网格员预约上门认证。逾期未认证的，将暂停发放津贴。</p>',
    isImportant: true,
    status: 'published',
    author: 'shequ',
  },
  {
    title: '第一网格周四停水提醒',
    category: 'reminder',
    at: 'grid',
    body: '<p>因供水管网检修，本周四 8:00—16:00 第一网格 1—6 号楼停水，请提前储水。如有困难请联系网格员。</p>',
    status: 'published',
    author: 'wangge',
  },
  {
    title: '冬季用电用气安全提示',
    category: 'announcement',
    at: 'grid',
    body: '<p>天气转冷，请勿私拉电线给电动车充电，使用燃气后及时关闭阀门，家中老人请家属多加关照。</p>',
    status: 'submitted',
    author: 'wangge',
  },
  {
    title: '社区卫生服务站义诊活动（草稿）',
    category: 'activity',
    at: 'community',
    body: '<p>时间、地点待定。</p>',
    status: 'draft',
    author: 'shequ',
  },
];

/** Loads the demo notices; false when they are there already (or the demo region is missing). */
export async function loadDemoNotices(db: Db): Promise<{ notices: number; published: number } | false> {
  const exists = await db.query('SELECT 1 FROM notices WHERE title = $1', [FIRST]);
  if (exists.length > 0) return false;
  const [place] = await db.query<{ community: number; grid: number }>(
    `SELECT c.id AS community, g.id AS grid FROM org_nodes c JOIN org_nodes g ON g.parent_id = c.id
      WHERE c.name = '东关社区' AND g.name = '第一网格' AND c.status = 'active' LIMIT 1`,
  );
  const users = await db.query<{ username: string; id: number }>(
    `SELECT lower(username) AS username, id FROM users WHERE lower(username) IN ('shequ', 'wangge', 'jiedao')`,
  );
  const userId = new Map(users.map((u) => [u.username, Number(u.id)]));
  if (!place || !userId.has('shequ') || !userId.has('wangge') || !userId.has('jiedao')) return false;
  const tags = await db.query<{ id: number; code: string }>('SELECT id, code FROM tags WHERE code = ANY ($1)', [
    ['aged_80'],
  ]);
  const tagId = new Map(tags.map((t) => [t.code, Number(t.id)]));
  await db.transaction(async (tx) => {
    for (const n of NOTICES) {
      const node = await repo.findNode(tx, n.at === 'community' ? Number(place.community) : Number(place.grid));
      if (!node) continue;
      const id = await repo.insertNotice(
        tx,
        {
          countyId: node.county_id,
          nodeId: node.id,
          nodePath: node.path,
          tagIds: (n.tags ?? []).map((c) => tagId.get(c)).filter((x): x is number => x !== undefined),
          title: n.title,
          category: n.category,
          bodyHtml: n.body,
          isPublic: n.isPublic ?? false,
          isImportant: n.isImportant ?? false,
        },
        userId.get(n.author)!,
      );
      if (n.status === 'submitted') await repo.setStatus(tx, id, 'submitted', { submittedAt: new Date() });
      if (n.status === 'published') {
        // approved by the street (four eyes), due now: the scheduler's path publishes it below
        await repo.setStatus(tx, id, 'approved', {
          submittedAt: new Date(),
          reviewerId: userId.get('jiedao')!,
          publishAt: new Date(),
        });
      }
    }
  });
  const published = await publishDue(db);
  return { notices: NOTICES.length, published };
}
