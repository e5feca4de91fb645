/** What earning tells a resident through the inbox: "你因…获得 N 积分". */
import type { Queryable } from '../../platform/db/client.js';
import { defineKind } from '../../platform/notify/notify.kinds.js';
import { send } from '../../platform/notify/notify.service.js';

export const POINTS_EARNED_KIND = 'points.earned';

let registered = false;

export function registerEarningNotifications(): void {
  if (registered) return;
  registered = true;
  defineKind({
    kind: POINTS_EARNED_KIND,
    title: { 'zh-CN': '你因{reason}获得 {amount} 积分', en: 'You earned {amount} points: {reason}' },
    label: { 'zh-CN': '获得积分', en: 'Points earned' },
    urgency: 'normal',
  });
}

/** Tells the accounts linked to a resident (inside the crediting transaction: sent only if it commits). */
export async function notifyEarned(q: Queryable, residentId: number, amount: number, reason: string): Promise<void> {
  if (amount <= 0) return;
  registerEarningNotifications();
  const users = await q.query<{ id: number }>('SELECT id FROM users WHERE resident_id = $1 AND NOT disabled', [
    residentId,
  ]);
  if (users.length === 0) return;
  await send(
    q,
    users.map((u) => Number(u.id)),
    POINTS_EARNED_KIND,
    { amount, reason },
  );
}
