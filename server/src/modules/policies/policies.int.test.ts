import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { buildUser, nodeIdByName } from '../../test/factories.js';
import { buildResident } from '../../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { until } from '../../test/until.js';
import { todayShanghai } from '../people/people.service.js';
import type {
  CandidateDetail,
  CandidatePage,
  PolicyFieldsView,
  PolicyVersionList,
  PolicyView,
  ResultPage,
  RunView,
  ValidateResult,
} from './policies.schemas.js';

type Err = { code?: string; field?: string };

/** A birth date that makes the person `age` today (their birthday `days` ahead). */
function bornFor(age: number, days = 30): string {
  const t = todayShanghai();
  const d = new Date(`${Number(t.slice(0, 4)) - age - 1}${t.slice(4)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const OLD_AGE_RULE = {
  all: [
    { field: 'age', op: '>=', value: 80 },
    { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural'] },
    { not: { policy: 'old_age_allowance', state: 'receiving' } },
  ],
};

describeEachDb('policies: versions, runs, explained lists, candidates, export', (env: TestEnv) => {
  const post = (user: string, url: string, payload: Record<string, unknown> = {}) =>
    env.as(user, { method: 'POST', url, payload });
  const get = (user: string, url: string) => env.as(user, { method: 'GET', url });
  const patch = (user: string, url: string, payload: Record<string, unknown>) =>
    env.as(user, { method: 'PATCH', url, payload });
  const p: Record<string, number> = {};
  let grid2Worker: string;
  let grid2 = 0;
  let policy: PolicyView;
  let run1: RunView;
  let run2: RunView;
  let run3: RunView;

  const runAndWait = async (user: string, body: Record<string, unknown>): Promise<RunView> => {
    const res = await post(user, '/api/policies/runs', body);
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as RunView).id;
    let last: RunView | null = null;
    await until(async () => {
      last = (await get(user, `/api/policies/runs/${id}`)).json() as RunView;
      return last.status === 'done' || last.status === 'failed';
    }, `run ${id}`);
    expect(last!.status, last!.error ?? '').toBe('done');
    return last!;
  };
  const results = async (user: string, runId: number, q: string) => {
    const res = await get(user, `/api/policies/runs/${runId}/results?policyId=${policy.id}&${q}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ResultPage;
  };
  const ids = (page: ResultPage) => page.items.map((r) => r.residentId).sort((a, b) => a - b);
  const candidateOf = async (residentId: number) =>
    (
      await env.db.query<{ id: number; status: string; version: number }>(
        'SELECT id, status, version FROM policy_candidates WHERE resident_id = $1 AND policy_id = $2 ORDER BY id DESC',
        [residentId, policy.id],
      )
    )[0];

  beforeAll(async () => {
    const unit = env.ids.unit!;
    grid2 = await nodeIdByName(env.db, '第二网格', env.ids.community);
    const make = async (key: string, nodeId: number, age: number, hukou: string | null) => {
      p[key] = (await buildResident(env, { nodeId, name: key, birthDate: bornFor(age) })).id;
      await env.db.query('UPDATE residents SET hukou_type = $2 WHERE id = $1', [p[key], hukou]);
    };
    await make('老张', unit, 86, 'local_urban'); // eligible
    await make('老李', unit, 79, 'local_urban'); // near miss: age
    await make('老王', unit, 88, 'nonlocal'); // not even a near miss: an enum condition is never near
    await make('老赵', unit, 90, 'local_rural'); // eligible, later moves out
    await make('老孙', grid2, 92, 'local_urban'); // eligible, another grid
    await make('小周', unit, 30, null); // neither (two conditions fail)
    grid2Worker = (await buildUser(env, { role: 'grid_worker', nodeId: grid2, password: DEMO_PASSWORD })).username;
  });

  describe('policies and versions', () => {
    it('offers the editor its catalogue and checks rules live, naming the field', async () => {
      const f = (await get('wangge', '/api/policies/fields')).json() as PolicyFieldsView;
      expect(f.fields.find((x) => x.code === 'age')).toMatchObject({ label: '年龄', type: 'number' });
      expect(f.opsByType.boolean).toEqual(['=']);
      expect(f.tags.length).toBeGreaterThan(0);
      const ok = await post('admin', '/api/policies/validate', { rule: { field: 'age', op: '>=', value: 60 } });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((ok.json() as ValidateResult).leaves).toMatchObject([{ index: 0, kind: 'field', label: '年龄 ≥ 60' }]);
      const bad = await post('admin', '/api/policies/validate', {
        rule: {
          all: [
            { field: 'age', op: '>=', value: 60 },
            { field: 'shoe_size', op: '=', value: 42 },
          ],
        },
      });
      expect([bad.statusCode, (bad.json() as Err).code]).toEqual([400, 'POLICY_RULE_INVALID']);
      expect((bad.json() as Err).field).toMatch(/^rule\.all\.1/);
    });

    it('creates a policy (version 1) and refuses bad rules, a duplicate code and wrong dates', async () => {
      const base = {
        code: 'old_age_allowance',
        name: '高龄津贴',
        legalRef: '《山东省老年人权益保障条例》第二十六条',
        handledBy: '民政办',
        residentText: '年满80周岁的本地户籍老人可申请高龄津贴。',
        validFrom: '2020-01-01',
      };
      const mismatch = await post('admin', '/api/policies', {
        ...base,
        rule: { all: [{ field: 'age', op: '>', value: 'abc' }] },
      });
      expect([mismatch.statusCode, (mismatch.json() as Err).code]).toEqual([400, 'POLICY_RULE_INVALID']);
      expect((mismatch.json() as Err).field).toMatch(/^rule\.all\.0/);
      const dates = await post('admin', '/api/policies', { ...base, validTo: '2019-01-01', rule: OLD_AGE_RULE });
      expect([dates.statusCode, (dates.json() as Err).field]).toEqual([400, 'validTo']);
      const denied = await post('shequ', '/api/policies', { ...base, rule: OLD_AGE_RULE });
      expect(denied.statusCode).toBe(403);
      expect(Number((await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM policies'))[0]!.n)).toBe(0);

      const res = await post('admin', '/api/policies', { ...base, rule: OLD_AGE_RULE });
      expect(res.statusCode, res.body).toBe(201);
      policy = res.json() as PolicyView;
      expect(policy).toMatchObject({ code: 'old_age_allowance', status: 'draft', version: 1 });
      expect(policy.leaves.map((l) => l.index)).toEqual([0, 1, 2]);
      const dup = await post('admin', '/api/policies', { ...base, rule: OLD_AGE_RULE });
      expect([dup.statusCode, (dup.json() as Err).code, (dup.json() as Err).field]).toEqual([
        409,
        'POLICY_CODE_DUPLICATE',
        'code',
      ]);
      // A worker reads policies.
      const list = (await get('wangge', '/api/policies')).json() as { items: PolicyView[] };
      expect(list.items.map((x) => x.code)).toEqual(['old_age_allowance']);
    });

    it('an update with the same rule (other key order) keeps the version; fields change in place', async () => {
      const res = await patch('admin', `/api/policies/${policy.id}`, {
        description: '每月发放',
        rule: { all: OLD_AGE_RULE.all.map((x) => Object.fromEntries(Object.entries(x).reverse())) },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ version: 1, description: '每月发放' });
    });

    it('runs only an active policy', async () => {
      const draft = await post('shequ', '/api/policies/runs', { nodeId: env.ids.community, policyId: policy.id });
      expect([draft.statusCode, (draft.json() as Err).code]).toEqual([409, 'POLICY_NOT_ACTIVE']);
      const back = await post('admin', `/api/policies/${policy.id}/status`, { status: 'active' });
      expect(back.json()).toMatchObject({ status: 'active' });
      const wrong = await post('admin', `/api/policies/${policy.id}/status`, { status: 'draft' });
      expect([wrong.statusCode, (wrong.json() as Err).code]).toEqual([409, 'POLICY_STATUS_INVALID']);
    });
  });

  describe('runs, explained lists and candidates', () => {
    it('finds the eligible and the near misses, with why', async () => {
      run1 = await runAndWait('shequ', { nodeId: env.ids.community });
      expect(run1.policies).toMatchObject([
        { policyId: policy.id, version: 1, eligible: 3, nearMiss: 1, newlyEligible: 3, previousRunId: null },
      ]);
      const el = await results('wangge', run1.id, 'outcome=eligible');
      // The grid worker sees their grid only (老孙 lives in the second grid).
      expect(ids(el)).toEqual([p.老张!, p.老赵!].sort((a, b) => a - b));
      const zhang = el.items.find((r) => r.residentId === p.老张)!;
      expect(zhang.name).toBe('老张');
      expect(zhang.idMasked).toMatch(/\*/);
      expect(zhang.isNew).toBe(true);
      expect(zhang.explanation.met.find((c) => c.index === 0)).toMatchObject({ label: '年龄 ≥ 80', value: 86 });
      expect(zhang.candidate).toMatchObject({ status: 'pending' });
      const near = await results('wangge', run1.id, 'outcome=near_miss');
      // 79 is within two years of 80; a nonlocal hukou is not "near" a local one
      expect(ids(near)).toEqual([p.老李]);
      const li = near.items.find((r) => r.residentId === p.老李)!;
      expect(li.explanation.failed).toMatchObject([{ index: 0, value: 79 }]);
      expect(li.candidate).toBeNull();
      // The other grid's worker sees theirs.
      expect(ids(await results(grid2Worker, run1.id, 'outcome=eligible'))).toEqual([p.老孙]);
      // The community's run seen from a grid counts that grid only: the grid worker's view, and the list of runs
      // covering the second grid (the run over the community holds it).
      const seen = (await get('wangge', `/api/policies/runs/${run1.id}`)).json() as RunView;
      expect(seen.policies).toMatchObject([{ eligible: 2, nearMiss: 1, newlyEligible: 2, noLongerEligible: 0 }]);
      const listed = (await get('shequ', `/api/policies/runs?nodeId=${grid2}&status=done`)).json() as {
        items: RunView[];
      };
      expect(listed.items.find((r) => r.id === run1.id)?.policies).toMatchObject([
        { eligible: 1, nearMiss: 0, newlyEligible: 1 },
      ]);
    });

    it('gives the grid worker a task and a message; another grid’s worker cannot open the candidate', async () => {
      const tasks = (await get('wangge', '/api/tasks/mine?kind=policy')).json() as {
        items: { title: string; link: string; mobileLink: string; id: number }[];
      };
      const zhang = (await candidateOf(p.老张!))!;
      expect(tasks.items.map((t) => t.title)).toContain('核实政策：高龄津贴 · 老张');
      expect(tasks.items.find((t) => t.id === zhang.id)).toMatchObject({
        link: `/policies/candidates?id=${zhang.id}`,
        mobileLink: `/m/policies/candidates/${zhang.id}`,
      });
      const other = (await get(grid2Worker, '/api/tasks/mine?kind=policy')).json() as { items: { id: number }[] };
      expect(other.items.map((t) => t.id)).not.toContain(zhang.id);
      const inbox = (await get('wangge', '/api/inbox')).json() as { items: { kind: string; title: string }[] };
      expect(inbox.items.find((m) => m.kind === 'policies.new_candidates')?.title).toContain('2 名新的候选人');
      const hidden = await get(grid2Worker, `/api/policies/candidates/${zhang.id}`);
      expect([hidden.statusCode, (hidden.json() as Err).code]).toEqual([404, 'POLICY_CANDIDATE_NOT_FOUND']);
      const detail = await get('wangge', `/api/policies/candidates/${zhang.id}`);
      expect(detail.statusCode, detail.body).toBe(200);
      const d = detail.json() as CandidateDetail;
      expect(d).toMatchObject({ policyName: '高龄津贴', name: '老张', status: 'pending' });
      expect(d.residentText).toContain('年满80周岁');
      expect(d.explanation?.met.length).toBe(3);
    });

    it('diffs the next run: one turns 80, one moves out; the pending candidate of the one gone lapses', async () => {
      await env.db.query('UPDATE residents SET birth_date = $2 WHERE id = $1', [p.老李, bornFor(80)]);
      const leave = await post('wangge', `/api/people/residents/${p.老赵}/leave`, {
        reason: 'moved_out',
        on: todayShanghai(),
      });
      expect(leave.statusCode, leave.body).toBe(200);
      run2 = await runAndWait('shequ', { nodeId: env.ids.community });
      expect(run2.policies).toMatchObject([
        { eligible: 3, newlyEligible: 1, noLongerEligible: 1, previousRunId: run1.id },
      ]);
      expect(ids(await results('wangge', run2.id, 'outcome=new'))).toEqual([p.老李]);
      const gone = await results('wangge', run2.id, 'outcome=gone');
      expect(ids(gone)).toEqual([p.老赵]);
      expect(gone.items[0]!.outcome).toBe('gone');
      expect((await candidateOf(p.老赵!))!.status).toBe('lapsed');
      expect((await candidateOf(p.老张!))!.status).toBe('pending');
      // Still one open candidacy for 老张 (not found again).
      const n = await env.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM policy_candidates WHERE resident_id = $1',
        [p.老张],
      );
      expect(n[0]!.n).toBe(1);
    });

    it('decisions: stale version 409, reject needs a reason, confirm, receiving; then not listed as eligible', async () => {
      const zhang = (await candidateOf(p.老张!))!;
      const li = (await candidateOf(p.老李!))!;
      const stale = await post('wangge', `/api/policies/candidates/${zhang.id}/confirm`, {
        version: zhang.version + 1,
      });
      expect([stale.statusCode, (stale.json() as Err).code]).toEqual([409, 'POLICY_CANDIDATE_VERSION_CONFLICT']);
      const early = await post('wangge', `/api/policies/candidates/${zhang.id}/receiving`, {
        version: zhang.version,
        since: todayShanghai(),
      });
      expect([early.statusCode, (early.json() as Err).code]).toEqual([409, 'POLICY_CANDIDATE_STATE']);
      const noReason = await post('wangge', `/api/policies/candidates/${li.id}/reject`, {
        version: li.version,
        reason: ' ',
      });
      expect([noReason.statusCode, (noReason.json() as Err).code]).toEqual([400, 'REASON_REQUIRED']);
      const rej = await post('wangge', `/api/policies/candidates/${li.id}/reject`, {
        version: li.version,
        reason: '本人表示已在外地领取',
      });
      expect(rej.json()).toMatchObject({ status: 'rejected', reason: '本人表示已在外地领取', decidedByName: '张网格' });
      const other = await post(grid2Worker, `/api/policies/candidates/${zhang.id}/confirm`, { version: zhang.version });
      expect(other.statusCode).toBe(404);
      const ok = await post('wangge', `/api/policies/candidates/${zhang.id}/confirm`, {
        version: zhang.version,
        note: '已电话核实',
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const c = ok.json() as CandidateDetail;
      expect(c.status).toBe('confirmed');
      const rec = await post('wangge', `/api/policies/candidates/${zhang.id}/receiving`, {
        version: c.version,
        since: todayShanghai(),
      });
      expect(rec.json()).toMatchObject({ status: 'receiving', receivingSince: todayShanghai() });
      expect((rec.json() as CandidateDetail).history.map((h) => h.action)).toEqual([
        'policy.candidate.confirm',
        'policy.candidate.receiving',
      ]);
      const list = (await get('wangge', '/api/policies/candidates?status=receiving')).json() as CandidatePage;
      expect(list.items.map((x) => x.id)).toEqual([zhang.id]);

      run3 = await runAndWait('shequ', { nodeId: env.ids.community, policyId: policy.id });
      const el = await results('wangge', run3.id, 'outcome=eligible');
      expect(ids(el)).toEqual([p.老李]);
      const near = await results('wangge', run3.id, 'outcome=near_miss');
      // receiving now, 老张 fails a `not` condition, which is never near: neither eligible nor a near miss
      expect(ids(near)).not.toContain(p.老张);
      // The rejected candidacy stays: 老李 is not made a candidate again while still eligible.
      expect((await candidateOf(p.老李!))!.status).toBe('rejected');
      const mine = (await get('wangge', `/api/policies/residents/${p.老张}`)).json() as {
        results: { outcome: string; runId: number }[];
        candidates: { status: string }[];
      };
      expect(mine.results).toEqual([]);
      expect(mine.candidates.map((x) => x.status)).toEqual(['receiving']);
      const hidden = await get(grid2Worker, `/api/policies/residents/${p.老张}`);
      expect(hidden.statusCode).toBe(404);
    });

    it('a changed rule is a new version; old runs keep theirs', async () => {
      const res = await patch('admin', `/api/policies/${policy.id}`, {
        rule: { ...OLD_AGE_RULE, all: [{ field: 'age', op: '>=', value: 85 }, ...OLD_AGE_RULE.all.slice(1)] },
        note: '提高年龄',
      });
      expect(res.json()).toMatchObject({ version: 2 });
      const versions = (await get('wangge', `/api/policies/${policy.id}/versions`)).json() as PolicyVersionList;
      expect(versions.items.map((v) => [v.version, v.current])).toEqual([
        [2, true],
        [1, false],
      ]);
      const old = (await get('wangge', `/api/policies/runs/${run1.id}`)).json() as RunView;
      expect(old.policies[0]!.version).toBe(1);
      const el = await results('wangge', run1.id, 'outcome=near_miss');
      expect(el.leaves[0]!.label).toBe('年龄 ≥ 80');
    });
  });

  describe('export and resident facts', () => {
    const readXlsx = async (body: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(body as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const rows: string[][] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
      return rows;
    };

    it('exports the explained list masked, and unmasked only with a reason (audited)', async () => {
      const url = `/api/policies/runs/${run2.id}/export.xlsx?policyId=${policy.id}&outcome=eligible`;
      const res = await get('wangge', url);
      expect(res.statusCode, res.body).toBe(200);
      const rows = await readXlsx(res.rawPayload);
      expect(rows[1]!.slice(0, 2)).toEqual(['姓名', '身份证号']);
      const zhang = rows.find((r) => r[0] === '老张')!;
      expect(zhang[1]).toMatch(/\*/);
      expect(zhang[5]).toBe('符合');
      expect(zhang[7]).toContain('年龄 ≥ 80（86）');
      expect(rows.some((r) => r[0] === '老孙')).toBe(false);

      const noReason = await get('wangge', `${url}&unmasked=1`);
      expect([noReason.statusCode, (noReason.json() as Err).code]).toEqual([400, 'REASON_REQUIRED']);
      const full = await get('wangge', `${url}&unmasked=1&reason=${encodeURIComponent('上报民政办')}`);
      expect(full.statusCode).toBe(200);
      const fullRows = await readXlsx(full.rawPayload);
      const realId = (
        await env.db.query<{ id_sealed: Uint8Array }>('SELECT id_sealed FROM residents WHERE id = $1', [p.老张])
      )[0]!;
      expect(fullRows.find((r) => r[0] === '老张')![1]).toBe(env.pii.open(realId.id_sealed));
      const audit = await env.db.query<{ reason: string }>(
        `SELECT reason FROM audit_log WHERE action = 'policy.export' ORDER BY id DESC LIMIT 1`,
      );
      expect(audit[0]!.reason).toBe('上报民政办');
    });

    it('residents take and return hukou type, income band and disability grade', async () => {
      const res = await patch('wangge', `/api/people/residents/${p.小周}`, {
        hukouType: 'nonlocal',
        incomeBand: 'low',
        disabilityGrade: 2,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ hukouType: 'nonlocal', incomeBand: 'low', disabilityGrade: 2 });
      const bad = await patch('wangge', `/api/people/residents/${p.小周}`, { disabilityGrade: 5 });
      expect(bad.statusCode).toBe(400);
      const read = (await get('wangge', `/api/people/residents/${p.小周}`)).json();
      expect(read).toMatchObject({ hukouType: 'nonlocal', incomeBand: 'low', disabilityGrade: 2 });
    });
  });
});
