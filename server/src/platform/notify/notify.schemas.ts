import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../http/schemas.js';

export const InboxQuery = Strict({
  unread: Type.Optional(Type.Boolean({ description: 'Only unread messages' })),
  ...Paging,
});
export type InboxQuery = Static<typeof InboxQuery>;

export const MessageLinkView = Type.Object({ type: Type.String(), id: Type.Integer() });

export const InboxMessage = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  /** In the reader's language. */
  title: Type.String(),
  urgency: Type.Union([Type.Literal('normal'), Type.Literal('urgent')]),
  payload: Type.Record(Type.String(), Type.Unknown()),
  /** The record it is about, only while the reader may open it. */
  link: Nullable(MessageLinkView),
  createdAt: Timestamp,
  readAt: Nullable(Timestamp),
});
export type InboxMessage = Static<typeof InboxMessage>;

export const InboxPage = Type.Object({
  items: Type.Array(InboxMessage),
  total: Type.Integer(),
  unread: Type.Integer(),
});
export type InboxPage = Static<typeof InboxPage>;

export const InboxCount = Type.Object({ unread: Type.Integer() });
export const ReadAllResult = Type.Object({ updated: Type.Integer(), unread: Type.Integer() });

export const CHANNEL_TYPES = ['webhook', 'sms', 'wechat'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
const ChannelTypeSchema = Type.Union([Type.Literal('webhook'), Type.Literal('sms'), Type.Literal('wechat')]);

const Clock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM, Asia/Shanghai' });

export const Preferences = Type.Object({
  kinds: Type.Array(
    Type.Object({
      kind: Type.String(),
      label: Type.String(),
      urgency: Type.Union([Type.Literal('normal'), Type.Literal('urgent')]),
    }),
  ),
  /** Only channels an administrator configured and enabled; the inbox is always on and not listed. */
  channels: Type.Array(Type.Object({ id: Type.Integer(), type: ChannelTypeSchema, name: Type.String() })),
  subscriptions: Type.Array(Type.Object({ channelId: Type.Integer(), kind: Type.String() })),
  quietHours: Nullable(Type.Object({ start: Type.String(), end: Type.String() })),
  wechatOpenId: Nullable(Type.String()),
});
export type Preferences = Static<typeof Preferences>;

export const PreferencesBody = Strict({
  subscriptions: Type.Array(Strict({ channelId: Id, kind: Text({ minLength: 1, maxLength: 80 }) }), {
    maxItems: 500,
  }),
  quietHours: Nullable(Strict({ start: Clock, end: Clock })),
  wechatOpenId: Type.Optional(Nullable(Text({ minLength: 1, maxLength: 64, trim: true }))),
});
export type PreferencesBody = Static<typeof PreferencesBody>;

export const Channel = Type.Object({
  id: Type.Integer(),
  type: ChannelTypeSchema,
  name: Type.String(),
  enabled: Type.Boolean(),
  url: Type.String(),
  timeoutMs: Type.Integer(),
  appId: Nullable(Type.String()),
  templateId: Nullable(Type.String()),
  template: Nullable(Type.String()),
  /** The secret's last four characters; the secret itself is never returned. */
  secretHint: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Channel = Static<typeof Channel>;

const channelFields = {
  name: Text({ minLength: 1, maxLength: 60, trim: true }),
  enabled: Type.Optional(Type.Boolean()),
  url: Text({ minLength: 1, maxLength: 500, trim: true, description: 'http(s) URL of the endpoint or gateway' }),
  secret: Text({ minLength: 8, maxLength: 200, description: 'Webhook signing key, SMS gateway key, WeChat secret' }),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 30000 })),
  appId: Type.Optional(Nullable(Text({ minLength: 1, maxLength: 64, trim: true }))),
  templateId: Type.Optional(Nullable(Text({ minLength: 1, maxLength: 128, trim: true }))),
  template: Type.Optional(
    Nullable(Text({ minLength: 1, maxLength: 300, description: 'SMS text; {title} stands for the title' })),
  ),
};

export const ChannelBody = Strict({ type: ChannelTypeSchema, ...channelFields });
export type ChannelBody = Static<typeof ChannelBody>;

export const ChannelPatch = Strict({
  name: Type.Optional(channelFields.name),
  enabled: channelFields.enabled,
  url: Type.Optional(channelFields.url),
  secret: Type.Optional(channelFields.secret),
  timeoutMs: channelFields.timeoutMs,
  appId: channelFields.appId,
  templateId: channelFields.templateId,
  template: channelFields.template,
});
export type ChannelPatch = Static<typeof ChannelPatch>;

const DeliveryStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('retrying'),
  Type.Literal('sent'),
  Type.Literal('failed'),
]);

export const Delivery = Type.Object({
  id: Type.Integer(),
  messageId: Type.Integer(),
  kind: Type.String(),
  userId: Type.Integer(),
  username: Type.String(),
  status: DeliveryStatusSchema,
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  log: Type.Array(
    Type.Object({
      status: DeliveryStatusSchema,
      attempt: Type.Integer(),
      error: Nullable(Type.String()),
      at: Timestamp,
    }),
  ),
});
export type Delivery = Static<typeof Delivery>;
