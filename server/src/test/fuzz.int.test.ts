import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/demo-region.js';
import type { Queryable } from '../platform/db/client.js';
import { MAX_ID } from '../platform/http/schemas.js';
import { generateIdNumber } from '../platform/pii/index.js';
import { describeEachDb, type TestEnv } from './test-app.js';

/**
 * Walks the OpenAPI document and sends every route, as the system administrator (and a sample of the same
 * requests as a community worker), requests whose path
 * parameters, query parameters and JSON body fields (each leaf, nested ones included) take hostile values,
 * each beside a baseline derived from the route's own schema. Nothing may answer 5xx, and a refused request
 * (4xx) must leave the database as it was. New routes are covered without a line here: their baselines come
 * from their schemas, and an id in a path we know nothing about is one no row has.
 *
 * Not sent this way, and why:
 * - lone surrogates in paths and query strings: a URL cannot carry one (percent-decoding invalid UTF-8 never
 *   yields one); they are sent in every JSON field instead;
 * - multipart bodies (POST /api/people/imports): the route still gets every JSON-body and parameter case; file
 *   names and cell contents are tested in input.int.test.ts;
 * - POST /api/auth/logout is sent without a session (it would end the administrator's), POST
 *   /api/auth/password and POST /api/auth/confirm-password as throwaway accounts (wrong passwords count toward
 *   their lockout), and
 *   POST /api/auth/login for a throwaway username, so the fuzz can neither lock the administrator out nor
 *   change the administrator's password.
 *
 * The database fingerprint (per table the row count and an md5 of its rows) leaves out what any request may
 * legitimately change: `sessions.last_seen_at`, `sessions.expires_at` and `api_tokens.last_used_at` (sliding expiry, touched by the
 * authentication of every request), and `users.failed_logins` / `users.locked_until` (a refused password
 * attempt counts toward the lockout by design). It leaves out `device_dead_letters` altogether: a message a device
 * sends that is refused (unknown device, wrong token, bad body) is recorded there with its reason, by design.
 */

const IGNORED_TABLES = new Set(['device_dead_letters']);

const IGNORED_COLUMNS: Record<string, string[]> = {
  sessions: ['last_seen_at', 'expires_at'],
  api_tokens: ['last_used_at'],
  users: ['failed_logins', 'locked_until'],
};

/** Routes sent as someone other than the administrator (null: without a session). */
const ROUTE_USER: Record<string, string | null> = {
  'POST /api/auth/logout': null,
  'POST /api/auth/login': null,
  'POST /api/auth/password': 'fuzz-pw',
  // Wrong passwords at the confirmation count toward the lockout too.
  'POST /api/auth/confirm-password': 'fuzz-confirm',
};

// Destructive routes run last, so the fixtures they remove serve every other route first.
const isDestructive = (method: string, path: string) => method === 'DELETE' || /\/(retire|commit)$/.test(path);

const deep = (n: number): unknown => (n === 0 ? 'x' : [deep(n - 1)]);

const HOSTILE_TEXT: unknown[] = [
  'a\u0000b',
  'a\uD800',
  '\uDFFF',
  '',
  ' \t\n\u3000',
  'a'.repeat(100_000),
  '1e20',
  '99999999999999999999',
  '-1',
  '1.5',
  '%_\\',
  "'; --",
  '😀１２３',
];
const HOSTILE_JSON: unknown[] = [
  ...HOSTILE_TEXT,
  1e20,
  -1,
  0,
  1.5,
  MAX_ID,
  MAX_ID + 2,
  2 ** 63,
  {},
  ['\u0000'],
  true,
  null,
  { a: '\u0000' },
  { '\u0000': 1 },
  deep(40),
];
/** Already percent-encoded, for paths and query strings. */
const HOSTILE_URL: string[] = [
  'a%00b',
  '',
  '%20%09%E3%80%80',
  'a'.repeat(10_000),
  '1e20',
  '99999999999999999999',
  '-1',
  '0',
  '1.5',
  '9007199254740993',
  'abc',
  '%25%5C%27',
  '%F0%9F%98%80',
  '%ED%A0%80',
];

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
};
type Parameter = { in: string; name: string; required?: boolean; schema?: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

type Fixtures = { ids: Record<string, number>; pathIds: [RegExp, Record<string, number>][] };

function baselineString(s: Schema): string {
  if (s.format === 'date-time') return '2024-01-02T03:04:05Z';
  if (s.format === 'date') return '2024-01-02';
  const min = s.minLength ?? 0;
  const candidates = ['fuzz', '2024-01-02', 'fuzz_code', 'ab', 'a', '1', 'A1'];
  for (const c of candidates) {
    const fits = (!s.pattern || new RegExp(s.pattern, 'u').test(c)) && c.length >= min;
    if (fits && c.length <= (s.maxLength ?? Number.POSITIVE_INFINITY)) return c;
  }
  return 'x'.repeat(Math.max(1, min));
}

/** A valid-looking value of a schema (it need not succeed: each hostile value replaces one leaf of it). */
function baseline(s: Schema | undefined, name: string, fx: Fixtures): unknown {
  if (!s) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const branch = s.anyOf ?? s.oneOf;
  if (branch) return baseline(branch.find((b) => b.type !== 'null') ?? branch[0], name, fx);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((b) => baseline(b, name, fx)));
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return baselineString(s);
    case 'integer':
    case 'number':
      if (s.maximum === MAX_ID) return fx.ids[name] ?? 1;
      return Math.max(s.minimum ?? 1, Math.min(1, s.maximum ?? 1));
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => baseline(s.items, name.replace(/s$/, ''), fx));
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, p]) => [k, baseline(p, k, fx)]));
    default:
      return null;
  }
}

