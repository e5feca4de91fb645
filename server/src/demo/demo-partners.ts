import { creditCodeCheckChar } from '../modules/partners/partners.logic.js';
import { communityOfNode, issuerAccount, organisationAccount, postTransfer } from '../modules/points/ledger.repo.js';
import type { Db, Queryable } from '../platform/db/client.js';
import { maskPhone, type PiiCipher } from '../platform/pii/index.js';

/**
 * partners [F]: 红色合伙人 of the demo: huoban's 泗源爱心协会 (approved, huoban a member), a company and a clinic of
 * 东关社区, and six projects of 东关社区 — some claimed, one delivered and confirmed with its reward credited to the
 * organisation from the community's issuer, one delivered awaiting review, two open. Once (system_settings).
 */

const SETTING = 'demo_partners';

const code = (body17: string) => `${body17}${creditCodeCheckChar(body17)}`;

const ORGS = [
  {
    key: 'aixin',
    name: '泗源爱心协会',
    kind: 'social_org',
    creditCode: code('51370800MJD123456'),
    contact: '李爱心',
    phone: '13905370001',
    description: '扎根泗源街道的公益社会组织，长期开展助老、关爱儿童志愿服务。',
    at: 'street',
    member: 'huoban',
  },
  {
    key: 'company',
    name: '鲁源建设有限公司',
    kind: 'company',
    creditCode: code('91370800MA3C12345'),
    contact: '赵经理',
    phone: '13905370002',
    description: '辖区共建单位，参与环境整治与设施维修。',
    at: 'community',
    member: null,
  },
  {
    key: 'clinic',
    name: '东关仁和诊所',
    kind: 'institution',
    creditCode: code('52370800MJE654321'),
    contact: '王医生',
    phone: '05372345678',
    description: '社区周边诊所，定期义诊、健康讲座。',
    at: 'community',
    member: null,
  },
] as const;

type ProjectSpec = {
  title: string;
  category: string;
  description: string;
  maxClaims: number;
  reward: number | null;
  claim?: { org: (typeof ORGS)[number]['key']; plan: string };
  delivery?: { on: string; summary: string; people: number; confirm: boolean };
};

const PROJECTS: ProjectSpec[] = [
  {
    title: '敬老院义务理发',
    category: 'elderly_care',
    description: '每月为社区敬老院老人义务理发一次。',
    maxClaims: 1,
    reward: 100,
    claim: { org: 'aixin', plan: '每月第一个周六上午，派出4名志愿者。' },
    delivery: { on: '2026-11-07', summary: '为敬老院32位老人义务理发、修剪指甲。', people: 32, confirm: true },
  },
  {
    title: '留守儿童课业辅导',
    category: 'children',
    description: '周末为留守儿童提供课业辅导与陪伴。',
    maxClaims: 2,
    reward: 80,
    claim: { org: 'aixin', plan: '周六下午在社区党群服务中心开展辅导。' },
    delivery: { on: '2026-11-28', summary: '辅导12名小学生完成作业，开展安全教育。', people: 12, confirm: false },
  },
  {
    title: '社区义诊',
    category: 'health',
    description: '为辖区老人测血压、血糖，讲解慢病防治。',
    maxClaims: 1,
    reward: 120,
    claim: { org: 'clinic', plan: '12月中旬在社区广场开展义诊半天。' },
  },
  {
    title: '小区环境整治',
    category: 'environment',
    description: '老旧小区楼道杂物清理、绿化带整治。',
    maxClaims: 3,
    reward: 50,
    claim: { org: 'company', plan: '出动10人、2台车，清理1—3号楼楼道。' },
  },
  {
    title: '家政技能培训',
    category: 'skills',
    description: '面向就业困难人员的家政服务技能培训。',
    maxClaims: 2,
    reward: 60,
  },
  {
    title: '重阳节文艺汇演',
    category: 'culture',
    description: '重阳节为老人组织文艺汇演。',
    maxClaims: 1,
    reward: null,
  },
];

async function nodeRow(q: Queryable, id: number) {
  const [n] = await q.query<{ id: number; county_id: number; path: string }>(
    'SELECT id, county_id, path FROM org_nodes WHERE id = $1',
    [id],
  );
  return n!;
}

