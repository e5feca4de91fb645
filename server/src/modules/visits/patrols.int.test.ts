import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { buildUser, nodeIdByName } from '../../test/factories.js';
import { buildHouse } from '../../test/people-factories.js';
import { multipartFile } from '../../test/registry-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import type { CurrentPatrol, Finding, PatrolDetail, PatrolPage } from './patrols.schemas.js';

type Err = { code?: string; field?: string };

describeEachDb('patrols (巡查)', (env: TestEnv) => {
  let catEnv: number;
  let grid2: number;
  let worker2: string; // a grid worker of 第二网格
  let wanggeId: number;
  const post = (user: string, url: string, payload: Record<string, unknown>) =>
    env.as(user, { method: 'POST', url, payload });
  const get = (user: string, url: string) => env.as(user, { method: 'GET', url });
  const count = async (table: string) =>
    Number((await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
  const upload = async (user: string) => {
    const data = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    const res = await env.as(user, { method: 'POST', url: '/api/files', ...multipartFile('p.jpg', data) });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { items: { id: string }[] }).items[0]!.id;
  };

  beforeAll(async () => {
    const cats = (await get('wangge', '/api/cases/categories')).json() as { items: { id: number; code: string }[] };
    catEnv = cats.items.find((c) => c.code === 'env.garbage')!.id;
    grid2 = await nodeIdByName(env.db, '第二网格', env.ids.community);
    worker2 = (await buildUser(env, { role: 'grid_worker', nodeId: grid2, password: DEMO_PASSWORD })).username;
    wanggeId = Number((await env.db.query<{ id: number }>("SELECT id FROM users WHERE username = 'wangge'"))[0]!.id);
  });

  describe('a patrol from start to end', () => {
    const startId = randomUUID();
    const firstFinding = randomUUID();
    let patrol: PatrolDetail;

    it('starts at the worker’s own grid, and the same clientId again gives the same patrol back', async () => {
      expect(((await get('wangge', '/api/patrols/current')).json() as CurrentPatrol).patrol).toBeNull();
      const res = await post('wangge', '/api/patrols', { clientId: startId });
      expect(res.statusCode, res.body).toBe(201);
      patrol = res.json() as PatrolDetail;
      expect(patrol).toMatchObject({
        nodeId: env.ids.grid,
        placeLabel: '东关社区 / 第一网格',
        workerId: wanggeId,
        workerName: '张网格',
        status: 'active',
        endedAt: null,
        findings: 0,
        items: [],
        can: { end: true, addFinding: true },
      });
      const again = await post('wangge', '/api/patrols', { clientId: startId });
      expect(again.statusCode).toBe(200);
      expect((again.json() as PatrolDetail).id).toBe(patrol.id);
      const current = (await get('wangge', '/api/patrols/current')).json() as CurrentPatrol;
      expect(current.patrol?.id).toBe(patrol.id);
    });

    it('refuses a second patrol while one is under way, storing nothing', async () => {
      const before = await count('patrols');
      const res = await post('wangge', '/api/patrols', { clientId: randomUUID() });
      expect([res.statusCode, (res.json() as Err).code]).toEqual([409, 'PATROL_ALREADY_ACTIVE']);
      expect(await count('patrols')).toBe(before);
    });

    it('records a finding with a photo once, whatever the phone retries', async () => {
      const fileId = await upload('wangge');
      const body = { clientId: firstFinding, description: '3号楼下井盖松动', fileIds: [fileId], lat: 35.4, lng: 116.9 };
      const res = await post('wangge', `/api/patrols/${patrol.id}/findings`, body);
      expect(res.statusCode, res.body).toBe(201);
      const f = res.json() as Finding;
      expect(f).toMatchObject({
        patrolId: patrol.id,
        description: '3号楼下井盖松动',
        nodeId: env.ids.grid,
        caseId: null,
      });
      expect(f.files).toEqual([expect.objectContaining({ id: fileId, mime: 'image/jpeg' })]);
      const again = await post('wangge', `/api/patrols/${patrol.id}/findings`, body);
      expect(again.statusCode).toBe(200);
      expect((again.json() as Finding).id).toBe(f.id);
      const detail = (await get('wangge', `/api/patrols/${patrol.id}`)).json() as PatrolDetail;
      expect(detail.items.map((i) => i.id)).toEqual([f.id]);
      expect(detail.findings).toBe(1);
      // the photo is readable by whoever reads the patrol (the community worker), not by another grid's worker
      expect((await get('shequ', `/api/files/${fileId}`)).statusCode).toBe(200);
      expect((await get(worker2, `/api/files/${fileId}`)).statusCode).toBe(404);
    });

    it('opens a case (source patrol) from a finding once', async () => {
      const f = (
        await post('wangge', `/api/patrols/${patrol.id}/findings`, {
          clientId: randomUUID(),
          description: '路灯不亮',
        })
      ).json() as Finding;
      const res = await post('wangge', `/api/patrols/findings/${f.id}/case`, { categoryId: catEnv });
      expect(res.statusCode, res.body).toBe(201);
      const withCase = res.json() as Finding;
      expect(withCase.caseId).toEqual(expect.any(Number));
      expect(withCase.caseNo).toMatch(/^SJ/);
      const c = (await get('wangge', `/api/cases/${withCase.caseId}`)).json() as {
        source: string;
        description: string;
      };
      expect(c).toMatchObject({ source: 'patrol', description: '路灯不亮' });
      const cases = await count('cases');
      const twice = await post('wangge', `/api/patrols/findings/${f.id}/case`, { categoryId: catEnv });
      expect([twice.statusCode, (twice.json() as Err).code]).toEqual([409, 'PATROL_FINDING_CASE_EXISTS']);
      expect(await count('cases')).toBe(cases);
      const audit = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'patrol_finding' AND target_id = $1 ORDER BY id`,
        [String(f.id)],
      );
      expect(audit.map((a) => a.action)).toEqual(['patrol.finding', 'patrol.finding_case']);
    });

    it('reports a finding as a case at once, or — with a bad category — stores neither', async () => {
      const res = await post('wangge', `/api/patrols/${patrol.id}/findings`, {
        clientId: randomUUID(),
        description: '垃圾堆放',
        houseId: (await buildHouse(env, { nodeId: env.ids.unit!, roomNo: '0901', address: '东关 1号楼 0901' })).id,
        caseCategoryId: catEnv,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json() as Finding).caseId).toEqual(expect.any(Number));
      const [findings, cases] = [await count('patrol_findings'), await count('cases')];
      const bad = await post('wangge', `/api/patrols/${patrol.id}/findings`, {
        clientId: randomUUID(),
        description: '另一处',
        caseCategoryId: 999999,
      });
      expect([bad.statusCode, (bad.json() as Err).code, (bad.json() as Err).field]).toEqual([
        404,
        'CASE_CATEGORY_NOT_FOUND',
        'caseCategoryId',
      ]);
      expect([await count('patrol_findings'), await count('cases')]).toEqual([findings, cases]);
    });

    it('refuses a place outside the patrolled grid', async () => {
      const res = await post('wangge', `/api/patrols/${patrol.id}/findings`, {
        clientId: randomUUID(),
        description: '别处',
        nodeId: grid2,
      });
      expect([res.statusCode, (res.json() as Err).code, (res.json() as Err).field]).toEqual([
        404,
        'ORG_NODE_NOT_FOUND',
        'nodeId',
      ]);
    });

    it('refuses another’s patrol: 403 to whoever may read it, 404 to whoever may not', async () => {
      const findings = await count('patrol_findings');
      const byBoss = await post('shequ', `/api/patrols/${patrol.id}/findings`, {
        clientId: randomUUID(),
        description: 'x',
      });
      expect([byBoss.statusCode, (byBoss.json() as Err).code]).toEqual([403, 'PATROL_NOT_YOURS']);
      const endByBoss = await post('shequ', `/api/patrols/${patrol.id}/end`, {});
      expect([endByBoss.statusCode, (endByBoss.json() as Err).code]).toEqual([403, 'PATROL_NOT_YOURS']);
      const byOther = await post(worker2, `/api/patrols/${patrol.id}/findings`, {
        clientId: randomUUID(),
        description: 'x',
      });
      expect([byOther.statusCode, (byOther.json() as Err).code]).toEqual([404, 'PATROL_NOT_FOUND']);
      expect((await get(worker2, `/api/patrols/${patrol.id}`)).statusCode).toBe(404);
      expect(await count('patrol_findings')).toBe(findings);
      // the community worker reads it with the findings, but may not end it
      const seen = (await get('shequ', `/api/patrols/${patrol.id}`)).json() as PatrolDetail;
      expect(seen).toMatchObject({ id: patrol.id, findings: 3, cases: 2, can: { end: false, addFinding: false } });
    });

    it('ends with a note and the track, measured; then takes no more findings but answers a retried one', async () => {
      const t0 = Date.now() - 120_000;
      const res = await post('wangge', `/api/patrols/${patrol.id}/end`, {
        note: '一切正常',
        track: [
          [35.001, 116.9, t0 + 30_000],
          [35.0, 116.9, t0],
          [35.002, 116.9, t0 + 60_000],
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      const ended = res.json() as PatrolDetail;
      expect(ended).toMatchObject({ status: 'ended', note: '一切正常', distanceM: 222, can: { end: false } });
      expect(ended.track?.map((p) => p[2])).toEqual([t0, t0 + 30_000, t0 + 60_000]);
      expect(ended.minutes).toEqual(expect.any(Number));
      const late = await post('wangge', `/api/patrols/${patrol.id}/findings`, {
        clientId: randomUUID(),
        description: 'x',
      });
      expect([late.statusCode, (late.json() as Err).code]).toEqual([409, 'PATROL_ENDED']);
      const replay = await post('wangge', `/api/patrols/${patrol.id}/findings`, {
        clientId: firstFinding,
        description: '3号楼下井盖松动',
      });
      expect([replay.statusCode, (replay.json() as Finding).id]).toEqual([200, ended.items[0]!.id]);
      const endAgain = await post('wangge', `/api/patrols/${patrol.id}/end`, {});
      expect([endAgain.statusCode, (endAgain.json() as Err).code]).toEqual([409, 'PATROL_ENDED']);
      expect(((await get('wangge', '/api/patrols/current')).json() as CurrentPatrol).patrol).toBeNull();
      // the start's clientId still names the ended patrol; a new one starts a new patrol
      const again = await post('wangge', '/api/patrols', { clientId: startId });
      expect([again.statusCode, (again.json() as PatrolDetail).id]).toEqual([200, patrol.id]);
      const next = await post('wangge', '/api/patrols', { clientId: randomUUID() });
      expect(next.statusCode).toBe(201);
      const end = await post('wangge', `/api/patrols/${(next.json() as PatrolDetail).id}/end`, {});
      expect(end.statusCode).toBe(200);
    });

    it('lists the area’s patrols to the community worker and the worker’s own, not another grid’s', async () => {
      const boss = (await get('shequ', `/api/patrols?workerId=${wanggeId}`)).json() as PatrolPage;
      expect(boss.items.map((p) => p.id)).toContain(patrol.id);
      expect(boss.items.find((p) => p.id === patrol.id)).toMatchObject({ findings: 3, cases: 2, distanceM: 222 });
      const other = (await get(worker2, '/api/patrols')).json() as PatrolPage;
      expect(other.items.map((p) => p.id)).not.toContain(patrol.id);
      const outside = await get(worker2, `/api/patrols?nodeId=${env.ids.grid}`);
      expect([outside.statusCode, (outside.json() as Err).code]).toEqual([404, 'ORG_NODE_NOT_FOUND']);
      const byGrid = (await get('wangge', `/api/patrols?nodeId=${env.ids.grid}&status=ended`)).json() as PatrolPage;
      expect(byGrid.total).toBe(2);
    });
  });

  it('refuses a start in the future, a grid outside the area, and a caller who does not patrol', async () => {
    const before = await count('patrols');
    const future = await post(worker2, '/api/patrols', {
      clientId: randomUUID(),
      startedAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect([future.statusCode, (future.json() as Err).code, (future.json() as Err).field]).toEqual([
      400,
      'PATROL_IN_FUTURE',
      'startedAt',
    ]);
    const elsewhere = await post(worker2, '/api/patrols', { clientId: randomUUID(), nodeId: env.ids.grid });
    expect([elsewhere.statusCode, (elsewhere.json() as Err).code]).toEqual([404, 'ORG_NODE_NOT_FOUND']);
    const resident = await post('jumin', '/api/patrols', { clientId: randomUUID() });
    expect([resident.statusCode, (resident.json() as Err).code]).toEqual([403, 'FORBIDDEN']);
    expect(await count('patrols')).toBe(before);
  });
});
