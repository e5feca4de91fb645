import { expect, it } from 'vitest';
import { dayInShanghai } from '../modules/reports/reports.logic.js';
import { describeEachDb } from '../test/test-app.js';
import { loadDemoMachinery } from './demo-machinery.js';

describeEachDb('demo farm machinery', (env) => {
  it('loads owners, machines, demands and a finished job once, without overlapping bookings', async () => {
    expect(await loadDemoMachinery(env.db, env.pii)).toEqual({ machines: 5, demands: 6 });
    expect(await loadDemoMachinery(env.db, env.pii)).toBeNull();
    const res = await env.as('admin', {
      method: 'GET',
      url: `/api/machinery/stats?month=${dayInShanghai(new Date()).slice(0, 7)}`,
    });
    expect(res.json()).toMatchObject({ total: { bookings: 1, areaDoneMu: 118.5, revenueYuan: 7110 } });
    const counts = await env.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM machinery_demands GROUP BY status ORDER BY status',
    );
    expect(counts).toEqual([
      { status: 'booked', n: 3 },
      { status: 'done', n: 1 },
      { status: 'open', n: 2 },
    ]);
  });
});
