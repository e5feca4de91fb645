import type { Db, Queryable } from '../platform/db/client.js';

/**
 * deliberation [A]: the demo's 议事协商, once — jumin (linked to a head of household at 1号楼1单元) verified; at 东关社区
 * a topic on parking spaces with a secret per-household vote open for a week (jumin votes on it on the phone), at
 * 1号楼 a topic on a lift with comments (one hidden by reports, waiting in the moderation queue), a proposal with
 * support and an open per-resident vote; a closed topic on garage leaks with its three-party meeting (社区两委、物业、
 * 业委会), minutes and decisions (one done with its outcome published, one in progress); and jumin's own topic
 * waiting for approval. Needs the demo people and jumin's link; does nothing without them.
 */

const SETTING = 'demo_deliberation';
const DAY = 86_400_000;

type Node = { id: number; path: string; county_id: number };

async function topic(
  q: Queryable,
  node: Node,
  o: {
    title: string;
    body: string;
    origin: 'resident' | 'community';
    status: string;
    author: string;
    authorId?: number | null;
    outcome?: string;
    daysAgo: number;
  },
): Promise<number> {
  const at = new Date(Date.now() - o.daysAgo * DAY);
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO delib_topics (county_id, node_id, node_path, title, body, origin, status, author_id, author_name, outcome,
       created_at, opened_at, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $7 <> 'pending' THEN $11::timestamptz END,
       CASE WHEN $7 = 'closed' THEN now() END) RETURNING id`,
    [
      node.county_id,
      node.id,
      node.path,
      o.title,
      o.body,
      o.origin,
      o.status,
      o.authorId ?? null,
      o.author,
      o.outcome ?? null,
      at,
    ],
  );
  return Number(r!.id);
}

async function vote(
  q: Queryable,
  topicId: number,
  o: {
    question: string;
    options: string[];
    rule: string;
    secrecy: string;
    quorumKind: string;
    quorumValue: number;
    days: number;
  },
): Promise<number> {
  const [v] = await q.query<{ id: number }>(
    `INSERT INTO delib_votes (topic_id, question, rule, secrecy, quorum_kind, quorum_value, deadline)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [topicId, o.question, o.rule, o.secrecy, o.quorumKind, o.quorumValue, new Date(Date.now() + o.days * DAY)],
  );
  await q.query(
    `INSERT INTO delib_vote_options (vote_id, position, label)
     SELECT $1, o.ord, o.label FROM unnest($2::text[]) WITH ORDINALITY AS o (label, ord)`,
    [v!.id, o.options],
  );
  return Number(v!.id);
}

