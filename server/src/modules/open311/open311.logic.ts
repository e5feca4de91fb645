import { createHash, randomBytes } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import type { Locale } from '../../platform/errors/errors.js';
import type { StageType } from '../cases/cases.schemas.js';

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), pure parts: formats, errors, dates, the mapping of
 * Linli's stages to open/closed, the XML documents and the point-in-boundary test for a client's area.
 */

export type Format = 'json' | 'xml';

/** GET requests answers at most this many requests, and a window of this many days by default (the spec's). */
export const MAX_REQUESTS = 1000;
export const DEFAULT_WINDOW_DAYS = 90;

// ---- errors --------------------------------------------------------------------------------------------------

export type Open311ErrorKey =
  | 'API_KEY_MISSING'
  | 'API_KEY_INVALID'
  | 'SERVICE_CODE_MISSING'
  | 'SERVICE_NOT_FOUND'
  | 'LOCATION_MISSING'
  | 'LOCATION_OUTSIDE'
  | 'LOCATION_INVALID'
  | 'LOCATION_UNPLACEABLE'
  | 'DATE_INVALID'
  | 'DATE_RANGE_INVALID'
  | 'STATUS_INVALID'
  | 'REQUEST_ID_INVALID'
  | 'REQUEST_NOT_FOUND'
  | 'TOKEN_NOT_FOUND'
  | 'PARAM_INVALID'
  | 'FORMAT_UNSUPPORTED'
  | 'NOT_FOUND'
  | 'BODY_UNSUPPORTED'
  | 'BODY_TOO_LARGE'
  | 'ORIGIN_REFUSED'
  | 'REFUSED'
  | 'RATE_LIMITED'
  | 'INTERNAL';

const OPEN311_ERRORS: Record<Open311ErrorKey, { status: number; 'zh-CN': string; en: string }> = {
  API_KEY_MISSING: { status: 400, 'zh-CN': '缺少 api_key', en: 'api_key is required' },
  API_KEY_INVALID: { status: 403, 'zh-CN': 'api_key 无效或已吊销', en: 'Invalid or revoked api_key' },
  SERVICE_CODE_MISSING: { status: 400, 'zh-CN': '缺少 service_code', en: 'service_code is required' },
  SERVICE_NOT_FOUND: {
    status: 404,
    'zh-CN': '没有服务代码为 {code} 的服务',
    en: 'There is no service with service_code {code}',
  },
  LOCATION_MISSING: {
    status: 400,
    'zh-CN': '须提供位置：lat 和 long，或 address_string，或 address_id',
    en: 'A location is required: lat and long, or address_string, or address_id',
  },
  LOCATION_OUTSIDE: {
    status: 400,
    'zh-CN': '位置不在此 api_key 的服务区域内',
    en: 'The location lies outside the area of this api_key',
  },
  LOCATION_UNPLACEABLE: {
    status: 400,
    'zh-CN': '无法把位置落到网格：请提供网格内的 lat 和 long，或网格、楼栋的 address_id',
    en: 'The location cannot be placed in a grid: send lat and long inside a grid, or the address_id of a grid or building',
  },
  LOCATION_INVALID: { status: 400, 'zh-CN': '{param} 不是有效的坐标', en: '{param} is not a valid coordinate' },
  DATE_INVALID: {
    status: 400,
    'zh-CN': '{param} 不是 W3C 格式的日期时间（如 2026-12-01T00:00:00+08:00）',
    en: '{param} is not a W3C date-time (e.g. 2026-12-01T00:00:00+08:00)',
  },
  DATE_RANGE_INVALID: {
    status: 400,
    'zh-CN': 'start_date 须早于 end_date，且相隔不超过 {days} 天',
    en: 'start_date must be before end_date and at most {days} days apart',
  },
  STATUS_INVALID: { status: 400, 'zh-CN': 'status 只能是 open 或 closed', en: 'status must be open or closed' },
  REQUEST_ID_INVALID: {
    status: 400,
    'zh-CN': 'service_request_id 应为以逗号分隔的数字',
    en: 'service_request_id must be comma-separated numbers',
  },
  REQUEST_NOT_FOUND: {
    status: 404,
    'zh-CN': '没有编号为 {id} 的服务请求',
    en: 'There is no service request {id}',
  },
  TOKEN_NOT_FOUND: { status: 404, 'zh-CN': '没有此 token', en: 'There is no such token' },
  PARAM_INVALID: { status: 400, 'zh-CN': '参数 {param} 无效：{detail}', en: 'Parameter {param} is invalid: {detail}' },
  FORMAT_UNSUPPORTED: { status: 404, 'zh-CN': '只支持 .json 和 .xml', en: 'Only .json and .xml are served' },
  NOT_FOUND: { status: 404, 'zh-CN': '没有此接口', en: 'No such endpoint' },
  BODY_UNSUPPORTED: {
    status: 415,
    'zh-CN': '请以 application/x-www-form-urlencoded 或 application/json 提交',
    en: 'Send application/x-www-form-urlencoded or application/json',
  },
  BODY_TOO_LARGE: { status: 413, 'zh-CN': '请求体过大', en: 'The request body is too large' },
  ORIGIN_REFUSED: {
    status: 403,
    'zh-CN': '不接受来自浏览器其他站点的请求，请由服务器调用',
    en: 'Requests from other sites in a browser are refused; call from a server',
  },
  REFUSED: { status: 400, 'zh-CN': '{detail}', en: '{detail}' },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误（请求编号 {id}）', en: 'Internal error (request {id})' },
};

