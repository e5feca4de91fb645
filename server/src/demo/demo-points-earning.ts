import { runEarners } from '../modules/points/earners.service.js';
import { recordCheckin } from '../modules/points/garbage.service.js';
import { principalOfAccount } from '../platform/auth/auth.service.js';
import type { Db } from '../platform/db/client.js';

/**
 * points [B]: the demo resident (jumin) earns through the real earners, so their passbook is not empty on
 * `npm start`: three garbage-sorting check-ins by the grid worker (wangge) on the last three days (2 points each,
 * the daily cap), then a run of the automatic earners (jumin's accepted reports, once the demo cases are in; the job
 * points.earn picks up later ones every 5 minutes). Once (system_settings 'demo_points_earning'); idempotent.
 */
const SETTING = 'demo_points_earning';

export async function loadDemoPointsEarning(db: Db): Promise<{ checkins: number; earned: number } | null> {
  if ((await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0) {
    await runEarners(db);
    return null;
  }
  const [jumin] = await db.query<{ resident_id: number | null }>(
    "SELECT resident_id FROM users WHERE lower(username) = 'jumin'",
  );
  const residentId = jumin?.resident_id ? Number(jumin.resident_id) : null;
  const principal = await principalOfAccount(db, { username: 'wangge' });
  if (residentId === null || !principal) return null;
  const ctx = { principal, requestId: null, ip: null, locale: 'zh-CN' as const };
  let checkins = 0;
  const clientIds = [
    '6d1f0c2e-4b7a-4e39-9a51-0b8d2c3e4f01',
    '6d1f0c2e-4b7a-4e39-9a51-0b8d2c3e4f02',
    '6d1f0c2e-4b7a-4e39-9a51-0b8d2c3e4f03',
  ];
  for (const [i, clientId] of clientIds.entries()) {
    const at = new Date(Date.now() - (3 - i) * 86_400_000);
    const r = await recordCheckin(db, ctx, { residentId, quality: 'good', clientId }, at);
    if (!r.duplicate) checkins++;
  }
  const run = await runEarners(db);
  await db.query('INSERT INTO system_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
    SETTING,
    JSON.stringify({ checkins }),
  ]);
  return { checkins, earned: run.points };
}
