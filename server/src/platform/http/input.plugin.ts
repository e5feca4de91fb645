import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, fieldLabel, type Locale } from '../errors/errors.js';
import { TRIM } from './schemas.js';

/** NUL or a surrogate that is not half of a pair (with the `u` flag a pair is one code point). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for.
const UNSAFE_CHAR = /[\u0000\uD800-\uDFFF]/u;
const UNSAFE_CHARS = new RegExp(UNSAFE_CHAR.source, 'gu');
/** Deeper than any request of this API nests; deeper still would only exhaust the stack of whoever walks it. */
export const MAX_DEPTH = 32;

export const INPUT_DETAILS = {
  unsafeText: {
    'zh-CN': '含有不允许的字符（空字符或不成对的代理字符）',
    en: 'contains a character that is not allowed (NUL or an unpaired surrogate)',
  },
  tooDeep: { 'zh-CN': `嵌套超过 ${MAX_DEPTH} 层`, en: `is nested more than ${MAX_DEPTH} levels deep` },
} as const satisfies Record<string, Record<Locale, string>>;

export function isSafeText(s: string): boolean {
  return !UNSAFE_CHAR.test(s);
}

/** Text from outside any schema (a file's cells, an upload's name) with NUL and lone surrogates as U+FFFD. */
export function replaceUnsafeText(s: string): string {
  return isSafeText(s) ? s : s.replace(UNSAFE_CHARS, '\uFFFD');
}

type Finding = { path: string[]; problem: keyof typeof INPUT_DETAILS };

/**
 * The first string (a value or an object key) holding NUL or a lone surrogate anywhere in a parsed request
 * part, or the first place nested too deeply. Walks with its own stack, so no input can overflow it.
 */
export function findUnsafeInput(root: unknown): Finding | null {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string[] };
    if (typeof value === 'string') {
      if (!isSafeText(value)) return { path, problem: 'unsafeText' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_DEPTH) return { path, problem: 'tooDeep' };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, String(i)] });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      if (!isSafeText(key)) return { path: [...path, key.replace(UNSAFE_CHAR, '\uFFFD')], problem: 'unsafeText' };
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return null;
}

type SchemaNode = {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  [TRIM]?: boolean;
};

function wantsTrim(schema: SchemaNode | undefined): boolean {
  if (!schema) return false;
  if (schema[TRIM] === true) return true;
  return schema.anyOf?.some((s) => s[TRIM] === true) ?? false;
}

/** Trims, in place, every string whose schema (or a branch of its union) carries the `x-trim` annotation. */
export function trimBySchema(schema: SchemaNode | undefined, value: unknown, depth = 0): unknown {
  if (!schema || depth > MAX_DEPTH) return value;
  if (typeof value === 'string') return wantsTrim(schema) ? value.trim() : value;
  if (value === null || typeof value !== 'object') return value;
  const branches = [schema, ...(schema.anyOf ?? []), ...(schema.allOf ?? [])];
  for (const s of branches) {
    if (Array.isArray(value)) {
      if (s.items) for (let i = 0; i < value.length; i++) value[i] = trimBySchema(s.items, value[i], depth + 1);
    } else if (s.properties) {
      const obj = value as Record<string, unknown>;
      for (const [key, prop] of Object.entries(s.properties)) {
        if (typeof obj[key] === 'string' || (obj[key] !== null && typeof obj[key] === 'object')) {
          obj[key] = trimBySchema(prop, obj[key], depth + 1);
        }
      }
    }
  }
  return value;
}

function refuse(request: FastifyRequest, part: string, finding: Finding): AppError {
  const field = finding.path.length > 0 ? finding.path.join('.') : part;
  const locale = request.locale;
  return new AppError('VALIDATION', {
    field,
    params: { field: fieldLabel(field, locale), detail: INPUT_DETAILS[finding.problem][locale] },
  });
}

/**
 * Before any route validates its input: no string anywhere in the headers, path parameters, query or JSON body (keys
 * included, and fields typed `unknown` such as a tag rule or a boundary) holds NUL or a lone surrogate, and
 * nothing nests deeper than MAX_DEPTH; then strings whose schema says `x-trim` are trimmed, so that a name of
 * spaces is empty and fails its minLength. The database never sees such text.
 */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    // Headers too: Node's parser refuses NUL in them, other transports (inject, a proxy) might not, and the
    // user agent is stored with a session.
    const parts = [
      ['headers', request.headers],
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const;
    for (const [part, value] of parts) {
      const finding = findUnsafeInput(value);
      if (finding) throw refuse(request, part, finding);
    }
    const schema = request.routeOptions.schema as Record<string, SchemaNode | undefined> | undefined;
    if (!schema) return;
    if (request.body !== null && typeof request.body === 'object') trimBySchema(schema.body, request.body);
    if (request.query !== null && typeof request.query === 'object') trimBySchema(schema.querystring, request.query);
  });
}