/** An error answered in Open311's own format (`[{code, description}]`, `<errors><error>…`). */
export class Open311Error extends Error {
  readonly key: Open311ErrorKey;
  readonly status: number;
  readonly params: Record<string, string | number>;
  constructor(key: Open311ErrorKey, params: Record<string, string | number> = {}, status?: number) {
    super(key);
    this.name = 'Open311Error';
    this.key = key;
    this.params = params;
    this.status = status ?? OPEN311_ERRORS[key].status;
  }
}

export function describeOpen311Error(err: Open311Error, locale: Locale): string {
  const tmpl = OPEN311_ERRORS[err.key][locale];
  return tmpl.replace(/\{(\w+)\}/g, (_, k: string) => (k in err.params ? String(err.params[k]) : `{${k}}`));
}

export type Open311ErrorItem = { code: number; description: string };

// ---- api keys ------------------------------------------------------------------------------------------------

const API_KEY_RE = /^o311_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/;

/** A new key: shown once; only its SHA-256 and its prefix (to tell keys apart in lists) are kept. */
export function newOpen311Key(): { key: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  return { key: `o311_${prefix}_${randomBytes(32).toString('base64url')}`, prefix: `o311_${prefix}` };
}

export function isOpen311KeyShape(key: string): boolean {
  return API_KEY_RE.test(key);
}

export function hashOpen311Key(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** The token a POST answers with (GET tokens/{token} resolves it to the request). */
export function newRequestToken(): string {
  return randomBytes(16).toString('base64url');
}

export function isRequestTokenShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{8,64}$/.test(token);
}

/** A URL for the log: Open311 GET requests carry their api_key in the query string, and a log is no place for it. */
export function redactApiKey(url: unknown): unknown {
  return typeof url === 'string' ? url.replace(/([?&]api_key=)[^&#]*/gi, '$1[redacted]') : url;
}

// ---- stages --------------------------------------------------------------------------------------------------

/** Open311 knows two states: Linli's open and in-progress stages are open; fixed and closed ones are closed. */
export function open311Status(type: StageType): 'open' | 'closed' {
  return type === 'open' || type === 'in_progress' ? 'open' : 'closed';
}

/** The stage types a status filter keeps. */
export function stageTypesOf(status: 'open' | 'closed'): StageType[] {
  return status === 'open' ? ['open', 'in_progress'] : ['fixed', 'closed'];
}

// ---- dates ---------------------------------------------------------------------------------------------------

/** W3C date-time (ISO 8601 with a zone, or a bare date taken as Shanghai's midnight). */
const W3C_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export function parseW3cDate(raw: string, param: string): Date {
  const s = raw.trim();
  if (!W3C_RE.test(s)) throw new Open311Error('DATE_INVALID', { param });
  const d = new Date(s.length === 10 ? `${s}T00:00:00+08:00` : s);
  if (Number.isNaN(d.getTime())) throw new Open311Error('DATE_INVALID', { param });
  // Reject what Date silently rolls over (2026-02-30).
  const day = s.slice(0, 10);
  const [y, m, dd] = day.split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(y, m - 1, dd));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== dd) {
    throw new Open311Error('DATE_INVALID', { param });
  }
  return d;
}

