/**
 * Notifications: one call for modules (`send`), every user's inbox, their preferences, and the external
 * channels administrators configure. Messages are written in the sender's transaction; readers connected
 * live hear of them when it commits (platform/live), and external deliveries are handed to jobs then
 * (notify.deliver.ts).
 */
import type { Ctx } from '../access/context.js';
import { type Permission, ROLE_PERMISSIONS, ROLES } from '../access/roles.js';
import { isSystemAdmin } from '../access/scope.js';
import { recordAudit } from '../audit/audit.js';
import type { Db, Queryable } from '../db/client.js';
import { AppError } from '../errors/errors.js';
import { pgNotify } from '../live/live.repo.js';
import { signalInbox, signalRead } from '../live/live.signal.js';
import type { PiiCipher } from '../pii/index.js';
import { getKind, listKinds, resolveLink } from './notify.kinds.js';
import { deliverAfter, type Locale, renderTemplate, secretHint } from './notify.logic.js';
import * as repo from './notify.repo.js';
import type {
  Channel,
  ChannelBody,
  ChannelPatch,
  Delivery,
  InboxMessage,
  InboxPage,
  InboxQuery,
  Preferences,
  PreferencesBody,
} from './notify.schemas.js';

/** Wakes the delivery dispatchers of every instance (after the sender's commit). */
export const DELIVER_CHANNEL = 'linli_notify';

export type NotifyDeps = { db: Db; pii: PiiCipher };

/** `once`: send nothing if a message of this kind with this key went out since then (one alert a day). */
export type SendOptions = { once?: { key: string; since: Date } };

/**
 * Sends a message of a declared kind to each recipient's inbox, and through the external channels each chose for
 * that kind (outside their quiet hours unless the kind is urgent). Pass the caller's transaction to send only if
 * it commits. Unknown or removed accounts are skipped.
 * @returns the ids of the messages written
 */
export async function send(
  q: Queryable,
  recipientUserIds: readonly number[],
  kind: string,
  payload: Record<string, unknown>,
  opts: SendOptions = {},
): Promise<number[]> {
  const def = getKind(kind);
  if (!def) throw new Error(`notification kind ${kind} is not defined`);
  const userIds = [...new Set(recipientUserIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
  if (userIds.length === 0) return [];
  if (opts.once && (await repo.wasSentSince(q, kind, opts.once.key, opts.once.since))) return [];
  const link = def.link?.(payload) ?? null;
  const urgent = def.urgency === 'urgent';
  const rows = await repo.insertMessages(q, userIds, {
    kind,
    payload,
    linkType: link?.type ?? null,
    linkId: link?.id ?? null,
    nodePath: link?.nodePath ?? null,
    urgent,
    onceKey: opts.once?.key ?? null,
  });
  if (rows.length === 0) return [];
  const messageOf = new Map(rows.map((r) => [r.user_id, r.id]));
  const now = new Date();
  const deliveries = (await repo.findSubscribers(q, [...messageOf.keys()], kind)).map((s) => ({
    messageId: messageOf.get(s.user_id)!,
    channelId: s.channel_id,
    notBefore:
      urgent || !s.quiet_start || !s.quiet_end ? now : deliverAfter(now, { start: s.quiet_start, end: s.quiet_end }),
  }));
  if (deliveries.length > 0) {
    await repo.insertDeliveries(q, deliveries);
    await pgNotify(q, DELIVER_CHANNEL, 'new');
  }
  await signalInbox(
    q,
    rows.map((r) => [r.user_id, r.id]),
  );
  return rows.map((r) => r.id);
}

// ---- recipients -------------------------------------------------------------------------------------------

/** Active system administrators (an admin post without a node). */
export function systemAdministrators(q: Queryable): Promise<number[]> {
  return repo.usersWithGlobalRole(q, ['admin']);
}

/**
 * Whoever holds `permission` at the node of `path` itself, or, if nobody does there, at the nearest node above
 * it that has such a post (system administrators last): "that community's workers".
 */
export async function nearestHolders(q: Queryable, path: string, permission: Permission): Promise<number[]> {
  const roles = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission));
  const posts = await repo.postsOnLine(q, path, roles);
  if (posts.length === 0) return [];
  const deepest = Math.max(...posts.map((p) => p.depth ?? -1));
  return [...new Set(posts.filter((p) => (p.depth ?? -1) === deepest).map((p) => p.user_id))];
}

