/** The only SQL of notifications: inbox messages, preferences, channels, deliveries and their log. */
import type { Queryable } from '../db/client.js';

export type MessageRow = {
  id: number;
  user_id: number;
  kind: string;
  payload: Record<string, unknown>;
  link_type: string | null;
  link_id: number | null;
  node_path: string | null;
  urgent: boolean;
  created_at: Date;
  read_at: Date | null;
};

const MESSAGE_COLS = 'id, user_id, kind, payload, link_type, link_id, node_path, urgent, created_at, read_at';

export type NewMessage = {
  kind: string;
  payload: Record<string, unknown>;
  linkType: string | null;
  linkId: number | null;
  nodePath: string | null;
  urgent: boolean;
  onceKey: string | null;
};

/** One message to each user (accounts removed meanwhile are skipped rather than failing the sender). */
export async function insertMessages(
  q: Queryable,
  userIds: number[],
  m: NewMessage,
): Promise<{ id: number; user_id: number }[]> {
  if (userIds.length === 0) return [];
  return q.query<{ id: number; user_id: number }>(
    `INSERT INTO inbox_messages (user_id, kind, payload, link_type, link_id, node_path, urgent, once_key)
     SELECT u.id, $2, $3::jsonb, $4, $5, $6, $7, $8 FROM users u WHERE u.id = ANY($1::bigint[]) ORDER BY u.id
     RETURNING id, user_id`,
    [userIds, m.kind, JSON.stringify(m.payload), m.linkType, m.linkId, m.nodePath, m.urgent, m.onceKey],
  );
}

/** Whether a message of the kind with that key was sent since then (to anyone). */
export async function wasSentSince(q: Queryable, kind: string, onceKey: string, since: Date): Promise<boolean> {
  const rows = await q.query(
    'SELECT 1 FROM inbox_messages WHERE kind = $1 AND once_key = $2 AND created_at >= $3 LIMIT 1',
    [kind, onceKey, since.toISOString()],
  );
  return rows.length > 0;
}

export async function listMessages(
  q: Queryable,
  userId: number,
  opts: { unread: boolean; limit: number; offset: number },
): Promise<{ rows: MessageRow[]; total: number }> {
  const filter = opts.unread ? 'AND read_at IS NULL' : '';
  const rows = await q.query<MessageRow & { total: number }>(
    `SELECT ${MESSAGE_COLS}, count(*) OVER ()::int AS total FROM inbox_messages
      WHERE user_id = $1 ${filter} ORDER BY id DESC LIMIT $2 OFFSET $3`,
    [userId, opts.limit, opts.offset],
  );
  if (rows.length > 0 || opts.offset === 0) return { rows, total: rows[0]?.total ?? 0 };
  const c = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox_messages WHERE user_id = $1 ${filter}`, [
    userId,
  ]);
  return { rows, total: c[0]!.n };
}

export async function countUnread(q: Queryable, userId: number): Promise<number> {
  const rows = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM inbox_messages WHERE user_id = $1 AND read_at IS NULL',
    [userId],
  );
  return rows[0]!.n;
}

export async function findMessage(q: Queryable, userId: number, id: number): Promise<MessageRow | null> {
  const rows = await q.query<MessageRow>(`SELECT ${MESSAGE_COLS} FROM inbox_messages WHERE id = $1 AND user_id = $2`, [
    id,
    userId,
  ]);
  return rows[0] ?? null;
}

export async function markRead(q: Queryable, userId: number, id: number): Promise<MessageRow | null> {
  const rows = await q.query<MessageRow>(
    `UPDATE inbox_messages SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2
     RETURNING ${MESSAGE_COLS}`,
    [id, userId],
  );
  return rows[0] ?? null;
}

export async function markAllRead(q: Queryable, userId: number): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH d AS (UPDATE inbox_messages SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [userId],
  );
  return rows[0]!.n;
}

/** The user's messages after `afterId`, oldest first (a reconnecting live client catching up). */
export async function messagesAfter(q: Queryable, userId: number, afterId: number, limit: number) {
  return q.query<MessageRow>(
    `SELECT ${MESSAGE_COLS} FROM inbox_messages WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [userId, afterId, limit],
  );
}