/**
 * The window GET requests covers: both ends given, one end (the other DEFAULT_WINDOW_DAYS away), or neither (the
 * last DEFAULT_WINDOW_DAYS days). A window longer than that, or reversed, is refused rather than silently cut.
 */
export function requestWindow(start: Date | null, end: Date | null, now: Date): { from: Date; to: Date } {
  const span = DEFAULT_WINDOW_DAYS * 86_400_000;
  const to = end ?? (start ? new Date(start.getTime() + span) : now);
  const from = start ?? new Date(to.getTime() - span);
  if (from.getTime() > to.getTime() || to.getTime() - from.getTime() > span) {
    throw new Open311Error('DATE_RANGE_INVALID', { days: DEFAULT_WINDOW_DAYS });
  }
  return { from, to };
}

/** A time as W3C date-time in Shanghai time (+08:00, China keeps no daylight saving). */
export function w3c(d: Date | null): string | null {
  if (d === null) return null;
  const local = new Date(d.getTime() + 8 * 3_600_000);
  return `${local.toISOString().slice(0, 19)}+08:00`;
}

// ---- GET requests query --------------------------------------------------------------------------------------

export type RequestsFilter = {
  ids: number[] | null;
  serviceCodes: string[] | null;
  statuses: ('open' | 'closed')[] | null;
  /** null with service_request_id: no window. */
  from: Date | null;
  to: Date | null;
};