// ---- the inbox --------------------------------------------------------------------------------------------

/** A message as its reader sees it: the title in their language, the link only if they may open the record. */
export async function toMessageView(
  q: Queryable,
  ctx: Ctx,
  row: repo.MessageRow,
  locale: Locale = ctx.locale,
): Promise<InboxMessage> {
  const def = getKind(row.kind);
  return {
    id: row.id,
    kind: row.kind,
    title: def ? renderTemplate(def.title[locale], row.payload) : row.kind,
    urgency: row.urgent ? 'urgent' : 'normal',
    payload: row.payload,
    link: await resolveLink(q, ctx, row.link_type, row.link_id),
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}

/** The caller's messages, newest first (`unread`: only those not read). */
export async function listInbox(deps: NotifyDeps, ctx: Ctx, query: InboxQuery): Promise<InboxPage> {
  const pageSize = query.pageSize ?? 20;
  const userId = ctx.principal.userId;
  const { rows, total } = await repo.listMessages(deps.db, userId, {
    unread: query.unread === true,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  const items = await Promise.all(rows.map((r) => toMessageView(deps.db, ctx, r)));
  return { items, total, unread: await repo.countUnread(deps.db, userId) };
}

export async function countInbox(deps: NotifyDeps, ctx: Ctx): Promise<{ unread: number }> {
  return { unread: await repo.countUnread(deps.db, ctx.principal.userId) };
}

/**
 * Marks one of the caller's messages read and returns it (with its link, for opening the record).
 * @throws INBOX_MESSAGE_NOT_FOUND (not the caller's)
 */
export async function readMessage(deps: NotifyDeps, ctx: Ctx, id: number): Promise<InboxMessage> {
  return deps.db.transaction(async (tx) => {
    const before = await repo.findMessage(tx, ctx.principal.userId, id);
    if (!before) throw new AppError('INBOX_MESSAGE_NOT_FOUND');
    const row = (await repo.markRead(tx, ctx.principal.userId, id))!;
    if (!before.read_at) await signalRead(tx, ctx.principal.userId);
    return toMessageView(tx, ctx, row);
  });
}

export async function readAllMessages(deps: NotifyDeps, ctx: Ctx): Promise<{ updated: number; unread: number }> {
  return deps.db.transaction(async (tx) => {
    const updated = await repo.markAllRead(tx, ctx.principal.userId);
    if (updated > 0) await signalRead(tx, ctx.principal.userId);
    return { updated, unread: await repo.countUnread(tx, ctx.principal.userId) };
  });
}

// ---- preferences ------------------------------------------------------------------------------------------

export async function getPreferences(deps: NotifyDeps, ctx: Ctx): Promise<Preferences> {
  const userId = ctx.principal.userId;
  const [settings, subs, channels] = await Promise.all([
    repo.findSettings(deps.db, userId),
    repo.findSubscriptions(deps.db, userId),
    repo.listChannels(deps.db, { enabledOnly: true }),
  ]);
  return {
    kinds: listKinds().map((k) => ({
      kind: k.kind,
      label: k.label?.[ctx.locale] ?? k.title[ctx.locale],
      urgency: k.urgency,
    })),
    channels: channels.map((c) => ({ id: c.id, type: c.type, name: c.name })),
    subscriptions: subs.map((s) => ({ channelId: s.channel_id, kind: s.kind })),
    quietHours:
      settings?.quiet_start && settings.quiet_end ? { start: settings.quiet_start, end: settings.quiet_end } : null,
    wechatOpenId: settings?.wechat_openid ?? null,
  };
}

/**
 * Replaces the caller's choices: which kinds go through which enabled channel, quiet hours, WeChat openid.
 * @throws NOTIFY_KIND_UNKNOWN, NOTIFY_CHANNEL_NOT_FOUND (not configured or disabled)
 */
export async function savePreferences(deps: NotifyDeps, ctx: Ctx, body: PreferencesBody): Promise<Preferences> {
  await deps.db.transaction(async (tx) => {
    const enabled = new Set((await repo.listChannels(tx, { enabledOnly: true })).map((c) => c.id));
    for (const s of body.subscriptions) {
      if (!getKind(s.kind)) throw new AppError('NOTIFY_KIND_UNKNOWN', { field: 'kind', params: { kind: s.kind } });
      if (!enabled.has(s.channelId)) throw new AppError('NOTIFY_CHANNEL_NOT_FOUND', { field: 'channelId' });
    }
    const current = await repo.findSettings(tx, ctx.principal.userId);
    await repo.savePreferences(tx, ctx.principal.userId, {
      subscriptions: body.subscriptions,
      quietStart: body.quietHours?.start ?? null,
      quietEnd: body.quietHours?.end ?? null,
      wechatOpenId: body.wechatOpenId === undefined ? (current?.wechat_openid ?? null) : body.wechatOpenId,
    });
  });
  return getPreferences(deps, ctx);
}

// ---- channels (system administrators) ---------------------------------------------------------------------

type ChannelConfig = {
  url: string;
  timeoutMs: number;
  appId: string | null;
  templateId: string | null;
  template: string | null;
};

export const DEFAULT_TIMEOUT_MS = 5000;

function assertAdmin(ctx: Ctx): void {
  if (!isSystemAdmin(ctx.principal)) throw new AppError('FORBIDDEN');
}

function configOf(row: repo.ChannelRow): ChannelConfig {
  const c = row.config as Partial<ChannelConfig>;
  return {
    url: c.url ?? '',
    timeoutMs: c.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    appId: c.appId ?? null,
    templateId: c.templateId ?? null,
    template: c.template ?? null,
  };
}

function toChannel(row: repo.ChannelRow): Channel {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    enabled: row.enabled,
    ...configOf(row),
    secretHint: row.secret_hint,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const invalid = (field: string) => new AppError('NOTIFY_CHANNEL_INVALID', { field, params: { field } });

/** @throws NOTIFY_CHANNEL_INVALID */
function checkConfig(type: Channel['type'], c: ChannelConfig): void {
  let url: URL | null = null;
  try {
    url = new URL(c.url);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalid('url');
  }
  if (type === 'wechat' && !c.appId) throw invalid('appId');
  if (type === 'wechat' && !c.templateId) throw invalid('templateId');
}

const auditOf = (c: Channel) => ({ type: c.type, name: c.name, enabled: c.enabled, url: c.url, secret: c.secretHint });

export async function listChannels(deps: NotifyDeps, ctx: Ctx): Promise<{ items: Channel[] }> {
  assertAdmin(ctx);
  return { items: (await repo.listChannels(deps.db, { enabledOnly: false })).map(toChannel) };
}

/** @throws FORBIDDEN, NOTIFY_CHANNEL_INVALID */
export async function createChannel(deps: NotifyDeps, ctx: Ctx, body: ChannelBody): Promise<Channel> {
  assertAdmin(ctx);
  const config: ChannelConfig = {
    url: body.url,
    timeoutMs: body.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    appId: body.appId ?? null,
    templateId: body.templateId ?? null,
    template: body.template ?? null,
  };
  checkConfig(body.type, config);
  return deps.db.transaction(async (tx) => {
    const row = await repo.insertChannel(tx, {
      type: body.type,
      name: body.name,
      config,
      enabled: body.enabled ?? true,
      secretSealed: deps.pii.seal(body.secret),
      secretHint: secretHint(body.secret),
    });
    const view = toChannel(row);
    await recordAudit(tx, ctx, {
      action: 'notify.channel.create',
      targetType: 'notify_channel',
      targetId: view.id,
      targetLabel: view.name,
      scopePath: null,
      countyId: null,
      after: auditOf(view),
    });
    return view;
  });
}

const sealedOf = (row: repo.ChannelRow) => ({ secretSealed: row.secret_sealed, secretHint: row.secret_hint });

/** @throws FORBIDDEN, NOTIFY_CHANNEL_NOT_FOUND, NOTIFY_CHANNEL_INVALID */
export async function updateChannel(deps: NotifyDeps, ctx: Ctx, id: number, body: ChannelPatch): Promise<Channel> {
  assertAdmin(ctx);
  return deps.db.transaction(async (tx) => {
    const row = await repo.findChannel(tx, id);
    if (!row) throw new AppError('NOTIFY_CHANNEL_NOT_FOUND');
    const old = configOf(row);
    const config: ChannelConfig = {
      url: body.url ?? old.url,
      timeoutMs: body.timeoutMs ?? old.timeoutMs,
      appId: body.appId === undefined ? old.appId : body.appId,
      templateId: body.templateId === undefined ? old.templateId : body.templateId,
      template: body.template === undefined ? old.template : body.template,
    };
    checkConfig(row.type, config);
    const saved = await repo.updateChannel(tx, id, {
      name: body.name ?? row.name,
      config,
      enabled: body.enabled ?? row.enabled,
      ...(body.secret === undefined
        ? sealedOf(row)
        : { secretSealed: deps.pii.seal(body.secret), secretHint: secretHint(body.secret) }),
    });
    const before = toChannel(row);
    const after = toChannel(saved);
    await recordAudit(tx, ctx, {
      action: 'notify.channel.update',
      targetType: 'notify_channel',
      targetId: id,
      targetLabel: after.name,
      scopePath: null,
      countyId: null,
      before: auditOf(before),
      after: { ...auditOf(after), ...(body.secret !== undefined ? { secret: `${after.secretHint} (new)` } : {}) },
    });
    return after;
  });
}

/** Removes a channel with its subscriptions and delivery log. @throws FORBIDDEN, NOTIFY_CHANNEL_NOT_FOUND */
export async function deleteChannel(deps: NotifyDeps, ctx: Ctx, id: number): Promise<void> {
  assertAdmin(ctx);
  await deps.db.transaction(async (tx) => {
    const row = await repo.findChannel(tx, id);
    if (!row) throw new AppError('NOTIFY_CHANNEL_NOT_FOUND');
    await repo.deleteChannel(tx, id);
    await recordAudit(tx, ctx, {
      action: 'notify.channel.delete',
      targetType: 'notify_channel',
      targetId: id,
      targetLabel: row.name,
      scopePath: null,
      countyId: null,
      before: auditOf(toChannel(row)),
    });
  });
}

/** The channel's latest deliveries with their log. @throws FORBIDDEN, NOTIFY_CHANNEL_NOT_FOUND */
export async function listDeliveries(deps: NotifyDeps, ctx: Ctx, channelId: number): Promise<{ items: Delivery[] }> {
  assertAdmin(ctx);
  if (!(await repo.findChannel(deps.db, channelId))) throw new AppError('NOTIFY_CHANNEL_NOT_FOUND');
  const rows = await repo.listDeliveries(deps.db, channelId, 100);
  return {
    items: rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      kind: r.kind,
      userId: r.user_id,
      username: r.username,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      log: r.log.map((l) => ({ ...l, at: new Date(l.at).toISOString() })),
    })),
  };
}

export { configOf as channelConfigOf };
