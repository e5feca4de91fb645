/**
 * The external channels behind one interface: each connector takes a rendered message and its recipient's
 * address and either returns (sent) or throws (this attempt failed; the job retries). A `PermanentError` says
 * a retry cannot help (no phone number on the account), so the delivery ends as failed at once.
 */
import { renderTemplate, signBody } from './notify.logic.js';
import type { ChannelType } from './notify.schemas.js';

export type ChannelConfig = {
  url: string;
  timeoutMs: number;
  appId: string | null;
  templateId: string | null;
  template: string | null;
};

export type Outgoing = {
  deliveryId: number;
  messageId: number;
  kind: string;
  title: string;
  urgency: 'normal' | 'urgent';
  createdAt: string;
  payload: Record<string, unknown>;
  link: { type: string; id: number } | null;
  recipient: { userId: number; username: string; displayName: string };
};

export type Address = { phone: string | null; wechatOpenId: string | null };

export type Connector = (
  config: ChannelConfig,
  secret: string,
  msg: Outgoing,
  to: Address,
  signal: AbortSignal,
) => Promise<void>;

export class PermanentError extends Error {}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body,
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    redirect: 'error',
  });
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  return text;
}

/**
 * Webhook: the message as JSON, signed with the channel's secret in `X-Linli-Signature: sha256=<hex HMAC-SHA256
 * of the body>`; any 2xx is delivered.
 */
const webhook: Connector = async (config, secret, msg, _to, signal) => {
  const body = JSON.stringify({
    id: msg.messageId,
    delivery: msg.deliveryId,
    kind: msg.kind,
    title: msg.title,
    urgency: msg.urgency,
    createdAt: msg.createdAt,
    recipient: msg.recipient,
    payload: msg.payload,
    link: msg.link,
  });
  await post(
    config.url,
    body,
    { 'x-linli-signature': signBody(secret, body), 'x-linli-delivery': String(msg.deliveryId) },
    config.timeoutMs,
    signal,
  );
};

/**
 * A generic HTTP SMS gateway: `POST url` with `Authorization: Bearer <key>` and `{ phone, text }`, the text
 * from the channel's template (`{title}`; default 【邻里】{title}).
 */
const sms: Connector = async (config, secret, msg, to, signal) => {
  if (!to.phone) throw new PermanentError('the account has no phone number');
  const text = renderTemplate(config.template ?? '【邻里】{title}', { title: msg.title });
  await post(
    config.url,
    JSON.stringify({ phone: to.phone, text }),
    { authorization: `Bearer ${secret}` },
    config.timeoutMs,
    signal,
  );
};

/**
 * WeChat template message (公众号): an access token from `<url>/cgi-bin/token` with the app id and secret, then
 * `<url>/cgi-bin/message/template/send` to the user's openid; WeChat answers `errcode` 0 when accepted.
 */
const wechat: Connector = async (config, secret, msg, to, signal) => {
  if (!to.wechatOpenId) throw new PermanentError('the user has not bound a WeChat openid');
  const base = config.url.replace(/\/+$/, '');
  const tokenUrl = `${base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(config.appId ?? '')}&secret=${encodeURIComponent(secret)}`;
  const tokenRes = await fetch(tokenUrl, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]),
    redirect: 'error',
  });
  const token = (await tokenRes.json().catch(() => ({}))) as {
    access_token?: string;
    errcode?: number;
    errmsg?: string;
  };
  if (!tokenRes.ok || !token.access_token) {
    throw new Error(`WeChat token: ${token.errcode ?? tokenRes.status} ${token.errmsg ?? ''}`.trim());
  }
  const body = JSON.stringify({
    touser: to.wechatOpenId,
    template_id: config.templateId,
    data: {
      first: { value: msg.title },
      keyword1: { value: msg.kind },
      keyword2: { value: msg.createdAt },
    },
  });
  const text = await post(
    `${base}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token.access_token)}`,
    body,
    {},
    config.timeoutMs,
    signal,
  );
  const answer = JSON.parse(text || '{}') as { errcode?: number; errmsg?: string };
  if (answer.errcode) throw new Error(`WeChat: ${answer.errcode} ${answer.errmsg ?? ''}`.trim());
};

export const CONNECTORS: Record<ChannelType, Connector> = { webhook, sms, wechat };