/** Every leaf of a value as a path of keys (arrays and objects included as leaves too). */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = path.length > 0 ? [path] : [];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...leaves(v, [...path, i]));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...leaves(v, [...path, k]));
  }
  return out;
}

function replaced(value: unknown, path: (string | number)[], by: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return by;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = replaced(copy[head], rest, by);
  return copy;
}

const enc = (v: unknown) => encodeURIComponent(String(v));

async function fingerprint(db: Queryable): Promise<Map<string, string>> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const parts = tables
    .filter(({ name }) => !IGNORED_TABLES.has(name))
    .map(({ name }) => {
      const drop = (IGNORED_COLUMNS[name] ?? []).map((c) => `'${c}'`).join(', ');
      const row = drop ? `(to_jsonb(t) - ARRAY[${drop}]::text[])::text` : 't::text';
      return `SELECT '${name}' AS name, count(*) AS n, md5(coalesce(string_agg(${row}, ',' ORDER BY ${row}), '')) AS h FROM "${name}" t`;
    });
  const rows = await db.query<{ name: string; n: string; h: string }>(parts.join(' UNION ALL '));
  return new Map(rows.map((r) => [r.name, `${r.n}:${r.h}`]));
}

/** The tables whose fingerprints differ ('' when none). */
function changed(a: Map<string, string>, b: Map<string, string>): string {
  return [...new Set([...a.keys(), ...b.keys()])].filter((t) => a.get(t) !== b.get(t)).join(', ');
}

type Case = { label: string; opts: InjectOptions };

function casesFor(method: string, path: string, op: Operation, fx: Fixtures): Case[] {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const known = fx.pathIds.find(([re]) => re.test(path))?.[1] ?? {};
  const pathBase: Record<string, string> = {};
  for (const p of pathParams) pathBase[p.name] = String(known[p.name] ?? MAX_ID);
  const queryBase: Record<string, string> = {};
  for (const q of queryParams) {
    const v = baseline(q.schema, q.name, fx);
    if (v !== null && typeof v !== 'object') queryBase[q.name] = enc(v);
    else if (Array.isArray(v)) queryBase[q.name] = enc(v[0]);
  }
  const body = bodySchema ? baseline(bodySchema, 'body', fx) : undefined;

  const url = (pathOver: Record<string, string> = {}, query: Record<string, string> = queryBase) => {
    const p = path.replace(/\{(\w+)\}/g, (_, k: string) => pathOver[k] ?? pathBase[k] ?? String(MAX_ID));
    const qs = Object.entries(query)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    return qs ? `${p}?${qs}` : p;
  };
  const withBody = (payload: unknown): Partial<InjectOptions> =>
    payload === undefined ? {} : { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } };
  const cases: Case[] = [{ label: 'baseline', opts: { method: method as 'GET', url: url(), ...withBody(body) } }];

  for (const p of pathParams) {
    for (const v of HOSTILE_URL) {
      cases.push({
        label: `path ${p.name}=${v}`,
        opts: { method: method as 'GET', url: url({ [p.name]: v }), ...withBody(body) },
      });
    }
  }
  for (const q of queryParams) {
    for (const v of HOSTILE_URL) {
      cases.push({
        label: `query ${q.name}=${v}`,
        opts: { method: method as 'GET', url: url({}, { ...queryBase, [q.name]: v }), ...withBody(body) },
      });
    }
    const twice = Object.entries({ ...queryBase, [q.name]: 'x' }).map(([k, v]) => `${k}=${v}`);
    cases.push({
      label: `query ${q.name} twice`,
      opts: {
        method: method as 'GET',
        url: `${url({}, {})}?${[...twice, `${q.name}=1`].join('&')}`,
        ...withBody(body),
      },
    });
  }
  if (body !== undefined) {
    for (const leaf of leaves(body)) {
      for (const v of HOSTILE_JSON) {
        cases.push({
          label: `body ${leaf.join('.')}=${JSON.stringify(v)?.slice(0, 40)}`,
          opts: { method: method as 'GET', url: url(), ...withBody(replaced(body, leaf, v)) },
        });
      }
    }
  }
  // The whole body: absent, of every wrong type, with an unknown field, with a NUL key.
  for (const v of [undefined, null, 'x', 1e20, [], true, deep(40), { zzz: 1 }, { '\u0000': 'x' }]) {
    const payload =
      v && typeof v === 'object' && !Array.isArray(v) && body && typeof body === 'object' ? { ...body, ...v } : v;
    cases.push({
      label: `whole body ${JSON.stringify(v)?.slice(0, 40)}`,
      opts: { method: method as 'GET', url: url(), ...withBody(payload) },
    });
  }
  return cases;
}

