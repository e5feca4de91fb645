/** The people module's hourly housekeeping, run as background jobs (platform/jobs) instead of timers. */
import { expect, it } from 'vitest';
import { describeEachDb } from '../../test/test-app.js';
import { until } from '../../test/until.js';
import * as importRepo from './import/import.repo.js';
import { derivedTagsRefreshedOn } from './tags.repo.js';

describeEachDb('people housekeeping jobs', (env) => {
  const state = async (id: string) =>
    (await env.db.query<{ state: string }>('SELECT state::text AS state FROM pgboss.job WHERE id = $1', [id]))[0]
      ?.state;

  it('schedules the derived-tag refresh and the import sweep hourly, in Beijing time', async () => {
    const schedules = await env.db.query<{ name: string; cron: string; timezone: string }>(
      `SELECT name, cron, timezone FROM pgboss.schedule WHERE name LIKE 'people.%' ORDER BY name`,
    );
    expect(schedules).toEqual([
      { name: 'people.import_sweep', cron: '0 * * * *', timezone: 'Asia/Shanghai' },
      { name: 'people.refresh_derived_tags', cron: '7 * * * *', timezone: 'Asia/Shanghai' },
    ]);
  });

  it('the sweep job fails imports nobody runs any more', async () => {
    const r = await importRepo.insertImport(env.db, {
      countyId: null,
      fileName: 'stale.csv',
      createdBy: null,
      scopePaths: ['/'],
    });
    await env.db.query(
      `UPDATE imports SET status = 'running', heartbeat_at = now() - interval '45 minutes' WHERE id = $1`,
      [r.id],
    );
    const id = (await env.jobs.send('people.import_sweep', {}))!;
    await until(async () => (await state(id)) === 'completed', 'the sweep to run');
    const [row] = await env.db.query<{ status: string; error: string }>(
      'SELECT status, error FROM imports WHERE id = $1',
      [r.id],
    );
    expect(row).toEqual({ status: 'failed', error: JSON.stringify({ code: 'IMPORT_INTERRUPTED' }) });
  });

  it('the refresh job recomputes derived tags once for the day', async () => {
    await env.db.query(`DELETE FROM system_settings WHERE key LIKE '%derived%'`);
    expect(await derivedTagsRefreshedOn(env.db)).toBeNull();
    const id = (await env.jobs.send('people.refresh_derived_tags', {}))!;
    await until(async () => (await state(id)) === 'completed', 'the refresh to run');
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    expect(await derivedTagsRefreshedOn(env.db)).toBe(today);
  });
});