function listParam(raw: unknown): string[] | null {
  if (raw === undefined || raw === null) return null;
  const s = String(raw).trim();
  if (s === '') return null;
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * The filters of GET requests. Given service_request_id, the spec says the other filters are ignored (and so is
 * the date window).
 */
export function parseRequestsQuery(q: Record<string, unknown>, now: Date): RequestsFilter {
  const ids = listParam(q.service_request_id);
  if (ids) {
    if (ids.length > MAX_REQUESTS || ids.some((i) => !/^\d{1,15}$/.test(i)))
      throw new Open311Error('REQUEST_ID_INVALID');
    return { ids: ids.map(Number), serviceCodes: null, statuses: null, from: null, to: null };
  }
  const serviceCodes = listParam(q.service_code);
  if (serviceCodes?.some((c) => !/^[A-Za-z0-9_.-]{1,40}$/.test(c))) {
    throw new Open311Error('PARAM_INVALID', { param: 'service_code', detail: 'format' });
  }
  const statusList = listParam(q.status);
  if (statusList?.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error('STATUS_INVALID');
  const start =
    q.start_date === undefined || q.start_date === '' ? null : parseW3cDate(String(q.start_date), 'start_date');
  const end = q.end_date === undefined || q.end_date === '' ? null : parseW3cDate(String(q.end_date), 'end_date');
  const { from, to } = requestWindow(start, end, now);
  return { ids: null, serviceCodes, statuses: statusList as ('open' | 'closed')[] | null, from, to };
}

// ---- POST requests -------------------------------------------------------------------------------------------

export type PostLocation =
  | { kind: 'point'; lat: number; lng: number; address: string | null }
  | { kind: 'node'; nodeId: number; address: string | null }
  | { kind: 'address'; address: string };

export type ParsedPost = {
  apiKey: string;
  serviceCode: string;
  location: PostLocation;
  description: string | null;
  contactName: string | null;
  contactPhone: string | null;
  externalId: string | null;
};

function str(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return str(v[0]);
  const s = String(v).trim();
  return s === '' ? null : s;
}

function bounded(v: unknown, param: string, max: number): string | null {
  const s = str(v);
  if (s !== null && s.length > max) throw new Open311Error('PARAM_INVALID', { param, detail: `> ${max}` });
  return s;
}

/** A person's name from first_name/last_name: Chinese names run family name first, without a space. */
export function contactNameOf(first: string | null, last: string | null): string | null {
  if (!first && !last) return null;
  if (!first) return last;
  if (!last) return first;
  const cjk = /[\u3400-\u9fff]/.test(first + last);
  return cjk ? `${last}${first}` : `${first} ${last}`;
}

/**
 * Reads a POST requests body (form fields or JSON): the api_key first, then the service, then a location. Fields
 * Linli does not keep (email, device_id, account_id, media_url, attribute[…]) are accepted and ignored, except
 * that the phone and name become the case's contact (sealed, never shown by GET).
 */
export function parsePostBody(body: Record<string, unknown>): ParsedPost {
  const apiKey = str(body.api_key);
  if (apiKey === null) throw new Open311Error('API_KEY_MISSING');
  const serviceCode = str(body.service_code);
  if (serviceCode === null) throw new Open311Error('SERVICE_CODE_MISSING');
  const address = bounded(body.address_string, 'address_string', 200);
  const latRaw = str(body.lat);
  const lngRaw = str(body.long);
  const addressId = str(body.address_id);
  let location: PostLocation;
  if (latRaw !== null || lngRaw !== null) {
    const lat = Number(latRaw);
    const lng = Number(lngRaw);
    if (latRaw === null || !Number.isFinite(lat) || lat < -90 || lat > 90) {
      throw new Open311Error('LOCATION_INVALID', { param: 'lat' });
    }
    if (lngRaw === null || !Number.isFinite(lng) || lng < -180 || lng > 180) {
      throw new Open311Error('LOCATION_INVALID', { param: 'long' });
    }
    location = { kind: 'point', lat, lng, address };
  } else if (addressId !== null) {
    if (!/^\d{1,15}$/.test(addressId)) throw new Open311Error('LOCATION_INVALID', { param: 'address_id' });
    location = { kind: 'node', nodeId: Number(addressId), address };
  } else if (address !== null) {
    location = { kind: 'address', address };
  } else {
    throw new Open311Error('LOCATION_MISSING');
  }
  const phone = bounded(body.phone, 'phone', 20);
  if (phone !== null && phone.length < 5) throw new Open311Error('PARAM_INVALID', { param: 'phone', detail: '< 5' });
  const name = contactNameOf(bounded(body.first_name, 'first_name', 20), bounded(body.last_name, 'last_name', 20));
  return {
    apiKey,
    serviceCode,
    location,
    description: bounded(body.description, 'description', 2000),
    contactName: name === null ? null : name.slice(0, 40),
    contactPhone: phone,
    externalId: bounded(body.external_id, 'external_id', 64),
  };
}

// ---- documents -----------------------------------------------------------------------------------------------

export type Service = {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
};

export type ServiceDefinition = { service_code: string; attributes: never[] };

export type ServiceRequest = {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
};

export type Discovery = {
  changeset: string;
  contact: string;
  key_service: string;
  endpoints: { specification: string; url: string; changeset: string; type: string; formats: string[] }[];
};

const builder = new XMLBuilder({ ignoreAttributes: true, format: false, suppressEmptyNode: false });

function xmlDoc(root: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build(root)}`;
}

/** null becomes an empty element (the spec's XML shows every field); booleans and numbers become text. */
function xmlValues<T extends Record<string, unknown>>(o: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null ? '' : v]));
}

export function errorsXml(items: Open311ErrorItem[]): string {
  return xmlDoc({ errors: { error: items } });
}

export function servicesXml(items: Service[]): string {
  return xmlDoc({ services: { service: items.map(xmlValues) } });
}

export function serviceDefinitionXml(def: ServiceDefinition): string {
  return xmlDoc({ service_definition: { service_code: def.service_code, attributes: '' } });
}

export function requestsXml(items: ServiceRequest[]): string {
  return xmlDoc({ service_requests: { request: items.map(xmlValues) } });
}

export function postAnswerXml(
  items: { service_request_id: string; token: string; service_notice: string | null }[],
): string {
  return xmlDoc({ service_requests: { request: items.map(xmlValues) } });
}

export function tokensXml(items: { service_request_id: string; token: string }[]): string {
  return xmlDoc({ service_requests: { request: items } });
}

export function discoveryXml(d: Discovery): string {
  return xmlDoc({
    discovery: {
      changeset: d.changeset,
      contact: d.contact,
      key_service: d.key_service,
      endpoints: {
        endpoint: d.endpoints.map((e) => ({
          specification: e.specification,
          url: e.url,
          changeset: e.changeset,
          type: e.type,
          formats: { format: e.formats },
        })),
      },
    },
  });
}