export async function loadDemoDeliberation(db: Db): Promise<{ topics: number } | null> {
  if ((await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0) return null;
  const [jumin] = await db.query<{ id: number; resident_id: number | null }>(
    `SELECT id, resident_id FROM users WHERE lower(username) = 'jumin'`,
  );
  if (!jumin?.resident_id) return null;
  const [rec] = await db.query<{ node_path: string }>('SELECT node_path FROM residents WHERE id = $1', [
    jumin.resident_id,
  ]);
  if (!rec) return null;
  const ids = rec.node_path.split('/').filter(Boolean).map(Number);
  const nodes = await db.query<Node & { type: string }>(
    'SELECT id, path, county_id, type FROM org_nodes WHERE id = ANY($1::bigint[])',
    [ids],
  );
  const community = nodes.find((n) => n.type === 'community');
  const building = nodes.find((n) => n.type === 'building');
  if (!community || !building) return null;
  const neighbours = await db.query<{ id: number; name: string }>(
    `SELECT id, name FROM residents WHERE node_path LIKE $1 || '%' AND status = 'active' AND id <> $2 ORDER BY id LIMIT 4`,
    [building.path, jumin.resident_id],
  );
  const n = (i: number) => neighbours[i]?.name ?? '邻居';

  await db.transaction(async (tx) => {
    await tx.query(
      'UPDATE users SET verified_resident_id = resident_id, verified_at = now() WHERE id = $1 AND verified_resident_id IS NULL',
      [jumin.id],
    );
    const parking = await topic(tx, community, {
      title: '小区停车位重新划线',
      body: '东关社区车位紧张，拟对小区内道路重新划线，增加约30个车位，并在消防通道设置禁停标识。请各户表决。',
      origin: 'community',
      status: 'open',
      author: '东关社区居委会',
      daysAgo: 3,
    });
    await vote(tx, parking, {
      question: '是否同意按方案重新划线（每户一票，无记名）',
      options: ['同意', '不同意', '弃权'],
      rule: 'per_household',
      secrecy: 'secret',
      quorumKind: 'share',
      quorumValue: 0.5,
      days: 7,
    });
    const lift = await topic(tx, building, {
      title: '1号楼加装电梯',
      body: '1号楼共6层，老人上下楼不便。物业已联系厂家初步测算，政府补贴后每户分摊按楼层计算。',
      origin: 'resident',
      status: 'open',
      author: n(0),
      daysAgo: 10,
    });
    const [c1] = await tx.query<{ id: number }>(
      `INSERT INTO delib_comments (topic_id, author_name, body) VALUES ($1, $2, '支持！我家老人腿脚不好，盼了好几年了。') RETURNING id`,
      [lift, n(1)],
    );
    await tx.query(
      `INSERT INTO delib_comments (topic_id, parent_id, author_name, body) VALUES ($1, $2, $3, '一楼住户也请考虑采光和噪音问题。')`,
      [lift, c1!.id, n(2)],
    );
    await tx.query(
      `INSERT INTO delib_comments (topic_id, author_name, body, status, reports)
       VALUES ($1, $2, '低价代办加装电梯，联系微信XXXX', 'hidden', 3)`,
      [lift, n(3)],
    );
    const [p] = await tx.query<{ id: number }>(
      `INSERT INTO delib_proposals (topic_id, author_name, title, body)
       VALUES ($1, $2, '按楼层分摊费用，一楼免摊', '二楼起按楼层递增分摊，一楼住户不分摊，并由物业负责后期维保。') RETURNING id`,
      [lift, n(1)],
    );
    for (const r of neighbours.slice(0, 3)) {
      await tx.query('INSERT INTO delib_supports (proposal_id, resident_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        p!.id,
        r.id,
      ]);
    }
    await vote(tx, lift, {
      question: '电梯安装位置',
      options: ['北侧楼梯间', '南侧外挂'],
      rule: 'per_resident',
      secrecy: 'open',
      quorumKind: 'count',
      quorumValue: 5,
      days: 14,
    });
    const garage = await topic(tx, community, {
      title: '地下车库漏水治理',
      body: '雨季地下车库多处渗漏，影响车辆停放。',
      origin: 'community',
      status: 'closed',
      author: '东关社区居委会',
      outcome: '经三方协调会议定：物业牵头维修，维修基金支出经业委会公示；已完成防水层修补。',
      daysAgo: 40,
    });
    const [m] = await tx.query<{ id: number }>(
      `INSERT INTO delib_meetings (county_id, node_id, node_path, topic_id, title, held_at, place, agenda, attendance, minutes)
       VALUES ($1, $2, $3, $4, '东关社区三方协调会（11月）', $5, '社区党群服务中心二楼会议室',
         $6, $7::jsonb, $8) RETURNING id`,
      [
        community.county_id,
        community.id,
        community.path,
        garage,
        new Date(Date.now() - 30 * DAY),
        '1. 地下车库漏水维修方案\n2. 维修资金来源\n3. 绿化带调整',
        JSON.stringify([
          { party: 'committee', name: '李社工（社区两委）', present: true },
          { party: 'property', name: '物业公司王经理', present: true },
          { party: 'owners', name: '业委会刘主任', present: true },
          { party: 'other', name: '居民代表3人', present: true },
        ]),
        '三方一致同意：物业于两周内完成车库防水修补，费用从维修基金列支并由业委会公示；绿化带调整另行征求意见。',
      ],
    );
    await tx.query(
      `INSERT INTO delib_decisions (meeting_id, title, owner, status, outcome, done_at)
       VALUES ($1, '物业两周内完成车库防水修补', '物业公司', 'done', '已于期限内完成修补，雨后复查无渗漏。', now()),
              ($1, '维修基金支出由业委会公示', '业委会', 'in_progress', NULL, NULL)`,
      [m!.id],
    );
    await topic(tx, building, {
      title: '楼道增设电动车充电桩',
      body: '楼下电动车飞线充电有隐患，建议在车棚增设集中充电桩。',
      origin: 'resident',
      status: 'pending',
      author: '陈居民',
      authorId: jumin.id,
      daysAgo: 1,
    });
    await tx.query('INSERT INTO system_settings (key, value) VALUES ($1, $2)', [
      SETTING,
      JSON.stringify({ parking, lift }),
    ]);
  });
  return { topics: 4 };
}
