import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, listRoutes } from '../app.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../demo/demo-region.js';
// devices [B]
import { raiseAlarms } from '../modules/devices/alarms.service.js';
import { failImport } from '../modules/people/import/import.repo.js';
import { whenImportSettled } from '../modules/people/import/import.service.js';
import { systemCtx } from '../platform/access/context.js';
import type { Role } from '../platform/access/roles.js';
import { recordAudit } from '../platform/audit/audit.js';
import { hashToken, newApiToken } from '../platform/auth/auth.logic.js';
import { insertToken, revokeToken } from '../platform/auth/auth.repo.js';
import type { Db } from '../platform/db/client.js';
import { ERRORS } from '../platform/errors/errors.js';
import { createJobs, type Jobs } from '../platform/jobs/index.js';
import { defineKind } from '../platform/notify/notify.kinds.js';
import { send as sendNotification } from '../platform/notify/notify.service.js';
import { generateIdNumber, maskName } from '../platform/pii/index.js';
import { buildDevice, buildRule, ensureDeviceType, HEART_METRIC } from './devices-factories.js';
import { nodeIdByName } from './factories.js';
// devices [A]
import { buildTestDevice, ensureIngestTypes } from './ingest-fixtures.js';
import { describeEachDb, login, type TestEnv } from './test-app.js';
import type { TestDbKind } from './test-db.js';
// grid work [B]
import { buildVisit, buildVisitRule, buildVisitTask } from './visits-factories.js';

/**
 * The permission matrix: every API route, sent by every role (the demo accounts, a system administrator and an
 * administrator bound to the demo county), once with the role's session cookie and once with an API token of the
 * same account. Targets lie outside every area but the system administrator's (邻安县, a second county) and
 * inside the demo region at the places the roles sit (1号楼 is the building leader's, 第一网格 the grid worker's …).
 *
 * A case is one request at one target, and says what every role gets:
 *
 *   {
 *     route: 'PATCH /api/people/residents/:id',                 // exactly as the app registers it
 *     target: 'a resident of 1号楼 (the building leader’s own)',
 *     req: (x) => ({ method: 'PATCH', url: `/api/people/residents/${x.t.iRes}`, payload: { … } }),
 *     expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: no(403, 'FORBIDDEN'), rest: no(404, 'RESIDENT_NOT_FOUND') }),
 *     ok: async (res, x) => { … },  // the positive control: the body holds the target; a write is read back
 *     prepare?: (x) => …,             // fresh targets (`x.p`): before each allowed request, once before the refusals
 *     perCaller?: true,               // prepare before every refused request too (targets that depend on the caller)
 *     tokens?: 'refused',             // with an API token every role gets 403 TOKEN_NOT_ALLOWED
 *     caller?: 'fresh',               // each request comes from a new account holding the role's post
 *   }
 *
 * An outcome is, for each role:
 * - 'ok': a 2xx answer, and `ok(res, x)` passes — it finds the target in the body, or reads the change back (and
 *   undoes it, or the case prepares fresh targets, so that cases stay independent);
 * - `no(status, code)`: exactly that status and that error code in the body; all the refusals of a case together
 *   leave the data unchanged (`fingerprint`). A target the caller may not read is "not found" (404 …_NOT_FOUND),
 *   one they may read but not change is 403;
 * - for a list, `{ has, lacks }` (200, filtered: the ids `items(body)` parses hold every `has` target and none of
 *   the `lacks` ones) or `{ only }` (200, exactly those).
 * `outcomes()` fills the table: the roles named, then `ok`, then `rest`; every role must end with exactly one.
 *
 * To add a route: add its cases here (an outside target refused to everyone but the system administrator, and
 * inside targets where roles without the permission are refused in their own area); the coverage test fails while
 * an API route has no case or a case names no route, and every request is checked against its case's route.
 * New fixed targets get a name in `Key` and are made in `beforeAll` (o… in 邻安县, i… in 泗源县); tables a module
 * adds go into FINGERPRINTED. Each case is a test of its own, run first with cookies for every case and then with
 * tokens for every case; a failing case lists every role that got something else (expect.soft).
 */

const USERS = [
  'admin',
  'countyadmin',
  'jiedao',
  'shequ',
  'wangge',
  'louzhang',
  'bumen',
  'jumin',
  'zhiyuan',
  'huoban',
  'shanghu',
] as const;
type User = (typeof USERS)[number];
type Via = 'cookie' | 'token';

const ORIGIN = 'http://localhost';
/** The purpose an unmasked export states. */
const REASON = encodeURIComponent('政策申报');

// Who holds what (platform/access/roles.ts), for the tables below.
const PEOPLE_WRITERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
const PEOPLE_READERS = [...PEOPLE_WRITERS, 'louzhang'] as const;
const MANAGERS = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // org.write, users.write, people.import
const EXPORTERS = PEOPLE_WRITERS; // reports.export
const REPORT_MANAGERS = ['admin', 'countyadmin', 'jiedao'] as const;
const TOKEN_HOLDERS = ['admin', 'countyadmin', 'jiedao', 'bumen'] as const; // tokens.manage
const NOBODY = ['jumin', 'zhiyuan', 'huoban', 'shanghu'] as const; // no permission at all
const ORG_READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'bumen'] as const; // over 东关社区

type NodeKey =
  | 'oCounty'
  | 'oStreet'
  | 'oCommunity'
  | 'oGrid'
  | 'oBuilding'
  | 'oUnit'
  | 'iCounty'
  | 'iStreet'
  | 'iCommunity'
  | 'iGrid'
  | 'iSiblingGrid'
  | 'iVillageGrid'
  | 'iBuilding'
  | 'iUnit'
  | 'oCommunity2'
  | 'oGrid2';
type Key =
  | NodeKey
  | 'oHouse'
  | 'oHousehold'
  | 'oRes'
  | 'oContact'
  | 'iHouse'
  | 'iHousehold'
  | 'iRes'
  | 'iContact'
  | 'iSibRes'
  | 'oUser'
  | 'oUser2'
  | 'gridUser'
  | 'peerUser'
  | 'streetUser'
  | 'oImport'
  | 'impAdmin'
  | 'impCounty'
  | 'impStreet'
  | 'impCommunity'
  | 'oImportReal'
  | 'iImportReal'
  | 'oTemplate'
  | 'iTemplate'
  | 'sibTemplate'
  | 'openTemplate'
  | 'tagOut'
  | 'tagIn'
  | 'tagSpare'
  | 'volunteerTag'
  | 'partyTag'
  | 'auditOut'
  | 'auditIn'
  | 'auditNone'
  | 'machineToken'
  | 'tokAdmin'
  | 'tokCountyadmin'
  | 'tokJiedao'
  | 'tokBumen'
  | 'mvOut'
  | 'mvIn'
  | 'mvCross'
  // cases core (helper A): departments and cases (o… in 邻安县, i… in 泗源县), a public category
  | 'caseDeptOut'
  | 'caseDeptIn'
  | 'caseOut'
  | 'caseIn'
  | 'caseSib'
  | 'caseDept'
  | 'caseCat'
  // devices [F]: meters with readings in 邻安第一网格 (outside), 1号楼 of 第一网格 and 第二网格
  | 'telOut'
  | 'telIn'
  | 'telSib'
  // devices [B]: fixed alarms (type mxfixed) of 1号楼 (watching 关爱预警老人, zhiyuan's relative), 邻安县, 第二网格
  | 'alarmIn'
  | 'alarmOut'
  | 'alarmSib'
  | 'alarmRule'
  | 'alarmOld'
  | 'alarmSibBuilding'
  // devices [C]: devices in 邻安县, 1号楼1单元 and 第二网格; the water meter's no-use rule
  | 'devOut'
  | 'devIn'
  | 'devSib'
  | 'devRule'
  // grid work [B]: a visit rule; fixed visit tasks and visits of 1号楼 (矩阵内居民), 第二网格 and 邻安县
  | 'vRule'
  | 'vtIn'
  | 'vtSib'
  | 'vtOut'
  | 'viIn'
  | 'viSib'
  | 'viOut'
  | 'viLeader'
  // ---- privacy [E] ----: pending corrections of 矩阵内居民 (1号楼), 矩阵邻格居民 (第二网格) and 邻安县's resident
  | 'privIn'
  | 'privSib'
  | 'privOut';
// ---- end privacy [E] ----

/** o… lie in 邻安县 (outside everyone but the system administrator), i… in the demo county 泗源县. */
type Targets = Record<Key, number> & {
  oResId: string;
  iResId: string;
  oUserPhone: string;
  gridUserPhone: string;
  oImportBad: string;
  iImportBad: string;
  /** The people the fixed move-in requests are about. */
  mvOutRes: number;
  mvInRes: number;
  mvCrossRes: number;
};

type Refusal = { status: number; code: string };
type Listed = { has: readonly Key[]; lacks?: readonly Key[] } | { only: readonly Key[] };
type Outcome = 'ok' | Refusal | Listed;
type Prepared = Record<string, number>;

/** One request of a case: who sends it, how, and the helpers its checks use. */
type Run = {
  t: Targets;
  /** The role's account (a demo account, `admin` or `countyadmin`). */
  user: User;
  via: Via;
  /** The account that actually calls: `user`, or a new account with its post for `caller: 'fresh'`. */
  as: string;
  headers: Record<string, string>;
  /** Unique per request: names, room numbers, ID numbers. */
  n: number;
  p: Prepared;
  db: Db;
  app: FastifyInstance;
  /** A request as the system administrator (cookie); throws unless 2xx; the parsed body. */
  admin<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<T>;
  /** The same caller again. */
  again(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** Any request as the system administrator (cookie). */
  asAdmin(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** Any request as that account (cookie). */
  by(username: string, opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** The directory uploads are stored in. */
  uploads: string;
  /**
   * A validated residents import of `rows` (name, ID number) uploaded by `creator` into the node; `interrupted`:
   * then failed as a restart leaves it (IMPORT_INTERRUPTED during its check, its upload kept).
   */
  upload(creator: string, nodeId: number, rows: [string, string][], interrupted?: boolean): Promise<number>;
};

type Case = {
  route: string;
  target: string;
  req: (x: Run) => InjectOptions;
  expect: Record<User, Outcome>;
  ok?: (res: LightMyRequestResponse, x: Run) => void | Promise<void>;
  /** The ids a list holds (default: `items[].id`). */
  items?: (body: unknown) => number[];
  prepare?: (x: Run) => Promise<Prepared>;
  perCaller?: boolean;
  tokens?: 'same' | 'refused';
  caller?: 'fresh';
};

const TOKEN_NOT_ALLOWED: Refusal = { status: 403, code: 'TOKEN_NOT_ALLOWED' };

/** A refusal; a code of the error table must carry that status there (a typo fails at load). */
function no(status: number, code: string): Refusal {
  const known = (ERRORS as Record<string, { status: number }>)[code];
  if (known && known.status !== status) throw new Error(`${code} is ${known.status}, not ${status}`);
  return { status, code };
}
const FORBIDDEN = no(403, 'FORBIDDEN');

type Spec = { ok?: readonly User[]; rest?: Outcome } & { [U in User]?: Outcome };

function outcomes(spec: Spec): Record<User, Outcome> {
  const out = {} as Record<User, Outcome>;
  for (const u of USERS) {
    const named = spec[u];
    const listed = spec.ok?.includes(u) ?? false;
    if (named !== undefined && listed) throw new Error(`${u} is both named and in ok`);
    const o = named ?? (listed ? 'ok' : spec.rest);
    if (o === undefined) throw new Error(`no outcome for ${u}`);
    out[u] = o;
  }
  return out;
}

/** The same outcome for several roles, to spread into a spec. */
function each(users: readonly User[], o: Outcome): Spec {
  return Object.fromEntries(users.map((u) => [u, o]));
}

const byNumber = (a: number, b: number) => a - b;
const isRefusal = (o: Outcome): o is Refusal => typeof o === 'object' && 'status' in o;

/** A valid ID number for every n (born on a different day). */
function idNo(n: number): string {
  const d = new Date(Date.UTC(1950, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  return generateIdNumber({ areaCode: '370899', birthDate: d, sequence: 321 });
}

/** A day of 2031 for the matrix's calendar overrides (one per request number). */
const matrixDay = (n: number) => new Date(Date.UTC(2031, 0, 1) + (n % 365) * 86_400_000).toISOString().slice(0, 10);
const idsOf = (list: unknown): number[] => (list as { id: number }[]).map((i) => i.id);
const itemIds = (body: unknown): number[] => idsOf((body as { items: unknown[] }).items);

async function readSheet(buf: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow({ includeEmpty: false }, (row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

const orgNode = (x: Run, id: number) =>
  x.admin<{ id: number; name: string; parentId: number; status: string }>('GET', `/api/org/nodes/${id}`);
const account = (x: Run, id: number) =>
  x.admin<{ posts: { id: number; nodeId: number | null; role: string }[]; lockedUntil: string | null }>(
    'GET',
    `/api/users/${id}`,
  );
const resident = (x: Run, id: number) =>
  x.admin<{
    id: number;
    name: string;
    nodeId: number;
    status: string;
    currentAddress: string | null;
    tags: { id: number }[];
    contacts: { id: number; name: string }[];
  }>('GET', `/api/people/residents/${id}`);
const freshResident = async (x: Run, nodeId: number) =>
  (
    await x.admin<{ id: number }>('POST', '/api/people/residents', {
      name: `新居民${x.n}`,
      idNumber: idNo(x.n),
      nodeId,
    })
  ).id;
const freshNode = async (x: Run, parentId: number, type: string) =>
  (await x.admin<{ id: number }>('POST', '/api/org/nodes', { parentId, type, name: `新节点${x.n}` })).id;
const freshTemplate = async (x: Run, nodeId: number) =>
  (
    await x.admin<{ id: number }>('POST', '/api/reports/templates', {
      name: `新模板${x.n}`,
      definition: { entity: 'resident', columns: [{ field: 'name' }], filters: { nodeId } },
    })
  ).id;
/** Job ids are UUIDs: a prepared job is its index here. */
const probeJobIds: string[] = [];
/** A job of the queue `matrix.probe` (no server runs it): failed with an error, or queued for tomorrow. */
const probeJob = async (x: Run, state: 'failed' | 'created'): Promise<Prepared> => {
  await x.db.query(`SELECT pgboss.create_queue('matrix.probe', '{"policy": "standard"}'::json)`);
  const [row] = await x.db.query<{ id: string }>(
    `INSERT INTO pgboss.job (name, data, state, output, completed_on, start_after, retry_limit)
     VALUES ('matrix.probe', '{"caseId": 1}', $1::pgboss.job_state,
       CASE WHEN $1 = 'failed' THEN '{"name": "Error", "message": "matrix probe failure"}'::jsonb END,
       CASE WHEN $1 = 'failed' THEN now() END, now() + interval '1 day', 0)
     RETURNING id`,
    [state],
  );
  probeJobIds.push(row!.id);
  return { job: probeJobIds.length - 1 };
};
const lockUser = async (x: Run, id: number) => {
  await x.db.query(`UPDATE users SET locked_until = now() + interval '1 hour', failed_logins = 5 WHERE id = $1`, [id]);
  return {};
};
const addPost = async (x: Run, userId: number, nodeId: number, role: Role) => {
  await x.db.query('DELETE FROM posts WHERE user_id = $1 AND node_id = $2 AND role = $3', [userId, nodeId, role]);
  const rows = await x.db.query<{ id: number }>(
    `INSERT INTO posts (user_id, node_id, county_id, role)
     SELECT $1, id, county_id, $3 FROM org_nodes WHERE id = $2 RETURNING id`,
    [userId, nodeId, role],
  );
  return { post: rows[0]!.id };
};

/** A message of kind matrix.note to the account, written as a module would (no route sends one). */
const note = async (x: Run, username: string) =>
  (await sendNotification(x.db, [await userId(x.db, username)], 'matrix.note', { n: x.n }))[0]!;
const freshChannel = async (x: Run) =>
  (
    await x.admin<{ id: number }>('POST', '/api/notify/channels', {
      type: 'webhook',
      name: `矩阵渠道${x.n}`,
      url: 'http://127.0.0.1:9/hook',
      secret: 'matrix-secret-0002',
    })
  ).id;

defineKind({ kind: 'matrix.note', title: { 'zh-CN': '矩阵通知 {n}', en: 'Matrix note {n}' }, urgency: 'normal' });

function importForm(nodeId: number, community: string, grid: string, rows: [string, string][]) {
  const boundary = `matrix${Math.random().toString(16).slice(2)}`;
  const csv = ['姓名,身份证号,社区,网格', ...rows.map(([name, id]) => `${name},${id},${community},${grid}`)].join('\n');
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="nodeId"\r\n\r\n${nodeId}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="居民.csv"\r\n` +
    `Content-Type: text/csv\r\n\r\n${csv}\n\r\n--${boundary}--\r\n`;
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.from(body),
  };
}

/** Where each import lands: the CSV's place columns must name the node the upload is for. */
const PLACES: Record<'o' | 'i', [string, string]> = { o: ['邻安社区', '邻安第一网格'], i: ['东关社区', '第一网格'] };

async function importView(x: Run, id: number) {
  await whenImportSettled(id);
  return (
    await x.admin<{
      import: { id: number; status: string; rowsValid: number; rowsInserted: number };
    }>('GET', `/api/people/imports/${id}`)
  ).import;
}

// ---- files ---------------------------------------------------------------------------------------------------
/** Public ids of uploads a case prepared, by the number `prepare` put in `x.p` (prepared values are numbers). */
const FILE_IDS = new Map<number, string>();

function photoForm(photo: Buffer) {
  const boundary = `matrixfile${Math.random().toString(16).slice(2)}`;
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="证明.jpg"\r\n` +
          'Content-Type: image/jpeg\r\n\r\n',
      ),
      photo,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

const PHOTOS = new Map<number, Buffer>();

/** A small photo (16 px high), different for each n (so uploads do not all share one blob). */
function photoBytes(n: number): Promise<Buffer> {
  return sharp({ create: { width: 24 + (n % 200), height: 16, channels: 3, background: '#2a6f97' } })
    .jpeg()
    .toBuffer();
}

async function photoUpload(n: number): Promise<InjectOptions> {
  return { method: 'POST', url: '/api/files', ...photoForm(await photoBytes(n)) };
}

/** Remembers an upload's public id under a number for `x.p`. */
function keepFileId(res: LightMyRequestResponse, n: number): Prepared {
  if (res.statusCode !== 201) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  FILE_IDS.set(n, (res.json() as { items: { id: string }[] }).items[0]!.id);
  return { file: n };
}

/** Takes every attachment off the matrix residents, so that cases never meet the limit a record holds. */
async function clearAttachments(x: Run): Promise<void> {
  await x.db.query(`DELETE FROM files WHERE attached_type = 'resident' AND attached_id = ANY($1::bigint[])`, [
    [x.t.iRes, x.t.oRes],
  ]);
}

/** An upload by the caller themselves (the request's own credentials), not yet attached. */
async function callerUpload(x: Run): Promise<Prepared> {
  await clearAttachments(x);
  return keepFileId(await x.again(await photoUpload(x.n)), x.n);
}

/** An upload by `username`, attached to the resident by the system administrator when `residentId` is given. */
async function fileOf(x: Run, username: string, residentId?: number): Promise<Prepared> {
  await clearAttachments(x);
  const p = keepFileId(await x.by(username, await photoUpload(x.n)), x.n);
  if (residentId !== undefined) {
    await x.admin('POST', `/api/people/residents/${residentId}/attachments`, { fileIds: [FILE_IDS.get(x.n)!] });
  }
  return p;
}

const fileId = (x: Run) => FILE_IDS.get(x.p.file!)!;

async function attachmentIds(x: Run, residentId: number): Promise<string[]> {
  const body = await x.admin<{ items: { id: string }[] }>('GET', `/api/people/residents/${residentId}/attachments`);
  return body.items.map((i) => i.id);
}

async function expectImage(res: LightMyRequestResponse, side?: number): Promise<void> {
  expect(res.headers['cache-control']).toMatch(/^private/);
  const meta = await sharp(res.rawPayload).metadata();
  expect(meta.format).toBe('jpeg');
  if (side !== undefined) expect(meta.height).toBe(side);
}

// ---- cases core (helper A): who holds what, fresh cases for the steps ---------------------------------------
const CASE_READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // cases.read/handle over 第一网格
const CASE_MANAGERS = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // cases.manage over it
const CASE_NOT_FOUND = no(404, 'CASE_NOT_FOUND');

type CasePrep = 'accept' | 'dispatch' | 'handle' | 'verify' | 'park' | 'whistle';
type Side = 'i' | 'o';

const gridOf = (x: Run, side: Side) => (side === 'i' ? x.t.iGrid : x.t.oGrid);
const PREP_BODIES: Record<CasePrep, (x: Run, side: Side) => unknown> = {
  accept: () => ({}),
  dispatch: (x, side) => ({ nodeId: gridOf(x, side) }),
  handle: () => ({ note: '已处置' }),
  verify: () => ({ passed: true }),
  park: () => ({ reason: '资金未到位', until: '2099-01-01' }),
  whistle: (x, side) => ({ departmentIds: [side === 'i' ? x.t.caseDeptIn : x.t.caseDeptOut], note: '请协调' }),
};

/** A case reported in 第一网格 or 邻安第一网格 (by the system administrator, or by `reporter` at their home), then
 * taken through `steps` by the system administrator (an accept by `acceptBy` when given). */
async function freshCase(
  x: Run,
  side: Side,
  steps: CasePrep[],
  opts: { reporter?: string; acceptBy?: string } = {},
): Promise<number> {
  const body = {
    categoryId: x.t.caseCat,
    description: `矩阵步骤${x.n}`,
    ...(opts.reporter ? {} : { place: { nodeId: gridOf(x, side) } }),
  };
  let id: number;
  if (opts.reporter) {
    const res = await x.by(opts.reporter, { method: 'POST', url: '/api/cases', payload: body });
    if (res.statusCode !== 201) throw new Error(`report by ${opts.reporter}: ${res.statusCode} ${res.body}`);
    id = (res.json() as { id: number }).id;
  } else {
    id = (await x.admin<{ id: number }>('POST', '/api/cases', body)).id;
  }
  for (const s of steps) {
    const url = `/api/cases/${id}/${s}`;
    const payload = PREP_BODIES[s](x, side);
    if (s === 'accept' && opts.acceptBy) {
      const res = await x.by(opts.acceptBy, { method: 'POST', url, payload: payload as InjectOptions['payload'] });
      if (res.statusCode !== 200) throw new Error(`accept by ${opts.acceptBy}: ${res.statusCode} ${res.body}`);
    } else await x.admin('POST', url, payload);
  }
  return id;
}

type CaseStepCase = {
  action: string;
  about: string;
  steps: CasePrep[];
  /** Inside: the grid worker accepts (so that they handle it); rate and reopen: the resident reports. */
  acceptBy?: string;
  reporter?: string;
  /** A second open case to merge into. */
  into?: boolean;
  body: (x: Run, side: Side) => unknown;
  to: string;
  inside: Spec;
};

const BY_MANAGERS: Spec = { ok: CASE_MANAGERS, wangge: FORBIDDEN, rest: CASE_NOT_FOUND };
const BY_READERS: Spec = { ok: CASE_READERS, rest: CASE_NOT_FOUND };
const BY_REPORTER: Spec = { ok: ['jumin'], ...each(CASE_READERS, FORBIDDEN), rest: CASE_NOT_FOUND };

const CASE_STEPS: CaseStepCase[] = [
  { action: 'accept', about: 'a new report', steps: [], body: () => ({}), to: 'handling', inside: BY_READERS },
  {
    action: 'dispatch',
    about: 'a new report, to its grid',
    steps: [],
    body: (x, side) => ({ nodeId: gridOf(x, side) }),
    to: 'dispatched',
    inside: BY_MANAGERS,
  },
  {
    action: 'whistle',
    about: 'a new report, to the county’s 民政局',
    steps: [],
    body: (x, side) => PREP_BODIES.whistle(x, side),
    to: 'whistled',
    inside: BY_MANAGERS,
  },
  {
    action: 'notes',
    about: 'a new report',
    steps: [],
    body: () => ({ note: '进展' }),
    to: 'reported',
    inside: BY_READERS,
  },
  {
    action: 'handle',
    about: 'a case the system administrator handles',
    steps: ['accept'],
    body: () => ({ note: '已处置' }),
    to: 'handled',
    inside: BY_MANAGERS,
  },
  {
    action: 'escalate',
    about: 'a case the grid worker handles',
    steps: ['accept'],
    acceptBy: 'wangge',
    body: () => ({ reason: '需要部门协调' }),
    to: 'escalated',
    inside: { ok: ['wangge'], ...each(CASE_MANAGERS, FORBIDDEN), rest: CASE_NOT_FOUND },
  },
  {
    action: 'return',
    about: 'a case dispatched to the grid',
    steps: ['dispatch'],
    body: () => ({ reason: '不在本网格' }),
    to: 'reported',
    inside: BY_READERS,
  },
  {
    action: 'verify',
    about: 'a handled case',
    steps: ['accept', 'handle'],
    body: () => ({ passed: true }),
    to: 'closed',
    inside: BY_MANAGERS,
  },
  {
    action: 'park',
    about: 'a new report',
    steps: [],
    body: () => PREP_BODIES.park({} as Run, 'i'),
    to: 'parked',
    inside: BY_MANAGERS,
  },
  {
    action: 'unpark',
    about: 'a parked report',
    steps: ['park'],
    body: () => ({}),
    to: 'reported',
    inside: BY_MANAGERS,
  },
  {
    action: 'cancel',
    about: 'a new report',
    steps: [],
    body: () => ({ reason: '不属于事件' }),
    to: 'cancelled',
    inside: BY_MANAGERS,
  },
  {
    action: 'merge',
    about: 'a new report, into another there',
    steps: [],
    into: true,
    body: (x) => ({ intoId: x.p.into }),
    to: 'merged',
    inside: BY_MANAGERS,
  },
  {
    action: 'rate',
    about: 'the resident’s closed report (outside: the system administrator’s)',
    steps: ['accept', 'handle', 'verify'],
    reporter: 'jumin',
    body: () => ({ rating: 5, comment: '满意' }),
    to: 'closed',
    inside: BY_REPORTER,
  },
  {
    action: 'reopen',
    about: 'the resident’s closed report (outside: the system administrator’s)',
    steps: ['accept', 'handle', 'verify'],
    reporter: 'jumin',
    body: () => ({ reason: '没有解决' }),
    to: 'dispatched',
    inside: BY_REPORTER,
  },
];

async function freshCaseFor(x: Run, side: Side, st: CaseStepCase): Promise<Prepared> {
  const opts = side === 'i' ? { reporter: st.reporter, acceptBy: st.acceptBy } : {};
  const id = await freshCase(x, side, st.steps, opts);
  return st.into ? { case: id, into: await freshCase(x, side, []) } : { case: id };
}

async function expectCaseStage(res: LightMyRequestResponse, x: Run, stage: string): Promise<void> {
  expect(res.json()).toMatchObject({ id: x.p.case, stage });
  const rows = await x.db.query<{ stage: string }>('SELECT stage FROM cases WHERE id = $1', [x.p.case]);
  expect(rows[0]!.stage).toBe(stage);
}

/** The fixed cases a list holds (lists also hold the cases the step cases report). */
const fixedCaseIds = (body: unknown): number[] =>
  (body as { items: { id: number; title: string }[] }).items
    .filter((i) => i.title.startsWith('矩阵固定'))
    .map((i) => i.id);

/**
 * The cases card (this month's reports in the caller's cases.read area) and to-dos (to accept in the caller's
 * cases.handle area; whistles waiting for a department member) hold exactly what the database holds there.
 */
async function expectCasesWorkbench(res: LightMyRequestResponse, x: Run): Promise<void> {
  type Body = {
    cards: { id: string; sections: { figures: { key: string; value: number }[] }[] }[];
    todos: { id: string; total: number }[];
  };
  const body = res.json() as Body;
  const card = body.cards.find((c) => c.id === 'cases.month');
  const todo = (id: string) => body.todos.find((t) => t.id === id);
  if (x.user === 'bumen') {
    const n = await x.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases c WHERE c.stage = 'whistled' AND EXISTS (SELECT 1 FROM case_whistles w
         JOIN department_members m ON m.department_id = w.department_id JOIN users u ON u.id = m.user_id
        WHERE w.case_id = c.id AND w.status IN ('pending', 'accepted') AND u.username = $1)`,
      [x.as],
    );
    expect(todo('cases.whistles')?.total ?? 0).toBe(n[0]!.n);
  } else expect(todo('cases.whistles')).toBeUndefined();
  if (!(CASE_READERS as readonly User[]).includes(x.user)) {
    expect(card).toBeUndefined();
    expect(body.todos.filter((t) => t.id !== 'cases.whistles' && t.id.startsWith('cases.'))).toEqual([]);
    return;
  }
  const area = await x.db.query<{ path: string | null }>(
    `SELECT n.path FROM posts p JOIN users u ON u.id = p.user_id LEFT JOIN org_nodes n ON n.id = p.node_id
      WHERE u.username = $1`,
    [x.as],
  );
  const under = `${area[0]!.path ?? '/'}%`;
  const count = async (sql: string) => (await x.db.query<{ n: number }>(sql, [under]))[0]!.n;
  const figures = Object.fromEntries((card?.sections ?? []).flatMap((s) => s.figures.map((f) => [f.key, f.value])));
  expect(figures.received).toBe(
    await count(`SELECT count(*)::int AS n FROM cases WHERE node_path LIKE $1
      AND created_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'`),
  );
  const toAccept =
    await count(`SELECT count(*)::int AS n FROM cases c LEFT JOIN org_nodes a ON a.id = c.assignee_node_id
     WHERE (c.stage = 'reported' AND c.node_path LIKE $1) OR (c.stage = 'dispatched' AND a.path LIKE $1)`);
  expect(todo('cases.to_accept')?.total ?? 0).toBe(toAccept);
}

/** The matrix app's jobs never start; the cases' SLA timers go through the environment's running instance. */
function casesJobsVia(own: Jobs, running: Jobs): Jobs {
  return {
    ...own,
    send: (name, payload, opts) =>
      name.startsWith('cases.') ? running.send(name, payload, opts) : own.send(name, payload, opts),
  };
}
// ---- end cases core --------------------------------------------------------------------------------------

// ---- devices [B]: alarms ---------------------------------------------------------------------------------------
/** Who holds devices.read and alarms.handle over 1号楼 (第一网格). */
const ALARM_HANDLERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
const ALARM_NOT_FOUND = no(404, 'ALARM_NOT_FOUND');
let alarmSeq = 0;

/** A new device of `typeCode` at the node (watching `residentId`) with an alarm raised on it: the alarm's id. */
async function matrixAlarm(
  env: { db: Db; pii: TestEnv['pii']; jobs: Jobs },
  typeCode: 'mxfixed' | 'mxfresh',
  nodeId: number,
  residentId: number | null,
): Promise<number> {
  alarmSeq++;
  const d = await buildDevice(env.db, { typeCode, nodeId, serial: `MX${alarmSeq}`, residentId });
  const rule = (
    await env.db.query<{ id: number }>(`SELECT id FROM device_rules WHERE type_code = $1 AND code = 'mx_heart'`, [
      typeCode,
    ])
  )[0]!.id;
  const res = await env.db.transaction((tx) =>
    raiseAlarms(env, tx, [
      { deviceId: d.id, ruleId: rule, at: new Date(), detail: { metric: 'heart_rate', value: 150, above: 120 } },
    ]),
  );
  return res.raised[0]!;
}

type AlarmSide = 'in' | 'out';
/** A fresh alarm for a state-changing case: in 1号楼 watching 关爱预警老人, or in 邻安县. */
const freshAlarm = (side: AlarmSide) => async (x: Run) => ({
  alarm: await matrixAlarm(
    { db: x.db, pii: matrixPii!, jobs: matrixJobs! },
    'mxfresh',
    side === 'in' ? x.t.iBuilding : x.t.oBuilding,
    side === 'in' ? x.t.alarmOld : null,
  ),
});
let matrixPii: TestEnv['pii'] | undefined;
let matrixJobs: Jobs | undefined;

async function alarmRow(x: Run, id: number) {
  return (
    await x.db.query<{ status: string; outcome: string | null; case_id: number | null }>(
      'SELECT status, outcome, case_id FROM alarms WHERE id = $1',
      [id],
    )
  )[0]!;
}

const ALARM_CASES: Case[] = [
  {
    route: 'GET /api/alarms',
    target: 'the fixed alarms: 1号楼 (第一网格), 第二网格, 邻安县',
    req: () => ({ method: 'GET', url: '/api/alarms?typeCode=mxfixed&pageSize=200' }),
    expect: outcomes({
      admin: { has: ['alarmIn', 'alarmSib', 'alarmOut'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], { has: ['alarmIn', 'alarmSib'], lacks: ['alarmOut'] }),
      wangge: { has: ['alarmIn'], lacks: ['alarmSib', 'alarmOut'] },
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/alarms/:id',
    target: 'an alarm of 邻安县 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/alarms/${x.t.alarmOut}` }),
    expect: outcomes({ ok: ['admin'], rest: ALARM_NOT_FOUND }),
    ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.alarmOut, status: 'active' }),
  },
  {
    route: 'GET /api/alarms/:id',
    target: 'an alarm of 第二网格 (not the grid worker’s)',
    req: (x) => ({ method: 'GET', url: `/api/alarms/${x.t.alarmSib}` }),
    expect: outcomes({ ok: ['admin', 'countyadmin', 'jiedao', 'shequ'], rest: ALARM_NOT_FOUND }),
    ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.alarmSib }),
  },
  {
    route: 'GET /api/alarms/:id',
    target: 'an alarm of 1号楼 watching 关爱预警老人 (zhiyuan is family)',
    req: (x) => ({ method: 'GET', url: `/api/alarms/${x.t.alarmIn}` }),
    expect: outcomes({ ok: [...ALARM_HANDLERS, 'zhiyuan'], rest: ALARM_NOT_FOUND }),
    ok: (res, x) => {
      const body = res.json() as { id: number; residentId: number; contacts: { name: string; hasAccount: boolean }[] };
      expect(body).toMatchObject({ id: x.t.alarmIn, residentId: x.t.alarmOld });
      expect(body.contacts).toEqual([expect.objectContaining({ name: '刘志愿', hasAccount: true })]);
    },
  },
  ...(['in', 'out'] as const).flatMap((side): Case[] => {
    const okIn = side === 'in';
    const where = okIn ? 'a fresh alarm of 1号楼 (关爱预警老人’s)' : 'a fresh alarm of 邻安县 (outside)';
    return [
      {
        route: 'POST /api/alarms/:id/acknowledge',
        target: where,
        prepare: freshAlarm(side),
        req: (x) => ({ method: 'POST', url: `/api/alarms/${x.p.alarm}/acknowledge`, payload: {} }),
        expect: outcomes({ ok: okIn ? [...ALARM_HANDLERS, 'zhiyuan'] : ['admin'], rest: ALARM_NOT_FOUND }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.alarm, status: 'acknowledged' });
          expect((await alarmRow(x, x.p.alarm!)).status).toBe('acknowledged');
        },
      },
      {
        route: 'POST /api/alarms/:id/resolve',
        target: where,
        prepare: freshAlarm(side),
        req: (x) => ({
          method: 'POST',
          url: `/api/alarms/${x.p.alarm}/resolve`,
          payload: { outcome: 'false_alarm', note: '矩阵' },
        }),
        expect: outcomes({ ok: okIn ? ALARM_HANDLERS : ['admin'], rest: ALARM_NOT_FOUND }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.alarm, status: 'resolved', outcome: 'false_alarm' });
          expect(await alarmRow(x, x.p.alarm!)).toMatchObject({ status: 'resolved', outcome: 'false_alarm' });
        },
      },
      {
        route: 'POST /api/alarms/:id/notes',
        target: where,
        prepare: freshAlarm(side),
        req: (x) => ({ method: 'POST', url: `/api/alarms/${x.p.alarm}/notes`, payload: { text: `矩阵备注${x.n}` } }),
        expect: outcomes({ ok: okIn ? ALARM_HANDLERS : ['admin'], rest: ALARM_NOT_FOUND }),
        ok: (res, x) => {
          const body = res.json() as { events: { action: string; detail: { text?: string } }[] };
          expect(body.events.at(-1)).toMatchObject({ action: 'note', detail: { text: `矩阵备注${x.n}` } });
        },
      },
      {
        route: 'POST /api/alarms/:id/case',
        target: where,
        prepare: freshAlarm(side),
        req: (x) => ({ method: 'POST', url: `/api/alarms/${x.p.alarm}/case`, payload: { categoryId: x.t.caseCat } }),
        expect: outcomes({ ok: okIn ? ALARM_HANDLERS : ['admin'], rest: ALARM_NOT_FOUND }),
        ok: async (res, x) => {
          const { caseId } = res.json() as { caseId: number };
          expect((await alarmRow(x, x.p.alarm!)).case_id).toBe(caseId);
          const c = await x.db.query<{ source: string }>('SELECT source FROM cases WHERE id = $1', [caseId]);
          expect(c[0]!.source).toBe('device');
        },
      },
      {
        route: 'POST /api/me/alarms/:id/acknowledge',
        target: `${where}: only the watched person’s family`,
        prepare: freshAlarm(side),
        req: (x) => ({ method: 'POST', url: `/api/me/alarms/${x.p.alarm}/acknowledge` }),
        expect: outcomes(okIn ? { ok: ['zhiyuan'], rest: ALARM_NOT_FOUND } : { rest: ALARM_NOT_FOUND }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.alarm, status: 'acknowledged' });
          expect((await alarmRow(x, x.p.alarm!)).status).toBe('acknowledged');
        },
      },
    ];
  }),
  {
    route: 'GET /api/me/alarms',
    target: 'the fixed alarms: only 关爱预警老人’s, to their family (zhiyuan)',
    req: () => ({ method: 'GET', url: '/api/me/alarms?status=all' }),
    expect: outcomes({
      zhiyuan: { has: ['alarmIn'], lacks: ['alarmSib', 'alarmOut'] },
      rest: { only: [] },
    }),
  },
];
// ---- end devices [B] -------------------------------------------------------------------------------------------
// ---- devices [C]: who holds what, fixtures ---------------------------------------------------------------------
const DEVICE_READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // devices.read, alarms.handle
const DEVICE_MANAGERS = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // devices.manage
const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');
const XLSX_FILES = new Map<number, Buffer>();

async function deviceXlsx(serial: string, place: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('设备 Devices');
  ws.addRow(['设备类型 Type', '序列号 Serial', '安装地点 Place']);
  ws.addRow(['智能水表', serial, place]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function xlsxForm(file: Buffer) {
  const boundary = `matrixxlsx${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="devices.xlsx"\r\n` +
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
  );
  return {
    payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function deviceVersion(x: Run, id: number): Promise<number> {
  const rows = await x.db.query<{ version: number }>('SELECT version FROM devices WHERE id = $1', [id]);
  return rows[0]!.version;
}

async function setAwayRow(x: Run, residentId: number): Promise<void> {
  await x.db.query(
    `INSERT INTO resident_away (resident_id, county_id, reason) SELECT id, county_id, '矩阵外出' FROM residents WHERE id = $1
     ON CONFLICT (resident_id) DO UPDATE SET reason = '矩阵外出', until_at = NULL`,
    [residentId],
  );
}

async function setOverrideRow(x: Run, residentId: number): Promise<void> {
  await x.db.query(
    `INSERT INTO device_rule_overrides (rule_id, resident_id, county_id, params)
     SELECT $1, id, county_id, '{"quietEnd": "07:00"}' FROM residents WHERE id = $2
     ON CONFLICT (rule_id, resident_id) DO NOTHING`,
    [x.t.devRule, residentId],
  );
}

/** The caller's phone becomes that of 矩阵内居民's contact (family). */
async function makeFamily(x: Run): Promise<void> {
  await x.db.query(
    `UPDATE users SET phone_hash = (SELECT phone_hash FROM resident_contacts WHERE id = $1) WHERE username = $2`,
    [x.t.iContact, x.as],
  );
}
// ---- end devices [C] --------------------------------------------------------------------------------------------
// ---- grid work [B]: visit tasks and visits, who holds what, fixtures ------------------------------------------
/** visits.read over 1号楼 (and visits.do); the building leader holds visits.do there only. */
const VISIT_READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
const VISIT_MANAGERS = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // visits.manage
type VisitSide = 'in' | 'out';
/** A fresh open task: on 矩阵内居民 (1号楼), the grid worker's; or on 矩阵外居民 (邻安县), nobody's. */
const freshVisitTask = (side: VisitSide) => async (x: Run) => ({
  task: (
    await buildVisitTask(x.db, {
      ruleId: x.t.vRule,
      residentId: side === 'in' ? x.t.iRes : x.t.oRes,
      assigneeId: side === 'in' ? await userId(x.db, 'wangge') : null,
      reasonKey: `mx:${x.n}`,
    })
  ).id,
});
/** A fresh visit by the system administrator that found someone needing help, in 1号楼 or in 邻安县. */
const freshHelpVisit = (side: VisitSide) => async (x: Run) => ({
  visit: (
    await buildVisit(x.db, {
      visitorId: await userId(x.db, 'admin'),
      residentId: side === 'in' ? x.t.iRes : x.t.oRes,
      outcome: 'needs_help',
    })
  ).id,
});
async function visitTaskRow(x: Run, id: number) {
  return (
    await x.db.query<{ status: string; assignee_id: number | null; withdrawn_reason: string | null }>(
      'SELECT status, assignee_id, withdrawn_reason FROM visit_tasks WHERE id = $1',
      [id],
    )
  )[0]!;
}
const visitUuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
// ---- end grid work [B] ------------------------------------------------------------------------------------------

// ---- grid work [D]: 一网三联 links — who holds what, fresh links (straight into the table) ----------------------
const LINK_READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // visits.read over 第一网格
const LINK_MANAGERS = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // visits.manage over 东关社区
const LINK_NOT_FOUND = no(404, 'GRID_LINK_NOT_FOUND');

/** An active link (the one in force, else a new one): `kind` of `username` to a household or a node. */
async function matrixLink(
  x: Run,
  username: string,
  kind: 'party_household' | 'cadre_group',
  target: { householdId: number } | { nodeId: number },
): Promise<number> {
  const [u] = await x.db.query<{ id: number }>('SELECT id::int AS id FROM users WHERE username = $1', [username]);
  const householdId = 'householdId' in target ? target.householdId : null;
  const nodeId = 'nodeId' in target ? target.nodeId : null;
  const [place] = await x.db.query<{ path: string; county_id: number }>(
    householdId !== null
      ? 'SELECT node_path AS path, county_id::int AS county_id FROM households WHERE id = $1'
      : 'SELECT path, county_id::int AS county_id FROM org_nodes WHERE id = $1',
    [householdId ?? nodeId],
  );
  const community = Number(place!.path.split('/')[3]);
  const [row] = await x.db.query<{ id: number }>(
    `WITH found AS (
       SELECT id FROM grid_links WHERE ended_at IS NULL AND kind = $1 AND user_id = $2
          AND COALESCE(node_id, 0) = COALESCE($3::bigint, 0) AND COALESCE(household_id, 0) = COALESCE($4::bigint, 0)),
     made AS (
       INSERT INTO grid_links (county_id, community_id, kind, user_id, node_id, household_id, node_path, valid_from)
       SELECT $5, $6, $1, $2, $3, $4, $7, DATE '2026-01-01' WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
     SELECT id::int AS id FROM found UNION ALL SELECT id::int AS id FROM made`,
    [kind, u!.id, nodeId, householdId, place!.county_id, community, place!.path],
  );
  return row!.id;
}

/** Links in 1号楼 (刘志愿 to the matrix's household), 第二网格 (李社工 to it) and 邻安县 (the outsider to its household). */
async function matrixLinks(x: Run): Promise<Prepared> {
  return {
    linkIn: await matrixLink(x, 'zhiyuan', 'party_household', { householdId: x.t.iHousehold }),
    linkSib: await matrixLink(x, 'shequ', 'cadre_group', { nodeId: x.t.iSiblingGrid }),
    linkOut: await matrixLink(x, 'mx_outsider', 'party_household', { householdId: x.t.oHousehold }),
  };
}

/** Ends the links a create case makes, so that the next allowed request creates it again. */
async function endMatrixLinks(x: Run, householdId: number): Promise<Prepared> {
  await x.db.query('UPDATE grid_links SET ended_at = now() WHERE household_id = $1 AND ended_at IS NULL', [
    householdId,
  ]);
  return {};
}

const linkIds = (body: unknown): number[] => itemIds(body);

/** Cases run with no 一网三联 link in force (links give access beyond posts; [D]'s cases make some). */
function withoutLinks(cases: Case[]): Case[] {
  return cases.map((c) => ({
    ...c,
    prepare: async (x: Run) => {
      await x.db.query('UPDATE grid_links SET ended_at = now() WHERE ended_at IS NULL');
      return c.prepare ? c.prepare(x) : {};
    },
  }));
}
// ---- end grid work [D] -------------------------------------------------------------------------------------------

const CASES: Case[] = [
  // ---- auth ------------------------------------------------------------------------------------------------
  {
    route: 'POST /api/auth/login',
    target: 'another account’s credentials (public: whoever calls, the answer is that account’s)',
    req: () => ({ method: 'POST', url: '/api/auth/login', payload: { username: 'mx_login', password: DEMO_PASSWORD } }),
    expect: outcomes({ ok: USERS }),
    ok: (res) => {
      expect(res.json().user.username).toBe('mx_login');
      expect(String(res.headers['set-cookie'])).toMatch(/^linli_session=/);
    },
  },
  {
    route: 'POST /api/auth/logout',
    target: 'the caller’s own session',
    caller: 'fresh',
    req: () => ({ method: 'POST', url: '/api/auth/logout' }),
    expect: outcomes({ ok: USERS }),
    ok: async (_res, x) => {
      // A logout ends that session; it does not revoke an API token.
      const me = await x.again({ method: 'GET', url: '/api/auth/me' });
      if (x.via === 'cookie') expect(me.json().code).toBe('AUTH_SESSION_INVALID');
      else expect(me.json().user.username).toBe(x.as);
    },
  },
  {
    route: 'GET /api/auth/me',
    target: 'the caller',
    req: () => ({ method: 'GET', url: '/api/auth/me' }),
    expect: outcomes({ ok: USERS }),
    ok: (res, x) => expect(res.json().user.username).toBe(x.as),
  },
  {
    route: 'PATCH /api/auth/me',
    target: 'the caller (and nobody else)',
    tokens: 'refused',
    req: () => ({ method: 'PATCH', url: '/api/auth/me', payload: { locale: 'en' } }),
    expect: outcomes({ ok: USERS }),
    ok: async (res, x) => {
      expect(res.json().user).toMatchObject({ username: x.as, locale: 'en' });
      const others = await x.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE locale = 'en' AND username <> $1`,
        [x.as],
      );
      expect(others[0]!.n).toBe(0);
      await x.db.query(`UPDATE users SET locale = 'zh-CN' WHERE username = $1`, [x.as]);
    },
  },
  {
    route: 'DELETE /api/auth/me/notice',
    target: 'the caller’s own notice that an administrator’s reset revoked their tokens',
    caller: 'fresh',
    tokens: 'refused',
    perCaller: true,
    prepare: async (x) => {
      await x.db.query(`UPDATE users SET tokens_revoked_at = now(), tokens_revoked_count = 2 WHERE username = $1`, [
        x.as,
      ]);
      return {};
    },
    req: () => ({ method: 'DELETE', url: '/api/auth/me/notice' }),
    expect: outcomes({ ok: USERS }),
    ok: async (_res, x) => {
      const me = await x.again({ method: 'GET', url: '/api/auth/me' });
      expect(me.json()).toMatchObject({ user: { username: x.as }, notice: null });
      const left = await x.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE tokens_revoked_at IS NOT NULL AND username = $1`,
        [x.as],
      );
      expect(left[0]!.n).toBe(0);
    },
  },
  {
    route: 'POST /api/auth/confirm-password',
    target: 'the caller’s own session, confirmed a day ago',
    caller: 'fresh',
    tokens: 'refused',
    prepare: async (x) => {
      await x.db.query(
        `UPDATE sessions SET password_confirmed_at = now() - interval '1 day'
          WHERE user_id = (SELECT id FROM users WHERE username = $1)`,
        [x.as],
      );
      return {};
    },
    req: () => ({ method: 'POST', url: '/api/auth/confirm-password', payload: { password: DEMO_PASSWORD } }),
    expect: outcomes({ ok: USERS }),
    ok: async (_res, x) => {
      const rows = await x.db.query<{ recent: boolean }>(
        `SELECT s.password_confirmed_at > now() - interval '1 minute' AS recent
           FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1`,
        [x.as],
      );
      expect(rows).toEqual([{ recent: true }]);
    },
  },
  {
    route: 'POST /api/auth/password',
    target: 'the caller’s own password',
    caller: 'fresh',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: DEMO_PASSWORD, newPassword: `Changed${x.n}pw` },
    }),
    expect: outcomes({ ok: USERS }),
    ok: async (_res, x) => {
      await expect(login(x.app, x.as, `Changed${x.n}pw`)).resolves.toMatch(/^linli_session=/);
    },
  },
  {
    route: 'GET /api/auth/tokens',
    target: 'the caller’s own tokens, not the system administrator’s machine token',
    tokens: 'refused',
    req: () => ({ method: 'GET', url: '/api/auth/tokens' }),
    expect: outcomes({
      admin: { has: ['tokAdmin', 'machineToken'], lacks: ['tokJiedao'] },
      countyadmin: { has: ['tokCountyadmin'], lacks: ['machineToken', 'tokAdmin', 'tokJiedao'] },
      jiedao: { has: ['tokJiedao'], lacks: ['machineToken', 'tokAdmin', 'tokBumen'] },
      bumen: { has: ['tokBumen'], lacks: ['machineToken', 'tokAdmin', 'tokJiedao'] },
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'POST /api/auth/tokens',
    target: 'a token of the caller',
    tokens: 'refused',
    req: (x) => ({ method: 'POST', url: '/api/auth/tokens', payload: { name: `matrix ${x.n}` } }),
    expect: outcomes({ ok: TOKEN_HOLDERS, rest: FORBIDDEN }),
    ok: async (res, x) => {
      const body = res.json() as { token: string; item: { id: number } };
      const me = await x.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${body.token}` },
      });
      expect(me.json().user.username).toBe(x.as);
    },
  },
  {
    route: 'DELETE /api/auth/tokens/:id',
    target: 'a token of the caller’s own',
    tokens: 'refused',
    perCaller: true,
    prepare: async (x) => ({ token: (await tokenFor(x.db, x.as)).id }),
    req: (x) => ({ method: 'DELETE', url: `/api/auth/tokens/${x.p.token}` }),
    expect: outcomes({ ok: TOKEN_HOLDERS, rest: FORBIDDEN }),
    ok: async (_res, x) => {
      const rows = await x.db.query<{ revoked: boolean }>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM api_tokens WHERE id = $1',
        [x.p.token],
      );
      expect(rows[0]!.revoked).toBe(true);
    },
  },
  {
    route: 'DELETE /api/auth/tokens/:id',
    target: 'the system administrator’s machine token',
    tokens: 'refused',
    prepare: async (x) => ({ token: (await tokenFor(x.db, 'admin')).id }),
    req: (x) => ({ method: 'DELETE', url: `/api/auth/tokens/${x.p.token}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'bumen'], no(404, 'TOKEN_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (_res, x) => {
      const rows = await x.db.query<{ revoked: boolean }>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM api_tokens WHERE id = $1',
        [x.p.token],
      );
      expect(rows[0]!.revoked).toBe(true);
    },
  },

  // ---- org -------------------------------------------------------------------------------------------------
  {
    route: 'GET /api/org/roots',
    target: 'the top of each role’s tree',
    req: () => ({ method: 'GET', url: '/api/org/roots' }),
    expect: outcomes({
      admin: { has: ['oCounty', 'iCounty'] },
      countyadmin: { only: ['iCounty'] },
      bumen: { only: ['iCounty'] },
      jiedao: { only: ['iStreet'] },
      shequ: { only: ['iCommunity'] },
      wangge: { only: ['iGrid'] },
      louzhang: { only: ['iBuilding'] },
      ...each(NOBODY, { only: [] }),
    }),
  },
  {
    route: 'GET /api/org/nodes',
    target: 'the children of 邻安社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/org/nodes?parentId=${x.t.oCommunity}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: (res, x) => expect(itemIds(res.json())).toContain(x.t.oGrid),
  },
  {
    route: 'GET /api/org/nodes',
    target: 'the children of 东关社区 (above the grid worker and building leader)',
    req: (x) => ({ method: 'GET', url: `/api/org/nodes?parentId=${x.t.iCommunity}` }),
    expect: outcomes({ ok: ORG_READERS, rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: (res, x) => expect(itemIds(res.json())).toEqual(expect.arrayContaining([x.t.iGrid, x.t.iSiblingGrid])),
  },
  {
    route: 'GET /api/org/search',
    target: 'every 1号楼: one in 邻安县, one in each community of 泗源街道',
    req: () => ({ method: 'GET', url: `/api/org/search?q=${encodeURIComponent('1号楼')}` }),
    expect: outcomes({
      admin: { has: ['oBuilding', 'iBuilding'] },
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge', 'louzhang', 'bumen'], {
        has: ['iBuilding'],
        lacks: ['oBuilding'],
      }),
      ...each(NOBODY, { only: [] }),
    }),
  },
  {
    route: 'GET /api/org/nodes/:id',
    target: '邻安社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/org/nodes/${x.t.oCommunity}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: (res, x) => expect(res.json().id).toBe(x.t.oCommunity),
  },
  {
    route: 'GET /api/org/nodes/:id',
    target: '第二网格 of 东关社区 (beside the grid worker’s)',
    req: (x) => ({ method: 'GET', url: `/api/org/nodes/${x.t.iSiblingGrid}` }),
    expect: outcomes({ ok: ORG_READERS, rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: (res, x) => expect(res.json().id).toBe(x.t.iSiblingGrid),
  },
  {
    route: 'POST /api/org/nodes',
    target: 'a grid under 邻安社区 (outside)',
    req: (x) => ({
      method: 'POST',
      url: '/api/org/nodes',
      payload: { parentId: x.t.oCommunity, type: 'grid', name: `越权网格${x.n}` },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'ORG_PARENT_NOT_FOUND') }),
    ok: async (res, x) => expect(await orgNode(x, res.json().id)).toMatchObject({ parentId: x.t.oCommunity }),
  },
  {
    route: 'POST /api/org/nodes',
    target: 'a micro-grid under 第一网格 (the grid worker’s own grid)',
    req: (x) => ({
      method: 'POST',
      url: '/api/org/nodes',
      payload: { parentId: x.t.iGrid, type: 'micro_grid', name: `微网格${x.n}` },
    }),
    expect: outcomes({
      ok: MANAGERS,
      wangge: FORBIDDEN,
      bumen: FORBIDDEN,
      rest: no(404, 'ORG_PARENT_NOT_FOUND'),
    }),
    ok: async (res, x) => expect(await orgNode(x, res.json().id)).toMatchObject({ parentId: x.t.iGrid }),
  },
  {
    route: 'POST /api/org/nodes',
    target: 'a street under 泗源县 (the county the department reads)',
    req: (x) => ({
      method: 'POST',
      url: '/api/org/nodes',
      payload: { parentId: x.t.iCounty, type: 'street', name: `新街道${x.n}` },
    }),
    expect: outcomes({ ok: ['admin', 'countyadmin'], bumen: FORBIDDEN, rest: no(404, 'ORG_PARENT_NOT_FOUND') }),
    ok: async (res, x) => expect(await orgNode(x, res.json().id)).toMatchObject({ parentId: x.t.iCounty }),
  },
  {
    route: 'PATCH /api/org/nodes/:id',
    target: '邻安第一网格 (outside)',
    req: (x) => ({ method: 'PATCH', url: `/api/org/nodes/${x.t.oGrid}`, payload: { name: `改名${x.n}` } }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: async (_res, x) => {
      expect((await orgNode(x, x.t.oGrid)).name).toBe(`改名${x.n}`);
      await x.admin('PATCH', `/api/org/nodes/${x.t.oGrid}`, { name: '邻安第一网格' });
    },
  },
  {
    route: 'PATCH /api/org/nodes/:id',
    target: '第一网格 (the grid worker’s own grid)',
    req: (x) => ({ method: 'PATCH', url: `/api/org/nodes/${x.t.iGrid}`, payload: { name: `改名${x.n}` } }),
    expect: outcomes({
      ok: MANAGERS,
      wangge: FORBIDDEN,
      bumen: FORBIDDEN,
      rest: no(404, 'ORG_NODE_NOT_FOUND'),
    }),
    ok: async (_res, x) => {
      expect((await orgNode(x, x.t.iGrid)).name).toBe(`改名${x.n}`);
      await x.admin('PATCH', `/api/org/nodes/${x.t.iGrid}`, { name: '第一网格' });
    },
  },
  {
    route: 'POST /api/org/nodes/:id/move',
    target: 'a new grid of 邻安社区 (outside), to 东关社区',
    prepare: async (x) => ({ node: await freshNode(x, x.t.oCommunity, 'grid') }),
    req: (x) => ({ method: 'POST', url: `/api/org/nodes/${x.p.node}/move`, payload: { parentId: x.t.iCommunity } }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: async (_res, x) => expect((await orgNode(x, x.p.node!)).parentId).toBe(x.t.iCommunity),
  },
  {
    route: 'POST /api/org/nodes/:id/move',
    target: 'a new micro-grid of 第一网格, to 第二网格',
    prepare: async (x) => ({ node: await freshNode(x, x.t.iGrid, 'micro_grid') }),
    req: (x) => ({ method: 'POST', url: `/api/org/nodes/${x.p.node}/move`, payload: { parentId: x.t.iSiblingGrid } }),
    expect: outcomes({ ok: MANAGERS, wangge: FORBIDDEN, bumen: FORBIDDEN, rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: async (_res, x) => expect((await orgNode(x, x.p.node!)).parentId).toBe(x.t.iSiblingGrid),
  },
  {
    route: 'POST /api/org/nodes/:id/move',
    target: 'a new micro-grid of 第一网格, to a grid of 白石村 (outside 泗源街道)',
    prepare: async (x) => ({ node: await freshNode(x, x.t.iGrid, 'micro_grid') }),
    req: (x) => ({ method: 'POST', url: `/api/org/nodes/${x.p.node}/move`, payload: { parentId: x.t.iVillageGrid } }),
    expect: outcomes({
      ok: ['admin', 'countyadmin'],
      ...each(['jiedao', 'shequ'], no(404, 'ORG_PARENT_NOT_FOUND')),
      ...each(['wangge', 'bumen'], FORBIDDEN),
      rest: no(404, 'ORG_NODE_NOT_FOUND'),
    }),
    ok: async (_res, x) => expect((await orgNode(x, x.p.node!)).parentId).toBe(x.t.iVillageGrid),
  },
  {
    route: 'POST /api/org/nodes/:id/retire',
    target: 'a new grid of 邻安社区 (outside)',
    prepare: async (x) => ({ node: await freshNode(x, x.t.oCommunity, 'grid') }),
    req: (x) => ({ method: 'POST', url: `/api/org/nodes/${x.p.node}/retire` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: async (_res, x) => expect((await orgNode(x, x.p.node!)).status).toBe('retired'),
  },
  {
    route: 'POST /api/org/nodes/:id/retire',
    target: 'a new micro-grid of 第一网格',
    prepare: async (x) => ({ node: await freshNode(x, x.t.iGrid, 'micro_grid') }),
    req: (x) => ({ method: 'POST', url: `/api/org/nodes/${x.p.node}/retire` }),
    expect: outcomes({ ok: MANAGERS, wangge: FORBIDDEN, bumen: FORBIDDEN, rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: async (_res, x) => expect((await orgNode(x, x.p.node!)).status).toBe('retired'),
  },

  // ---- users -----------------------------------------------------------------------------------------------
  {
    route: 'GET /api/users',
    target: 'the mx_ accounts: in 邻安社区, 第一网格, 东关社区 and 泗源街道',
    req: () => ({ method: 'GET', url: '/api/users?q=mx_&pageSize=200' }),
    expect: outcomes({
      admin: { has: ['oUser', 'gridUser', 'peerUser', 'streetUser'] },
      ...each(['countyadmin', 'jiedao'], { has: ['gridUser', 'peerUser', 'streetUser'], lacks: ['oUser', 'oUser2'] }),
      shequ: { has: ['gridUser', 'peerUser'], lacks: ['oUser', 'oUser2', 'streetUser'] },
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/users',
    target: 'the accounts of 邻安社区 (outside), by nodeId',
    req: (x) => ({ method: 'GET', url: `/api/users?nodeId=${x.t.oCommunity}&pageSize=200` }),
    expect: outcomes({
      admin: { has: ['oUser', 'oUser2'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'POST /api/users',
    target: 'an account homed in 邻安社区 (outside)',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: '/api/users',
      payload: { username: `fx${x.n}`, displayName: '越权', password: 'Intrude@123', homeNodeId: x.t.oCommunity },
    }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res, x) =>
      expect(await x.admin('GET', `/api/users/${res.json().id}`)).toMatchObject({
        username: `fx${x.n}`,
        homeNodeId: x.t.oCommunity,
      }),
  },
  {
    route: 'POST /api/users',
    target: 'a grid worker of 第一网格',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        username: `fx${x.n}`,
        displayName: '新网格员',
        password: 'Grid@12345',
        homeNodeId: x.t.iGrid,
        posts: [{ nodeId: x.t.iGrid, role: 'grid_worker' }],
      },
    }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: async (res, x) =>
      expect(await x.admin('GET', `/api/users/${res.json().id}`)).toMatchObject({
        username: `fx${x.n}`,
        posts: [{ role: 'grid_worker', nodeId: x.t.iGrid }],
      }),
  },
  {
    route: 'POST /api/users',
    target: 'a community worker of 东关社区 (the community worker’s own rank)',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        username: `fx${x.n}`,
        displayName: '新社工',
        password: 'Peer@12345',
        homeNodeId: x.t.iCommunity,
        posts: [{ nodeId: x.t.iCommunity, role: 'community_worker' }],
      },
    }),
    expect: outcomes({ ok: REPORT_MANAGERS, shequ: no(403, 'ROLE_NOT_GRANTABLE'), rest: FORBIDDEN }),
    ok: async (res, x) =>
      expect(await x.admin('GET', `/api/users/${res.json().id}`)).toMatchObject({
        posts: [{ role: 'community_worker', nodeId: x.t.iCommunity }],
      }),
  },
  {
    route: 'GET /api/users/:id',
    target: 'mx_outsider, a community worker of 邻安社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/users/${x.t.oUser}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'USER_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res, x) => expect(res.json().id).toBe(x.t.oUser),
  },
  {
    route: 'GET /api/users/:id',
    target: 'mx_street, homed at 泗源街道 (above the community worker)',
    req: (x) => ({ method: 'GET', url: `/api/users/${x.t.streetUser}` }),
    expect: outcomes({ ok: REPORT_MANAGERS, shequ: no(404, 'USER_NOT_FOUND'), rest: FORBIDDEN }),
    ok: (res, x) => expect(res.json().id).toBe(x.t.streetUser),
  },
  {
    route: 'PATCH /api/users/:id',
    target: 'mx_outsider (outside)',
    tokens: 'refused',
    req: (x) => ({ method: 'PATCH', url: `/api/users/${x.t.oUser}`, payload: { displayName: `改名${x.n}` } }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'USER_NOT_FOUND') }),
    ok: async (_res, x) =>
      expect(await x.admin('GET', `/api/users/${x.t.oUser}`)).toMatchObject({ displayName: `改名${x.n}` }),
  },
  {
    route: 'PATCH /api/users/:id',
    target: 'mx_grid, a grid worker of 第一网格',
    tokens: 'refused',
    req: (x) => ({ method: 'PATCH', url: `/api/users/${x.t.gridUser}`, payload: { displayName: `改名${x.n}` } }),
    expect: outcomes({ ok: MANAGERS, rest: no(404, 'USER_NOT_FOUND') }),
    ok: async (_res, x) =>
      expect(await x.admin('GET', `/api/users/${x.t.gridUser}`)).toMatchObject({ displayName: `改名${x.n}` }),
  },
  {
    route: 'PATCH /api/users/:id',
    target: 'mx_peer, a community worker of 东关社区 (the community worker’s own rank)',
    tokens: 'refused',
    req: (x) => ({ method: 'PATCH', url: `/api/users/${x.t.peerUser}`, payload: { displayName: `改名${x.n}` } }),
    expect: outcomes({
      ok: REPORT_MANAGERS,
      shequ: no(403, 'USER_RANK_PROTECTED'),
      rest: no(404, 'USER_NOT_FOUND'),
    }),
    ok: async (_res, x) =>
      expect(await x.admin('GET', `/api/users/${x.t.peerUser}`)).toMatchObject({ displayName: `改名${x.n}` }),
  },
  {
    route: 'PATCH /api/users/:id',
    target: 'mx_grid’s account linked to 矩阵邻格居民 (a resident of 第二网格, in 东关社区)',
    tokens: 'refused',
    req: (x) => ({ method: 'PATCH', url: `/api/users/${x.t.gridUser}`, payload: { residentId: x.t.iSibRes } }),
    expect: outcomes({ ok: MANAGERS, rest: no(404, 'USER_NOT_FOUND') }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: x.t.gridUser, residentId: x.t.iSibRes });
      await x.admin('PATCH', `/api/users/${x.t.gridUser}`, { residentId: null });
    },
  },
  {
    route: 'PATCH /api/users/:id',
    target: 'mx_grid’s account linked to 矩阵外居民 (a resident of 邻安县, outside)',
    tokens: 'refused',
    req: (x) => ({ method: 'PATCH', url: `/api/users/${x.t.gridUser}`, payload: { residentId: x.t.oRes } }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'RESIDENT_NOT_FOUND')),
      rest: no(404, 'USER_NOT_FOUND'),
    }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: x.t.gridUser, residentId: x.t.oRes });
      await x.admin('PATCH', `/api/users/${x.t.gridUser}`, { residentId: null });
    },
  },
  {
    route: 'POST /api/users/:id/reset-password',
    target: 'mx_outsider2 of 邻安社区 (outside)',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: `/api/users/${x.t.oUser2}/reset-password`,
      payload: { newPassword: `Reset${x.n}pw` },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'USER_NOT_FOUND') }),
    ok: (_res, x) => expectTemporaryPassword(x, 'mx_outsider2', `Reset${x.n}pw`),
  },
  {
    route: 'POST /api/users/:id/reset-password',
    target: 'mx_grid, a grid worker of 第一网格',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: `/api/users/${x.t.gridUser}/reset-password`,
      payload: { newPassword: `Reset${x.n}pw` },
    }),
    expect: outcomes({ ok: MANAGERS, rest: no(404, 'USER_NOT_FOUND') }),
    ok: (_res, x) => expectTemporaryPassword(x, 'mx_grid', `Reset${x.n}pw`),
  },
  {
    route: 'POST /api/users/:id/unlock',
    target: 'mx_outsider2, locked (outside)',
    tokens: 'refused',
    prepare: (x) => lockUser(x, x.t.oUser2),
    req: (x) => ({ method: 'POST', url: `/api/users/${x.t.oUser2}/unlock` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'USER_NOT_FOUND') }),
    ok: (_res, x) => expectUnlocked(x, x.t.oUser2),
  },
  {
    route: 'POST /api/users/:id/unlock',
    target: 'mx_grid, locked',
    tokens: 'refused',
    prepare: (x) => lockUser(x, x.t.gridUser),
    req: (x) => ({ method: 'POST', url: `/api/users/${x.t.gridUser}/unlock` }),
    expect: outcomes({ ok: MANAGERS, rest: no(404, 'USER_NOT_FOUND') }),
    ok: (_res, x) => expectUnlocked(x, x.t.gridUser),
  },
  {
    route: 'POST /api/users/:id/unlock',
    target: 'mx_peer, locked (the community worker’s own rank)',
    tokens: 'refused',
    prepare: (x) => lockUser(x, x.t.peerUser),
    req: (x) => ({ method: 'POST', url: `/api/users/${x.t.peerUser}/unlock` }),
    expect: outcomes({
      ok: REPORT_MANAGERS,
      shequ: no(403, 'USER_RANK_PROTECTED'),
      rest: no(404, 'USER_NOT_FOUND'),
    }),
    ok: (_res, x) => expectUnlocked(x, x.t.peerUser),
  },
  {
    route: 'POST /api/users/:id/posts',
    target: 'mx_outsider, a grid worker post at 邻安第一网格 (outside)',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: `/api/users/${x.t.oUser}/posts`,
      payload: { nodeId: x.t.oGrid, role: 'grid_worker' },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'USER_NOT_FOUND') }),
    ok: (_res, x) => expectPostAdded(x, x.t.oUser, x.t.oGrid, 'grid_worker'),
  },
  {
    route: 'POST /api/users/:id/posts',
    target: 'mx_grid, a building leader post at 1号楼',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: `/api/users/${x.t.gridUser}/posts`,
      payload: { nodeId: x.t.iBuilding, role: 'building_leader' },
    }),
    expect: outcomes({ ok: MANAGERS, rest: no(404, 'USER_NOT_FOUND') }),
    ok: (_res, x) => expectPostAdded(x, x.t.gridUser, x.t.iBuilding, 'building_leader'),
  },
  {
    route: 'POST /api/users/:id/posts',
    target: 'mx_grid, a community worker post at 东关社区 (the community worker’s own rank)',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: `/api/users/${x.t.gridUser}/posts`,
      payload: { nodeId: x.t.iCommunity, role: 'community_worker' },
    }),
    expect: outcomes({
      ok: REPORT_MANAGERS,
      shequ: no(403, 'ROLE_NOT_GRANTABLE'),
      rest: no(404, 'USER_NOT_FOUND'),
    }),
    ok: (_res, x) => expectPostAdded(x, x.t.gridUser, x.t.iCommunity, 'community_worker'),
  },
  {
    route: 'DELETE /api/users/:id/posts/:postId',
    target: 'mx_outsider’s building leader post at 邻安1号楼 (outside)',
    tokens: 'refused',
    prepare: (x) => addPost(x, x.t.oUser, x.t.oBuilding, 'building_leader'),
    req: (x) => ({ method: 'DELETE', url: `/api/users/${x.t.oUser}/posts/${x.p.post}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'USER_NOT_FOUND') }),
    ok: async (_res, x) => expect(idsOf((await account(x, x.t.oUser)).posts)).not.toContain(x.p.post),
  },
  {
    route: 'DELETE /api/users/:id/posts/:postId',
    target: 'mx_grid’s building leader post at 1号楼',
    tokens: 'refused',
    prepare: (x) => addPost(x, x.t.gridUser, x.t.iBuilding, 'building_leader'),
    req: (x) => ({ method: 'DELETE', url: `/api/users/${x.t.gridUser}/posts/${x.p.post}` }),
    expect: outcomes({ ok: MANAGERS, rest: no(404, 'USER_NOT_FOUND') }),
    ok: async (_res, x) => expect(idsOf((await account(x, x.t.gridUser)).posts)).not.toContain(x.p.post),
  },
  {
    route: 'POST /api/users/:id/reveal',
    target: 'mx_outsider’s phone (outside)',
    req: (x) => ({
      method: 'POST',
      url: `/api/users/${x.t.oUser}/reveal`,
      payload: { field: 'phone', reason: '核实身份' },
    }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'USER_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res, x) => expect(res.json().value).toBe(x.t.oUserPhone),
  },
  {
    route: 'POST /api/users/:id/reveal',
    target: 'mx_grid’s phone',
    req: (x) => ({
      method: 'POST',
      url: `/api/users/${x.t.gridUser}/reveal`,
      payload: { field: 'phone', reason: '核实身份' },
    }),
    expect: outcomes({ ok: MANAGERS, wangge: no(404, 'USER_NOT_FOUND'), rest: FORBIDDEN }),
    ok: (res, x) => expect(res.json().value).toBe(x.t.gridUserPhone),
  },

  // ---- audit -----------------------------------------------------------------------------------------------
  {
    route: 'GET /api/audit',
    target: 'three entries: in 邻安社区, in 第一网格, and one with no place',
    req: () => ({ method: 'GET', url: '/api/audit?action=matrix.probe&pageSize=200' }),
    expect: outcomes({
      admin: { only: ['auditOut', 'auditIn', 'auditNone'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], { only: ['auditIn'] }),
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/audit',
    target: 'the entries about 邻安社区 (outside), by nodeId',
    req: (x) => ({ method: 'GET', url: `/api/audit?action=matrix.probe&nodeId=${x.t.oCommunity}&pageSize=200` }),
    expect: outcomes({
      admin: { only: ['auditOut'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/audit',
    target: 'the entries about 第一网格, by nodeId',
    req: (x) => ({ method: 'GET', url: `/api/audit?action=matrix.probe&nodeId=${x.t.iGrid}&pageSize=200` }),
    expect: outcomes({
      ...each(['admin', 'countyadmin', 'jiedao', 'shequ'], { only: ['auditIn'] }),
      rest: FORBIDDEN,
    }),
  },

  // ---- people ----------------------------------------------------------------------------------------------
  {
    route: 'GET /api/people/residents',
    target: 'residents named 矩阵…: in 邻安县, in 1号楼, in 第二网格',
    req: () => ({ method: 'GET', url: `/api/people/residents?q=${encodeURIComponent('矩阵')}&pageSize=100` }),
    expect: outcomes({
      admin: { only: ['oRes', 'iRes', 'iSibRes'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], { only: ['iRes', 'iSibRes'] }),
      ...each(['wangge', 'louzhang'], { only: ['iRes'] }),
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/people/residents',
    target: 'the residents of 邻安社区 (outside), by nodeId',
    req: (x) => ({ method: 'GET', url: `/api/people/residents?nodeId=${x.t.oCommunity}&pageSize=100` }),
    expect: outcomes({
      admin: { has: ['oRes'], lacks: ['iRes'] },
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge', 'louzhang'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'POST /api/people/residents',
    target: 'a resident of 邻安第一网格 (outside)',
    req: (x) => ({
      method: 'POST',
      url: '/api/people/residents',
      payload: { name: `新居民${x.n}`, idNumber: idNo(x.n), nodeId: x.t.oGrid },
    }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res, x) => expect((await resident(x, res.json().id)).nodeId).toBe(x.t.oGrid),
  },
  {
    route: 'POST /api/people/residents',
    target: 'a resident of 1号楼 (the building leader’s own building)',
    req: (x) => ({
      method: 'POST',
      url: '/api/people/residents',
      payload: { name: `新居民${x.n}`, idNumber: idNo(x.n), nodeId: x.t.iBuilding },
    }),
    expect: outcomes({ ok: PEOPLE_WRITERS, rest: FORBIDDEN }),
    ok: async (res, x) => expect((await resident(x, res.json().id)).nodeId).toBe(x.t.iBuilding),
  },
  {
    route: 'POST /api/people/residents',
    target: 'a resident of 第二网格 (beside the grid worker’s)',
    req: (x) => ({
      method: 'POST',
      url: '/api/people/residents',
      payload: { name: `新居民${x.n}`, idNumber: idNo(x.n), nodeId: x.t.iSiblingGrid },
    }),
    expect: outcomes({ ok: MANAGERS, wangge: no(404, 'ORG_NODE_NOT_FOUND'), rest: FORBIDDEN }),
    ok: async (res, x) => expect((await resident(x, res.json().id)).nodeId).toBe(x.t.iSiblingGrid),
  },
  {
    route: 'GET /api/people/residents/:id',
    target: '矩阵外居民 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/people/residents/${x.t.oRes}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.oRes, name: '矩阵外居民' }),
  },
  {
    route: 'GET /api/people/residents/:id',
    target: '矩阵内居民 of 1号楼',
    req: (x) => ({ method: 'GET', url: `/api/people/residents/${x.t.iRes}` }),
    expect: outcomes({ ok: PEOPLE_READERS, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    // The building leader sees the name masked.
    ok: (res, x) =>
      expect(res.json()).toMatchObject({
        id: x.t.iRes,
        name: x.user === 'louzhang' ? maskName('矩阵内居民') : '矩阵内居民',
      }),
  },
  {
    route: 'PATCH /api/people/residents/:id',
    target: '矩阵外居民 (outside)',
    req: (x) => ({
      method: 'PATCH',
      url: `/api/people/residents/${x.t.oRes}`,
      payload: { currentAddress: `地址${x.n}` },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect((await resident(x, x.t.oRes)).currentAddress).toBe(`地址${x.n}`),
  },
  {
    route: 'PATCH /api/people/residents/:id',
    target: '矩阵内居民 of 1号楼 (the building leader’s own building)',
    req: (x) => ({
      method: 'PATCH',
      url: `/api/people/residents/${x.t.iRes}`,
      payload: { currentAddress: `地址${x.n}` },
    }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect((await resident(x, x.t.iRes)).currentAddress).toBe(`地址${x.n}`),
  },
  {
    route: 'POST /api/people/residents/:id/leave',
    target: 'a new resident of 邻安1号楼 (outside)',
    prepare: async (x) => ({ res: await freshResident(x, x.t.oBuilding) }),
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.p.res}/leave`,
      payload: { reason: 'moved_out', on: '2026-01-02' },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect((await resident(x, x.p.res!)).status).toBe('moved_out'),
  },
  {
    route: 'POST /api/people/residents/:id/leave',
    target: 'a new resident of 1号楼 (the building leader’s own building)',
    prepare: async (x) => ({ res: await freshResident(x, x.t.iBuilding) }),
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.p.res}/leave`,
      payload: { reason: 'moved_out', on: '2026-01-02' },
    }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect((await resident(x, x.p.res!)).status).toBe('moved_out'),
  },
  {
    route: 'POST /api/people/residents/:id/tags',
    target: '党员 on 矩阵外居民 (outside)',
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.t.oRes}/tags`,
      payload: { tagId: x.t.partyTag, reason: '组织关系转入' },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: (_res, x) => expectTagSet(x, x.t.oRes),
  },
  {
    route: 'POST /api/people/residents/:id/tags',
    target: '党员 on 矩阵内居民 of 1号楼 (the building leader’s own building)',
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.t.iRes}/tags`,
      payload: { tagId: x.t.partyTag, reason: '组织关系转入' },
    }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: (_res, x) => expectTagSet(x, x.t.iRes),
  },
  {
    route: 'DELETE /api/people/residents/:id/tags/:tagId',
    target: '志愿者 of 矩阵外居民 (outside)',
    prepare: (x) => holdTag(x, x.t.oRes),
    req: (x) => ({ method: 'DELETE', url: `/api/people/residents/${x.t.oRes}/tags/${x.t.volunteerTag}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect(idsOf((await resident(x, x.t.oRes)).tags)).not.toContain(x.t.volunteerTag),
  },
  {
    route: 'DELETE /api/people/residents/:id/tags/:tagId',
    target: '志愿者 of 矩阵内居民 of 1号楼 (the building leader’s own building)',
    prepare: (x) => holdTag(x, x.t.iRes),
    req: (x) => ({ method: 'DELETE', url: `/api/people/residents/${x.t.iRes}/tags/${x.t.volunteerTag}` }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect(idsOf((await resident(x, x.t.iRes)).tags)).not.toContain(x.t.volunteerTag),
  },
  {
    route: 'POST /api/people/residents/:id/contacts',
    target: 'a contact of 矩阵外居民 (outside)',
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.t.oRes}/contacts`,
      payload: { name: `家属${x.n}`, relation: '子女', phone: '13905370000' },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect((await resident(x, x.t.oRes)).contacts.map((c) => c.name)).toContain(`家属${x.n}`),
  },
  {
    route: 'POST /api/people/residents/:id/contacts',
    target: 'a contact of 矩阵内居民 of 1号楼 (the building leader’s own building)',
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.t.iRes}/contacts`,
      payload: { name: `家属${x.n}`, relation: '子女', phone: '13905370000' },
    }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect((await resident(x, x.t.iRes)).contacts.map((c) => c.name)).toContain(`家属${x.n}`),
  },
  {
    route: 'DELETE /api/people/residents/:id/contacts/:contactId',
    target: 'a new contact of 矩阵外居民 (outside)',
    prepare: (x) => freshContact(x, x.t.oRes),
    req: (x) => ({ method: 'DELETE', url: `/api/people/residents/${x.t.oRes}/contacts/${x.p.contact}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect(idsOf((await resident(x, x.t.oRes)).contacts)).not.toContain(x.p.contact),
  },
  {
    route: 'DELETE /api/people/residents/:id/contacts/:contactId',
    target: 'a new contact of 矩阵内居民 of 1号楼 (the building leader’s own building)',
    prepare: (x) => freshContact(x, x.t.iRes),
    req: (x) => ({ method: 'DELETE', url: `/api/people/residents/${x.t.iRes}/contacts/${x.p.contact}` }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect(idsOf((await resident(x, x.t.iRes)).contacts)).not.toContain(x.p.contact),
  },
  {
    route: 'POST /api/people/residents/:id/reveal',
    target: 'the ID number of 矩阵外居民 (outside)',
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.t.oRes}/reveal`,
      payload: { field: 'idNumber', reason: '核实身份' },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: (res, x) => expect(res.json().value).toBe(x.t.oResId),
  },
  {
    route: 'POST /api/people/residents/:id/reveal',
    target: 'the ID number of 矩阵内居民 of 1号楼 (the building leader’s own building)',
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.t.iRes}/reveal`,
      payload: { field: 'idNumber', reason: '核实身份' },
    }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: (res, x) => expect(res.json().value).toBe(x.t.iResId),
  },
  {
    route: 'POST /api/people/households',
    target: 'a household in 邻安1号楼 (outside)',
    req: (x) => ({ method: 'POST', url: '/api/people/households', payload: { nodeId: x.t.oBuilding } }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: async (res, x) =>
      expect(await x.admin('GET', `/api/people/households/${res.json().id}`)).toMatchObject({
        nodeId: x.t.oBuilding,
      }),
  },
  {
    route: 'POST /api/people/households',
    target: 'a household in 1号楼 (the building leader’s own building)',
    req: (x) => ({ method: 'POST', url: '/api/people/households', payload: { nodeId: x.t.iBuilding } }),
    expect: outcomes({
      ok: PEOPLE_WRITERS,
      ...each(['louzhang', 'bumen'], FORBIDDEN),
      rest: no(404, 'ORG_NODE_NOT_FOUND'),
    }),
    ok: async (res, x) =>
      expect(await x.admin('GET', `/api/people/households/${res.json().id}`)).toMatchObject({
        nodeId: x.t.iBuilding,
      }),
  },
  {
    route: 'GET /api/people/households/:id',
    target: 'the household of 矩阵外居民 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/people/households/${x.t.oHousehold}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'HOUSEHOLD_NOT_FOUND') }),
    ok: (res, x) => expect(idsOf(res.json().members)).toContain(x.t.oRes),
  },
  {
    route: 'GET /api/people/households/:id',
    target: 'the household of 矩阵内居民 in 1号楼',
    req: (x) => ({ method: 'GET', url: `/api/people/households/${x.t.iHousehold}` }),
    expect: outcomes({ ok: PEOPLE_READERS, rest: no(404, 'HOUSEHOLD_NOT_FOUND') }),
    ok: (res, x) => expect(idsOf(res.json().members)).toContain(x.t.iRes),
  },
  {
    route: 'POST /api/people/households/:id/members',
    target: 'a new resident into the household of 矩阵外居民 (outside)',
    prepare: async (x) => ({ res: await freshResident(x, x.t.oBuilding) }),
    req: (x) => ({
      method: 'POST',
      url: `/api/people/households/${x.t.oHousehold}/members`,
      payload: { residentId: x.p.res, relation: 'child' },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'HOUSEHOLD_NOT_FOUND') }),
    ok: async (_res, x) => expect(await membersOf(x, x.t.oHousehold)).toContain(x.p.res),
  },
  {
    route: 'POST /api/people/households/:id/members',
    target: 'a new resident into the household of 矩阵内居民 (the building leader’s own building)',
    prepare: async (x) => ({ res: await freshResident(x, x.t.iBuilding) }),
    req: (x) => ({
      method: 'POST',
      url: `/api/people/households/${x.t.iHousehold}/members`,
      payload: { residentId: x.p.res, relation: 'child' },
    }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'HOUSEHOLD_NOT_FOUND') }),
    ok: async (_res, x) => expect(await membersOf(x, x.t.iHousehold)).toContain(x.p.res),
  },
  {
    route: 'POST /api/people/houses',
    target: 'a room in 邻安1号楼 (outside)',
    req: (x) => ({ method: 'POST', url: '/api/people/houses', payload: { nodeId: x.t.oBuilding, roomNo: `R${x.n}` } }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: async (res, x) =>
      expect(await x.admin('GET', `/api/people/houses/${res.json().id}`)).toMatchObject({
        nodeId: x.t.oBuilding,
        roomNo: `R${x.n}`,
      }),
  },
  {
    route: 'POST /api/people/houses',
    target: 'a room in 1号楼 (the building leader’s own building)',
    req: (x) => ({ method: 'POST', url: '/api/people/houses', payload: { nodeId: x.t.iBuilding, roomNo: `R${x.n}` } }),
    expect: outcomes({
      ok: PEOPLE_WRITERS,
      ...each(['louzhang', 'bumen'], FORBIDDEN),
      rest: no(404, 'ORG_NODE_NOT_FOUND'),
    }),
    ok: async (res, x) =>
      expect(await x.admin('GET', `/api/people/houses/${res.json().id}`)).toMatchObject({
        nodeId: x.t.iBuilding,
        roomNo: `R${x.n}`,
      }),
  },
  {
    route: 'GET /api/people/houses/:id',
    target: 'room 101 of 邻安1号楼 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/people/houses/${x.t.oHouse}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'HOUSE_NOT_FOUND') }),
    ok: (res, x) => expect(idsOf(res.json().residents)).toContain(x.t.oRes),
  },
  {
    route: 'GET /api/people/houses/:id',
    target: 'room 101 of 1号楼',
    req: (x) => ({ method: 'GET', url: `/api/people/houses/${x.t.iHouse}` }),
    expect: outcomes({ ok: PEOPLE_READERS, rest: no(404, 'HOUSE_NOT_FOUND') }),
    ok: (res, x) => expect(idsOf(res.json().residents)).toContain(x.t.iRes),
  },
  {
    route: 'PATCH /api/people/houses/:id',
    target: 'room 101 of 邻安1号楼 (outside)',
    req: (x) => ({ method: 'PATCH', url: `/api/people/houses/${x.t.oHouse}`, payload: { address: `地址${x.n}` } }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'HOUSE_NOT_FOUND') }),
    ok: async (_res, x) =>
      expect(await x.admin('GET', `/api/people/houses/${x.t.oHouse}`)).toMatchObject({ address: `地址${x.n}` }),
  },
  {
    route: 'PATCH /api/people/houses/:id',
    target: 'room 101 of 1号楼 (the building leader’s own building)',
    req: (x) => ({ method: 'PATCH', url: `/api/people/houses/${x.t.iHouse}`, payload: { address: `地址${x.n}` } }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'HOUSE_NOT_FOUND') }),
    ok: async (_res, x) =>
      expect(await x.admin('GET', `/api/people/houses/${x.t.iHouse}`)).toMatchObject({ address: `地址${x.n}` }),
  },
  {
    route: 'GET /api/people/buildings/:id/map',
    target: '邻安1号楼 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/people/buildings/${x.t.oBuilding}/map` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge', 'louzhang'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res, x) => expect(houseIdsOfMap(res.json())).toContain(x.t.oHouse),
  },
  {
    route: 'GET /api/people/buildings/:id/map',
    target: '1号楼 (the building leader’s own)',
    req: (x) => ({ method: 'GET', url: `/api/people/buildings/${x.t.iBuilding}/map` }),
    expect: outcomes({ ok: PEOPLE_READERS, rest: FORBIDDEN }),
    ok: (res, x) => expect(houseIdsOfMap(res.json())).toContain(x.t.iHouse),
  },
  {
    route: 'GET /api/people/tags',
    target: 'the dictionary’s holder counts: mx_out is held in 邻安县 only, mx_in in 1号楼 only',
    req: () => ({ method: 'GET', url: '/api/people/tags' }),
    // The tags with holders in the caller's area.
    items: (body) => idsOf((body as { items: { holders: number | null }[] }).items.filter((i) => (i.holders ?? 0) > 0)),
    expect: outcomes({
      admin: { has: ['tagOut', 'tagIn'] },
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge', 'louzhang'], { has: ['tagIn'], lacks: ['tagOut'] }),
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'POST /api/people/tags',
    target: 'a tag of the dictionary every county shares',
    req: (x) => ({
      method: 'POST',
      url: '/api/people/tags',
      payload: { code: `mx_new${x.n}`, name: `新标签${x.n}`, sensitive: false },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      const tags = await x.admin<{ items: { id: number; code: string }[] }>('GET', '/api/people/tags');
      expect(tags.items.find((i) => i.id === res.json().id)?.code).toBe(`mx_new${x.n}`);
    },
  },
  {
    route: 'PATCH /api/people/tags/:id',
    target: 'a tag of the dictionary every county shares',
    req: (x) => ({ method: 'PATCH', url: `/api/people/tags/${x.t.tagSpare}`, payload: { name: `改名${x.n}` } }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (_res, x) => {
      const tags = await x.admin<{ items: { id: number; name: string }[] }>('GET', '/api/people/tags');
      expect(tags.items.find((i) => i.id === x.t.tagSpare)?.name).toBe(`改名${x.n}`);
    },
  },
  {
    route: 'DELETE /api/people/tags/:id',
    target: 'a new tag of the dictionary every county shares',
    prepare: async (x) => ({
      tag: (
        await x.admin<{ id: number }>('POST', '/api/people/tags', {
          code: `mx_del${x.n}`,
          name: `删标签${x.n}`,
          sensitive: false,
        })
      ).id,
    }),
    req: (x) => ({ method: 'DELETE', url: `/api/people/tags/${x.p.tag}` }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (_res, x) => {
      const tags = await x.admin<{ items: { id: number }[] }>('GET', '/api/people/tags');
      expect(idsOf(tags.items)).not.toContain(x.p.tag);
    },
  },
  {
    route: 'POST /api/people/tags/refresh',
    target: 'the derived tags of every county',
    req: () => ({ method: 'POST', url: '/api/people/tags/refresh' }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toEqual({ added: expect.any(Number), removed: expect.any(Number) });
      const audit = await x.admin<{ items: { actorId: number }[] }>('GET', '/api/audit?action=tag.refresh&pageSize=1');
      expect(audit.items[0]?.actorId).toBe(await userId(x.db, x.as));
    },
  },

  // ---- background jobs (后台任务): the installation's own, so the system administrator's alone -------------------
  {
    route: 'GET /api/jobs/queues',
    target: 'the queues, the matrix probe queue among them (one failed job)',
    prepare: async (x) => probeJob(x, 'failed'),
    req: () => ({ method: 'GET', url: '/api/jobs/queues' }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: (res) => {
      const probe = (res.json().items as { name: string; counts: { failed: number } }[]).find(
        (q) => q.name === 'matrix.probe',
      );
      expect(probe?.counts.failed).toBeGreaterThanOrEqual(1);
    },
  },
  {
    route: 'GET /api/jobs',
    target: 'the failed jobs of the matrix probe queue',
    prepare: async (x) => probeJob(x, 'failed'),
    req: () => ({ method: 'GET', url: '/api/jobs?queue=matrix.probe&state=failed&pageSize=200' }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: (res, x) => {
      const item = (res.json().items as { id: string; error: { message: string } }[]).find(
        (i) => i.id === probeJobIds[x.p.job!],
      );
      expect(item?.error.message).toBe('matrix probe failure');
    },
  },
  {
    route: 'POST /api/jobs/:id/retry',
    target: 'a failed job of the matrix probe queue',
    prepare: async (x) => probeJob(x, 'failed'),
    req: (x) => ({ method: 'POST', url: `/api/jobs/${probeJobIds[x.p.job!]}/retry` }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: probeJobIds[x.p.job!], state: 'retry' });
      const [row] = await x.db.query<{ state: string }>('SELECT state::text AS state FROM pgboss.job WHERE id = $1', [
        probeJobIds[x.p.job!],
      ]);
      expect(row?.state).toBe('retry');
    },
  },
  {
    route: 'POST /api/jobs/:id/cancel',
    target: 'a queued job of the matrix probe queue',
    prepare: async (x) => probeJob(x, 'created'),
    req: (x) => ({ method: 'POST', url: `/api/jobs/${probeJobIds[x.p.job!]}/cancel` }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: probeJobIds[x.p.job!], state: 'cancelled' });
      const [row] = await x.db.query<{ state: string }>('SELECT state::text AS state FROM pgboss.job WHERE id = $1', [
        probeJobIds[x.p.job!],
      ]);
      expect(row?.state).toBe('cancelled');
    },
  },

  // ---- move-in requests (迁入申请) ----------------------------------------------------------------------------
  // A request is read by its requester and by whoever holds people.write over the community holding the person
  // (who alone decides it); to anyone else it does not exist.
  {
    route: 'GET /api/people/move-in-requests',
    target: 'incoming: requests about people held in 邻安二社区, 东关社区 and 邻安社区',
    req: () => ({ method: 'GET', url: '/api/people/move-in-requests?pageSize=200' }),
    expect: outcomes({
      admin: { has: ['mvOut', 'mvIn', 'mvCross'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], { has: ['mvIn'], lacks: ['mvOut', 'mvCross'] }),
      // A grid worker writes people, but holds no community: nothing comes in.
      wangge: { only: [] },
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/people/move-in-requests',
    target: 'outgoing: the grid worker’s requests (to 东关社区 and 邻安社区) and mx_outsider’s',
    req: () => ({ method: 'GET', url: '/api/people/move-in-requests?box=outgoing&pageSize=200' }),
    expect: outcomes({
      wangge: { has: ['mvIn', 'mvCross'], lacks: ['mvOut'] },
      rest: { only: [] },
    }),
  },
  {
    route: 'GET /api/people/move-in-requests/:id',
    target: 'mx_outsider’s request about a person held in 邻安二社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/people/move-in-requests/${x.t.mvOut}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'MOVE_IN_REQUEST_NOT_FOUND') }),
    ok: (res, x) => expectMoveInView(res, x, x.t.mvOut, x.t.mvOutRes),
  },
  {
    route: 'GET /api/people/move-in-requests/:id',
    target: 'the grid worker’s request about a person held in 东关社区 (第二网格)',
    req: (x) => ({ method: 'GET', url: `/api/people/move-in-requests/${x.t.mvIn}` }),
    expect: outcomes({ ok: [...MANAGERS, 'wangge'], rest: no(404, 'MOVE_IN_REQUEST_NOT_FOUND') }),
    ok: (res, x) => expectMoveInView(res, x, x.t.mvIn, x.t.mvInRes),
  },
  {
    route: 'GET /api/people/move-in-requests/:id',
    target: 'the grid worker’s request about a person held in 邻安社区 (outside all but its requester)',
    req: (x) => ({ method: 'GET', url: `/api/people/move-in-requests/${x.t.mvCross}` }),
    expect: outcomes({ ok: ['admin', 'wangge'], rest: no(404, 'MOVE_IN_REQUEST_NOT_FOUND') }),
    ok: (res, x) => expectMoveInView(res, x, x.t.mvCross, x.t.mvCrossRes),
  },
  // Accept and decline alike, for each request: the holder decides, the requester may not, nobody else sees it.
  ...(
    [
      {
        about: 'a new request of mx_outsider about a person held in 邻安二社区 (outside)',
        requester: 'mx_outsider',
        held: 'oGrid2',
        dest: 'oGrid',
        holders: ['admin'],
      },
      {
        about: 'a new request of the grid worker about a person held in 东关社区 (第二网格)',
        requester: 'wangge',
        held: 'iSiblingGrid',
        dest: 'iGrid',
        holders: MANAGERS,
      },
      {
        about: 'a new request of the grid worker about a person held in 邻安社区 (outside)',
        requester: 'wangge',
        held: 'oGrid',
        dest: 'iGrid',
        holders: ['admin'],
      },
    ] as const
  ).flatMap((r) =>
    (['accept', 'decline'] as const).map(
      (action): Case => ({
        route: `POST /api/people/move-in-requests/:id/${action}`,
        target: r.about,
        prepare: (x) => fileMoveIn(x, r.requester, x.t[r.held], x.t[r.dest]),
        req: (x) => ({
          method: 'POST',
          url: `/api/people/move-in-requests/${x.p.req}/${action}`,
          payload: action === 'accept' ? ACCEPT : DECLINE,
        }),
        expect: outcomes({
          ok: r.holders,
          ...(r.requester === 'wangge' ? { wangge: FORBIDDEN } : {}),
          rest: no(404, 'MOVE_IN_REQUEST_NOT_FOUND'),
        }),
        // Accepted, the person lives at the destination; declined, they stay where they are held.
        ok: (res, x) =>
          action === 'accept' ? expectAccepted(res, x, x.t[r.dest]) : expectDeclined(res, x, x.t[r.held]),
      }),
    ),
  ),

  // ---- people import ---------------------------------------------------------------------------------------
  {
    route: 'GET /api/people/imports/template',
    target: 'the template, its example row placed in the caller’s area',
    req: () => ({ method: 'GET', url: '/api/people/imports/template' }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: async (res, x) => {
      const [header, example] = await readSheet(res.rawPayload);
      const community = example![header!.indexOf('社区')];
      // Where the caller imports (the system administrator: anywhere).
      const root = x.user === 'admin' ? null : POST_NODE[x.user](x.t);
      const rows = await x.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM org_nodes c
          WHERE c.name = $1 AND c.type IN ('community', 'village')
            AND ($2::bigint IS NULL OR c.path LIKE (SELECT path FROM org_nodes WHERE id = $2) || '%')`,
        [community, root],
      );
      expect(rows[0]!.n, `example community ${String(community)}`).toBeGreaterThan(0);
    },
  },
  {
    route: 'POST /api/people/imports',
    target: 'a file for 邻安社区 (outside)',
    req: (x) => ({
      method: 'POST',
      url: '/api/people/imports',
      ...importForm(x.t.oCommunity, ...PLACES.o, [[`导入${x.n}`, idNo(x.n)]]),
    }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res, x) =>
      expect(await importView(x, res.json().import.id)).toMatchObject({ status: 'validated', rowsValid: 1 }),
  },
  {
    route: 'POST /api/people/imports',
    target: 'a file for 东关社区',
    req: (x) => ({
      method: 'POST',
      url: '/api/people/imports',
      ...importForm(x.t.iCommunity, ...PLACES.i, [[`导入${x.n}`, idNo(x.n)]]),
    }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: async (res, x) =>
      expect(await importView(x, res.json().import.id)).toMatchObject({ status: 'validated', rowsValid: 1 }),
  },
  {
    route: 'GET /api/people/imports',
    target: 'the caller’s own imports, not mx_outsider’s or another manager’s',
    req: () => ({ method: 'GET', url: '/api/people/imports' }),
    expect: outcomes({
      admin: { has: ['impAdmin'], lacks: ['oImport', 'impCommunity'] },
      countyadmin: { has: ['impCounty'], lacks: ['oImport', 'impAdmin'] },
      jiedao: { has: ['impStreet'], lacks: ['oImport', 'impCommunity'] },
      shequ: { has: ['impCommunity'], lacks: ['oImport', 'impStreet'] },
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/people/imports/:id',
    target: 'an import of mx_outsider (outside)',
    req: (x) => ({ method: 'GET', url: `/api/people/imports/${x.t.oImport}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'IMPORT_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res, x) => expect(res.json().import.id).toBe(x.t.oImport),
  },
  {
    route: 'GET /api/people/imports/:id',
    target: 'an import of the street administrator (above the community worker)',
    req: (x) => ({ method: 'GET', url: `/api/people/imports/${x.t.impStreet}` }),
    expect: outcomes({ ok: REPORT_MANAGERS, shequ: no(404, 'IMPORT_NOT_FOUND'), rest: FORBIDDEN }),
    ok: (res, x) => expect(res.json().import.id).toBe(x.t.impStreet),
  },
  {
    route: 'GET /api/people/imports/:id/errors.xlsx',
    target: 'the error report of an import by mx_outsider (outside)',
    req: (x) => ({ method: 'GET', url: `/api/people/imports/${x.t.oImportReal}/errors.xlsx` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'IMPORT_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res, x) => expect((await readSheet(res.rawPayload)).flat()).toContain(x.t.oImportBad),
  },
  {
    route: 'GET /api/people/imports/:id/errors.xlsx',
    target: 'the error report of an import by the community worker into 东关社区',
    req: (x) => ({ method: 'GET', url: `/api/people/imports/${x.t.iImportReal}/errors.xlsx` }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: async (res, x) => expect((await readSheet(res.rawPayload)).flat()).toContain(x.t.iImportBad),
  },
  {
    route: 'POST /api/people/imports/:id/commit',
    target: 'a new import of mx_outsider (outside)',
    prepare: async (x) => ({ imp: await x.upload('mx_outsider', x.t.oCommunity, [[`导入${x.n}`, idNo(x.n)]]) }),
    req: (x) => ({ method: 'POST', url: `/api/people/imports/${x.p.imp}/commit` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'IMPORT_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (_res, x) =>
      expect(await importView(x, x.p.imp!)).toMatchObject({ status: 'committed', rowsInserted: 1 }),
  },
  {
    route: 'POST /api/people/imports/:id/commit',
    target: 'a new import of the community worker into 东关社区',
    prepare: async (x) => ({ imp: await x.upload('shequ', x.t.iCommunity, [[`导入${x.n}`, idNo(x.n)]]) }),
    req: (x) => ({ method: 'POST', url: `/api/people/imports/${x.p.imp}/commit` }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: async (_res, x) =>
      expect(await importView(x, x.p.imp!)).toMatchObject({ status: 'committed', rowsInserted: 1 }),
  },

  {
    route: 'DELETE /api/people/imports/:id',
    target: 'a new validated import of mx_outsider (outside)',
    prepare: async (x) => ({ imp: await x.upload('mx_outsider', x.t.oCommunity, [[`导入${x.n}`, idNo(x.n)]]) }),
    req: (x) => ({ method: 'DELETE', url: `/api/people/imports/${x.p.imp}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'IMPORT_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res, x) => expectCancelled(res, x),
  },
  {
    route: 'DELETE /api/people/imports/:id',
    target: 'a new validated import of the community worker into 东关社区',
    prepare: async (x) => ({ imp: await x.upload('shequ', x.t.iCommunity, [[`导入${x.n}`, idNo(x.n)]]) }),
    req: (x) => ({ method: 'DELETE', url: `/api/people/imports/${x.p.imp}` }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: (res, x) => expectCancelled(res, x),
  },
  {
    route: 'DELETE /api/people/imports/:id',
    target: 'a new validated import of the street administrator into 东关社区 (above the community worker)',
    prepare: async (x) => ({ imp: await x.upload('jiedao', x.t.iCommunity, [[`导入${x.n}`, idNo(x.n)]]) }),
    req: (x) => ({ method: 'DELETE', url: `/api/people/imports/${x.p.imp}` }),
    expect: outcomes({ ok: REPORT_MANAGERS, shequ: no(404, 'IMPORT_NOT_FOUND'), rest: FORBIDDEN }),
    ok: (res, x) => expectCancelled(res, x),
  },

  {
    route: 'POST /api/people/imports/:id/rerun',
    target: 'an import of mx_outsider (outside) a restart cut short',
    prepare: async (x) => ({ imp: await x.upload('mx_outsider', x.t.oCommunity, [[`导入${x.n}`, idNo(x.n)]], true) }),
    req: (x) => ({ method: 'POST', url: `/api/people/imports/${x.p.imp}/rerun` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'IMPORT_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res, x) => {
      expect(res.json().import).toMatchObject({ id: x.p.imp, status: 'running' });
      expect(await importView(x, x.p.imp!)).toMatchObject({ status: 'validated', rowsValid: 1 });
    },
  },
  {
    route: 'POST /api/people/imports/:id/rerun',
    target: 'an import of the community worker into 东关社区 a restart cut short',
    prepare: async (x) => ({ imp: await x.upload('shequ', x.t.iCommunity, [[`导入${x.n}`, idNo(x.n)]], true) }),
    req: (x) => ({ method: 'POST', url: `/api/people/imports/${x.p.imp}/rerun` }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json().import).toMatchObject({ id: x.p.imp, status: 'running' });
      expect(await importView(x, x.p.imp!)).toMatchObject({ status: 'validated', rowsValid: 1 });
    },
  },

  // ---- reports ---------------------------------------------------------------------------------------------
  {
    route: 'GET /api/reports/fields',
    target: 'the field catalogue',
    req: () => ({ method: 'GET', url: '/api/reports/fields' }),
    expect: outcomes({ ok: EXPORTERS, rest: FORBIDDEN }),
    ok: (res) => {
      const entities = res.json().entities as { entity: string; fields: { field: string }[] }[];
      expect(entities.find((e) => e.entity === 'resident')?.fields.map((f) => f.field)).toContain('name');
    },
  },
  {
    route: 'GET /api/reports/templates',
    target: 'templates narrowed to 邻安社区, 第一网格, 第二网格, and a region-wide one',
    req: () => ({ method: 'GET', url: '/api/reports/templates' }),
    expect: outcomes({
      admin: { has: ['oTemplate', 'iTemplate', 'sibTemplate', 'openTemplate'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], {
        has: ['iTemplate', 'sibTemplate', 'openTemplate'],
        lacks: ['oTemplate'],
      }),
      wangge: { has: ['iTemplate', 'openTemplate'], lacks: ['oTemplate', 'sibTemplate'] },
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/reports/templates/:id',
    target: 'a template narrowed to 邻安社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/reports/templates/${x.t.oTemplate}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'REPORT_TEMPLATE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res, x) => expect(res.json().id).toBe(x.t.oTemplate),
  },
  {
    route: 'GET /api/reports/templates/:id',
    target: 'a template narrowed to 第二网格 (beside the grid worker’s)',
    req: (x) => ({ method: 'GET', url: `/api/reports/templates/${x.t.sibTemplate}` }),
    expect: outcomes({ ok: MANAGERS, wangge: no(404, 'REPORT_TEMPLATE_NOT_FOUND'), rest: FORBIDDEN }),
    ok: (res, x) => expect(res.json().id).toBe(x.t.sibTemplate),
  },
  {
    route: 'POST /api/reports/templates',
    target: 'a template narrowed to 邻安社区 (outside)',
    req: (x) => ({
      method: 'POST',
      url: '/api/reports/templates',
      payload: {
        name: `越权模板${x.n}`,
        definition: { entity: 'resident', columns: [{ field: 'name' }], filters: { nodeId: x.t.oCommunity } },
      },
    }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res, x) =>
      expect(await x.admin('GET', `/api/reports/templates/${res.json().id}`)).toMatchObject({
        name: `越权模板${x.n}`,
      }),
  },
  {
    route: 'POST /api/reports/templates',
    target: 'a template narrowed to 第一网格',
    req: (x) => ({
      method: 'POST',
      url: '/api/reports/templates',
      payload: {
        name: `网格模板${x.n}`,
        definition: { entity: 'resident', columns: [{ field: 'name' }], filters: { nodeId: x.t.iGrid } },
      },
    }),
    expect: outcomes({ ok: REPORT_MANAGERS, rest: FORBIDDEN }),
    ok: async (res, x) =>
      expect(await x.admin('GET', `/api/reports/templates/${res.json().id}`)).toMatchObject({
        name: `网格模板${x.n}`,
      }),
  },
  {
    route: 'PATCH /api/reports/templates/:id',
    target: 'a template narrowed to 邻安社区 (outside)',
    req: (x) => ({ method: 'PATCH', url: `/api/reports/templates/${x.t.oTemplate}`, payload: { name: `改名${x.n}` } }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao'], no(404, 'REPORT_TEMPLATE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (_res, x) =>
      expect(await x.admin('GET', `/api/reports/templates/${x.t.oTemplate}`)).toMatchObject({ name: `改名${x.n}` }),
  },
  {
    route: 'PATCH /api/reports/templates/:id',
    target: 'a template narrowed to 第一网格',
    req: (x) => ({ method: 'PATCH', url: `/api/reports/templates/${x.t.iTemplate}`, payload: { name: `改名${x.n}` } }),
    expect: outcomes({ ok: REPORT_MANAGERS, rest: FORBIDDEN }),
    ok: async (_res, x) =>
      expect(await x.admin('GET', `/api/reports/templates/${x.t.iTemplate}`)).toMatchObject({ name: `改名${x.n}` }),
  },
  {
    route: 'PATCH /api/reports/templates/:id',
    target: 'a region-wide template of the system administrator (readable by all who report)',
    req: (x) => ({
      method: 'PATCH',
      url: `/api/reports/templates/${x.t.openTemplate}`,
      payload: { name: `改名${x.n}` },
    }),
    expect: outcomes({ ok: ['admin'], rest: FORBIDDEN }),
    ok: async (_res, x) =>
      expect(await x.admin('GET', `/api/reports/templates/${x.t.openTemplate}`)).toMatchObject({
        name: `改名${x.n}`,
      }),
  },
  {
    route: 'DELETE /api/reports/templates/:id',
    target: 'a new template narrowed to 邻安社区 (outside)',
    prepare: async (x) => ({ tpl: await freshTemplate(x, x.t.oCommunity) }),
    req: (x) => ({ method: 'DELETE', url: `/api/reports/templates/${x.p.tpl}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao'], no(404, 'REPORT_TEMPLATE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (_res, x) => expectTemplateGone(x),
  },
  {
    route: 'DELETE /api/reports/templates/:id',
    target: 'a new template narrowed to 第一网格',
    prepare: async (x) => ({ tpl: await freshTemplate(x, x.t.iGrid) }),
    req: (x) => ({ method: 'DELETE', url: `/api/reports/templates/${x.p.tpl}` }),
    expect: outcomes({ ok: REPORT_MANAGERS, rest: FORBIDDEN }),
    ok: (_res, x) => expectTemplateGone(x),
  },
  {
    route: 'GET /api/reports/templates/:id/preview',
    target: 'the region-wide template over 邻安1号楼1单元 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/reports/templates/${x.t.openTemplate}/preview?nodeId=${x.t.oUnit}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res) => expect(namesOfPreview(res)).toEqual(['矩阵外居民']),
  },
  {
    route: 'GET /api/reports/templates/:id/preview',
    target: 'the region-wide template over 1号楼1单元',
    req: (x) => ({ method: 'GET', url: `/api/reports/templates/${x.t.openTemplate}/preview?nodeId=${x.t.iUnit}` }),
    expect: outcomes({ ok: EXPORTERS, rest: FORBIDDEN }),
    // 关爱预警老人 lives there too: the person the alarm cases' devices watch over.
    ok: (res) => expect(namesOfPreview(res).sort()).toEqual(['关爱预警老人', '矩阵内居民'].sort()),
  },
  {
    route: 'GET /api/reports/templates/:id/preview',
    target: 'the region-wide template over 第二网格 (beside the grid worker’s)',
    req: (x) => ({
      method: 'GET',
      url: `/api/reports/templates/${x.t.openTemplate}/preview?nodeId=${x.t.iSiblingGrid}&limit=200`,
    }),
    expect: outcomes({ ok: MANAGERS, wangge: no(404, 'ORG_NODE_NOT_FOUND'), rest: FORBIDDEN }),
    ok: (res) => expect(namesOfPreview(res)).toContain('矩阵邻格居民'),
  },
  {
    route: 'GET /api/reports/templates/:id/export',
    target: 'the region-wide template over 邻安1号楼1单元, unmasked (outside)',
    req: (x) => ({
      method: 'GET',
      url: `/api/reports/templates/${x.t.openTemplate}/export?nodeId=${x.t.oUnit}&unmasked=true&reason=${REASON}`,
    }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res, x) => expect((await readSheet(res.rawPayload)).flat()).toContain(x.t.oResId),
  },
  {
    route: 'GET /api/reports/templates/:id/export',
    target: 'the region-wide template over 1号楼1单元, unmasked',
    req: (x) => ({
      method: 'GET',
      url: `/api/reports/templates/${x.t.openTemplate}/export?nodeId=${x.t.iUnit}&unmasked=true&reason=${REASON}`,
    }),
    expect: outcomes({ ok: EXPORTERS, rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect((await readSheet(res.rawPayload)).flat()).toContain(x.t.iResId);
      // Audited with the reason given.
      const last = await x.db.query<{ reason: string | null; actor: string }>(
        `SELECT a.reason, u.username AS actor FROM audit_log a JOIN users u ON u.id = a.actor_id
          WHERE a.action = 'report.export' ORDER BY a.id DESC LIMIT 1`,
      );
      expect(last).toEqual([{ reason: decodeURIComponent(REASON), actor: x.as }]);
    },
  },
  {
    route: 'GET /api/reports/templates/:id/export',
    target: 'the region-wide template over 1号楼1单元, unmasked, for a reason of a space and a zero-width space',
    req: (x) => ({
      method: 'GET',
      url: `/api/reports/templates/${x.t.openTemplate}/export?nodeId=${x.t.iUnit}&unmasked=true&reason=%20%E2%80%8B`,
    }),
    // Refused to all, and not audited (the fingerprint counts audit entries).
    expect: outcomes({ ...each(EXPORTERS, no(400, 'REASON_REQUIRED')), rest: FORBIDDEN }),
  },
  {
    route: 'POST /api/reports/preview-definition',
    target: 'a definition narrowed to 邻安1号楼1单元 (outside)',
    req: (x) => ({
      method: 'POST',
      url: '/api/reports/preview-definition',
      payload: { definition: { entity: 'resident', columns: [{ field: 'name' }], filters: { nodeId: x.t.oUnit } } },
    }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res) => expect(namesOfPreview(res)).toEqual(['矩阵外居民']),
  },
  {
    route: 'POST /api/reports/preview-definition',
    target: 'a definition narrowed to 1号楼1单元',
    req: (x) => ({
      method: 'POST',
      url: '/api/reports/preview-definition',
      payload: { definition: { entity: 'resident', columns: [{ field: 'name' }], filters: { nodeId: x.t.iUnit } } },
    }),
    expect: outcomes({ ok: EXPORTERS, rest: FORBIDDEN }),
    // 关爱预警老人 lives there too: the person the alarm cases' devices watch over.
    ok: (res) => expect(namesOfPreview(res).sort()).toEqual(['关爱预警老人', '矩阵内居民'].sort()),
  },
  // ---- files -------------------------------------------------------------------------------------------------
  {
    route: 'POST /api/files',
    target: 'an empty file (refused to everyone by its content, nothing stored)',
    req: () => ({ method: 'POST', url: '/api/files', ...photoForm(Buffer.alloc(0)) }),
    expect: outcomes({ rest: no(415, 'FILE_TYPE_UNSUPPORTED') }),
  },
  {
    route: 'POST /api/files',
    target: 'a photo, the caller’s own (any signed-in account may upload; only they see it until it is attached)',
    prepare: async (x) => {
      PHOTOS.set(x.n, await photoBytes(x.n));
      return { photo: x.n };
    },
    req: (x) => ({ method: 'POST', url: '/api/files', ...photoForm(PHOTOS.get(x.p.photo!)!) }),
    expect: outcomes({ ok: USERS }),
    ok: async (res, x) => {
      const id = (res.json() as { items: { id: string }[] }).items[0]!.id;
      const back = await x.again({ method: 'GET', url: `/api/files/${id}` });
      expect(back.statusCode).toBe(200);
      await expectImage(back, 16);
      const other = await x.by(x.user === 'jumin' ? 'zhiyuan' : 'jumin', { method: 'GET', url: `/api/files/${id}` });
      expect(other.statusCode).toBe(404);
    },
  },
  {
    route: 'GET /api/files/:id',
    target: 'a photo attached to 矩阵外居民 (outside)',
    prepare: (x) => fileOf(x, 'admin', x.t.oRes),
    req: (x) => ({ method: 'GET', url: `/api/files/${fileId(x)}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'FILE_NOT_FOUND') }),
    ok: (res) => expectImage(res, 16),
  },
  {
    route: 'GET /api/files/:id',
    target: 'a photo attached to 矩阵内居民 of 1号楼 (read with people.sensitive: not the building leader)',
    prepare: (x) => fileOf(x, 'admin', x.t.iRes),
    req: (x) => ({ method: 'GET', url: `/api/files/${fileId(x)}` }),
    expect: outcomes({ ok: PEOPLE_WRITERS, rest: no(404, 'FILE_NOT_FOUND') }),
    ok: (res) => expectImage(res, 16),
  },
  {
    route: 'GET /api/files/:id',
    target: 'an unattached upload of the grid worker (only its uploader)',
    prepare: (x) => fileOf(x, 'wangge'),
    req: (x) => ({ method: 'GET', url: `/api/files/${fileId(x)}` }),
    expect: outcomes({ ok: ['wangge'], rest: no(404, 'FILE_NOT_FOUND') }),
    ok: (res) => expectImage(res, 16),
  },
  {
    route: 'GET /api/files/:id/thumb',
    target: 'the thumbnail of a photo attached to 矩阵外居民 (outside)',
    prepare: (x) => fileOf(x, 'admin', x.t.oRes),
    req: (x) => ({ method: 'GET', url: `/api/files/${fileId(x)}/thumb` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'FILE_NOT_FOUND') }),
    ok: (res) => expectImage(res),
  },
  {
    route: 'GET /api/files/:id/thumb',
    target: 'the thumbnail of a photo attached to 矩阵内居民 of 1号楼',
    prepare: (x) => fileOf(x, 'admin', x.t.iRes),
    req: (x) => ({ method: 'GET', url: `/api/files/${fileId(x)}/thumb` }),
    expect: outcomes({ ok: PEOPLE_WRITERS, rest: no(404, 'FILE_NOT_FOUND') }),
    ok: (res) => expectImage(res),
  },
  {
    route: 'GET /api/files/:id/thumb',
    target: 'the thumbnail of an unattached upload of the grid worker',
    prepare: (x) => fileOf(x, 'wangge'),
    req: (x) => ({ method: 'GET', url: `/api/files/${fileId(x)}/thumb` }),
    expect: outcomes({ ok: ['wangge'], rest: no(404, 'FILE_NOT_FOUND') }),
    ok: (res) => expectImage(res),
  },
  {
    route: 'GET /api/people/residents/:id/attachments',
    target: 'the attachments of 矩阵外居民 (outside)',
    prepare: (x) => fileOf(x, 'admin', x.t.oRes),
    req: (x) => ({ method: 'GET', url: `/api/people/residents/${x.t.oRes}/attachments` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: (res, x) => expect(res.json().items.map((i: { id: string }) => i.id)).toContain(fileId(x)),
  },
  {
    route: 'GET /api/people/residents/:id/attachments',
    target: 'the attachments of 矩阵内居民 of 1号楼 (the building leader reads the person, not their papers)',
    prepare: (x) => fileOf(x, 'admin', x.t.iRes),
    req: (x) => ({ method: 'GET', url: `/api/people/residents/${x.t.iRes}/attachments` }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: (res, x) => expect(res.json().items.map((i: { id: string }) => i.id)).toContain(fileId(x)),
  },
  {
    route: 'POST /api/people/residents/:id/attachments',
    target: 'the caller’s own upload onto 矩阵外居民 (outside)',
    prepare: callerUpload,
    perCaller: true,
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.t.oRes}/attachments`,
      payload: { fileIds: [fileId(x)] },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect(await attachmentIds(x, x.t.oRes)).toContain(fileId(x)),
  },
  {
    route: 'POST /api/people/residents/:id/attachments',
    target: 'the caller’s own upload onto 矩阵内居民 of 1号楼',
    prepare: callerUpload,
    perCaller: true,
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.t.iRes}/attachments`,
      payload: { fileIds: [fileId(x)] },
    }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect(await attachmentIds(x, x.t.iRes)).toContain(fileId(x)),
  },
  {
    route: 'POST /api/people/residents/:id/attachments',
    target: 'the grid worker’s upload onto 矩阵内居民 of 1号楼 (someone else’s upload is not found)',
    prepare: (x) => fileOf(x, 'wangge'),
    req: (x) => ({
      method: 'POST',
      url: `/api/people/residents/${x.t.iRes}/attachments`,
      payload: { fileIds: [fileId(x)] },
    }),
    expect: outcomes({
      ok: ['wangge'],
      louzhang: FORBIDDEN,
      ...each(['admin', 'countyadmin', 'jiedao', 'shequ'], no(404, 'FILE_NOT_FOUND')),
      rest: no(404, 'RESIDENT_NOT_FOUND'),
    }),
    ok: async (_res, x) => expect(await attachmentIds(x, x.t.iRes)).toContain(fileId(x)),
  },
  {
    route: 'DELETE /api/people/residents/:id/attachments/:fileId',
    target: 'an attachment of 矩阵外居民 (outside)',
    prepare: (x) => fileOf(x, 'admin', x.t.oRes),
    req: (x) => ({ method: 'DELETE', url: `/api/people/residents/${x.t.oRes}/attachments/${fileId(x)}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect(await attachmentIds(x, x.t.oRes)).not.toContain(fileId(x)),
  },
  {
    route: 'DELETE /api/people/residents/:id/attachments/:fileId',
    target: 'an attachment of 矩阵内居民 of 1号楼',
    prepare: (x) => fileOf(x, 'admin', x.t.iRes),
    req: (x) => ({ method: 'DELETE', url: `/api/people/residents/${x.t.iRes}/attachments/${fileId(x)}` }),
    expect: outcomes({ ok: PEOPLE_WRITERS, louzhang: FORBIDDEN, rest: no(404, 'RESIDENT_NOT_FOUND') }),
    ok: async (_res, x) => expect(await attachmentIds(x, x.t.iRes)).not.toContain(fileId(x)),
  },

  // ---- inbox, notification channels, live updates ----------------------------------------------------------
  {
    route: 'GET /api/inbox',
    target: 'the caller’s own messages, not another account’s',
    prepare: async (x) => ({ mine: await note(x, x.as), other: await note(x, 'mx_outsider') }),
    req: () => ({ method: 'GET', url: '/api/inbox?pageSize=200' }),
    expect: outcomes({ ok: USERS }),
    ok: (res, x) => {
      const ids = itemIds(res.json());
      expect(ids).toContain(x.p.mine);
      expect(ids).not.toContain(x.p.other);
      expect(res.json().items.find((m: { id: number }) => m.id === x.p.mine).title).toBe(`矩阵通知 ${x.n}`);
    },
  },
  {
    route: 'GET /api/inbox/count',
    target: 'the caller’s own unread messages',
    prepare: async (x) => ({ mine: await note(x, x.as) }),
    req: () => ({ method: 'GET', url: '/api/inbox/count' }),
    expect: outcomes({ ok: USERS }),
    ok: async (res, x) => {
      const rows = await x.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox_messages m JOIN users u ON u.id = m.user_id
          WHERE u.username = $1 AND m.read_at IS NULL`,
        [x.as],
      );
      expect(res.json()).toEqual({ unread: rows[0]!.n });
      expect(rows[0]!.n).toBeGreaterThan(0);
    },
  },
  {
    route: 'POST /api/inbox/:id/read',
    target: 'a message of the caller’s own',
    prepare: async (x) => ({ mine: await note(x, x.as) }),
    req: (x) => ({ method: 'POST', url: `/api/inbox/${x.p.mine}/read` }),
    expect: outcomes({ ok: USERS }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: x.p.mine, kind: 'matrix.note' });
      expect(res.json().readAt).not.toBeNull();
      const rows = await x.db.query('SELECT 1 FROM inbox_messages WHERE id = $1 AND read_at IS NOT NULL', [x.p.mine]);
      expect(rows).toHaveLength(1);
    },
  },
  {
    route: 'POST /api/inbox/:id/read',
    target: 'a message of another account (mx_outsider): nobody else reads it, the system administrator neither',
    prepare: async (x) => ({ other: await note(x, 'mx_outsider') }),
    req: (x) => ({ method: 'POST', url: `/api/inbox/${x.p.other}/read` }),
    expect: outcomes({ rest: no(404, 'INBOX_MESSAGE_NOT_FOUND') }),
  },
  {
    route: 'POST /api/inbox/read-all',
    target: 'the caller’s own messages and no one else’s',
    prepare: async (x) => ({ mine: await note(x, x.as), other: await note(x, 'mx_outsider') }),
    req: () => ({ method: 'POST', url: '/api/inbox/read-all' }),
    expect: outcomes({ ok: USERS }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ unread: 0 });
      const rows = await x.db.query<{ id: number; read: boolean }>(
        'SELECT id, read_at IS NOT NULL AS read FROM inbox_messages WHERE id = ANY($1::bigint[]) ORDER BY id',
        [[x.p.mine, x.p.other]],
      );
      expect(rows).toEqual([
        { id: x.p.mine, read: true },
        { id: x.p.other, read: false },
      ]);
    },
  },
  {
    route: 'GET /api/inbox/preferences',
    target: 'the caller’s own notification preferences',
    tokens: 'refused',
    req: () => ({ method: 'GET', url: '/api/inbox/preferences' }),
    expect: outcomes({ ok: USERS }),
    ok: (res) => expect(res.json().kinds.map((k: { kind: string }) => k.kind)).toContain('people.move_in_request'),
  },
  {
    route: 'PUT /api/inbox/preferences',
    target: 'the caller’s own quiet hours (and nobody else’s)',
    tokens: 'refused',
    req: () => ({
      method: 'PUT',
      url: '/api/inbox/preferences',
      payload: { subscriptions: [], quietHours: { start: '22:00', end: '07:00' } },
    }),
    expect: outcomes({ ok: USERS }),
    ok: async (res, x) => {
      expect(res.json().quietHours).toEqual({ start: '22:00', end: '07:00' });
      const rows = await x.db.query<{ username: string }>(
        `SELECT u.username FROM notify_settings s JOIN users u ON u.id = s.user_id WHERE s.quiet_start IS NOT NULL`,
      );
      expect(rows.map((r) => r.username)).toContain(x.as);
      await x.db.query('DELETE FROM notify_settings WHERE user_id = (SELECT id FROM users WHERE username = $1)', [
        x.as,
      ]);
    },
  },
  {
    route: 'GET /api/notify/channels',
    target: 'the configured channels (system administrators only; secrets never shown)',
    prepare: async (x) => ({ chan: await freshChannel(x) }),
    req: () => ({ method: 'GET', url: '/api/notify/channels' }),
    expect: outcomes({ ok: ['admin'], rest: FORBIDDEN }),
    ok: (res, x) => {
      expect(itemIds(res.json())).toContain(x.p.chan);
      expect(res.body).not.toContain('matrix-secret');
    },
  },
  {
    route: 'POST /api/notify/channels',
    target: 'a new webhook channel',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: '/api/notify/channels',
      payload: {
        type: 'webhook',
        name: `矩阵渠道${x.n}`,
        url: 'http://127.0.0.1:9/hook',
        secret: 'matrix-secret-0001',
      },
    }),
    expect: outcomes({ ok: ['admin'], rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ name: `矩阵渠道${x.n}`, secretHint: '****0001' });
      const rows = await x.db.query('SELECT 1 FROM notify_channels WHERE id = $1', [res.json().id]);
      expect(rows).toHaveLength(1);
    },
  },
  {
    route: 'PATCH /api/notify/channels/:id',
    target: 'a channel’s name',
    tokens: 'refused',
    prepare: async (x) => ({ chan: await freshChannel(x) }),
    req: (x) => ({ method: 'PATCH', url: `/api/notify/channels/${x.p.chan}`, payload: { name: `改名${x.n}` } }),
    expect: outcomes({ ok: ['admin'], rest: FORBIDDEN }),
    ok: async (_res, x) => {
      const rows = await x.db.query<{ name: string }>('SELECT name FROM notify_channels WHERE id = $1', [x.p.chan]);
      expect(rows).toEqual([{ name: `改名${x.n}` }]);
    },
  },
  {
    route: 'DELETE /api/notify/channels/:id',
    target: 'a channel',
    tokens: 'refused',
    prepare: async (x) => ({ chan: await freshChannel(x) }),
    req: (x) => ({ method: 'DELETE', url: `/api/notify/channels/${x.p.chan}` }),
    expect: outcomes({ ok: ['admin'], rest: FORBIDDEN }),
    ok: async (_res, x) => {
      expect(await x.db.query('SELECT 1 FROM notify_channels WHERE id = $1', [x.p.chan])).toEqual([]);
    },
  },
  {
    route: 'GET /api/notify/channels/:id/deliveries',
    target: 'a channel’s delivery log',
    prepare: async (x) => {
      const chan = await freshChannel(x);
      await x.db.query(
        `INSERT INTO notify_deliveries (message_id, channel_id, enqueued_at) VALUES ($1, $2, now() + interval '1 day')`,
        [await note(x, 'mx_outsider'), chan],
      );
      return { chan };
    },
    req: (x) => ({ method: 'GET', url: `/api/notify/channels/${x.p.chan}/deliveries` }),
    expect: outcomes({ ok: ['admin'], rest: FORBIDDEN }),
    ok: (res) => expect(res.json().items).toMatchObject([{ username: 'mx_outsider', status: 'queued' }]),
  },
  {
    route: 'GET /api/live',
    target: 'the caller’s own live state (as JSON without Accept: text/event-stream): their unread count',
    prepare: async (x) => ({ mine: await note(x, x.as) }),
    req: () => ({ method: 'GET', url: '/api/live' }),
    expect: outcomes({ ok: USERS }),
    ok: async (res, x) => {
      const rows = await x.db.query<{ n: number; last: number }>(
        `SELECT count(*) FILTER (WHERE m.read_at IS NULL)::int AS n, max(m.id) AS last
           FROM inbox_messages m JOIN users u ON u.id = m.user_id WHERE u.username = $1`,
        [x.as],
      );
      expect(res.json()).toEqual({ unread: rows[0]!.n, lastEventId: rows[0]!.last, messages: [] });
    },
  },

  {
    route: 'GET /api/me/household',
    target: 'the caller’s own household: the demo resident’s account is 矩阵内居民’s; nobody else has one',
    req: () => ({ method: 'GET', url: '/api/me/household' }),
    expect: outcomes({ ok: USERS }),
    ok: (res, x) => {
      const body = res.json() as { linked: boolean; self: { id: number; idNumber: string } | null };
      if (x.user === 'jumin') expect(body.self).toMatchObject({ id: x.t.iRes, idNumber: x.t.iResId });
      else expect(body).toEqual({ linked: false, self: null, household: null, house: null });
    },
  },
  // ---- workbench -------------------------------------------------------------------------------------------
  {
    route: 'GET /api/workbench',
    target:
      'the caller’s own area: its figures and the move-in requests it decides (邻安县’s only for the system administrator)',
    req: () => ({ method: 'GET', url: '/api/workbench' }),
    expect: outcomes({ ok: USERS }),
    ok: (res, x) => expectWorkbench(res, x),
  },
  // ---- my tasks (grid work): each caller's own; sources add their items (visits, cases, alarms) -------------
  {
    route: 'GET /api/tasks/mine',
    target: 'the caller’s own tasks (nobody reads another’s)',
    req: () => ({ method: 'GET', url: '/api/tasks/mine' }),
    expect: outcomes({ ok: USERS }),
    ok: (res) => {
      const body = res.json();
      expect(Array.isArray(body.items)).toBe(true);
      expect(body.counts.total).toBeGreaterThanOrEqual(body.items.length);
    },
  },
  // ---- grid work [A]: visit rules (installation-wide: read with visits.read or visits.config, changed by the
  // system administrator alone; a county's admin holds visits.config only over the county: OUT_OF_SCOPE) ----------
  {
    route: 'GET /api/visit-rules',
    target: 'the rules (the built-in 独居老人 weekly visit among them)',
    req: () => ({ method: 'GET', url: '/api/visit-rules' }),
    expect: outcomes({ ok: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'], rest: FORBIDDEN }),
    ok: (res) => {
      const items = (res.json() as { items: { code: string; kind: string; every: number | null }[] }).items;
      expect(items).toContainEqual(
        expect.objectContaining({ code: 'routine_elderly_alone', kind: 'periodic', every: 1 }),
      );
    },
  },
  {
    route: 'POST /api/visit-rules',
    target: 'a new event rule (a death in the family), disabled',
    req: (x) => ({
      method: 'POST',
      url: '/api/visit-rules',
      payload: {
        code: `mx_rule_${x.n}`,
        kind: 'event',
        name: '矩阵规则',
        trigger: 'resident_deceased',
        dueHours: 24,
        target: 'household',
        enabled: false,
      },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ code: `mx_rule_${x.n}`, kind: 'event', trigger: 'resident_deceased' });
      const rows = await x.db.query('SELECT name, enabled FROM visit_rules WHERE code = $1', [`mx_rule_${x.n}`]);
      expect(rows).toEqual([{ name: '矩阵规则', enabled: false }]);
    },
  },
  {
    route: 'PATCH /api/visit-rules/:id',
    target: 'a disabled event rule renamed',
    prepare: async (x) => {
      const [row] = await x.db.query<{ id: number }>(
        `INSERT INTO visit_rules (code, name, kind, trigger, due_hours, enabled)
         VALUES ($1, '矩阵待改', 'event', 'resident_deceased', 24, false) RETURNING id::int AS id`,
        [`mx_patch_${x.n}`],
      );
      return { rule: row!.id };
    },
    req: (x) => ({
      method: 'PATCH',
      url: `/api/visit-rules/${x.p.rule}`,
      payload: { version: 1, name: '矩阵已改', dueHours: 48 },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: x.p.rule, name: '矩阵已改', dueHours: 48, version: 2 });
      const rows = await x.db.query('SELECT name, due_hours FROM visit_rules WHERE id = $1', [x.p.rule]);
      expect(rows).toEqual([{ name: '矩阵已改', due_hours: 48 }]);
    },
  },
  {
    route: 'POST /api/visit-rules/generate',
    target: 'a generation run now (nothing new the second time)',
    // 矩阵内居民 lives alone (独居老人): the built-in weekly rule has someone to visit
    prepare: async (x) => {
      await x.db.query(
        `INSERT INTO resident_tags (resident_id, tag_id, county_id, node_path, source)
         SELECT r.id, t.id, r.county_id, r.node_path, 'manual' FROM residents r, tags t
          WHERE r.id = $1 AND t.code = 'elderly_alone' ON CONFLICT DO NOTHING`,
        [x.t.iRes],
      );
      return {};
    },
    req: () => ({ method: 'POST', url: '/api/visit-rules/generate' }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      const body = res.json() as { created: number; withdrawn: number; reassigned: number; ms: number };
      expect(body).toEqual({
        created: expect.any(Number),
        withdrawn: expect.any(Number),
        reassigned: expect.any(Number),
        ms: expect.any(Number),
      });
      const again = await x.admin<{ created: number }>('POST', '/api/visit-rules/generate');
      expect(again.created).toBe(0);
      const [n] = await x.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM visit_tasks t JOIN visit_rules r ON r.id = t.rule_id WHERE r.code = 'routine_elderly_alone'",
      );
      expect(n!.n).toBeGreaterThan(0);
    },
  },
  // ---- end grid work [A] ----------------------------------------------------------------------------------------
  // ---- grid work [F]: my tasks — the grid worker's own case and alarm (第一网格), not another county's -----------
  ...(['case', 'alarm'] as const).map(
    (kind): Case => ({
      route: 'GET /api/tasks/mine',
      target: `the fixed ${kind}s: 第一网格’s (reported there / 1号楼), 第二网格’s, 邻安县’s`,
      req: () => ({ method: 'GET', url: `/api/tasks/mine?kind=${kind}&limit=200` }),
      expect: outcomes({ ok: USERS }),
      ok: (res, x) => {
        const body = res.json() as {
          items: { key: string; kind: string }[];
          counts: { byKind: Record<string, number> };
        };
        expect(body.items.every((t) => t.kind === kind)).toBe(true);
        const keys = body.items.map((t) => t.key);
        const [inKey, sibKey, outKey] = (
          kind === 'case' ? [x.t.caseIn, x.t.caseSib, x.t.caseOut] : [x.t.alarmIn, x.t.alarmSib, x.t.alarmOut]
        ).map((id) => `${kind}:${id}`);
        // The system administrator's list is the installation's, cut at 200 by deadline: no fixed target is sure.
        if (x.user === 'admin') return;
        if (['countyadmin', 'jiedao', 'shequ', 'wangge'].includes(x.user)) {
          expect(keys).toContain(inKey);
          expect(body.counts.byKind[kind]).toBeGreaterThanOrEqual(1);
        } else {
          expect(body).toMatchObject({ items: [], counts: { total: 0, byKind: {} } });
        }
        expect(keys).not.toContain(outKey);
        if (x.user === 'wangge') expect(keys).not.toContain(sibKey);
      },
    }),
  ),
  // ---- Open311 keys (helper C, o311): installation-wide, cases.config, the system administrator's alone --------
  {
    route: 'GET /api/cases/open311-clients',
    target: 'the Open311 keys, one for 邻安社区 among them (outside every area but the system administrator’s)',
    prepare: async (x) => ({ key: await open311Key(x, x.t.oCommunity) }),
    req: () => ({ method: 'GET', url: '/api/cases/open311-clients' }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: (res, x) => {
      expect(res.json().items).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: x.p.key, revokedAt: null })]),
      );
      expect(res.body).not.toMatch(/o311_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}/);
    },
  },
  {
    route: 'POST /api/cases/open311-clients',
    target: 'a new Open311 key for 东关社区 (minted by a person at a session, never by an API token)',
    tokens: 'refused',
    req: (x) => ({
      method: 'POST',
      url: '/api/cases/open311-clients',
      payload: { name: `热线${x.n}`, nodeId: x.t.iCommunity },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      const body = res.json() as { client: { id: number; nodeId: number }; apiKey: string };
      expect(body.client.nodeId).toBe(x.t.iCommunity);
      const answer = await x.app.inject({ method: 'GET', url: `/open311/v2/requests.json?api_key=${body.apiKey}` });
      expect(answer.statusCode).toBe(200);
      await x.admin('DELETE', `/api/cases/open311-clients/${body.client.id}`);
    },
  },
  {
    route: 'DELETE /api/cases/open311-clients/:id',
    target: 'an Open311 key for 东关社区',
    prepare: async (x) => ({ key: await open311Key(x, x.t.iCommunity) }),
    req: (x) => ({ method: 'DELETE', url: `/api/cases/open311-clients/${x.p.key}` }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: x.p.key, revokedAt: expect.any(String) });
      const [row] = await x.db.query<{ revoked: boolean }>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM open311_clients WHERE id = $1',
        [x.p.key],
      );
      expect(row?.revoked).toBe(true);
    },
  },

  // ---- cases settings (事件设置, helper B): installation-wide, so the system administrator's alone ---------------
  {
    route: 'GET /api/cases/calendar',
    target: 'the working calendar of 2026 (the Spring Festival among its holidays)',
    req: () => ({ method: 'GET', url: '/api/cases/calendar?year=2026' }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: (res) => {
      const body = res.json() as { year: number; days: { date: string; kind: string; source: string }[] };
      expect(body.year).toBe(2026);
      expect(body.days).toContainEqual(
        expect.objectContaining({ date: '2026-02-16', kind: 'holiday', source: 'official' }),
      );
    },
  },
  {
    route: 'PUT /api/cases/calendar/overrides/:date',
    target: 'a day of 2031 made a local holiday',
    req: (x) => ({
      method: 'PUT',
      url: `/api/cases/calendar/overrides/${matrixDay(x.n)}`,
      payload: { kind: 'holiday', name: '矩阵' },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toEqual({ date: matrixDay(x.n), kind: 'holiday', name: '矩阵', source: 'local' });
      const rows = await x.db.query(`SELECT kind, name FROM work_calendar_overrides WHERE day = $1::date`, [
        matrixDay(x.n),
      ]);
      expect(rows).toEqual([{ kind: 'holiday', name: '矩阵' }]);
      await x.admin('DELETE', `/api/cases/calendar/overrides/${matrixDay(x.n)}`);
    },
  },
  {
    route: 'DELETE /api/cases/calendar/overrides/:date',
    target: 'a local working day of 2031',
    prepare: async (x) => {
      await x.db.query(
        `INSERT INTO work_calendar_overrides (day, kind, name) VALUES ($1::date, 'workday', '矩阵')
         ON CONFLICT (day) DO NOTHING`,
        [matrixDay(x.n)],
      );
      return { day: x.n };
    },
    req: (x) => ({ method: 'DELETE', url: `/api/cases/calendar/overrides/${matrixDay(x.p.day!)}` }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toEqual({ ok: true });
      expect(
        await x.db.query('SELECT 1 FROM work_calendar_overrides WHERE day = $1::date', [matrixDay(x.p.day!)]),
      ).toEqual([]);
    },
  },
  {
    route: 'PUT /api/cases/calendar/periods',
    target: 'the working periods (changed, read back, restored)',
    req: () => ({
      method: 'PUT',
      url: '/api/cases/calendar/periods',
      payload: { periods: [{ start: '08:00', end: '12:00' }] },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toEqual({ periods: [{ start: '08:00', end: '12:00' }] });
      const [row] = await x.db.query<{ value: unknown }>(
        `SELECT value FROM system_settings WHERE key = 'cases.working_hours'`,
      );
      expect(row?.value).toEqual({ periods: [{ start: '08:00', end: '12:00' }] });
      const back = await x.asAdmin({
        method: 'PUT',
        url: '/api/cases/calendar/periods',
        payload: {
          periods: [
            { start: '09:00', end: '12:00' },
            { start: '13:30', end: '17:30' },
          ],
        },
      });
      expect(back.statusCode).toBe(200);
    },
  },
  {
    route: 'POST /api/cases/categories',
    target: 'a new case category with an SLA',
    req: (x) => ({
      method: 'POST',
      url: '/api/cases/categories',
      payload: {
        code: `mx-cat-${x.n}`,
        nameZh: `矩阵分类${x.n}`,
        nameEn: `Matrix ${x.n}`,
        handleSla: { amount: 2, unit: 'working_days' },
      },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.statusCode).toBe(201);
      const rows = await x.db.query<{ name_zh: string; handle_sla: unknown }>(
        'SELECT name_zh, handle_sla FROM case_categories WHERE id = $1',
        [res.json().id],
      );
      expect(rows).toEqual([{ name_zh: `矩阵分类${x.n}`, handle_sla: { amount: 2, unit: 'working_days' } }]);
    },
  },
  {
    route: 'PATCH /api/cases/categories/:id',
    target: 'a case category: its handling SLA and name',
    prepare: async (x) => {
      const [row] = await x.db.query<{ id: number }>(
        `INSERT INTO case_categories (code, name_zh, name_en) VALUES ($1, $2, $3) RETURNING id`,
        [`mx-edit-${x.n}`, `矩阵待改${x.n}`, `Matrix edit ${x.n}`],
      );
      return { cat: row!.id };
    },
    req: (x) => ({
      method: 'PATCH',
      url: `/api/cases/categories/${x.p.cat}`,
      payload: { nameZh: `矩阵已改${x.n}`, handleSla: { amount: 3, unit: 'working_hours' } },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: x.p.cat, handleSla: { amount: 3, unit: 'working_hours' } });
      const rows = await x.db.query<{ name_zh: string }>('SELECT name_zh FROM case_categories WHERE id = $1', [
        x.p.cat,
      ]);
      expect(rows[0]!.name_zh).toBe(res.json().nameZh);
    },
  },
  {
    route: 'PATCH /api/cases/stages/:code',
    target: 'the name of the stage 挂账 (changed, read back, restored)',
    req: () => ({ method: 'PATCH', url: '/api/cases/stages/parked', payload: { nameZh: '暂缓处置' } }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ code: 'parked', nameZh: '暂缓处置', type: 'open' });
      const rows = await x.db.query<{ name_zh: string }>(`SELECT name_zh FROM case_stages WHERE code = 'parked'`);
      expect(rows[0]!.name_zh).toBe('暂缓处置');
      await x.admin('PATCH', '/api/cases/stages/parked', { nameZh: '挂账' });
    },
  },
  // ---- cases core (helper A): 事件 ------------------------------------------------------------------------
  // A case in 第一网格 (reported by the system administrator unless said) is read by cases.read over it (the grid
  // worker, community, street, county) and by its reporter; a department reads what is dispatched or whistled to
  // it; to anyone else it does not exist. The steps follow cases.workflow.ts: the grid handles, the community and
  // above manage (dispatch, whistle, verify, park, cancel, merge), the reporter rates or reopens.
  {
    route: 'GET /api/cases/categories',
    target: 'the category tree (the seeded 垃圾清运 among them)',
    req: () => ({ method: 'GET', url: '/api/cases/categories' }),
    expect: outcomes({ ok: USERS }),
    ok: (res, x) => expect(itemIds(res.json())).toContain(x.t.caseCat),
  },
  {
    route: 'GET /api/cases/stages',
    target: 'the stages',
    req: () => ({ method: 'GET', url: '/api/cases/stages' }),
    expect: outcomes({ ok: USERS }),
    ok: (res) => expect((res.json() as { items: { code: string }[] }).items.map((i) => i.code)).toContain('reported'),
  },
  {
    route: 'GET /api/cases/departments',
    target: 'departments at or above the caller’s area: 泗源县’s 县民政局, not 邻安县’s',
    req: () => ({ method: 'GET', url: '/api/cases/departments' }),
    expect: outcomes({
      admin: { has: ['caseDeptOut', 'caseDeptIn'] },
      ...each([...CASE_READERS.filter((u) => u !== 'admin'), 'bumen'], { has: ['caseDeptIn'], lacks: ['caseDeptOut'] }),
      rest: { only: [] },
    }),
  },
  {
    route: 'GET /api/cases/departments',
    target: 'departments above 邻安社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/cases/departments?nodeId=${x.t.oCommunity}` }),
    expect: outcomes({ admin: { has: ['caseDeptOut'], lacks: ['caseDeptIn'] }, rest: no(404, 'ORG_NODE_NOT_FOUND') }),
  },
  ...(
    [
      ['泗源县 (county)', 'iCounty', ['admin', 'countyadmin']],
      ['泗源街道 (street)', 'iStreet', ['admin', 'countyadmin', 'jiedao']],
      ['邻安县 (outside)', 'oCounty', ['admin']],
    ] as const
  ).map(
    ([where, key, ok]): Case => ({
      route: 'POST /api/cases/departments',
      target: `a new department at ${where}`,
      req: (x) => ({
        method: 'POST',
        url: '/api/cases/departments',
        payload: { nodeId: x.t[key], name: `矩阵部门${x.n}`, phone: '0537-1234567' },
      }),
      expect: outcomes({ ok, rest: no(404, 'ORG_NODE_NOT_FOUND') }),
      ok: async (res, x) => {
        const body = res.json() as { id: number; nodeId: number; name: string };
        expect(body).toMatchObject({ nodeId: x.t[key], name: `矩阵部门${x.n}` });
        const rows = await x.db.query('SELECT 1 FROM departments WHERE id = $1 AND node_id = $2', [body.id, x.t[key]]);
        expect(rows).toHaveLength(1);
      },
    }),
  ),
  {
    route: 'PATCH /api/cases/departments/:id',
    target: 'a department of 泗源街道 (community and grid see it above them, but do not keep it)',
    prepare: async (x) => ({
      dept: (
        await x.admin<{ id: number }>('POST', '/api/cases/departments', { nodeId: x.t.iStreet, name: `街道部门${x.n}` })
      ).id,
    }),
    req: (x) => ({ method: 'PATCH', url: `/api/cases/departments/${x.p.dept}`, payload: { name: `改名${x.n}` } }),
    expect: outcomes({
      ok: ['admin', 'countyadmin', 'jiedao'],
      ...each(['shequ', 'wangge'], FORBIDDEN),
      rest: no(404, 'CASE_DEPARTMENT_NOT_FOUND'),
    }),
    ok: async (_res, x) => {
      const rows = await x.db.query<{ name: string }>('SELECT name FROM departments WHERE id = $1', [x.p.dept]);
      expect(rows[0]!.name).toBe(`改名${x.n}`);
    },
  },
  {
    route: 'PATCH /api/cases/departments/:id',
    target: '邻安县民政局 (outside)',
    req: (x) => ({
      method: 'PATCH',
      url: `/api/cases/departments/${x.t.caseDeptOut}`,
      payload: { phone: `0537-${x.n}` },
    }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'CASE_DEPARTMENT_NOT_FOUND') }),
    ok: async (_res, x) => {
      const rows = await x.db.query<{ phone: string }>('SELECT phone FROM departments WHERE id = $1', [
        x.t.caseDeptOut,
      ]);
      expect(rows[0]!.phone).toBe(`0537-${x.n}`);
    },
  },
  ...(
    [
      ['第一网格 (every account here reports within its community, or its street or county)', 'iGrid', USERS],
      ['白石村第一网格 (the county’s, not the street’s)', 'iVillageGrid', ['admin', 'countyadmin', 'bumen']],
      ['邻安第一网格 (outside)', 'oGrid', ['admin']],
    ] as const
  ).map(
    ([where, key, ok]): Case => ({
      route: 'POST /api/cases',
      target: `a report at ${where}`,
      req: (x) => ({
        method: 'POST',
        url: '/api/cases',
        payload: { categoryId: x.t.caseCat, description: `矩阵报事${x.n}`, place: { nodeId: x.t[key] } },
      }),
      expect: outcomes({ ok, rest: no(400, 'CASE_PLACE_OUTSIDE') }),
      ok: async (res, x) => {
        const body = res.json() as { id: number; stage: string };
        expect(body.stage).toBe('reported');
        const rows = await x.db.query('SELECT 1 FROM cases WHERE id = $1 AND node_id = $2 AND description = $3', [
          body.id,
          x.t[key],
          `矩阵报事${x.n}`,
        ]);
        expect(rows).toHaveLength(1);
      },
    }),
  ),
  {
    route: 'GET /api/cases/similar',
    target: 'reports like one at 矩阵内居民’s house (everyone reporting in 东关社区 may be told of it)',
    req: (x) => ({ method: 'GET', url: `/api/cases/similar?categoryId=${x.t.caseCat}&houseId=${x.t.iHouse}` }),
    expect: outcomes({ rest: { has: ['caseIn'], lacks: ['caseOut'] }, admin: { has: ['caseIn'] } }),
  },
  {
    route: 'GET /api/cases/similar',
    target: 'reports like one at a house of 邻安县 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/cases/similar?categoryId=${x.t.caseCat}&houseId=${x.t.oHouse}` }),
    expect: outcomes({ admin: { has: ['caseOut'] }, rest: { only: [] } }),
  },
  {
    route: 'GET /api/cases',
    target: 'the board: cases in the caller’s cases.read area',
    req: () => ({ method: 'GET', url: `/api/cases?q=${encodeURIComponent('矩阵固定')}&limit=200` }),
    expect: outcomes({
      admin: { has: ['caseOut', 'caseIn', 'caseSib', 'caseDept'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], { has: ['caseIn', 'caseSib', 'caseDept'], lacks: ['caseOut'] }),
      wangge: { has: ['caseIn'], lacks: ['caseOut', 'caseSib', 'caseDept'] },
      rest: { only: [] },
    }),
  },
  {
    route: 'GET /api/cases',
    target: 'the caller’s own reports among the fixed cases (矩阵内居民 reported caseIn)',
    req: () => ({ method: 'GET', url: `/api/cases?view=reported&q=${encodeURIComponent('矩阵固定')}&limit=200` }),
    items: fixedCaseIds,
    expect: outcomes({
      jumin: { only: ['caseIn'] },
      admin: { only: ['caseOut', 'caseDept'] },
      shequ: { only: ['caseSib'] },
      rest: { only: [] },
    }),
  },
  {
    route: 'GET /api/cases',
    target: 'a department’s cases (caseDept is dispatched to 县民政局)',
    req: () => ({ method: 'GET', url: `/api/cases?view=department&q=${encodeURIComponent('矩阵固定')}&limit=200` }),
    expect: outcomes({ bumen: { has: ['caseDept'], lacks: ['caseIn', 'caseOut'] }, rest: { only: [] } }),
  },
  ...(
    [
      ['caseIn', '矩阵内居民’s report at their house in 第一网格', [...CASE_READERS, 'jumin']],
      ['caseSib', 'a report in 第二网格 (not the grid worker’s)', CASE_MANAGERS],
      ['caseDept', 'a case of 第二网格 dispatched to 县民政局 (the department reads it)', [...CASE_MANAGERS, 'bumen']],
      ['caseOut', 'a report in 邻安第一网格 (outside)', ['admin']],
    ] as const
  ).map(
    ([key, what, ok]): Case => ({
      route: 'GET /api/cases/:id',
      target: what,
      req: (x) => ({ method: 'GET', url: `/api/cases/${x.t[key]}` }),
      expect: outcomes({ ok, rest: CASE_NOT_FOUND }),
      ok: (res, x) => expect((res.json() as { id: number }).id).toBe(x.t[key]),
    }),
  ),
  // Every step, on a fresh case in 第一网格 and one in 邻安第一网格.
  ...CASE_STEPS.flatMap((st) =>
    (['i', 'o'] as const).map(
      (side): Case => ({
        route: `POST /api/cases/:id/${st.action}`,
        target: `${st.about}, ${side === 'i' ? 'in 第一网格' : 'in 邻安第一网格 (outside)'}`,
        prepare: (x) => freshCaseFor(x, side, st),
        req: (x) => ({
          method: 'POST',
          url: `/api/cases/${x.p.case}/${st.action}`,
          payload: st.body(x, side) as InjectOptions['payload'],
        }),
        expect: side === 'i' ? outcomes(st.inside) : outcomes({ ok: ['admin'], rest: CASE_NOT_FOUND }),
        ok: (res, x) => expectCaseStage(res, x, st.to),
      }),
    ),
  ),
  // A department's answers to a whistle: its members alone, whoever else reads the case is refused.
  ...(['accept', 'report', 'return'] as const).flatMap((answer) =>
    (['i', 'o'] as const).map(
      (side): Case => ({
        route: `POST /api/cases/:id/whistles/:whistleId/${answer}`,
        target: `a whistle to ${side === 'i' ? '县民政局 of a case in 第一网格' : '邻安县民政局 (outside)'}`,
        prepare: async (x) => {
          const c = await freshCase(x, side, ['whistle']);
          const w = await x.db.query<{ id: number }>('SELECT id FROM case_whistles WHERE case_id = $1', [c]);
          return { case: c, whistle: Number(w[0]!.id) };
        },
        req: (x) => ({
          method: 'POST',
          url: `/api/cases/${x.p.case}/whistles/${x.p.whistle}/${answer}`,
          payload: answer === 'accept' ? {} : answer === 'report' ? { note: '已办结' } : { reason: '不属本部门' },
        }),
        expect:
          side === 'i'
            ? outcomes({ ok: ['bumen'], ...each(CASE_READERS, FORBIDDEN), rest: CASE_NOT_FOUND })
            : outcomes({ admin: FORBIDDEN, rest: CASE_NOT_FOUND }),
        ok: async (res, x) => {
          const w = await x.db.query<{ status: string }>('SELECT status FROM case_whistles WHERE id = $1', [
            x.p.whistle,
          ]);
          expect(w[0]!.status).toBe(answer === 'accept' ? 'accepted' : answer === 'report' ? 'reported' : 'returned');
          await expectCaseStage(
            res,
            x,
            answer === 'accept' ? 'whistled' : answer === 'report' ? 'handled' : 'escalated',
          );
        },
      }),
    ),
  ),
  {
    route: 'GET /api/workbench',
    target: 'the cases card and to-dos of the caller’s area',
    req: () => ({ method: 'GET', url: '/api/workbench' }),
    expect: outcomes({ ok: USERS }),
    ok: (res, x) => expectCasesWorkbench(res, x),
  },
  // ---- end cases core --------------------------------------------------------------------------------------
  // ---- case statistics (事件统计, helper D): cases.stats over the area; groups are listed even when empty ---------
  {
    route: 'GET /api/cases/stats',
    target: 'grids of 邻安第一网格 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/cases/stats?groupBy=grid&nodeId=${x.t.oGrid}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res, x) => expect(res.json().items.map((i: { key: string }) => i.key)).toEqual([String(x.t.oGrid)]),
  },
  {
    route: 'GET /api/cases/stats',
    target: 'grids of 第二网格 (beside the grid worker’s; grid workers hold no cases.stats)',
    req: (x) => ({ method: 'GET', url: `/api/cases/stats?groupBy=grid&nodeId=${x.t.iSiblingGrid}` }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: (res, x) => {
      const body = res.json() as { items: { key: string; label: string }[]; totals: { received: number } };
      expect(body.items).toEqual([
        expect.objectContaining({ key: String(x.t.iSiblingGrid), label: '东关社区 第二网格' }),
      ]);
    },
  },
  {
    route: 'GET /api/cases/stats',
    target: 'communities of the caller’s area (邻安社区 only for the system administrator)',
    req: () => ({ method: 'GET', url: '/api/cases/stats?groupBy=community' }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: (res, x) => {
      const keys = (res.json().items as { key: string }[]).map((i) => i.key);
      expect(keys).toContain(String(x.t.iCommunity));
      if (x.user === 'admin') expect(keys).toContain(String(x.t.oCommunity));
      else expect(keys).not.toContain(String(x.t.oCommunity));
      if (x.user === 'shequ') expect(keys).toEqual([String(x.t.iCommunity)]);
    },
  },
  {
    route: 'GET /api/cases/stats.xlsx',
    target: 'the sheet of 邻安第一网格 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/cases/stats.xlsx?groupBy=grid&nodeId=${x.t.oGrid}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res) => expect((await readSheet(res.rawPayload)).flat()).toContain('邻安社区 邻安第一网格'),
  },
  {
    route: 'GET /api/cases/stats.xlsx',
    target: 'the sheet of 第二网格',
    req: (x) => ({ method: 'GET', url: `/api/cases/stats.xlsx?groupBy=grid&nodeId=${x.t.iSiblingGrid}` }),
    expect: outcomes({ ok: MANAGERS, rest: FORBIDDEN }),
    ok: async (res) => {
      const cells = (await readSheet(res.rawPayload)).flat();
      expect(cells).toContain('东关社区 第二网格');
      expect(cells).toContain('合计');
    },
  },
  // ---- cases: phone web [F] (the grid map) ---------------------------------------------------------------------
  {
    route: 'GET /api/cases/map',
    target: '邻安社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/cases/map?nodeId=${x.t.oCommunity}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'ORG_NODE_NOT_FOUND') }),
    ok: (res, x) => expect(res.json().community.id).toBe(x.t.oCommunity),
  },
  {
    route: 'GET /api/cases/map',
    target: '第二网格 of 东关社区 (its community: everyone of the demo county may report there)',
    req: (x) => ({ method: 'GET', url: `/api/cases/map?nodeId=${x.t.iSiblingGrid}` }),
    expect: outcomes({ ok: USERS }),
    ok: (res, x) => {
      const body = res.json() as { community: { id: number }; grids: { id: number; boundary: unknown }[] };
      expect(body.community.id).toBe(x.t.iCommunity);
      expect(body.grids.map((g) => g.id)).toContain(x.t.iSiblingGrid);
      // the demo grids are drawn (grids other cases add to the community may not be)
      expect(body.grids.find((g) => g.id === x.t.iSiblingGrid)?.boundary).toBeTruthy();
    },
  },
  {
    route: 'GET /api/cases/map',
    target: 'the caller’s own community (none for posts above communities)',
    req: () => ({ method: 'GET', url: '/api/cases/map' }),
    expect: outcomes({
      ok: ['shequ', 'wangge', 'louzhang', 'jumin', 'zhiyuan', 'shanghu'],
      rest: no(404, 'ORG_NODE_NOT_FOUND'),
    }),
    ok: (res, x) => expect(res.json().community.id).toBe(x.t.iCommunity),
  },
  // ---- end cases: phone web [F] ----------------------------------------------------------------------------------
  // devices [F]: a device's telemetry, devices.read over its node.
  ...(
    [
      [
        'telIn',
        'a meter at 1号楼 of 第一网格 (the grid worker’s)',
        ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'],
      ],
      ['telSib', 'a meter in 第二网格 (not the grid worker’s)', ['admin', 'countyadmin', 'jiedao', 'shequ']],
      ['telOut', 'a meter in 邻安第一网格 (outside)', ['admin']],
    ] as const
  ).map(
    ([key, what, ok]): Case => ({
      route: 'GET /api/devices/:id/telemetry',
      target: what,
      req: (x) => ({
        method: 'GET',
        url: `/api/devices/${x.t[key]}/telemetry?metric=total_l&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z`,
      }),
      expect: outcomes({ ok, rest: no(404, 'DEVICE_NOT_FOUND') }),
      ok: (res, x) => {
        const body = res.json() as { deviceId: number; points: { value: number }[]; used: number };
        expect(body.deviceId).toBe(x.t[key]);
        expect([body.points.length, body.used]).toEqual([2, 5]);
      },
    }),
  ),
  // ---- end devices [F] ---------------------------------------------------------------------------------------------
  // ---- devices [A]: ingest and dead letters ----------------------------------------------------------------------
  {
    route: 'POST /api/ingest/devices/:id/messages',
    target: 'a device in 邻安县 (a user’s session or API token is never a device’s credential)',
    prepare: async (x) => ({ device: (await matrixDevice(x, x.t.oBuilding)).id }),
    req: (x) => ({
      method: 'POST',
      url: `/api/ingest/devices/${x.p.device}/messages`,
      payload: { values: { heart_rate: 70 } },
    }),
    expect: outcomes({ rest: no(401, 'DEVICE_AUTH_FAILED') }),
  },
  {
    route: 'GET /api/device-dead-letters',
    target: 'dead letters of a device in 邻安县 (outside) and of an unknown device (global scope only)',
    prepare: async (x) => {
      const d = await matrixDevice(x, x.t.oBuilding);
      return {
        outside: await matrixDeadLetter(x, d.id),
        unknown: await matrixDeadLetter(x, 900_000_000 + x.n),
      };
    },
    req: () => ({ method: 'GET', url: '/api/device-dead-letters?pageSize=200' }),
    expect: outcomes({
      ok: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'],
      rest: FORBIDDEN,
    }),
    ok: (res, x) => {
      const ids = (res.json() as { items: { id: number }[] }).items.map((i) => i.id);
      const global = x.user === 'admin';
      expect(ids.includes(x.p.outside!)).toBe(global);
      expect(ids.includes(x.p.unknown!)).toBe(global);
    },
  },
  {
    route: 'GET /api/device-dead-letters',
    target: 'a dead letter of a device in 1号楼 of the demo (every reader’s area)',
    prepare: async (x) => {
      const d = await matrixDevice(x, x.t.iBuilding);
      return { device: d.id, inside: await matrixDeadLetter(x, d.id) };
    },
    req: (x) => ({ method: 'GET', url: `/api/device-dead-letters?deviceId=${x.p.device}&reason=invalid_json` }),
    expect: outcomes({
      ok: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'],
      rest: FORBIDDEN,
    }),
    ok: (res, x) => {
      expect((res.json() as { items: { id: number }[] }).items.map((i) => i.id)).toEqual([x.p.inside]);
    },
  },
  // ---- end devices [A] -------------------------------------------------------------------------------------------
  // devices [B]
  ...ALARM_CASES,
  // ---- devices [C]: the registry (智能设备) ---------------------------------------------------------------------
  // devices.read over the area: the county, street, community and grid posts; devices.manage: all but the grid
  // worker; alarms.handle (the away switch): all five; devices.config (types, rules): the system administrator.
  // devOut in 邻安县 watches 矩阵外居民, devIn in 1号楼1单元 watches 矩阵内居民, devSib stands in 第二网格.
  {
    route: 'GET /api/device-types',
    target: 'the device types (the built-in water meter among them)',
    req: () => ({ method: 'GET', url: '/api/device-types' }),
    expect: outcomes({ ok: DEVICE_READERS, rest: FORBIDDEN }),
    ok: (res) => expect((res.json().items as { code: string }[]).map((i) => i.code)).toContain('water_meter'),
  },
  {
    route: 'POST /api/device-types',
    target: 'a new device type',
    req: (x) => ({
      method: 'POST',
      url: '/api/device-types',
      payload: {
        code: `mx_type_${x.n}`,
        nameZh: `矩阵类型${x.n}`,
        nameEn: `Matrix ${x.n}`,
        metrics: [{ key: 'level', nameZh: '液位', nameEn: 'Level', unit: 'm', min: 0, max: 10 }],
        events: [],
        reportIntervalS: 600,
      },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.statusCode).toBe(201);
      const rows = await x.db.query('SELECT name_zh FROM device_types WHERE code = $1', [`mx_type_${x.n}`]);
      expect(rows).toEqual([{ name_zh: `矩阵类型${x.n}` }]);
    },
  },
  {
    route: 'PATCH /api/device-types/:code',
    target: 'the built-in door sensor’s report interval (changed, read back, restored)',
    req: () => ({ method: 'PATCH', url: '/api/device-types/door_sensor', payload: { reportIntervalS: 1234 } }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ code: 'door_sensor', reportIntervalS: 1234 });
      const rows = await x.db.query(`SELECT report_interval_s FROM device_types WHERE code = 'door_sensor'`);
      expect(rows).toEqual([{ report_interval_s: 1234 }]);
      await x.admin('PATCH', '/api/device-types/door_sensor', { reportIntervalS: 3600 });
    },
  },
  {
    route: 'GET /api/device-rules',
    target: 'the water meter’s rules (the built-in no-use rule among them)',
    req: () => ({ method: 'GET', url: '/api/device-rules?typeCode=water_meter' }),
    expect: outcomes({ ok: DEVICE_READERS, rest: FORBIDDEN }),
    ok: (res, x) => expect(itemIds(res.json())).toContain(x.t.devRule),
  },
  {
    route: 'POST /api/device-rules',
    target: 'a new silence rule for the water meter',
    req: (x) => ({
      method: 'POST',
      url: '/api/device-rules',
      payload: {
        typeCode: 'water_meter',
        code: `mx_rule_${x.n}`,
        nameZh: `矩阵规则${x.n}`,
        nameEn: `Matrix rule ${x.n}`,
        kind: 'silent',
        params: { minutes: 45 },
        severity: 'minor',
        ladder: [{ level: 'grid', afterMin: 0 }],
      },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.statusCode).toBe(201);
      const rows = await x.db.query('SELECT params FROM device_rules WHERE id = $1', [res.json().id]);
      expect(rows).toEqual([{ params: { minutes: 45 } }]);
    },
  },
  {
    route: 'PATCH /api/device-rules/:id',
    target: 'a rule’s severity at the version read',
    prepare: async (x) => {
      const [row] = await x.db.query<{ id: number }>(
        `INSERT INTO device_rules (type_code, code, name_zh, name_en, kind, params)
         VALUES ('water_meter', $1, '矩阵待改', 'Matrix edit', 'silent', '{"minutes": 30}') RETURNING id`,
        [`mx_edit_${x.n}`],
      );
      return { rule: row!.id };
    },
    req: (x) => ({
      method: 'PATCH',
      url: `/api/device-rules/${x.p.rule}`,
      payload: { version: 1, severity: 'warning' },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: x.p.rule, severity: 'warning', version: 2 });
      const rows = await x.db.query('SELECT severity FROM device_rules WHERE id = $1', [x.p.rule]);
      expect(rows).toEqual([{ severity: 'warning' }]);
    },
  },
  {
    route: 'GET /api/devices',
    target: 'devices of the caller’s area',
    req: () => ({ method: 'GET', url: '/api/devices?pageSize=200' }),
    expect: outcomes({
      admin: { has: ['devOut', 'devIn', 'devSib'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], { has: ['devIn', 'devSib'], lacks: ['devOut'] }),
      wangge: { has: ['devIn'], lacks: ['devOut', 'devSib'] },
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/devices',
    target: 'devices under 邻安社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/devices?nodeId=${x.t.oCommunity}&pageSize=200` }),
    expect: outcomes({
      admin: { has: ['devOut'], lacks: ['devIn', 'devSib'] },
      ...each(
        DEVICE_READERS.filter((u) => u !== 'admin'),
        no(404, 'ORG_NODE_NOT_FOUND'),
      ),
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/devices/buildings',
    target: 'devices by building in the caller’s area',
    req: () => ({ method: 'GET', url: '/api/devices/buildings' }),
    items: (body) => (body as { items: { nodeId: number }[] }).items.map((i) => i.nodeId),
    expect: outcomes({
      admin: { has: ['oBuilding', 'iBuilding', 'iSiblingGrid'] },
      ...each(['countyadmin', 'jiedao', 'shequ'], { has: ['iBuilding', 'iSiblingGrid'], lacks: ['oBuilding'] }),
      wangge: { has: ['iBuilding'], lacks: ['oBuilding', 'iSiblingGrid'] },
      rest: FORBIDDEN,
    }),
  },
  {
    route: 'GET /api/devices/buildings',
    target: 'devices by building under 邻安社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/devices/buildings?nodeId=${x.t.oCommunity}` }),
    items: (body) => (body as { items: { nodeId: number }[] }).items.map((i) => i.nodeId),
    expect: outcomes({
      admin: { has: ['oBuilding'], lacks: ['iBuilding', 'iSiblingGrid'] },
      ...each(
        DEVICE_READERS.filter((u) => u !== 'admin'),
        no(404, 'ORG_NODE_NOT_FOUND'),
      ),
      rest: FORBIDDEN,
    }),
  },
  ...(
    [
      ['1号楼1单元', 'iUnit', DEVICE_MANAGERS],
      ['邻安县 1号楼1单元 (outside)', 'oUnit', ['admin']],
    ] as const
  ).map(
    ([where, key, ok]): Case => ({
      route: 'POST /api/devices',
      target: `a new water meter at ${where}`,
      req: (x) => ({
        method: 'POST',
        url: '/api/devices',
        payload: { typeCode: 'water_meter', serial: `MX${x.n}`, nodeId: x.t[key] },
      }),
      expect: outcomes({
        ok,
        ...each(
          DEVICE_MANAGERS.filter((u) => !(ok as readonly string[]).includes(u)),
          no(404, 'ORG_NODE_NOT_FOUND'),
        ),
        rest: FORBIDDEN,
      }),
      ok: async (res, x) => {
        expect(res.statusCode).toBe(201);
        const body = res.json() as { device: { id: number }; credentials: { token: string } };
        const rows = await x.db.query<{ node_id: number; h: Uint8Array }>(
          'SELECT node_id, secret_hash AS h FROM devices WHERE id = $1',
          [body.device.id],
        );
        expect(rows[0]!.node_id).toBe(x.t[key]);
        expect(Buffer.from(rows[0]!.h).toString('hex')).toBe(sha256Hex(body.credentials.token));
      },
    }),
  ),
  {
    route: 'GET /api/devices/:id',
    target: 'the device of 矩阵外居民 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/devices/${x.t.devOut}` }),
    expect: outcomes({ ok: ['admin'], rest: no(404, 'DEVICE_NOT_FOUND') }),
    ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.devOut, residentId: x.t.oRes }),
  },
  {
    route: 'GET /api/devices/:id',
    target: 'the device of 矩阵内居民 (1号楼1单元)',
    req: (x) => ({ method: 'GET', url: `/api/devices/${x.t.devIn}` }),
    expect: outcomes({ ok: DEVICE_READERS, rest: no(404, 'DEVICE_NOT_FOUND') }),
    ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.devIn, residentId: x.t.iRes }),
  },
  ...(
    [
      ['devIn', '1号楼1单元', DEVICE_MANAGERS, { wangge: FORBIDDEN }],
      ['devOut', '邻安县 (outside)', ['admin'], {}],
    ] as const
  ).flatMap(([key, where, ok, extra]): Case[] => [
    {
      route: 'PATCH /api/devices/:id',
      target: `the name of the device at ${where}`,
      prepare: async (x) => ({ v: await deviceVersion(x, x.t[key]) }),
      req: (x) => ({
        method: 'PATCH',
        url: `/api/devices/${x.t[key]}`,
        payload: { version: x.p.v, name: `矩阵${x.n}` },
      }),
      expect: outcomes({ ok, ...extra, rest: no(404, 'DEVICE_NOT_FOUND') }),
      ok: async (res, x) => {
        expect(res.json()).toMatchObject({ id: x.t[key], name: `矩阵${x.n}` });
        const rows = await x.db.query('SELECT name FROM devices WHERE id = $1', [x.t[key]]);
        expect(rows).toEqual([{ name: `矩阵${x.n}` }]);
      },
    },
    {
      route: 'POST /api/devices/:id/credentials',
      target: `new credentials of the device at ${where}`,
      req: (x) => ({ method: 'POST', url: `/api/devices/${x.t[key]}/credentials` }),
      expect: outcomes({ ok, ...extra, rest: no(404, 'DEVICE_NOT_FOUND') }),
      ok: async (res, x) => {
        const body = res.json() as { deviceId: number; token: string };
        expect(body.deviceId).toBe(x.t[key]);
        const rows = await x.db.query<{ h: Uint8Array }>('SELECT secret_hash AS h FROM devices WHERE id = $1', [
          x.t[key],
        ]);
        expect(Buffer.from(rows[0]!.h).toString('hex')).toBe(sha256Hex(body.token));
      },
    },
  ]),
  {
    route: 'GET /api/devices/import-template.xlsx',
    target: 'the devices import template',
    req: () => ({ method: 'GET', url: '/api/devices/import-template.xlsx' }),
    expect: outcomes({ ok: DEVICE_MANAGERS, rest: FORBIDDEN }),
    ok: async (res) => expect((await readSheet(res.rawPayload))[0]).toContain('序列号 Serial'),
  },
  ...(
    [
      ['1号楼 of 东关社区', '东关社区/第一网格/1号微网格/1号楼', DEVICE_MANAGERS],
      ['1号楼 of 邻安社区 (outside)', '邻安社区/邻安第一网格/1号楼', ['admin']],
    ] as const
  ).map(
    ([where, place, ok]): Case => ({
      route: 'POST /api/devices/import',
      target: `a file of one water meter at ${where}`,
      prepare: async (x) => {
        XLSX_FILES.set(x.n, await deviceXlsx(`MXI${x.n}`, place));
        return { file: x.n };
      },
      req: (x) => ({
        method: 'POST',
        url: '/api/devices/import',
        ...xlsxForm(XLSX_FILES.get(x.p.file!) ?? Buffer.alloc(0)),
      }),
      expect: outcomes({
        ok,
        ...each(
          DEVICE_MANAGERS.filter((u) => !(ok as readonly string[]).includes(u)),
          no(400, 'DEVICE_IMPORT_INVALID'),
        ),
        rest: FORBIDDEN,
      }),
      ok: async (res, x) => {
        expect(res.json()).toMatchObject({ created: 1, errors: [] });
        const rows = await x.db.query('SELECT 1 FROM devices WHERE serial = $1', [`MXI${x.p.file}`]);
        expect(rows).toHaveLength(1);
      },
    }),
  ),
  {
    route: 'GET /api/devices/export.xlsx',
    target: 'the caller’s devices as a file',
    req: () => ({ method: 'GET', url: '/api/devices/export.xlsx' }),
    expect: outcomes({ ok: DEVICE_READERS, rest: FORBIDDEN }),
    ok: async (res, x) => {
      const ids = (await readSheet(res.rawPayload)).slice(1).map((r) => r[0]);
      expect(ids).toContain(x.t.devIn);
      if (x.user !== 'admin') expect(ids).not.toContain(x.t.devOut);
    },
  },
  // The away switch: alarms.handle over the person; a person the caller may not read is not found.
  ...(
    [
      ['iRes', '矩阵内居民', DEVICE_READERS],
      ['oRes', '矩阵外居民 (outside)', ['admin']],
    ] as const
  ).flatMap(([key, who, ok]): Case[] => [
    {
      route: 'GET /api/residents/:id/away',
      target: `whether ${who} is away`,
      prepare: async (x) => {
        await setAwayRow(x, x.t[key]);
        return {};
      },
      req: (x) => ({ method: 'GET', url: `/api/residents/${x.t[key]}/away` }),
      expect: outcomes({ ok, rest: no(404, 'RESIDENT_NOT_FOUND') }),
      ok: (res, x) => expect(res.json()).toMatchObject({ residentId: x.t[key], reason: '矩阵外出' }),
    },
    {
      route: 'PUT /api/residents/:id/away',
      target: `${who} set away`,
      prepare: async (x) => {
        await x.db.query('DELETE FROM resident_away WHERE resident_id = $1', [x.t[key]]);
        return {};
      },
      req: (x) => ({ method: 'PUT', url: `/api/residents/${x.t[key]}/away`, payload: { reason: `外出${x.n}` } }),
      expect: outcomes({ ok, rest: no(404, 'RESIDENT_NOT_FOUND') }),
      ok: async (res, x) => {
        expect(res.statusCode).toBe(200);
        const rows = await x.db.query('SELECT reason FROM resident_away WHERE resident_id = $1', [x.t[key]]);
        expect(rows).toEqual([{ reason: `外出${x.n}` }]);
      },
    },
    {
      route: 'DELETE /api/residents/:id/away',
      target: `${who} home again`,
      prepare: async (x) => {
        await setAwayRow(x, x.t[key]);
        return {};
      },
      req: (x) => ({ method: 'DELETE', url: `/api/residents/${x.t[key]}/away` }),
      expect: outcomes({ ok, rest: no(404, 'RESIDENT_NOT_FOUND') }),
      ok: async (_res, x) =>
        expect(await x.db.query('SELECT 1 FROM resident_away WHERE resident_id = $1', [x.t[key]])).toEqual([]),
    },
    {
      route: 'GET /api/residents/:id/rule-overrides',
      target: `${who}’s rule overrides`,
      prepare: async (x) => {
        await setOverrideRow(x, x.t[key]);
        return {};
      },
      req: (x) => ({ method: 'GET', url: `/api/residents/${x.t[key]}/rule-overrides` }),
      expect: outcomes({ ok, rest: no(404, 'RESIDENT_NOT_FOUND') }),
      ok: (res, x) => expect((res.json().items as { ruleId: number }[]).map((i) => i.ruleId)).toContain(x.t.devRule),
    },
    {
      route: 'PUT /api/residents/:id/rule-overrides/:ruleId',
      target: `${who}’s later quiet end for the no-use rule`,
      req: (x) => ({
        method: 'PUT',
        url: `/api/residents/${x.t[key]}/rule-overrides/${x.t.devRule}`,
        payload: { params: { quietEnd: `0${x.n % 10}:30` }, enabled: true },
      }),
      expect: outcomes({
        ok: ok.filter((u) => u !== 'wangge'),
        ...(key === 'iRes' ? { wangge: FORBIDDEN } : {}),
        rest: no(404, 'RESIDENT_NOT_FOUND'),
      }),
      ok: async (res, x) => {
        expect(res.statusCode).toBe(200);
        const rows = await x.db.query(
          'SELECT params FROM device_rule_overrides WHERE resident_id = $1 AND rule_id = $2',
          [x.t[key], x.t.devRule],
        );
        expect(rows).toEqual([{ params: { quietEnd: `0${x.n % 10}:30` } }]);
      },
    },
    {
      route: 'DELETE /api/residents/:id/rule-overrides/:ruleId',
      target: `${who}’s override of the no-use rule removed`,
      prepare: async (x) => {
        await setOverrideRow(x, x.t[key]);
        return {};
      },
      req: (x) => ({ method: 'DELETE', url: `/api/residents/${x.t[key]}/rule-overrides/${x.t.devRule}` }),
      expect: outcomes({
        ok: ok.filter((u) => u !== 'wangge'),
        ...(key === 'iRes' ? { wangge: FORBIDDEN } : {}),
        rest: no(404, 'RESIDENT_NOT_FOUND'),
      }),
      ok: async (_res, x) =>
        expect(
          await x.db.query('SELECT 1 FROM device_rule_overrides WHERE resident_id = $1 AND rule_id = $2', [
            x.t[key],
            x.t.devRule,
          ]),
        ).toEqual([]),
    },
  ]),
  // The family's side: any account whose phone is on a person's contact list (a fresh account of each role,
  // given the phone of 矩阵内居民's contact); the demo accounts' phones are on no list.
  {
    route: 'GET /api/me/watched',
    target: 'the people the caller is a family contact of (矩阵内居民)',
    caller: 'fresh',
    prepare: async (x) => {
      await makeFamily(x);
      return {};
    },
    req: () => ({ method: 'GET', url: '/api/me/watched' }),
    expect: outcomes({ ok: USERS }),
    ok: (res, x) => expect((res.json().items as { residentId: number }[]).map((i) => i.residentId)).toContain(x.t.iRes),
  },
  {
    route: 'PUT /api/me/watched/:residentId/away',
    target: '矩阵内居民 set away by their family',
    caller: 'fresh',
    prepare: async (x) => {
      await makeFamily(x);
      await x.db.query('DELETE FROM resident_away WHERE resident_id = $1', [x.t.iRes]);
      return {};
    },
    req: (x) => ({ method: 'PUT', url: `/api/me/watched/${x.t.iRes}/away`, payload: { reason: `在子女家${x.n}` } }),
    expect: outcomes({ ok: USERS }),
    ok: async (_res, x) => {
      const rows = await x.db.query('SELECT reason FROM resident_away WHERE resident_id = $1', [x.t.iRes]);
      expect(rows).toEqual([{ reason: `在子女家${x.n}` }]);
    },
  },
  {
    route: 'PUT /api/me/watched/:residentId/away',
    target: '矩阵内居民, by someone whose phone is not on their contact list',
    req: (x) => ({ method: 'PUT', url: `/api/me/watched/${x.t.iRes}/away`, payload: { reason: '冒充' } }),
    expect: outcomes({ rest: no(404, 'RESIDENT_NOT_FOUND') }),
  },
  {
    route: 'DELETE /api/me/watched/:residentId/away',
    target: '矩阵内居民 home again, said by their family',
    caller: 'fresh',
    prepare: async (x) => {
      await makeFamily(x);
      await setAwayRow(x, x.t.iRes);
      return {};
    },
    req: (x) => ({ method: 'DELETE', url: `/api/me/watched/${x.t.iRes}/away` }),
    expect: outcomes({ ok: USERS }),
    ok: async (_res, x) =>
      expect(await x.db.query('SELECT 1 FROM resident_away WHERE resident_id = $1', [x.t.iRes])).toEqual([]),
  },
  {
    route: 'DELETE /api/me/watched/:residentId/away',
    target: '矩阵内居民 home again, said by someone whose phone is not on their contact list',
    prepare: async (x) => {
      await setAwayRow(x, x.t.iRes);
      return {};
    },
    req: (x) => ({ method: 'DELETE', url: `/api/me/watched/${x.t.iRes}/away` }),
    expect: outcomes({ rest: no(404, 'RESIDENT_NOT_FOUND') }),
  },
  // ---- end devices [C] ------------------------------------------------------------------------------------------
  // ---- grid work [B]: visit tasks and visits (visits.read/do/manage; the assignee; linked people) ----------------
  // 一网三联 links other cases leave (刘志愿 linked to 1号楼's household by [D]) are ended first: these cases
  // see the visits of people with posts only
  ...withoutLinks([
    {
      route: 'GET /api/visit-tasks',
      target: 'the fixed visit tasks: 1号楼 (the grid worker’s), 第二网格, 邻安县',
      req: () => ({ method: 'GET', url: '/api/visit-tasks?pageSize=200' }),
      expect: outcomes({
        admin: { has: ['vtIn', 'vtSib', 'vtOut'] },
        ...each(['countyadmin', 'jiedao', 'shequ'], { has: ['vtIn', 'vtSib'], lacks: ['vtOut'] }),
        ...each(['wangge', 'louzhang'], { has: ['vtIn'], lacks: ['vtSib', 'vtOut'] }),
        rest: { only: [] },
      }),
    },
    {
      route: 'GET /api/visit-tasks/:id',
      target: 'a visit task of 邻安县 (outside)',
      req: (x) => ({ method: 'GET', url: `/api/visit-tasks/${x.t.vtOut}` }),
      expect: outcomes({ ok: ['admin'], rest: no(404, 'VISIT_TASK_NOT_FOUND') }),
      ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.vtOut, residentId: x.t.oRes }),
    },
    {
      route: 'GET /api/visit-tasks/:id',
      target: 'a visit task of 第二网格 (not the grid worker’s)',
      req: (x) => ({ method: 'GET', url: `/api/visit-tasks/${x.t.vtSib}` }),
      expect: outcomes({ ok: VISIT_MANAGERS, rest: no(404, 'VISIT_TASK_NOT_FOUND') }),
      ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.vtSib, residentId: x.t.iSibRes }),
    },
    {
      route: 'GET /api/visit-tasks/:id',
      target: 'a visit task of 1号楼 (the grid worker’s; the building leader visits there)',
      req: (x) => ({ method: 'GET', url: `/api/visit-tasks/${x.t.vtIn}` }),
      expect: outcomes({ ok: [...VISIT_READERS, 'louzhang'], rest: no(404, 'VISIT_TASK_NOT_FOUND') }),
      ok: (res, x) => {
        const body = res.json();
        expect(body).toMatchObject({ id: x.t.vtIn, residentId: x.t.iRes, status: 'open' });
        expect(body.can.visit).toBe(true);
      },
    },
    ...(['in', 'out'] as const).flatMap((side): Case[] => {
      const okIn = side === 'in';
      const where = okIn ? 'a fresh open task of 1号楼 (the grid worker’s)' : 'a fresh open task of 邻安县 (outside)';
      const manage = okIn
        ? outcomes({
            ok: VISIT_MANAGERS,
            ...each(['wangge', 'louzhang'], FORBIDDEN),
            rest: no(404, 'VISIT_TASK_NOT_FOUND'),
          })
        : outcomes({ ok: ['admin'], rest: no(404, 'VISIT_TASK_NOT_FOUND') });
      return [
        {
          route: 'POST /api/visit-tasks/:id/assign',
          target: `${where}, to the system administrator (who may visit anywhere)`,
          prepare: async (x) => ({ ...(await freshVisitTask(side)(x)), admin: await userId(x.db, 'admin') }),
          req: (x) => ({
            method: 'POST',
            url: `/api/visit-tasks/${x.p.task}/assign`,
            payload: { assigneeId: x.p.admin },
          }),
          expect: manage,
          ok: async (res, x) => {
            const admin = await userId(x.db, 'admin');
            expect(res.json()).toMatchObject({ id: x.p.task, assigneeId: admin });
            expect((await visitTaskRow(x, x.p.task!)).assignee_id).toBe(admin);
          },
        },
        {
          route: 'POST /api/visit-tasks/:id/withdraw',
          target: where,
          prepare: freshVisitTask(side),
          req: (x) => ({
            method: 'POST',
            url: `/api/visit-tasks/${x.p.task}/withdraw`,
            payload: { note: `矩阵撤回${x.n}` },
          }),
          expect: manage,
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.task, status: 'withdrawn', withdrawnReason: 'manual' });
            expect(await visitTaskRow(x, x.p.task!)).toMatchObject({ status: 'withdrawn', withdrawn_reason: 'manual' });
          },
        },
        {
          route: 'POST /api/visits',
          target: `a visit on ${where}`,
          prepare: freshVisitTask(side),
          req: (x) => ({
            method: 'POST',
            url: '/api/visits',
            payload: {
              clientId: visitUuid(x.n),
              taskId: x.p.task,
              visitedAt: new Date(Date.now() - 60_000).toISOString(),
              outcome: 'well',
            },
          }),
          expect: okIn
            ? outcomes({ ok: [...VISIT_READERS, 'louzhang'], rest: no(404, 'VISIT_TASK_NOT_FOUND') })
            : outcomes({ ok: ['admin'], rest: no(404, 'VISIT_TASK_NOT_FOUND') }),
          ok: async (res, x) => {
            expect(res.statusCode).toBe(201);
            expect(res.json()).toMatchObject({ duplicate: false, visit: { taskId: x.p.task, outcome: 'well' } });
            expect((await visitTaskRow(x, x.p.task!)).status).toBe('done');
          },
        },
        {
          route: 'POST /api/visits/:id/case',
          target: `a visit that found someone needing help, ${okIn ? 'in 1号楼' : 'in 邻安县 (outside)'}`,
          prepare: freshHelpVisit(side),
          req: (x) => ({ method: 'POST', url: `/api/visits/${x.p.visit}/case`, payload: { categoryId: x.t.caseCat } }),
          expect: okIn
            ? outcomes({ ok: VISIT_READERS, rest: no(404, 'VISIT_NOT_FOUND') })
            : outcomes({ ok: ['admin'], rest: no(404, 'VISIT_NOT_FOUND') }),
          ok: async (res, x) => {
            const { caseId } = res.json() as { caseId: number };
            const rows = await x.db.query<{ case_id: number; source: string }>(
              'SELECT v.case_id, c.source FROM visits v JOIN cases c ON c.id = v.case_id WHERE v.id = $1',
              [x.p.visit],
            );
            expect(rows).toEqual([{ case_id: caseId, source: 'visit' }]);
          },
        },
      ];
    }),
    {
      route: 'GET /api/visits',
      target: 'the fixed visits: 1号楼, 第二网格, 邻安县 (by the system administrator)',
      req: () => ({ method: 'GET', url: '/api/visits?pageSize=200' }),
      expect: outcomes({
        admin: { has: ['viIn', 'viSib', 'viOut'] },
        ...each(['countyadmin', 'jiedao', 'shequ'], { has: ['viIn', 'viSib'], lacks: ['viOut'] }),
        wangge: { has: ['viIn'], lacks: ['viSib', 'viOut'] },
        // The building leader reads only the visits they made.
        louzhang: { has: ['viLeader'], lacks: ['viIn', 'viSib', 'viOut'] },
        rest: { only: [] },
      }),
    },
    {
      route: 'GET /api/visits/:id',
      target: 'a visit of 邻安县 (outside)',
      req: (x) => ({ method: 'GET', url: `/api/visits/${x.t.viOut}` }),
      expect: outcomes({ ok: ['admin'], rest: no(404, 'VISIT_NOT_FOUND') }),
      ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.viOut, residentId: x.t.oRes }),
    },
    {
      route: 'GET /api/visits/:id',
      target: 'a visit of 第二网格 (not the grid worker’s)',
      req: (x) => ({ method: 'GET', url: `/api/visits/${x.t.viSib}` }),
      expect: outcomes({ ok: VISIT_MANAGERS, rest: no(404, 'VISIT_NOT_FOUND') }),
      ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.viSib, residentId: x.t.iSibRes }),
    },
    {
      route: 'GET /api/visits/:id',
      target: 'a visit of 1号楼 (someone else’s: the building leader does not read it)',
      req: (x) => ({ method: 'GET', url: `/api/visits/${x.t.viIn}` }),
      expect: outcomes({ ok: VISIT_READERS, rest: no(404, 'VISIT_NOT_FOUND') }),
      ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.viIn, residentId: x.t.iRes, files: [] }),
    },
  ]),
  // ---- end grid work [B] ----------------------------------------------------------------------------------------
  // ---- grid work [C]: coverage (visits.read over the area; the grid worker reads their grid only) ---------------
  {
    route: 'GET /api/visits/coverage',
    target: 'coverage of 邻安第一网格 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/visits/coverage?nodeId=${x.t.oGrid}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res, x) => expect(res.json()).toMatchObject({ nodeId: x.t.oGrid, nodeName: '邻安第一网格', rows: [] }),
  },
  {
    route: 'GET /api/visits/coverage',
    target: 'coverage of 东关社区 (above the grid worker’s grid)',
    req: (x) => ({ method: 'GET', url: `/api/visits/coverage?nodeId=${x.t.iCommunity}&period=month` }),
    expect: outcomes({ ok: MANAGERS, wangge: no(404, 'ORG_NODE_NOT_FOUND'), rest: FORBIDDEN }),
    ok: (res, x) => {
      const body = res.json() as { nodeId: number; period: string; rows: { nodeId: number }[] };
      expect(body).toMatchObject({ nodeId: x.t.iCommunity, period: 'month' });
      expect(body.rows.map((r) => r.nodeId)).toContain(x.t.iGrid);
    },
  },
  {
    route: 'GET /api/visits/coverage',
    target: 'the caller’s own area by default (the grid worker: 第一网格)',
    req: () => ({ method: 'GET', url: '/api/visits/coverage' }),
    expect: outcomes({ ok: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'], rest: FORBIDDEN }),
    ok: (res, x) => {
      const want: Partial<Record<User, number>> = { jiedao: x.t.iStreet, shequ: x.t.iCommunity, wangge: x.t.iGrid };
      const expected = want[x.user];
      if (expected !== undefined) expect(res.json().nodeId).toBe(expected);
    },
  },
  {
    route: 'GET /api/visits/coverage/export',
    target: 'the sheet of 邻安第一网格 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/visits/coverage/export?nodeId=${x.t.oGrid}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res) => expect(String((await readSheet(res.rawPayload))[0]?.[0])).toContain('邻安第一网格'),
  },
  {
    route: 'GET /api/visits/coverage/export',
    target: 'the sheet of 第一网格 (the grid worker’s own)',
    req: (x) => ({ method: 'GET', url: `/api/visits/coverage/export?nodeId=${x.t.iGrid}` }),
    expect: outcomes({ ok: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'], rest: FORBIDDEN }),
    ok: async (res) => {
      const cells = (await readSheet(res.rawPayload)).flat();
      expect(String(cells[0])).toContain('第一网格');
      expect(cells).toContain('合计');
    },
  },
  {
    route: 'GET /api/visits/unvisited',
    target: 'households of 邻安第一网格 not visited (outside)',
    req: (x) => ({ method: 'GET', url: `/api/visits/unvisited?nodeId=${x.t.oGrid}&months=12&pageSize=200` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res, x) => {
      const ids = res.json().items.map((i: { householdId: number }) => i.householdId) as number[];
      // every household listed lies in 邻安第一网格; 邻安县's fixed household is listed unless someone saw it lately
      const outside = await x.db.query<{ id: number }>(
        `SELECT h.id FROM households h WHERE h.id = ANY($1::bigint[])
            AND h.node_path NOT LIKE (SELECT path FROM org_nodes WHERE id = $2) || '%'`,
        [ids, x.t.oGrid],
      );
      expect(outside).toEqual([]);
      const [seen] = await x.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM visits v LEFT JOIN residents r ON r.id = v.resident_id
          WHERE (v.household_id = $1 OR r.household_id = $1) AND v.outcome <> 'not_home'
            AND v.visited_at > now() - interval '12 months'`,
        [x.t.oHousehold],
      );
      if (seen!.n === 0) expect(ids).toContain(x.t.oHousehold);
      else expect(ids).not.toContain(x.t.oHousehold);
    },
  },
  {
    route: 'GET /api/visits/unvisited',
    target: 'households of 第二网格 (beside the grid worker’s)',
    req: (x) => ({ method: 'GET', url: `/api/visits/unvisited?nodeId=${x.t.iSiblingGrid}&months=12` }),
    expect: outcomes({ ok: MANAGERS, wangge: no(404, 'ORG_NODE_NOT_FOUND'), rest: FORBIDDEN }),
    ok: (res) => expect(res.json()).toMatchObject({ items: expect.any(Array), total: expect.any(Number) }),
  },
  // ---- end grid work [C] -------------------------------------------------------------------------------------------
  // ---- grid work [D]: 一网三联 links (/api/grid-links): visits.read lists, visits.manage keeps, anyone their own ----
  {
    route: 'GET /api/grid-links',
    target: 'links in 1号楼 (第一网格), 第二网格 and 邻安县',
    req: () => ({ method: 'GET', url: '/api/grid-links?pageSize=200' }),
    prepare: matrixLinks,
    expect: outcomes({ ok: LINK_READERS, rest: FORBIDDEN }),
    ok: (res, x) => {
      const ids = linkIds(res.json());
      expect(ids).toContain(x.p.linkIn);
      if (x.user === 'admin') expect(ids).toContain(x.p.linkOut);
      else expect(ids).not.toContain(x.p.linkOut);
      if (x.user === 'wangge') expect(ids).not.toContain(x.p.linkSib);
      else expect(ids).toContain(x.p.linkSib);
    },
  },
  {
    route: 'POST /api/grid-links',
    target: 'the outsider (邻安社区) to a household of 邻安县',
    req: (x) => ({
      method: 'POST',
      url: '/api/grid-links',
      payload: { kind: 'party_household', userId: x.t.oUser, householdIds: [x.t.oHousehold], validFrom: '2026-01-01' },
    }),
    prepare: (x) => endMatrixLinks(x, x.t.oHousehold),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'HOUSEHOLD_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: async (res, x) => {
      const body = res.json() as { items: { householdId: number; userId: number }[] };
      expect(body.items).toMatchObject([{ householdId: x.t.oHousehold, userId: x.t.oUser }]);
    },
  },
  {
    route: 'POST /api/grid-links',
    target: '刘志愿 (东关社区) to the matrix household of 1号楼',
    req: (x) => ({
      method: 'POST',
      url: '/api/grid-links',
      payload: {
        kind: 'party_household',
        userId: x.p.zhiyuan,
        householdIds: [x.t.iHousehold],
        validFrom: '2026-01-01',
      },
    }),
    prepare: async (x) => {
      await endMatrixLinks(x, x.t.iHousehold);
      const [u] = await x.db.query<{ id: number }>(`SELECT id::int AS id FROM users WHERE username = 'zhiyuan'`);
      return { zhiyuan: u!.id };
    },
    expect: outcomes({ ok: LINK_MANAGERS, rest: FORBIDDEN }),
    ok: async (res, x) => {
      const body = res.json() as { items: { id: number; householdId: number; communityId: number }[] };
      expect(body.items).toMatchObject([{ householdId: x.t.iHousehold, communityId: x.t.iCommunity }]);
      const rows = await x.db.query('SELECT 1 FROM grid_links WHERE id = $1 AND ended_at IS NULL', [body.items[0]!.id]);
      expect(rows).toHaveLength(1);
    },
  },
  ...(
    [
      ['linkIn', 'a link of 1号楼 (第一网格)', LINK_MANAGERS, { wangge: FORBIDDEN }],
      ['linkSib', 'a link of 第二网格', LINK_MANAGERS, { wangge: LINK_NOT_FOUND }],
      ['linkOut', 'a link in 邻安县', ['admin'], {}],
    ] as const
  ).flatMap(([key, what, ok, named]): Case[] => [
    {
      route: 'PATCH /api/grid-links/:id',
      target: what,
      req: (x) => ({ method: 'PATCH', url: `/api/grid-links/${x.p[key]}`, payload: { note: `矩阵${x.n}` } }),
      prepare: matrixLinks,
      expect: outcomes({ ok, ...named, rest: LINK_NOT_FOUND }),
      ok: async (res, x) => {
        expect(res.json()).toMatchObject({ id: x.p[key], note: `矩阵${x.n}` });
        const [row] = await x.db.query<{ note: string }>('SELECT note FROM grid_links WHERE id = $1', [x.p[key]]);
        expect(row!.note).toBe(`矩阵${x.n}`);
        await x.db.query('UPDATE grid_links SET note = NULL WHERE id = $1', [x.p[key]]);
      },
    },
    {
      route: 'POST /api/grid-links/:id/end',
      target: what,
      req: (x) => ({ method: 'POST', url: `/api/grid-links/${x.p[key]}/end`, payload: { reason: '矩阵结束' } }),
      prepare: matrixLinks,
      expect: outcomes({ ok, ...named, rest: LINK_NOT_FOUND }),
      ok: async (res, x) => {
        expect(res.json()).toMatchObject({ id: x.p[key], active: false });
        const rows = await x.db.query('SELECT 1 FROM grid_links WHERE id = $1 AND ended_at IS NOT NULL', [x.p[key]]);
        expect(rows).toHaveLength(1);
      },
    },
  ]),
  {
    route: 'GET /api/grid-links/tree',
    target: '邻安社区 (outside)',
    req: (x) => ({ method: 'GET', url: `/api/grid-links/tree?nodeId=${x.t.oCommunity}` }),
    prepare: matrixLinks,
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res, x) => {
      const body = res.json() as { nodeId: number; linkers: { links: { id: number }[] }[] };
      expect(body.nodeId).toBe(x.t.oCommunity);
      expect(body.linkers.flatMap((l) => l.links.map((k) => k.id))).toContain(x.p.linkOut);
    },
  },
  {
    route: 'GET /api/grid-links/tree',
    target: '第一网格 (the grid worker’s)',
    req: (x) => ({ method: 'GET', url: `/api/grid-links/tree?nodeId=${x.t.iGrid}` }),
    prepare: matrixLinks,
    expect: outcomes({ ok: LINK_READERS, rest: FORBIDDEN }),
    ok: (res, x) => {
      const body = res.json() as { nodeId: number; linkers: { links: { id: number }[] }[] };
      const ids = body.linkers.flatMap((l) => l.links.map((k) => k.id));
      expect(body.nodeId).toBe(x.t.iGrid);
      expect(ids).toContain(x.p.linkIn);
      expect(ids).not.toContain(x.p.linkSib);
    },
  },
  {
    route: 'GET /api/grid-links/gaps',
    target: '邻安第一网格’s building (outside)',
    req: (x) => ({ method: 'GET', url: `/api/grid-links/gaps?nodeId=${x.t.oBuilding}` }),
    expect: outcomes({
      ok: ['admin'],
      ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'ORG_NODE_NOT_FOUND')),
      rest: FORBIDDEN,
    }),
    ok: (res) => expect(Array.isArray(res.json().items)).toBe(true),
  },
  {
    route: 'GET /api/grid-links/gaps',
    target: '1号楼 (第一网格): a household nobody is linked to is listed',
    req: (x) => ({ method: 'GET', url: `/api/grid-links/gaps?nodeId=${x.t.iBuilding}&pageSize=200` }),
    prepare: (x) => endMatrixLinks(x, x.t.iHousehold),
    expect: outcomes({ ok: LINK_READERS, rest: FORBIDDEN }),
    ok: (res, x) => {
      const body = res.json() as { items: { householdId: number }[] };
      expect(body.items.map((g) => g.householdId)).toContain(x.t.iHousehold);
    },
  },
  {
    route: 'GET /api/grid-links/mine',
    target: 'the caller’s own links (刘志愿 is linked to the matrix household; nobody reads another’s)',
    req: () => ({ method: 'GET', url: '/api/grid-links/mine' }),
    prepare: matrixLinks,
    expect: outcomes({ ok: USERS }),
    ok: (res, x) => {
      const body = res.json() as { items: { link: { id: number }; households: { householdId: number }[] }[] };
      const links = body.items.map((i) => i.link.id);
      if (x.user === 'zhiyuan') {
        expect(links).toContain(x.p.linkIn);
        expect(body.items.flatMap((i) => i.households.map((h) => h.householdId))).toContain(x.t.iHousehold);
      } else expect(links).not.toContain(x.p.linkIn);
      expect(links).not.toContain(x.p.linkOut);
    },
  },
  // ---- end grid work [D] -------------------------------------------------------------------------------------------
  // ---- grid work [E]: the patrol log (巡查) -----------------------------------------------------------------------
  // visits.read and visits.do over 第一网格: admin, countyadmin, jiedao, shequ, wangge; louzhang holds visits.do at
  // 1号楼 only (their own patrols); everyone else neither. Patrols are written straight into the table by `prepare`:
  // wangge's in 第一网格, another's in 第二网格, an outsider's in 邻安第一网格.
  ...((): Case[] => {
    const PATROLLERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
    const BOSSES = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const;
    const PATROL_NOT_FOUND = no(404, 'PATROL_NOT_FOUND');
    const NOT_YOURS = no(403, 'PATROL_NOT_YOURS');
    const userId = async (x: Run, username: string) =>
      Number((await x.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]))[0]!.id);
    /** A patrol of `worker` at the node; an active one first ends the worker's patrol under way. */
    const patrol = async (x: Run, workerId: number, nodeId: number, status: 'active' | 'ended') => {
      if (status === 'active') {
        await x.db.query(
          `UPDATE patrols SET status = 'ended', ended_at = now() WHERE worker_id = $1 AND status = 'active'`,
          [workerId],
        );
      }
      const rows = await x.db.query<{ id: number }>(
        `INSERT INTO patrols (county_id, node_id, node_path, worker_id, status, started_at, ended_at, client_id)
         SELECT county_id, id, path, $2, $3, now() - interval '1 hour', CASE WHEN $3 = 'ended' THEN now() END,
                gen_random_uuid()
           FROM org_nodes WHERE id = $1 RETURNING id`,
        [nodeId, workerId, status],
      );
      return Number(rows[0]!.id);
    };
    const finding = async (x: Run, patrolId: number) => {
      const rows = await x.db.query<{ id: number }>(
        `INSERT INTO patrol_findings (county_id, patrol_id, node_id, node_path, description, found_at, client_id)
         SELECT county_id, id, node_id, node_path, '矩阵发现', now(), gen_random_uuid() FROM patrols WHERE id = $1
         RETURNING id`,
        [patrolId],
      );
      return Number(rows[0]!.id);
    };
    const activeIn = async (x: Run) => ({ patrol: await patrol(x, await userId(x, 'wangge'), x.t.iGrid, 'active') });
    const activeOut = async (x: Run) => ({ patrol: await patrol(x, x.t.oUser, x.t.oGrid, 'active') });
    const statusOf = async (x: Run, id: number) =>
      (await x.db.query<{ status: string }>('SELECT status FROM patrols WHERE id = $1', [id]))[0]!.status;
    const findingsOf = async (x: Run, id: number) =>
      (
        await x.db.query<{ description: string }>('SELECT description FROM patrol_findings WHERE patrol_id = $1', [id])
      ).map((r) => r.description);
    const caseOf = async (x: Run, id: number) =>
      (await x.db.query<{ case_id: number | null }>('SELECT case_id FROM patrol_findings WHERE id = $1', [id]))[0]!
        .case_id;
    /** Before a start: the caller has no patrol under way. */
    const noneActive = async (x: Run) => {
      await x.db.query(
        `UPDATE patrols SET status = 'ended', ended_at = now()
          WHERE status = 'active' AND worker_id = (SELECT id FROM users WHERE username = $1)`,
        [x.as],
      );
      return {};
    };
    const started = async (res: LightMyRequestResponse, x: Run, nodeId: number) => {
      const body = res.json() as { id: number; nodeId: number; status: string };
      expect(body).toMatchObject({ nodeId, status: 'active' });
      expect(await statusOf(x, body.id)).toBe('active');
      await noneActive(x);
    };
    return [
      {
        route: 'POST /api/patrols',
        target: 'a patrol of 第一网格',
        prepare: noneActive,
        perCaller: true,
        req: (x) => ({
          method: 'POST',
          url: '/api/patrols',
          payload: { clientId: crypto.randomUUID(), nodeId: x.t.iGrid },
        }),
        expect: outcomes({
          ok: PATROLLERS,
          louzhang: no(404, 'ORG_NODE_NOT_FOUND'),
          rest: FORBIDDEN,
        }),
        ok: (res, x) => started(res, x, x.t.iGrid),
      },
      {
        route: 'POST /api/patrols',
        target: 'a patrol of 邻安第一网格 (outside)',
        prepare: noneActive,
        perCaller: true,
        req: (x) => ({
          method: 'POST',
          url: '/api/patrols',
          payload: { clientId: crypto.randomUUID(), nodeId: x.t.oGrid },
        }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'wangge', 'louzhang'], no(404, 'ORG_NODE_NOT_FOUND')),
          rest: FORBIDDEN,
        }),
        ok: (res, x) => started(res, x, x.t.oGrid),
      },
      {
        route: 'GET /api/patrols/current',
        target: 'the caller’s own patrol under way',
        req: () => ({ method: 'GET', url: '/api/patrols/current' }),
        expect: outcomes({ ok: [...PATROLLERS, 'louzhang'], rest: FORBIDDEN }),
        ok: (res) => expect(res.json()).toHaveProperty('patrol'),
      },
      {
        route: 'GET /api/patrols',
        target: 'ended patrols of 第一网格 (wangge’s), 第二网格 and 邻安第一网格',
        prepare: async (x) => ({
          in: await patrol(x, await userId(x, 'wangge'), x.t.iGrid, 'ended'),
          sib: await patrol(x, x.t.peerUser, x.t.iSiblingGrid, 'ended'),
          out: await patrol(x, x.t.oUser, x.t.oGrid, 'ended'),
        }),
        req: () => ({ method: 'GET', url: '/api/patrols?status=ended&pageSize=200' }),
        expect: outcomes({ ok: [...PATROLLERS, 'louzhang'], rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          const sees = {
            in: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'],
            sib: ['admin', 'countyadmin', 'jiedao', 'shequ'],
            out: ['admin'],
          };
          for (const [k, who] of Object.entries(sees)) {
            if (who.includes(x.user)) expect(ids, `${x.user} sees ${k}`).toContain(x.p[k]);
            else expect(ids, `${x.user} does not see ${k}`).not.toContain(x.p[k]);
          }
        },
      },
      {
        route: 'GET /api/patrols/:id',
        target: 'wangge’s patrol of 第一网格',
        prepare: async (x) => ({ patrol: await patrol(x, await userId(x, 'wangge'), x.t.iGrid, 'ended') }),
        req: (x) => ({ method: 'GET', url: `/api/patrols/${x.p.patrol}` }),
        expect: outcomes({ ok: PATROLLERS, rest: PATROL_NOT_FOUND }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.patrol, nodeId: x.t.iGrid, items: [] }),
      },
      {
        route: 'GET /api/patrols/:id',
        target: 'a patrol of 邻安第一网格 (outside)',
        prepare: async (x) => ({ patrol: await patrol(x, x.t.oUser, x.t.oGrid, 'ended') }),
        req: (x) => ({ method: 'GET', url: `/api/patrols/${x.p.patrol}` }),
        expect: outcomes({ ok: ['admin'], rest: PATROL_NOT_FOUND }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.patrol }),
      },
      {
        route: 'POST /api/patrols/:id/end',
        target: 'wangge’s patrol under way in 第一网格 (only its worker ends it)',
        prepare: activeIn,
        req: (x) => ({ method: 'POST', url: `/api/patrols/${x.p.patrol}/end`, payload: { note: '矩阵' } }),
        expect: outcomes({ ok: ['wangge'], ...each(BOSSES, NOT_YOURS), rest: PATROL_NOT_FOUND }),
        ok: async (_res, x) => expect(await statusOf(x, x.p.patrol!)).toBe('ended'),
      },
      {
        route: 'POST /api/patrols/:id/end',
        target: 'an outsider’s patrol under way in 邻安第一网格',
        prepare: activeOut,
        req: (x) => ({ method: 'POST', url: `/api/patrols/${x.p.patrol}/end`, payload: {} }),
        expect: outcomes({ admin: NOT_YOURS, rest: PATROL_NOT_FOUND }),
      },
      {
        route: 'POST /api/patrols/:id/findings',
        target: 'a finding on wangge’s patrol under way in 第一网格 (only its worker records one)',
        prepare: activeIn,
        req: (x) => ({
          method: 'POST',
          url: `/api/patrols/${x.p.patrol}/findings`,
          payload: { clientId: crypto.randomUUID(), description: `矩阵发现${x.n}` },
        }),
        expect: outcomes({ ok: ['wangge'], ...each(BOSSES, NOT_YOURS), rest: PATROL_NOT_FOUND }),
        ok: async (_res, x) => expect(await findingsOf(x, x.p.patrol!)).toEqual([`矩阵发现${x.n}`]),
      },
      {
        route: 'POST /api/patrols/:id/findings',
        target: 'a finding on an outsider’s patrol in 邻安第一网格',
        prepare: activeOut,
        req: (x) => ({
          method: 'POST',
          url: `/api/patrols/${x.p.patrol}/findings`,
          payload: { clientId: crypto.randomUUID(), description: '矩阵' },
        }),
        expect: outcomes({ admin: NOT_YOURS, rest: PATROL_NOT_FOUND }),
      },
      {
        route: 'POST /api/patrols/findings/:id/case',
        target: 'a finding of wangge’s patrol in 第一网格 (visits.do over it opens the case)',
        prepare: async (x) => {
          const p = await patrol(x, await userId(x, 'wangge'), x.t.iGrid, 'ended');
          return { finding: await finding(x, p) };
        },
        req: (x) => ({
          method: 'POST',
          url: `/api/patrols/findings/${x.p.finding}/case`,
          payload: { categoryId: x.t.caseCat },
        }),
        expect: outcomes({ ok: PATROLLERS, rest: no(404, 'PATROL_FINDING_NOT_FOUND') }),
        ok: async (res, x) => {
          const caseId = await caseOf(x, x.p.finding!);
          expect(res.json()).toMatchObject({ id: x.p.finding, caseId });
          expect(caseId).toEqual(expect.any(Number));
        },
      },
      {
        route: 'POST /api/patrols/findings/:id/case',
        target: 'a finding of a patrol in 邻安第一网格 (outside)',
        prepare: async (x) => {
          const p = await patrol(x, x.t.oUser, x.t.oGrid, 'ended');
          return { finding: await finding(x, p) };
        },
        req: (x) => ({
          method: 'POST',
          url: `/api/patrols/findings/${x.p.finding}/case`,
          payload: { categoryId: x.t.caseCat },
        }),
        expect: outcomes({ ok: ['admin'], rest: no(404, 'PATROL_FINDING_NOT_FOUND') }),
        ok: async (res, x) =>
          expect(res.json()).toMatchObject({ id: x.p.finding, caseId: await caseOf(x, x.p.finding!) }),
      },
    ];
  })(),
  // ---- end grid work [E] ------------------------------------------------------------------------------------------
  // ---- points [A] cases ----
  // points.read over 矩阵内居民 (1号楼, 第一网格): admin, countyadmin, jiedao, shequ, wangge; points.manage the same but
  // wangge; nobody else holds either. Accounts and transfers are made by `prepare` through the ledger engine: 矩阵内居民's
  // (inside) and 邻安县's resident's (outside, the system administrator's only). jumin is 矩阵内居民's own account.
  ...((): Case[] => {
    const READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
    const WRITERS = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const;
    const NON_READERS = ['louzhang', 'bumen', ...NOBODY] as const;
    const fundBoth = async (x: Run) => {
      const i = await pointsFund(x, x.t.iRes);
      const o = await pointsFund(x, x.t.oRes);
      return { accIn: i.account, accOut: o.account, tIn: i.transfer, tOut: o.transfer };
    };
    const movementsOk = (res: LightMyRequestResponse, x: Run, acc: number, transfer: number) => {
      const body = res.json() as { account: { id: number }; items: { transferId: number; amount: number }[] };
      expect(body.account.id).toBe(acc);
      expect(body.items.map((m) => m.transferId)).toContain(transfer);
      expect(x.user).not.toBe('louzhang');
    };
    return [
      {
        route: 'GET /api/points/accounts',
        target: 'resident accounts: 矩阵内居民’s (inside) and 邻安县’s (the system administrator’s only)',
        prepare: fundBoth,
        req: () => ({ method: 'GET', url: '/api/points/accounts?kind=resident&currency=points&limit=200' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          expect(ids).toContain(x.p.accIn);
          if (x.user === 'admin') expect(ids).toContain(x.p.accOut);
          else expect(ids).not.toContain(x.p.accOut);
        },
      },
      {
        route: 'GET /api/points/accounts/:id/movements',
        target: '矩阵内居民’s passbook',
        prepare: fundBoth,
        req: (x) => ({ method: 'GET', url: `/api/points/accounts/${x.p.accIn}/movements` }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => movementsOk(res, x, x.p.accIn!, x.p.tIn!),
      },
      {
        route: 'GET /api/points/accounts/:id/movements',
        target: '邻安县’s resident’s passbook',
        prepare: fundBoth,
        req: (x) => ({ method: 'GET', url: `/api/points/accounts/${x.p.accOut}/movements` }),
        expect: outcomes({
          ok: ['admin'],
          ...each(NON_READERS, FORBIDDEN),
          rest: no(404, 'LEDGER_ACCOUNT_NOT_FOUND'),
        }),
        ok: (res, x) => movementsOk(res, x, x.p.accOut!, x.p.tOut!),
      },
      {
        route: 'GET /api/points/residents/:id',
        target: '矩阵内居民’s balances',
        prepare: fundBoth,
        req: (x) => ({ method: 'GET', url: `/api/points/residents/${x.t.iRes}` }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: async (res, x) => {
          const [a] = await x.db.query<{ balance: number }>('SELECT balance FROM ledger_accounts WHERE id = $1', [
            x.p.accIn,
          ]);
          const body = res.json() as { resident: { id: number }; balances: { currency: string; balance: number }[] };
          expect(body.resident.id).toBe(x.t.iRes);
          expect(body.balances.find((b) => b.currency === 'points')?.balance).toBe(Number(a!.balance));
        },
      },
      {
        route: 'GET /api/points/residents/:id',
        target: '邻安县’s resident’s balances',
        req: (x) => ({ method: 'GET', url: `/api/points/residents/${x.t.oRes}` }),
        expect: outcomes({ ok: ['admin'], ...each(NON_READERS, FORBIDDEN), rest: no(404, 'RESIDENT_NOT_FOUND') }),
        ok: (res, x) => expect(res.json().resident.id).toBe(x.t.oRes),
      },
      {
        route: 'GET /api/points/totals',
        target: 'the caller’s area: 东关社区’s row (never 邻安县’s communities but for the system administrator)',
        prepare: fundBoth,
        req: () => ({ method: 'GET', url: '/api/points/totals' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => {
          const rows = (res.json() as { rows: { communityId: number }[] }).rows.map((r) => r.communityId);
          if (x.user !== 'wangge' && x.user !== 'admin') expect(rows).toContain(x.t.iCommunity);
          if (x.user !== 'admin') expect(rows).not.toContain(x.t.oCommunity);
        },
      },
      {
        route: 'GET /api/points/totals',
        target: '邻安县’s community',
        prepare: fundBoth,
        req: (x) => ({ method: 'GET', url: `/api/points/totals?nodeId=${x.t.oCommunity}` }),
        expect: outcomes({ ok: ['admin'], ...each(NON_READERS, FORBIDDEN), rest: no(404, 'ORG_NODE_NOT_FOUND') }),
        // one row per currency the community has used (other cases add hours there): only that community
        ok: (res, x) =>
          expect([
            ...new Set((res.json() as { rows: { communityId: number }[] }).rows.map((r) => r.communityId)),
          ]).toEqual([x.t.oCommunity]),
      },
      {
        route: 'GET /api/points/totals/export',
        target: 'the caller’s area as an Excel sheet',
        req: () => ({ method: 'GET', url: '/api/points/totals/export' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: async (res) => {
          expect(res.headers['content-type']).toContain('spreadsheetml');
          const rows = await readSheet(res.rawPayload);
          expect(String(rows[0]?.[0] ?? '')).toMatch(/积分统计|Points totals/);
        },
      },
      {
        route: 'GET /api/points/totals/export',
        target: '邻安县’s community as an Excel sheet',
        req: (x) => ({ method: 'GET', url: `/api/points/totals/export?nodeId=${x.t.oCommunity}` }),
        expect: outcomes({ ok: ['admin'], ...each(NON_READERS, FORBIDDEN), rest: no(404, 'ORG_NODE_NOT_FOUND') }),
        ok: (res) => expect(res.headers['content-type']).toContain('spreadsheetml'),
      },
      {
        route: 'POST /api/points/awards',
        target: '5 points to 矩阵内居民',
        req: (x) => ({
          method: 'POST',
          url: '/api/points/awards',
          payload: { residentId: x.t.iRes, currency: 'points', amount: 5, reason: `矩阵奖励${x.n}` },
        }),
        expect: outcomes({ ok: WRITERS, rest: FORBIDDEN }),
        ok: async (res, x) => {
          const [t] = await x.db.query<{ reason: string; resident_id: number }>(
            `SELECT t.reason, a.resident_id FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.to_account_id
              WHERE t.id = $1`,
            [res.json().transferId],
          );
          expect(t).toEqual({ reason: `矩阵奖励${x.n}`, resident_id: x.t.iRes });
        },
      },
      {
        route: 'POST /api/points/awards',
        target: '5 points to 邻安县’s resident',
        req: (x) => ({
          method: 'POST',
          url: '/api/points/awards',
          payload: { residentId: x.t.oRes, currency: 'points', amount: 5, reason: `矩阵奖励${x.n}` },
        }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['wangge', ...NON_READERS], FORBIDDEN),
          rest: no(404, 'RESIDENT_NOT_FOUND'),
        }),
        ok: async (res, x) => {
          const [t] = await x.db.query<{ resident_id: number }>(
            'SELECT a.resident_id FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.to_account_id WHERE t.id = $1',
            [res.json().transferId],
          );
          expect(t?.resident_id).toBe(x.t.oRes);
        },
      },
      {
        route: 'POST /api/points/transfers/:id/reverse',
        target: 'an award to 矩阵内居民',
        prepare: fundBoth,
        req: (x) => ({
          method: 'POST',
          url: `/api/points/transfers/${x.p.tIn}/reverse`,
          payload: { reason: '矩阵冲正' },
        }),
        expect: outcomes({ ok: WRITERS, rest: FORBIDDEN }),
        ok: async (res, x) => {
          expect(res.json().reversesId).toBe(x.p.tIn);
          const rows = await x.db.query('SELECT id FROM ledger_transfers WHERE reverses_id = $1', [x.p.tIn]);
          expect(rows).toHaveLength(1);
        },
      },
      {
        route: 'POST /api/points/transfers/:id/reverse',
        target: 'an award to 邻安县’s resident',
        prepare: fundBoth,
        req: (x) => ({
          method: 'POST',
          url: `/api/points/transfers/${x.p.tOut}/reverse`,
          payload: { reason: '矩阵冲正' },
        }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['wangge', ...NON_READERS], FORBIDDEN),
          rest: no(404, 'LEDGER_TRANSFER_NOT_FOUND'),
        }),
        ok: (res, x) => expect(res.json().reversesId).toBe(x.p.tOut),
      },
      {
        route: 'GET /api/me/points',
        target: 'the caller’s own points: jumin’s are 矩阵内居民’s; nobody else has a resident record',
        prepare: fundBoth,
        req: () => ({ method: 'GET', url: '/api/me/points' }),
        expect: outcomes({ ok: ['jumin'], rest: no(409, 'LEDGER_NO_RESIDENT') }),
        ok: (res, x) => expect(res.json().resident.id).toBe(x.t.iRes),
      },
      {
        route: 'GET /api/me/points/movements',
        target: 'the caller’s own passbook (jumin: 矩阵内居民’s)',
        prepare: fundBoth,
        req: () => ({ method: 'GET', url: '/api/me/points/movements' }),
        expect: outcomes({ ok: ['jumin'], rest: no(409, 'LEDGER_NO_RESIDENT') }),
        ok: (res, x) =>
          expect((res.json() as { items: { transferId: number }[] }).items.map((m) => m.transferId)).toContain(x.p.tIn),
      },
    ];
  })(),
  // ---- end points [A] cases ----
  // ---- points [B] cases ----
  // Earning rules and settings (installation-wide: points.config changes, points.read reads); garbage check-ins
  // (visits.do or points.manage over the resident records; points.read or visits.read lists, a supervisor their own).
  {
    route: 'GET /api/points/rules',
    target: 'the earning rules (the builtin 随手拍被受理 among them)',
    req: () => ({ method: 'GET', url: '/api/points/rules' }),
    expect: outcomes({ ok: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'], rest: FORBIDDEN }),
    ok: (res) => {
      const items = (res.json() as { items: { code: string; amount: number; dailyCap: number | null }[] }).items;
      expect(items).toContainEqual(expect.objectContaining({ code: 'case_confirmed', amount: 10, dailyCap: 30 }));
    },
  },
  {
    route: 'POST /api/points/rules',
    target: 'a new activity rule, disabled',
    req: (x) => ({
      method: 'POST',
      url: '/api/points/rules',
      payload: {
        code: `mx_earn_${x.n}`,
        name: '矩阵规则',
        trigger: 'activity',
        activityType: `mx_${x.n}`,
        amount: 3,
        enabled: false,
      },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ code: `mx_earn_${x.n}`, amount: 3, enabled: false });
      const rows = await x.db.query('SELECT name, amount::int AS amount FROM earning_rules WHERE code = $1', [
        `mx_earn_${x.n}`,
      ]);
      expect(rows).toEqual([{ name: '矩阵规则', amount: 3 }]);
    },
  },
  {
    route: 'PATCH /api/points/rules/:id',
    target: 'a disabled activity rule changed',
    prepare: async (x) => ({ rule: await matrixEarningRule(x, false) }),
    req: (x) => ({
      method: 'PATCH',
      url: `/api/points/rules/${x.p.rule}`,
      payload: { version: 1, name: '矩阵已改', amount: 7 },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: x.p.rule, name: '矩阵已改', amount: 7, version: 2 });
      const rows = await x.db.query('SELECT name, amount::int AS amount FROM earning_rules WHERE id = $1', [x.p.rule]);
      expect(rows).toEqual([{ name: '矩阵已改', amount: 7 }]);
    },
  },
  ...(['enable', 'disable'] as const).map(
    (action): Case => ({
      route: `POST /api/points/rules/:id/${action}`,
      target: `an activity rule to ${action}`,
      prepare: async (x) => ({ rule: await matrixEarningRule(x, action === 'disable') }),
      req: (x) => ({ method: 'POST', url: `/api/points/rules/${x.p.rule}/${action}`, payload: { version: 1 } }),
      expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
      ok: async (res, x) => {
        expect(res.json()).toMatchObject({ id: x.p.rule, enabled: action === 'enable', version: 2 });
        const rows = await x.db.query('SELECT enabled FROM earning_rules WHERE id = $1', [x.p.rule]);
        expect(rows).toEqual([{ enabled: action === 'enable' }]);
      },
    }),
  ),
  {
    route: 'GET /api/points/settings',
    target: 'the points settings',
    req: () => ({ method: 'GET', url: '/api/points/settings' }),
    expect: outcomes({ ok: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'], rest: FORBIDDEN }),
    ok: (res) => expect(res.json()).toMatchObject({ householdMode: 'sum', pointsPerYuan: 100 }),
  },
  {
    route: 'PUT /api/points/settings',
    target: 'the points settings, saved unchanged (the version moves)',
    prepare: async (x) => {
      const [row] = await x.db.query<{ version: number }>('SELECT version FROM points_settings WHERE id = 1');
      return { version: row!.version };
    },
    req: (x) => ({
      method: 'PUT',
      url: '/api/points/settings',
      payload: {
        version: x.p.version,
        householdMode: 'sum',
        expiryPolicy: 'none',
        expiryYears: 1,
        conductEnabled: false,
        pointsPerYuan: 100,
      },
    }),
    expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ householdMode: 'sum', version: x.p.version! + 1 });
      const rows = await x.db.query('SELECT version FROM points_settings WHERE id = 1');
      expect(rows).toEqual([{ version: x.p.version! + 1 }]);
    },
  },
  ...(['in', 'out'] as const).map(
    (side): Case => ({
      route: 'POST /api/points/garbage-checkins',
      target: side === 'in' ? 'a resident of 1号楼 (the building leader’s)' : 'a resident of 邻安县 (outside)',
      req: (x) => ({
        method: 'POST',
        url: '/api/points/garbage-checkins',
        payload: { residentId: side === 'in' ? x.t.iRes : x.t.oRes, quality: 'good', clientId: crypto.randomUUID() },
      }),
      expect:
        side === 'in'
          ? outcomes({
              ok: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge', 'louzhang'],
              rest: no(404, 'RESIDENT_NOT_FOUND'),
            })
          : outcomes({ ok: ['admin'], rest: no(404, 'RESIDENT_NOT_FOUND') }),
      ok: async (res, x) => {
        const resident = side === 'in' ? x.t.iRes : x.t.oRes;
        expect(res.statusCode).toBe(201);
        const body = res.json() as { id: number; residentId: number; outcome: string };
        expect(body).toMatchObject({ residentId: resident, quality: 'good' });
        expect(['credited', 'capped']).toContain(body.outcome);
        const rows = await x.db.query('SELECT resident_id::int AS r FROM garbage_checkins WHERE id = $1', [body.id]);
        expect(rows).toEqual([{ r: resident }]);
      },
    }),
  ),
  {
    route: 'GET /api/points/garbage-checkins',
    target: 'a check-in of 1号楼 recorded by the building leader, one of 邻安县',
    prepare: async (x) => ({
      in: await matrixCheckin(x, x.t.iRes, 'louzhang'),
      out: await matrixCheckin(x, x.t.oRes, 'admin'),
    }),
    req: () => ({ method: 'GET', url: '/api/points/garbage-checkins?limit=500' }),
    expect: outcomes({
      ok: ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge', 'louzhang'],
      rest: FORBIDDEN,
    }),
    ok: (res, x) => {
      const ids = (res.json() as { items: { id: number }[] }).items.map((i) => i.id);
      expect(ids).toContain(x.p.in);
      if (x.user === 'admin') expect(ids).toContain(x.p.out);
      else expect(ids).not.toContain(x.p.out);
    },
  },
  // ---- end points [B] cases ----
  // ---- points [C] cases ----
  // merchants, goods, the redemptions list and settlements. points.read over 第一网格: admin, countyadmin, jiedao,
  // shequ, wangge; points.manage: the first four; shanghu holds points.redeem (and admins, who hold everything).
  // Inside targets sit in 第一网格 (东关社区), outside ones in 邻安社区; both made fresh by `prepare`.
  ...((): Case[] => {
    const READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
    const WRITERS = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const;
    const OUT_READERS = ['countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
    const OUT_WRITERS = ['countyadmin', 'jiedao', 'shequ'] as const;
    const NOT_FOUND = no(404, 'MERCHANT_NOT_FOUND');
    const GOODS_NOT_FOUND = no(404, 'MERCHANT_GOODS_NOT_FOUND');
    const S_NOT_FOUND = no(404, 'SETTLEMENT_NOT_FOUND');
    const sides = [
      {
        side: 'in',
        node: (x: Run) => x.t.iGrid,
        label: 'in 第一网格',
        read: outcomes({ ok: READERS, rest: FORBIDDEN }),
      },
      {
        side: 'out',
        node: (x: Run) => x.t.oCommunity,
        label: 'in 邻安社区 (outside)',
        read: outcomes({ ok: ['admin'], ...each(OUT_READERS, NOT_FOUND), rest: FORBIDDEN }),
      },
    ] as const;
    const write = (side: 'in' | 'out', nf: Refusal) =>
      side === 'in'
        ? outcomes({ ok: WRITERS, rest: FORBIDDEN })
        : outcomes({ ok: ['admin'], ...each(OUT_WRITERS, nf), rest: FORBIDDEN });
    const read = (side: 'in' | 'out', nf: Refusal) =>
      side === 'in'
        ? outcomes({ ok: READERS, rest: FORBIDDEN })
        : outcomes({ ok: ['admin'], ...each(OUT_READERS, nf), rest: FORBIDDEN });
    const shanghuId = async (x: Run) =>
      Number((await x.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'shanghu'`))[0]!.id);
    const cases: Case[] = [];
    for (const s of sides) {
      cases.push(
        {
          route: 'POST /api/points/merchants',
          target: `a merchant ${s.label}`,
          req: (x) => ({
            method: 'POST',
            url: '/api/points/merchants',
            payload: { nodeId: s.node(x), name: `商户${x.n}` },
          }),
          expect: write(s.side, no(404, 'ORG_NODE_NOT_FOUND')),
          ok: async (res, x) => {
            const body = res.json() as { id: number; nodeId: number };
            expect(body.nodeId).toBe(s.node(x));
            expect(await x.db.query('SELECT id FROM merchants WHERE id = $1', [body.id])).toHaveLength(1);
          },
        },
        {
          route: 'GET /api/points/merchants/:id',
          target: `a merchant ${s.label}`,
          prepare: async (x) => ({ m: await pcMerchant(x, s.node(x)) }),
          req: (x) => ({ method: 'GET', url: `/api/points/merchants/${x.p.m}` }),
          expect: s.read,
          ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.m }),
        },
        {
          route: 'PATCH /api/points/merchants/:id',
          target: `a merchant ${s.label}`,
          prepare: async (x) => ({ m: await pcMerchant(x, s.node(x)) }),
          req: (x) => ({ method: 'PATCH', url: `/api/points/merchants/${x.p.m}`, payload: { status: 'suspended' } }),
          expect: write(s.side, NOT_FOUND),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.m, status: 'suspended' });
            const [m] = await x.db.query<{ status: string }>('SELECT status FROM merchants WHERE id = $1', [x.p.m]);
            expect(m!.status).toBe('suspended');
          },
        },
        {
          route: 'POST /api/points/merchants/:id/members',
          target: `shanghu as staff of a merchant ${s.label}`,
          prepare: async (x) => ({ m: await pcMerchant(x, s.node(x)), u: await shanghuId(x) }),
          req: (x) => ({ method: 'POST', url: `/api/points/merchants/${x.p.m}/members`, payload: { userId: x.p.u } }),
          expect: write(s.side, NOT_FOUND),
          ok: (res, x) =>
            expect((res.json() as { staff: { userId: number }[] }).staff.map((m) => m.userId)).toEqual([x.p.u]),
        },
        {
          route: 'DELETE /api/points/merchants/:id/members/:userId',
          target: `shanghu, staff of a merchant ${s.label}`,
          prepare: async (x) => ({ m: await pcMerchant(x, s.node(x), true), u: await shanghuId(x) }),
          req: (x) => ({ method: 'DELETE', url: `/api/points/merchants/${x.p.m}/members/${x.p.u}` }),
          expect: write(s.side, NOT_FOUND),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.m, staff: [] });
            expect(await x.db.query('SELECT 1 FROM merchant_members WHERE merchant_id = $1', [x.p.m])).toHaveLength(0);
          },
        },
        {
          route: 'GET /api/points/merchants/:id/goods',
          target: `the goods of a merchant ${s.label}`,
          prepare: async (x) => {
            const m = await pcMerchant(x, s.node(x));
            return { m, g: await pcGoods(x, m) };
          },
          req: (x) => ({ method: 'GET', url: `/api/points/merchants/${x.p.m}/goods` }),
          expect: s.read,
          ok: (res, x) => expect(itemIds(res.json())).toEqual([x.p.g]),
        },
        {
          route: 'POST /api/points/merchants/:id/goods',
          target: `goods of a merchant ${s.label}`,
          prepare: async (x) => ({ m: await pcMerchant(x, s.node(x)) }),
          req: (x) => ({
            method: 'POST',
            url: `/api/points/merchants/${x.p.m}/goods`,
            payload: { name: '香皂', price: 100, stock: 3 },
          }),
          expect: write(s.side, NOT_FOUND),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ merchantId: x.p.m, name: '香皂', stock: 3 });
            expect(await x.db.query('SELECT 1 FROM merchant_goods WHERE merchant_id = $1', [x.p.m])).toHaveLength(1);
          },
        },
        {
          route: 'PATCH /api/points/goods/:id',
          target: `goods of a merchant ${s.label}`,
          prepare: async (x) => ({ g: await pcGoods(x, await pcMerchant(x, s.node(x))) }),
          req: (x) => ({ method: 'PATCH', url: `/api/points/goods/${x.p.g}`, payload: { version: 1, price: 123 } }),
          expect: write(s.side, GOODS_NOT_FOUND),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.g, price: 123, version: 2 });
            const [g] = await x.db.query<{ price: number }>('SELECT price FROM merchant_goods WHERE id = $1', [x.p.g]);
            expect(Number(g!.price)).toBe(123);
          },
        },
        {
          route: 'POST /api/points/merchants/:id/settlements',
          target: `January 2025 of a merchant ${s.label}`,
          prepare: async (x) => ({ m: await pcMerchant(x, s.node(x)) }),
          req: (x) => ({
            method: 'POST',
            url: `/api/points/merchants/${x.p.m}/settlements`,
            payload: { period: '2025-01' },
          }),
          expect: write(s.side, NOT_FOUND),
          ok: async (res, x) => {
            expect(res.statusCode).toBe(201);
            expect(res.json()).toMatchObject({ merchantId: x.p.m, period: '2025-01', points: 0, transferId: null });
          },
        },
        {
          route: 'GET /api/points/settlements/:id',
          target: `a settlement of a merchant ${s.label}`,
          prepare: async (x) => ({ s: await pcSettlement(x, await pcMerchant(x, s.node(x))) }),
          req: (x) => ({ method: 'GET', url: `/api/points/settlements/${x.p.s}` }),
          expect: read(s.side, S_NOT_FOUND),
          ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.s, items: [] }),
        },
        {
          route: 'GET /api/points/settlements/:id/export',
          target: `a settlement of a merchant ${s.label}`,
          prepare: async (x) => ({ s: await pcSettlement(x, await pcMerchant(x, s.node(x))) }),
          req: (x) => ({ method: 'GET', url: `/api/points/settlements/${x.p.s}/export` }),
          expect: read(s.side, S_NOT_FOUND),
          ok: async (res) => {
            expect(res.headers['content-type']).toContain('spreadsheetml');
            expect((await readSheet(res.rawPayload))[2]).toEqual(['结算月份', '2025-01']);
          },
        },
        {
          route: 'POST /api/points/settlements/:id/paid',
          target: `a settlement of a merchant ${s.label}`,
          prepare: async (x) => ({ s: await pcSettlement(x, await pcMerchant(x, s.node(x))) }),
          req: (x) => ({ method: 'POST', url: `/api/points/settlements/${x.p.s}/paid` }),
          expect: write(s.side, S_NOT_FOUND),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.s, status: 'paid' });
            const [row] = await x.db.query<{ status: string }>(
              'SELECT status FROM merchant_settlements WHERE id = $1',
              [x.p.s],
            );
            expect(row!.status).toBe('paid');
          },
        },
      );
    }
    /** The ids a list holds for the caller: `in` for the area's readers, `out` for the system administrator only. */
    const sees = (ids: number[], x: Run) => {
      if ((READERS as readonly string[]).includes(x.user)) expect(ids).toContain(x.p.in);
      else expect(ids).not.toContain(x.p.in);
      if (x.user === 'admin') expect(ids).toContain(x.p.out);
      else expect(ids).not.toContain(x.p.out);
    };
    cases.push(
      {
        route: 'GET /api/points/merchants',
        target: 'merchants in 第一网格 and 邻安社区',
        prepare: async (x) => {
          // earlier cases' merchants closed, so that the fresh ones fit on the page of active ones
          await x.db.query(`UPDATE merchants SET status = 'closed' WHERE status <> 'closed' AND name LIKE '矩阵商户%'`);
          return { in: await pcMerchant(x, x.t.iGrid), out: await pcMerchant(x, x.t.oCommunity) };
        },
        req: () => ({ method: 'GET', url: '/api/points/merchants?status=active&pageSize=200' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => sees(itemIds(res.json()), x),
      },
      {
        route: 'GET /api/points/redemptions',
        target: 'redemptions at merchants in 第一网格 and 邻安社区',
        prepare: async (x) => ({
          in: await pcRedemption(x, await pcMerchant(x, x.t.iGrid), x.t.iRes),
          out: await pcRedemption(x, await pcMerchant(x, x.t.oCommunity), x.t.oRes),
        }),
        req: () => ({ method: 'GET', url: '/api/points/redemptions?limit=200' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => sees(itemIds(res.json()), x),
      },
      {
        route: 'GET /api/points/settlements',
        target: 'settlements of merchants in 第一网格 and 邻安社区',
        prepare: async (x) => ({
          in: await pcSettlement(x, await pcMerchant(x, x.t.iGrid)),
          out: await pcSettlement(x, await pcMerchant(x, x.t.oCommunity)),
        }),
        req: () => ({ method: 'GET', url: '/api/points/settlements' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => sees(itemIds(res.json()), x),
      },
      {
        route: 'GET /api/merchant/goods',
        target: 'the goods of a merchant shanghu is staff of',
        prepare: async (x) => ({ g: await pcGoods(x, await pcMerchant(x, x.t.iCommunity, true)) }),
        req: () => ({ method: 'GET', url: '/api/merchant/goods' }),
        expect: outcomes({ ok: ['admin', 'countyadmin', 'shanghu'], rest: FORBIDDEN }),
        ok: (res, x) => {
          if (x.user === 'shanghu') expect(itemIds(res.json())).toContain(x.p.g);
          else expect(itemIds(res.json())).not.toContain(x.p.g);
        },
      },
      {
        route: 'PATCH /api/merchant/goods/:id',
        target: 'goods of a merchant shanghu is staff of',
        prepare: async (x) => ({ g: await pcGoods(x, await pcMerchant(x, x.t.iCommunity, true)) }),
        req: (x) => ({ method: 'PATCH', url: `/api/merchant/goods/${x.p.g}`, payload: { stockDelta: -1 } }),
        expect: outcomes({ ok: ['shanghu'], ...each(['admin', 'countyadmin'], GOODS_NOT_FOUND), rest: FORBIDDEN }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.g, stock: 9 });
          const [g] = await x.db.query<{ stock: number }>('SELECT stock FROM merchant_goods WHERE id = $1', [x.p.g]);
          expect(Number(g!.stock)).toBe(9);
        },
      },
      {
        route: 'PATCH /api/merchant/goods/:id',
        target: 'goods of another merchant in 邻安社区 (not shanghu’s)',
        prepare: async (x) => ({ g: await pcGoods(x, await pcMerchant(x, x.t.oCommunity)) }),
        req: (x) => ({ method: 'PATCH', url: `/api/merchant/goods/${x.p.g}`, payload: { stockDelta: -1 } }),
        expect: outcomes({ ...each(['admin', 'countyadmin', 'shanghu'], GOODS_NOT_FOUND), rest: FORBIDDEN }),
      },
    );
    return cases;
  })(),
  // ---- end points [C] cases ----
  // ---- points [G] cases ----
  // Redemption: the resident's codes (/api/me: only jumin, linked to 矩阵内居民, has points), the merchant's counter
  // (shanghu, staff of a merchant of 东关社区, and points managers of the merchant's area), refunds.
  ...((): Case[] => {
    const MANAGE = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // points.manage over 东关社区
    const COUNTER = [...MANAGE, 'shanghu'] as const;
    const NO_RESIDENT = no(409, 'LEDGER_NO_RESIDENT');
    return [
      {
        route: 'POST /api/me/points/codes',
        target: 'a code for the caller’s own points (only jumin has a resident record)',
        req: () => ({ method: 'POST', url: '/api/me/points/codes' }),
        expect: outcomes({ ok: ['jumin'], rest: NO_RESIDENT }),
        ok: async (res, x) => {
          const body = res.json() as { id: number; code: string; balance: number };
          expect(body.code).toMatch(/^[0-9]{8}$/);
          const [row] = await x.db.query<{ r: number }>(
            `SELECT a.resident_id AS r FROM redemption_codes c JOIN ledger_accounts a ON a.id = c.account_id
              WHERE c.id = $1`,
            [body.id],
          );
          expect(row!.r).toBe(x.t.iRes);
        },
      },
      {
        route: 'GET /api/me/points/codes/:id',
        target: 'jumin’s code (nobody else’s)',
        prepare: async (x) => ({ code: (await gCode(x, 'in')).codeId }),
        req: (x) => ({ method: 'GET', url: `/api/me/points/codes/${x.p.code}` }),
        expect: outcomes({ ok: ['jumin'], rest: no(404, 'REDEEM_CODE_NOT_FOUND') }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.code, state: 'active' }),
      },
      {
        route: 'GET /api/merchant/counter',
        target: 'merchants of 东关社区 (shanghu on its staff) and of 邻安县',
        prepare: async (x) => ({
          ...prefix('in', await gMerchant(x, 'in')),
          ...prefix('out', await gMerchant(x, 'out')),
        }),
        req: () => ({ method: 'GET', url: '/api/merchant/counter' }),
        expect: outcomes({ ok: COUNTER, rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = (res.json() as { merchants: { id: number; goods: { id: number }[] }[] }).merchants.map(
            (m) => m.id,
          );
          expect(ids).toContain(x.p.inMerchant);
          if (x.user === 'admin') expect(ids).toContain(x.p.outMerchant);
          else expect(ids).not.toContain(x.p.outMerchant);
        },
      },
      {
        route: 'POST /api/merchant/redeem/lookup',
        target: 'a code of 矩阵内居民 at a merchant of 东关社区',
        prepare: async (x) => ({ ...(await gMerchant(x, 'in')), ...(await gCode(x, 'in')) }),
        req: (x) => ({ method: 'POST', url: '/api/merchant/redeem/lookup', payload: { code: codeText(x.p.code!) } }),
        expect: outcomes({ ok: COUNTER, rest: FORBIDDEN }),
        ok: (res) =>
          expect(res.json()).toMatchObject({ residentName: maskName('矩阵内居民'), balance: expect.any(Number) }),
      },
      {
        route: 'POST /api/merchant/redeem/lookup',
        target: 'a code of 矩阵外居民 (邻安县, outside)',
        prepare: async (x) => ({ ...(await gMerchant(x, 'out')), ...(await gCode(x, 'out')) }),
        req: (x) => ({ method: 'POST', url: '/api/merchant/redeem/lookup', payload: { code: codeText(x.p.code!) } }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'shanghu'], no(404, 'REDEEM_CODE_UNKNOWN')),
          rest: FORBIDDEN,
        }),
        ok: (res) => expect(res.json()).toMatchObject({ residentName: maskName('矩阵外居民') }),
      },
      {
        route: 'POST /api/merchant/redeem',
        target: 'goods of a merchant of 东关社区 for a code of 矩阵内居民',
        prepare: async (x) => ({ ...(await gMerchant(x, 'in')), ...(await gCode(x, 'in')) }),
        req: (x) => ({
          method: 'POST',
          url: '/api/merchant/redeem',
          payload: {
            code: codeText(x.p.code!),
            items: [{ goodsId: x.p.goods, quantity: 2 }],
            clientId: crypto.randomUUID(),
          },
        }),
        expect: outcomes({ ok: COUNTER, rest: FORBIDDEN }),
        ok: async (res, x) => {
          expect(res.statusCode).toBe(201);
          expect(res.json()).toMatchObject({ merchantId: x.p.merchant, total: 20, status: 'done' });
          const [g] = await x.db.query<{ stock: number }>('SELECT stock FROM merchant_goods WHERE id = $1', [
            x.p.goods,
          ]);
          expect(g!.stock).toBe(48);
        },
      },
      {
        route: 'POST /api/merchant/redeem',
        target: 'goods of a merchant of 邻安县 (outside) for a code of 矩阵外居民',
        prepare: async (x) => ({ ...(await gMerchant(x, 'out')), ...(await gCode(x, 'out')) }),
        req: (x) => ({
          method: 'POST',
          url: '/api/merchant/redeem',
          payload: {
            code: codeText(x.p.code!),
            items: [{ goodsId: x.p.goods, quantity: 1 }],
            clientId: crypto.randomUUID(),
          },
        }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'shanghu'], no(404, 'REDEEM_MERCHANT_NOT_FOUND')),
          rest: FORBIDDEN,
        }),
        ok: (res, x) => expect(res.json()).toMatchObject({ merchantId: x.p.merchant, total: 10 }),
      },
      {
        route: 'GET /api/merchant/redemptions',
        target: 'today’s redemptions at a merchant of 东关社区 and at one of 邻安县',
        prepare: async (x) => ({
          in: await gRedemption(x, 'in'),
          out: await gRedemption(x, 'out'),
        }),
        req: () => ({ method: 'GET', url: '/api/merchant/redemptions' }),
        expect: outcomes({ ok: COUNTER, rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          expect(ids).toContain(x.p.in);
          if (x.user === 'admin') expect(ids).toContain(x.p.out);
          else expect(ids).not.toContain(x.p.out);
        },
      },
      {
        route: 'POST /api/points/redemptions/:id/refund',
        target: 'today’s redemption at a merchant of 东关社区 (shanghu’s)',
        prepare: async (x) => ({ r: await gRedemption(x, 'in') }),
        req: (x) => ({
          method: 'POST',
          url: `/api/points/redemptions/${x.p.r}/refund`,
          payload: { reason: '顾客退货' },
        }),
        expect: outcomes({ ok: COUNTER, rest: no(404, 'REDEEM_NOT_FOUND') }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.r, status: 'reversed' }),
      },
      {
        route: 'POST /api/points/redemptions/:id/refund',
        target: 'a redemption at a merchant of 邻安县 (outside)',
        prepare: async (x) => ({ r: await gRedemption(x, 'out') }),
        req: (x) => ({
          method: 'POST',
          url: `/api/points/redemptions/${x.p.r}/refund`,
          payload: { reason: '顾客退货' },
        }),
        expect: outcomes({ ok: ['admin'], rest: no(404, 'REDEEM_NOT_FOUND') }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.r, status: 'reversed' }),
      },
    ];
  })(),
  // ---- end points [G] cases ----
  // ---- volunteers [D] cases ----
  // volunteers.read / volunteers.manage over 第一网格: admin, countyadmin, jiedao, shequ, wangge; nobody else holds
  // either. Targets (teams, volunteers, activities, sign-ups) are written straight into the tables by `prepare`, in
  // 第一网格 (inside) and 邻安第一网格 (outside). /api/me/… routes act on the caller's own resident record: jumin is
  // linked to 矩阵内居民; every other account has none (409 LEDGER_noResident()).
  ...(['i', 'o'] as const).flatMap((side): Case[] => {
    const inside = side === 'i';
    const where = inside ? '第一网格' : '邻安第一网格';
    const grid = (x: Run) => (inside ? x.t.iGrid : x.t.oGrid);
    const spec = (notFound: string): Record<User, Outcome> =>
      inside
        ? outcomes({ ok: volHolders(), rest: FORBIDDEN })
        : outcomes({ ok: ['admin'], ...each(volArea(), no(404, notFound)), rest: FORBIDDEN });
    return [
      {
        route: 'GET /api/volunteers/teams',
        target: `a team of ${where}`,
        req: () => ({ method: 'GET', url: '/api/volunteers/teams' }),
        prepare: async (x) => ({ team: await volTeam(x, grid(x)) }),
        expect: outcomes({ ok: volHolders(), rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          if (inside || x.user === 'admin') expect(ids).toContain(x.p.team);
          else expect(ids).not.toContain(x.p.team);
        },
      },
      {
        route: 'POST /api/volunteers/teams',
        target: `a team at ${where}`,
        req: (x) => ({
          method: 'POST',
          url: '/api/volunteers/teams',
          payload: { nodeId: grid(x), name: `矩阵队${x.n}`, kind: 'service' },
        }),
        expect: spec('ORG_NODE_NOT_FOUND'),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ nodeId: grid(x), name: `矩阵队${x.n}`, kind: 'service', items: [] });
          expect(await x.db.query('SELECT 1 FROM volunteer_teams WHERE id = $1', [res.json().id])).toHaveLength(1);
        },
      },
      {
        route: 'GET /api/volunteers/teams/:id',
        target: `a team of ${where}`,
        req: (x) => ({ method: 'GET', url: `/api/volunteers/teams/${x.p.team}` }),
        prepare: async (x) => ({ team: await volTeam(x, grid(x)) }),
        expect: spec('VOLUNTEER_TEAM_NOT_FOUND'),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.team, nodeId: grid(x) }),
      },
      {
        route: 'PATCH /api/volunteers/teams/:id',
        target: `a team of ${where}`,
        req: (x) => ({ method: 'PATCH', url: `/api/volunteers/teams/${x.p.team}`, payload: { name: `改名队${x.n}` } }),
        prepare: async (x) => ({ team: await volTeam(x, grid(x)) }),
        expect: spec('VOLUNTEER_TEAM_NOT_FOUND'),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.team, name: `改名队${x.n}` });
          const [row] = await x.db.query<{ name: string }>('SELECT name FROM volunteer_teams WHERE id = $1', [
            x.p.team,
          ]);
          expect(row!.name).toBe(`改名队${x.n}`);
        },
      },
      {
        route: 'POST /api/volunteers/teams/:id/members',
        target: `a team and a volunteer of ${where}`,
        req: (x) => ({
          method: 'POST',
          url: `/api/volunteers/teams/${x.p.team}/members`,
          payload: { residentId: x.p.vol, role: 'member' },
        }),
        prepare: async (x) => ({ team: await volTeam(x, grid(x)), vol: await volVolunteer(x, grid(x)) }),
        expect: spec('VOLUNTEER_TEAM_NOT_FOUND'),
        ok: (res, x) => expect(res.json().items).toMatchObject([{ residentId: x.p.vol, role: 'member' }]),
      },
      {
        route: 'DELETE /api/volunteers/teams/:id/members/:residentId',
        target: `a member of a team of ${where}`,
        req: (x) => ({ method: 'DELETE', url: `/api/volunteers/teams/${x.p.team}/members/${x.p.vol}` }),
        prepare: async (x) => {
          const team = await volTeam(x, grid(x));
          const vol = await volVolunteer(x, grid(x));
          await x.db.query('INSERT INTO volunteer_team_members (team_id, resident_id) VALUES ($1, $2)', [team, vol]);
          return { team, vol };
        },
        expect: spec('VOLUNTEER_TEAM_NOT_FOUND'),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.team, items: [] });
          const rows = await x.db.query(
            'SELECT 1 FROM volunteer_team_members WHERE team_id = $1 AND left_at IS NOT NULL',
            [x.p.team],
          );
          expect(rows).toHaveLength(1);
        },
      },
      {
        route: 'GET /api/volunteers',
        target: `a volunteer of ${where}`,
        req: () => ({ method: 'GET', url: '/api/volunteers?pageSize=200' }),
        prepare: async (x) => ({ vol: await volVolunteer(x, grid(x)) }),
        expect: outcomes({ ok: volHolders(), rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = (res.json().items as { residentId: number }[]).map((v) => v.residentId);
          if (inside || x.user === 'admin') expect(ids).toContain(x.p.vol);
          else expect(ids).not.toContain(x.p.vol);
        },
      },
      {
        route: 'POST /api/volunteers',
        target: `a resident of ${where}`,
        req: (x) => ({ method: 'POST', url: '/api/volunteers', payload: { residentId: x.p.res, skills: ['meals'] } }),
        prepare: async (x) => ({ res: await freshResident(x, grid(x)) }),
        expect: spec('VOLUNTEER_RESIDENT_NOT_FOUND'),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ residentId: x.p.res, skills: ['meals'], noShows: 0 });
          expect(await x.db.query('SELECT 1 FROM volunteers WHERE resident_id = $1', [x.p.res])).toHaveLength(1);
        },
      },
      {
        route: 'PATCH /api/volunteers/:residentId',
        target: `a volunteer of ${where}`,
        req: (x) => ({ method: 'PATCH', url: `/api/volunteers/${x.p.vol}`, payload: { available: false } }),
        prepare: async (x) => ({ vol: await volVolunteer(x, grid(x)) }),
        expect: spec('VOLUNTEER_NOT_FOUND'),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ residentId: x.p.vol, available: false });
          const [row] = await x.db.query<{ available: boolean }>(
            'SELECT available FROM volunteers WHERE resident_id = $1',
            [x.p.vol],
          );
          expect(row!.available).toBe(false);
        },
      },
      {
        route: 'GET /api/volunteers/activities',
        target: `an activity of ${where}`,
        req: () => ({ method: 'GET', url: '/api/volunteers/activities?pageSize=200' }),
        prepare: async (x) => ({ act: await volActivity(x, grid(x)) }),
        expect: outcomes({ ok: volHolders(), rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          if (inside || x.user === 'admin') expect(ids).toContain(x.p.act);
          else expect(ids).not.toContain(x.p.act);
        },
      },
      {
        route: 'POST /api/volunteers/activities',
        target: `an activity at ${where}`,
        req: (x) => ({
          method: 'POST',
          url: '/api/volunteers/activities',
          payload: {
            nodeId: grid(x),
            title: `矩阵活动${x.n}`,
            activityType: 'choir',
            place: '活动室',
            startsAt: new Date(Date.now() + 86_400_000).toISOString(),
            endsAt: new Date(Date.now() + 90_000_000).toISOString(),
            rewardAmount: 5,
          },
        }),
        expect: spec('ORG_NODE_NOT_FOUND'),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ nodeId: grid(x), title: `矩阵活动${x.n}`, status: 'published' });
          expect(await x.db.query('SELECT 1 FROM activities WHERE id = $1', [res.json().id])).toHaveLength(1);
        },
      },
      {
        route: 'GET /api/volunteers/activities/:id',
        target: `an activity of ${where}`,
        req: (x) => ({ method: 'GET', url: `/api/volunteers/activities/${x.p.act}` }),
        prepare: async (x) => ({ act: await volActivity(x, grid(x)) }),
        expect: spec('ACTIVITY_NOT_FOUND'),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.act, nodeId: grid(x) }),
      },
      {
        route: 'PATCH /api/volunteers/activities/:id',
        target: `an activity of ${where}`,
        req: (x) => ({
          method: 'PATCH',
          url: `/api/volunteers/activities/${x.p.act}`,
          payload: { title: `改名活动${x.n}` },
        }),
        prepare: async (x) => ({ act: await volActivity(x, grid(x)) }),
        expect: spec('ACTIVITY_NOT_FOUND'),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.act, title: `改名活动${x.n}` });
          const [row] = await x.db.query<{ title: string }>('SELECT title FROM activities WHERE id = $1', [x.p.act]);
          expect(row!.title).toBe(`改名活动${x.n}`);
        },
      },
      {
        route: 'POST /api/volunteers/activities/:id/cancel',
        target: `an activity of ${where}`,
        req: (x) => ({ method: 'POST', url: `/api/volunteers/activities/${x.p.act}/cancel` }),
        prepare: async (x) => ({ act: await volActivity(x, grid(x)) }),
        expect: spec('ACTIVITY_NOT_FOUND'),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.act, status: 'cancelled' });
          const [row] = await x.db.query<{ status: string }>('SELECT status FROM activities WHERE id = $1', [x.p.act]);
          expect(row!.status).toBe('cancelled');
        },
      },
      {
        route: 'GET /api/volunteers/activities/:id/signups',
        target: `an activity of ${where} with a sign-up`,
        req: (x) => ({ method: 'GET', url: `/api/volunteers/activities/${x.p.act}/signups` }),
        prepare: async (x) => volSignedUp(x, grid(x)),
        expect: spec('ACTIVITY_NOT_FOUND'),
        ok: (res, x) => expect(res.json().items).toMatchObject([{ residentId: x.p.res, status: 'signed_up' }]),
      },
      {
        route: 'POST /api/volunteers/activities/:id/attendance',
        target: `a sign-up for an activity of ${where}`,
        req: (x) => ({
          method: 'POST',
          url: `/api/volunteers/activities/${x.p.act}/attendance`,
          payload: { residentId: x.p.res, attended: true },
        }),
        prepare: async (x) => volSignedUp(x, grid(x)),
        expect: spec('ACTIVITY_NOT_FOUND'),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ residentId: x.p.res, checkinMethod: 'organiser' });
          const [row] = await x.db.query<{ checked_in_at: Date | null }>(
            'SELECT checked_in_at FROM activity_signups WHERE activity_id = $1 AND resident_id = $2',
            [x.p.act, x.p.res],
          );
          expect(row!.checked_in_at).not.toBeNull();
        },
      },
      {
        route: 'GET /api/volunteers/activities/:id/checkin-code',
        target: `an activity of ${where}`,
        req: (x) => ({ method: 'GET', url: `/api/volunteers/activities/${x.p.act}/checkin-code` }),
        prepare: async (x) => ({ act: await volActivity(x, grid(x)) }),
        expect: spec('ACTIVITY_NOT_FOUND'),
        ok: (res, x) => {
          expect(res.json().code).toMatch(/^\d{6}$/);
          expect(res.json().qr).toBe(`LINLI-ACT:${x.p.act}:${res.json().code}`);
        },
      },
    ];
  }),
  // ---- the resident's own: jumin (linked to 矩阵内居民 of 1号楼) ----
  {
    route: 'GET /api/me/volunteer',
    target: 'the caller’s own volunteer record',
    req: () => ({ method: 'GET', url: '/api/me/volunteer' }),
    expect: outcomes({ ok: ['jumin'], rest: noResident() }),
    ok: (res) => expect(res.json()).toHaveProperty('volunteer'),
  },
  {
    route: 'POST /api/me/volunteer',
    target: 'the caller’s own enrolment',
    req: (x) => ({ method: 'POST', url: '/api/me/volunteer', payload: { skills: x.n % 2 ? ['meals'] : ['repairs'] } }),
    expect: outcomes({ ok: ['jumin'], rest: noResident() }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ residentId: x.t.iRes, skills: x.n % 2 ? ['meals'] : ['repairs'] });
      const [row] = await x.db.query<{ skills: string[] }>('SELECT skills FROM volunteers WHERE resident_id = $1', [
        x.t.iRes,
      ]);
      expect(row!.skills).toEqual(x.n % 2 ? ['meals'] : ['repairs']);
    },
  },
  {
    route: 'GET /api/me/activities',
    target: 'an open activity of 东关社区',
    req: () => ({ method: 'GET', url: '/api/me/activities?scope=open' }),
    // starting within the hour: ahead of the other cases' activities (tomorrow) in the soonest-first list
    prepare: async (x) => ({ act: await volActivity(x, x.t.iCommunity, 60) }),
    expect: outcomes({ ok: ['jumin'], rest: noResident() }),
    ok: (res, x) => expect(itemIds(res.json())).toContain(x.p.act),
  },
  {
    route: 'GET /api/me/activities/:id',
    target: 'an open activity of 东关社区',
    req: (x) => ({ method: 'GET', url: `/api/me/activities/${x.p.act}` }),
    prepare: async (x) => ({ act: await volActivity(x, x.t.iCommunity) }),
    expect: outcomes({ ok: ['jumin'], rest: noResident() }),
    ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.act, myStatus: null }),
  },
  {
    route: 'POST /api/me/activities/:id/signup',
    target: 'an open activity of 东关社区',
    req: (x) => ({ method: 'POST', url: `/api/me/activities/${x.p.act}/signup` }),
    prepare: async (x) => ({ act: await volActivity(x, x.t.iCommunity) }),
    expect: outcomes({ ok: ['jumin'], rest: noResident() }),
    ok: async (res, x) => {
      expect(res.json()).toMatchObject({ id: x.p.act, myStatus: 'signed_up' });
      const rows = await x.db.query('SELECT 1 FROM activity_signups WHERE activity_id = $1 AND resident_id = $2', [
        x.p.act,
        x.t.iRes,
      ]);
      expect(rows).toHaveLength(1);
    },
  },
  {
    route: 'DELETE /api/me/activities/:id/signup',
    target: 'the caller’s sign-up for an activity of 东关社区',
    req: (x) => ({ method: 'DELETE', url: `/api/me/activities/${x.p.act}/signup` }),
    prepare: async (x) => volSignedUp(x, x.t.iCommunity, x.t.iRes),
    expect: outcomes({ ok: ['jumin'], rest: noResident() }),
    ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.act, myStatus: 'cancelled' }),
  },
  {
    route: 'POST /api/me/activities/:id/checkin',
    target: 'the caller’s sign-up for an activity of 东关社区 starting now, with the current code',
    req: (x) => ({
      method: 'POST',
      url: `/api/me/activities/${x.p.act}/checkin`,
      payload: { code: String(x.p.code).padStart(6, '0') },
    }),
    prepare: async (x) => {
      const { currentCheckinCode } = await import('../modules/volunteers/activities.logic.js');
      const p = await volSignedUp(x, x.t.iCommunity, x.t.iRes, -5);
      const [a] = await x.db.query<{ checkin_secret: string }>('SELECT checkin_secret FROM activities WHERE id = $1', [
        p.act,
      ]);
      return { ...p, code: Number(currentCheckinCode(a!.checkin_secret, p.act!, new Date()).code) };
    },
    expect: outcomes({ ok: ['jumin'], rest: noResident() }),
    ok: (res, x) => {
      expect(res.json()).toMatchObject({ id: x.p.act, myStatus: 'signed_up' });
      expect(res.json().checkedInAt).not.toBeNull();
    },
  },
  // ---- end volunteers [D] cases ----
  // ---- timebank [E] cases ----
  ...((): Case[] => {
    const TB_MANAGERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // volunteers.read/manage
    const NO_RES = no(409, 'LEDGER_NO_RESIDENT');
    const svcUrl = (x: Run, what: string) => `/api/me/timebank/services/${x.p.svc}/${what}`;
    const meSvc = (side: 'in' | 'out', what: 'confirm' | 'reject'): Case => ({
      route: `POST /api/me/timebank/services/:id/${what}`,
      target:
        side === 'in'
          ? 'a pending service of a volunteer (zhiyuan) to jumin’s resident'
          : 'a pending service in 邻安县 (outside)',
      prepare: async (x) => {
        const p = await tbPeople(x);
        return {
          ...p,
          svc: await tbService(x, side === 'in' ? p.vol! : p.oVol!, side === 'in' ? p.son! : p.oElder!),
        };
      },
      req: (x) => ({
        method: 'POST',
        url: svcUrl(x, what),
        ...(what === 'reject' ? { payload: { reason: '矩阵退回' } } : {}),
      }),
      expect:
        side === 'in'
          ? outcomes({ ok: ['jumin'], zhiyuan: no(403, 'TIMEBANK_SELF_CONFIRM'), rest: NO_RES })
          : outcomes({ ...each(['jumin', 'zhiyuan'], no(404, 'TIMEBANK_SERVICE_NOT_FOUND')), rest: NO_RES }),
      ok: async (res, x) => {
        expect(res.json()).toMatchObject({ id: x.p.svc, status: what === 'confirm' ? 'confirmed' : 'rejected' });
        expect(await tbServiceStatus(x, x.p.svc!)).toBe(what === 'confirm' ? 'confirmed' : 'rejected');
      },
    });
    const workerSvc = (side: 'in' | 'out', what: 'confirm' | 'reject'): Case => ({
      route: `POST /api/timebank/services/:id/${what}`,
      target: side === 'in' ? 'a pending service in 1号楼' : 'a pending service in 邻安县 (outside)',
      prepare: async (x) => {
        const p = await tbPeople(x, false);
        return {
          ...p,
          svc: await tbService(x, side === 'in' ? p.vol! : p.oVol!, side === 'in' ? p.elder! : p.oElder!),
        };
      },
      req: (x) => ({
        method: 'POST',
        url: `/api/timebank/services/${x.p.svc}/${what}`,
        ...(what === 'reject' ? { payload: { reason: '矩阵退回' } } : {}),
      }),
      expect:
        side === 'in'
          ? outcomes({ ok: TB_MANAGERS, rest: no(404, 'TIMEBANK_SERVICE_NOT_FOUND') })
          : outcomes({ ok: ['admin'], rest: no(404, 'TIMEBANK_SERVICE_NOT_FOUND') }),
      ok: async (res, x) => {
        expect(res.json()).toMatchObject({ id: x.p.svc, status: what === 'confirm' ? 'confirmed' : 'rejected' });
        expect(await tbServiceStatus(x, x.p.svc!)).toBe(what === 'confirm' ? 'confirmed' : 'rejected');
      },
    });
    const requestAction = (side: 'in' | 'out', what: 'match' | 'cancel' | 'candidates'): Case => ({
      route:
        what === 'candidates' ? 'GET /api/timebank/requests/:id/candidates' : `POST /api/timebank/requests/:id/${what}`,
      target: side === 'in' ? 'an open request for an elder of 1号楼' : 'an open request in 邻安县 (outside)',
      prepare: async (x) => {
        const p = await tbPeople(x, false);
        return { ...p, req: await tbRequest(x, side === 'in' ? p.elder! : p.oElder!) };
      },
      req: (x) =>
        what === 'candidates'
          ? { method: 'GET', url: `/api/timebank/requests/${x.p.req}/candidates` }
          : {
              method: 'POST',
              url: `/api/timebank/requests/${x.p.req}/${what}`,
              ...(what === 'match' ? { payload: { volunteerResidentId: side === 'in' ? x.p.vol : x.p.oVol } } : {}),
            },
      expect:
        side === 'in'
          ? outcomes({ ok: TB_MANAGERS, rest: no(404, 'TIMEBANK_REQUEST_NOT_FOUND') })
          : outcomes({ ok: ['admin'], rest: no(404, 'TIMEBANK_REQUEST_NOT_FOUND') }),
      ok: async (res, x) => {
        const vol = side === 'in' ? x.p.vol : x.p.oVol;
        if (what === 'candidates') {
          const items = res.json().items as { residentId: number; rank: number }[];
          expect(items.find((c) => c.residentId === vol)).toMatchObject({ skillMatch: true, place: 'same_building' });
          expect(items.map((c) => c.rank)).toEqual(items.map((_, i) => i + 1));
          return;
        }
        expect(res.json()).toMatchObject({ id: x.p.req, status: what === 'match' ? 'matched' : 'cancelled' });
        expect(await tbRequestStatus(x, x.p.req!)).toBe(what === 'match' ? 'matched' : 'cancelled');
      },
    });
    const workerList = (route: string, url: string, key: 'svc' | 'req' | null): Case => ({
      route,
      target: 'the area’s time bank (a record in 1号楼 and one in 邻安县)',
      prepare: async (x) => {
        const p = await tbPeople(x, false);
        return key === 'svc'
          ? { ...p, in: await tbService(x, p.vol!, p.elder!), out: await tbService(x, p.oVol!, p.oElder!) }
          : { ...p, in: await tbRequest(x, p.elder!), out: await tbRequest(x, p.oElder!) };
      },
      req: () => ({ method: 'GET', url }),
      expect: outcomes({ ok: TB_MANAGERS, rest: FORBIDDEN }),
      ok: async (res, x) => {
        if (key === null) {
          expect(res.json()).toMatchObject({ communities: expect.any(Array), topVolunteers: expect.any(Array) });
          return;
        }
        const ids = itemIds(res.json());
        expect(ids).toContain(x.p.in);
        if (x.user === 'admin') expect(ids).toContain(x.p.out);
        else expect(ids).not.toContain(x.p.out);
      },
    });
    const cases: Case[] = [
      {
        route: 'GET /api/me/timebank',
        target: 'my hours (jumin’s and zhiyuan’s linked residents)',
        prepare: (x) => tbPeople(x),
        req: () => ({ method: 'GET', url: '/api/me/timebank' }),
        expect: outcomes({ ok: ['jumin', 'zhiyuan'], rest: NO_RES }),
        ok: (res, x) =>
          expect(res.json()).toMatchObject({
            residentId: x.user === 'jumin' ? x.p.son : x.p.vol,
            volunteer: x.user === 'zhiyuan',
          }),
      },
      {
        route: 'GET /api/me/timebank/people',
        target: 'an elder of the volunteer’s community, by name',
        prepare: (x) => tbPeople(x),
        req: (x) => ({ method: 'GET', url: `/api/me/timebank/people?name=${encodeURIComponent(`老人${x.p.n}`)}` }),
        expect: outcomes({ ok: ['zhiyuan'], jumin: no(403, 'TIMEBANK_NOT_VOLUNTEER'), rest: NO_RES }),
        ok: (res, x) => expect(res.json().items.map((i: { residentId: number }) => i.residentId)).toEqual([x.p.elder]),
      },
      ...(['in', 'out'] as const).map(
        (side): Case => ({
          route: 'POST /api/me/timebank/services',
          target: side === 'in' ? 'a service to an elder of 1号楼' : 'a service to a resident of 邻安县 (outside)',
          prepare: (x) => tbPeople(x),
          req: (x) => ({
            method: 'POST',
            url: '/api/me/timebank/services',
            payload: {
              recipientResidentId: side === 'in' ? x.p.elder : x.p.oElder,
              serviceType: 'elder_care',
              servedAt: new Date(Date.now() - 3600_000).toISOString(),
              minutes: 60,
            },
          }),
          expect:
            side === 'in'
              ? outcomes({ ok: ['zhiyuan'], jumin: no(403, 'TIMEBANK_NOT_VOLUNTEER'), rest: NO_RES })
              : outcomes({
                  zhiyuan: no(404, 'TIMEBANK_RECIPIENT_NOT_FOUND'),
                  jumin: no(403, 'TIMEBANK_NOT_VOLUNTEER'),
                  rest: NO_RES,
                }),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ volunteerResidentId: x.p.vol, recipientResidentId: x.p.elder });
            expect(await tbServiceStatus(x, res.json().id)).toBe('pending');
          },
        }),
      ),
      meSvc('in', 'confirm'),
      meSvc('out', 'confirm'),
      meSvc('in', 'reject'),
      meSvc('out', 'reject'),
      {
        route: 'POST /api/me/timebank/requests',
        target: 'a request for jumin’s mother (same household), paid from his hours',
        prepare: async (x) => {
          const p = await tbPeople(x);
          const { fundResident } = await import('./points-factories.js');
          await fundResident(x.db, p.son!, 120, 'hours');
          return p;
        },
        req: (x) => ({
          method: 'POST',
          url: '/api/me/timebank/requests',
          payload: {
            beneficiaryResidentId: x.p.elder,
            serviceType: 'elder_care',
            wantedAt: new Date(Date.now() + 86_400_000).toISOString(),
            minutes: 60,
          },
        }),
        expect: outcomes({ ok: ['jumin'], zhiyuan: no(403, 'TIMEBANK_NOT_FAMILY'), rest: NO_RES }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ beneficiaryResidentId: x.p.elder, requesterResidentId: x.p.son });
          expect(await tbRequestStatus(x, res.json().id)).toBe('open');
        },
      },
      ...(['in', 'out'] as const).map(
        (side): Case => ({
          route: 'POST /api/me/timebank/requests/:id/accept',
          target:
            side === 'in' ? 'an open request of the volunteer’s community' : 'an open request in 邻安县 (outside)',
          prepare: async (x) => {
            const p = await tbPeople(x);
            return { ...p, req: await tbRequest(x, side === 'in' ? p.elder! : p.oElder!) };
          },
          req: (x) => ({ method: 'POST', url: `/api/me/timebank/requests/${x.p.req}/accept` }),
          expect:
            side === 'in'
              ? outcomes({ ok: ['zhiyuan'], jumin: no(403, 'TIMEBANK_NOT_VOLUNTEER'), rest: NO_RES })
              : outcomes({
                  zhiyuan: no(404, 'TIMEBANK_REQUEST_NOT_FOUND'),
                  jumin: no(403, 'TIMEBANK_NOT_VOLUNTEER'),
                  rest: NO_RES,
                }),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.req, status: 'matched', volunteerResidentId: x.p.vol });
            expect(await tbRequestStatus(x, x.p.req!)).toBe('matched');
          },
        }),
      ),
      {
        route: 'POST /api/me/timebank/requests/:id/cancel',
        target: 'jumin’s own request for his mother',
        prepare: async (x) => {
          const p = await tbPeople(x);
          return { ...p, req: await tbRequest(x, p.elder!, p.son!) };
        },
        req: (x) => ({ method: 'POST', url: `/api/me/timebank/requests/${x.p.req}/cancel` }),
        expect: outcomes({ ok: ['jumin'], zhiyuan: no(404, 'TIMEBANK_REQUEST_NOT_FOUND'), rest: NO_RES }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.req, status: 'cancelled' });
          expect(await tbRequestStatus(x, x.p.req!)).toBe('cancelled');
        },
      },
      ...(['in', 'out'] as const).map(
        (side): Case => ({
          route: 'POST /api/timebank/services',
          target: side === 'in' ? 'a service in 1号楼 for its volunteer' : 'a service in 邻安县 (outside)',
          prepare: (x) => tbPeople(x, false),
          req: (x) => ({
            method: 'POST',
            url: '/api/timebank/services',
            payload: {
              volunteerResidentId: side === 'in' ? x.p.vol : x.p.oVol,
              recipientResidentId: side === 'in' ? x.p.elder : x.p.oElder,
              serviceType: 'elder_care',
              servedAt: new Date(Date.now() - 3600_000).toISOString(),
              minutes: 30,
            },
          }),
          expect:
            side === 'in'
              ? outcomes({ ok: TB_MANAGERS, rest: FORBIDDEN })
              : outcomes({
                  ok: ['admin'],
                  ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'TIMEBANK_VOLUNTEER_NOT_FOUND')),
                  rest: FORBIDDEN,
                }),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ volunteerResidentId: side === 'in' ? x.p.vol : x.p.oVol, minutes: 30 });
            expect(await tbServiceStatus(x, res.json().id)).toBe('pending');
          },
        }),
      ),
      workerSvc('in', 'confirm'),
      workerSvc('out', 'confirm'),
      workerSvc('in', 'reject'),
      workerSvc('out', 'reject'),
      workerList('GET /api/timebank/services', '/api/timebank/services?status=pending', 'svc'),
      workerList('GET /api/timebank/requests', '/api/timebank/requests?status=open', 'req'),
      workerList('GET /api/timebank/stats', '/api/timebank/stats', null),
      ...(['in', 'out'] as const).map(
        (side): Case => ({
          route: 'POST /api/timebank/requests',
          target: side === 'in' ? 'a community-paid request for an elder of 1号楼' : 'one for a resident of 邻安县',
          prepare: (x) => tbPeople(x, false),
          req: (x) => ({
            method: 'POST',
            url: '/api/timebank/requests',
            payload: {
              beneficiaryResidentId: side === 'in' ? x.p.elder : x.p.oElder,
              serviceType: 'elder_care',
              wantedAt: new Date(Date.now() + 86_400_000).toISOString(),
              minutes: 60,
            },
          }),
          expect:
            side === 'in'
              ? outcomes({ ok: TB_MANAGERS, rest: FORBIDDEN })
              : outcomes({
                  ok: ['admin'],
                  ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, 'RESIDENT_NOT_FOUND')),
                  rest: FORBIDDEN,
                }),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ payFrom: 'community', status: 'open' });
            expect(await tbRequestStatus(x, res.json().id)).toBe('open');
          },
        }),
      ),
      requestAction('in', 'candidates'),
      requestAction('out', 'candidates'),
      requestAction('in', 'match'),
      requestAction('out', 'match'),
      requestAction('in', 'cancel'),
      requestAction('out', 'cancel'),
    ];
    // /api/me: each request from a new account of the role, linked in `prepare` (jumin's to the son, zhiyuan's to
    // the volunteer), so the demo accounts' own links (GET /api/me/household) stay as they are
    return cases.map((c) => (c.route.includes(' /api/me/') ? { ...c, caller: 'fresh', perCaller: true } : c));
  })(),
  // ---- end timebank [E] cases ----
  // ---- partners [F] cases ----
  ...((): Case[] => {
    const PARTNER_ACTORS = ['admin', 'countyadmin', 'huoban'] as const; // partners.act (admin: all permissions)
    const VOL = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // volunteers.read/manage
    const VOL_COMMUNITY = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // … over 东关社区
    const ORG_NF = no(404, 'PARTNER_ORG_NOT_FOUND');
    const PROJECT_NF = no(404, 'PARTNER_PROJECT_NOT_FOUND');
    const CLAIM_NF = no(404, 'PARTNER_CLAIM_NOT_FOUND');
    const DELIVERY_NF = no(404, 'PARTNER_DELIVERY_NOT_FOUND');
    const NODE_NF = no(404, 'ORG_NODE_NOT_FOUND');
    const apply = (nodeId: number, n: number) => ({
      name: `矩阵申请${n}`,
      kind: 'social_org',
      creditCode: '91350100M000100Y43',
      contact: '矩阵联系人',
      phone: '13912345678',
      nodeId,
    });
    const has = (ids: number[], yes: number[], not: number[]) => {
      for (const id of yes) expect(ids).toContain(id);
      for (const id of not) expect(ids).not.toContain(id);
    };
    return [
      {
        route: 'POST /api/partner/apply',
        target: '泗源街道 (the partner’s own street)',
        caller: 'fresh',
        req: (x) => ({ method: 'POST', url: '/api/partner/apply', payload: apply(x.t.iStreet, x.n) }),
        expect: outcomes({ ok: PARTNER_ACTORS, rest: FORBIDDEN }),
        ok: async (res, x) => {
          const org = res.json() as { id: number; status: string; nodeId: number };
          expect(org).toMatchObject({ status: 'applied', nodeId: x.t.iStreet });
          expect(await pMembers(x, org.id)).toEqual([x.as]);
        },
      },
      {
        route: 'POST /api/partner/apply',
        target: '邻安街道 (outside)',
        caller: 'fresh',
        req: (x) => ({ method: 'POST', url: '/api/partner/apply', payload: apply(x.t.oStreet, x.n) }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'huoban'], no(400, 'PARTNER_NODE_INVALID')),
          rest: FORBIDDEN,
        }),
        ok: (res, x) => expect(res.json()).toMatchObject({ status: 'applied', nodeId: x.t.oStreet }),
      },
      {
        route: 'GET /api/partner/me',
        target: 'the caller’s own organisation (泗源街道)',
        caller: 'fresh',
        perCaller: true,
        prepare: async (x) => ({ org: await pOrg(x, x.t.iStreet, { members: [x.as] }) }),
        req: () => ({ method: 'GET', url: '/api/partner/me' }),
        expect: outcomes({ ok: PARTNER_ACTORS, rest: FORBIDDEN }),
        ok: (res, x) => expect(idsOf((res.json() as { orgs: unknown }).orgs)).toEqual([x.p.org]),
      },
      {
        route: 'GET /api/partner/projects',
        target: 'open projects of 东关社区 and 邻安社区 (outside)',
        prepare: async (x) => ({ iProj: await pProject(x, x.t.iCommunity), oProj: await pProject(x, x.t.oCommunity) }),
        req: () => ({ method: 'GET', url: '/api/partner/projects' }),
        expect: outcomes({ ok: PARTNER_ACTORS, rest: FORBIDDEN }),
        ok: (res, x) =>
          x.user === 'admin'
            ? has(itemIds(res.json()), [x.p.iProj!, x.p.oProj!], [])
            : has(itemIds(res.json()), [x.p.iProj!], [x.p.oProj!]),
      },
      {
        route: 'POST /api/partner/projects/:id/claim',
        target: 'an open project of 东关社区, by the caller’s approved organisation',
        caller: 'fresh',
        perCaller: true,
        prepare: async (x) => ({
          org: await pOrg(x, x.t.iStreet, { members: [x.as] }),
          proj: await pProject(x, x.t.iCommunity),
        }),
        req: (x) => ({ method: 'POST', url: `/api/partner/projects/${x.p.proj}/claim`, payload: { plan: '矩阵' } }),
        expect: outcomes({ ok: PARTNER_ACTORS, rest: FORBIDDEN }),
        ok: (res, x) =>
          expect(res.json()).toMatchObject({ projectId: x.p.proj, orgId: x.p.org, status: 'claimed', plan: '矩阵' }),
      },
      {
        route: 'POST /api/partner/projects/:id/claim',
        target: 'an open project of 邻安社区 (outside; the administrator’s organisation serves 邻安街道)',
        caller: 'fresh',
        perCaller: true,
        prepare: async (x) => ({
          org: await pOrg(x, x.user === 'admin' ? x.t.oStreet : x.t.iStreet, { members: [x.as] }),
          proj: await pProject(x, x.t.oCommunity),
        }),
        req: (x) => ({ method: 'POST', url: `/api/partner/projects/${x.p.proj}/claim`, payload: {} }),
        expect: outcomes({ ok: ['admin'], ...each(['countyadmin', 'huoban'], PROJECT_NF), rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ projectId: x.p.proj, orgId: x.p.org }),
      },
      {
        route: 'POST /api/partner/claims/:id/withdraw',
        target: 'a claim of the caller’s organisation (东关社区)',
        caller: 'fresh',
        perCaller: true,
        prepare: (x) => pOwnClaim(x, [x.as]),
        req: (x) => ({ method: 'POST', url: `/api/partner/claims/${x.p.claim}/withdraw` }),
        expect: outcomes({ ok: PARTNER_ACTORS, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.claim, status: 'withdrawn' }),
      },
      {
        route: 'POST /api/partner/claims/:id/withdraw',
        target: 'a claim of another organisation',
        prepare: (x) => pOwnClaim(x, []),
        req: (x) => ({ method: 'POST', url: `/api/partner/claims/${x.p.claim}/withdraw` }),
        expect: outcomes({ ...each(PARTNER_ACTORS, CLAIM_NF), rest: FORBIDDEN }),
      },
      {
        route: 'POST /api/partner/claims/:id/deliveries',
        target: 'a claim of the caller’s organisation (东关社区)',
        caller: 'fresh',
        perCaller: true,
        prepare: (x) => pOwnClaim(x, [x.as]),
        req: (x) => ({
          method: 'POST',
          url: `/api/partner/claims/${x.p.claim}/deliveries`,
          payload: { deliveredOn: '2026-01-05', summary: '矩阵服务', peopleServed: 3 },
        }),
        expect: outcomes({ ok: PARTNER_ACTORS, rest: FORBIDDEN }),
        ok: (res, x) =>
          expect(res.json()).toMatchObject({ claimId: x.p.claim, status: 'submitted', summary: '矩阵服务' }),
      },
      {
        route: 'POST /api/partner/claims/:id/deliveries',
        target: 'a claim of another organisation',
        prepare: (x) => pOwnClaim(x, []),
        req: (x) => ({
          method: 'POST',
          url: `/api/partner/claims/${x.p.claim}/deliveries`,
          payload: { deliveredOn: '2026-01-05', summary: '矩阵服务' },
        }),
        expect: outcomes({ ...each(PARTNER_ACTORS, CLAIM_NF), rest: FORBIDDEN }),
      },
      {
        route: 'GET /api/partners/orgs',
        target: 'organisations of 东关社区 and 邻安社区 (outside)',
        prepare: async (x) => ({ iOrg: await pOrg(x, x.t.iCommunity), oOrg: await pOrg(x, x.t.oCommunity) }),
        req: () => ({ method: 'GET', url: '/api/partners/orgs?pageSize=200' }),
        expect: outcomes({ ok: VOL, rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          if (x.user === 'admin') has(ids, [x.p.iOrg!, x.p.oOrg!], []);
          else if (x.user === 'wangge') has(ids, [], [x.p.iOrg!, x.p.oOrg!]);
          else has(ids, [x.p.iOrg!], [x.p.oOrg!]);
        },
      },
      {
        route: 'POST /api/partners/orgs',
        target: '东关社区',
        req: (x) => ({ method: 'POST', url: '/api/partners/orgs', payload: apply(x.t.iCommunity, x.n) }),
        expect: outcomes({ ok: VOL_COMMUNITY, wangge: NODE_NF, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ status: 'approved', nodeId: x.t.iCommunity }),
      },
      {
        route: 'POST /api/partners/orgs',
        target: '邻安社区 (outside)',
        req: (x) => ({ method: 'POST', url: '/api/partners/orgs', payload: apply(x.t.oCommunity, x.n) }),
        expect: outcomes({ ok: ['admin'], ...each(VOL.slice(1), NODE_NF), rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ status: 'approved', nodeId: x.t.oCommunity }),
      },
      {
        route: 'GET /api/partners/orgs/:id',
        target: 'an organisation of 东关社区 (huoban a member)',
        prepare: async (x) => ({ org: await pOrg(x, x.t.iCommunity, { members: ['huoban'] }) }),
        req: (x) => ({ method: 'GET', url: `/api/partners/orgs/${x.p.org}` }),
        expect: outcomes({ ok: [...VOL_COMMUNITY, 'huoban'], rest: ORG_NF }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.org, nodeId: x.t.iCommunity }),
      },
      {
        route: 'GET /api/partners/orgs/:id',
        target: 'an organisation of 邻安社区 (outside)',
        prepare: async (x) => ({ org: await pOrg(x, x.t.oCommunity) }),
        req: (x) => ({ method: 'GET', url: `/api/partners/orgs/${x.p.org}` }),
        expect: outcomes({ ok: ['admin'], rest: ORG_NF }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.org }),
      },
      ...(['i', 'o'] as const).flatMap((side): Case[] => {
        const where = side === 'i' ? '东关社区' : '邻安社区 (outside)';
        const okUsers = side === 'i' ? VOL_COMMUNITY : (['admin'] as const);
        const node = (x: Run) => (side === 'i' ? x.t.iCommunity : x.t.oCommunity);
        return [
          {
            route: 'POST /api/partners/orgs/:id/review',
            target: `an application of ${where}`,
            prepare: async (x) => ({ org: await pOrg(x, node(x), { status: 'applied' }) }),
            req: (x) => ({
              method: 'POST',
              url: `/api/partners/orgs/${x.p.org}/review`,
              payload: { decision: 'approve', note: '矩阵' },
            }),
            expect: outcomes({ ok: okUsers, rest: ORG_NF }),
            ok: async (res, x) => {
              expect(res.json()).toMatchObject({ id: x.p.org, status: 'approved', reviewNote: '矩阵' });
              expect(await pStatus(x, 'partner_orgs', x.p.org!)).toBe('approved');
            },
          },
          {
            route: 'POST /api/partners/orgs/:id/suspend',
            target: `an approved organisation of ${where}`,
            prepare: async (x) => ({ org: await pOrg(x, node(x)) }),
            req: (x) => ({ method: 'POST', url: `/api/partners/orgs/${x.p.org}/suspend`, payload: {} }),
            expect: outcomes({ ok: okUsers, rest: ORG_NF }),
            ok: async (res, x) => {
              expect(res.json()).toMatchObject({ id: x.p.org, status: 'suspended' });
              expect(await pStatus(x, 'partner_orgs', x.p.org!)).toBe('suspended');
            },
          },
        ];
      }),
      {
        route: 'GET /api/partners/projects',
        target: 'projects of 第一网格, 东关社区 and 邻安社区 (outside)',
        prepare: async (x) => ({
          gProj: await pProject(x, x.t.iGrid),
          cProj: await pProject(x, x.t.iCommunity),
          oProj: await pProject(x, x.t.oCommunity),
        }),
        req: () => ({ method: 'GET', url: '/api/partners/projects?pageSize=200' }),
        expect: outcomes({ ok: VOL, rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          const { gProj, cProj, oProj } = x.p as Record<string, number>;
          if (x.user === 'admin') has(ids, [gProj!, cProj!, oProj!], []);
          else if (x.user === 'wangge') has(ids, [gProj!], [cProj!, oProj!]);
          else has(ids, [gProj!, cProj!], [oProj!]);
        },
      },
      {
        route: 'POST /api/partners/projects',
        target: '第一网格',
        req: (x) => ({
          method: 'POST',
          url: '/api/partners/projects',
          payload: { title: `矩阵项目${x.n}`, category: 'health', nodeId: x.t.iGrid, rewardPoints: 10 },
        }),
        expect: outcomes({ ok: VOL, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ nodeId: x.t.iGrid, status: 'open', rewardPoints: 10 }),
      },
      {
        route: 'POST /api/partners/projects',
        target: '邻安社区 (outside)',
        req: (x) => ({
          method: 'POST',
          url: '/api/partners/projects',
          payload: { title: `矩阵项目${x.n}`, category: 'health', nodeId: x.t.oCommunity },
        }),
        expect: outcomes({ ok: ['admin'], ...each(VOL.slice(1), NODE_NF), rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ nodeId: x.t.oCommunity }),
      },
      ...(['i', 'o'] as const).flatMap((side): Case[] => {
        const where = side === 'i' ? '第一网格' : '邻安社区 (outside)';
        const okUsers = side === 'i' ? VOL : (['admin'] as const);
        const node = (x: Run) => (side === 'i' ? x.t.iGrid : x.t.oCommunity);
        return [
          {
            route: 'GET /api/partners/projects/:id',
            target: `a project of ${where} with a claim`,
            prepare: async (x) => {
              const proj = await pProject(x, node(x));
              const org = await pOrg(x, side === 'i' ? x.t.iStreet : x.t.oStreet);
              return { proj, claim: await pClaim(x, proj, org) };
            },
            req: (x) => ({ method: 'GET', url: `/api/partners/projects/${x.p.proj}` }),
            expect: outcomes({ ok: okUsers, rest: PROJECT_NF }),
            ok: (res, x) => {
              const body = res.json() as { id: number; claims: { id: number }[] };
              expect(body.id).toBe(x.p.proj);
              expect(idsOf(body.claims)).toEqual([x.p.claim]);
            },
          },
          {
            route: 'PATCH /api/partners/projects/:id',
            target: `a project of ${where}`,
            prepare: async (x) => ({ proj: await pProject(x, node(x)) }),
            req: (x) => ({
              method: 'PATCH',
              url: `/api/partners/projects/${x.p.proj}`,
              payload: { title: `改后${x.n}`, maxClaims: 5 },
            }),
            expect: outcomes({ ok: okUsers, rest: PROJECT_NF }),
            ok: async (res, x) => {
              expect(res.json()).toMatchObject({ id: x.p.proj, title: `改后${x.n}`, maxClaims: 5 });
              const [r] = await x.db.query<{ title: string }>('SELECT title FROM partner_projects WHERE id = $1', [
                x.p.proj,
              ]);
              expect(r!.title).toBe(`改后${x.n}`);
            },
          },
          {
            route: 'POST /api/partners/projects/:id/close',
            target: `an open project of ${where}`,
            prepare: async (x) => ({ proj: await pProject(x, node(x)) }),
            req: (x) => ({ method: 'POST', url: `/api/partners/projects/${x.p.proj}/close` }),
            expect: outcomes({ ok: okUsers, rest: PROJECT_NF }),
            ok: async (res, x) => {
              expect(res.json()).toMatchObject({ id: x.p.proj, status: 'closed' });
              expect(await pStatus(x, 'partner_projects', x.p.proj!)).toBe('closed');
            },
          },
          {
            route: 'POST /api/partners/deliveries/:id/review',
            target: `a delivery of a project of ${where} (10 points reward)`,
            prepare: async (x) => {
              const proj = await pProject(x, node(x), { reward: 10 });
              const org = await pOrg(x, side === 'i' ? x.t.iStreet : x.t.oStreet);
              return { org, delivery: await pDelivery(x, await pClaim(x, proj, org, 'delivered')) };
            },
            req: (x) => ({
              method: 'POST',
              url: `/api/partners/deliveries/${x.p.delivery}/review`,
              payload: { decision: 'confirm' },
            }),
            expect: outcomes({ ok: okUsers, rest: DELIVERY_NF }),
            ok: async (res, x) => {
              expect(res.json()).toMatchObject({ id: x.p.delivery, status: 'confirmed', rewardPoints: 10 });
              const [a] = await x.db.query<{ balance: number }>(
                `SELECT balance FROM ledger_accounts WHERE kind = 'organisation' AND organisation_id = $1`,
                [x.p.org],
              );
              expect(Number(a!.balance)).toBe(10);
            },
          },
        ];
      }),
      {
        route: 'GET /api/partners/deliveries',
        target: 'deliveries of projects of 第一网格, 东关社区 and 邻安社区 (outside)',
        prepare: async (x) => {
          const iOrg = await pOrg(x, x.t.iStreet);
          const oOrg = await pOrg(x, x.t.oStreet);
          const at = async (nodeId: number, org: number) =>
            pDelivery(x, await pClaim(x, await pProject(x, nodeId), org, 'delivered'));
          return {
            gD: await at(x.t.iGrid, iOrg),
            cD: await at(x.t.iCommunity, iOrg),
            oD: await at(x.t.oCommunity, oOrg),
          };
        },
        req: () => ({ method: 'GET', url: '/api/partners/deliveries?pageSize=200' }),
        expect: outcomes({ ok: VOL, rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          const { gD, cD, oD } = x.p as Record<string, number>;
          if (x.user === 'admin') has(ids, [gD!, cD!, oD!], []);
          else if (x.user === 'wangge') has(ids, [gD!], [cD!, oD!]);
          else has(ids, [gD!, cD!], [oD!]);
        },
      },
      {
        route: 'GET /api/public/partners',
        target: '东关社区’s public notice (anyone; no personal data)',
        prepare: async (x) => {
          const org = await pOrg(x, x.t.iStreet);
          const claim = await pClaim(x, await pProject(x, x.t.iCommunity), org, 'confirmed');
          const d = await pDelivery(x, claim);
          await x.db.query(`UPDATE partner_deliveries SET status = 'confirmed' WHERE id = $1`, [d]);
          return { org };
        },
        req: (x) => ({ method: 'GET', url: `/api/public/partners?nodeId=${x.t.iCommunity}` }),
        expect: outcomes({ rest: 'ok' }),
        ok: (res, x) => {
          const body = res.json() as { node: { id: number }; partners: { name: string; deliveries: unknown[] }[] };
          expect(body.node.id).toBe(x.t.iCommunity);
          expect(body.partners.find((p) => p.name === `矩阵合伙人${x.n}`)?.deliveries).toHaveLength(1);
          for (const secret of ['13912345678', '139****5678', '矩阵联系人', '91350100M000100Y43']) {
            expect(res.body).not.toContain(secret);
          }
        },
      },
    ];
  })(),
  // ---- end partners [F] cases ----
  // ---- policies [A2] cases ----
  ...((): Case[] => {
    const READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // policies.read, policies.confirm
    const RUNNERS = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // policies.run
    const INSIDE_READERS = ['countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
    const CONFIG = outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }); // installation-wide
    const RUN_NF = no(404, 'POLICY_RUN_NOT_FOUND');
    const CAND_NF = no(404, 'POLICY_CANDIDATE_NOT_FOUND');
    const has = (ids: number[], yes: number[], not: number[]) => {
      for (const id of yes) expect(ids).toContain(id);
      for (const id of not) expect(ids).not.toContain(id);
    };
    const runs = async (x: Run): Promise<Prepared> => {
      const pol = await polPolicy(x, 'active');
      return {
        ...pol,
        iRun: await polRun(x, x.t.iCommunity, pol, x.t.iRes),
        oRun: await polRun(x, x.t.oCommunity, pol, x.t.oRes),
      };
    };
    const cands = async (x: Run, status = 'pending'): Promise<Prepared> => {
      const pol = await polPolicy(x, 'active');
      return {
        ...pol,
        iCand: await polCandidate(x, pol, x.t.iRes, status),
        oCand: await polCandidate(x, pol, x.t.oRes, status),
      };
    };
    const decisions: [string, string, Record<string, unknown>, string][] = [
      ['confirm', 'pending', { note: '已核实' }, 'confirmed'],
      ['reject', 'pending', { reason: '本人不需要' }, 'rejected'],
      ['receiving', 'confirmed', { since: '2026-01-05' }, 'receiving'],
      ['end', 'receiving', { reason: '已迁出' }, 'ended'],
    ];
    const readers = (ok: (res: LightMyRequestResponse, x: Run) => void | Promise<void>) => ({
      expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
      ok,
    });
    return [
      {
        route: 'GET /api/policies',
        target: 'every policy (installation-wide)',
        prepare: (x) => polPolicy(x, 'active'),
        req: () => ({ method: 'GET', url: '/api/policies' }),
        ...readers((res, x) => has(itemIds(res.json()), [x.p.policy!], [])),
      },
      {
        route: 'GET /api/policies/fields',
        target: 'the rule editor’s catalogue',
        req: () => ({ method: 'GET', url: '/api/policies/fields' }),
        ...readers((res) =>
          expect((res.json() as { fields: { code: string }[] }).fields.map((f) => f.code)).toContain('age'),
        ),
      },
      {
        route: 'POST /api/policies/validate',
        target: 'a rule to check',
        req: () => ({
          method: 'POST',
          url: '/api/policies/validate',
          payload: { rule: { field: 'age', op: '>=', value: 60 } },
        }),
        ...readers((res) => expect(res.json()).toMatchObject({ ok: true, leaves: [{ index: 0 }] })),
      },
      {
        route: 'POST /api/policies',
        target: 'a new policy (installation-wide)',
        req: (x) => ({
          method: 'POST',
          url: '/api/policies',
          payload: {
            code: `mx_new_${x.n}`,
            name: '矩阵政策',
            legalRef: '矩阵依据',
            validFrom: '2020-01-01',
            rule: POL_RULE,
          },
        }),
        expect: CONFIG,
        ok: (res, x) => expect(res.json()).toMatchObject({ code: `mx_new_${x.n}`, status: 'draft', version: 1 }),
      },
      {
        route: 'GET /api/policies/:id',
        target: 'a policy',
        prepare: (x) => polPolicy(x, 'active'),
        req: (x) => ({ method: 'GET', url: `/api/policies/${x.p.policy}` }),
        ...readers((res, x) => expect(res.json()).toMatchObject({ id: x.p.policy })),
      },
      {
        route: 'PATCH /api/policies/:id',
        target: 'a policy',
        prepare: (x) => polPolicy(x, 'draft'),
        req: (x) => ({ method: 'PATCH', url: `/api/policies/${x.p.policy}`, payload: { name: `矩阵改名${x.n}` } }),
        expect: CONFIG,
        ok: async (_res, x) =>
          expect(await x.admin('GET', `/api/policies/${x.p.policy}`)).toMatchObject({ name: `矩阵改名${x.n}` }),
      },
      {
        route: 'POST /api/policies/:id/status',
        target: 'a draft policy',
        prepare: (x) => polPolicy(x, 'draft'),
        req: (x) => ({ method: 'POST', url: `/api/policies/${x.p.policy}/status`, payload: { status: 'retired' } }),
        expect: CONFIG,
        ok: async (_res, x) =>
          expect(await x.admin('GET', `/api/policies/${x.p.policy}`)).toMatchObject({ status: 'retired' }),
      },
      {
        route: 'GET /api/policies/:id/versions',
        target: 'a policy’s versions',
        prepare: (x) => polPolicy(x, 'active'),
        req: (x) => ({ method: 'GET', url: `/api/policies/${x.p.policy}/versions` }),
        ...readers((res, x) => expect(itemIds(res.json())).toEqual([x.p.version])),
      },
      ...(['i', 'o'] as const).map(
        (side): Case => ({
          route: 'POST /api/policies/runs',
          target: side === 'i' ? '东关社区' : '邻安社区 (outside)',
          prepare: (x) => polPolicy(x, 'active'),
          req: (x) => ({
            method: 'POST',
            url: '/api/policies/runs',
            payload: { nodeId: side === 'i' ? x.t.iCommunity : x.t.oCommunity, policyId: x.p.policy },
          }),
          expect:
            side === 'i'
              ? outcomes({ ok: RUNNERS, rest: FORBIDDEN })
              : outcomes({
                  ok: ['admin'],
                  ...each(['countyadmin', 'jiedao', 'shequ'], no(404, 'ORG_NODE_NOT_FOUND')),
                  rest: FORBIDDEN,
                }),
          ok: async (res, x) => {
            const id = (res.json() as { id: number }).id;
            // Run it now, so no run is left waiting while other cases compare the data.
            await polUntilRunEnds(x, id);
            expect(await x.admin('GET', `/api/policies/runs/${id}`)).toMatchObject({
              status: 'done',
              policyId: x.p.policy,
            });
          },
        }),
      ),
      {
        route: 'GET /api/policies/runs',
        target: 'runs over 东关社区 and 邻安社区 (outside)',
        prepare: runs,
        req: () => ({ method: 'GET', url: '/api/policies/runs?pageSize=200' }),
        ...readers((res, x) =>
          x.user === 'admin'
            ? has(itemIds(res.json()), [x.p.iRun!, x.p.oRun!], [])
            : has(itemIds(res.json()), [x.p.iRun!], [x.p.oRun!]),
        ),
      },
      ...(['i', 'o'] as const).flatMap((side): Case[] => {
        const out = side === 'o';
        const target = out ? 'a run over 邻安社区 (outside)' : 'a run over 东关社区';
        const expectation = out
          ? outcomes({ ok: ['admin'], ...each(INSIDE_READERS, RUN_NF), rest: FORBIDDEN })
          : outcomes({ ok: READERS, rest: FORBIDDEN });
        const run = (x: Run) => (out ? x.p.oRun : x.p.iRun);
        return [
          {
            route: 'GET /api/policies/runs/:runId',
            target,
            prepare: runs,
            req: (x) => ({ method: 'GET', url: `/api/policies/runs/${run(x)}` }),
            expect: expectation,
            ok: (res, x) => expect(res.json()).toMatchObject({ id: run(x), policies: [{ policyId: x.p.policy }] }),
          },
          {
            route: 'GET /api/policies/runs/:runId/results',
            target,
            prepare: runs,
            req: (x) => ({ method: 'GET', url: `/api/policies/runs/${run(x)}/results?policyId=${x.p.policy}` }),
            expect: expectation,
            ok: (res, x) =>
              expect((res.json() as { items: { residentId: number }[] }).items.map((r) => r.residentId)).toEqual([
                out ? x.t.oRes : x.t.iRes,
              ]),
          },
          {
            route: 'GET /api/policies/runs/:runId/export.xlsx',
            target,
            prepare: runs,
            req: (x) => ({ method: 'GET', url: `/api/policies/runs/${run(x)}/export.xlsx?policyId=${x.p.policy}` }),
            expect: expectation,
            ok: async (res) => {
              const rows = await readSheet(res.rawPayload);
              expect(rows[1]!.slice(0, 2)).toEqual(['姓名', '身份证号']);
              expect(rows.length).toBe(3);
            },
          },
        ];
      }),
      {
        route: 'GET /api/policies/runs/:runId/export.xlsx',
        target: 'a run over 东关社区, unmasked (pii.reveal and a reason)',
        prepare: runs,
        req: (x) => ({
          method: 'GET',
          url: `/api/policies/runs/${x.p.iRun}/export.xlsx?policyId=${x.p.policy}&unmasked=1&reason=${REASON}`,
        }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: async (res) => {
          const rows = await readSheet(res.rawPayload);
          expect(String(rows[2]![1])).not.toContain('*');
        },
      },
      ...(['i', 'o'] as const).map(
        (side): Case => ({
          route: 'GET /api/policies/residents/:residentId',
          target: side === 'i' ? 'a resident of 1号楼' : 'a resident of 邻安县 (outside)',
          prepare: runs,
          req: (x) => ({ method: 'GET', url: `/api/policies/residents/${side === 'i' ? x.t.iRes : x.t.oRes}` }),
          expect:
            side === 'i'
              ? outcomes({ ok: READERS, rest: FORBIDDEN })
              : outcomes({
                  ok: ['admin'],
                  ...each(INSIDE_READERS, no(404, 'POLICY_RESIDENT_NOT_FOUND')),
                  rest: FORBIDDEN,
                }),
          ok: (res, x) =>
            expect((res.json() as { results: { policyId: number }[] }).results.map((r) => r.policyId)).toContain(
              x.p.policy,
            ),
        }),
      ),
      {
        route: 'GET /api/policies/candidates',
        target: 'candidates in 1号楼 and 邻安县 (outside)',
        prepare: (x) => cands(x),
        req: () => ({ method: 'GET', url: '/api/policies/candidates?pageSize=200' }),
        ...readers((res, x) =>
          x.user === 'admin'
            ? has(itemIds(res.json()), [x.p.iCand!, x.p.oCand!], [])
            : has(itemIds(res.json()), [x.p.iCand!], [x.p.oCand!]),
        ),
      },
      ...(['i', 'o'] as const).flatMap((side): Case[] => {
        const out = side === 'o';
        const target = (what: string) => `${what} candidate of ${out ? '邻安县 (outside)' : '1号楼'}`;
        const expectation = out
          ? outcomes({ ok: ['admin'], ...each(INSIDE_READERS, CAND_NF), rest: FORBIDDEN })
          : outcomes({ ok: READERS, rest: FORBIDDEN });
        const cand = (x: Run) => (out ? x.p.oCand : x.p.iCand);
        return [
          {
            route: 'GET /api/policies/candidates/:id',
            target: target('a'),
            prepare: (x) => cands(x),
            req: (x) => ({ method: 'GET', url: `/api/policies/candidates/${cand(x)}` }),
            expect: expectation,
            ok: (res, x) => expect(res.json()).toMatchObject({ id: cand(x), policyId: x.p.policy, status: 'pending' }),
          },
          ...decisions.map(
            ([action, from, body, to]): Case => ({
              route: `POST /api/policies/candidates/:id/${action}`,
              target: target(`a ${from}`),
              prepare: (x) => cands(x, from),
              req: (x) => ({
                method: 'POST',
                url: `/api/policies/candidates/${cand(x)}/${action}`,
                payload: { version: 1, ...body },
              }),
              expect: expectation,
              ok: async (res, x) => {
                expect(res.json()).toMatchObject({ id: cand(x), status: to, version: 2 });
                const [row] = await x.db.query<{ status: string }>(
                  'SELECT status FROM policy_candidates WHERE id = $1',
                  [cand(x)],
                );
                expect(row!.status).toBe(to);
              },
            }),
          ),
        ];
      }),
    ];
  })(),
  // ---- end policies [A2] cases ----
  // ---- metrics [B] cases ----
  ...((): Case[] => {
    const READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // assessment.read
    const COMMUNITY = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // … over 东关社区
    const NODE_NF = no(404, 'ORG_NODE_NOT_FOUND');
    const SUBJECT_NF = no(404, 'METRICS_SUBJECT_NOT_FOUND');
    const q = 'periodKind=month&periodStart=2026-11-01';
    const table = (nodeId: number) => `/api/metrics?${q}&nodeId=${nodeId}`;
    const history = (nodeId: number) =>
      `/api/metrics/history?subjectKind=node&subjectId=${nodeId}&metric=cases_closed&periodKind=month&periodStart=2026-11-01&count=2`;
    return [
      {
        route: 'GET /api/metrics/catalogue',
        target: 'the catalogue (installation-wide)',
        req: () => ({ method: 'GET', url: '/api/metrics/catalogue' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res) =>
          expect((res.json() as { items: { code: string }[] }).items[0]).toMatchObject({ code: 'cases_received' }),
      },
      {
        route: 'GET /api/metrics',
        target: '第一网格 (the grid worker’s own)',
        req: (x) => ({ method: 'GET', url: table(x.t.iGrid) }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ node: { id: x.t.iGrid }, self: { subjectId: x.t.iGrid } }),
      },
      {
        route: 'GET /api/metrics',
        target: 'a sibling grid of 东关社区',
        req: (x) => ({ method: 'GET', url: table(x.t.iSiblingGrid) }),
        expect: outcomes({ ok: COMMUNITY, wangge: NODE_NF, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ node: { id: x.t.iSiblingGrid } }),
      },
      {
        route: 'GET /api/metrics',
        target: '邻安县’s grid (outside)',
        req: (x) => ({ method: 'GET', url: table(x.t.oGrid) }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], NODE_NF),
          rest: FORBIDDEN,
        }),
        ok: (res, x) => expect(res.json()).toMatchObject({ node: { id: x.t.oGrid } }),
      },
      {
        route: 'GET /api/metrics/export',
        target: '东关社区',
        req: (x) => ({ method: 'GET', url: `/api/metrics/export?${q}&nodeId=${x.t.iCommunity}` }),
        expect: outcomes({ ok: COMMUNITY, wangge: NODE_NF, rest: FORBIDDEN }),
        ok: (res) => {
          expect(res.headers['content-type']).toContain('spreadsheetml');
          expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
        },
      },
      {
        route: 'GET /api/metrics/export',
        target: '邻安县’s community (outside)',
        req: (x) => ({ method: 'GET', url: `/api/metrics/export?${q}&nodeId=${x.t.oCommunity}` }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], NODE_NF),
          rest: FORBIDDEN,
        }),
        ok: (res) => expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK'),
      },
      {
        route: 'GET /api/metrics/history',
        target: '第一网格 (the grid worker’s own)',
        req: (x) => ({ method: 'GET', url: history(x.t.iGrid) }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => {
          const body = res.json() as { subjectId: number; points: { periodStart: string }[] };
          expect(body.subjectId).toBe(x.t.iGrid);
          expect(body.points.map((p) => p.periodStart)).toEqual(['2026-10-01', '2026-11-01']);
        },
      },
      {
        route: 'GET /api/metrics/history',
        target: 'a sibling grid of 东关社区',
        req: (x) => ({ method: 'GET', url: history(x.t.iSiblingGrid) }),
        expect: outcomes({ ok: COMMUNITY, wangge: SUBJECT_NF, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ subjectId: x.t.iSiblingGrid }),
      },
      {
        route: 'GET /api/metrics/history',
        target: '邻安县’s grid (outside)',
        req: (x) => ({ method: 'GET', url: history(x.t.oGrid) }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], SUBJECT_NF),
          rest: FORBIDDEN,
        }),
        ok: (res, x) => expect(res.json()).toMatchObject({ subjectId: x.t.oGrid }),
      },
      {
        route: 'GET /api/metrics/refreshes',
        target: 'the refreshes of the caller’s counties',
        prepare: async (x) => {
          await metricsRefreshNow(x, '2026-10-01');
          return {};
        },
        req: () => ({ method: 'GET', url: '/api/metrics/refreshes' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => {
          const items = (res.json() as { items: { countyId: number; periodStart: string }[] }).items;
          expect(items.some((i) => i.periodStart === '2026-10-01' && i.countyId === x.t.iCounty)).toBe(true);
          // a county administrator sees their county's refreshes only
          if (x.user !== 'admin') expect(items.every((i) => i.countyId === x.t.iCounty)).toBe(true);
        },
      },
      {
        route: 'POST /api/metrics/refresh',
        target: 'a week (installation-wide)',
        req: (x) => ({
          method: 'POST',
          url: '/api/metrics/refresh',
          payload: { periodKind: 'week', periodStart: metricsWeek(x.n) },
        }),
        expect: outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ periodKind: 'week', periodStart: metricsWeek(x.n) });
          expect((res.json() as { rows: number }).rows).toBeGreaterThan(0);
          const rows = await x.db.query(
            `SELECT 1 FROM metric_refreshes WHERE period_kind = 'week' AND period_start = $1`,
            [metricsWeek(x.n)],
          );
          expect(rows.length).toBeGreaterThan(0);
        },
      },
    ];
  })(),
  // ---- end metrics [B] cases ----
  // ---- assessment [C1] cases ----
  ...((): Case[] => {
    const READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // assessment.read
    const MANAGE = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // assessment.manage over 东关社区
    const APPROVE = ['admin', 'countyadmin', 'jiedao'] as const; // assessment.approve over 泗源街道
    const SUBJECT_NF = no(404, 'ASSESSMENT_SUBJECT_NOT_FOUND');
    const SEL_NF = no(404, 'ASSESSMENT_SELECTION_NOT_FOUND');
    const LEVEL = no(403, 'ASSESSMENT_SELECTION_LEVEL');
    const NODE_NF = no(404, 'ORG_NODE_NOT_FOUND');
    const CONFIG = outcomes({ ok: ['admin'], countyadmin: no(403, 'OUT_OF_SCOPE'), rest: FORBIDDEN });
    const Q = '2026-07-01';
    const schemeBody = (n: number) => ({
      name: `矩阵考核${n}`,
      subject: 'grid',
      periodKind: 'quarter',
      items: [{ metric: 'cases_overdue', weight: 100, fullAt: 0, zeroAt: 10 }],
    });
    const subjectsOf = (body: unknown) =>
      (body as { groups: { subjects: { subjectId: number }[] }[] }).groups.flatMap((g) =>
        g.subjects.map((s) => s.subjectId),
      );
    return [
      {
        route: 'GET /api/assessment/schemes',
        target: 'the installation’s schemes',
        prepare: async (x) => ({ scheme: await aScheme(x) }),
        req: () => ({ method: 'GET', url: '/api/assessment/schemes' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => expect(itemIds(res.json())).toContain(x.p.scheme),
      },
      {
        route: 'GET /api/assessment/schemes/:id',
        target: 'a scheme',
        prepare: async (x) => ({ scheme: await aScheme(x) }),
        req: (x) => ({ method: 'GET', url: `/api/assessment/schemes/${x.p.scheme}` }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.scheme, subject: 'grid' }),
      },
      {
        route: 'POST /api/assessment/schemes',
        target: 'a new scheme (installation-wide)',
        req: (x) => ({ method: 'POST', url: '/api/assessment/schemes', payload: schemeBody(x.n) }),
        expect: CONFIG,
        ok: async (res, x) => {
          const id = (res.json() as { id: number }).id;
          expect(res.json()).toMatchObject({ name: `矩阵考核${x.n}`, periodKind: 'quarter' });
          expect(await x.db.query('SELECT name FROM assessment_schemes WHERE id = $1', [id])).toEqual([
            { name: `矩阵考核${x.n}` },
          ]);
        },
      },
      {
        route: 'PATCH /api/assessment/schemes/:id',
        target: 'a scheme',
        prepare: async (x) => ({ scheme: await aScheme(x) }),
        req: (x) => ({
          method: 'PATCH',
          url: `/api/assessment/schemes/${x.p.scheme}`,
          payload: { name: `改名${x.n}`, adjustmentCap: 6 },
        }),
        expect: CONFIG,
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.scheme, name: `改名${x.n}`, adjustmentCap: 6 });
        },
      },
      {
        route: 'DELETE /api/assessment/schemes/:id',
        target: 'a scheme nothing refers to',
        prepare: async (x) => ({ scheme: await aScheme(x) }),
        req: (x) => ({ method: 'DELETE', url: `/api/assessment/schemes/${x.p.scheme}` }),
        expect: CONFIG,
        ok: async (_res, x) =>
          expect(await x.db.query('SELECT id FROM assessment_schemes WHERE id = $1', [x.p.scheme])).toEqual([]),
      },
      {
        route: 'GET /api/assessment/rankings',
        target: 'scores of 第一网格, 第二网格 and 邻安第一网格 (outside)',
        prepare: async (x) => ({ scheme: await aScheme(x, { scored: true }) }),
        req: (x) => ({ method: 'GET', url: `/api/assessment/rankings?schemeId=${x.p.scheme}&periodStart=${Q}` }),
        items: subjectsOf,
        expect: outcomes({
          admin: { has: ['iGrid', 'iSiblingGrid', 'oGrid'] },
          ...each(['countyadmin', 'jiedao', 'shequ'], { has: ['iGrid', 'iSiblingGrid'], lacks: ['oGrid'] }),
          wangge: { has: ['iGrid'], lacks: ['iSiblingGrid', 'oGrid'] },
          rest: FORBIDDEN,
        }),
      },
      {
        route: 'GET /api/assessment/rankings',
        target: '邻安社区 (outside) as the node',
        prepare: async (x) => ({ scheme: await aScheme(x, { scored: true }) }),
        req: (x) => ({
          method: 'GET',
          url: `/api/assessment/rankings?schemeId=${x.p.scheme}&periodStart=${Q}&nodeId=${x.t.oCommunity}`,
        }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], NODE_NF),
          rest: FORBIDDEN,
        }),
        // every active grid of 邻安社区 (other cases may have added grids there)
        ok: async (res, x) => {
          const grids = await activeGridsUnder(x, x.t.oCommunity);
          expect(grids).toContain(x.t.oGrid);
          expect([...subjectsOf(res.json())].sort((a, b) => a - b)).toEqual(grids);
        },
      },
      {
        route: 'GET /api/assessment/scores/:kind/:id',
        target: '第二网格 (not the grid worker’s)',
        prepare: async (x) => ({ scheme: await aScheme(x, { scored: true }) }),
        req: (x) => ({ method: 'GET', url: `/api/assessment/scores/node/${x.t.iSiblingGrid}?schemeId=${x.p.scheme}` }),
        expect: outcomes({ ok: MANAGE, wangge: SUBJECT_NF, rest: FORBIDDEN }),
        ok: (res, x) =>
          expect(res.json()).toMatchObject({ subjectId: x.t.iSiblingGrid, points: [{ periodStart: Q, total: 0 }] }),
      },
      {
        route: 'POST /api/assessment/compute',
        target: 'a scheme’s scores under 东关社区',
        prepare: async (x) => ({ scheme: await aScheme(x) }),
        req: (x) => ({
          method: 'POST',
          url: '/api/assessment/compute',
          payload: { schemeId: x.p.scheme, periodStart: Q, nodeId: x.t.iCommunity },
        }),
        expect: outcomes({ ok: MANAGE, rest: NODE_NF }),
        // the active grids of 东关社区: its five, and any another case added
        ok: async (res, x) => {
          const grids = await activeGridsUnder(x, x.t.iCommunity);
          expect(grids.length).toBeGreaterThanOrEqual(5);
          expect(res.json()).toEqual({ subjects: grids.length });
          expect(await aScoreCount(x, x.p.scheme!)).toBe(grids.length);
        },
      },
      {
        route: 'GET /api/assessment/adjustments',
        target: 'adjustments of 第一网格, 第二网格 and 邻安第一网格 (outside)',
        prepare: async (x) => {
          const scheme = await aScheme(x);
          return {
            scheme,
            i: await aAdjustment(x, scheme, x.t.iGrid),
            s: await aAdjustment(x, scheme, x.t.iSiblingGrid),
            o: await aAdjustment(x, scheme, x.t.oGrid),
          };
        },
        req: (x) => ({ method: 'GET', url: `/api/assessment/adjustments?schemeId=${x.p.scheme}` }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json()).sort(byNumber);
          if (x.user === 'admin') expect(ids).toEqual([x.p.i!, x.p.s!, x.p.o!].sort(byNumber));
          else if (x.user === 'wangge') expect(ids).toEqual([x.p.i]);
          else expect(ids).toEqual([x.p.i!, x.p.s!].sort(byNumber));
        },
      },
      {
        route: 'POST /api/assessment/adjustments',
        target: '第一网格 (the grid worker reads it, may not adjust it)',
        prepare: async (x) => ({ scheme: await aScheme(x) }),
        req: (x) => ({
          method: 'POST',
          url: '/api/assessment/adjustments',
          payload: {
            schemeId: x.p.scheme,
            periodStart: Q,
            subjectKind: 'node',
            subjectId: x.t.iGrid,
            points: 2,
            reason: '矩阵加分理由',
          },
        }),
        expect: outcomes({ ok: MANAGE, wangge: FORBIDDEN, rest: SUBJECT_NF }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ subjectId: x.t.iGrid, points: 2 });
          const [s] = await x.db.query<{ adjustments: string }>(
            `SELECT adjustments::text AS adjustments FROM assessment_scores WHERE scheme_id = $1 AND subject_id = $2`,
            [x.p.scheme, x.t.iGrid],
          );
          expect(Number(s!.adjustments)).toBe(2);
        },
      },
      {
        route: 'POST /api/assessment/adjustments',
        target: '邻安第一网格 (outside)',
        prepare: async (x) => ({ scheme: await aScheme(x) }),
        req: (x) => ({
          method: 'POST',
          url: '/api/assessment/adjustments',
          payload: {
            schemeId: x.p.scheme,
            periodStart: Q,
            subjectKind: 'node',
            subjectId: x.t.oGrid,
            points: -2,
            reason: '矩阵扣分理由',
          },
        }),
        expect: outcomes({ ok: ['admin'], rest: SUBJECT_NF }),
        ok: (res, x) => expect(res.json()).toMatchObject({ subjectId: x.t.oGrid, points: -2 }),
      },
      {
        route: 'POST /api/assessment/adjustments/:id/withdraw',
        target: 'an adjustment of 第一网格',
        prepare: async (x) => ({ adj: await aAdjustment(x, await aScheme(x), x.t.iGrid) }),
        req: (x) => ({
          method: 'POST',
          url: `/api/assessment/adjustments/${x.p.adj}/withdraw`,
          payload: { reason: '矩阵撤销' },
        }),
        expect: outcomes({ ok: MANAGE, wangge: FORBIDDEN, rest: no(404, 'ASSESSMENT_ADJUSTMENT_NOT_FOUND') }),
        ok: (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.adj });
          expect((res.json() as { withdrawnAt: string | null }).withdrawnAt).not.toBeNull();
        },
      },
      {
        route: 'GET /api/assessment/selections',
        target: 'selections of 第一网格, 第二网格 and 邻安第一网格 (outside)',
        prepare: async (x) => {
          const scheme = await aScheme(x);
          return {
            scheme,
            i: await aSelection(x, scheme, x.t.iGrid, 'proposed'),
            s: await aSelection(x, scheme, x.t.iSiblingGrid, 'proposed'),
            o: await aSelection(x, scheme, x.t.oGrid, 'proposed'),
          };
        },
        req: (x) => ({ method: 'GET', url: `/api/assessment/selections?schemeId=${x.p.scheme}` }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json()).sort(byNumber);
          if (x.user === 'admin') expect(ids).toEqual([x.p.i!, x.p.s!, x.p.o!].sort(byNumber));
          else if (x.user === 'wangge') expect(ids).toEqual([x.p.i]);
          else expect(ids).toEqual([x.p.i!, x.p.s!].sort(byNumber));
        },
      },
      {
        route: 'POST /api/assessment/selections/propose',
        target: 'the top grids of a quarter (every grid ties at 0, the minimum score is 0)',
        prepare: async (x) => ({ scheme: await aScheme(x, { scored: true }) }),
        req: (x) => ({
          method: 'POST',
          url: '/api/assessment/selections/propose',
          payload: { schemeId: x.p.scheme, periodStart: Q },
        }),
        expect: outcomes({ ok: MANAGE, rest: FORBIDDEN }),
        ok: async (res, x) => {
          const paths = await x.db.query<{ node_path: string }>(
            'SELECT node_path FROM assessment_selections WHERE scheme_id = $1',
            [x.p.scheme],
          );
          expect((res.json() as { proposed: number }).proposed).toBe(paths.length);
          const [grid] = await x.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [x.t.iGrid]);
          expect(paths.map((p) => p.node_path)).toContain(grid!.path);
          const [out] = await x.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [x.t.oGrid]);
          if (x.user !== 'admin') expect(paths.map((p) => p.node_path)).not.toContain(out!.path);
        },
      },
      {
        route: 'POST /api/assessment/selections',
        target: '第一网格 nominated by hand',
        prepare: async (x) => ({ scheme: await aScheme(x) }),
        req: (x) => ({
          method: 'POST',
          url: '/api/assessment/selections',
          payload: {
            schemeId: x.p.scheme,
            periodStart: Q,
            subjectKind: 'node',
            subjectId: x.t.iGrid,
            citation: '矩阵事迹',
          },
        }),
        expect: outcomes({ ok: MANAGE, wangge: FORBIDDEN, rest: SUBJECT_NF }),
        ok: (res, x) =>
          expect(res.json()).toMatchObject({ subjectId: x.t.iGrid, status: 'nominated', levelNodeId: x.t.iStreet }),
      },
      {
        route: 'POST /api/assessment/selections/:id/nominate',
        target: 'a proposal of 第一网格',
        prepare: async (x) => ({ sel: await aSelection(x, await aScheme(x), x.t.iGrid, 'proposed') }),
        req: (x) => ({
          method: 'POST',
          url: `/api/assessment/selections/${x.p.sel}/nominate`,
          payload: { citation: '矩阵事迹' },
        }),
        expect: outcomes({ ok: MANAGE, wangge: FORBIDDEN, rest: SEL_NF }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.sel, status: 'nominated', citation: '矩阵事迹' }),
      },
      {
        route: 'POST /api/assessment/selections/:id/approve',
        target: 'a nomination of 第一网格 (level 泗源街道)',
        prepare: async (x) => ({ sel: await aSelection(x, await aScheme(x), x.t.iGrid, 'nominated') }),
        req: (x) => ({ method: 'POST', url: `/api/assessment/selections/${x.p.sel}/approve`, payload: {} }),
        expect: outcomes({ ok: APPROVE, ...each(['shequ', 'wangge'], LEVEL), rest: SEL_NF }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.sel, status: 'approved' }),
      },
      {
        route: 'POST /api/assessment/selections/:id/approve',
        target: 'a nomination of 邻安第一网格 (outside)',
        prepare: async (x) => ({ sel: await aSelection(x, await aScheme(x), x.t.oGrid, 'nominated') }),
        req: (x) => ({ method: 'POST', url: `/api/assessment/selections/${x.p.sel}/approve`, payload: {} }),
        expect: outcomes({ ok: ['admin'], rest: SEL_NF }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.sel, status: 'approved' }),
      },
      {
        route: 'POST /api/assessment/selections/:id/decline',
        target: 'a nomination of 第一网格 (level 泗源街道)',
        prepare: async (x) => ({ sel: await aSelection(x, await aScheme(x), x.t.iGrid, 'nominated') }),
        req: (x) => ({
          method: 'POST',
          url: `/api/assessment/selections/${x.p.sel}/decline`,
          payload: { reason: '矩阵不予通过' },
        }),
        expect: outcomes({ ok: APPROVE, ...each(['shequ', 'wangge'], LEVEL), rest: SEL_NF }),
        ok: (res, x) =>
          expect(res.json()).toMatchObject({ id: x.p.sel, status: 'declined', decisionReason: '矩阵不予通过' }),
      },
      {
        route: 'POST /api/assessment/selections/publish',
        target: 'approved selections under 泗源街道',
        prepare: async (x) => {
          const scheme = await aScheme(x);
          return { scheme, sel: await aSelection(x, scheme, x.t.iGrid, 'approved') };
        },
        req: (x) => ({
          method: 'POST',
          url: '/api/assessment/selections/publish',
          payload: { schemeId: x.p.scheme, periodStart: Q, levelNodeId: x.t.iStreet },
        }),
        expect: outcomes({ ok: APPROVE, rest: NODE_NF }),
        ok: async (res, x) => {
          expect(res.json()).toEqual({ published: 1 });
          const [s] = await x.db.query<{ status: string }>('SELECT status FROM assessment_selections WHERE id = $1', [
            x.p.sel,
          ]);
          expect(s!.status).toBe('published');
        },
      },
      {
        route: 'GET /api/assessment/archives/user/:id',
        target: 'the grid worker of 第一网格 (张网格)',
        prepare: async (x) => ({ user: await userId(x.db, 'wangge') }),
        req: (x) => ({ method: 'GET', url: `/api/assessment/archives/user/${x.p.user}` }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ subjectKind: 'user', subjectId: x.p.user, name: '张网格' }),
      },
      {
        route: 'GET /api/assessment/archives/node/:id',
        target: '第二网格 (not the grid worker’s)',
        req: (x) => ({ method: 'GET', url: `/api/assessment/archives/node/${x.t.iSiblingGrid}` }),
        expect: outcomes({ ok: MANAGE, wangge: SUBJECT_NF, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ subjectKind: 'node', subjectId: x.t.iSiblingGrid }),
      },
      {
        route: 'GET /api/assessment/archives/node/:id',
        target: '邻安第一网格 (outside)',
        req: (x) => ({ method: 'GET', url: `/api/assessment/archives/node/${x.t.oGrid}` }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], SUBJECT_NF),
          rest: FORBIDDEN,
        }),
        ok: (res, x) => expect(res.json()).toMatchObject({ subjectId: x.t.oGrid, name: '邻安第一网格' }),
      },
      {
        route: 'GET /api/public/honours',
        target: 'published honours under 泗源街道 (no login needed)',
        prepare: async (x) => ({ sel: await aSelection(x, await aScheme(x), x.t.iGrid, 'published') }),
        req: (x) => ({ method: 'GET', url: `/api/public/honours?nodeId=${x.t.iStreet}` }),
        expect: outcomes({ ok: USERS }),
        ok: (res, x) => {
          const body = res.json() as { node: { id: number }; honours: { name: string; citation: string | null }[] };
          expect(body.node.id).toBe(x.t.iStreet);
          expect(body.honours.map((h) => h.name)).toContain('第一网格');
        },
      },
    ];
  })(),
  // ---- end assessment [C1] cases ----
  // ---- dashboard [D] cases ----
  // 驾驶舱: dashboard.read (street admins, community and grid workers, over their area); a node outside is not found
  ...((): Case[] => {
    const READERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
    const NODE_NF = no(404, 'ORG_NODE_NOT_FOUND');
    type Dash = { node: { id: number; crumbs: { id: number; clickable: boolean }[] }; children: { id: number }[] };
    return [
      {
        route: 'GET /api/dashboard',
        target: '邻安社区 (outside)',
        req: (x) => ({ method: 'GET', url: `/api/dashboard?nodeId=${x.t.oCommunity}` }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], NODE_NF),
          rest: FORBIDDEN,
        }),
        ok: (res, x) => expect((res.json() as Dash).node.id).toBe(x.t.oCommunity),
      },
      {
        route: 'GET /api/dashboard',
        target: '第二网格 (beside the grid worker’s)',
        req: (x) => ({ method: 'GET', url: `/api/dashboard?nodeId=${x.t.iSiblingGrid}` }),
        expect: outcomes({ ok: ['admin', 'countyadmin', 'jiedao', 'shequ'], wangge: NODE_NF, rest: FORBIDDEN }),
        ok: (res, x) => {
          const d = res.json() as Dash;
          expect(d.node.id).toBe(x.t.iSiblingGrid);
          // the breadcrumb's community is clickable for everyone allowed here (all hold it), the county only for
          // county-wide callers
          const crumb = (id: number) => d.node.crumbs.find((c) => c.id === id)?.clickable;
          expect(crumb(x.t.iCommunity)).toBe(true);
          expect(crumb(x.t.iCounty)).toBe(x.user === 'admin' || x.user === 'countyadmin');
        },
      },
      {
        route: 'GET /api/dashboard',
        target: 'the caller’s own area by default (their highest post)',
        req: () => ({ method: 'GET', url: '/api/dashboard' }),
        expect: outcomes({ ok: READERS, rest: FORBIDDEN }),
        ok: (res, x) => {
          const d = res.json() as Dash;
          const own = { jiedao: x.t.iStreet, shequ: x.t.iCommunity, wangge: x.t.iGrid } as Record<string, number>;
          if (own[x.user] !== undefined) expect(d.node.id).toBe(own[x.user]);
          if (x.user === 'shequ') expect(d.children.map((c) => c.id)).toContain(x.t.iGrid);
        },
      },
    ];
  })(),
  // ---- end dashboard [D] cases ----
  // ---- deliberation [A] cases ----
  // 议事协商: deliberation.read (street admins, community and grid workers, building leaders over their area),
  // deliberation.manage (street admins and community workers), residents.verify (all four). Targets at 1号楼 (inside)
  // and 邻安县's building (outside: not found to everyone who holds the permission, but the system administrator).
  // Residents' routes: jumin is linked to 矩阵内居民 (1号楼1单元) and verified here; every other account is neither.
  ...((): Case[] => {
    const READ = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge', 'louzhang'] as const;
    const MANAGE = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const;
    const NOT_ADMIN_READ = ['countyadmin', 'jiedao', 'shequ', 'wangge', 'louzhang'] as const;
    const NOT_ADMIN_MANAGE = ['countyadmin', 'jiedao', 'shequ'] as const;
    const readIn = outcomes({ ok: READ, rest: FORBIDDEN });
    const readOut = (nf: Refusal) => outcomes({ ok: ['admin'], ...each(NOT_ADMIN_READ, nf), rest: FORBIDDEN });
    const manageIn = outcomes({ ok: MANAGE, rest: FORBIDDEN });
    const manageOut = (nf: Refusal) => outcomes({ ok: ['admin'], ...each(NOT_ADMIN_MANAGE, nf), rest: FORBIDDEN });
    const NOT_VERIFIED = no(403, 'DELIB_NOT_VERIFIED');
    const TOPIC_NF = no(404, 'DELIB_TOPIC_NOT_FOUND');
    const asJumin = (nfOrOk: Outcome) => outcomes({ jumin: nfOrOk, rest: NOT_VERIFIED });
    const mxPhone = (n: number) => `139${String(n % 100_000_000).padStart(8, '0')}`;
    const side = (x: Run, s: 'i' | 'o') => (s === 'i' ? x.t.iBuilding : x.t.oBuilding);
    type Side = 'i' | 'o';

    const verifyJumin = (x: Run) =>
      x.db.query(`UPDATE users SET verified_resident_id = resident_id, verified_at = now() WHERE username = 'jumin'`);
    const topicAt = async (x: Run, nodeId: number, status = 'open') => {
      const [r] = await x.db.query<{ id: number }>(
        `INSERT INTO delib_topics (county_id, node_id, node_path, title, origin, status, author_name, opened_at)
         SELECT county_id, id, path, $2, 'community', $3, '矩阵', now() FROM org_nodes WHERE id = $1 RETURNING id`,
        [nodeId, `矩阵议题${x.n}`, status],
      );
      return Number(r!.id);
    };
    const voteOn = async (x: Run, topicId: number) => {
      const [v] = await x.db.query<{ id: number }>(
        `INSERT INTO delib_votes (topic_id, question, rule, secrecy, quorum_kind, quorum_value, deadline)
         VALUES ($1, '矩阵表决', 'per_resident', 'open', 'count', 1, now() + interval '1 day') RETURNING id`,
        [topicId],
      );
      const [o] = await x.db.query<{ id: number }>(
        `INSERT INTO delib_vote_options (vote_id, position, label) VALUES ($1, 1, '同意'), ($1, 2, '反对') RETURNING id`,
        [v!.id],
      );
      return { vote: Number(v!.id), opt: Number(o!.id) };
    };
    const commentOn = async (x: Run, topicId: number, status = 'visible') => {
      const [r] = await x.db.query<{ id: number }>(
        `INSERT INTO delib_comments (topic_id, author_name, body, status, reports)
         VALUES ($1, '矩阵', '矩阵评论', $2, CASE WHEN $2 = 'hidden' THEN 3 ELSE 0 END) RETURNING id`,
        [topicId, status],
      );
      return Number(r!.id);
    };
    const proposalOn = async (x: Run, topicId: number) => {
      const [r] = await x.db.query<{ id: number }>(
        `INSERT INTO delib_proposals (topic_id, author_name, title) VALUES ($1, '矩阵', '矩阵提案') RETURNING id`,
        [topicId],
      );
      return Number(r!.id);
    };
    const meetingAt = async (x: Run, nodeId: number) => {
      const [r] = await x.db.query<{ id: number }>(
        `INSERT INTO delib_meetings (county_id, node_id, node_path, title, held_at)
         SELECT county_id, id, path, $2, now() FROM org_nodes WHERE id = $1 RETURNING id`,
        [nodeId, `矩阵会议${x.n}`],
      );
      return Number(r!.id);
    };
    const decisionOf = async (x: Run, meetingId: number) => {
      const [r] = await x.db.query<{ id: number }>(
        `INSERT INTO delib_decisions (meeting_id, title) VALUES ($1, '矩阵议定事项') RETURNING id`,
        [meetingId],
      );
      return Number(r!.id);
    };
    const verificationAt = async (x: Run, buildingId: number) => {
      // straight into the table (two per request: unique hashes, not x.n's ID number)
      const hash = Buffer.from(`mx-verify-${x.n}-${buildingId}-${Math.random()}`);
      const [rec] = await x.db.query<{ id: number }>(
        `INSERT INTO residents (county_id, node_id, node_path, name, name_pinyin, name_initials, id_sealed, id_hash,
           id_masked, sex, birth_date)
         SELECT county_id, id, path, '认证居民', 'x', 'x', $2, $2, 'x', 'male', '1980-01-01' FROM org_nodes WHERE id = $1
         RETURNING id`,
        // on the building, not its unit: the report cases count exactly who lives in 1号楼1单元
        [buildingId, hash],
      );
      const res = rec!.id;
      const [u] = await x.db.query<{ id: number }>(
        `INSERT INTO users (username, display_name, password_hash) VALUES ($1, '矩阵认证', 'x') RETURNING id`,
        [`mxv_${x.n}_${Math.random().toString(36).slice(2, 8)}`],
      );
      const [v] = await x.db.query<{ id: number }>(
        `INSERT INTO resident_verifications (county_id, user_id, resident_id, node_path, status)
         SELECT county_id, $1, id, node_path, 'pending' FROM residents WHERE id = $2 RETURNING id`,
        [u!.id, res],
      );
      return Number(v!.id);
    };
    const both = async (x: Run, make: (nodeId: number) => Promise<number>) => ({
      in: await make(x.t.iBuilding),
      out: await make(x.t.oBuilding),
    });
    const listHas = (ids: number[], x: Run) => {
      expect(ids).toContain(x.p.in);
      if (x.user === 'admin') expect(ids).toContain(x.p.out);
      else expect(ids).not.toContain(x.p.out);
    };
    const detailId = (res: LightMyRequestResponse) => (res.json() as { id: number }).id;

    const cases: Case[] = [
      // ---- residents ----
      {
        route: 'GET /api/me/verification',
        target: 'the caller’s own verification',
        prepare: async (x) => {
          await verifyJumin(x);
          return {};
        },
        req: () => ({ method: 'GET', url: '/api/me/verification' }),
        expect: outcomes({ ok: USERS }),
        ok: (res, x) => expect((res.json() as { verified: boolean }).verified).toBe(x.user === 'jumin'),
      },
      {
        route: 'POST /api/me/verification',
        target: 'a new record of 1号楼 matching the ID number and phone (a fresh account each time)',
        caller: 'fresh',
        perCaller: true,
        prepare: async (x) => ({
          res: (
            await x.admin<{ id: number }>('POST', '/api/people/residents', {
              name: `认证居民${x.n}`,
              idNumber: idNo(x.n),
              nodeId: x.t.iBuilding,
              phone: mxPhone(x.n),
            })
          ).id,
        }),
        req: (x) => ({
          method: 'POST',
          url: '/api/me/verification',
          payload: { idNumber: idNo(x.n), phone: mxPhone(x.n) },
        }),
        expect: outcomes({ ok: USERS }),
        ok: (res) => expect(res.json()).toMatchObject({ verified: false, request: { status: 'pending' } }),
      },
      {
        route: 'GET /api/me/deliberation/topics',
        target: 'a topic of 1号楼 (jumin’s) and one of 邻安县',
        prepare: async (x) => {
          await verifyJumin(x);
          return both(x, (n) => topicAt(x, n));
        },
        req: () => ({ method: 'GET', url: '/api/me/deliberation/topics?pageSize=200' }),
        expect: outcomes({ ok: USERS }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          if (x.user === 'jumin') expect(ids).toContain(x.p.in);
          else expect(ids).not.toContain(x.p.in);
          expect(ids).not.toContain(x.p.out);
        },
      },
      ...(['i', 'o'] as Side[]).map(
        (s): Case => ({
          route: 'POST /api/me/deliberation/topics',
          target: s === 'i' ? 'a topic for 1号楼 (jumin’s building)' : 'a topic for a building of 邻安县',
          prepare: async (x) => {
            await verifyJumin(x);
            return {};
          },
          req: (x) => ({
            method: 'POST',
            url: '/api/me/deliberation/topics',
            payload: { nodeId: side(x, s), title: `居民议题${x.n}` },
          }),
          expect: asJumin(s === 'i' ? 'ok' : no(400, 'DELIB_NODE_NOT_ABOVE')),
          ok: (res) => expect(res.json()).toMatchObject({ status: 'pending', origin: 'resident' }),
        }),
      ),
      ...(['i', 'o'] as Side[]).map(
        (s): Case => ({
          route: 'GET /api/me/deliberation/topics/:id',
          target: s === 'i' ? 'an open topic of 1号楼' : 'an open topic of 邻安县',
          prepare: async (x) => {
            await verifyJumin(x);
            return { t: await topicAt(x, side(x, s)) };
          },
          req: (x) => ({ method: 'GET', url: `/api/me/deliberation/topics/${x.p.t}` }),
          expect: outcomes({ ...(s === 'i' ? { jumin: 'ok' } : {}), rest: TOPIC_NF }),
          ok: (res, x) => expect(detailId(res)).toBe(x.p.t),
        }),
      ),
      ...(['i', 'o'] as Side[]).map(
        (s): Case => ({
          route: 'POST /api/me/deliberation/topics/:id/comments',
          target: s === 'i' ? 'an open topic of 1号楼' : 'an open topic of 邻安县',
          prepare: async (x) => {
            await verifyJumin(x);
            return { t: await topicAt(x, side(x, s)) };
          },
          req: (x) => ({
            method: 'POST',
            url: `/api/me/deliberation/topics/${x.p.t}/comments`,
            payload: { body: `评论${x.n}` },
          }),
          expect: asJumin(s === 'i' ? 'ok' : TOPIC_NF),
          ok: (res, x) =>
            expect((res.json() as { comments: { body: string }[] }).comments.map((c) => c.body)).toContain(
              `评论${x.n}`,
            ),
        }),
      ),
      {
        route: 'POST /api/me/deliberation/comments/:id/reports',
        target: 'a comment on an open topic of 1号楼',
        prepare: async (x) => {
          await verifyJumin(x);
          return { c: await commentOn(x, await topicAt(x, x.t.iBuilding)) };
        },
        req: (x) => ({ method: 'POST', url: `/api/me/deliberation/comments/${x.p.c}/reports`, payload: {} }),
        expect: asJumin('ok'),
        ok: (res) => expect(res.json()).toEqual({ reported: true, hidden: false }),
      },
      {
        route: 'POST /api/me/deliberation/topics/:id/proposals',
        target: 'an open topic of 1号楼',
        prepare: async (x) => {
          await verifyJumin(x);
          return { t: await topicAt(x, x.t.iBuilding) };
        },
        req: (x) => ({
          method: 'POST',
          url: `/api/me/deliberation/topics/${x.p.t}/proposals`,
          payload: { title: `提案${x.n}` },
        }),
        expect: asJumin('ok'),
        ok: (res, x) =>
          expect((res.json() as { proposals: { title: string }[] }).proposals.map((p) => p.title)).toContain(
            `提案${x.n}`,
          ),
      },
      {
        route: 'POST /api/me/deliberation/proposals/:id/supports',
        target: 'a proposal on an open topic of 1号楼',
        prepare: async (x) => {
          await verifyJumin(x);
          return { p: await proposalOn(x, await topicAt(x, x.t.iBuilding)) };
        },
        req: (x) => ({ method: 'POST', url: `/api/me/deliberation/proposals/${x.p.p}/supports` }),
        expect: asJumin('ok'),
        ok: (res, x) =>
          expect((res.json() as { proposals: { id: number; supports: number }[] }).proposals).toContainEqual(
            expect.objectContaining({ id: x.p.p, supports: 1 }),
          ),
      },
      ...(['i', 'o'] as Side[]).map(
        (s): Case => ({
          route: 'POST /api/me/deliberation/votes/:id/ballots',
          target: s === 'i' ? 'a vote on a topic of 1号楼' : 'a vote on a topic of 邻安县',
          prepare: async (x) => {
            await verifyJumin(x);
            return voteOn(x, await topicAt(x, side(x, s)));
          },
          req: (x) => ({
            method: 'POST',
            url: `/api/me/deliberation/votes/${x.p.vote}/ballots`,
            payload: { optionId: x.p.opt },
          }),
          expect: asJumin(s === 'i' ? 'ok' : no(404, 'DELIB_VOTE_NOT_FOUND')),
          ok: (res, x) => expect(res.json()).toMatchObject({ voteId: x.p.vote, voted: true }),
        }),
      ),
      // ---- console ----
      {
        route: 'GET /api/deliberation/verifications',
        target: 'pending requests of 1号楼 and of 邻安县',
        prepare: (x) => both(x, (n) => verificationAt(x, n)),
        req: () => ({ method: 'GET', url: '/api/deliberation/verifications?status=pending&pageSize=200' }),
        expect: readIn,
        ok: (res, x) => listHas(itemIds(res.json()), x),
      },
      ...(['i', 'o'] as Side[]).map(
        (s): Case => ({
          route: 'POST /api/deliberation/verifications/:id/decision',
          target: s === 'i' ? 'a pending request of 1号楼' : 'a pending request of 邻安县',
          prepare: async (x) => ({ v: await verificationAt(x, side(x, s)) }),
          req: (x) => ({
            method: 'POST',
            url: `/api/deliberation/verifications/${x.p.v}/decision`,
            payload: { decision: 'reject', note: '矩阵' },
          }),
          expect: s === 'i' ? readIn : readOut(no(404, 'DELIB_VERIFICATION_NOT_FOUND')),
          ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.v, status: 'rejected' }),
        }),
      ),
      {
        route: 'GET /api/deliberation/topics',
        target: 'topics of 1号楼 and of 邻安县',
        prepare: (x) => both(x, (n) => topicAt(x, n)),
        req: () => ({ method: 'GET', url: '/api/deliberation/topics?status=open&pageSize=200' }),
        expect: readIn,
        ok: (res, x) => listHas(itemIds(res.json()), x),
      },
      ...(['i', 'o'] as Side[]).map(
        (s): Case => ({
          route: 'POST /api/deliberation/topics',
          target: s === 'i' ? 'a topic for 1号楼' : 'a topic for a building of 邻安县',
          req: (x) => ({
            method: 'POST',
            url: '/api/deliberation/topics',
            payload: { nodeId: side(x, s), title: `社区议题${x.n}` },
          }),
          expect: s === 'i' ? manageIn : manageOut(no(404, 'ORG_NODE_NOT_FOUND')),
          ok: (res, x) => expect(res.json()).toMatchObject({ title: `社区议题${x.n}`, status: 'open' }),
        }),
      ),
      ...(['i', 'o'] as Side[]).map(
        (s): Case => ({
          route: 'GET /api/deliberation/topics/:id',
          target: s === 'i' ? 'a topic of 1号楼' : 'a topic of 邻安县',
          prepare: async (x) => ({ t: await topicAt(x, side(x, s)) }),
          req: (x) => ({ method: 'GET', url: `/api/deliberation/topics/${x.p.t}` }),
          expect: s === 'i' ? readIn : readOut(TOPIC_NF),
          ok: (res, x) => expect(detailId(res)).toBe(x.p.t),
        }),
      ),
      ...(['i', 'o'] as Side[]).flatMap((s): Case[] => [
        {
          route: 'POST /api/deliberation/topics/:id/review',
          target: s === 'i' ? 'a pending topic of 1号楼' : 'a pending topic of 邻安县',
          prepare: async (x) => ({ t: await topicAt(x, side(x, s), 'pending') }),
          req: (x) => ({
            method: 'POST',
            url: `/api/deliberation/topics/${x.p.t}/review`,
            payload: { decision: 'approve' },
          }),
          expect: s === 'i' ? manageIn : manageOut(TOPIC_NF),
          ok: (res) => expect(res.json()).toMatchObject({ status: 'open' }),
        },
        {
          route: 'POST /api/deliberation/topics/:id/close',
          target: s === 'i' ? 'an open topic of 1号楼' : 'an open topic of 邻安县',
          prepare: async (x) => ({ t: await topicAt(x, side(x, s)) }),
          req: (x) => ({
            method: 'POST',
            url: `/api/deliberation/topics/${x.p.t}/close`,
            payload: { outcome: '矩阵结论' },
          }),
          expect: s === 'i' ? manageIn : manageOut(TOPIC_NF),
          ok: (res) => expect(res.json()).toMatchObject({ status: 'closed', outcome: '矩阵结论' }),
        },
        {
          route: 'POST /api/deliberation/topics/:id/votes',
          target: s === 'i' ? 'an open topic of 1号楼' : 'an open topic of 邻安县',
          prepare: async (x) => ({ t: await topicAt(x, side(x, s)) }),
          req: (x) => ({
            method: 'POST',
            url: `/api/deliberation/topics/${x.p.t}/votes`,
            payload: {
              question: '矩阵表决',
              options: ['同意', '反对'],
              rule: 'per_household',
              secrecy: 'secret',
              quorumKind: 'share',
              quorumValue: 0.5,
              deadline: new Date(Date.now() + 86_400_000).toISOString(),
            },
          }),
          expect: s === 'i' ? manageIn : manageOut(TOPIC_NF),
          ok: (res) => expect((res.json() as { votes: unknown[] }).votes).toHaveLength(1),
        },
        {
          route: 'POST /api/deliberation/votes/:id/close',
          target: s === 'i' ? 'an open vote of 1号楼' : 'an open vote of 邻安县',
          prepare: async (x) => voteOn(x, await topicAt(x, side(x, s))),
          req: (x) => ({ method: 'POST', url: `/api/deliberation/votes/${x.p.vote}/close` }),
          expect: s === 'i' ? manageIn : manageOut(no(404, 'DELIB_VOTE_NOT_FOUND')),
          ok: (res) =>
            expect((res.json() as { votes: { status: string; results: unknown }[] }).votes[0]).toMatchObject({
              status: 'closed',
              results: expect.objectContaining({ final: true }),
            }),
        },
        {
          route: 'POST /api/deliberation/comments/:id/moderation',
          target: s === 'i' ? 'a comment on a topic of 1号楼' : 'a comment on a topic of 邻安县',
          prepare: async (x) => ({ c: await commentOn(x, await topicAt(x, side(x, s))) }),
          req: (x) => ({
            method: 'POST',
            url: `/api/deliberation/comments/${x.p.c}/moderation`,
            payload: { action: 'hide' },
          }),
          expect: s === 'i' ? manageIn : manageOut(no(404, 'DELIB_COMMENT_NOT_FOUND')),
          ok: (res, x) => expect(res.json()).toEqual({ id: x.p.c, status: 'hidden' }),
        },
        {
          route: 'POST /api/deliberation/meetings',
          target: s === 'i' ? 'a meeting of 1号楼' : 'a meeting of a building of 邻安县',
          req: (x) => ({
            method: 'POST',
            url: '/api/deliberation/meetings',
            payload: { nodeId: side(x, s), title: `三方会议${x.n}`, heldAt: new Date().toISOString() },
          }),
          expect: s === 'i' ? manageIn : manageOut(no(404, 'ORG_NODE_NOT_FOUND')),
          ok: (res, x) => expect(res.json()).toMatchObject({ title: `三方会议${x.n}` }),
        },
        {
          route: 'GET /api/deliberation/meetings/:id',
          target: s === 'i' ? 'a meeting of 1号楼' : 'a meeting of 邻安县',
          prepare: async (x) => ({ m: await meetingAt(x, side(x, s)) }),
          req: (x) => ({ method: 'GET', url: `/api/deliberation/meetings/${x.p.m}` }),
          expect: s === 'i' ? readIn : readOut(no(404, 'DELIB_MEETING_NOT_FOUND')),
          ok: (res, x) => expect(detailId(res)).toBe(x.p.m),
        },
        {
          route: 'PATCH /api/deliberation/meetings/:id',
          target: s === 'i' ? 'a meeting of 1号楼' : 'a meeting of 邻安县',
          prepare: async (x) => ({ m: await meetingAt(x, side(x, s)) }),
          req: (x) => ({ method: 'PATCH', url: `/api/deliberation/meetings/${x.p.m}`, payload: { minutes: '纪要' } }),
          expect: s === 'i' ? manageIn : manageOut(no(404, 'DELIB_MEETING_NOT_FOUND')),
          ok: (res) => expect(res.json()).toMatchObject({ minutes: '纪要' }),
        },
        {
          route: 'POST /api/deliberation/meetings/:id/decisions',
          target: s === 'i' ? 'a meeting of 1号楼' : 'a meeting of 邻安县',
          prepare: async (x) => ({ m: await meetingAt(x, side(x, s)) }),
          req: (x) => ({
            method: 'POST',
            url: `/api/deliberation/meetings/${x.p.m}/decisions`,
            payload: { title: '物业限期整改' },
          }),
          expect: s === 'i' ? manageIn : manageOut(no(404, 'DELIB_MEETING_NOT_FOUND')),
          ok: (res) =>
            expect((res.json() as { decisionList: { title: string }[] }).decisionList[0]?.title).toBe('物业限期整改'),
        },
        {
          route: 'PATCH /api/deliberation/decisions/:id',
          target: s === 'i' ? 'a decision of a meeting of 1号楼' : 'a decision of a meeting of 邻安县',
          prepare: async (x) => ({ d: await decisionOf(x, await meetingAt(x, side(x, s))) }),
          req: (x) => ({
            method: 'PATCH',
            url: `/api/deliberation/decisions/${x.p.d}`,
            payload: { status: 'done', outcome: '已整改' },
          }),
          expect: s === 'i' ? manageIn : manageOut(no(404, 'DELIB_DECISION_NOT_FOUND')),
          ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.d, status: 'done', outcome: '已整改' }),
        },
        {
          route: 'POST /api/deliberation/decisions/:id/case',
          target: s === 'i' ? 'a decision of a meeting of 1号楼' : 'a decision of a meeting of 邻安县',
          prepare: async (x) => ({ d: await decisionOf(x, await meetingAt(x, side(x, s))) }),
          req: (x) => ({
            method: 'POST',
            url: `/api/deliberation/decisions/${x.p.d}/case`,
            payload: { categoryId: x.t.caseCat },
          }),
          expect: s === 'i' ? manageIn : manageOut(no(404, 'DELIB_DECISION_NOT_FOUND')),
          ok: (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.d, status: 'in_progress' });
            expect((res.json() as { caseId: number | null }).caseId).not.toBeNull();
          },
        },
      ]),
      {
        route: 'GET /api/deliberation/moderation',
        target: 'hidden comments on topics of 1号楼 and of 邻安县',
        prepare: (x) => both(x, async (n) => commentOn(x, await topicAt(x, n), 'hidden')),
        req: () => ({ method: 'GET', url: '/api/deliberation/moderation' }),
        expect: manageIn,
        ok: (res, x) => listHas(itemIds(res.json()), x),
      },
      {
        route: 'GET /api/deliberation/meetings',
        target: 'meetings of 1号楼 and of 邻安县',
        prepare: (x) => both(x, (n) => meetingAt(x, n)),
        req: () => ({ method: 'GET', url: '/api/deliberation/meetings?pageSize=200' }),
        expect: readIn,
        ok: (res, x) => listHas(itemIds(res.json()), x),
      },
    ];
    return cases;
  })(),
  // ---- end deliberation [A] cases ----
  // ---- notices [B] cases ----
  // 信息发布: notices.read/write for street, community and grid workers over their area, notices.review for street
  // and community workers (never their own: the fixtures' author is 县民政局); a notice the caller may not read is
  // not found. The resident's own are jumin's (linked to 矩阵内居民 of 1号楼1单元); the public ones need no login.
  ...((): Case[] => {
    const HOLDERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
    const REVIEWERS = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const;
    const NT_NF = no(404, 'NOTICE_NOT_FOUND');
    const NODE_NF = no(404, 'ORG_NODE_NOT_FOUND');
    const NO_RES = no(409, 'NOTICE_NO_RESIDENT');
    const outsideHolders = ['countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
    const body = (x: Run, nodeId: number) => ({
      title: `矩阵通知${x.n}`,
      category: 'announcement',
      body: '<p>矩阵正文</p>',
      nodeId,
    });
    const status = async (x: Run, id: number) =>
      (await x.db.query<{ status: string }>('SELECT status FROM notices WHERE id = $1', [id]))[0]!.status;
    return [
      {
        route: 'GET /api/notices/options',
        target: 'the editor’s categories and tags',
        req: () => ({ method: 'GET', url: '/api/notices/options' }),
        expect: outcomes({ ok: HOLDERS, rest: FORBIDDEN }),
        ok: (res) => expect((res.json() as { categories: unknown[] }).categories).toHaveLength(4),
      },
      {
        route: 'GET /api/notices',
        target: 'notices of 第一网格 and of 邻安第一网格 (outside)',
        prepare: async (x) => ({
          in: await ntNotice(x, x.t.iGrid, 'draft'),
          out: await ntNotice(x, x.t.oGrid, 'draft'),
        }),
        req: () => ({ method: 'GET', url: '/api/notices?pageSize=200' }),
        expect: outcomes({ ok: HOLDERS, rest: FORBIDDEN }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          expect(ids).toContain(x.p.in);
          if (x.user === 'admin') expect(ids).toContain(x.p.out);
          else expect(ids).not.toContain(x.p.out);
        },
      },
      {
        route: 'POST /api/notices',
        target: 'a draft for 第一网格',
        req: (x) => ({ method: 'POST', url: '/api/notices', payload: body(x, x.t.iGrid) }),
        expect: outcomes({ ok: HOLDERS, rest: FORBIDDEN }),
        ok: async (res, x) => {
          const n = res.json() as { id: number; title: string; status: string };
          expect(n).toMatchObject({ title: `矩阵通知${x.n}`, status: 'draft' });
          expect(await status(x, n.id)).toBe('draft');
        },
      },
      {
        route: 'POST /api/notices',
        target: 'a draft for 邻安第一网格 (outside)',
        req: (x) => ({ method: 'POST', url: '/api/notices', payload: body(x, x.t.oGrid) }),
        expect: outcomes({ ok: ['admin'], ...each(outsideHolders, NODE_NF), rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ nodeId: x.t.oGrid, status: 'draft' }),
      },
      {
        route: 'GET /api/notices/:id',
        target: 'a notice of 第一网格',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iGrid, 'published') }),
        req: (x) => ({ method: 'GET', url: `/api/notices/${x.p.n}` }),
        expect: outcomes({ ok: HOLDERS, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.n, status: 'published', nodeId: x.t.iGrid }),
      },
      {
        route: 'GET /api/notices/:id',
        target: 'a notice of 邻安第一网格 (outside)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.oGrid, 'draft') }),
        req: (x) => ({ method: 'GET', url: `/api/notices/${x.p.n}` }),
        expect: outcomes({ ok: ['admin'], ...each(outsideHolders, NT_NF), rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.n, nodeId: x.t.oGrid }),
      },
      {
        route: 'PUT /api/notices/:id',
        target: 'a draft of 第二网格 (beside the grid worker’s)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iSiblingGrid, 'draft') }),
        req: (x) => ({
          method: 'PUT',
          url: `/api/notices/${x.p.n}`,
          payload: { ...body(x, x.t.iSiblingGrid), title: `改过的矩阵通知${x.n}` },
        }),
        expect: outcomes({ ok: REVIEWERS, wangge: NT_NF, rest: FORBIDDEN }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.n, title: `改过的矩阵通知${x.n}` });
          const [r] = await x.db.query<{ title: string }>('SELECT title FROM notices WHERE id = $1', [x.p.n]);
          expect(r!.title).toBe(`改过的矩阵通知${x.n}`);
        },
      },
      {
        route: 'POST /api/notices/:id/submit',
        target: 'a draft of 第一网格',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iGrid, 'draft') }),
        req: (x) => ({ method: 'POST', url: `/api/notices/${x.p.n}/submit` }),
        expect: outcomes({ ok: HOLDERS, rest: FORBIDDEN }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.n, status: 'submitted' });
          expect(await status(x, x.p.n!)).toBe('submitted');
        },
      },
      {
        route: 'POST /api/notices/:id/submit',
        target: 'a draft of 邻安第一网格 (outside)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.oGrid, 'draft') }),
        req: (x) => ({ method: 'POST', url: `/api/notices/${x.p.n}/submit` }),
        expect: outcomes({ ok: ['admin'], ...each(outsideHolders, NT_NF), rest: FORBIDDEN }),
        ok: async (_res, x) => expect(await status(x, x.p.n!)).toBe('submitted'),
      },
      {
        route: 'POST /api/notices/:id/approve',
        target: 'a submitted notice of 第一网格 (by 县民政局)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iGrid, 'submitted') }),
        req: (x) => ({ method: 'POST', url: `/api/notices/${x.p.n}/approve`, payload: {} }),
        expect: outcomes({ ok: REVIEWERS, rest: FORBIDDEN }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.n, status: 'published' });
          expect(await status(x, x.p.n!)).toBe('published');
        },
      },
      {
        route: 'POST /api/notices/:id/approve',
        target: 'a submitted notice of 邻安第一网格 (outside)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.oGrid, 'submitted') }),
        req: (x) => ({ method: 'POST', url: `/api/notices/${x.p.n}/approve`, payload: {} }),
        expect: outcomes({ ok: ['admin'], ...each(['countyadmin', 'jiedao', 'shequ'], NT_NF), rest: FORBIDDEN }),
        ok: async (_res, x) => expect(await status(x, x.p.n!)).toBe('published'),
      },
      {
        route: 'POST /api/notices/:id/reject',
        target: 'a submitted notice of 第二网格',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iSiblingGrid, 'submitted') }),
        req: (x) => ({ method: 'POST', url: `/api/notices/${x.p.n}/reject`, payload: { reason: '矩阵驳回' } }),
        expect: outcomes({ ok: REVIEWERS, rest: FORBIDDEN }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.n, status: 'draft', rejectReason: '矩阵驳回' });
          expect(await status(x, x.p.n!)).toBe('draft');
        },
      },
      {
        route: 'POST /api/notices/:id/withdraw',
        target: 'a published notice of 邻安第一网格 (outside)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.oGrid, 'published') }),
        req: (x) => ({ method: 'POST', url: `/api/notices/${x.p.n}/withdraw`, payload: { reason: '矩阵撤回' } }),
        expect: outcomes({ ok: ['admin'], ...each(['countyadmin', 'jiedao', 'shequ'], NT_NF), rest: FORBIDDEN }),
        ok: async (_res, x) => expect(await status(x, x.p.n!)).toBe('withdrawn'),
      },
      {
        route: 'POST /api/notices/:id/withdraw',
        target: 'a published notice of 第一网格',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iGrid, 'published') }),
        req: (x) => ({ method: 'POST', url: `/api/notices/${x.p.n}/withdraw`, payload: { reason: '矩阵撤回' } }),
        expect: outcomes({ ok: REVIEWERS, rest: FORBIDDEN }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.n, status: 'withdrawn' });
          expect(await status(x, x.p.n!)).toBe('withdrawn');
        },
      },
      {
        route: 'GET /api/notices/:id/receipts',
        target: 'a published notice of 1号楼1单元 (矩阵内居民 among those targeted)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iUnit, 'published') }),
        req: (x) => ({ method: 'GET', url: `/api/notices/${x.p.n}/receipts?filter=all&pageSize=200` }),
        expect: outcomes({ ok: HOLDERS, rest: FORBIDDEN }),
        ok: (res, x) => {
          const r = res.json() as { stats: { targeted: number }; items: { residentId: number; name: string }[] };
          expect(r.stats.targeted).toBeGreaterThan(0);
          const me = r.items.find((i) => i.residentId === x.t.iRes);
          expect(me?.name).toMatch(/\*/);
        },
      },
      {
        route: 'GET /api/notices/:id/receipts',
        target: 'a published notice of 邻安第一网格 (outside)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.oGrid, 'published') }),
        req: (x) => ({ method: 'GET', url: `/api/notices/${x.p.n}/receipts` }),
        expect: outcomes({ ok: ['admin'], ...each(outsideHolders, NT_NF), rest: FORBIDDEN }),
        ok: (res) => expect(res.json()).toHaveProperty('stats'),
      },
      {
        route: 'GET /api/notices/:id/receipts.xlsx',
        target: 'a published notice of 1号楼1单元',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iUnit, 'published') }),
        req: (x) => ({ method: 'GET', url: `/api/notices/${x.p.n}/receipts.xlsx?filter=all` }),
        expect: outcomes({ ok: HOLDERS, rest: FORBIDDEN }),
        ok: async (res) => {
          const rows = await readSheet(res.rawPayload);
          expect(rows[1]).toEqual(['姓名', '所在', '阅读时间', '确认时间']);
          expect(rows.length).toBeGreaterThan(2);
        },
      },
      {
        route: 'GET /api/notices/:id/receipts.xlsx',
        target: 'a published notice of 邻安第一网格 (outside)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.oGrid, 'published') }),
        req: (x) => ({ method: 'GET', url: `/api/notices/${x.p.n}/receipts.xlsx` }),
        expect: outcomes({ ok: ['admin'], ...each(outsideHolders, NT_NF), rest: FORBIDDEN }),
        ok: (res) => expect(res.headers['content-type']).toMatch(/spreadsheetml/),
      },
      {
        route: 'GET /api/me/notices',
        target: 'the caller’s own notices (a published one of 1号楼1单元)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iUnit, 'published') }),
        req: () => ({ method: 'GET', url: '/api/me/notices?pageSize=200' }),
        expect: outcomes({ ok: ['jumin'], rest: NO_RES }),
        ok: (res, x) => expect(itemIds(res.json())).toContain(x.p.n),
      },
      {
        route: 'GET /api/me/notices/:id',
        target: 'a published notice of 1号楼1单元 (jumin’s)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iUnit, 'published') }),
        req: (x) => ({ method: 'GET', url: `/api/me/notices/${x.p.n}` }),
        expect: outcomes({ ok: ['jumin'], rest: NO_RES }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.n });
          const [r] = await x.db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM notice_receipts WHERE notice_id = $1 AND resident_id = $2',
            [x.p.n, x.t.iRes],
          );
          expect(r!.n).toBe(1);
        },
      },
      {
        route: 'GET /api/me/notices/:id',
        target: 'a published notice of 第二网格 (not for jumin)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iSiblingGrid, 'published') }),
        req: (x) => ({ method: 'GET', url: `/api/me/notices/${x.p.n}` }),
        expect: outcomes({ jumin: NT_NF, rest: NO_RES }),
      },
      {
        route: 'POST /api/me/notices/:id/confirm',
        target: 'an important published notice of 1号楼1单元 (jumin’s)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iUnit, 'published', { isImportant: true }) }),
        req: (x) => ({ method: 'POST', url: `/api/me/notices/${x.p.n}/confirm` }),
        expect: outcomes({ ok: ['jumin'], rest: NO_RES }),
        ok: async (res, x) => {
          expect((res.json() as { confirmedAt: string | null }).confirmedAt).not.toBeNull();
          const [r] = await x.db.query<{ confirmed_at: Date | null }>(
            'SELECT confirmed_at FROM notice_receipts WHERE notice_id = $1 AND resident_id = $2',
            [x.p.n, x.t.iRes],
          );
          expect(r!.confirmed_at).not.toBeNull();
        },
      },
      {
        route: 'GET /api/public/notices',
        target: 'public notices at or above 1号楼1单元 (no login needed)',
        prepare: async (x) => ({
          pub: await ntNotice(x, x.t.iCommunity, 'published', { isPublic: true }),
          internal: await ntNotice(x, x.t.iCommunity, 'published'),
        }),
        req: (x) => ({ method: 'GET', url: `/api/public/notices?nodeId=${x.t.iUnit}&pageSize=200` }),
        expect: outcomes({ ok: USERS }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          expect(ids).toContain(x.p.pub);
          expect(ids).not.toContain(x.p.internal);
        },
      },
      {
        route: 'GET /api/public/notices/:id',
        target: 'a public published notice of 东关社区 (no login needed)',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iCommunity, 'published', { isPublic: true }) }),
        req: (x) => ({ method: 'GET', url: `/api/public/notices/${x.p.n}` }),
        expect: outcomes({ ok: USERS }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.p.n, title: expect.stringMatching(/^矩阵通知/) }),
      },
      {
        route: 'GET /api/public/notices/:id',
        target: 'a published notice of 东关社区 that is not public',
        prepare: async (x) => ({ n: await ntNotice(x, x.t.iCommunity, 'published') }),
        req: (x) => ({ method: 'GET', url: `/api/public/notices/${x.p.n}` }),
        expect: outcomes({ rest: NT_NF }),
      },
      ...(['', '/thumb'] as const).map(
        (v): Case => ({
          route: `GET /api/public/notices/:id/files/:fileId${v}`,
          target: 'the photo in a public notice of 东关社区 (no login needed)',
          prepare: (x) => ntPublicPhoto(x),
          req: (x) => ({ method: 'GET', url: `/api/public/notices/${x.p.notice}/files/${fileId(x)}${v}` }),
          expect: outcomes({ ok: USERS }),
          ok: async (res) => {
            expect(res.headers['cache-control']).toMatch(/^public/);
            expect((await sharp(res.rawPayload).metadata()).format).toBe('jpeg');
          },
        }),
      ),
      {
        route: 'GET /api/public/notices/:id/files/:fileId',
        target: 'the photo of a notice not yet published',
        prepare: async (x) => {
          const p = await ntPublicPhoto(x);
          await x.db.query(`UPDATE notices SET status = 'draft', published_at = NULL WHERE id = $1`, [p.notice]);
          return p;
        },
        req: (x) => ({ method: 'GET', url: `/api/public/notices/${x.p.notice}/files/${fileId(x)}` }),
        expect: outcomes({ rest: no(404, 'FILE_NOT_FOUND') }),
      },
    ];
  })(),
  // ---- end notices [B] cases ----
  // ---- services [C] cases ----
  // 便民服务: services.read reaches the caller's area and the places it lies in (the grid worker reads 东关社区's
  // canteen and directory), services.manage changes what is filed in the area and orders for residents living there;
  // the resident's own under /api/me/services (a fresh account linked to a fresh resident of 1号楼).
  ...((): Case[] => {
    const SVC = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // services.read + services.manage
    const SVC_COMMUNITY = ['admin', 'countyadmin', 'jiedao', 'shequ'] as const; // manage over 东关社区
    const OUT_OF_SCOPE = no(403, 'OUT_OF_SCOPE');
    const outside = (code: string): Record<User, Outcome> =>
      outcomes({
        ok: ['admin'],
        ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], no(404, code)),
        rest: FORBIDDEN,
      });
    const inCommunityWrite = outcomes({ ok: SVC_COMMUNITY, wangge: OUT_OF_SCOPE, rest: FORBIDDEN });
    const meOnly = outcomes({ ok: ['jumin'], rest: noResident() });
    const ids = (body: unknown) => itemIds(body);
    const side = (s: 'in' | 'out') => (s === 'in' ? 'in 东关社区' : 'in 邻安社区 (outside)');
    const entryCase = (s: 'in' | 'out', what: 'PATCH' | 'DELETE'): Case => ({
      route: `${what} /api/services/entries/:id`,
      target: `a directory entry ${side(s)}`,
      prepare: async (x) => ({ e: await svcEntry(x, s === 'in' ? x.t.iCommunity : x.t.oCommunity) }),
      req: (x) => ({
        method: what,
        url: `/api/services/entries/${x.p.e}`,
        ...(what === 'PATCH' ? { payload: { hours: `矩阵${x.n}` } } : {}),
      }),
      expect: s === 'in' ? inCommunityWrite : outside('SERVICES_ENTRY_NOT_FOUND'),
      ok: async (res, x) => {
        const rows = await x.db.query<{ hours: string }>('SELECT hours FROM service_entries WHERE id = $1', [x.p.e]);
        if (what === 'DELETE') expect(rows).toEqual([]);
        else {
          expect(res.json()).toMatchObject({ id: x.p.e, hours: `矩阵${x.n}` });
          expect(rows[0]!.hours).toBe(`矩阵${x.n}`);
        }
      },
    });
    const canteenWrite = (s: 'in' | 'out', what: 'subsidies' | 'menus'): Case => ({
      route:
        what === 'subsidies' ? 'PUT /api/services/canteens/:id/subsidies' : 'POST /api/services/canteens/:id/menus',
      target: `a canteen ${side(s)}`,
      prepare: async (x) => ({ c: await svcCanteen(x, s), tag: await svcTag(x) }),
      req: (x) =>
        what === 'subsidies'
          ? {
              method: 'PUT',
              url: `/api/services/canteens/${x.p.c}/subsidies`,
              payload: { rules: [{ tagId: x.p.tag, kind: 'amount', value: 100 + (x.n % 100) }] },
            }
          : {
              method: 'POST',
              url: `/api/services/canteens/${x.p.c}/menus`,
              payload: { day: svcDay(x.n), meal: 'dinner', dishes: ['矩阵菜'], priceCents: 900, capacity: 10 },
            },
      expect: s === 'in' ? inCommunityWrite : outside('SERVICES_CANTEEN_NOT_FOUND'),
      ok: async (res, x) => {
        if (what === 'subsidies') {
          expect(res.json().subsidies).toEqual([expect.objectContaining({ tagId: x.p.tag, value: 100 + (x.n % 100) })]);
          const rows = await x.db.query<{ value: number }>(
            'SELECT value FROM canteen_subsidies WHERE canteen_id = $1',
            [x.p.c],
          );
          expect(rows.map((r) => Number(r.value))).toEqual([100 + (x.n % 100)]);
        } else {
          expect(res.json()).toMatchObject({ canteenId: x.p.c, day: svcDay(x.n), meal: 'dinner', ordered: 0 });
          const rows = await x.db.query('SELECT 1 FROM canteen_menus WHERE id = $1', [res.json().id]);
          expect(rows).toHaveLength(1);
        }
      },
    });
    const canteenRead = (s: 'in' | 'out', what: 'menus' | 'counts' | 'counts.csv'): Case => ({
      route: `GET /api/services/canteens/:id/${what}`,
      target: `a canteen ${side(s)} with a menu and an order`,
      prepare: async (x) => {
        const c = await svcCanteen(x, s);
        const menu = await svcMenu(x, c);
        const unit = await tbUnit(x);
        const res = await tbResident(x, s === 'in' ? unit.in : unit.out, `食客${x.n}`);
        return { c, menu, order: await svcOrder(x, c, menu, res) };
      },
      req: (x) => ({
        method: 'GET',
        url:
          what === 'menus'
            ? `/api/services/canteens/${x.p.c}/menus?from=${svcDay(x.n)}&to=${svcDay(x.n)}`
            : `/api/services/canteens/${x.p.c}/${what}?day=${svcDay(x.n)}`,
      }),
      expect: s === 'in' ? outcomes({ ok: SVC, rest: FORBIDDEN }) : outside('SERVICES_CANTEEN_NOT_FOUND'),
      ok: (res, x) => {
        if (what === 'menus') expect(res.json().items).toEqual([expect.objectContaining({ id: x.p.menu, ordered: 1 })]);
        else if (what === 'counts')
          expect(res.json().meals).toEqual([expect.objectContaining({ menuId: x.p.menu, portions: 1, delivery: 1 })]);
        else expect(res.body).toContain('矩阵菜');
      },
    });
    const workerOrder = (s: 'in' | 'sibling' | 'out'): Case => ({
      route: 'POST /api/services/orders',
      target:
        s === 'in'
          ? 'a resident of 1号楼 (第一网格) and a menu of 东关社区'
          : s === 'sibling'
            ? 'a resident of 第二网格 and a menu of 东关社区'
            : 'a resident and a menu in 邻安县 (outside)',
      prepare: async (x) => {
        const c = await svcCanteen(x, s === 'out' ? 'out' : 'in');
        const unit = await tbUnit(x);
        const node = s === 'in' ? unit.in : s === 'sibling' ? x.t.iSiblingGrid : unit.out;
        return { c, menu: await svcMenu(x, c), res: await tbResident(x, node, `代订${x.n}`) };
      },
      req: (x) => ({
        method: 'POST',
        url: '/api/services/orders',
        payload: { menuId: x.p.menu, residentId: x.p.res, payment: 'counter' },
      }),
      expect:
        s === 'in'
          ? outcomes({ ok: SVC, rest: FORBIDDEN })
          : s === 'sibling'
            ? outcomes({ ok: SVC_COMMUNITY, wangge: no(404, 'SERVICES_DINER_NOT_FOUND'), rest: FORBIDDEN })
            : outside('SERVICES_DINER_NOT_FOUND'),
      ok: async (res, x) => {
        expect(res.json()).toMatchObject({
          menuId: x.p.menu,
          residentId: x.p.res,
          channel: 'worker',
          status: 'ordered',
        });
        const rows = await x.db.query('SELECT 1 FROM canteen_orders WHERE id = $1 AND ordered_by IS NOT NULL', [
          res.json().id,
        ]);
        expect(rows).toHaveLength(1);
      },
    });
    const workerCancel = (s: 'in' | 'sibling' | 'out'): Case => ({
      route: 'POST /api/services/orders/:id/cancel',
      target:
        s === 'in'
          ? 'an order of a resident of 1号楼'
          : s === 'sibling'
            ? 'an order of 第二网格'
            : 'an order in 邻安县',
      prepare: async (x) => {
        const c = await svcCanteen(x, s === 'out' ? 'out' : 'in');
        const unit = await tbUnit(x);
        const node = s === 'in' ? unit.in : s === 'sibling' ? x.t.iSiblingGrid : unit.out;
        const menu = await svcMenu(x, c);
        return { order: await svcOrder(x, c, menu, await tbResident(x, node, `退订${x.n}`)) };
      },
      req: (x) => ({ method: 'POST', url: `/api/services/orders/${x.p.order}/cancel` }),
      expect:
        s === 'in'
          ? outcomes({ ok: SVC, rest: FORBIDDEN })
          : s === 'sibling'
            ? outcomes({ ok: SVC_COMMUNITY, wangge: no(404, 'SERVICES_ORDER_NOT_FOUND'), rest: FORBIDDEN })
            : outside('SERVICES_ORDER_NOT_FOUND'),
      ok: async (res, x) => {
        expect(res.json()).toMatchObject({ id: x.p.order, status: 'cancelled' });
        const [row] = await x.db.query<{ status: string }>('SELECT status FROM canteen_orders WHERE id = $1', [
          x.p.order,
        ]);
        expect(row!.status).toBe('cancelled');
      },
    });
    /** The fresh caller (jumin's role) linked to a fresh resident of 1号楼 with hours; others stay unlinked. */
    const meDiner = async (x: Run): Promise<Prepared> => {
      const unit = await tbUnit(x);
      const me = await tbResident(x, unit.in, `订餐人${x.n}`);
      if (x.user === 'jumin') await x.db.query('UPDATE users SET resident_id = $2 WHERE username = $1', [x.as, me]);
      const c = await svcCanteen(x, 'in');
      return { me, c, menu: await svcMenu(x, c) };
    };
    const me = (c: Omit<Case, 'caller' | 'perCaller' | 'expect'> & { expect?: Record<User, Outcome> }): Case => ({
      expect: meOnly,
      ...c,
      caller: 'fresh',
      perCaller: true,
    });
    return [
      {
        route: 'GET /api/services/entries',
        target: 'the directory (an entry of 东关社区 and one of 邻安社区)',
        prepare: async (x) => ({
          in: await svcEntry(x, x.t.iCommunity),
          out: await svcEntry(x, x.t.oCommunity),
        }),
        req: () => ({ method: 'GET', url: '/api/services/entries' }),
        expect: outcomes({ ok: SVC, rest: FORBIDDEN }),
        ok: (res, x) => {
          expect(ids(res.json())).toContain(x.p.in);
          if (x.user !== 'admin') expect(ids(res.json())).not.toContain(x.p.out);
          else expect(ids(res.json())).toContain(x.p.out);
        },
      },
      {
        route: 'POST /api/services/entries',
        target: 'a new entry in 东关社区',
        req: (x) => ({
          method: 'POST',
          url: '/api/services/entries',
          payload: { nodeId: x.t.iCommunity, name: `矩阵服务${x.n}`, category: 'repair' },
        }),
        expect: inCommunityWrite,
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ nodeId: x.t.iCommunity, name: `矩阵服务${x.n}` });
          expect(await x.db.query('SELECT 1 FROM service_entries WHERE id = $1', [res.json().id])).toHaveLength(1);
        },
      },
      {
        route: 'POST /api/services/entries',
        target: 'a new entry in 邻安社区 (outside)',
        req: (x) => ({
          method: 'POST',
          url: '/api/services/entries',
          payload: { nodeId: x.t.oCommunity, name: `矩阵外服务${x.n}`, category: 'other' },
        }),
        expect: outside('ORG_NODE_NOT_FOUND'),
        ok: (res, x) => expect(res.json()).toMatchObject({ nodeId: x.t.oCommunity }),
      },
      entryCase('in', 'PATCH'),
      entryCase('out', 'PATCH'),
      entryCase('in', 'DELETE'),
      entryCase('out', 'DELETE'),
      {
        route: 'GET /api/services/canteens',
        target: 'the canteens (东关社区’s and 邻安社区’s)',
        prepare: async (x) => ({ in: await svcCanteen(x, 'in'), out: await svcCanteen(x, 'out') }),
        req: () => ({ method: 'GET', url: '/api/services/canteens' }),
        expect: outcomes({ ok: SVC, rest: FORBIDDEN }),
        ok: (res, x) => {
          expect(ids(res.json())).toContain(x.p.in);
          expect(ids(res.json()).includes(x.p.out!)).toBe(x.user === 'admin');
        },
      },
      {
        route: 'POST /api/services/canteens',
        target: 'a new canteen in 东关社区',
        req: (x) => ({
          method: 'POST',
          url: '/api/services/canteens',
          payload: { nodeId: x.t.iCommunity, name: `矩阵食堂${x.n}` },
        }),
        expect: inCommunityWrite,
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ nodeId: x.t.iCommunity, name: `矩阵食堂${x.n}`, subsidies: [] });
          expect(await x.db.query('SELECT 1 FROM canteens WHERE id = $1', [res.json().id])).toHaveLength(1);
        },
      },
      {
        route: 'POST /api/services/canteens',
        target: 'a new canteen in 邻安社区 (outside)',
        req: (x) => ({
          method: 'POST',
          url: '/api/services/canteens',
          payload: { nodeId: x.t.oCommunity, name: `矩阵外食堂${x.n}` },
        }),
        expect: outside('ORG_NODE_NOT_FOUND'),
        ok: (res, x) => expect(res.json()).toMatchObject({ nodeId: x.t.oCommunity }),
      },
      canteenWrite('in', 'subsidies'),
      canteenWrite('out', 'subsidies'),
      canteenWrite('in', 'menus'),
      canteenWrite('out', 'menus'),
      canteenRead('in', 'menus'),
      canteenRead('out', 'menus'),
      canteenRead('in', 'counts'),
      canteenRead('out', 'counts'),
      canteenRead('in', 'counts.csv'),
      canteenRead('out', 'counts.csv'),
      {
        route: 'GET /api/services/orders',
        target: 'orders (a resident of 1号楼’s, one of 第二网格, one in 邻安县)',
        prepare: async (x) => {
          const cin = await svcCanteen(x, 'in');
          const cout = await svcCanteen(x, 'out');
          const unit = await tbUnit(x);
          const min = await svcMenu(x, cin);
          const mout = await svcMenu(x, cout);
          return {
            in: await svcOrder(x, cin, min, await tbResident(x, unit.in, `列表${x.n}`)),
            sib: await svcOrder(x, cin, min, await tbResident(x, x.t.iSiblingGrid, `列表二${x.n}`)),
            out: await svcOrder(x, cout, mout, await tbResident(x, unit.out, `列表外${x.n}`)),
          };
        },
        req: () => ({ method: 'GET', url: '/api/services/orders?status=ordered' }),
        expect: outcomes({ ok: SVC, rest: FORBIDDEN }),
        ok: (res, x) => {
          const got = ids(res.json());
          expect(got).toContain(x.p.in);
          expect(got.includes(x.p.sib!)).toBe(x.user !== 'wangge');
          expect(got.includes(x.p.out!)).toBe(x.user === 'admin');
        },
      },
      workerOrder('in'),
      workerOrder('sibling'),
      workerOrder('out'),
      workerCancel('in'),
      workerCancel('sibling'),
      workerCancel('out'),
      me({
        route: 'GET /api/me/services/entries',
        target: 'the directory of the caller’s community (not 邻安社区’s)',
        prepare: async (x) => ({
          ...(await meDiner(x)),
          in: await svcEntry(x, x.t.iCommunity),
          out: await svcEntry(x, x.t.oCommunity),
        }),
        req: () => ({ method: 'GET', url: '/api/me/services/entries' }),
        ok: (res, x) => {
          expect(ids(res.json())).toContain(x.p.in);
          expect(ids(res.json())).not.toContain(x.p.out);
        },
      }),
      me({
        route: 'GET /api/me/services/canteen',
        target: 'the canteens serving the caller and their menus',
        prepare: meDiner,
        req: () => ({ method: 'GET', url: '/api/me/services/canteen' }),
        ok: (res, x) => {
          const body = res.json();
          expect(body.resident.id).toBe(x.p.me);
          expect(idsOf(body.canteens)).toContain(x.p.c);
        },
      }),
      me({
        route: 'POST /api/me/services/orders',
        target: 'a meal of 东关社区’s canteen for the caller',
        prepare: meDiner,
        req: (x) => ({
          method: 'POST',
          url: '/api/me/services/orders',
          payload: { menuId: x.p.menu, payment: 'counter' },
        }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ menuId: x.p.menu, residentId: x.p.me, channel: 'self' });
          expect(await x.db.query('SELECT 1 FROM canteen_orders WHERE id = $1', [res.json().id])).toHaveLength(1);
        },
      }),
      me({
        route: 'POST /api/me/services/orders',
        target: 'a meal of 邻安社区’s canteen (not serving the caller)',
        prepare: async (x) => {
          const p = await meDiner(x);
          return { ...p, menu: await svcMenu(x, await svcCanteen(x, 'out')) };
        },
        req: (x) => ({
          method: 'POST',
          url: '/api/me/services/orders',
          payload: { menuId: x.p.menu, payment: 'counter' },
        }),
        expect: outcomes({ jumin: no(404, 'SERVICES_MENU_NOT_FOUND'), rest: noResident() }),
      }),
      me({
        route: 'GET /api/me/services/orders',
        target: 'the caller’s own order, not another resident’s',
        prepare: async (x) => {
          const p = await meDiner(x);
          const unit = await tbUnit(x);
          return {
            ...p,
            mine: await svcOrder(x, p.c!, p.menu!, p.me!),
            other: await svcOrder(x, p.c!, p.menu!, await tbResident(x, unit.in, `他人${x.n}`)),
          };
        },
        req: () => ({ method: 'GET', url: '/api/me/services/orders' }),
        ok: (res, x) => {
          expect(ids(res.json())).toContain(x.p.mine);
          expect(ids(res.json())).not.toContain(x.p.other);
        },
      }),
      me({
        route: 'POST /api/me/services/orders/:id/cancel',
        target: 'the caller’s own order',
        prepare: async (x) => {
          const p = await meDiner(x);
          return { ...p, order: await svcOrder(x, p.c!, p.menu!, p.me!) };
        },
        req: (x) => ({ method: 'POST', url: `/api/me/services/orders/${x.p.order}/cancel` }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ id: x.p.order, status: 'cancelled' });
          const [row] = await x.db.query<{ status: string }>('SELECT status FROM canteen_orders WHERE id = $1', [
            x.p.order,
          ]);
          expect(row!.status).toBe('cancelled');
        },
      }),
      me({
        route: 'POST /api/me/services/orders/:id/cancel',
        target: 'another resident’s order',
        prepare: async (x) => {
          const p = await meDiner(x);
          const unit = await tbUnit(x);
          return { ...p, order: await svcOrder(x, p.c!, p.menu!, await tbResident(x, unit.in, `别人${x.n}`)) };
        },
        req: (x) => ({ method: 'POST', url: `/api/me/services/orders/${x.p.order}/cancel` }),
        expect: outcomes({ jumin: no(404, 'SERVICES_ORDER_NOT_FOUND'), rest: noResident() }),
      }),
    ];
  })(),
  // ---- end services [C] cases ----
  // ---- privacy [E] cases ----
  ...((): Case[] => {
    const HANDLERS = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const; // privacy.handle
    const NF = no(404, 'PRIVACY_REQUEST_NOT_FOUND');
    const NOT_LINKED = no(404, 'PRIVACY_NOT_LINKED');
    const env = (x: Run) => ({ db: x.db, pii: matrixPii! });
    const decided = async (x: Run, id: number) =>
      expect(
        (await x.db.query<{ status: string }>('SELECT status FROM privacy_requests WHERE id = $1', [id]))[0]?.status,
      ).toBe('accepted');
    return [
      {
        route: 'GET /api/me/privacy',
        target: 'the caller’s own data: the demo resident’s account is 矩阵内居民’s; nobody else has a record',
        req: () => ({ method: 'GET', url: '/api/me/privacy' }),
        expect: outcomes({ ok: USERS }),
        ok: (res, x) => {
          const body = res.json() as { linked: boolean; record: { id: number; idNumber: string } | null };
          if (x.user === 'jumin') expect(body.record).toMatchObject({ id: x.t.iRes, idNumber: x.t.iResId });
          else expect(body).toMatchObject({ linked: false, record: null });
        },
      },
      {
        route: 'GET /api/me/privacy/copy',
        target: 'a copy of the caller’s own data (only the demo resident has a record)',
        req: () => ({ method: 'GET', url: '/api/me/privacy/copy' }),
        expect: outcomes({ jumin: 'ok', rest: NOT_LINKED }),
        ok: (res, x) => {
          expect(res.body).toContain(x.t.iResId);
          expect(res.body).toContain('矩阵内居民');
        },
      },
      {
        route: 'POST /api/me/privacy/requests',
        target: 'an objection of the caller’s own (only the demo resident has a record)',
        prepare: async (x) => {
          await x.db.query(
            `UPDATE privacy_requests SET status = 'rejected', decided_at = now(), legal_ground = 'other'
              WHERE resident_id = $1 AND kind = 'deletion' AND status = 'pending'`,
            [x.t.iRes],
          );
          return {};
        },
        req: (x) => ({
          method: 'POST',
          url: '/api/me/privacy/requests',
          payload: { kind: 'deletion', purpose: 'points_timebank', explanation: `矩阵反对${x.n}` },
        }),
        expect: outcomes({ jumin: 'ok', rest: NOT_LINKED }),
        ok: async (res, x) => {
          expect(res.json()).toMatchObject({ kind: 'deletion', status: 'pending', purpose: 'points_timebank' });
          const rows = await x.db.query('SELECT 1 FROM privacy_requests WHERE resident_id = $1 AND explanation = $2', [
            x.t.iRes,
            `矩阵反对${x.n}`,
          ]);
          expect(rows).toHaveLength(1);
        },
      },
      {
        route: 'GET /api/privacy/requests',
        target: 'requests of 1号楼, 第二网格 and 邻安县',
        req: () => ({ method: 'GET', url: '/api/privacy/requests?status=pending&pageSize=200' }),
        expect: outcomes({
          admin: { has: ['privIn', 'privSib', 'privOut'] },
          ...each(['countyadmin', 'jiedao', 'shequ'], { has: ['privIn', 'privSib'], lacks: ['privOut'] }),
          wangge: { has: ['privIn'], lacks: ['privSib', 'privOut'] },
          rest: FORBIDDEN,
        }),
      },
      {
        route: 'GET /api/privacy/requests/:id',
        target: 'a request of 1号楼 (the grid worker’s grid)',
        req: (x) => ({ method: 'GET', url: `/api/privacy/requests/${x.t.privIn}` }),
        expect: outcomes({ ok: HANDLERS, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.privIn, residentId: x.t.iRes, status: 'pending' }),
      },
      {
        route: 'GET /api/privacy/requests/:id',
        target: 'a request of 第二网格 (not the grid worker’s grid)',
        req: (x) => ({ method: 'GET', url: `/api/privacy/requests/${x.t.privSib}` }),
        expect: outcomes({ ok: ['admin', 'countyadmin', 'jiedao', 'shequ'], wangge: NF, rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.privSib, residentId: x.t.iSibRes }),
      },
      {
        route: 'GET /api/privacy/requests/:id',
        target: 'a request of 邻安县 (outside)',
        req: (x) => ({ method: 'GET', url: `/api/privacy/requests/${x.t.privOut}` }),
        expect: outcomes({ ok: ['admin'], ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], NF), rest: FORBIDDEN }),
        ok: (res, x) => expect(res.json()).toMatchObject({ id: x.t.privOut, residentId: x.t.oRes }),
      },
      {
        route: 'POST /api/privacy/requests/:id/decision',
        target: 'an objection of 1号楼 (accepted: the purpose stops)',
        prepare: async (x) => ({ req: await privRequest(env(x), x.t.iRes, 'deletion', 'jumin') }),
        req: (x) => ({
          method: 'POST',
          url: `/api/privacy/requests/${x.p.req}/decision`,
          payload: { decision: 'accept' },
        }),
        expect: outcomes({ ok: HANDLERS, rest: FORBIDDEN }),
        ok: (_res, x) => decided(x, x.p.req!),
      },
      {
        route: 'POST /api/privacy/requests/:id/decision',
        target: 'an objection of 第二网格 (not the grid worker’s grid)',
        prepare: async (x) => ({ req: await privRequest(env(x), x.t.iSibRes, 'deletion', 'admin') }),
        req: (x) => ({
          method: 'POST',
          url: `/api/privacy/requests/${x.p.req}/decision`,
          payload: { decision: 'accept' },
        }),
        expect: outcomes({ ok: ['admin', 'countyadmin', 'jiedao', 'shequ'], wangge: NF, rest: FORBIDDEN }),
        ok: (_res, x) => decided(x, x.p.req!),
      },
      {
        route: 'POST /api/privacy/requests/:id/decision',
        target: 'an objection of 邻安县 (outside)',
        prepare: async (x) => ({ req: await privRequest(env(x), x.t.oRes, 'deletion', 'admin') }),
        req: (x) => ({
          method: 'POST',
          url: `/api/privacy/requests/${x.p.req}/decision`,
          payload: { decision: 'accept' },
        }),
        expect: outcomes({
          ok: ['admin'],
          ...each(['countyadmin', 'jiedao', 'shequ', 'wangge'], NF),
          rest: FORBIDDEN,
        }),
        ok: (_res, x) => decided(x, x.p.req!),
      },
    ];
  })(),
  // ---- end privacy [E] cases ----
  // ---- machinery [D] cases ----
  // 农机共享: services.read / services.manage over the village (street and community admins, community and grid
  // workers: none of the demo workers' areas holds 白石村, so only the county-wide callers reach it); a target
  // outside is not found; /api/me/machinery/… answer for the caller's own account.
  ...((): Case[] => {
    const SERVICE = ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'] as const;
    const WORKERS = ['jiedao', 'shequ', 'wangge'] as const;
    type Side = 'o' | 'i';
    const where = (side: Side) =>
      side === 'o' ? '邻安农机村 (outside)' : '白石村 (the demo county, no worker’s area)';
    /** The outcomes of a request at a target in a village: the county-wide callers reach 白石村, only admin 邻安. */
    const at = (side: Side, nf: Refusal) =>
      outcomes({
        ok: side === 'o' ? ['admin'] : ['admin', 'countyadmin'],
        ...each(side === 'o' ? ['countyadmin', ...WORKERS] : WORKERS, nf),
        rest: FORBIDDEN,
      });
    const village = async (x: Run, side: Side) => (await mxVillages(x))[side];
    const fixtureAt = (side: Side) => async (x: Run) => {
      const v = await village(x, side);
      return { ...(await mxFixture(x, v)), v };
    };
    const bookingAt =
      (side: Side, done = false) =>
      async (x: Run) =>
        mxBooking(x, await village(x, side), done);
    /** A list: the fixture of 白石村 for the county-wide callers, that of 邻安 for the system administrator only. */
    const listed = (ids: (body: unknown) => number[], key: 'owner' | 'machine' | 'demand' | 'booking') => ({
      prepare: async (x: Run) => {
        const v = await mxVillages(x);
        const [i, o] =
          key === 'booking'
            ? [await mxBooking(x, v.i), await mxBooking(x, v.o)]
            : [await mxFixture(x, v.i), await mxFixture(x, v.o)];
        return { i: (i as Prepared)[key]!, o: (o as Prepared)[key]! };
      },
      expect: outcomes({ ok: SERVICE, rest: FORBIDDEN }),
      ok: (res: LightMyRequestResponse, x: Run) => {
        const got = ids(res.json());
        const county = x.user === 'admin' || x.user === 'countyadmin';
        expect(got.includes(x.p.i!), `${x.user} sees 白石村's`).toBe(county);
        expect(got.includes(x.p.o!), `${x.user} sees 邻安's`).toBe(x.user === 'admin');
      },
    });
    const cases: Case[] = [
      {
        route: 'GET /api/machinery/owners',
        target: 'owners of 白石村 and 邻安农机村',
        req: () => ({ method: 'GET', url: '/api/machinery/owners' }),
        ...listed(itemIds, 'owner'),
      },
      {
        route: 'GET /api/machinery/machines',
        target: 'machines of 白石村 and 邻安农机村',
        req: () => ({ method: 'GET', url: '/api/machinery/machines' }),
        ...listed(itemIds, 'machine'),
      },
      {
        route: 'GET /api/machinery/demands',
        target: 'demands of 白石村 and 邻安农机村',
        req: (x) => ({
          method: 'GET',
          url: `/api/machinery/demands?pageSize=200&from=${mxDay(x, 0)}&to=${mxDay(x, 0)}`,
        }),
        ...listed(itemIds, 'demand'),
      },
      {
        route: 'GET /api/machinery/bookings',
        target: 'bookings of 白石村 and 邻安农机村',
        req: (x) => ({ method: 'GET', url: `/api/machinery/bookings?from=${mxDay(x, 0)}&to=${mxDay(x, 0)}` }),
        ...listed(itemIds, 'booking'),
      },
      {
        route: 'GET /api/machinery/stats',
        target: 'this month’s finished jobs of 白石村 and 邻安农机村',
        prepare: async (x) => {
          const v = await mxVillages(x);
          await mxBooking(x, v.i, true);
          await mxBooking(x, v.o, true);
          return { i: v.i, o: v.o };
        },
        req: () => ({ method: 'GET', url: `/api/machinery/stats?month=${new Date().toISOString().slice(0, 7)}` }),
        expect: outcomes({ ok: SERVICE, rest: FORBIDDEN }),
        ok: (res, x) => {
          // a job finished on the first of the month (UTC) before 08:00 counts in the Shanghai month before; the
          // matrix does not run then often enough to matter, and the integration test pins the month exactly
          const villages = (res.json() as { byVillage: { id: number }[] }).byVillage.map((r) => r.id);
          const county = x.user === 'admin' || x.user === 'countyadmin';
          expect(villages.includes(x.p.i!)).toBe(county);
          expect(villages.includes(x.p.o!)).toBe(x.user === 'admin');
        },
      },
      {
        route: 'GET /api/machinery/stats/export',
        target: 'this month’s finished jobs as a workbook',
        prepare: async (x) => mxBooking(x, (await mxVillages(x)).i, true),
        req: () => ({
          method: 'GET',
          url: `/api/machinery/stats/export?month=${new Date().toISOString().slice(0, 7)}`,
        }),
        expect: outcomes({ ok: SERVICE, rest: FORBIDDEN }),
        ok: async (res, x) => {
          const [m] = await x.db.query<{ name: string }>('SELECT name FROM machinery_machines WHERE id = $1', [
            x.p.machine,
          ]);
          const names = (await readSheet(res.rawPayload)).map((r) => String(r[0]));
          expect(names.includes(m!.name)).toBe(x.user === 'admin' || x.user === 'countyadmin');
        },
      },
    ];
    for (const side of ['o', 'i'] as const) {
      cases.push(
        {
          route: 'POST /api/machinery/owners',
          target: where(side),
          prepare: async (x) => ({ v: await village(x, side) }),
          req: (x) => ({
            method: 'POST',
            url: '/api/machinery/owners',
            payload: { nodeId: x.p.v, name: `矩阵新农机社${x.n}`, kind: 'alliance', phone: '13905370000' },
          }),
          expect: at(side, no(404, 'ORG_NODE_NOT_FOUND')),
          ok: async (res, x) => {
            const o = res.json() as { id: number; nodeId: number; phone: string };
            expect(o).toMatchObject({ nodeId: x.p.v, phone: '139****0000' });
            const [row] = await x.db.query<{ name: string }>('SELECT name FROM machinery_owners WHERE id = $1', [o.id]);
            expect(row!.name).toBe(`矩阵新农机社${x.n}`);
          },
        },
        {
          route: 'POST /api/machinery/machines',
          target: `an owner and a village: ${where(side)}`,
          prepare: fixtureAt(side),
          perCaller: true,
          req: (x) => ({
            method: 'POST',
            url: '/api/machinery/machines',
            payload: {
              ownerId: x.p.owner,
              nodeId: x.p.v ?? 0,
              type: 'drone',
              name: `矩阵无人机${x.n}`,
              capacityMu: 200,
              pricePerMu: 8.5,
            },
          }),
          expect: at(side, no(404, 'MACHINERY_OWNER_NOT_FOUND')),
          ok: async (res, x) => {
            const m = res.json() as { id: number; ownerId: number; pricePerMu: number };
            expect(m).toMatchObject({ ownerId: x.p.owner, pricePerMu: 8.5 });
            const [row] = await x.db.query<{ price_fen: number }>(
              'SELECT price_fen FROM machinery_machines WHERE id = $1',
              [m.id],
            );
            expect(row!.price_fen).toBe(850);
          },
        },
        {
          route: 'PATCH /api/machinery/machines/:id',
          target: `a machine of ${where(side)}`,
          prepare: fixtureAt(side),
          req: (x) => ({
            method: 'PATCH',
            url: `/api/machinery/machines/${x.p.machine}`,
            payload: { status: 'maintenance' },
          }),
          expect: at(side, no(404, 'MACHINERY_MACHINE_NOT_FOUND')),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.machine, status: 'maintenance' });
            const [row] = await x.db.query<{ status: string }>('SELECT status FROM machinery_machines WHERE id = $1', [
              x.p.machine,
            ]);
            expect(row!.status).toBe('maintenance');
          },
        },
        {
          route: 'POST /api/machinery/demands',
          target: where(side),
          prepare: async (x) => ({ v: await village(x, side) }),
          req: (x) => ({
            method: 'POST',
            url: '/api/machinery/demands',
            payload: {
              nodeId: x.p.v,
              farmerName: '矩阵种粮户',
              place: `矩阵地${x.n}`,
              crop: '玉米',
              machineType: 'seeder',
              areaMu: 12.5,
              windowStart: mxDay(x, 0),
              windowEnd: mxDay(x, 5),
            },
          }),
          expect: at(side, no(404, 'ORG_NODE_NOT_FOUND')),
          ok: async (res, x) => {
            const d = res.json() as { id: number; nodeId: number; areaMu: number; farmerName: string };
            expect(d).toMatchObject({ nodeId: x.p.v, areaMu: 12.5, farmerName: '矩***户' });
            const [row] = await x.db.query<{ place: string }>('SELECT place FROM machinery_demands WHERE id = $1', [
              d.id,
            ]);
            expect(row!.place).toBe(`矩阵地${x.n}`);
          },
        },
        {
          route: 'GET /api/machinery/demands/:id/matches',
          target: `a demand of ${where(side)}`,
          prepare: fixtureAt(side),
          req: (x) => ({ method: 'GET', url: `/api/machinery/demands/${x.p.demand}/matches` }),
          expect: at(side, no(404, 'MACHINERY_DEMAND_NOT_FOUND')),
          ok: (res, x) => {
            const items = (res.json() as { items: { machineId: number; place: string; days: number }[] }).items;
            expect(items.find((m) => m.machineId === x.p.machine)).toMatchObject({ place: 'village', days: 2 });
          },
        },
        {
          route: 'POST /api/machinery/bookings',
          target: `a demand and a machine of ${where(side)}`,
          prepare: fixtureAt(side),
          perCaller: true,
          req: (x) => ({
            method: 'POST',
            url: '/api/machinery/bookings',
            payload: { demandId: x.p.demand, machineId: x.p.machine, start: mxDay(x, 1), end: mxDay(x, 2) },
          }),
          expect: at(side, no(404, 'MACHINERY_DEMAND_NOT_FOUND')),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ demandId: x.p.demand, machineId: x.p.machine, status: 'booked' });
            const [row] = await x.db.query<{ status: string }>('SELECT status FROM machinery_demands WHERE id = $1', [
              x.p.demand,
            ]);
            expect(row!.status).toBe('booked');
          },
        },
        {
          route: 'POST /api/machinery/bookings/:id/complete',
          target: `a booking of ${where(side)}`,
          prepare: bookingAt(side),
          req: (x) => ({
            method: 'POST',
            url: `/api/machinery/bookings/${x.p.booking}/complete`,
            payload: { areaDoneMu: 90 },
          }),
          expect: at(side, no(404, 'MACHINERY_BOOKING_NOT_FOUND')),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.booking, status: 'done', areaDoneMu: 90, revenueYuan: 5400 });
            const [row] = await x.db.query<{ revenue_fen: number }>(
              'SELECT revenue_fen FROM machinery_bookings WHERE id = $1',
              [x.p.booking],
            );
            expect(Number(row!.revenue_fen)).toBe(540000);
          },
        },
        {
          route: 'POST /api/machinery/bookings/:id/cancel',
          target: `a booking of ${where(side)}`,
          prepare: bookingAt(side),
          req: (x) => ({ method: 'POST', url: `/api/machinery/bookings/${x.p.booking}/cancel`, payload: {} }),
          expect: at(side, no(404, 'MACHINERY_BOOKING_NOT_FOUND')),
          ok: async (res, x) => {
            expect(res.json()).toMatchObject({ id: x.p.booking, status: 'cancelled' });
            const [row] = await x.db.query<{ status: string }>('SELECT status FROM machinery_demands WHERE id = $1', [
              x.p.demand,
            ]);
            expect(row!.status).toBe('open');
          },
        },
        {
          route: 'POST /api/machinery/dispatch',
          target: `the open demands of ${where(side)}`,
          prepare: fixtureAt(side),
          perCaller: true,
          req: (x) => ({ method: 'POST', url: '/api/machinery/dispatch', payload: { nodeId: x.p.v ?? 0 } }),
          expect: at(side, no(404, 'ORG_NODE_NOT_FOUND')),
          ok: async (res, x) => {
            const out = res.json() as { booked: { demandId: number; machineId: number }[] };
            expect(out.booked.find((b) => b.demandId === x.p.demand)).toBeDefined();
            const [row] = await x.db.query<{ status: string }>('SELECT status FROM machinery_demands WHERE id = $1', [
              x.p.demand,
            ]);
            expect(row!.status).toBe('booked');
          },
        },
      );
    }
    cases.push(
      {
        route: 'GET /api/me/machinery/demands',
        target: 'a demand the caller posted, and one someone else did',
        perCaller: true,
        prepare: async (x) => {
          const f = await mxFixture(x, (await mxVillages(x)).i);
          const other = await mxFixture(x, (await mxVillages(x)).i);
          await x.db.query(
            'UPDATE machinery_demands SET created_by = (SELECT id FROM users WHERE username = $2) WHERE id = $1',
            [f.demand, x.as],
          );
          return { mine: f.demand, other: other.demand };
        },
        req: () => ({ method: 'GET', url: '/api/me/machinery/demands' }),
        expect: outcomes({ ok: USERS }),
        ok: (res, x) => {
          const ids = itemIds(res.json());
          expect(ids).toContain(x.p.mine);
          expect(ids).not.toContain(x.p.other);
        },
      },
      {
        route: 'POST /api/me/machinery/demands',
        target: 'the caller’s own village (their account linked to a resident of 白石村 for the request)',
        // a fresh account in the caller's posts: linking the real accounts would unlink jumin from 矩阵内居民
        caller: 'fresh',
        perCaller: true,
        prepare: async (x) => {
          const v = await mxVillages(x);
          const r = await tbResident(x, v.i, '农机村民');
          await x.db.query('UPDATE users SET resident_id = $2 WHERE username = $1', [x.as, r]);
          return { v: v.i, r };
        },
        req: (x) => ({
          method: 'POST',
          url: '/api/me/machinery/demands',
          payload: {
            place: `矩阵自家地${x.n}`,
            crop: '水稻',
            machineType: 'transplanter',
            areaMu: 8,
            windowStart: mxDay(x, 0),
            windowEnd: mxDay(x, 3),
          },
        }),
        expect: outcomes({ ok: USERS }),
        ok: async (res, x) => {
          // unlink again at once: other cases read these accounts' own household
          await x.db.query('UPDATE users SET resident_id = NULL WHERE username = $1', [x.as]);
          expect(res.json()).toMatchObject({ nodeId: x.p.v, residentId: x.p.r, farmerName: '农机村民' });
        },
      },
      {
        route: 'POST /api/me/machinery/demands',
        target: 'an account linked to no villager',
        req: (x) => ({
          method: 'POST',
          url: '/api/me/machinery/demands',
          payload: {
            place: '无',
            crop: '无',
            machineType: 'drone',
            areaMu: 1,
            windowStart: mxDay(x, 0),
            windowEnd: mxDay(x, 1),
          },
        }),
        expect: outcomes({ rest: no(409, 'MACHINERY_NOT_VILLAGER') }),
      },
      {
        route: 'GET /api/me/machinery/schedule',
        target: 'bookings of an owner linked to an organisation huoban belongs to',
        prepare: async (x) => {
          const b = await mxBooking(x, (await mxVillages(x)).i);
          const org = await pOrg(x, x.t.iStreet, { members: ['huoban'] });
          await x.db.query('UPDATE machinery_owners SET partner_org_id = $2 WHERE id = $1', [b.owner, org]);
          return b;
        },
        req: () => ({ method: 'GET', url: '/api/me/machinery/schedule' }),
        expect: outcomes({ ok: USERS }),
        ok: (res, x) => {
          expect(itemIds(res.json()).includes(x.p.booking!)).toBe(x.user === 'huoban');
        },
      },
    );
    return cases;
  })(),
  // ---- end machinery [D] cases ----
];

// ---- points [A] helpers (fixtures made through x.db / x.admin) ----
/** points [A]: `amount` points to a resident from their community's issuer (kind adjust); the transfer and account. */
async function pointsFund(x: Run, residentId: number, amount = 10): Promise<{ transfer: number; account: number }> {
  const repo = await import('../modules/points/ledger.repo.js');
  const a = await repo.residentAccount(x.db, residentId, 'points');
  const issuer = await repo.issuerAccount(x.db, a.communityId, 'points');
  const t = await repo.postTransfer(x.db, {
    currency: 'points',
    kind: 'adjust',
    amount,
    fromAccountId: issuer.id,
    toAccountId: a.id,
    reason: `矩阵充值${x.n}`,
  });
  return { transfer: t.id, account: a.id };
}
// ---- end points [A] helpers ----

// ---- points [B] helpers (fixtures made through x.db / x.admin) ----
/** points [B]: an earning rule for a matrix case (an activity type of its own, so enabling it clashes with none). */
async function matrixEarningRule(x: Run, enabled: boolean): Promise<number> {
  const [row] = await x.db.query<{ id: number }>(
    `INSERT INTO earning_rules (code, name, trigger, activity_type, amount, enabled)
     VALUES ($1, '矩阵规则', 'activity', $2, 3, $3) RETURNING id::int AS id`,
    [
      `mx_rule_${x.n}_${Math.random().toString(36).slice(2, 8)}`,
      `mx_type_${x.n}_${Math.random().toString(36).slice(2, 8)}`,
      enabled,
    ],
  );
  return row!.id;
}

/** points [B]: a garbage check-in (fair: nothing credited) of a resident, recorded by a named account. */
async function matrixCheckin(x: Run, residentId: number, recorder: string): Promise<number> {
  const [row] = await x.db.query<{ id: number }>(
    `INSERT INTO garbage_checkins (county_id, node_path, resident_id, household_id, quality, recorded_by, outcome)
     SELECT r.county_id, r.node_path, r.id, r.household_id, 'fair', u.id, 'not_good'
       FROM residents r, users u WHERE r.id = $1 AND lower(u.username) = $2
     RETURNING id::int AS id`,
    [residentId, recorder],
  );
  return row!.id;
}
// ---- end points [B] helpers ----

// ---- points [C] helpers (fixtures made through x.db / x.admin) ----
/** A merchant at `nodeId` (in a community), optionally with shanghu as staff. */
async function pcMerchant(x: Run, nodeId: number, staff = false): Promise<number> {
  const [m] = await x.db.query<{ id: number }>(
    `INSERT INTO merchants (county_id, community_id, node_id, node_path, name)
     SELECT n.county_id, c.id, n.id, n.path, $2
       FROM org_nodes n JOIN org_nodes c ON n.path LIKE c.path || '%' AND c.type IN ('community', 'village')
      WHERE n.id = $1 ORDER BY c.depth DESC LIMIT 1
     RETURNING id`,
    [nodeId, `矩阵商户${x.n}`],
  );
  const id = Number(m!.id);
  if (staff) {
    await x.db.query(
      `INSERT INTO merchant_members (merchant_id, user_id) SELECT $1, id FROM users WHERE username = 'shanghu'`,
      [id],
    );
  }
  return id;
}
async function pcGoods(x: Run, merchantId: number): Promise<number> {
  const [g] = await x.db.query<{ id: number }>(
    `INSERT INTO merchant_goods (merchant_id, name, price, stock) VALUES ($1, $2, 100, 10) RETURNING id`,
    [merchantId, `矩阵商品${x.n}`],
  );
  return Number(g!.id);
}
async function pcSettlement(x: Run, merchantId: number): Promise<number> {
  const [s] = await x.db.query<{ id: number }>(
    `INSERT INTO merchant_settlements (county_id, merchant_id, node_path, period, redemptions, points, amount_fen)
     SELECT county_id, id, node_path, '2025-01', 0, 0, 0 FROM merchants WHERE id = $1 RETURNING id`,
    [merchantId],
  );
  return Number(s!.id);
}
/** A redemption of 100 points by a resident at a merchant (as part G writes one). */
async function pcRedemption(x: Run, merchantId: number, residentId: number): Promise<number> {
  const ledger = await import('../modules/points/ledger.repo.js');
  const from = await ledger.residentAccount(x.db, residentId, 'points');
  const issuer = await ledger.issuerAccount(x.db, from.communityId, 'points');
  await ledger.postTransfer(x.db, {
    currency: 'points',
    kind: 'adjust',
    amount: 100,
    fromAccountId: issuer.id,
    toAccountId: from.id,
    reason: '矩阵',
  });
  const to = await ledger.merchantAccount(x.db, merchantId, 'points');
  const t = await ledger.postTransfer(x.db, {
    currency: 'points',
    kind: 'redeem',
    amount: 100,
    fromAccountId: from.id,
    toAccountId: to.id,
    reason: '矩阵兑换',
  });
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO redemptions (county_id, merchant_id, account_id, resident_id, node_path, items, total, transfer_id,
       operator_id)
     SELECT county_id, id, $2, $3, node_path, '[]'::jsonb, 100, $4, (SELECT id FROM users WHERE username = 'shanghu')
       FROM merchants WHERE id = $1 RETURNING id`,
    [merchantId, from.id, residentId, t.id],
  );
  return Number(r!.id);
}
// ---- end points [C] helpers ----
// ---- points [G] helpers ----
/** points [G]: a merchant of 东关社区 (shanghu on its staff) or of 邻安县 with one goods item (10 points, 50). */
async function gMerchant(x: Run, where: 'in' | 'out'): Promise<{ merchant: number; goods: number }> {
  const f = await import('./points-factories.js');
  const m = await f.buildMerchant(x.db, {
    nodeId: where === 'in' ? x.t.iCommunity : x.t.oCommunity,
    name: `矩阵商户${x.n}${where}`,
    staffUserIds: where === 'in' ? [await userId(x.db, 'shanghu')] : [],
  });
  const g = await f.buildGoods(x.db, { merchantId: m.id, name: `矩阵商品${x.n}`, price: 10, stock: 50 });
  return { merchant: m.id, goods: g.id };
}

/** points [G]: a fresh code of 矩阵内居民 (jumin's) or 矩阵外居民, their account given 100 points. */
async function gCode(x: Run, where: 'in' | 'out'): Promise<{ code: number; codeId: number }> {
  const f = await import('./points-factories.js');
  const { hashCode } = await import('../modules/points/redemption.logic.js');
  const { accountId } = await f.fundResident(x.db, where === 'in' ? x.t.iRes : x.t.oRes, 100);
  const code = crypto.getRandomValues(new Uint32Array(1))[0]! % 100_000_000;
  const [row] = await x.db.query<{ id: number }>(
    `INSERT INTO redemption_codes (code_hash, account_id, user_id, expires_at)
     VALUES ($1, $2, $3, now() + interval '10 minutes') RETURNING id`,
    [hashCode(codeText(code)), accountId, where === 'in' ? await userId(x.db, 'jumin') : x.t.oUser],
  );
  return { code, codeId: row!.id };
}

const codeText = (code: number) => String(code).padStart(8, '0');

function prefix(p: string, o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [`${p}${k[0]!.toUpperCase()}${k.slice(1)}`, v]));
}

/** points [G]: a redemption made today at a new merchant (inside by shanghu, outside by the administrator). */
async function gRedemption(x: Run, where: 'in' | 'out'): Promise<number> {
  const m = await gMerchant(x, where);
  const c = await gCode(x, where);
  const opts = {
    method: 'POST' as const,
    url: '/api/merchant/redeem',
    payload: { code: codeText(c.code), items: [{ goodsId: m.goods, quantity: 1 }], clientId: crypto.randomUUID() },
  };
  const res = where === 'in' ? await x.by('shanghu', opts) : await x.asAdmin(opts);
  if (res.statusCode !== 201) throw new Error(`redemption: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}
// ---- end points [G] helpers ----

// ---- volunteers [D] helpers (fixtures made through x.db / x.admin) ----
// (functions, not constants: the cases above are built when the module loads)
/** volunteers.read and volunteers.manage over 第一网格. */
function volHolders(): User[] {
  return ['admin', 'countyadmin', 'jiedao', 'shequ', 'wangge'];
}
/** The same, bound inside 泗源县. */
function volArea(): User[] {
  return ['countyadmin', 'jiedao', 'shequ', 'wangge'];
}
function noResident(): Refusal {
  return no(409, 'LEDGER_NO_RESIDENT');
}

async function volPlace(x: Run, nodeId: number) {
  const [n] = await x.db.query<{ path: string; county_id: number }>(
    'SELECT path, county_id FROM org_nodes WHERE id = $1',
    [nodeId],
  );
  return n!;
}

/** A team at the node. */
async function volTeam(x: Run, nodeId: number): Promise<number> {
  const n = await volPlace(x, nodeId);
  const [t] = await x.db.query<{ id: number }>(
    `INSERT INTO volunteer_teams (county_id, node_id, node_path, name) VALUES ($1, $2, $3, $4) RETURNING id::int AS id`,
    [n.county_id, nodeId, n.path, `矩阵队${x.n}`],
  );
  return t!.id;
}

/** A fresh resident at the node, enrolled as a volunteer. */
async function volVolunteer(x: Run, nodeId: number): Promise<number> {
  const id = await freshResident(x, nodeId);
  await x.db.query(
    `INSERT INTO volunteers (resident_id, county_id, node_path, skills)
     SELECT id, county_id, node_path, '{meals}' FROM residents WHERE id = $1`,
    [id],
  );
  return id;
}

/** A published activity at the node, starting `startsInMin` minutes from now (default: tomorrow), lasting 2 hours. */
async function volActivity(x: Run, nodeId: number, startsInMin = 24 * 60): Promise<number> {
  const n = await volPlace(x, nodeId);
  const starts = new Date(Date.now() + startsInMin * 60_000);
  const [a] = await x.db.query<{ id: number }>(
    `INSERT INTO activities (county_id, node_id, node_path, title, activity_type, place, starts_at, ends_at,
       reward_amount, checkin_secret)
     VALUES ($1, $2, $3, $4, 'health_walk', '广场', $5, $6, 5, $7) RETURNING id::int AS id`,
    [n.county_id, nodeId, n.path, `矩阵活动${x.n}`, starts, new Date(starts.getTime() + 7_200_000), `secret${x.n}`],
  );
  return a!.id;
}

/** An activity at the node with a resident signed up (a fresh one there unless given). */
async function volSignedUp(x: Run, nodeId: number, residentId?: number, startsInMin?: number): Promise<Prepared> {
  const act = await volActivity(x, nodeId, startsInMin);
  const res = residentId ?? (await freshResident(x, nodeId));
  await x.db.query('INSERT INTO activity_signups (activity_id, resident_id) VALUES ($1, $2)', [act, res]);
  return { act, res };
}
// ---- end volunteers [D] helpers ----

// ---- timebank [E] helpers (fixtures made through x.db / x.admin) ----
/** A resident at a node (a copy of a test resident's sealed fields under a new ID hash), optionally in a household. */
async function tbResident(x: Run, nodeId: number, name: string, householdId: number | null = null): Promise<number> {
  const rows = await x.db.query<{ id: number }>(
    `INSERT INTO residents (county_id, node_id, node_path, household_id, relation, name, name_pinyin, name_initials,
       id_sealed, id_hash, id_masked, sex, birth_date, status)
     SELECT n.county_id, n.id, n.path, $3, CASE WHEN $3::bigint IS NULL THEN NULL ELSE 'other' END, $2, 'juzhen', 'jz',
            r.id_sealed, sha256(convert_to(random()::text || clock_timestamp()::text || $2, 'UTF8')), r.id_masked,
            r.sex, r.birth_date, 'active'
       FROM org_nodes n, residents r WHERE n.id = $1 AND r.id = $4
     RETURNING id`,
    [nodeId, name, householdId, x.t.iRes],
  );
  return Number(rows[0]!.id);
}

/**
 * People for a time-bank case: in a unit of 1号楼 a volunteer, an elder and her son in one household; in 邻安县 a volunteer
 * and an elder. Each case gets new ones. With `link`, the caller (a fresh account) is linked: a resident's to the son,
 * a volunteer's to the volunteer.
 */
const tbUnits = new WeakMap<Db, { in: number; out: number }>();
/** A unit of the time bank's own under 1号楼 and under 邻安1号楼 (so reports over 1单元 do not count its people). */
async function tbUnit(x: Run): Promise<{ in: number; out: number }> {
  let u = tbUnits.get(x.db);
  if (!u) {
    u = { in: await freshNode(x, x.t.iBuilding, 'unit'), out: await freshNode(x, x.t.oBuilding, 'unit') };
    tbUnits.set(x.db, u);
  }
  return u;
}

async function tbPeople(x: Run, link = true): Promise<Prepared> {
  const { enrollVolunteer } = await import('./timebank-factories.js');
  const unit = await tbUnit(x);
  const hh = await x.db.query<{ id: number }>(
    'INSERT INTO households (county_id, node_id, node_path) SELECT county_id, id, path FROM org_nodes WHERE id = $1 RETURNING id',
    [unit.in],
  );
  const household = Number(hh[0]!.id);
  const p: Prepared = {
    n: x.n,
    vol: await tbResident(x, unit.in, `志愿者${x.n}`),
    elder: await tbResident(x, unit.in, `老人${x.n}`, household),
    son: await tbResident(x, unit.in, `儿子${x.n}`, household),
    oVol: await tbResident(x, unit.out, `外志愿${x.n}`),
    oElder: await tbResident(x, unit.out, `外老人${x.n}`),
  };
  await enrollVolunteer(x.db, p.vol!, { skills: ['elder_care'] });
  await enrollVolunteer(x.db, p.oVol!, { skills: ['elder_care'] });
  if (link) {
    const residentId = x.user === 'jumin' ? p.son : x.user === 'zhiyuan' ? p.vol : undefined;
    if (residentId !== undefined)
      await x.db.query('UPDATE users SET resident_id = $2 WHERE username = $1', [x.as, residentId]);
  }
  return p;
}

async function tbService(x: Run, volunteer: number, recipient: number): Promise<number> {
  const { buildService } = await import('./timebank-factories.js');
  return buildService(x.db, {
    volunteerResidentId: volunteer,
    recipientResidentId: recipient,
    recordedBy: await userId(x.db, 'admin'),
  });
}

async function tbRequest(x: Run, beneficiary: number, requester?: number): Promise<number> {
  const { buildRequest } = await import('./timebank-factories.js');
  return buildRequest(x.db, { beneficiaryResidentId: beneficiary, requesterResidentId: requester });
}

const tbServiceStatus = async (x: Run, id: number) =>
  (await x.db.query<{ status: string }>('SELECT status FROM timebank_services WHERE id = $1', [id]))[0]?.status;
const tbRequestStatus = async (x: Run, id: number) =>
  (await x.db.query<{ status: string }>('SELECT status FROM timebank_requests WHERE id = $1', [id]))[0]?.status;
// ---- end timebank [E] helpers ----

// ---- partners [F] helpers (fixtures made through x.db / x.admin) ----
/** An organisation at a node (approved unless said), straight into the table, with these accounts as members. */
async function pOrg(x: Run, nodeId: number, o: { status?: string; members?: string[] } = {}): Promise<number> {
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO partner_orgs (county_id, node_id, node_path, name, kind, credit_code, contact_name, phone_masked,
       description, status)
     SELECT county_id, id, path, $2, 'social_org', '91350100M000100Y43', '矩阵联系人', '139****5678', '矩阵', $3
       FROM org_nodes WHERE id = $1 RETURNING id`,
    [nodeId, `矩阵合伙人${x.n}`, o.status ?? 'approved'],
  );
  for (const u of o.members ?? []) {
    await x.db.query('INSERT INTO partner_members (org_id, user_id) SELECT $1, id FROM users WHERE username = $2', [
      r!.id,
      u,
    ]);
  }
  return Number(r!.id);
}

/** An open project at a node (a community or below). */
async function pProject(x: Run, nodeId: number, o: { reward?: number } = {}): Promise<number> {
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO partner_projects (county_id, node_id, node_path, title, category, max_claims, reward_points)
     SELECT county_id, id, path, $2, 'elderly_care', 3, $3 FROM org_nodes WHERE id = $1 RETURNING id`,
    [nodeId, `矩阵项目${x.n}`, o.reward ?? null],
  );
  return Number(r!.id);
}

async function pClaim(x: Run, projectId: number, orgId: number, status = 'claimed'): Promise<number> {
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO partner_claims (project_id, org_id, node_path, status)
     SELECT id, $2, node_path, $3 FROM partner_projects WHERE id = $1 RETURNING id`,
    [projectId, orgId, status],
  );
  return Number(r!.id);
}

async function pDelivery(x: Run, claimId: number): Promise<number> {
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO partner_deliveries (claim_id, delivered_on, summary, people_served)
     VALUES ($1, '2026-01-04', '矩阵成果', 5) RETURNING id`,
    [claimId],
  );
  return Number(r!.id);
}

/** An organisation of 泗源街道 with these members, a project of 东关社区 and the organisation's claim of it. */
async function pOwnClaim(x: Run, members: string[]): Promise<Prepared> {
  const org = await pOrg(x, x.t.iStreet, { members });
  const proj = await pProject(x, x.t.iCommunity);
  return { org, proj, claim: await pClaim(x, proj, org) };
}

async function pMembers(x: Run, orgId: number): Promise<string[]> {
  const rows = await x.db.query<{ username: string }>(
    'SELECT u.username FROM partner_members m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1',
    [orgId],
  );
  return rows.map((r) => r.username);
}

async function pStatus(x: Run, table: 'partner_orgs' | 'partner_projects', id: number): Promise<string> {
  const [r] = await x.db.query<{ status: string }>(`SELECT status FROM ${table} WHERE id = $1`, [id]);
  return r!.status;
}
// ---- end partners [F] helpers ----
// ---- policies [A2] helpers ----
// fixtures made through x.db / x.admin
/** A rule nobody alive matches, so a matrix run writes no results. */
const POL_RULE = { field: 'age', op: '>', value: 149 };

/** A policy (through the API as the system administrator) in that status: its id and current version id. */
async function polPolicy(x: Run, status: 'draft' | 'active'): Promise<Prepared> {
  const p = await x.admin<{ id: number; versionId: number }>('POST', '/api/policies', {
    code: `mx_pol_${x.n}_${Math.random().toString(36).slice(2, 7)}`,
    name: `矩阵政策${x.n}`,
    legalRef: '矩阵依据',
    validFrom: '2020-01-01',
    rule: POL_RULE,
  });
  if (status === 'active') await x.admin('POST', `/api/policies/${p.id}/status`, { status: 'active' });
  return { policy: p.id, version: p.versionId };
}

/** A finished run of the policy over a node, with one eligible result (the resident). */
async function polRun(x: Run, nodeId: number, pol: Prepared, residentId: number): Promise<number> {
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO policy_runs (county_id, node_id, node_path, trigger, policy_id, status, as_of, residents, finished_at)
     SELECT county_id, id, path, 'manual', $2, 'done', '2026-01-05', 1, now() FROM org_nodes WHERE id = $1 RETURNING id`,
    [nodeId, pol.policy],
  );
  await x.db.query(
    `INSERT INTO policy_run_policies (run_id, policy_version_id, policy_id, eligible) VALUES ($1, $2, $3, 1)`,
    [r!.id, pol.version, pol.policy],
  );
  await x.db.query(
    `INSERT INTO policy_run_results (run_id, policy_version_id, resident_id, node_path, outcome, met_mask, facts)
     SELECT $1, $2, id, node_path, 'eligible', 1, '{"age": 150}' FROM residents WHERE id = $3`,
    [r!.id, pol.version, residentId],
  );
  return Number(r!.id);
}

/** A candidate of the policy for the resident, in that status (version 1). */
async function polCandidate(x: Run, pol: Prepared, residentId: number, status: string): Promise<number> {
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO policy_candidates (county_id, policy_id, resident_id, node_path, status, policy_version_id, due_at)
     SELECT county_id, $2, id, node_path, $4, $3, now() + interval '10 days' FROM residents WHERE id = $1 RETURNING id`,
    [residentId, pol.policy, pol.version, status],
  );
  return Number(r!.id);
}
/** Runs the queued run as its job would (the matrix's app queues jobs it never starts). */
async function polUntilRunEnds(x: Run, id: number): Promise<void> {
  const { executeRun } = await import('../modules/policies/runs.service.js');
  await executeRun(x.db, id);
}
// ---- end policies [A2] helpers ----
// ---- metrics [B] helpers ----
/** metrics [B]: a distinct Monday per request (2020-01-06 + n weeks). */
function metricsWeek(n: number): string {
  return new Date(Date.UTC(2020, 0, 6) + n * 7 * 86_400_000).toISOString().slice(0, 10);
}
/** metrics [B]: computes a month now (both counties), so that the refreshes list has rows. */
async function metricsRefreshNow(x: Run, periodStart: string): Promise<void> {
  const { refreshMetrics } = await import('../modules/metrics/metrics.service.js');
  await refreshMetrics(x.db, { periodKind: 'month', periodStart });
}
// ---- end metrics [B] helpers ----
// ---- assessment [C1] helpers ----
/** A quarterly grid scheme with the honour 红旗网格 (quota 1, minimum 0); `scored`: computed for 2026-Q3. */
async function aScheme(x: Run, o: { scored?: boolean } = {}): Promise<number> {
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO assessment_schemes (name, subject, period_kind, honour, honour_quota, honour_min_score)
     VALUES ($1, 'grid', 'quarter', 'red_flag_grid', 1, 0) RETURNING id`,
    [`矩阵方案${x.n}`],
  );
  await x.db.query(
    `INSERT INTO assessment_scheme_items (scheme_id, metric, weight, higher_better, full_at, zero_at)
     VALUES ($1, 'cases_overdue', 100, false, 0, 10)`,
    [r!.id],
  );
  if (o.scored) await x.admin('POST', '/api/assessment/compute', { schemeId: r!.id, periodStart: '2026-07-01' });
  return Number(r!.id);
}

/** The active grids under a node, by id (assessment's grid subjects). */
async function activeGridsUnder(x: Run, nodeId: number): Promise<number[]> {
  const rows = await x.db.query<{ id: number }>(
    `SELECT g.id FROM org_nodes g JOIN org_nodes n ON n.id = $1
     WHERE g.type = 'grid' AND g.status = 'active' AND g.path LIKE n.path || '%' ORDER BY g.id`,
    [nodeId],
  );
  return rows.map((r) => Number(r.id));
}

async function aScoreCount(x: Run, schemeId: number): Promise<number> {
  const [r] = await x.db.query<{ n: number }>('SELECT count(*)::int AS n FROM assessment_scores WHERE scheme_id = $1', [
    schemeId,
  ]);
  return r!.n;
}

/** A +1 adjustment of a grid for 2026-Q3, by the system administrator, straight into the table. */
async function aAdjustment(x: Run, schemeId: number, gridId: number): Promise<number> {
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO assessment_adjustments (scheme_id, period_start, subject_kind, subject_id, county_id, node_path, points,
       reason, created_by)
     SELECT $1, '2026-07-01', 'node', id, county_id, path, 1, '矩阵理由', $3 FROM org_nodes WHERE id = $2 RETURNING id`,
    [schemeId, gridId, await userId(x.db, 'admin')],
  );
  return Number(r!.id);
}

/** A selection of a grid for 2026-Q3 in a status, its level the street above. */
async function aSelection(x: Run, schemeId: number, gridId: number, status: string): Promise<number> {
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO assessment_selections (scheme_id, honour, period_start, subject_kind, subject_id, county_id, node_path,
       level_node_id, score, status, citation, published_at)
     SELECT $1, 'red_flag_grid', '2026-07-01', 'node', g.id, g.county_id, g.path,
       (SELECT l.id FROM org_nodes l WHERE l.type IN ('street', 'town') AND g.path LIKE l.path || '%'), 90, $3,
       '矩阵事迹', CASE WHEN $3 = 'published' THEN now() END
     FROM org_nodes g WHERE g.id = $2 RETURNING id`,
    [schemeId, gridId, status],
  );
  return Number(r!.id);
}
// ---- end assessment [C1] helpers ----
// ---- dashboard [D] helpers ----
// ---- end dashboard [D] helpers ----
// ---- notices [B] helpers ----
/** A notice at the node in that status, written by 县民政局 (so that every reviewer may review it). */
async function ntNotice(
  x: Run,
  nodeId: number,
  status: 'draft' | 'submitted' | 'approved' | 'published',
  o: { isPublic?: boolean; isImportant?: boolean } = {},
): Promise<number> {
  const author = await userId(x.db, 'bumen');
  const [r] = await x.db.query<{ id: number }>(
    `INSERT INTO notices (county_id, node_id, node_path, title, category, body_html, is_public, is_important, status,
       author_id, publish_at, published_at)
     SELECT county_id, id, path, $2, 'announcement', '<p>矩阵正文</p>', $3, $4, $5::text, $6,
       CASE WHEN $5::text IN ('approved', 'published') THEN now() END, CASE WHEN $5::text = 'published' THEN now() END
       FROM org_nodes WHERE id = $1 RETURNING id`,
    [nodeId, `矩阵通知${x.n}`, o.isPublic ?? false, o.isImportant ?? false, status, author],
  );
  return Number(r!.id);
}

/** A public published notice of 东关社区 with a photo in its body (uploaded and attached by the administrator). */
async function ntPublicPhoto(x: Run): Promise<Prepared> {
  const p = keepFileId(await x.by('admin', await photoUpload(x.n)), x.n);
  const n = await x.admin<{ id: number }>('POST', '/api/notices', {
    title: `矩阵公开通知${x.n}`,
    category: 'activity',
    body: `<p>活动照片</p><img src="/api/files/${FILE_IDS.get(x.n)}">`,
    nodeId: x.t.iCommunity,
    isPublic: true,
  });
  await x.db.query(`UPDATE notices SET status = 'published', publish_at = now(), published_at = now() WHERE id = $1`, [
    n.id,
  ]);
  return { ...p, notice: n.id };
}
// ---- end notices [B] helpers ----
// ---- privacy [E] helpers ----
/**
 * privacy [E]: a pending request of a resident, as if they asked (the requester: `by`); any pending one of the same
 * kind is closed first (one open request of a kind per resident). Corrections carry a sealed, empty change list.
 */
async function privRequest(
  env: { db: Db; pii: { seal(plain: string): Buffer } },
  residentId: number,
  kind: 'correction' | 'deletion',
  by: string,
): Promise<number> {
  await env.db.query(
    `UPDATE privacy_requests SET status = 'rejected', decided_at = now(), legal_ground = 'other'
      WHERE resident_id = $1 AND kind = $2 AND status = 'pending'`,
    [residentId, kind],
  );
  const [r] = await env.db.query<{ id: number }>(
    `INSERT INTO privacy_requests (county_id, resident_id, requester_id, kind, purpose, changes_sealed, explanation, due_at)
     SELECT r.county_id, r.id, (SELECT id FROM users WHERE username = $3), $2, $4, $5, '矩阵申请', now() + interval '21 days'
       FROM residents r WHERE r.id = $1 RETURNING id`,
    [
      residentId,
      kind,
      by,
      kind === 'deletion' ? 'points_timebank' : null,
      kind === 'correction' ? env.pii.seal('[]') : null,
    ],
  );
  return Number(r!.id);
}
// ---- end privacy [E] helpers ----
// ---- machinery [D] helpers ----
/** machinery [D]: 白石村 (in the demo county, none of the demo workers' areas) and 邻安农机村 (outside), made once. */
async function mxVillages(x: Run): Promise<{ i: number; o: number }> {
  const i = await nodeIdByName(x.db, '白石村');
  const found = await x.db.query<{ id: number }>(`SELECT id FROM org_nodes WHERE name = '邻安农机村'`);
  if (found[0]) return { i, o: found[0].id };
  const made = await x.admin<{ id: number }>('POST', '/api/org/nodes', {
    parentId: x.t.oStreet,
    type: 'village',
    name: '邻安农机村',
  });
  return { i, o: made.id };
}

/** machinery [D]: an owner, a harvester (50 亩 a day, 60 yuan a 亩) and an open demand (100 亩) in a village. */
async function mxFixture(x: Run, villageId: number): Promise<{ owner: number; machine: number; demand: number }> {
  const [o] = await x.db.query<{ id: number }>(
    `INSERT INTO machinery_owners (county_id, node_id, node_path, name, kind)
     SELECT county_id, id, path, $2, 'cooperative' FROM org_nodes WHERE id = $1 RETURNING id`,
    [villageId, `矩阵农机社${x.n}`],
  );
  const [m] = await x.db.query<{ id: number }>(
    `INSERT INTO machinery_machines (county_id, owner_id, node_id, node_path, type, name, capacity_mu, price_fen)
     SELECT county_id, $2, id, path, 'harvester', $3, 50, 6000 FROM org_nodes WHERE id = $1 RETURNING id`,
    [villageId, o!.id, `矩阵收割机${x.n}`],
  );
  const [d] = await x.db.query<{ id: number }>(
    `INSERT INTO machinery_demands (county_id, node_id, node_path, farmer_name, place, crop, machine_type, area_mu,
       window_start, window_end)
     SELECT county_id, id, path, '矩阵农户', '矩阵地块', '小麦', 'harvester', 100, $2::date, $2::date + 9
     FROM org_nodes WHERE id = $1 RETURNING id`,
    [villageId, mxDay(x, 0)],
  );
  return { owner: o!.id, machine: m!.id, demand: d!.id };
}

/** machinery [D]: a day two years on, one per request number (so that fixtures never meet). */
function mxDay(x: Run, plus: number): string {
  const d = new Date(Date.now() + (730 + (x.n % 300) + plus) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** machinery [D]: the fixture's demand booked on its machine for its first two days; `done` with 80 亩 done. */
async function mxBooking(x: Run, villageId: number, done = false): Promise<Prepared> {
  const f = await mxFixture(x, villageId);
  const [b] = await x.db.query<{ id: number }>(
    `INSERT INTO machinery_bookings (county_id, machine_id, demand_id, node_path, period, area_mu, price_fen, status,
       area_done_mu, revenue_fen, completed_at)
     SELECT d.county_id, $2, d.id, d.node_path, daterange(d.window_start, d.window_start + 2), 100, 6000,
       CASE WHEN $3 THEN 'done' ELSE 'booked' END, CASE WHEN $3 THEN 80 END, CASE WHEN $3 THEN 480000 END,
       CASE WHEN $3 THEN now() END
     FROM machinery_demands d WHERE d.id = $1 RETURNING id`,
    [f.demand, f.machine, done],
  );
  await x.db.query(`UPDATE machinery_demands SET status = $2 WHERE id = $1`, [f.demand, done ? 'done' : 'booked']);
  return { ...f, booking: b!.id };
}
// ---- end machinery [D] helpers ----

/** devices [A]: a test device at a node (straight into the table: the registry is another helper's). */
async function matrixDevice(x: Run, nodeId: number) {
  await ensureIngestTypes(x.db);
  return buildTestDevice(x.db, { nodeId });
}

/** devices [A]: a dead letter naming `deviceId` (known or not). */
async function matrixDeadLetter(x: Run, deviceId: number): Promise<number> {
  const [row] = await x.db.query<{ id: number }>(
    `INSERT INTO device_dead_letters (device_id, via, reason, payload) VALUES ($1, 'http', 'invalid_json', '{x')
     RETURNING id`,
    [deviceId],
  );
  return row!.id;
}

/** A fresh Open311 key for a node, made by the system administrator (helper C, o311). */
async function open311Key(x: Run, nodeId: number): Promise<number> {
  const body = await x.admin<{ client: { id: number } }>('POST', '/api/cases/open311-clients', {
    name: `矩阵热线${x.n}`,
    nodeId,
  });
  return body.client.id;
}

/** The node each role's post sits on. */
const POST_NODE: Record<Exclude<User, 'admin'>, (t: Targets) => number> = {
  countyadmin: (t) => t.iCounty,
  jiedao: (t) => t.iStreet,
  shequ: (t) => t.iCommunity,
  wangge: (t) => t.iGrid,
  louzhang: (t) => t.iBuilding,
  bumen: (t) => t.iCounty,
  jumin: (t) => t.iUnit,
  zhiyuan: (t) => t.iCommunity,
  huoban: (t) => t.iStreet,
  shanghu: (t) => t.iCommunity,
};

function roleOf(user: User): Role {
  if (user === 'admin' || user === 'countyadmin') return 'admin';
  return DEMO_ACCOUNTS.find((a) => a.username === user)!.role;
}

async function userId(db: Db, username: string): Promise<number> {
  const rows = await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]);
  return rows[0]!.id;
}

/** An API token of the account, made directly (not through the API), with its text. */
async function tokenFor(db: Db, username: string): Promise<{ id: number; token: string }> {
  const { token, prefix } = newApiToken();
  const row = await insertToken(db, {
    userId: await userId(db, username),
    name: `matrix ${username}`,
    prefix,
    tokenHash: hashToken(token),
    expiresInDays: null,
  });
  return { id: row.id, token };
}

async function expectTemporaryPassword(x: Run, username: string, password: string): Promise<void> {
  const res = await x.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(res.json().user).toMatchObject({ username, mustChangePassword: true });
}

/** Reads back a post the request gave, then takes it away again (a second request would be a duplicate). */
async function expectPostAdded(x: Run, userId: number, nodeId: number, role: Role): Promise<void> {
  const post = (await account(x, userId)).posts.find((p) => p.nodeId === nodeId && p.role === role);
  expect(post, `${role} at ${nodeId}`).toBeDefined();
  await x.db.query('DELETE FROM posts WHERE id = $1', [post!.id]);
}

async function expectUnlocked(x: Run, userId: number): Promise<void> {
  expect((await account(x, userId)).lockedUntil).toBeNull();
}

/** Reads back the tag the request set, then takes it off again. */
async function expectTagSet(x: Run, residentId: number): Promise<void> {
  expect(idsOf((await resident(x, residentId)).tags)).toContain(x.t.partyTag);
  await x.db.query('DELETE FROM resident_tags WHERE resident_id = $1 AND tag_id = $2', [residentId, x.t.partyTag]);
}

async function membersOf(x: Run, householdId: number): Promise<number[]> {
  return idsOf((await x.admin<{ members: unknown[] }>('GET', `/api/people/households/${householdId}`)).members);
}

async function holdTag(x: Run, residentId: number): Promise<Prepared> {
  await x.admin('POST', `/api/people/residents/${residentId}/tags`, { tagId: x.t.volunteerTag, reason: '志愿服务' });
  return {};
}

async function freshContact(x: Run, residentId: number): Promise<Prepared> {
  const r = await x.admin<{ contacts: { id: number; name: string }[] }>(
    'POST',
    `/api/people/residents/${residentId}/contacts`,
    { name: `新家属${x.n}`, relation: '配偶', phone: '13905378888' },
  );
  return { contact: r.contacts.find((c) => c.name === `新家属${x.n}`)!.id };
}

async function expectTemplateGone(x: Run): Promise<void> {
  const res = await x.asAdmin({ method: 'GET', url: `/api/reports/templates/${x.p.tpl}` });
  expect(res.json().code).toBe('REPORT_TEMPLATE_NOT_FOUND');
}

const ACCEPT = { note: '核实无误' };
const DECLINE = { reason: '此人仍在原社区居住' };

/**
 * A person the system administrator registers at `holdAt`, and `requester` registering the same ID number at
 * `destAt`, outside their area: a move-in request to the community holding the person.
 */
async function fileMoveIn(x: Run, requester: string, holdAt: number, destAt: number): Promise<Prepared> {
  const idNumber = idNo(x.n);
  const res = (
    await x.admin<{ id: number }>('POST', '/api/people/residents', { name: `迁出${x.n}`, idNumber, nodeId: holdAt })
  ).id;
  const filed = await x.by(requester, {
    method: 'POST',
    url: '/api/people/residents',
    payload: { name: `迁入${x.n}`, idNumber, nodeId: destAt },
  });
  if (filed.statusCode !== 202) throw new Error(`move-in by ${requester}: ${filed.statusCode} ${filed.body}`);
  return { req: (filed.json() as { moveInRequestId: number }).moveInRequestId, res };
}

/**
 * The workbench holds the figures card only for people readers, counting exactly the living residents of the
 * caller's area, and the move-in to-dos only for people writers, counting the pending requests held there.
 */
async function expectWorkbench(res: LightMyRequestResponse, x: Run): Promise<void> {
  type Body = {
    cards: { id: string; sections: { figures: { key: string; value: number }[] }[] }[];
    todos: { id: string; total: number; items: { id: string }[] }[];
  };
  const raw = res.json() as Body;
  // The cases module's card and to-dos are checked by its own workbench case (expectCasesWorkbench).
  const body = {
    cards: raw.cards.filter((c) => !c.id.startsWith('cases.')),
    todos: raw.todos.filter((t) => !t.id.startsWith('cases.')),
  };
  if (!(PEOPLE_READERS as readonly User[]).includes(x.user)) {
    expect(body).toEqual({ cards: [], todos: [] });
    return;
  }
  const area = await x.db.query<{ path: string | null }>(
    `SELECT n.path FROM posts p JOIN users u ON u.id = p.user_id LEFT JOIN org_nodes n ON n.id = p.node_id
      WHERE u.username = $1`,
    [x.as],
  );
  const under = `${area[0]!.path ?? '/'}%`;
  const count = async (sql: string) => (await x.db.query<{ n: number }>(sql, [under]))[0]!.n;
  const card = body.cards.find((c) => c.id === 'people.figures');
  const figures = Object.fromEntries((card?.sections ?? []).flatMap((s) => s.figures.map((f) => [f.key, f.value])));
  expect(figures.residents).toBe(
    await count(`SELECT count(*)::int AS n FROM residents WHERE status = 'active' AND node_path LIKE $1`),
  );
  const todo = body.todos.find((t) => t.id === 'people.move_in');
  if (!(PEOPLE_WRITERS as readonly User[]).includes(x.user)) {
    expect(todo).toBeUndefined();
    return;
  }
  expect(todo?.total).toBe(
    await count(`SELECT count(*)::int AS n FROM move_in_requests WHERE status = 'pending' AND holder_path LIKE $1`),
  );
  if (x.user !== 'admin') {
    const ids = todo!.items.map((i) => Number(i.id));
    expect(ids).not.toContain(x.t.mvOut);
    expect(ids).not.toContain(x.t.mvCross);
  }
}

/** The request: its requester sees what they asked; those who decide it see the person it is about. */
function expectMoveInView(res: LightMyRequestResponse, x: Run, requestId: number, residentId: number): void {
  const body = res.json() as { id: number; review?: { resident: { id: number } } };
  expect(body.id).toBe(requestId);
  if (x.user === 'wangge') expect(body.review).toBeUndefined();
  else expect(body.review?.resident.id).toBe(residentId);
}

async function expectAccepted(res: LightMyRequestResponse, x: Run, destAt: number): Promise<void> {
  expect(res.json()).toMatchObject({ id: x.p.req, status: 'accepted' });
  expect((await resident(x, x.p.res!)).nodeId).toBe(destAt);
}

async function expectDeclined(res: LightMyRequestResponse, x: Run, holdAt: number): Promise<void> {
  expect(res.json()).toMatchObject({ id: x.p.req, status: 'declined', review: { declineReason: DECLINE.reason } });
  expect((await resident(x, x.p.res!)).nodeId).toBe(holdAt);
}

/** The import can no longer be committed, and its stored files are gone. */
async function expectCancelled(res: LightMyRequestResponse, x: Run): Promise<void> {
  expect(res.json().import).toMatchObject({ id: x.p.imp, status: 'failed' });
  expect(await importView(x, x.p.imp!)).toMatchObject({ status: 'failed' });
  expect(fs.readdirSync(x.uploads).filter((n) => n.startsWith(`import-${x.p.imp}.`))).toEqual([]);
}

function houseIdsOfMap(body: { units: { floors: { rooms: { houseId: number }[] }[] }[] }): number[] {
  return body.units.flatMap((u) => u.floors.flatMap((f) => f.rooms.map((r) => r.houseId)));
}

function namesOfPreview(res: LightMyRequestResponse): unknown[] {
  return (res.json().rows as Record<string, unknown>[]).map((r) => r.name);
}

/**
 * What a refused request must leave alone: the columns of every table that a change would touch (each table's
 * `updated_at` where it has one), but not what any request changes (a session's or token's last use, a login's
 * time). Sessions are left out. Tables a module adds go here. Columns are named (not `to_jsonb(row)`) because
 * PGlite turns whole rows into text slowly, and this runs twice per case.
 */
const FINGERPRINTED: Record<string, string> = {
  org_nodes: 'id, parent_id, county_id, type, name, code, path, depth, status, boundary::text, updated_at',
  users:
    'id, username, display_name, password_hash, phone_masked, home_node_id, county_id, locale, disabled, ' +
    'must_change_password, failed_logins, locked_until, tokens_revoked_at, tokens_revoked_count, resident_id, updated_at',
  posts: 'id, user_id, node_id, county_id, role',
  api_tokens: 'id, user_id, name, expires_at, revoked_at',
  houses: 'id, node_id, node_path, room_no, floor, use, area, address, updated_at',
  households: 'id, house_id, node_id, node_path, household_no, head_resident_id, dissolved_at, updated_at',
  residents:
    'id, node_id, node_path, house_id, household_id, relation, name, id_hash, phone_hash, ethnicity, hukou_address, ' +
    'current_address, status, moved_in_on, left_on, updated_at',
  resident_contacts: 'id, resident_id, name, relation, phone_hash',
  tags: 'id, parent_id, code, name, sensitive, rule::text, description, sort, updated_at',
  resident_tags: 'resident_id, tag_id, node_path, source, reason',
  imports: 'id, county_id, status, committed, created_by, rows_read, rows_valid, rows_invalid, rows_inserted, error',
  report_templates: 'id, code, name, description, definition::text, updated_at',
  move_in_requests:
    'id, resident_id, requester_id, holder_node_id, holder_path, dest_node_id, house_id, household_id, status, ' +
    'decided_by, decided_at, decline_reason',
  'pgboss.job': 'id, name, state, retry_limit, completed_on',
  files: 'id, public_id, sha256, thumb_sha256, uploaded_by, attached_type, attached_id',
  inbox_messages: 'id, user_id, read_at',
  notify_channels: 'id, type, name, config::text, secret_hint, enabled, updated_at',
  notify_subscriptions: 'user_id, channel_id, kind',
  notify_settings: 'user_id, quiet_start, quiet_end, wechat_openid',
  // Open311 keys (helper C, o311); last_used_at moves on any use.
  open311_clients: 'id, name, key_prefix, node_id, revoked_at',
  // cases settings (helper B)
  work_calendar_overrides: 'day, kind, name, updated_at',
  case_categories:
    'id, parent_id, code, name_zh, name_en, class, urgent, response_sla::text, handle_sla::text, verify_sla::text, ' +
    'merge_radius_m, merge_window_hours, public, active, sort, updated_at',
  case_stages: 'code, name_zh, name_en, type, sort',
  // cases core (helper A)
  departments: 'id, node_id, name, code, phone, active, updated_at',
  department_members: 'department_id, user_id',
  cases:
    'id, case_no, category_id, stage, node_id, assignee_node_id, assignee_department_id, handler_id, rework_count, ' +
    'parked_until, merged_into_id, rating, version, updated_at',
  case_events: 'id, case_id, action, from_stage, to_stage, public',
  case_whistles: 'id, case_id, department_id, status, accepted_at, reported_at',
  // devices [B]
  alarms: 'id, status, acknowledged_by, resolved_by, outcome, resolution_note, case_id, ladder_step, version',
  alarm_events: 'id, alarm_id, action, level',
  // devices [C]
  device_types: 'code, name_zh, name_en, metrics::text, events::text, report_interval_s, active, sort, updated_at',
  device_rules: 'id, type_code, code, name_zh, params::text, severity, ladder::text, enabled, version, updated_at',
  devices: 'id, node_id, node_path, type_code, serial, name, house_id, resident_id, status, secret_prefix, version',
  device_rule_overrides: 'rule_id, resident_id, params::text, enabled, note, updated_at',
  resident_away: 'resident_id, from_at, until_at, reason, set_by, set_at',
  // grid work [B]
  visit_tasks: 'id, assignee_id, status, attempts, done_at, visit_id, withdrawn_reason, withdrawn_note, updated_at',
  visits: 'id, task_id, visitor_id, outcome, case_id',
  // grid work [D]
  grid_links: 'id, kind, user_id, node_id, household_id, valid_from, valid_to, note, ended_at',
  // grid work [E]
  patrols: 'id, node_id, worker_id, status, ended_at, note, distance_m, client_id',
  patrol_findings: 'id, patrol_id, node_id, house_id, description, case_id, client_id',
  // the ledger (points, pinned contract): balances and what moved
  ledger_accounts: 'id, kind, currency, balance, frozen',
  ledger_transfers: 'id, kind, amount, from_account_id, to_account_id, reverses_id',
  // ---- points [A] ----
  ledger_movements: 'id, transfer_id, account_id, amount, balance_after',
  // ---- end points [A] ----
  // ---- points [B] ----
  earning_rules: 'id, code, name, trigger, activity_type, amount, daily_cap, monthly_cap, enabled, version',
  points_settings: 'household_mode, expiry_policy, expiry_years, conduct_enabled, points_per_yuan, version',
  garbage_checkins: 'id, resident_id, quality, recorded_by, credited, outcome, transfer_id',
  earning_credits: 'transfer_id, rule_id, resident_id, amount',
  // ---- end points [B] ----
  // ---- points [C] ----
  merchants: 'id, name, status, phone_masked, address, contact_name',
  merchant_members: 'merchant_id, user_id',
  merchant_goods: 'id, merchant_id, name, price, stock, active, sort, version',
  merchant_settlements: 'id, merchant_id, period, points, transfer_id, status',
  // ---- end points [C] ----
  // ---- points [G] ----
  redemption_codes: 'id, account_id, user_id, expires_at, used_at, redemption_id',
  redemptions: 'id, merchant_id, account_id, total, status, reversed_transfer_id',
  // ---- end points [G] ----
  // ---- volunteers [D] ----
  volunteer_teams: 'id, node_id, name, kind, description, leader_user_id, active, updated_at',
  volunteers: 'resident_id, user_id, kind, skills::text, available, left_at',
  volunteer_team_members: 'team_id, resident_id, role, left_at',
  activities: 'id, node_id, title, activity_type, starts_at, ends_at, capacity, status, credited_at, version',
  activity_signups: 'activity_id, resident_id, status, checked_in_at, checkin_method, transfer_id',
  // ---- end volunteers [D] ----
  // ---- timebank [E] ----
  timebank_services: 'id, status, transfer_id, reject_reason, confirmed_by',
  timebank_requests: 'id, status, volunteer_resident_id, matched_by',
  // ---- end timebank [E] ----
  // ---- partners [F] ----
  partner_orgs: 'id, node_id, status, review_note, reviewed_by',
  partner_members: 'org_id, user_id',
  partner_projects: 'id, title, category, max_claims, reward_points, status, closes_on',
  partner_claims: 'id, project_id, org_id, plan, status',
  partner_deliveries: 'id, claim_id, status, review_note, transfer_id',
  // ---- end partners [F] ----
  // ---- policies [A2] ----
  policies: 'id, code, name, legal_ref, status, current_version_id, valid_from, valid_to',
  policy_versions: 'id, policy_id, version, rule::text',
  policy_runs: 'id, node_id, policy_id, status',
  policy_run_policies: 'run_id, policy_version_id, eligible, near_miss',
  policy_candidates: 'id, policy_id, resident_id, status, version, reason, receiving_since',
  // ---- end policies [A2] ----
  // ---- metrics [B] ----
  metric_values: 'period_kind, period_start, subject_kind, subject_id, metric, num, den, computed_at',
  metric_refreshes: 'period_kind, period_start, county_id, refreshed_at, rows',
  // ---- end metrics [B] ----
  // ---- assessment [C1] ----
  assessment_schemes: 'id, name, adjustment_cap, active',
  assessment_scheme_items: 'scheme_id, metric, weight',
  assessment_adjustments: 'id, points, withdrawn_at',
  assessment_scores: 'scheme_id, period_start, subject_id, total, rank',
  assessment_selections: 'id, status, citation, version',
  // ---- end assessment [C1] ----
  // ---- dashboard [D] ----
  // (the dashboard only reads; it adds no tables)
  // ---- end dashboard [D] ----
  // ---- deliberation [A] ----
  resident_verifications: 'id, user_id, resident_id, status, decided_at, note',
  delib_topics: 'id, node_id, status, review_note, outcome, closed_at',
  delib_comments: 'id, topic_id, status, reports, reviewed',
  delib_comment_reports: 'comment_id, user_id',
  delib_proposals: 'id, topic_id, title',
  delib_supports: 'proposal_id, resident_id',
  delib_votes: 'id, topic_id, status, closed_at',
  delib_voters: 'vote_id, resident_id, unit_key',
  delib_ballots: 'id, vote_id, option_id',
  delib_meetings: 'id, node_id, agenda, attendance::text, minutes',
  delib_decisions: 'id, meeting_id, status, case_id, outcome, owner',
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  notices: 'id, status, title, node_id, tag_ids::text, reviewer_id, reject_reason, published_at, withdrawn_at, version',
  notice_receipts: 'notice_id, resident_id, read_at, confirmed_at',
  // ---- end notices [B] ----
  // ---- services [C] ----
  service_entries: 'id, node_path, name, category, provider, address, hours, phone, description, sort, updated_at',
  canteens: 'id, node_path, name, cutoff_minutes, delivers, updated_at',
  canteen_menus: 'id, canteen_id, day, meal, dishes::text, price_cents, price_minutes, capacity',
  canteen_subsidies: 'id, canteen_id, tag_id, kind, value',
  canteen_orders: 'id, menu_id, resident_id, status, transfer_id, refund_transfer_id, pay_minutes, cancelled_by',
  // ---- end services [C] ----
  // ---- privacy [E] ----
  privacy_requests: 'id, resident_id, kind, purpose, status, decided_at, legal_ground',
  privacy_objections: 'resident_id, purpose, request_id',
  // ---- end privacy [E] ----
  // ---- machinery [D] ----
  machinery_owners: 'id, node_id, name, kind, phone_masked, partner_org_id, status',
  machinery_machines: 'id, owner_id, node_id, type, name, capacity_mu, price_fen, status, updated_at',
  machinery_demands: 'id, node_id, resident_id, farmer_name, place, crop, area_mu, window_start, window_end, status',
  machinery_bookings: 'id, machine_id, demand_id, period, status, area_done_mu, revenue_fen, completed_at',
  // ---- end machinery [D] ----
};

// ---- services [C] helpers (fixtures straight into the tables) ----
/** A day far enough ahead that orders are open, different for every request number. */
const svcDay = (n: number) =>
  new Date(Date.now() + (3 + (n % 3000)) * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

const svcCanteens = new WeakMap<Db, { in: number; out: number }>();

/** One canteen in 东关社区 and one in 邻安社区 per database (delivering, orders open until the meal). */
async function svcCanteen(x: Run, s: 'in' | 'out'): Promise<number> {
  let c = svcCanteens.get(x.db);
  if (!c) {
    const make = async (nodeId: number, name: string) =>
      Number(
        (
          await x.db.query<{ id: number }>(
            `INSERT INTO canteens (county_id, node_id, node_path, name, cutoff_minutes)
             SELECT county_id, id, path, $2, 0 FROM org_nodes WHERE id = $1 RETURNING id`,
            [nodeId, name],
          )
        )[0]!.id,
      );
    c = { in: await make(x.t.iCommunity, '矩阵长者食堂'), out: await make(x.t.oCommunity, '矩阵外长者食堂') };
    svcCanteens.set(x.db, c);
  }
  return c[s];
}

async function svcMenu(x: Run, canteenId: number): Promise<number> {
  const rows = await x.db.query<{ id: number }>(
    `INSERT INTO canteen_menus (canteen_id, day, meal, dishes, price_cents, price_minutes, capacity)
     VALUES ($1, $2, 'lunch', '{矩阵菜}', 1000, 30, 50) RETURNING id`,
    [canteenId, svcDay(x.n)],
  );
  return Number(rows[0]!.id);
}

async function svcOrder(x: Run, canteenId: number, menuId: number, residentId: number): Promise<number> {
  const rows = await x.db.query<{ id: number }>(
    `INSERT INTO canteen_orders (county_id, canteen_id, menu_id, resident_id, node_path, channel, delivery,
       delivery_address, list_cents, pay_cents, payment)
     SELECT r.county_id, $1, $2, r.id, r.node_path, 'worker', true, '矩阵地址', 1000, 1000, 'counter'
       FROM residents r WHERE r.id = $3 RETURNING id`,
    [canteenId, menuId, residentId],
  );
  return Number(rows[0]!.id);
}

async function svcEntry(x: Run, nodeId: number): Promise<number> {
  const rows = await x.db.query<{ id: number }>(
    `INSERT INTO service_entries (county_id, node_id, node_path, name, category)
     SELECT county_id, id, path, $2, 'housekeeping' FROM org_nodes WHERE id = $1 RETURNING id`,
    [nodeId, `矩阵家政${x.n}`],
  );
  return Number(rows[0]!.id);
}

async function svcTag(x: Run): Promise<number> {
  const [t] = await x.db.query<{ id: number }>(`SELECT id FROM tags WHERE code = 'aged_80'`);
  return Number(t!.id);
}
// ---- end services [C] helpers ----

async function fingerprint(db: Db): Promise<string> {
  const parts = Object.entries(FINGERPRINTED).map(
    ([table, columns]) =>
      `(SELECT md5(coalesce(string_agg(concat_ws(',', ${columns}), ';' ORDER BY concat_ws(',', ${columns})), '')) FROM ${table})`,
  );
  const rows = await db.query<{ s: string }>(
    // an array, not concat_ws: a function takes at most 100 arguments, and there are more tables than that
    `SELECT array_to_string(ARRAY[${parts.join(', ')}, (SELECT count(*) FROM audit_log)::text], '|') AS s`,
  );
  return rows[0]!.s;
}

function routeOf(opts: InjectOptions): string {
  return `${opts.method} ${String(opts.url).split('?')[0]}`;
}

/** Whether the request is one the route serves (`:param` standing for one path segment). */
function matchesRoute(route: string, opts: InjectOptions): boolean {
  const [method, pattern] = route.split(' ') as [string, string];
  const re = new RegExp(`^${method} ${pattern.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
  return re.test(routeOf(opts));
}

const PUBLIC_ROUTES = [
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/public/partners',
  'GET /api/public/honours',
  // ---- notices [B] ----
  'GET /api/public/notices',
  // ---- end notices [B] ----
];
// ---- notices [B] ----
/**
 * Public routes about one record: without credentials the placeholder target is not a public record, so they are
 * not found rather than refused for want of a login (their cases show real targets served to everyone).
 */
const PUBLIC_RECORD_ROUTES = [
  'GET /api/public/notices/:id',
  'GET /api/public/notices/:id/files/:fileId',
  'GET /api/public/notices/:id/files/:fileId/thumb',
];
// ---- end notices [B] ----
/** Routes a device calls with its own token: a user's credentials (or none) are a device's failed login. */
const DEVICE_ROUTES = ['POST /api/ingest/devices/:id/messages'];

/**
 * The whole matrix on the given databases. Two test files run it, one per database, so that vitest's two
 * workers share it (it is the longest suite by far).
 */
export function definePermissionMatrix(kinds: readonly TestDbKind[]): void {
  describeEachDb(
    'permission matrix',
    (env: TestEnv) => {
      const t = {} as Targets;
      let app: FastifyInstance;
      let uploads: string;
      const tokens = new Map<string, string>();
      let revokedToken = '';
      let seq = 0;

      const adminHeaders = async () => ({ cookie: await env.cookie('admin'), origin: ORIGIN });

      async function admin<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<T> {
        const res = await app.inject({
          method,
          url,
          headers: await adminHeaders(),
          ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
        });
        if (res.statusCode >= 300) throw new Error(`admin ${method} ${url}: ${res.statusCode} ${res.body}`);
        return (res.body ? res.json() : null) as T;
      }

      async function by(username: string, opts: InjectOptions): Promise<LightMyRequestResponse> {
        return app.inject({
          ...opts,
          headers: { ...(opts.headers ?? {}), cookie: await env.cookie(username), origin: ORIGIN },
        });
      }

      async function upload(
        creator: string,
        nodeId: number,
        rows: [string, string][],
        interrupted = false,
      ): Promise<number> {
        const [community, grid] = nodeId === t.oCommunity ? PLACES.o : PLACES.i;
        const form = importForm(nodeId, community, grid, rows);
        const res = await app.inject({
          method: 'POST',
          url: '/api/people/imports',
          headers: { ...form.headers, cookie: await env.cookie(creator), origin: ORIGIN },
          payload: form.payload,
        });
        if (res.statusCode !== 202) throw new Error(`upload by ${creator}: ${res.statusCode} ${res.body}`);
        const id = (res.json() as { import: { id: number } }).import.id;
        await whenImportSettled(id);
        if (interrupted) {
          await failImport(env.db, id, JSON.stringify({ code: 'IMPORT_INTERRUPTED', params: { phase: 'validate' } }));
        }
        return id;
      }

      async function credentials(username: string, via: Via): Promise<Record<string, string>> {
        if (via === 'cookie') return { cookie: await env.cookie(username), origin: ORIGIN };
        let token = tokens.get(username);
        if (!token) {
          token = (await tokenFor(env.db, username)).token;
          tokens.set(username, token);
        }
        return { authorization: `Bearer ${token}` };
      }

      /**
       * A new account holding the same post as `user`, logged in (or with a token) for one request. Made in SQL with
       * the demo accounts' password hash: hashing a password for each would cost more than the request.
       */
      async function freshCaller(
        user: User,
        via: Via,
        n: number,
      ): Promise<{ as: string; headers: Record<string, string> }> {
        const username = `fc${n}`;
        const nodeId = user === 'admin' ? null : POST_NODE[user](t);
        await env.db.query(
          `WITH u AS (
         INSERT INTO users (username, display_name, password_hash, home_node_id, county_id)
         SELECT $1, $1, password_hash, $2::bigint, (SELECT county_id FROM org_nodes WHERE id = $2::bigint)
           FROM users WHERE username = 'jiedao'
         RETURNING id, county_id)
       INSERT INTO posts (user_id, node_id, county_id, role) SELECT id, $2::bigint, county_id, $3 FROM u`,
          [username, nodeId, roleOf(user)],
        );
        if (via === 'cookie') {
          return { as: username, headers: { cookie: await login(app, username, DEMO_PASSWORD), origin: ORIGIN } };
        }
        return { as: username, headers: { authorization: `Bearer ${(await tokenFor(env.db, username)).token}` } };
      }

      async function runFor(c: Case, user: User, via: Via): Promise<Run> {
        const n = ++seq;
        const caller =
          c.caller === 'fresh' ? await freshCaller(user, via, n) : { as: user, headers: await credentials(user, via) };
        const x: Run = {
          t,
          user,
          via,
          n,
          p: {},
          db: env.db,
          app,
          ...caller,
          admin,
          asAdmin: async (opts) =>
            app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...(await adminHeaders()) } }),
          upload,
          by,
          uploads,
          again: (opts) => app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...caller.headers } }),
        };
        return x;
      }

      function send(c: Case, x: Run): Promise<LightMyRequestResponse> {
        const opts = c.req(x);
        if (!matchesRoute(c.route, opts)) throw new Error(`${c.route} — ${c.target}: sends ${routeOf(opts)}`);
        return x.again(opts);
      }

      const codeOf = (res: LightMyRequestResponse): string | undefined => {
        try {
          return (res.json() as { code?: string }).code;
        } catch {
          return undefined;
        }
      };

      async function runCase(c: Case, via: Via): Promise<void> {
        const expected: Record<User, Outcome> =
          via === 'token' && c.tokens === 'refused' ? outcomes({ rest: TOKEN_NOT_ALLOWED }) : c.expect;
        const refused = USERS.filter((u) => isRefusal(expected[u]));
        const allowed = USERS.filter((u) => !isRefusal(expected[u]));

        if (refused.length > 0) {
          const runs: Run[] = [];
          let shared: Prepared | undefined;
          for (const u of refused) {
            const x = await runFor(c, u, via);
            if (c.prepare && (c.perCaller || !shared)) shared = await c.prepare(x);
            x.p = shared ?? {};
            runs.push(x);
          }
          const before = await fingerprint(env.db);
          for (const x of runs) {
            const res = await send(c, x);
            expect
              .soft({ status: res.statusCode, code: codeOf(res) }, `${x.user} (${via}): ${res.body.slice(0, 200)}`)
              .toEqual(expected[x.user]);
          }
          expect(await fingerprint(env.db), 'the refused requests changed data').toBe(before);
        }

        for (const u of allowed) {
          const x = await runFor(c, u, via);
          if (c.prepare) x.p = await c.prepare(x);
          const res = await send(c, x);
          const want = expected[u];
          const message = `${u} (${via}): ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (want === 'ok') {
            const good = res.statusCode >= 200 && res.statusCode < 300;
            expect.soft(good, message).toBe(true);
            if (good) await c.ok!(res, x);
            continue;
          }
          expect.soft(res.statusCode, message).toBe(200);
          if (res.statusCode !== 200) continue;
          if (isRefusal(want)) continue;
          const ids = (c.items ?? itemIds)(res.json());
          if ('only' in want) {
            expect
              .soft([...ids].sort(byNumber), `${u} (${via}) sees exactly ${want.only.join(', ') || 'nothing'}`)
              .toEqual(want.only.map((k) => t[k]).sort(byNumber));
          } else {
            for (const k of want.has) expect.soft(ids, `${u} (${via}) sees ${k}`).toContain(t[k]);
            for (const k of want.lacks ?? []) expect.soft(ids, `${u} (${via}) does not see ${k}`).not.toContain(t[k]);
          }
        }
      }

      beforeAll(async () => {
        uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-matrix-'));
        // Its own upload directory: the imports of this suite stay apart from other suites' in the same temp dir.
        app = await buildApp({
          // cases core (helper A): case steps queue their SLA timers, which needs running jobs; this app's own never
          // start, so the cases' go through the environment's running instance on the same database.
          jobs: casesJobsVia(createJobs(env.db), env.jobs),
          db: env.db,
          pii: env.pii,
          broker: null,
          loginRateLimit: 100_000,
          // Every move-in case files requests as the grid worker.
          idClashDailyLimit: 100_000,
          uploads: { dir: uploads },
        });
        await app.ready();
        const ids = env.ids;
        const node = async (parentId: number | null, type: string, name: string, code?: string) =>
          (await admin<{ id: number }>('POST', '/api/org/nodes', { parentId, type, name, ...(code ? { code } : {}) }))
            .id;
        const account = async (username: string, nodeId: number, role: Role, phone: string | null = null) =>
          (
            await admin<{ id: number }>('POST', '/api/users', {
              username,
              displayName: username,
              password: DEMO_PASSWORD,
              phone,
              homeNodeId: nodeId,
              posts: [{ nodeId, role }],
            })
          ).id;

        // 邻安县: outside every area but the system administrator's.
        t.oCounty = await node(null, 'county', '邻安县', '370898');
        t.oStreet = await node(t.oCounty, 'street', '邻安街道');
        t.oCommunity = await node(t.oStreet, 'community', '邻安社区');
        t.oGrid = await node(t.oCommunity, 'grid', '邻安第一网格');
        t.oBuilding = await node(t.oGrid, 'building', '1号楼');
        t.oUnit = await node(t.oBuilding, 'unit', '1单元');
        t.oCommunity2 = await node(t.oStreet, 'community', '邻安二社区');
        t.oGrid2 = await node(t.oCommunity2, 'grid', '邻安二社区第一网格');
        // 泗源县, the demo region.
        t.iCounty = ids.county!;
        t.iStreet = ids.street!;
        t.iCommunity = ids.community!;
        t.iGrid = ids.grid!;
        t.iBuilding = ids.building!;
        t.iUnit = ids.unit!;
        t.iSiblingGrid = await nodeIdByName(env.db, '第二网格', t.iCommunity);
        t.iVillageGrid = await nodeIdByName(env.db, '第一网格', await nodeIdByName(env.db, '白石村'));

        const tag = async (code: string, name: string) =>
          (await admin<{ id: number }>('POST', '/api/people/tags', { code, name, sensitive: false })).id;
        t.tagOut = await tag('mx_out', '矩阵外标签');
        t.tagIn = await tag('mx_in', '矩阵内标签');
        t.tagSpare = await tag('mx_spare', '矩阵备用标签');
        const dictionary = await admin<{ items: { id: number; code: string }[] }>('GET', '/api/people/tags');
        t.volunteerTag = dictionary.items.find((i) => i.code === 'volunteer')!.id;
        t.partyTag = dictionary.items.find((i) => i.code === 'party_member')!.id;

        const person = async (name: string, nodeId: number, extra: Record<string, unknown>) => {
          const idNumber = idNo(++seq);
          const r = await admin<{ id: number }>('POST', '/api/people/residents', {
            name,
            idNumber,
            phone: '13905375555',
            nodeId,
            ...extra,
          });
          return { id: r.id, idNumber };
        };
        const contact = async (residentId: number) =>
          (
            await admin<{ contacts: { id: number }[] }>('POST', `/api/people/residents/${residentId}/contacts`, {
              name: '家属',
              relation: '子女',
              phone: '13905376666',
            })
          ).contacts[0]!.id;
        const house = async (nodeId: number) =>
          (await admin<{ id: number }>('POST', '/api/people/houses', { nodeId, roomNo: '101' })).id;
        const household = async (nodeId: number, houseId: number) =>
          (await admin<{ id: number }>('POST', '/api/people/households', { nodeId, houseId })).id;

        t.oHouse = await house(t.oBuilding);
        t.oHousehold = await household(t.oBuilding, t.oHouse);
        const oRes = await person('矩阵外居民', t.oUnit, {
          houseId: t.oHouse,
          householdId: t.oHousehold,
          relation: 'head',
          tagIds: [t.tagOut, t.volunteerTag],
        });
        t.oRes = oRes.id;
        t.oResId = oRes.idNumber;
        t.oContact = await contact(t.oRes);
        t.iHouse = await house(t.iBuilding);
        t.iHousehold = await household(t.iBuilding, t.iHouse);
        const iRes = await person('矩阵内居民', t.iUnit, {
          houseId: t.iHouse,
          householdId: t.iHousehold,
          relation: 'head',
          tagIds: [t.tagIn, t.volunteerTag],
        });
        t.iRes = iRes.id;
        t.iResId = iRes.idNumber;
        t.iContact = await contact(t.iRes);
        t.iSibRes = (await person('矩阵邻格居民', t.iSiblingGrid, {})).id;
        // the demo resident's account is theirs: 矩阵内居民 (GET /api/me/household)
        await env.db.query(`UPDATE users SET resident_id = $1 WHERE username = 'jumin'`, [t.iRes]);

        t.oUserPhone = '13905371234';
        t.gridUserPhone = '13905374321';
        t.oUser = await account('mx_outsider', t.oCommunity, 'community_worker', t.oUserPhone);
        t.oUser2 = await account('mx_outsider2', t.oCommunity, 'community_worker');
        t.gridUser = await account('mx_grid', t.iGrid, 'grid_worker', t.gridUserPhone);
        t.peerUser = await account('mx_peer', t.iCommunity, 'community_worker');
        t.streetUser = await account('mx_street', t.iStreet, 'partner');
        await account('mx_login', t.iUnit, 'resident');
        await account('countyadmin', t.iCounty, 'admin');
        await env.db.query('UPDATE users SET must_change_password = false');

        // Move-in requests: a person registered by the system administrator, then by someone outside whose area
        // holds them. mvOut: mx_outsider (邻安社区) about a person of 邻安二社区; mvIn: the grid worker about a
        // person of 第二网格 (held by 东关社区); mvCross: the grid worker about a person of 邻安社区.
        const moveIn = async (requester: string, holdAt: number, destAt: number) => {
          const x = { n: ++seq, admin, by } as unknown as Run;
          return (await fileMoveIn(x, requester, holdAt, destAt)) as { req: number; res: number };
        };
        ({ req: t.mvOut, res: t.mvOutRes } = await moveIn('mx_outsider', t.oGrid2, t.oGrid));
        ({ req: t.mvIn, res: t.mvInRes } = await moveIn('wangge', t.iSiblingGrid, t.iGrid));
        ({ req: t.mvCross, res: t.mvCrossRes } = await moveIn('wangge', t.oGrid, t.iGrid));

        const template = async (name: string, nodeId?: number) =>
          (
            await admin<{ id: number }>('POST', '/api/reports/templates', {
              name,
              definition: {
                entity: 'resident',
                columns: [{ field: 'name' }, { field: 'idNumber' }],
                ...(nodeId ? { filters: { nodeId } } : {}),
              },
            })
          ).id;
        t.oTemplate = await template('邻安名单', t.oCommunity);
        t.iTemplate = await template('第一网格名单', t.iGrid);
        t.sibTemplate = await template('第二网格名单', t.iSiblingGrid);
        t.openTemplate = await template('全域名单');

        const probe = async (label: string, scopeNode: number | null) => {
          const scope = scopeNode
            ? (await env.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [scopeNode]))[0]!.path
            : null;
          await recordAudit(env.db, systemCtx('matrix'), {
            action: 'matrix.probe',
            targetType: 'matrix',
            targetId: label,
            scopePath: scope,
            countyId: scope ? Number(scope.split('/')[1]) : null,
            diff: null,
          });
          const rows = await env.db.query<{ id: number }>(
            `SELECT id FROM audit_log WHERE action = 'matrix.probe' AND target_id = $1`,
            [label],
          );
          return rows[0]!.id;
        };
        t.auditOut = await probe('out', t.oCommunity);
        t.auditIn = await probe('in', t.iGrid);
        t.auditNone = await probe('none', null);

        const importRow = async (username: string) => {
          const rows = await env.db.query<{ id: number }>(
            `INSERT INTO imports (county_id, kind, file_name, status, created_by)
         SELECT county_id, 'residents', 'matrix.csv', 'validated', id FROM users WHERE username = $1 RETURNING id`,
            [username],
          );
          return rows[0]!.id;
        };
        t.oImport = await importRow('mx_outsider');
        t.impAdmin = await importRow('admin');
        t.impCounty = await importRow('countyadmin');
        t.impStreet = await importRow('jiedao');
        t.impCommunity = await importRow('shequ');
        t.oImportBad = '外坏行';
        t.iImportBad = '内坏行';
        t.oImportReal = await upload('mx_outsider', t.oCommunity, [
          ['外好行', idNo(++seq)],
          [t.oImportBad, '123'],
        ]);
        t.iImportReal = await upload('shequ', t.iCommunity, [
          ['内好行', idNo(++seq)],
          [t.iImportBad, '123'],
        ]);

        // cases core (helper A): 县民政局 (member: bumen) and 邻安县民政局; fixed cases titled 矩阵固定….
        t.caseCat = (
          await env.db.query<{ id: number }>(`SELECT id FROM case_categories WHERE code = 'env.garbage'`)
        )[0]!.id;
        const deptOutMember = await account('mx_dept_out', t.oCounty, 'department');
        const department = async (nodeId: number, name: string, member: number) =>
          (await admin<{ id: number }>('POST', '/api/cases/departments', { nodeId, name, memberIds: [member] })).id;
        t.caseDeptIn = await department(t.iCounty, '县民政局', await userId(env.db, 'bumen'));
        t.caseDeptOut = await department(t.oCounty, '邻安县民政局', deptOutMember);
        const fixedCase = async (username: string, title: string, place?: unknown) => {
          const res = await by(username, {
            method: 'POST',
            url: '/api/cases',
            payload: { categoryId: t.caseCat, title, ...(place ? { place } : {}) } as InjectOptions['payload'],
          });
          if (res.statusCode !== 201) throw new Error(`fixed case ${title}: ${res.statusCode} ${res.body}`);
          return (res.json() as { id: number }).id;
        };
        t.caseOut = await fixedCase('admin', '矩阵固定外', { houseId: t.oHouse });
        t.caseIn = await fixedCase('jumin', '矩阵固定内');
        t.caseSib = await fixedCase('shequ', '矩阵固定邻格', { nodeId: t.iSiblingGrid });
        t.caseDept = await fixedCase('admin', '矩阵固定部门', { nodeId: t.iSiblingGrid });
        await admin('POST', `/api/cases/${t.caseDept}/dispatch`, { departmentId: t.caseDeptIn });
        // end cases core
        // devices [F]: meters of a type of the matrix's own, each with two readings on 2026-11-01 (5 L used).
        await env.db.query(
          `INSERT INTO device_types (code, name_zh, name_en, metrics) VALUES ('mx_meter', '矩阵水表', 'Matrix meter',
         '[{"key":"total_l","nameZh":"累计用水量","nameEn":"Water used","unit":"L","min":0,"max":1e8,"cumulative":true}]')`,
        );
        const meter = async (nodeId: number, serial: string) => {
          const [d] = await env.db.query<{ id: number }>(
            `INSERT INTO devices (county_id, node_id, node_path, type_code, serial, secret_hash, secret_prefix)
         SELECT county_id, id, path, 'mx_meter', $2, '\\x00'::bytea, 'mxmxmx' FROM org_nodes WHERE id = $1 RETURNING id`,
            [nodeId, serial],
          );
          await env.db.query(
            `INSERT INTO telemetry (device_id, metric, ts, value)
         VALUES ($1, 'total_l', '2026-11-01T08:00:00Z', 100), ($1, 'total_l', '2026-11-01T09:00:00Z', 105)`,
            [d!.id],
          );
          return d!.id;
        };
        t.telOut = await meter(t.oBuilding, 'MX-OUT');
        t.telIn = await meter(t.iBuilding, 'MX-IN');
        t.telSib = await meter(t.iSiblingGrid, 'MX-SIB');
        // end devices [F]
        matrixPii = env.pii;
        matrixJobs = env.jobs;
        // devices [B]: a rule, 关爱预警老人 in 1号楼 whose contact list holds zhiyuan's phone, and three fixed alarms.
        await ensureDeviceType(env.db, { code: 'mxfixed', metrics: [HEART_METRIC] });
        await ensureDeviceType(env.db, { code: 'mxfresh', metrics: [HEART_METRIC] });
        t.alarmRule = await buildRule(env.db, {
          typeCode: 'mxfixed',
          code: 'mx_heart',
          kind: 'threshold',
          params: { metric: 'heart_rate', above: 120 },
          ladder: [{ level: 'family', afterMin: 0 }],
        });
        await buildRule(env.db, {
          typeCode: 'mxfresh',
          code: 'mx_heart',
          kind: 'threshold',
          params: { metric: 'heart_rate', above: 120 },
          ladder: [{ level: 'family', afterMin: 0 }],
        });
        t.alarmOld = (await person('关爱预警老人', t.iUnit, { houseId: t.iHouse })).id;
        await env.db.query(
          `INSERT INTO resident_contacts (county_id, resident_id, name, relation, phone_sealed, phone_hash, phone_masked)
       SELECT $2, $1, '刘志愿', '女儿', $3, phone_hash, phone_masked FROM users WHERE username = 'zhiyuan'`,
          [t.alarmOld, t.iCounty, env.pii.seal('13805371006')],
        );
        t.alarmSibBuilding = (
          await env.db.query<{ id: number }>(
            `SELECT id FROM org_nodes WHERE type = 'building' AND path LIKE (SELECT path FROM org_nodes WHERE id = $1) || '%'
          ORDER BY id LIMIT 1`,
            [t.iSiblingGrid],
          )
        )[0]!.id;
        t.alarmIn = await matrixAlarm(env, 'mxfixed', t.iBuilding, t.alarmOld);
        t.alarmOut = await matrixAlarm(env, 'mxfixed', t.oBuilding, null);
        t.alarmSib = await matrixAlarm(env, 'mxfixed', t.alarmSibBuilding, null);
        // devices [C]
        const device = async (nodeId: number, serial: string, residentId?: number) =>
          (
            await admin<{ device: { id: number } }>('POST', '/api/devices', {
              typeCode: 'water_meter',
              serial,
              nodeId,
              ...(residentId ? { residentId } : {}),
            })
          ).device.id;
        t.devOut = await device(t.oUnit, 'MXOUT', t.oRes);
        t.devIn = await device(t.iUnit, 'MXIN', t.iRes);
        t.devSib = await device(t.iSiblingGrid, 'MXSIB');
        t.devRule = (
          await env.db.query<{ id: number }>(
            `SELECT id FROM device_rules WHERE type_code = 'water_meter' AND code = 'no_use'`,
          )
        )[0]!.id;
        // end devices [C]
        // grid work [B]: a rule, a task and a visit each in 1号楼 (矩阵内居民), 第二网格 and 邻安县
        // an event rule nothing triggers: generation (POST /api/visit-rules/generate [A]) neither withdraws nor adds to it
        t.vRule = (
          await buildVisitRule(env.db, {
            code: 'mx_visits',
            name: '矩阵走访',
            kind: 'event',
            trigger: 'visit_outcome',
            triggerOutcome: 'mx_never',
          })
        ).id;
        const matrixAdmin = await userId(env.db, 'admin');
        const wanggeId = await userId(env.db, 'wangge');
        t.vtIn = (await buildVisitTask(env.db, { ruleId: t.vRule, residentId: t.iRes, assigneeId: wanggeId })).id;
        t.vtSib = (await buildVisitTask(env.db, { ruleId: t.vRule, residentId: t.iSibRes, assigneeId: null })).id;
        t.vtOut = (await buildVisitTask(env.db, { ruleId: t.vRule, residentId: t.oRes, assigneeId: null })).id;
        t.viIn = (await buildVisit(env.db, { visitorId: matrixAdmin, residentId: t.iRes })).id;
        t.viSib = (await buildVisit(env.db, { visitorId: matrixAdmin, residentId: t.iSibRes })).id;
        // an attempt (未遇): 邻安县's household stays "never visited" for the coverage cases [C]
        t.viOut = (await buildVisit(env.db, { visitorId: matrixAdmin, residentId: t.oRes, outcome: 'not_home' })).id;
        // the building leader's own visit in 1号楼 (the only one they read)
        t.viLeader = (await buildVisit(env.db, { visitorId: await userId(env.db, 'louzhang'), residentId: t.iRes })).id;
        // end grid work [B]
        // ---- privacy [E] ----
        t.privIn = await privRequest(env, t.iRes, 'correction', 'jumin');
        t.privSib = await privRequest(env, t.iSibRes, 'correction', 'admin');
        t.privOut = await privRequest(env, t.oRes, 'correction', 'admin');
        // ---- end privacy [E] ----
        // Every account calls with its session cookie and with a token of its own, made here and not through the API.
        for (const u of USERS) {
          const made = await tokenFor(env.db, u);
          tokens.set(u, made.token);
          if (u === 'admin') t.tokAdmin = made.id;
          if (u === 'countyadmin') t.tokCountyadmin = made.id;
          if (u === 'jiedao') t.tokJiedao = made.id;
          if (u === 'bumen') t.tokBumen = made.id;
          await env.cookie(u);
        }
        const machine = await tokenFor(env.db, 'admin');
        t.machineToken = machine.id;
        const revoked = await tokenFor(env.db, 'jiedao');
        await revokeToken(env.db, await userId(env.db, 'jiedao'), revoked.id);
        revokedToken = revoked.token;
      });

      afterAll(async () => {
        await app?.close();
        if (uploads) fs.rmSync(uploads, { recursive: true, force: true });
      });

      it('has cases that can fail: a check for every success, a target for every filtered list', () => {
        for (const c of CASES) {
          const all = Object.values(c.expect);
          if (all.includes('ok')) expect(c.ok, `${c.route} — ${c.target}`).toBeDefined();
          for (const o of all) {
            if (typeof o === 'object' && 'has' in o)
              expect(o.has.length, `${c.route} — ${c.target}`).toBeGreaterThan(0);
          }
        }
      });

      it('has a case for every API route, and every case names a route of the app', () => {
        const apiRoutes = listRoutes(app).filter((r) => r.includes(' /api/'));
        const named = new Set(CASES.map((c) => c.route));
        expect(apiRoutes.filter((r) => !named.has(r))).toEqual([]);
        expect([...named].filter((r) => !apiRoutes.includes(r))).toEqual([]);
      });

      it('refuses every route but login and logout without credentials, and every route with a revoked token', async () => {
        const placeholder = new Proxy({}, { get: () => 1 }) as Prepared;
        for (const route of new Set(CASES.map((c) => c.route))) {
          const c = CASES.find((k) => k.route === route)!;
          const x = { t, n: ++seq, p: placeholder } as Run;
          const opts = c.req(x);
          const anonymous = await app.inject(opts);
          if (PUBLIC_ROUTES.includes(route)) expect.soft(anonymous.statusCode, route).toBeLessThan(300);
          else if (PUBLIC_RECORD_ROUTES.includes(route)) expect.soft(anonymous.statusCode, route).not.toBe(401);
          else if (DEVICE_ROUTES.includes(route))
            expect
              .soft({ status: anonymous.statusCode, code: codeOf(anonymous) }, route)
              .toEqual(no(401, 'DEVICE_AUTH_FAILED'));
          else
            expect
              .soft({ status: anonymous.statusCode, code: codeOf(anonymous) }, route)
              .toEqual(no(401, 'AUTH_REQUIRED'));
          const revoked = await app.inject({
            ...opts,
            headers: { ...(opts.headers ?? {}), authorization: `Bearer ${revokedToken}` },
          });
          expect
            .soft({ status: revoked.statusCode, code: codeOf(revoked) }, route)
            .toEqual(DEVICE_ROUTES.includes(route) ? no(401, 'DEVICE_AUTH_FAILED') : no(401, 'AUTH_TOKEN_INVALID'));
        }
      });

      for (const via of ['cookie', 'token'] as const) {
        // Every case with cookies first: token requests that end sessions cannot break a later cookie request.
        describe(via === 'cookie' ? 'with a session cookie' : 'with an API token', () => {
          for (const c of CASES) it(`${c.route} — ${c.target}`, () => runCase(c, via));
        });
      }
    },
    kinds,
  );
}
