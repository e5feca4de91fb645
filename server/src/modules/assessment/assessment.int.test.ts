import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { gridsOf, putMetric } from '../../test/assessment-factories.js';
import { buildUser, nodeIdByName } from '../../test/factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import type { Adjustment, Archive, PublicHonours, Rankings, Scheme, Selection } from './assessment.schemas.js';

type Err = { code?: string; field?: string; message?: string };

describeEachDb('assessment API (schemes, rankings, adjustments, selections, notice, archives)', (env: TestEnv) => {
  const post = (user: string | null, url: string, payload: Record<string, unknown> = {}) =>
    env.as(user, { method: 'POST', url, payload });
  const get = (user: string | null, url: string) => env.as(user, { method: 'GET', url });
  const count = async (table: string) =>
    Number((await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

  const QUARTER = '2026-07-01';
  let grids: number[];
  let xiguan: number;
  let xiguanGrid: number;
  let otherStreetAdmin: string;
  let xiguanWorker: string;
  let redFlag: Scheme;
  let wangge: number;

  beforeAll(async () => {
    grids = await gridsOf(env.db, env.ids.community!);
    xiguan = await nodeIdByName(env.db, '西关社区');
    xiguanGrid = (await gridsOf(env.db, xiguan))[0]!;
    const town = await nodeIdByName(env.db, '白石镇');
    const u = await buildUser(env, { role: 'street_admin', nodeId: town, password: DEMO_PASSWORD });
    otherStreetAdmin = u.username;
    const w = await buildUser(env, { role: 'community_worker', nodeId: xiguan, password: DEMO_PASSWORD });
    xiguanWorker = w.username;
    wangge = (await env.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'wangge'`))[0]!.id;
  });

  describe('schemes', () => {
    const good = {
      name: '红旗网格评选',
      subject: 'grid',
      periodKind: 'quarter',
      honour: 'red_flag_grid',
      honourQuota: 1,
      honourMinScore: 70,
      adjustmentCap: 5,
      items: [
        { metric: 'cases_on_time_rate', weight: 60, fullAt: 0.95, zeroAt: 0.5 },
        { metric: 'cases_overdue', weight: 40, fullAt: 0, zeroAt: 10 },
      ],
    };
    it('refuses bad schemes naming the field, and stores nothing', async () => {
      const before = await count('assessment_schemes');
      const cases: [Record<string, unknown>, string, string][] = [
        [{ items: [good.items[0]] }, 'ASSESSMENT_WEIGHTS_SUM', 'items'],
        [
          { items: [{ ...good.items[0], metric: 'nope' }, good.items[1]] },
          'ASSESSMENT_METRIC_UNKNOWN',
          'items.0.metric',
        ],
        [
          {
            subject: 'worker',
            honour: 'excellent_worker',
            items: [{ ...good.items[0], metric: 'data_freshness', weight: 100 }],
          },
          'ASSESSMENT_METRIC_SUBJECT',
          'items.0.metric',
        ],
        [{ items: [good.items[0], { ...good.items[0], weight: 40 }] }, 'ASSESSMENT_METRIC_DUPLICATE', 'items.1.metric'],
        [{ items: [{ ...good.items[0], fullAt: 0.5 }, good.items[1]] }, 'ASSESSMENT_ITEM_RANGE', 'items.0.fullAt'],
        [
          { items: [{ ...good.items[0], higherBetter: true, fullAt: 0.2 }, good.items[1]] },
          'ASSESSMENT_ITEM_DIRECTION',
          'items.0.fullAt',
        ],
        [{ honour: 'excellent_worker' }, 'ASSESSMENT_HONOUR_SUBJECT', 'honour'],
      ];
      for (const [change, code, field] of cases) {
        const res = await post('admin', '/api/assessment/schemes', { ...good, ...change });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json<Err>()).toMatchObject({ code, field });
      }
      const sum = await post('admin', '/api/assessment/schemes', { ...good, items: [good.items[0]] });
      expect(sum.json<Err>().message).toContain('60');
      expect(await count('assessment_schemes')).toBe(before);
    });
    it('lets an administrator create it (positive control), refuses a street admin, shows it to readers', async () => {
      const refused = await post('jiedao', '/api/assessment/schemes', good);
      expect(refused.statusCode).toBe(403);
      const res = await post('admin', '/api/assessment/schemes', good);
      expect(res.statusCode, res.body).toBe(201);
      redFlag = res.json<Scheme>();
      expect(redFlag.items.map((i) => [i.metric, i.higherBetter])).toEqual([
        ['cases_on_time_rate', true],
        ['cases_overdue', false],
      ]);
      const list = await get('wangge', '/api/assessment/schemes');
      expect(list.statusCode).toBe(200);
      expect(list.json<{ items: Scheme[] }>().items.map((s) => s.id)).toContain(redFlag.id);
      expect((await get('jumin', '/api/assessment/schemes')).statusCode).toBe(403);
    });
  });

  describe('rankings and adjustments', () => {
    beforeAll(async () => {
      const m = (id: number, metric: string, num: number, den: number | null) =>
        putMetric(env.db, { periodKind: 'quarter', periodStart: QUARTER, kind: 'node', id, metric, num, den });
      await m(grids[0]!, 'cases_on_time_rate', 19, 20); // 60
      await m(grids[0]!, 'cases_overdue', 1, null); // 36 → 96
      await m(grids[1]!, 'cases_on_time_rate', 18, 20); // 53.33
      await m(grids[1]!, 'cases_overdue', 2, null); // 32 → 85.33
      await m(xiguanGrid, 'cases_on_time_rate', 20, 20); // 60
      await m(xiguanGrid, 'cases_overdue', 0, null); // 40 → 100
      const r = await post('admin', '/api/assessment/compute', { schemeId: redFlag.id, periodStart: QUARTER });
      expect(r.statusCode, r.body).toBe(200);
    });
    it('ranks within each group and shows only the caller’s area', async () => {
      const res = await get('shequ', `/api/assessment/rankings?schemeId=${redFlag.id}&periodStart=${QUARTER}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<Rankings>();
      expect(body.groups.map((g) => g.groupNodeId)).toEqual([env.ids.community]);
      const subjects = body.groups[0]!.subjects;
      expect(subjects.map((s) => [s.subjectId, s.total, s.rank])).toEqual([
        [grids[0], 96, 1],
        [grids[1], 85.33, 2],
        [grids[2], 0, 3],
        [grids[3], 0, 3],
        [grids[4], 0, 3],
      ]);
      expect(subjects[0]!.name).toBe('第一网格');
      const street = await get('jiedao', `/api/assessment/rankings?schemeId=${redFlag.id}&periodStart=${QUARTER}`);
      expect(street.json<Rankings>().groups.map((g) => g.groupNodeId)).toContain(xiguan);
      // a node of another community: 404, as if it did not exist
      const other = await get(
        'shequ',
        `/api/assessment/rankings?schemeId=${redFlag.id}&periodStart=${QUARTER}&nodeId=${xiguan}`,
      );
      expect(other.statusCode).toBe(404);
      expect(other.json<Err>().code).toBe('ORG_NODE_NOT_FOUND');
      const wrong = await get('shequ', `/api/assessment/rankings?schemeId=${redFlag.id}&periodStart=2026-08-01`);
      expect(wrong.json<Err>()).toMatchObject({ code: 'ASSESSMENT_PERIOD_KIND', field: 'periodStart' });
    });
    it('refuses points beyond the cap, a subject outside the area, a month for a quarterly scheme', async () => {
      const before = await count('assessment_adjustments');
      const body = {
        schemeId: redFlag.id,
        periodStart: QUARTER,
        subjectKind: 'node',
        subjectId: grids[2],
        points: 6,
        reason: '创建文明城市表现突出',
      };
      const cap = await post('shequ', '/api/assessment/adjustments', body);
      expect(cap.statusCode).toBe(400);
      expect(cap.json<Err>()).toMatchObject({ code: 'ASSESSMENT_ADJUSTMENT_CAP', field: 'points' });
      const outside = await post('shequ', '/api/assessment/adjustments', { ...body, points: 3, subjectId: xiguanGrid });
      expect(outside.statusCode).toBe(404);
      expect(outside.json<Err>().code).toBe('ASSESSMENT_SUBJECT_NOT_FOUND');
      const month = await post('shequ', '/api/assessment/adjustments', {
        ...body,
        points: 3,
        periodStart: '2026-08-01',
      });
      expect(month.json<Err>()).toMatchObject({ code: 'ASSESSMENT_PERIOD_KIND', field: 'periodStart' });
      // a grid worker reads their own grid's score but may not adjust it (403); another grid is not theirs (404)
      const own = await post('wangge', '/api/assessment/adjustments', { ...body, points: 3, subjectId: grids[0] });
      expect(own.statusCode).toBe(403);
      const grid = await post('wangge', '/api/assessment/adjustments', { ...body, points: 3 });
      expect(grid.statusCode).toBe(404);
      expect(await count('assessment_adjustments')).toBe(before);
    });
    it('adds adjustments (summed, clamped to the cap), recomputes the group, and withdraws with a reason', async () => {
      const body = {
        schemeId: redFlag.id,
        periodStart: QUARTER,
        subjectKind: 'node',
        subjectId: grids[2],
        reason: '协助处置突发事件',
      };
      const a = await post('shequ', '/api/assessment/adjustments', { ...body, points: 4 });
      expect(a.statusCode, a.body).toBe(201);
      const b = await post('shequ', '/api/assessment/adjustments', { ...body, points: 3 });
      expect(b.statusCode).toBe(201);
      const rank = async () =>
        (await get('shequ', `/api/assessment/rankings?schemeId=${redFlag.id}&periodStart=${QUARTER}`))
          .json<Rankings>()
          .groups[0]!.subjects.find((s) => s.subjectId === grids[2])!;
      expect(await rank()).toMatchObject({ base: 0, adjustments: 5, total: 5, rank: 3 });
      const audit = await env.db.query<{ action: string; reason: string }>(
        `SELECT action, reason FROM audit_log WHERE target_type = 'assessment_adjustment' AND target_id = $1`,
        [String(a.json<Adjustment>().id)],
      );
      expect(audit).toEqual([{ action: 'assessment_adjustment.create', reason: '协助处置突发事件' }]);
      const noReason = await post('shequ', `/api/assessment/adjustments/${a.json<Adjustment>().id}/withdraw`, {
        reason: '  ',
      });
      expect(noReason.statusCode).toBe(400);
      const w = await post('shequ', `/api/assessment/adjustments/${a.json<Adjustment>().id}/withdraw`, {
        reason: '录入有误',
      });
      expect(w.statusCode, w.body).toBe(200);
      expect(w.json<Adjustment>().withdrawnAt).not.toBeNull();
      expect(await rank()).toMatchObject({ adjustments: 3, total: 3, rank: 3 });
      const again = await post('shequ', `/api/assessment/adjustments/${a.json<Adjustment>().id}/withdraw`, {
        reason: '录入有误',
      });
      expect(again.json<Err>().code).toBe('ASSESSMENT_ADJUSTMENT_WITHDRAWN');
      const list = await get('shequ', `/api/assessment/adjustments?schemeId=${redFlag.id}`);
      expect(list.json<{ items: Adjustment[] }>().items.map((x) => x.id)).toEqual([b.json<Adjustment>().id]);
    });
  });

  describe('selections and the public notice', () => {
    let sel: Selection;
    it('proposes the top grid of each group in the caller’s area above the minimum score', async () => {
      const res = await post('shequ', '/api/assessment/selections/propose', {
        schemeId: redFlag.id,
        periodStart: QUARTER,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ proposed: number }>().proposed).toBe(1);
      const list = await get('shequ', `/api/assessment/selections?schemeId=${redFlag.id}`);
      const items = list.json<{ items: Selection[] }>().items;
      expect(items.map((s) => [s.subjectId, s.status, s.score, s.levelNodeId])).toEqual([
        [grids[0], 'proposed', 96, env.ids.street],
      ]);
      sel = items[0]!;
      // another community's worker does not see it
      const other = await get(xiguanWorker, `/api/assessment/selections?schemeId=${redFlag.id}`);
      expect(other.json<{ items: Selection[] }>().items).toEqual([]);
    });
    it('nominates, refuses approval by a community worker and another street, approves by the street, publishes', async () => {
      const nom = await post('shequ', `/api/assessment/selections/${sel.id}/nominate`, {
        citation: '矛盾纠纷化解及时，群众满意度高',
      });
      expect(nom.statusCode, nom.body).toBe(200);
      expect(nom.json<Selection>().status).toBe('nominated');
      const byWorker = await post('shequ', `/api/assessment/selections/${sel.id}/approve`, {});
      expect(byWorker.statusCode).toBe(403);
      expect(byWorker.json<Err>().code).toBe('ASSESSMENT_SELECTION_LEVEL');
      expect(byWorker.json<Err>().message).toContain('泗源街道');
      const byOther = await post(otherStreetAdmin, `/api/assessment/selections/${sel.id}/approve`, {});
      expect(byOther.statusCode).toBe(404);
      const still = await env.db.query<{ status: string }>('SELECT status FROM assessment_selections WHERE id = $1', [
        sel.id,
      ]);
      expect(still[0]!.status).toBe('nominated');
      const ok = await post('jiedao', `/api/assessment/selections/${sel.id}/approve`, {});
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<Selection>().status).toBe('approved');
      const pubRefused = await post('shequ', '/api/assessment/selections/publish', {
        schemeId: redFlag.id,
        periodStart: QUARTER,
        levelNodeId: env.ids.street,
      });
      expect(pubRefused.statusCode).toBe(404);
      const before = await get(null, `/api/public/honours?nodeId=${env.ids.street}`);
      expect(before.json<PublicHonours>().honours).toEqual([]);
      const pub = await post('jiedao', '/api/assessment/selections/publish', {
        schemeId: redFlag.id,
        periodStart: QUARTER,
        levelNodeId: env.ids.street,
      });
      expect(pub.statusCode, pub.body).toBe(200);
      expect(pub.json<{ published: number }>().published).toBe(1);
      // the grid's worker is told
      const inbox = await env.db.query<{ kind: string; payload: { name: string; quarter: string } }>(
        `SELECT kind, payload FROM inbox_messages WHERE user_id = $1 AND kind = 'assessment.honour_published'`,
        [wangge],
      );
      expect(inbox.map((m) => [m.payload.name, m.payload.quarter])).toEqual([['第一网格', '2026-Q3']]);
    });
    it('shows the published honour on the public notice without login: names, quarter, citation only', async () => {
      const res = await get(null, `/api/public/honours?nodeId=${env.ids.community}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<PublicHonours>();
      expect(body.honours).toHaveLength(1);
      expect(body.honours[0]).toMatchObject({
        honour: 'red_flag_grid',
        quarter: '2026-Q3',
        name: '第一网格',
        gridName: '第一网格',
        communityName: '东关社区',
        citation: '矛盾纠纷化解及时，群众满意度高',
      });
      expect(Object.keys(body.honours[0]!).sort()).toEqual(
        ['citation', 'communityName', 'gridName', 'honour', 'name', 'periodStart', 'publishedAt', 'quarter'].sort(),
      );
      const xi = await get(null, `/api/public/honours?nodeId=${xiguan}`);
      expect(xi.json<PublicHonours>().honours).toEqual([]);
    });
  });

  describe('archives', () => {
    it('returns a grid’s scores, adjustments and honours to readers of its area, 404 to another community', async () => {
      const res = await get('wangge', `/api/assessment/archives/node/${grids[0]}`);
      expect(res.statusCode, res.body).toBe(200);
      const a = res.json<Archive>();
      expect(a.scores.map((s) => [s.schemeId, s.periodStart, s.total, s.rank])).toEqual([[redFlag.id, QUARTER, 96, 1]]);
      expect(a.honours.map((h) => [h.honour, h.status])).toEqual([['red_flag_grid', 'published']]);
      const other = await get(xiguanWorker, `/api/assessment/archives/node/${grids[0]}`);
      expect(other.statusCode).toBe(404);
      expect(other.json<Err>().code).toBe('ASSESSMENT_SUBJECT_NOT_FOUND');
      const worker = await get('shequ', `/api/assessment/archives/user/${wangge}`);
      expect(worker.statusCode).toBe(200);
      expect(worker.json<Archive>().name).toBe('张网格');
      expect((await get(xiguanWorker, `/api/assessment/archives/user/${wangge}`)).statusCode).toBe(404);
    });
  });
});
