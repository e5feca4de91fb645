import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { systemCtx } from '../../platform/access/context.js';
import { createJobs } from '../../platform/jobs/index.js';
import { generateIdNumber } from '../../platform/pii/index.js';
import { describeEachDb, login } from '../../test/test-app.js';
import { importFile, principalOf } from './import/import.service.js';
import { csv, HEADER } from './import/import.test-fixtures.js';
import type { MoveInRequest } from './move-in.schemas.js';

const json = <T>(body: string) => JSON.parse(body) as T;
let seq = 500;
const newId = (birthDate = '1980-03-04', sex: 'male' | 'female' = 'male') =>
  generateIdNumber({ areaCode: '370899', birthDate, sequence: seq++, sex });

type Detail = { id: number; name: string; nodeId: number; phoneMasked: string | null; history: { action: string }[] };

describeEachDb('move-in requests', (env) => {
  /** 西关社区 and a place in it, where the holder registered people; 文昌社区 for someone unrelated. */
  let xiguan: { id: number; grid: number };
  let wenchang: number;
  let dir: string;

  const post = (user: string, url: string, payload: object) => env.as(user, { method: 'POST', url, payload });
  const get = (user: string, url: string) => env.as(user, { method: 'GET', url });

  /** A person registered in 西关社区 by the system administrator, as the holder stores them. */
  const registerInXiguan = async (name: string, idNumber: string) => {
    const res = await post('admin', '/api/people/residents', {
      name,
      idNumber,
      phone: '13905370001',
      nodeId: xiguan.grid,
      currentAddress: '西关社区老街 8 号',
    });
    expect(res.statusCode, res.body).toBe(201);
    return json<Detail>(res.body).id;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-movein-test-'));
    const nodes = await env.db.query<{ id: number; name: string; parent: string | null }>(
      `SELECT n.id, n.name, p.name AS parent FROM org_nodes n LEFT JOIN org_nodes p ON p.id = n.parent_id
        WHERE n.name IN ('西关社区', '文昌社区') OR (p.name = '西关社区' AND n.name = '第一网格')`,
    );
    const find = (name: string, parent?: string) =>
      nodes.find((n) => n.name === name && (parent === undefined || n.parent === parent))!.id;
    xiguan = { id: find('西关社区'), grid: find('第一网格', '西关社区') };
    wenchang = find('文昌社区');
    for (const [username, nodeId] of [
      ['xiguan', xiguan.id],
      ['wenchang', wenchang],
    ] as const) {
      const res = await post('admin', '/api/users', {
        username,
        displayName: `${username}社工`,
        password: DEMO_PASSWORD,
        homeNodeId: nodeId,
        posts: [{ nodeId, role: 'community_worker' }],
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    await env.db.query('UPDATE users SET must_change_password = false');
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a clash outside the caller’s area with "submitted for review", telling nothing of the holder', async () => {
    const idNumber = newId('1971-05-06');
    const residentId = await registerInXiguan('西关甲', idNumber);
    const res = await post('wangge', '/api/people/residents', {
      name: '迁入甲',
      idNumber,
      nodeId: env.ids.grid,
      phone: '13905379999',
    });
    expect(res.statusCode, res.body).toBe(202);
    const body = json<{ status: string; moveInRequestId: number; message: string }>(res.body);
    expect(Object.keys(body).sort()).toEqual(['message', 'moveInRequestId', 'status']);
    expect(body.status).toBe('review');
    expect(body.message).toContain('已提交审核');
    for (const secret of ['西关', '西关甲', '老街', '0001']) expect(res.body).not.toContain(secret);

    // The requester's own list: what they typed, where they want the person, the status; no holder.
    const mine = await get('wangge', '/api/people/move-in-requests?box=outgoing');
    expect(mine.statusCode).toBe(200);
    const item = json<{ items: MoveInRequest[] }>(mine.body).items.find((i) => i.id === body.moveInRequestId)!;
    expect(item).toMatchObject({ name: '迁入甲', destNodeId: env.ids.grid, status: 'pending', decidedAt: null });
    expect(item.review).toBeUndefined();
    expect(JSON.stringify(item)).not.toMatch(/西关|老街|0001/);
    const one = await get('wangge', `/api/people/move-in-requests/${body.moveInRequestId}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).not.toMatch(/西关|老街|residentId|"resident"/);
    // Nor can the requester read the person, or the audit entry of the clash.
    expect((await get('wangge', `/api/people/residents/${residentId}`)).statusCode).toBe(404);
    const clash = await env.db.query<{ actor: string; scope_path: string }>(
      `SELECT u.username AS actor, a.scope_path FROM audit_log a JOIN users u ON u.id = a.actor_id
        WHERE a.action = 'people.id_clash' AND a.target_id = $1`,
      [String(body.moveInRequestId)],
    );
    const holderPath = await env.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [xiguan.id]);
    // Read where the holder is (西关社区 and above), not in the requester's area.
    expect(clash).toEqual([{ actor: 'wangge', scope_path: holderPath[0]!.path }]);
  });

  it('lets the holding community accept: the person moves to the requested place, with history', async () => {
    const idNumber = newId('1969-07-08', 'female');
    const residentId = await registerInXiguan('西关乙', idNumber);
    const res = await post('wangge', '/api/people/residents', {
      name: '迁入乙',
      idNumber,
      nodeId: env.ids.grid,
      phone: '13905378888',
    });
    expect(res.statusCode, res.body).toBe(202);
    const requestId = json<{ moveInRequestId: number }>(res.body).moveInRequestId;

    const incoming = await get('xiguan', '/api/people/move-in-requests?box=incoming&status=pending');
    expect(incoming.statusCode).toBe(200);
    const seen = json<{ items: MoveInRequest[] }>(incoming.body).items.find((i) => i.id === requestId)!;
    expect(seen).toMatchObject({ name: '迁入乙', destNodeId: env.ids.grid, status: 'pending' });
    expect(seen.review).toMatchObject({
      requesterName: '张网格',
      phoneMasked: '139****8888',
      resident: { id: residentId, name: '西关乙' },
    });
    // Someone who neither asked nor holds the person sees nothing of it.
    const elsewhere = await get('wenchang', '/api/people/move-in-requests?box=incoming');
    expect(json<{ items: MoveInRequest[] }>(elsewhere.body).items.map((i) => i.id)).not.toContain(requestId);
    // The requester follows, not decides.
    const self = await post('wangge', `/api/people/move-in-requests/${requestId}/accept`, {});
    expect(self.statusCode).toBe(403);
    expect((await get('wangge', `/api/people/residents/${residentId}`)).statusCode).toBe(404);

    const accepted = await post('xiguan', `/api/people/move-in-requests/${requestId}/accept`, {
      adopt: ['phone'],
      note: '核实无误',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(json<MoveInRequest>(accepted.body)).toMatchObject({ id: requestId, status: 'accepted' });

    const now = await get('wangge', `/api/people/residents/${residentId}`);
    expect(now.statusCode, now.body).toBe(200);
    const person = json<Detail>(now.body);
    // Moved where asked; the typed phone adopted, the stored name kept (the holder chose so).
    expect(person).toMatchObject({ nodeId: env.ids.grid, name: '西关乙', phoneMasked: '139****8888' });
    expect(person.history[0]!.action).toBe('resident.move_in');
    expect((await get('xiguan', `/api/people/residents/${residentId}`)).statusCode).toBe(404);
    const mine = await get('wangge', `/api/people/move-in-requests/${requestId}`);
    expect(json<MoveInRequest>(mine.body)).toMatchObject({ status: 'accepted' });
    expect(json<MoveInRequest>(mine.body).decidedAt).not.toBeNull();

    // Decided once only.
    const again = await post('jiedao', `/api/people/move-in-requests/${requestId}/decline`, { reason: '重复处理' });
    expect(again.statusCode).toBe(409);
    expect(json<{ code: string }>(again.body).code).toBe('MOVE_IN_REQUEST_DECIDED');
  });

  it('lets the holding community decline with a reason the requester does not see', async () => {
    const idNumber = newId('1975-09-10');
    const residentId = await registerInXiguan('西关丙', idNumber);
    const res = await post('wangge', '/api/people/residents', { name: '迁入丙', idNumber, nodeId: env.ids.grid });
    expect(res.statusCode).toBe(202);
    const requestId = json<{ moveInRequestId: number }>(res.body).moveInRequestId;

    // Outside both communities: not found, not decidable.
    expect((await get('wenchang', `/api/people/move-in-requests/${requestId}`)).statusCode).toBe(404);
    for (const [action, payload] of [
      ['accept', {}],
      ['decline', { reason: '越权处理' }],
    ] as const) {
      const refused = await post('wenchang', `/api/people/move-in-requests/${requestId}/${action}`, payload);
      expect(refused.statusCode).toBe(404);
      expect(json<{ code: string }>(refused.body).code).toBe('MOVE_IN_REQUEST_NOT_FOUND');
    }

    const blank = await post('xiguan', `/api/people/move-in-requests/${requestId}/decline`, {
      reason: ' \u200b\u3000 ',
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
    expect(json<MoveInRequest>((await get('xiguan', `/api/people/move-in-requests/${requestId}`)).body).status).toBe(
      'pending',
    );
    const declined = await post('xiguan', `/api/people/move-in-requests/${requestId}/decline`, {
      reason: '此人仍在西关社区居住',
    });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(json<MoveInRequest>(declined.body).review).toMatchObject({ declineReason: '此人仍在西关社区居住' });
    const mine = await get('wangge', `/api/people/move-in-requests/${requestId}`);
    expect(json<MoveInRequest>(mine.body)).toMatchObject({ status: 'declined' });
    expect(mine.body).not.toContain('西关');
    const stays = await env.db.query<{ node_id: number }>('SELECT node_id::int FROM residents WHERE id = $1', [
      residentId,
    ]);
    expect(stays).toEqual([{ node_id: xiguan.grid }]);
    const audit = await env.db.query<{ reason: string }>(
      `SELECT reason FROM audit_log WHERE action = 'move_in.decline' AND target_id = $1`,
      [String(requestId)],
    );
    expect(audit).toEqual([{ reason: '此人仍在西关社区居住' }]);
  });

  it('keeps a duplicate inside the caller’s own area an error, as before', async () => {
    const idNumber = newId('1990-01-02');
    const first = await post('wangge', '/api/people/residents', { name: '本网格', idNumber, nodeId: env.ids.grid });
    expect(first.statusCode, first.body).toBe(201);
    const second = await post('wangge', '/api/people/residents', { name: '本网格', idNumber, nodeId: env.ids.grid });
    expect(second.statusCode).toBe(409);
    expect(json<{ code: string }>(second.body).code).toBe('ID_NUMBER_DUPLICATE');
    const requests = await env.db.query('SELECT 1 FROM move_in_requests WHERE name = $1', ['本网格']);
    expect(requests).toEqual([]);
  });

  it('does not tell a clashing row from a new one in a dry run; the commit makes it a request', async () => {
    const clashing = newId('1966-11-12');
    await registerInXiguan('西关丁', clashing);
    const fresh = newId('1967-11-12');
    const file = path.join(dir, 'mixed.csv');
    fs.writeFileSync(
      file,
      csv([
        HEADER,
        ['导入新', fresh, '', '', '', '东关社区', '第一网格', '', '', '', '', '', ''],
        ['导入迁', clashing, '', '', '', '东关社区', '第一网格', '', '', '12号', '', '', ''],
      ]),
    );
    const ctx = { ...systemCtx('test'), principal: await principalOf(env.db, 'shequ') };
    const report = path.join(dir, 'mixed.errors.xlsx');
    const dry = await importFile({ db: env.db, pii: env.pii }, ctx, {
      filePath: file,
      commit: false,
      errorReportPath: report,
    });
    expect(dry).toMatchObject({ rowsRead: 2, rowsValid: 2, rowsInvalid: 0, rowsReview: 0 });

    const done = await importFile({ db: env.db, pii: env.pii }, ctx, { filePath: file, commit: true });
    expect(done).toMatchObject({ rowsValid: 2, rowsInvalid: 0, rowsInserted: 1, rowsUpdated: 0, rowsReview: 1 });
    const requests = await env.db.query<{ name: string; room_no: string; requester: string }>(
      `SELECT m.name, m.room_no, u.username AS requester FROM move_in_requests m JOIN users u ON u.id = m.requester_id
        WHERE m.import_id = $1`,
      [done.importId],
    );
    expect(requests).toEqual([{ name: '导入迁', room_no: '12号', requester: 'shequ' }]);

    // The same file again: the pending request is not filed twice.
    const again = await importFile({ db: env.db, pii: env.pii }, ctx, { filePath: file, commit: true });
    expect(again).toMatchObject({ rowsUpdated: 1, rowsReview: 1 });
    const pending = await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM move_in_requests WHERE name = '导入迁' AND status = 'pending'`,
    );
    expect(pending[0]!.n).toBe(1);
  });

  it('refuses clashes beyond the daily limit, neutrally, and reports them to administrators', async () => {
    let limited: FastifyInstance | null = null;
    try {
      limited = await buildApp({
        jobs: createJobs(env.db),
        db: env.db,
        pii: env.pii,
        broker: null,
        loginRateLimit: 1000,
        idClashDailyLimit: 2,
      });
      await limited.ready();
      const created = await post('admin', '/api/users', {
        username: 'limited',
        displayName: '限额社工',
        password: DEMO_PASSWORD,
        homeNodeId: env.ids.community,
        posts: [{ nodeId: env.ids.community, role: 'community_worker' }],
      });
      expect(created.statusCode, created.body).toBe(201);
      await env.db.query(`UPDATE users SET must_change_password = false WHERE username = 'limited'`);
      const cookie = await login(limited, 'limited', DEMO_PASSWORD);
      const app = limited;
      const as = (opts: InjectOptions) =>
        app.inject({ ...opts, headers: { ...(opts.headers ?? {}), cookie, origin: 'http://localhost' } });

      const statuses: number[] = [];
      let last = '';
      for (let i = 0; i < 3; i++) {
        const idNumber = newId(`1955-02-0${i + 1}`);
        await registerInXiguan(`限额${i}`, idNumber);
        const res = await as({
          method: 'POST',
          url: '/api/people/residents',
          payload: { name: `限额迁入${i}`, idNumber, nodeId: env.ids.grid },
        });
        statuses.push(res.statusCode);
        last = res.body;
      }
      expect(statuses).toEqual([202, 202, 429]);
      const refused = json<{ code: string; message: string }>(last);
      expect(refused.code).toBe('ID_CLASH_LIMIT');
      expect(refused.message).not.toMatch(/西关|登记|限额2/);
      // Not filed, and a new person is still registered as usual.
      const filed = await env.db.query(`SELECT 1 FROM move_in_requests WHERE name = '限额迁入2'`);
      expect(filed).toEqual([]);
      const fresh = await as({
        method: 'POST',
        url: '/api/people/residents',
        payload: { name: '限额新人', idNumber: newId('1956-03-03'), nodeId: env.ids.grid },
      });
      expect(fresh.statusCode, fresh.body).toBe(201);

      const reported = await env.db.query<{ actor: string; scope_path: string | null; diff: unknown }>(
        `SELECT u.username AS actor, a.scope_path, a.diff FROM audit_log a JOIN users u ON u.id = a.actor_id
          WHERE a.action = 'people.id_clash_limit'`,
      );
      expect(reported).toEqual([
        { actor: 'limited', scope_path: null, diff: { refused: [null, 1], limit: [null, 2] } },
      ]);

      // An import by the same user over the limit: the row is a row error with the same neutral message.
      const clashing = newId('1957-04-04');
      await registerInXiguan('限额导入', clashing);
      const file = path.join(dir, 'limit.csv');
      fs.writeFileSync(
        file,
        csv([HEADER, ['限额导入迁', clashing, '', '', '', '东关社区', '第一网格', '', '', '', '', '', '']]),
      );
      const importer = { ...systemCtx('test'), principal: await principalOf(env.db, 'limited') };
      const report = path.join(dir, 'limit.errors.xlsx');
      const r = await importFile({ db: env.db, pii: env.pii, idClashDailyLimit: 2 }, importer, {
        filePath: file,
        commit: true,
        errorReportPath: report,
      });
      expect(r).toMatchObject({ rowsRead: 1, rowsValid: 0, rowsInvalid: 1, rowsReview: 0, rowsInserted: 0 });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(report);
      const message = String((wb.worksheets[0]!.getRow(2).values as unknown[]).at(-1));
      expect(message).toBe('身份证号：今日提交审核的人员已达上限，本行未导入，请明天再试或联系管理员');
      const entries = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'people.id_clash_limit' AND reason = 'import'`,
      );
      expect(entries[0]!.n).toBe(1);
    } finally {
      await limited?.close();
    }
  });
});
