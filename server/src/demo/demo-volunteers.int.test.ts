import { expect, it } from 'vitest';
import { buildResident } from '../test/people-factories.js';
import { linkUserToResident } from '../test/points-factories.js';
import { describeEachDb, type TestEnv } from '../test/test-app.js';
import { loadDemoVolunteers } from './demo-volunteers.js';

describeEachDb('demo volunteers', (env: TestEnv) => {
  it('links and enrols zhiyuan, makes two teams and three activities, credits jumin once', async () => {
    const residents = [];
    for (let i = 0; i < 6; i++) residents.push(await buildResident(env, { nodeId: env.ids.unit!, name: `演示${i}` }));
    const [jumin] = await env.db.query<{ id: number }>("SELECT id::int AS id FROM users WHERE username = 'jumin'");
    await linkUserToResident(env.db, jumin!.id, residents[5]!.id);

    expect(await loadDemoVolunteers(env.db)).toEqual({ activities: 3 });
    expect(await loadDemoVolunteers(env.db)).toBeNull();

    const [z] = await env.db.query<{ resident_id: number }>(
      "SELECT resident_id::int AS resident_id FROM users WHERE username = 'zhiyuan'",
    );
    expect(z!.resident_id).not.toBeNull();
    const vols = await env.db.query<{ kind: string }>('SELECT kind FROM volunteers ORDER BY kind');
    expect(vols.map((v) => v.kind)).toEqual(['resident', 'resident', 'rider', 'rider']);
    const teams = await env.db.query<{ name: string }>('SELECT name FROM volunteer_teams ORDER BY id');
    expect(teams.map((t) => t.name)).toEqual(['东关社区志愿服务队', '新业态移动网格员队']);
    const acts = await env.db.query<{ activity_type: string; status: string }>(
      'SELECT activity_type, status FROM activities ORDER BY starts_at',
    );
    expect(acts).toEqual([
      { activity_type: 'garbage_sorting', status: 'ended' },
      { activity_type: 'health_walk', status: 'published' },
      { activity_type: 'choir', status: 'published' },
    ]);
    const signups = await env.db.query<{ resident_id: number; status: string }>(
      'SELECT resident_id::int AS resident_id, status FROM activity_signups ORDER BY status',
    );
    expect(signups).toContainEqual({ resident_id: residents[5]!.id, status: 'attended' });
    expect(signups.map((s) => s.status)).toContain('no_show');
    const [bal] = await env.db.query<{ balance: number }>(
      "SELECT balance::int AS balance FROM ledger_accounts WHERE resident_id = $1 AND currency = 'points'",
      [residents[5]!.id],
    );
    expect(bal!.balance).toBe(10);
  });
});
