/**
 * What the 后台任务 console shows of a job. Payloads should carry ids, not personal data; in case one does not,
 * the console shows only what cannot be personal: numbers below ten digits, booleans, and short identifier-like
 * strings (codes, kinds, UUIDs, timestamps) without long digit runs. Anything else is hidden, its length kept.
 */

const PERSONAL_KEY = /name|phone|mobile|tel|id_?(number|no|card)|idcard|address|addr|email|password|secret|token/i;
const CODE = /^[A-Za-z][A-Za-z0-9_.:/-]{0,79}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const LONG_DIGITS = /\d{7,}/;
const MAX_DEPTH = 4;
const MAX_ITEMS = 20;

export const hidden = (length: number) => `•••(${length})`;

function showString(s: string): string {
  if (UUID.test(s) || INSTANT.test(s)) return s;
  if (CODE.test(s) && !LONG_DIGITS.test(s)) return s;
  return hidden(s.length);
}

/** The payload as the console may show it. */
export function showPayload(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Math.abs(value) >= 1e9 ? hidden(String(value).length) : value;
  if (typeof value === 'string') return showString(value);
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS).map((v) => showPayload(v, depth + 1));
    return value.length > MAX_ITEMS ? [...shown, `… +${value.length - MAX_ITEMS}`] : shown;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] =
        PERSONAL_KEY.test(k) && v !== null
          ? hidden(typeof v === 'object' ? 0 : String(v).length)
          : showPayload(v, depth + 1);
    }
    return out;
  }
  return null;
}

/** Long digit runs (ID and phone numbers) in an error's text, hidden. */
export function scrubText(text: string): string {
  return text.replace(/\d{7,}[\dXx]?/g, (m) => hidden(m.length));
}

/**
 * The error pg-boss kept with a failed job: a serialised Error (`{ name, message, stack }`), or its own
 * `{ value: { message } }` for a job that ran out of time.
 */
export function jobError(output: unknown): { message: string; stack: string | null } | null {
  if (output === null || typeof output !== 'object') return null;
  const o = output as { message?: unknown; stack?: unknown; name?: unknown; value?: unknown };
  const inner = o.value && typeof o.value === 'object' ? (o.value as { message?: unknown }) : null;
  const message =
    typeof o.message === 'string'
      ? o.message
      : typeof inner?.message === 'string'
        ? inner.message
        : JSON.stringify(output);
  const stack = typeof o.stack === 'string' ? o.stack.split('\n').slice(0, 8).join('\n') : null;
  return { message: scrubText(message).slice(0, 2000), stack: stack === null ? null : scrubText(stack) };
}
