import { earningAccount } from '../modules/points/earning.service.js';
import { issuerAccount, postTransfer } from '../modules/points/ledger.repo.js';
import type { Db } from '../platform/db/client.js';

/**
 * points [A]: a little history for the demo resident (jumin's linked resident): a few credits with reasons and one
 * redemption-like deduction, through `postTransfer` with idempotency keys 'demo:a:…' — a repeat adds nothing.
 */
const HISTORY = [
  { key: 'demo:a:1', kind: 'earn', amount: 50, reason: '参加社区环境整治志愿活动', in: true },
  { key: 'demo:a:2', kind: 'earn', amount: 20, reason: '随手拍上报楼道堆物（已确认）', in: true },
  { key: 'demo:a:3', kind: 'adjust', amount: 30, reason: '关爱独居老人（社区奖励）', in: true },
  { key: 'demo:a:4', kind: 'adjust', amount: 10, reason: '垃圾分类不规范（扣减）', in: false },
] as const;

export async function loadDemoPointsHistory(db: Db): Promise<number> {
  const [u] = await db.query<{ resident_id: number | null }>(
    `SELECT resident_id FROM users WHERE lower(username) = 'jumin'`,
  );
  if (!u?.resident_id) return 0;
  const residentId = Number(u.resident_id);
  return db.transaction(async (tx) => {
    const account = await earningAccount(tx, residentId, 'points');
    const issuer = await issuerAccount(tx, account.communityId, 'points');
    let created = 0;
    for (const h of HISTORY) {
      const t = await postTransfer(tx, {
        currency: 'points',
        kind: h.kind,
        amount: h.amount,
        fromAccountId: h.in ? issuer.id : account.id,
        toAccountId: h.in ? account.id : issuer.id,
        reason: h.reason,
        sourceType: 'demo',
        idempotencyKey: h.key,
      });
      if (t.created) created++;
    }
    return created;
  });
}
