import { expect, it } from 'vitest';
import { buildResident } from '../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../test/test-app.js';
import { DEMO_POLICIES, loadDemoPolicies } from './demo-policies.js';

describeEachDb('demo policies', (env: TestEnv) => {
  it('sets the facts, writes five active policies and one finished run with candidates, once', async () => {
    const ages = [85, 92, 81, 70, 64, 30, 8, 88, 79, 83];
    for (const [i, age] of ages.entries()) {
      const year = new Date().getUTCFullYear() - age - 1;
      await buildResident(env, { nodeId: env.ids.unit!, name: `演示${i}`, birthDate: `${year}-01-15` });
    }
    const r = await loadDemoPolicies(env.db);
    expect(r).toMatchObject({ residents: ages.length, policies: 5 });
    expect(await loadDemoPolicies(env.db)).toBeNull();

    const unset = await env.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM residents WHERE hukou_type IS NULL',
    );
    expect(unset[0]!.n).toBe(0);
    const pols = await env.db.query<{ code: string; status: string }>('SELECT code, status FROM policies ORDER BY id');
    expect(pols).toEqual(DEMO_POLICIES.map((p) => ({ code: p.code, status: 'active' })));
    const [run] = await env.db.query<{ status: string; residents: number }>(
      'SELECT status, residents FROM policy_runs WHERE id = $1',
      [r!.runId],
    );
    expect(run).toEqual({ status: 'done', residents: ages.length });
    // 高龄津贴: exactly the local residents aged 80 or more, each a pending candidate.
    const expected = await env.db.query<{ id: number }>(
      `SELECT id FROM residents WHERE hukou_type IN ('local_urban', 'local_rural')
         AND birth_date <= (now() AT TIME ZONE 'Asia/Shanghai')::date - interval '80 years' ORDER BY id`,
    );
    expect(expected.length).toBeGreaterThan(0);
    const eligible = await env.db.query<{ id: number }>(
      `SELECT rr.resident_id AS id FROM policy_run_results rr JOIN policy_versions v ON v.id = rr.policy_version_id
       JOIN policies p ON p.id = v.policy_id WHERE p.code = 'old_age_allowance' AND rr.outcome = 'eligible' ORDER BY 1`,
    );
    expect(eligible).toEqual(expected);
    const cands = await env.db.query<{ id: number }>(
      `SELECT c.resident_id AS id FROM policy_candidates c JOIN policies p ON p.id = c.policy_id
       WHERE p.code = 'old_age_allowance' AND c.status = 'pending' ORDER BY 1`,
    );
    expect(cands).toEqual(expected);
  });
});