export async function messagesByIds(q: Queryable, ids: number[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return q.query<MessageRow>(`SELECT ${MESSAGE_COLS} FROM inbox_messages WHERE id = ANY($1::bigint[]) ORDER BY id`, [
    ids,
  ]);
}

export async function lastMessageId(q: Queryable, userId: number): Promise<number> {
  const rows = await q.query<{ id: number | null }>('SELECT max(id) AS id FROM inbox_messages WHERE user_id = $1', [
    userId,
  ]);
  return rows[0]?.id ?? 0;
}

// ---- recipients -------------------------------------------------------------------------------------------

/** Accounts with a post anywhere (node null) in one of the roles: system administrators. */
export async function usersWithGlobalRole(q: Queryable, roles: readonly string[]): Promise<number[]> {
  const rows = await q.query<{ user_id: number }>(
    `SELECT DISTINCT p.user_id FROM posts p JOIN users u ON u.id = p.user_id
      WHERE p.node_id IS NULL AND p.role = ANY($1::text[]) AND NOT u.disabled ORDER BY 1`,
    [roles],
  );
  return rows.map((r) => r.user_id);
}

/** Posts in one of the roles at `path` or a node above it (depth: the node's depth; null for a global post). */
export async function postsOnLine(q: Queryable, path: string, roles: readonly string[]) {
  return q.query<{ user_id: number; depth: number | null }>(
    `SELECT p.user_id, n.depth FROM posts p JOIN users u ON u.id = p.user_id
       LEFT JOIN org_nodes n ON n.id = p.node_id
      WHERE p.role = ANY($2::text[]) AND NOT u.disabled
        AND (p.node_id IS NULL OR $1 LIKE n.path || '%')`,
    [path, roles],
  );
}

// ---- preferences ------------------------------------------------------------------------------------------

export type SettingsRow = { quiet_start: string | null; quiet_end: string | null; wechat_openid: string | null };

export async function findSettings(q: Queryable, userId: number): Promise<SettingsRow | null> {
  const rows = await q.query<SettingsRow>(
    `SELECT to_char(quiet_start, 'HH24:MI') AS quiet_start, to_char(quiet_end, 'HH24:MI') AS quiet_end, wechat_openid
       FROM notify_settings WHERE user_id = $1`,
    [userId],
  );
  return rows[0] ?? null;
}

export async function findSubscriptions(q: Queryable, userId: number) {
  return q.query<{ channel_id: number; kind: string }>(
    `SELECT s.channel_id, s.kind FROM notify_subscriptions s JOIN notify_channels c ON c.id = s.channel_id
      WHERE s.user_id = $1 AND c.enabled ORDER BY s.channel_id, s.kind`,
    [userId],
  );
}

export async function savePreferences(
  q: Queryable,
  userId: number,
  p: {
    subscriptions: { channelId: number; kind: string }[];
    quietStart: string | null;
    quietEnd: string | null;
    wechatOpenId: string | null;
  },
): Promise<void> {
  await q.query('DELETE FROM notify_subscriptions WHERE user_id = $1', [userId]);
  if (p.subscriptions.length > 0) {
    await q.query(
      `INSERT INTO notify_subscriptions (user_id, channel_id, kind)
       SELECT $1, c, k FROM unnest($2::bigint[], $3::text[]) AS t (c, k) ON CONFLICT DO NOTHING`,
      [userId, p.subscriptions.map((s) => s.channelId), p.subscriptions.map((s) => s.kind)],
    );
  }
  await q.query(
    `INSERT INTO notify_settings (user_id, quiet_start, quiet_end, wechat_openid, updated_at)
     VALUES ($1, $2::time, $3::time, $4, now())
     ON CONFLICT (user_id) DO UPDATE SET quiet_start = $2::time, quiet_end = $3::time, wechat_openid = $4,
       updated_at = now()`,
    [userId, p.quietStart, p.quietEnd, p.wechatOpenId],
  );
}

/** Who of `userIds` receives `kind` through which enabled channel, with their quiet hours. */
export async function findSubscribers(q: Queryable, userIds: number[], kind: string) {
  return q.query<{ user_id: number; channel_id: number; quiet_start: string | null; quiet_end: string | null }>(
    `SELECT s.user_id, s.channel_id, to_char(st.quiet_start, 'HH24:MI') AS quiet_start,
            to_char(st.quiet_end, 'HH24:MI') AS quiet_end
       FROM notify_subscriptions s JOIN notify_channels c ON c.id = s.channel_id AND c.enabled
       LEFT JOIN notify_settings st ON st.user_id = s.user_id
      WHERE s.user_id = ANY($1::bigint[]) AND s.kind = $2`,
    [userIds, kind],
  );
}

// ---- channels ---------------------------------------------------------------------------------------------

export type ChannelRow = {
  id: number;
  type: 'webhook' | 'sms' | 'wechat';
  name: string;
  config: Record<string, unknown>;
  secret_sealed: Buffer | null;
  secret_hint: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
};

const CHANNEL_COLS = 'id, type, name, config, secret_sealed, secret_hint, enabled, created_at, updated_at';

export async function listChannels(q: Queryable, opts: { enabledOnly: boolean }): Promise<ChannelRow[]> {
  return q.query<ChannelRow>(
    `SELECT ${CHANNEL_COLS} FROM notify_channels ${opts.enabledOnly ? 'WHERE enabled' : ''} ORDER BY id`,
  );
}

export async function findChannel(q: Queryable, id: number): Promise<ChannelRow | null> {
  const rows = await q.query<ChannelRow>(`SELECT ${CHANNEL_COLS} FROM notify_channels WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function insertChannel(
  q: Queryable,
  c: {
    type: string;
    name: string;
    config: unknown;
    enabled: boolean;
    secretSealed: Buffer | null;
    secretHint: string | null;
  },
): Promise<ChannelRow> {
  const rows = await q.query<ChannelRow>(
    `INSERT INTO notify_channels (type, name, config, enabled, secret_sealed, secret_hint)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING ${CHANNEL_COLS}`,
    [c.type, c.name, JSON.stringify(c.config), c.enabled, c.secretSealed, c.secretHint],
  );
  return rows[0]!;
}

export async function updateChannel(
  q: Queryable,
  id: number,
  c: { name: string; config: unknown; enabled: boolean; secretSealed: Buffer | null; secretHint: string | null },
): Promise<ChannelRow> {
  const rows = await q.query<ChannelRow>(
    `UPDATE notify_channels SET name = $2, config = $3::jsonb, enabled = $4, secret_sealed = $5, secret_hint = $6,
       updated_at = now() WHERE id = $1 RETURNING ${CHANNEL_COLS}`,
    [id, c.name, JSON.stringify(c.config), c.enabled, c.secretSealed, c.secretHint],
  );
  return rows[0]!;
}

export async function deleteChannel(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM notify_channels WHERE id = $1', [id]);
}

// ---- deliveries -------------------------------------------------------------------------------------------

export type DeliveryStatus = 'queued' | 'retrying' | 'sent' | 'failed';

export async function insertDeliveries(
  q: Queryable,
  rows: { messageId: number; channelId: number; notBefore: Date }[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const ids = await q.query<{ id: number }>(
    `INSERT INTO notify_deliveries (message_id, channel_id, not_before)
     SELECT m, c, nb FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS t (m, c, nb) RETURNING id`,
    [rows.map((r) => r.messageId), rows.map((r) => r.channelId), rows.map((r) => r.notBefore.toISOString())],
  );
  await q.query(
    `INSERT INTO notify_delivery_log (delivery_id, status) SELECT d, 'queued' FROM unnest($1::bigint[]) AS d`,
    [ids.map((r) => r.id)],
  );
  return ids.map((r) => r.id);
}

/**
 * Marks deliveries not yet handed to the job queue as handed (of several instances, each row goes to one) and
 * returns them; `staleMinutes` also takes back ones handed long ago that are still queued (a lost send).
 */
export async function claimForQueue(q: Queryable, limit: number, staleMinutes: number) {
  return q.query<{ id: number; not_before: Date }>(
    `UPDATE notify_deliveries SET enqueued_at = now()
      WHERE id IN (SELECT id FROM notify_deliveries
                    WHERE enqueued_at IS NULL
                       OR (status = 'queued' AND enqueued_at < now() - make_interval(mins => $2)
                           AND not_before < now() - make_interval(mins => $2))
                    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, not_before`,
    [limit, staleMinutes],
  );
}

/** Hands a claimed delivery back (its job could not be queued). */
export async function unclaim(q: Queryable, id: number): Promise<void> {
  await q.query(`UPDATE notify_deliveries SET enqueued_at = NULL WHERE id = $1 AND status = 'queued'`, [id]);
}

export type DeliveryJobRow = {
  id: number;
  status: DeliveryStatus;
  attempts: number;
  message_id: number;
  user_id: number;
  kind: string;
  payload: Record<string, unknown>;
  link_type: string | null;
  link_id: number | null;
  urgent: boolean;
  created_at: Date;
  channel_id: number;
  channel_type: ChannelRow['type'];
  config: Record<string, unknown>;
  secret_sealed: Buffer | null;
  enabled: boolean;
  username: string;
  display_name: string;
  locale: 'zh-CN' | 'en';
  phone_sealed: Buffer | null;
  wechat_openid: string | null;
};

export async function findDeliveryForSend(q: Queryable, id: number): Promise<DeliveryJobRow | null> {
  const rows = await q.query<DeliveryJobRow>(
    `SELECT d.id, d.status, d.attempts, m.id AS message_id, m.user_id, m.kind, m.payload, m.link_type, m.link_id,
            m.urgent, m.created_at, c.id AS channel_id, c.type AS channel_type, c.config, c.secret_sealed, c.enabled,
            u.username, u.display_name, u.locale, u.phone_sealed, st.wechat_openid
       FROM notify_deliveries d JOIN inbox_messages m ON m.id = d.message_id
       JOIN notify_channels c ON c.id = d.channel_id JOIN users u ON u.id = m.user_id
       LEFT JOIN notify_settings st ON st.user_id = m.user_id
      WHERE d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function setDeliveryStatus(
  q: Queryable,
  id: number,
  status: DeliveryStatus,
  attempt: number,
  error: string | null,
): Promise<void> {
  // One statement: a reader never sees the new status without its log line.
  await q.query(
    `WITH changed AS (
       UPDATE notify_deliveries SET status = $2, attempts = $3, last_error = $4, updated_at = now()
        WHERE id = $1 RETURNING id
     )
     INSERT INTO notify_delivery_log (delivery_id, status, attempt, error) SELECT id, $2, $3, $4 FROM changed`,
    [id, status, attempt, error],
  );
}

export type DeliveryListRow = {
  id: number;
  message_id: number;
  kind: string;
  user_id: number;
  username: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  log: { status: DeliveryStatus; attempt: number; error: string | null; at: string }[];
};

export async function listDeliveries(q: Queryable, channelId: number, limit: number): Promise<DeliveryListRow[]> {
  return q.query<DeliveryListRow>(
    `SELECT d.id, d.message_id, m.kind, m.user_id, u.username, d.status, d.attempts, d.last_error, d.created_at,
            d.updated_at,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('status', l.status, 'attempt', l.attempt, 'error', l.error,
                       'at', l.at) ORDER BY l.id), '[]'::jsonb)
               FROM notify_delivery_log l WHERE l.delivery_id = d.id) AS log
       FROM notify_deliveries d JOIN inbox_messages m ON m.id = d.message_id JOIN users u ON u.id = m.user_id
      WHERE d.channel_id = $1 ORDER BY d.id DESC LIMIT $2`,
    [channelId, limit],
  );
}
