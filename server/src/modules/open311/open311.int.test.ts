import { XMLParser } from 'fast-xml-parser';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeIdByName } from '../../test/factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';

/**
 * Open311 GeoReport v2 conformance: every endpoint in JSON and XML, every error in Open311's own format with its
 * HTTP status, nothing personal in GET answers, nothing written by a refused POST; and the key management API.
 */

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => ['error', 'service', 'request', 'endpoint', 'format'].includes(name),
});

type Req = Record<string, unknown>;

function square(lng: number, lat: number, d: number) {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + d, lat],
        [lng + d, lat + d],
        [lng, lat + d],
        [lng, lat],
      ],
    ],
  };
}

describeEachDb('Open311 GeoReport v2', (env: TestEnv) => {
  let key = '';
  let otherKey = '';
  let revokedKey = '';
  let community = 0;
  let otherCommunity = 0;
  let countyId = 0;
  const cat: Record<string, number> = {};
  const caseIds: Record<string, number> = {};
  let seq = 0;

  const inject = (opts: InjectOptions) => env.app.inject(opts);
  const get = (url: string) => inject({ method: 'GET', url });
  const errorsOf = (res: LightMyRequestResponse) =>
    res.headers['content-type']?.toString().startsWith('text/xml')
      ? (xml.parse(res.body).errors.error as { code: string; description: string }[]).map((e) => ({
          code: Number(e.code),
          description: e.description,
        }))
      : (res.json() as { code: number; description: string }[]);
  const expectError = (res: LightMyRequestResponse, status: number, text: RegExp) => {
    expect(res.statusCode, res.body).toBe(status);
    const errs = errorsOf(res);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toEqual({ code: status, description: expect.stringMatching(text) });
  };
  const countCases = async () => (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n;

  async function addCategory(code: string, opts: { parent?: number; public?: boolean; urgent?: boolean } = {}) {
    const rows = await env.db.query<{ id: number }>(
      `INSERT INTO case_categories (parent_id, code, name_zh, name_en, public, urgent, handle_sla)
       VALUES ($1, $2, $3, $4, $5, $6, '{"amount": 2, "unit": "working_days"}') RETURNING id::int AS id`,
      [opts.parent ?? null, code, `测试${code}`, `Test ${code}`, opts.public ?? true, opts.urgent ?? false],
    );
    return rows[0]!.id;
  }

  async function addCase(c: {
    node: number;
    category: number;
    stage: string;
    createdAt?: string;
    handleDueAt?: string | null;
    token?: string;
    address?: string;
    source?: string;
  }) {
    seq++;
    const [node] = await env.db.query<{ path: string; county_id: number }>(
      'SELECT path, county_id::int AS county_id FROM org_nodes WHERE id = $1',
      [c.node],
    );
    const rows = await env.db.query<{ id: number }>(
      `INSERT INTO cases (county_id, case_no, category_id, stage, title, description, source, contact_name,
         contact_phone_masked, node_id, node_path, lat, lng, address, handle_due_at, open311_token, created_at, updated_at)
       VALUES ($1, $2, $3, $4, '路灯不亮', '东门路灯坏了三天', $5, '王秘密', '138****0001', $6, $7, 36.1, 117.1, $8, $9, $10,
         coalesce($11::timestamptz, now()), coalesce($11::timestamptz, now()))
       RETURNING id::int AS id`,
      [
        node!.county_id,
        `T311-${seq}`,
        c.category,
        c.stage,
        c.source ?? 'resident',
        c.node,
        node!.path,
        c.address ?? '3号楼2单元301室',
        c.handleDueAt ?? null,
        c.token ?? null,
        c.createdAt ?? null,
      ],
    );
    return rows[0]!.id;
  }

  async function newKey(name: string, nodeId: number) {
    const res = await env.as('admin', { method: 'POST', url: '/api/cases/open311-clients', payload: { name, nodeId } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { client: { id: number; keyPrefix: string }; apiKey: string };
  }

  beforeAll(async () => {
    community = env.ids.community!;
    otherCommunity = await nodeIdByName(env.db, '西关社区');
    countyId = env.ids.county!;
    key = (await newKey('12345 热线', community)).apiKey;
    otherKey = (await newKey('西关热线', otherCommunity)).apiKey;
    const revoked = await newKey('旧热线', community);
    revokedKey = revoked.apiKey;
    const del = await env.as('admin', { method: 'DELETE', url: `/api/cases/open311-clients/${revoked.client.id}` });
    expect(del.statusCode, del.body).toBe(200);

    cat.group = await addCategory('t311-group');
    cat.light = await addCategory('t311-light', { parent: cat.group });
    cat.urgent = await addCategory('t311-leak', { parent: cat.group, urgent: true });
    cat.hidden = await addCategory('t311-private', { public: false });

    // The community's first grid is drawn; the community itself is drawn around it.
    await env.db.query('UPDATE org_nodes SET boundary = $2 WHERE id = $1', [
      env.ids.grid,
      JSON.stringify(square(117.0, 36.0, 0.2)),
    ]);
    await env.db.query('UPDATE org_nodes SET boundary = $2 WHERE id = $1', [
      community,
      JSON.stringify(square(116.9, 35.9, 0.5)),
    ]);

    caseIds.open = await addCase({
      node: env.ids.building!,
      category: cat.light!,
      stage: 'handling',
      handleDueAt: '2026-12-20T01:00:00Z',
    });
    caseIds.closed = await addCase({ node: env.ids.grid!, category: cat.light!, stage: 'closed' });
    caseIds.old = await addCase({
      node: env.ids.grid!,
      category: cat.light!,
      stage: 'reported',
      createdAt: '2020-01-01T00:00:00Z',
    });
    caseIds.hidden = await addCase({ node: env.ids.grid!, category: cat.hidden!, stage: 'reported' });
    caseIds.outside = await addCase({ node: otherCommunity, category: cat.light!, stage: 'reported' });
    caseIds.tokened = await addCase({
      node: env.ids.grid!,
      category: cat.urgent!,
      stage: 'reported',
      token: 'tok_conformance_0001',
      source: 'open311',
      address: '东关路 8 号门口',
    });
  });

  describe('discovery and services', () => {
    it('answers the discovery document in both formats', async () => {
      const j = await get('/open311/v2/discovery.json');
      expect(j.statusCode).toBe(200);
      expect(j.headers['content-type']).toMatch(/^application\/json/);
      expect(j.json()).toMatchObject({
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: 'http://localhost:80/open311/v2/',
            formats: ['text/xml', 'application/json'],
          },
        ],
      });
      const x = await get('/open311/v2/discovery.xml');
      expect(x.statusCode).toBe(200);
      expect(x.headers['content-type']).toMatch(/^text\/xml/);
      expect(x.body.startsWith('<?xml version="1.0" encoding="utf-8"?><discovery>')).toBe(true);
      const doc = xml.parse(x.body).discovery;
      expect(doc.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
    });

    it('lists public active leaf categories as services, without groups or private ones', async () => {
      const j = await get('/open311/v2/services.json');
      expect(j.statusCode).toBe(200);
      const items = j.json() as {
        service_code: string;
        group: string;
        metadata: boolean;
        type: string;
        service_name: string;
      }[];
      const codes = items.map((s) => s.service_code);
      expect(codes).toEqual(expect.arrayContaining(['t311-light', 't311-leak']));
      expect(codes).not.toContain('t311-group');
      expect(codes).not.toContain('t311-private');
      expect(items.find((s) => s.service_code === 't311-light')).toEqual({
        service_code: 't311-light',
        service_name: '测试t311-light',
        description: '测试t311-light',
        metadata: false,
        type: 'realtime',
        keywords: '测试t311-light,Test t311-light',
        group: '测试t311-group',
      });
      const en = await inject({
        method: 'GET',
        url: '/open311/v2/services.json',
        headers: { 'accept-language': 'en' },
      });
      expect(
        (en.json() as { service_code: string; service_name: string }[]).find((s) => s.service_code === 't311-light')
          ?.service_name,
      ).toBe('Test t311-light');
      const x = await get('/open311/v2/services.xml');
      const services = xml.parse(x.body).services.service as { service_code: string; metadata: string }[];
      expect(services.find((s) => s.service_code === 't311-leak')).toMatchObject({
        metadata: 'false',
        type: 'realtime',
      });
      expect(services.map((s) => s.service_code)).not.toContain('t311-private');
    });

    it('answers a service definition, and 404 for an unknown or private service code', async () => {
      const j = await get('/open311/v2/services/t311-light.json');
      expect(j.statusCode).toBe(200);
      expect(j.json()).toEqual({ service_code: 't311-light', attributes: [] });
      const x = await get('/open311/v2/services/t311-light.xml');
      expect(xml.parse(x.body).service_definition.service_code).toBe('t311-light');
      expectError(await get('/open311/v2/services/nope.json'), 404, /nope/);
      expectError(await get('/open311/v2/services/t311-private.xml'), 404, /t311-private/);
      expectError(await get('/open311/v2/services/t311-light.csv'), 404, /json/);
    });

    it('answers unknown endpoints with a 404 in Open311 format', async () => {
      expectError(await get('/open311/v2/nothing.json'), 404, /没有此接口/);
      expectError(await get('/open311/v2/nothing.xml'), 404, /没有此接口/);
      const en = await inject({
        method: 'GET',
        url: '/open311/v2/nothing.xml',
        headers: { 'accept-language': 'en-US' },
      });
      expectError(en, 404, /No such endpoint/);
    });
  });

  describe('GET requests', () => {
    it('refuses a missing (400), wrong (403) or revoked (403) api_key in both formats', async () => {
      for (const f of ['json', 'xml']) {
        expectError(await get(`/open311/v2/requests.${f}`), 400, /api_key/);
        expectError(await get(`/open311/v2/requests.${f}?api_key=o311_wrongkey_${'x'.repeat(43)}`), 403, /api_key/);
        expectError(await get(`/open311/v2/requests.${f}?api_key=garbage`), 403, /api_key/);
        expectError(await get(`/open311/v2/requests.${f}?api_key=${revokedKey}`), 403, /api_key/);
        expectError(await get(`/open311/v2/requests/${caseIds.open}.${f}`), 400, /api_key/);
        expectError(await get(`/open311/v2/tokens/tok_conformance_0001.${f}?api_key=${revokedKey}`), 403, /api_key/);
      }
      // A control: the same request with the key answers.
      expect((await get(`/open311/v2/requests.json?api_key=${key}`)).statusCode).toBe(200);
    });

    it('lists the requests of the key’s area in the last 90 days, public categories only, nothing personal', async () => {
      const res = await get(`/open311/v2/requests.json?api_key=${encodeURIComponent(key)}`);
      expect(res.statusCode).toBe(200);
      const items = res.json() as Req[];
      const ids = items.map((r) => Number(r.service_request_id));
      expect(ids).toEqual(expect.arrayContaining([caseIds.open, caseIds.closed, caseIds.tokened]));
      expect(ids).not.toContain(caseIds.outside);
      expect(ids).not.toContain(caseIds.hidden);
      expect(ids).not.toContain(caseIds.old);
      const open = items.find((r) => Number(r.service_request_id) === caseIds.open)!;
      expect(open).toEqual({
        service_request_id: String(caseIds.open),
        status: 'open',
        status_notes: '处置中',
        service_name: '测试t311-light',
        service_code: 't311-light',
        description: '东门路灯坏了三天',
        agency_responsible: null,
        service_notice: null,
        requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/),
        updated_datetime: expect.stringMatching(/\+08:00$/),
        expected_datetime: '2026-12-20T09:00:00+08:00',
        address: '东关社区 第一网格 1号微网格 1号楼',
        address_id: String(env.ids.building),
        zipcode: null,
        lat: 36.1,
        long: 117.1,
        media_url: null,
      });
      const closed = items.find((r) => Number(r.service_request_id) === caseIds.closed)!;
      expect(closed).toMatchObject({ status: 'closed', status_notes: '已结案', expected_datetime: null });
      // What an Open311 client sent as the address comes back to it; nobody's name, phone or room does.
      expect(items.find((r) => Number(r.service_request_id) === caseIds.tokened)?.address).toBe('东关路 8 号门口');
      expect(res.body).not.toContain('王秘密');
      expect(res.body).not.toContain('138****0001');
      expect(res.body).not.toContain('301');
      const other = await get(`/open311/v2/requests.json?api_key=${otherKey}`);
      expect((other.json() as Req[]).map((r) => Number(r.service_request_id))).toEqual([caseIds.outside]);
    });

    it('answers the same list in XML, English stage names on request', async () => {
      const res = await inject({
        method: 'GET',
        url: `/open311/v2/requests.xml?api_key=${key}`,
        headers: { 'accept-language': 'en' },
      });
      expect(res.statusCode).toBe(200);
      const reqs = xml.parse(res.body).service_requests.request as Req[];
      const open = reqs.find((r) => Number(r.service_request_id) === caseIds.open)!;
      expect(open).toMatchObject({
        status: 'open',
        status_notes: 'Being handled',
        service_code: 't311-light',
        zipcode: '',
        media_url: '',
      });
      expect(res.body).not.toContain('王秘密');
    });

    it('maps every stage to open or closed, with the parked review date and the merge target in status_notes', async () => {
      const parked = await addCase({ node: env.ids.grid!, category: cat.light!, stage: 'parked' });
      await env.db.query(`UPDATE cases SET parked_until = '2027-01-10', parked_from_stage = 'handling' WHERE id = $1`, [
        parked,
      ]);
      const merged = await addCase({ node: env.ids.grid!, category: cat.light!, stage: 'merged' });
      await env.db.query('UPDATE cases SET merged_into_id = $2 WHERE id = $1', [merged, caseIds.open]);
      const stages: Record<string, 'open' | 'closed'> = {
        reported: 'open',
        dispatched: 'open',
        whistled: 'open',
        escalated: 'open',
        handled: 'open',
        cancelled: 'closed',
      };
      const byStage: Record<string, number> = {};
      for (const stage of Object.keys(stages))
        byStage[stage] = await addCase({ node: env.ids.grid!, category: cat.light!, stage });
      const ids = [parked, merged, ...Object.values(byStage)].join(',');
      const zh = (await get(`/open311/v2/requests.json?api_key=${key}&service_request_id=${ids}`)).json() as Req[];
      const find = (list: Req[], id: number) => list.find((r) => Number(r.service_request_id) === id)!;
      expect(find(zh, parked)).toMatchObject({ status: 'open', status_notes: '挂账，至 2027-01-10 复查' });
      expect(find(zh, merged)).toMatchObject({ status: 'closed', status_notes: `已合并：见请求 ${caseIds.open}` });
      for (const [stage, status] of Object.entries(stages)) expect(find(zh, byStage[stage]!).status).toBe(status);
      const en = await inject({
        method: 'GET',
        url: `/open311/v2/requests.xml?api_key=${key}&service_request_id=${parked},${merged}`,
        headers: { 'accept-language': 'en' },
      });
      const reqs = xml.parse(en.body).service_requests.request as Req[];
      expect(find(reqs, parked).status_notes).toBe('Parked until 2027-01-10');
      expect(find(reqs, merged).status_notes).toBe(`Merged as duplicate: see request ${caseIds.open}`);
      await env.db.query('DELETE FROM cases WHERE id = ANY($1::bigint[])', [
        [parked, merged, ...Object.values(byStage)],
      ]);
    });

    it('filters by service_code, status, dates and service_request_id', async () => {
      const ids = async (qs: string) =>
        ((await get(`/open311/v2/requests.json?api_key=${key}&${qs}`)).json() as Req[])
          .map((r) => Number(r.service_request_id))
          .sort((a, b) => a - b);
      expect(await ids('service_code=t311-leak')).toEqual([caseIds.tokened]);
      expect(await ids('status=closed')).toEqual([caseIds.closed]);
      expect(await ids('status=open&service_code=t311-light')).toEqual([caseIds.open]);
      expect(await ids('start_date=2019-12-01T00:00:00Z&end_date=2020-02-01T00:00:00Z')).toEqual([caseIds.old]);
      expect(await ids('start_date=2019-12-31')).toEqual([caseIds.old]);
      // service_request_id overrides the other filters and the window, but never the key's area.
      expect(await ids(`service_request_id=${caseIds.old},${caseIds.outside},${caseIds.hidden}&status=closed`)).toEqual(
        [caseIds.old],
      );
    });

    it('refuses bad dates, a reversed or too long window, a bad status and bad ids with 400', async () => {
      for (const f of ['json', 'xml']) {
        const url = `/open311/v2/requests.${f}?api_key=${key}`;
        expectError(await get(`${url}&start_date=yesterday`), 400, /start_date/);
        expectError(await get(`${url}&end_date=2026-02-30T00:00:00Z`), 400, /end_date/);
        expectError(await get(`${url}&start_date=2026-13-01`), 400, /start_date/);
        expectError(await get(`${url}&start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z`), 400, /90/);
        expectError(await get(`${url}&start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`), 400, /90/);
        expectError(await get(`${url}&status=pending`), 400, /open|closed/);
        expectError(await get(`${url}&service_request_id=1,x`), 400, /service_request_id/);
      }
    });

    it('answers one request by id in both formats; 404 outside the area, for private categories or unknown ids', async () => {
      const j = await get(`/open311/v2/requests/${caseIds.open}.json?api_key=${key}`);
      expect(j.statusCode).toBe(200);
      expect(j.json()).toEqual([expect.objectContaining({ service_request_id: String(caseIds.open), status: 'open' })]);
      const x = await get(`/open311/v2/requests/${caseIds.closed}.xml?api_key=${key}`);
      expect(xml.parse(x.body).service_requests.request[0]).toMatchObject({
        service_request_id: String(caseIds.closed),
        status: 'closed',
      });
      expectError(
        await get(`/open311/v2/requests/${caseIds.outside}.json?api_key=${key}`),
        404,
        new RegExp(String(caseIds.outside)),
      );
      expectError(
        await get(`/open311/v2/requests/${caseIds.hidden}.xml?api_key=${key}`),
        404,
        new RegExp(String(caseIds.hidden)),
      );
      expectError(await get(`/open311/v2/requests/99999999.json?api_key=${key}`), 404, /99999999/);
      expectError(await get(`/open311/v2/requests/abc.json?api_key=${key}`), 404, /abc/);
    });

    it('resolves a token to its request in both formats, only for the key’s area', async () => {
      const j = await get(`/open311/v2/tokens/tok_conformance_0001.json?api_key=${key}`);
      expect(j.statusCode).toBe(200);
      expect(j.json()).toEqual([{ service_request_id: String(caseIds.tokened), token: 'tok_conformance_0001' }]);
      const x = await get(`/open311/v2/tokens/tok_conformance_0001.xml?api_key=${key}`);
      expect(xml.parse(x.body).service_requests.request[0]).toEqual({
        service_request_id: String(caseIds.tokened),
        token: 'tok_conformance_0001',
      });
      expectError(await get(`/open311/v2/tokens/tok_conformance_0001.json?api_key=${otherKey}`), 404, /token/);
      expectError(await get(`/open311/v2/tokens/unknown_token_1.xml?api_key=${key}`), 404, /token/);
    });
  });

  describe('POST requests: refusals write nothing', () => {
    const post = (format: 'json' | 'xml', form: Record<string, string>, headers: Record<string, string> = {}) =>
      inject({
        method: 'POST',
        url: `/open311/v2/requests.${format}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams(form).toString(),
      });
    const good = () => ({
      api_key: key,
      service_code: 't311-light',
      lat: '36.05',
      long: '117.05',
      description: '路灯不亮',
    });

    it('refuses missing or wrong api_key, unknown service_code, missing or outside location, bad coordinates', async () => {
      const before = await countCases();
      for (const f of ['json', 'xml'] as const) {
        const { api_key: _k, ...noKey } = good();
        expectError(await post(f, noKey), 400, /api_key/);
        expectError(await post(f, { ...good(), api_key: `o311_abcdefgh_${'y'.repeat(43)}` }), 403, /api_key/);
        expectError(await post(f, { ...good(), api_key: revokedKey }), 403, /api_key/);
        const { service_code: _s, ...noService } = good();
        expectError(await post(f, noService), 400, /service_code/);
        expectError(await post(f, { ...good(), service_code: 'no-such-service' }), 400, /no-such-service/);
        expectError(await post(f, { ...good(), service_code: 't311-private' }), 400, /t311-private/);
        const { lat: _a, long: _b, ...noPlace } = good();
        expectError(await post(f, noPlace), 400, /lat|位置/);
        // Outside the community's drawn boundary; a node of another community.
        expectError(await post(f, { ...good(), lat: '30.0', long: '110.0' }), 400, /区域|area/);
        expectError(await post(f, { ...good(), lat: '35.95', long: '117.45' }), 400, /区域|area/);
        expectError(await post(f, { ...noPlace, address_id: String(otherCommunity) }), 400, /区域|area/);
        expectError(await post(f, { ...good(), lat: '91' }), 400, /lat/);
        expectError(await post(f, { ...good(), long: 'east' }), 400, /long/);
        expectError(await post(f, { ...good(), lat: '36.05', long: '' }), 400, /long/);
        expectError(await post(f, { ...good(), description: 'x'.repeat(2001) }), 400, /description/);
      }
      // JSON bodies are refused the same way; other bodies are 415.
      const json = await inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        payload: { service_code: 't311-light' },
      });
      expectError(json, 400, /api_key/);
      const text = await inject({
        method: 'POST',
        url: '/open311/v2/requests.xml',
        headers: { 'content-type': 'text/plain' },
        payload: 'api_key=x',
      });
      expectError(text, 415, /x-www-form-urlencoded/);
      expect(await countCases()).toBe(before);
    });

    it('refuses a cross-site browser POST in Open311 format, while /api keeps its own rules', async () => {
      const before = await countCases();
      const res = await post('xml', good(), { origin: 'https://evil.example' });
      expectError(res, 403, /浏览器|browser/);
      expect(await countCases()).toBe(before);
      // The key is no credential for /api, and /api still wants a session there.
      const api = await inject({
        method: 'GET',
        url: '/api/cases/open311-clients',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(api.statusCode).toBe(401);
      expect(api.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
      const anon = await inject({ method: 'GET', url: '/api/cases/open311-clients' });
      expect(anon.statusCode).toBe(401);
      expect(anon.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    });
  });

  describe('POST requests: filing cases', () => {
    const form = (format: 'json' | 'xml', fields: Record<string, string>) =>
      inject({
        method: 'POST',
        url: `/open311/v2/requests.${format}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });

    it('files a form POST as a case of the grid holding the point, contact sealed, and answers id and token', async () => {
      const before = await countCases();
      const res = await form('json', {
        api_key: key,
        service_code: 't311-light',
        lat: '36.05',
        long: '117.05',
        description: '东门路灯不亮',
        first_name: '明',
        last_name: '王',
        phone: '13800138000',
        email: 'wang@example.com',
        'attribute[ignored]': 'x',
      });
      expect(res.statusCode, res.body).toBe(201);
      const [answer] = res.json() as { service_request_id: string; token: string; service_notice: string | null }[];
      expect(answer).toEqual({
        service_request_id: expect.stringMatching(/^\d+$/),
        token: expect.any(String),
        service_notice: null,
      });
      expect(await countCases()).toBe(before + 1);
      const [row] = await env.db.query<Record<string, unknown>>(
        `SELECT source, stage, reporter_id, contact_name, contact_phone_masked, contact_phone_sealed IS NOT NULL AS sealed,
           node_id::int AS node_id, lat, lng, description, open311_token, category_id::int AS category_id
         FROM cases WHERE id = $1`,
        [Number(answer!.service_request_id)],
      );
      expect(row).toEqual({
        source: 'open311',
        stage: 'reported',
        reporter_id: null,
        contact_name: '王明',
        contact_phone_masked: expect.stringMatching(/^138\*+8000$/),
        sealed: true,
        node_id: env.ids.grid,
        lat: 36.05,
        lng: 117.05,
        description: '东门路灯不亮',
        open311_token: answer!.token,
        category_id: cat.light,
      });
      const audit = await env.db.query<{ actor_id: number | null; actor_name: string }>(
        `SELECT actor_id, actor_name FROM audit_log WHERE action = 'case.report' AND target_id = $1`,
        [answer!.service_request_id],
      );
      expect(audit).toEqual([{ actor_id: null, actor_name: 'Open311 · 12345 热线' }]);
      // Read back through GET: open, awaiting acceptance, nothing personal.
      const one = await get(`/open311/v2/requests/${answer!.service_request_id}.json?api_key=${key}`);
      expect(one.json()).toEqual([
        expect.objectContaining({
          status: 'open',
          status_notes: '待受理',
          service_code: 't311-light',
          lat: 36.05,
          long: 117.05,
        }),
      ]);
      expect(one.body).not.toContain('王明');
      expect(one.body).not.toContain('8000');
      const tok = await get(`/open311/v2/tokens/${answer!.token}.xml?api_key=${key}`);
      expect(xml.parse(tok.body).service_requests.request[0].service_request_id).toBe(answer!.service_request_id);
      // The community's workers see it on their board, contact masked.
      const detail = await env.as('shequ', { method: 'GET', url: `/api/cases/${answer!.service_request_id}` });
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({
        source: 'open311',
        stage: 'reported',
        contactPhoneMasked: expect.stringMatching(/^138/),
      });
    });

    it('files a JSON POST at an address_id and answers in XML, with a notice for an urgent service', async () => {
      const res = await inject({
        method: 'POST',
        url: '/open311/v2/requests.xml',
        payload: {
          api_key: key,
          service_code: 't311-leak',
          address_id: String(env.ids.building),
          address_string: '1号楼东侧',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      const r = xml.parse(res.body).service_requests.request[0] as {
        service_request_id: string;
        token: string;
        service_notice: string;
      };
      expect(r.service_notice).toMatch(/紧急/);
      const [row] = await env.db.query<{ node_id: number; address: string; source: string }>(
        'SELECT node_id::int AS node_id, address, source FROM cases WHERE id = $1',
        [Number(r.service_request_id)],
      );
      expect(row).toEqual({ node_id: env.ids.building, address: '1号楼东侧', source: 'open311' });
    });

    it('places an address alone only for a grid’s key, and refuses points it cannot place in a grid', async () => {
      const before = await countCases();
      expectError(
        await form('json', { api_key: key, service_code: 't311-light', address_string: '东关路 8 号' }),
        400,
        /网格/,
      );
      // Inside the community's outline, in none of its drawn grids.
      expectError(
        await form('xml', { api_key: key, service_code: 't311-light', lat: '36.35', long: '117.35' }),
        400,
        /网格/,
      );
      expectError(
        await form('json', { api_key: key, service_code: 't311-light', address_id: String(community) }),
        400,
        /网格/,
      );
      expectError(
        await form('json', { api_key: key, service_code: 't311-light', lat: '36.05', long: '117.05', phone: '12345' }),
        400,
        /phone/,
      );
      expect(await countCases()).toBe(before);
      const gridKey = (await newKey('网格热线', env.ids.grid!)).apiKey;
      const res = await form('json', { api_key: gridKey, service_code: 't311-light', address_string: '东关路 8 号' });
      expect(res.statusCode, res.body).toBe(201);
      const [row] = await env.db.query<{ node_id: number; address: string }>(
        'SELECT node_id::int AS node_id, address FROM cases WHERE id = $1',
        [Number((res.json() as { service_request_id: string }[])[0]!.service_request_id)],
      );
      expect(row).toEqual({ node_id: env.ids.grid, address: '东关路 8 号' });
    });
  });

  describe('key management (/api/cases/open311-clients)', () => {
    it('shows a new key once, keeps only its hash, lists and revokes it, each audited', async () => {
      const created = await newKey('区数字城管', community);
      expect(created.apiKey).toMatch(/^o311_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      expect(created.apiKey.startsWith(created.client.keyPrefix)).toBe(true);
      const [row] = await env.db.query<{
        key_hash: Buffer;
        key_prefix: string;
        county_id: number;
        created_by: number | null;
      }>(
        'SELECT key_hash, key_prefix, county_id::int AS county_id, created_by::int AS created_by FROM open311_clients WHERE id = $1',
        [created.client.id],
      );
      expect(row!.key_hash.toString('hex')).not.toContain(Buffer.from(created.apiKey).toString('hex'));
      expect(row!.county_id).toBe(countyId);
      expect(row!.created_by).not.toBeNull();
      const list = await env.as('admin', { method: 'GET', url: '/api/cases/open311-clients' });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(created.apiKey);
      expect(list.json().items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: created.client.id,
            name: '区数字城管',
            nodeName: '东关社区',
            revokedAt: null,
            lastUsedAt: null,
          }),
        ]),
      );
      expect((await get(`/open311/v2/requests.json?api_key=${created.apiKey}`)).statusCode).toBe(200);
      const used = await env.as('admin', { method: 'GET', url: '/api/cases/open311-clients' });
      expect(used.json().items.find((c: { id: number }) => c.id === created.client.id).lastUsedAt).not.toBeNull();
      const del = await env.as('admin', { method: 'DELETE', url: `/api/cases/open311-clients/${created.client.id}` });
      expect(del.statusCode).toBe(200);
      expect(del.json()).toMatchObject({ id: created.client.id, revokedAt: expect.any(String) });
      expectError(await get(`/open311/v2/requests.json?api_key=${created.apiKey}`), 403, /api_key/);
      const again = await env.as('admin', { method: 'DELETE', url: `/api/cases/open311-clients/${created.client.id}` });
      expect(again.statusCode).toBe(404);
      expect(again.json()).toMatchObject({ code: 'OPEN311_CLIENT_NOT_FOUND' });
      const audit = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'open311_client' AND target_id = $1 ORDER BY id`,
        [String(created.client.id)],
      );
      expect(audit.map((a) => a.action)).toEqual(['open311_client.create', 'open311_client.revoke']);
    });

    it('refuses an area below a grid, an unknown node, and anyone but the system administrator', async () => {
      const bad = await env.as('admin', {
        method: 'POST',
        url: '/api/cases/open311-clients',
        payload: { name: 'x', nodeId: env.ids.building },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'OPEN311_NODE_INVALID', field: 'nodeId' });
      const none = await env.as('admin', {
        method: 'POST',
        url: '/api/cases/open311-clients',
        payload: { name: 'x', nodeId: 99999999 },
      });
      expect(none.statusCode).toBe(404);
      expect(none.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND', field: 'nodeId' });
      const jiedao = await env.as('jiedao', {
        method: 'POST',
        url: '/api/cases/open311-clients',
        payload: { name: 'x', nodeId: community },
      });
      expect(jiedao.statusCode).toBe(403);
      expect(jiedao.json()).toMatchObject({ code: 'FORBIDDEN' });
    });
  });
});
