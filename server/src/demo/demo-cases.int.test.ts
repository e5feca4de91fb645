import { describe, expect, it } from 'vitest';
import { describeEachDb, type TestEnv } from '../test/test-app.js';
import { isDemoCasesLoaded, loadDemoCases } from './demo-cases.js';

describeEachDb('demo cases', (env: TestEnv) => {
  describe('loadDemoCases', () => {
    it('makes the demo departments and cases in several stages, once', async () => {
      expect(await isDemoCasesLoaded(env.db)).toBe(false);
      const r = await loadDemoCases({ db: env.db, pii: env.pii, jobs: env.jobs });
      expect(r).toEqual({ departments: 5, cases: 6 });
      expect(await isDemoCasesLoaded(env.db)).toBe(true);
      const depts = await env.db.query<{ name: string; members: number }>(
        `SELECT d.name, (SELECT count(*)::int FROM department_members m WHERE m.department_id = d.id) AS members
           FROM departments d ORDER BY d.id`,
      );
      expect(depts.map((d) => d.name)).toEqual(['县民政局', '县城管局', '县住建局', '县供水公司', '街道综合执法队']);
      expect(depts[0]!.members).toBe(1);
      const stages = await env.db.query<{ stage: string }>('SELECT stage FROM cases ORDER BY id');
      expect(stages.map((s) => s.stage)).toEqual([
        'reported',
        'handling',
        'handled',
        'whistled',
        'dispatched',
        'closed',
      ]);
      const board = await env.as('shequ', { method: 'GET', url: '/api/cases' });
      expect((board.json() as { items: unknown[] }).items).toHaveLength(6);
      const dept = await env.as('bumen', { method: 'GET', url: '/api/cases?view=department' });
      expect((dept.json() as { items: { title: string }[] }).items.map((i) => i.title)).toEqual(['养老助残']);
    });
  });
});
