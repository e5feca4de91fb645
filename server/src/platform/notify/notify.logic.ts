/** Pure rules of notifications: titles from templates, quiet hours, webhook signatures (no I/O). */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Locale = 'zh-CN' | 'en';

/** `{name}` in a template replaced by the payload's value (missing ones stay visible as `{name}`). */
export function renderTemplate(template: string, payload: Record<string, unknown>): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => {
    const v = payload[key];
    return v === undefined || v === null || typeof v === 'object' ? whole : String(v);
  });
}

export type QuietHours = { start: string; end: string } | null;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isValidClock(s: string): boolean {
  return HHMM.test(s);
}

function minutesOf(clock: string): number {
  const m = HHMM.exec(clock);
  if (!m) throw new Error(`invalid clock ${clock}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Minutes since midnight in Asia/Shanghai (UTC+8, no daylight saving). */
function shanghaiMinutes(at: Date): number {
  return Math.floor((at.getTime() / 60_000 + 8 * 60) % (24 * 60));
}

/**
 * When a message that is not urgent may go out through external channels: `at` itself outside quiet hours,
 * else the end of the quiet period (Asia/Shanghai). A period may cross midnight (22:00–07:00); start = end
 * means none.
 */
export function deliverAfter(at: Date, quiet: QuietHours): Date {
  if (!quiet) return at;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return at;
  const now = shanghaiMinutes(at);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return at;
  const wait = (end - now + 24 * 60) % (24 * 60);
  const out = new Date(at.getTime() + wait * 60_000);
  out.setUTCSeconds(0, 0);
  return out;
}

/** The `X-Linli-Signature` header of a webhook body: `sha256=` and the hex HMAC-SHA256 under the secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether a signature header matches the body (what a receiver does; constant time). */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const want = Buffer.from(signBody(secret, body));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** What an administrator sees of a secret: its last four characters. */
export function secretHint(secret: string): string {
  return secret.length <= 4 ? '****' : `****${secret.slice(-4)}`;
}