async function createFixtures(env: TestEnv): Promise<Fixtures> {
  const admin = (method: 'POST', url: string, payload: unknown) =>
    env.as('admin', { method, url, payload: payload as Record<string, unknown> }).then((r) => {
      if (r.statusCode >= 300) throw new Error(`fixture ${url}: ${r.statusCode} ${r.body}`);
      return JSON.parse(r.body) as Record<string, unknown> & { id: number };
    });
  const newUser = (username: string) =>
    admin('POST', '/api/users', {
      username,
      displayName: username,
      password: DEMO_PASSWORD,
      homeNodeId: env.ids.community,
      posts: [{ nodeId: env.ids.grid, role: 'grid_worker' }],
    });
  const target = await newUser('fuzz-target');
  await newUser('fuzz-pw');
  const confirmer = await newUser('fuzz-confirm');
  // The confirmation is for accounts past their first password change.
  await env.db.query('UPDATE users SET must_change_password = false WHERE id = $1', [confirmer.id]);
  const node = await admin('POST', '/api/org/nodes', {
    parentId: env.ids.community,
    type: 'grid',
    name: '模糊测试网格',
  });
  const house = await admin('POST', '/api/people/houses', { nodeId: env.ids.unit, roomNo: 'F901' });
  const household = await admin('POST', '/api/people/households', { nodeId: env.ids.unit, houseId: house.id });
  const tag = await admin('POST', '/api/people/tags', { code: 'fuzz_tag', name: '模糊测试', sensitive: false });
  const idNumber = generateIdNumber({ areaCode: '370902', birthDate: '1980-05-06', sequence: 901 });
  const resident = await admin('POST', '/api/people/residents', {
    name: '模糊',
    idNumber,
    nodeId: env.ids.unit,
    houseId: house.id,
  });
  const withTag = await admin('POST', `/api/people/residents/${resident.id}/tags`, {
    tagId: tag.id,
    reason: '测试原因',
  });
  const withContact = await admin('POST', `/api/people/residents/${resident.id}/contacts`, {
    name: '联系人',
    relation: '子女',
    phone: '13805371234',
  });
  const template = await admin('POST', '/api/reports/templates', {
    name: '模糊测试模板',
    definition: { entity: 'resident', columns: [{ field: 'name' }] },
  });
  const token = await env.as('admin', { method: 'POST', url: '/api/auth/tokens', payload: { name: 'fuzz' } });
  const tokenId = token.statusCode === 201 ? (JSON.parse(token.body) as { item: { id: number } }).item.id : MAX_ID;
  const posts = target.posts as { id: number }[];
  const contacts = withContact.contacts as { id: number }[];
  expect(withTag.tags).toEqual(expect.arrayContaining([expect.objectContaining({ id: tag.id })]));
  const ids: Record<string, number> = {
    nodeId: env.ids.unit ?? MAX_ID,
    parentId: env.ids.community ?? MAX_ID,
    homeNodeId: env.ids.community ?? MAX_ID,
    residentId: resident.id,
    houseId: house.id,
    householdId: household.id,
    tagId: tag.id,
    tagIds: tag.id,
  };
  return {
    ids,
    pathIds: [
      [/^\/api\/users\//, { id: target.id, postId: posts[0]?.id ?? MAX_ID }],
      [/^\/api\/people\/residents\//, { id: resident.id, tagId: tag.id, contactId: contacts[0]?.id ?? MAX_ID }],
      [/^\/api\/people\/households\//, { id: household.id }],
      [/^\/api\/people\/houses\//, { id: house.id }],
      [/^\/api\/people\/buildings\//, { id: env.ids.building as number }],
      [/^\/api\/people\/tags\//, { id: tag.id }],
      [/^\/api\/reports\/templates\//, { id: template.id }],
      [/^\/api\/auth\/tokens\//, { id: tokenId }],
      [/^\/api\/org\/nodes\//, { id: node.id }],
    ],
  };
}

const show = (c: Case, res: LightMyRequestResponse) => {
  const payload = typeof c.opts.payload === 'string' ? c.opts.payload.slice(0, 200) : '';
  return `${c.opts.method} ${String(c.opts.url).slice(0, 200)} [${c.label}] ${payload} → ${res.statusCode} ${res.body.slice(0, 300)}`;
};

describeEachDb('fuzz: hostile input on every route', (env) => {
  it('answers no request with a 5xx and leaves the database unchanged when it refuses one', async () => {
    const fx = await createFixtures(env);
    const doc = env.app.swagger() as unknown as OpenApi;
    const routes: { method: string; path: string; op: Operation }[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
          routes.push({ method: method.toUpperCase(), path, op });
      }
    }
    routes.sort((a, b) => Number(isDestructive(a.method, a.path)) - Number(isDestructive(b.method, b.path)));
    // LINLI_FUZZ_ROUTES=<regex> narrows a run while debugging; the count printed at the end shows it.
    const only = process.env.LINLI_FUZZ_ROUTES ? new RegExp(process.env.LINLI_FUZZ_ROUTES) : null;
    if (only) routes.splice(0, routes.length, ...routes.filter((r) => only.test(`${r.method} ${r.path}`)));

    // Log every account in first, so no login lands inside a route's fingerprints.
    for (const u of new Set(['admin', 'shequ', ...Object.values(ROUTE_USER)])) if (u) await env.cookie(u);
    const failures: string[] = [];
    let sent = 0;
    const send = async (user: string | null, c: Case) => {
      sent++;
      const res = await env.as(user, c.opts);
      if (res.statusCode >= 500) failures.push(show(c, res));
      return res;
    };

    /** Sends a route's cases as one user; checks no 5xx, and the database unchanged by the refused ones. */
    const fuzzRoute = async (key: string, user: string | null, cases: Case[]) => {
      const before = await fingerprint(env.db);
      const started = Date.now();
      const refused: Case[] = [];
      let accepted = false;
      for (const c of cases) {
        const res = await send(user, c);
        if (res.statusCode >= 400 && res.statusCode < 500) refused.push(c);
        else if (res.statusCode < 400) accepted = true;
      }
      const timing = Date.now() - started;
      if (timing > 5000) console.log(`fuzz [${env.kind}]: ${key} as ${user} ${cases.length} requests ${timing} ms`);
      // When some requests were accepted (and may rightly have changed data), the refused ones are sent again
      // on their own, between two fingerprints.
      let diff = '';
      if (!accepted) diff = changed(before, await fingerprint(env.db));
      else {
        const again = await fingerprint(env.db);
        let acceptedNow = false;
        for (const c of refused) {
          const res = await send(user, c);
          if (res.statusCode < 400) acceptedNow = true;
        }
        diff = acceptedNow ? '' : changed(again, await fingerprint(env.db));
      }
      if (!diff) return;
      // Find the request: once more, one fingerprint each (only when something is wrong).
      let last = await fingerprint(env.db);
      for (const c of refused) {
        const res = await send(user, c);
        const now = await fingerprint(env.db);
        if (res.statusCode >= 400 && changed(last, now))
          failures.push(`${changed(last, now)} changed by ${show(c, res)}`);
        last = now;
      }
      failures.push(`${key} as ${user}: a refused request changed ${diff}`);
    };

    for (const { method, path, op } of routes) {
      const key = `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
      const cases = casesFor(method, path, op, fx);
      if (key in ROUTE_USER) {
        await fuzzRoute(key, ROUTE_USER[key] ?? null, cases);
        continue;
      }
      await fuzzRoute(key, 'admin', cases);
      // A community worker too, on a sample (scope checks run on their own paths): every tenth case.
      await fuzzRoute(
        key,
        'shequ',
        cases.filter((_, i) => i % 10 === 0),
      );
    }
    console.log(`fuzz [${env.kind}]: ${routes.length} routes, ${sent} requests`);
    expect(failures).toEqual([]);
    // The administrator can still log in with the same password, and the fixtures' own user too.
    const me = await env.as('admin', { method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(200);
    const login = await env.as(null, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'Admin@12345' },
    });
    expect(login.statusCode).toBe(200);
  }, 600_000);
});