export async function loadDemoPartners(db: Db, pii: PiiCipher): Promise<{ orgs: number; projects: number } | null> {
  if ((await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0) return null;
  const region = await db.query<{ value: { ids: Record<string, number> } }>(
    `SELECT value FROM system_settings WHERE key = 'demo_region'`,
  );
  const ids = region[0]?.value.ids;
  if (!ids?.street || !ids.community) return null;
  return db.transaction(async (tx) => {
    const [worker] = await tx.query<{ id: number }>(`SELECT id FROM users WHERE lower(username) = 'shequ'`);
    const reviewer = worker?.id ?? null;
    const orgIds = new Map<string, number>();
    for (const o of ORGS) {
      const node = await nodeRow(tx, o.at === 'street' ? ids.street! : ids.community!);
      const [r] = await tx.query<{ id: number }>(
        `INSERT INTO partner_orgs (county_id, node_id, node_path, name, kind, credit_code, contact_name, phone_masked,
           phone_sealed, description, status, reviewed_by, reviewed_at, review_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'approved', $11, now(), '材料齐全，同意加入')
         RETURNING id`,
        [
          node.county_id,
          node.id,
          node.path,
          o.name,
          o.kind,
          o.creditCode,
          o.contact,
          maskPhone(o.phone),
          pii.seal(o.phone),
          o.description,
          reviewer,
        ],
      );
      orgIds.set(o.key, Number(r!.id));
      if (o.member) {
        await tx.query(
          `INSERT INTO partner_members (org_id, user_id) SELECT $1, id FROM users WHERE lower(username) = $2
           ON CONFLICT DO NOTHING`,
          [r!.id, o.member],
        );
        await tx.query(
          `UPDATE partner_orgs SET applied_by = (SELECT id FROM users WHERE lower(username) = $2)
                         WHERE id = $1`,
          [r!.id, o.member],
        );
      }
    }
    const community = await nodeRow(tx, ids.community!);
    const issuerCommunity = (await communityOfNode(tx, ids.community!))!;
    for (const p of PROJECTS) {
      const [r] = await tx.query<{ id: number }>(
        `INSERT INTO partner_projects (county_id, node_id, node_path, title, description, category, max_claims,
           reward_points, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          community.county_id,
          community.id,
          community.path,
          p.title,
          p.description,
          p.category,
          p.maxClaims,
          p.reward,
          reviewer,
        ],
      );
      if (!p.claim) continue;
      const orgId = orgIds.get(p.claim.org)!;
      const status = p.delivery ? (p.delivery.confirm ? 'confirmed' : 'delivered') : 'claimed';
      const [c] = await tx.query<{ id: number }>(
        `INSERT INTO partner_claims (project_id, org_id, node_path, plan, status) VALUES ($1, $2, $3, $4, $5)
         RETURNING id`,
        [r!.id, orgId, community.path, p.claim.plan, status],
      );
      if (!p.delivery) continue;
      const [d] = await tx.query<{ id: number }>(
        `INSERT INTO partner_deliveries (claim_id, delivered_on, summary, people_served, status, reviewed_by,
           reviewed_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5 = 'confirmed' THEN now() END) RETURNING id`,
        [
          c!.id,
          p.delivery.on,
          p.delivery.summary,
          p.delivery.people,
          p.delivery.confirm ? 'confirmed' : 'submitted',
          p.delivery.confirm ? reviewer : null,
        ],
      );
      if (p.delivery.confirm && p.reward) {
        const issuer = await issuerAccount(tx, issuerCommunity.id, 'points');
        const account = await organisationAccount(tx, orgId, issuerCommunity.id, 'points');
        const t = await postTransfer(tx, {
          currency: 'points',
          kind: 'earn',
          amount: p.reward,
          fromAccountId: issuer.id,
          toAccountId: account.id,
          reason: `合伙人服务：${p.title}`,
          sourceType: 'partner_delivery',
          sourceId: Number(d!.id),
          idempotencyKey: `partner:delivery:${d!.id}`,
          operatorId: reviewer,
        });
        await tx.query('UPDATE partner_deliveries SET transfer_id = $2 WHERE id = $1', [d!.id, t.id]);
      }
    }
    await tx.query('INSERT INTO system_settings (key, value) VALUES ($1, $2)', [
      SETTING,
      JSON.stringify({ orgs: ORGS.length, projects: PROJECTS.length }),
    ]);
    return { orgs: ORGS.length, projects: PROJECTS.length };
  });
}
