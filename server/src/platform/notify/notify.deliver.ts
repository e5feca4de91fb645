/**
 * Deliveries through external channels, each a job (`notify.deliver`) with retries and backoff, its course kept
 * in `notify_delivery_log` (queued → retrying … → sent, or failed with the error).
 *
 * `send()` only writes delivery rows (in the sender's transaction) and NOTIFYs `linli_notify`; every instance's
 * dispatcher then claims unqueued rows (`FOR UPDATE SKIP LOCKED`: each row goes to one instance) and queues their
 * jobs. A sweep every half minute takes up rows whose notification was missed or whose queueing failed.
 */
import { Type } from 'typebox';
import type { Db } from '../db/client.js';
import type { Jobs } from '../jobs/index.js';
import type { PiiCipher } from '../pii/index.js';
import { CONNECTORS, PermanentError } from './notify.channels.js';
import { getKind } from './notify.kinds.js';
import { renderTemplate } from './notify.logic.js';
import * as repo from './notify.repo.js';
import { channelConfigOf, DELIVER_CHANNEL } from './notify.service.js';

export const DELIVER_JOB = 'notify.deliver';
const DeliverPayload = Type.Object({ deliveryId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export type DeliveryOptions = {
  /** Attempts after the first (default 5). */
  retryLimit?: number;
  /** Seconds before the first retry, doubling after (default 30). */
  retryDelaySeconds?: number;
};

export type DeliveryLog = { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

export function registerDeliveries(deps: {
  db: Db;
  pii: PiiCipher;
  jobs: Jobs;
  log?: DeliveryLog;
  options?: DeliveryOptions;
}): { start(): Promise<void>; stop(): Promise<void> } {
  const { db, pii, jobs } = deps;
  const retryLimit = deps.options?.retryLimit ?? 5;

  jobs.register({
    name: DELIVER_JOB,
    schema: DeliverPayload,
    retryLimit,
    retryDelaySeconds: deps.options?.retryDelaySeconds ?? 30,
    retryBackoff: true,
    expireInSeconds: 120,
    concurrency: 4,
    handler: async ({ deliveryId }, job) => {
      const row = await repo.findDeliveryForSend(db, deliveryId);
      // Already settled (a job run twice) or gone with its channel: nothing to do.
      if (!row || row.status === 'sent' || row.status === 'failed') return;
      const attempt = job.retryCount + 1;
      if (!row.enabled) {
        await repo.setDeliveryStatus(db, deliveryId, 'failed', attempt, 'the channel is disabled');
        return;
      }
      const def = getKind(row.kind);
      const title = def ? renderTemplate(def.title[row.locale], row.payload) : row.kind;
      const link = def?.link?.(row.payload) ?? null;
      try {
        await CONNECTORS[row.channel_type](
          channelConfigOf({ config: row.config } as repo.ChannelRow),
          row.secret_sealed ? pii.open(row.secret_sealed) : '',
          {
            deliveryId,
            messageId: row.message_id,
            kind: row.kind,
            title,
            urgency: row.urgent ? 'urgent' : 'normal',
            createdAt: row.created_at.toISOString(),
            payload: row.payload,
            link: link ? { type: link.type, id: link.id } : null,
            recipient: { userId: row.user_id, username: row.username, displayName: row.display_name },
          },
          {
            phone: row.phone_sealed ? pii.open(row.phone_sealed) : null,
            wechatOpenId: row.wechat_openid,
          },
          job.signal,
        );
      } catch (err) {
        const last = err instanceof PermanentError || job.retryCount >= retryLimit;
        await repo.setDeliveryStatus(db, deliveryId, last ? 'failed' : 'retrying', attempt, errorText(err));
        if (err instanceof PermanentError) return;
        throw err;
      }
      await repo.setDeliveryStatus(db, deliveryId, 'sent', attempt, null);
    },
  });

  let unlisten: (() => Promise<void>) | null = null;
  let timer: NodeJS.Timeout | null = null;
  let first: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  const dispatchOnce = async () => {
    for (;;) {
      const rows = await repo.claimForQueue(db, 100, 10);
      for (const r of rows) {
        try {
          await jobs.send(
            DELIVER_JOB,
            { deliveryId: r.id },
            { singletonKey: `delivery:${r.id}`, ...(r.not_before > new Date() ? { startAfter: r.not_before } : {}) },
          );
        } catch (err) {
          // Not running yet, or the queue is unreachable: the sweep takes the row up again.
          await repo.unclaim(db, r.id);
          deps.log?.warn({ err, deliveryId: r.id }, 'could not queue a notification delivery');
          return;
        }
      }
      if (rows.length < 100) return;
    }
  };
  const dispatch = () => {
    if (running) {
      again = true;
      return;
    }
    running = dispatchOnce()
      .catch((err) => deps.log?.error({ err }, 'notification dispatch failed'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          dispatch();
        }
      });
  };

  return {
    async start() {
      unlisten = await db.listen(DELIVER_CHANNEL, () => dispatch());
      timer = setInterval(dispatch, 30_000);
      timer.unref();
      // Rows left from before a restart: once the jobs have had time to start.
      first = setTimeout(dispatch, 3000);
      first.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (first) clearTimeout(first);
      await unlisten?.();
      unlisten = null;
      await running;
    },
  };
}
