import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  contactNameOf,
  errorsXml,
  hashOpen311Key,
  isOpen311KeyShape,
  newOpen311Key,
  Open311Error,
  open311Status,
  parsePostBody,
  parseRequestsQuery,
  parseW3cDate,
  redactApiKey,
  requestsXml,
  requestWindow,
  type ServiceRequest,
  w3c,
} from './open311.logic.js';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof Open311Error) return { key: e.key, status: e.status, params: e.params };
    throw e;
  }
  throw new Error('no refusal');
};

describe('open311Status', () => {
  it('maps open and in-progress stage types to open, fixed and closed ones to closed', () => {
    expect(open311Status('open')).toBe('open');
    expect(open311Status('in_progress')).toBe('open');
    expect(open311Status('fixed')).toBe('closed');
    expect(open311Status('closed')).toBe('closed');
  });
});

describe('parseW3cDate', () => {
  it('reads date-times with a zone and bare dates as Shanghai midnight', () => {
    expect(parseW3cDate('2026-12-01T08:00:00+08:00', 'start_date').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(parseW3cDate('2026-12-01T00:00:00Z', 'start_date').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(parseW3cDate('2026-12-01', 'start_date').toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });
  it('refuses what is no W3C date-time, a missing zone and a day that does not exist', () => {
    for (const bad of ['yesterday', '2026-12-01T00:00:00', '2026-02-30', '2026-13-01T00:00:00Z', '1700000000']) {
      expect(refusal(() => parseW3cDate(bad, 'end_date'))).toEqual({
        key: 'DATE_INVALID',
        status: 400,
        params: { param: 'end_date' },
      });
    }
  });
  it('formats times in Shanghai time', () => {
    expect(w3c(new Date('2026-12-31T20:30:00Z'))).toBe('2027-01-01T04:30:00+08:00');
    expect(w3c(null)).toBeNull();
  });
});

describe('requestWindow', () => {
  const now = new Date('2026-12-07T00:00:00Z');
  const day = 86_400_000;
  it('defaults to the last 90 days, or 90 days from one given end', () => {
    expect(requestWindow(null, null, now)).toEqual({ from: new Date(now.getTime() - 90 * day), to: now });
    const start = new Date('2026-01-01T00:00:00Z');
    expect(requestWindow(start, null, now)).toEqual({ from: start, to: new Date(start.getTime() + 90 * day) });
    expect(requestWindow(null, start, now)).toEqual({ from: new Date(start.getTime() - 90 * day), to: start });
  });
  it('refuses a reversed window or one longer than 90 days', () => {
    const a = new Date('2026-06-01T00:00:00Z');
    const b = new Date('2026-05-01T00:00:00Z');
    expect(refusal(() => requestWindow(a, b, now)).key).toBe('DATE_RANGE_INVALID');
    expect(refusal(() => requestWindow(new Date(a.getTime() - 91 * day), a, now)).key).toBe('DATE_RANGE_INVALID');
    expect(requestWindow(new Date(a.getTime() - 90 * day), a, now).from.getTime()).toBe(a.getTime() - 90 * day);
  });
});

describe('parseRequestsQuery', () => {
  const now = new Date('2026-12-07T00:00:00Z');
  it('lets service_request_id override the other filters and the window', () => {
    expect(parseRequestsQuery({ service_request_id: '3, 5', status: 'bogus', start_date: 'x' }, now)).toEqual({
      ids: [3, 5],
      serviceCodes: null,
      statuses: null,
      from: null,
      to: null,
    });
  });
  it('reads lists of codes and statuses', () => {
    const f = parseRequestsQuery({ service_code: 'a,b', status: 'open,closed' }, now);
    expect(f.serviceCodes).toEqual(['a', 'b']);
    expect(f.statuses).toEqual(['open', 'closed']);
  });
  it('refuses unknown statuses and malformed ids', () => {
    expect(refusal(() => parseRequestsQuery({ status: 'fixed' }, now)).key).toBe('STATUS_INVALID');
    expect(refusal(() => parseRequestsQuery({ service_request_id: '1;2' }, now)).key).toBe('REQUEST_ID_INVALID');
  });
});

describe('parsePostBody', () => {
  const base = { api_key: 'k', service_code: 'light' };
  it('checks the key first, then the service, then a location', () => {
    expect(refusal(() => parsePostBody({})).key).toBe('API_KEY_MISSING');
    expect(refusal(() => parsePostBody({ api_key: ' ' })).key).toBe('API_KEY_MISSING');
    expect(refusal(() => parsePostBody({ api_key: 'k' })).key).toBe('SERVICE_CODE_MISSING');
    expect(refusal(() => parsePostBody(base)).key).toBe('LOCATION_MISSING');
  });
  it('takes lat/long, else address_id, else address_string', () => {
    expect(parsePostBody({ ...base, lat: '36.1', long: '117.2', address_id: '9' }).location).toEqual({
      kind: 'point',
      lat: 36.1,
      lng: 117.2,
      address: null,
    });
    expect(parsePostBody({ ...base, address_id: '9', address_string: '东门' }).location).toEqual({
      kind: 'node',
      nodeId: 9,
      address: '东门',
    });
    expect(parsePostBody({ ...base, address_string: '东门' }).location).toEqual({ kind: 'address', address: '东门' });
  });
  it('refuses half a point, coordinates out of range and a non-numeric address_id', () => {
    expect(refusal(() => parsePostBody({ ...base, lat: '36' })).params).toEqual({ param: 'long' });
    expect(refusal(() => parsePostBody({ ...base, lat: '-91', long: '1' })).params).toEqual({ param: 'lat' });
    expect(refusal(() => parsePostBody({ ...base, lat: '1', long: '181' })).params).toEqual({ param: 'long' });
    expect(refusal(() => parsePostBody({ ...base, address_id: 'abc' })).params).toEqual({ param: 'address_id' });
  });
  it('takes the first of repeated form fields and keeps the contact for the case only', () => {
    const p = parsePostBody({
      ...base,
      api_key: ['k1', 'k2'],
      address_string: 'x',
      first_name: '明',
      last_name: '王',
      phone: '13800000000',
    });
    expect(p.apiKey).toBe('k1');
    expect(p.contactName).toBe('王明');
    expect(p.contactPhone).toBe('13800000000');
  });
});

describe('contactNameOf', () => {
  it('puts a Chinese family name first without a space, a Western one last', () => {
    expect(contactNameOf('明', '王')).toBe('王明');
    expect(contactNameOf('Ada', 'Lovelace')).toBe('Ada Lovelace');
    expect(contactNameOf(null, '王')).toBe('王');
    expect(contactNameOf(null, null)).toBeNull();
  });
});

describe('redactApiKey', () => {
  it('hides the api_key of a logged URL and keeps the rest', () => {
    expect(redactApiKey('/open311/v2/requests.json?status=open&api_key=o311_abc_def&x=1')).toBe(
      '/open311/v2/requests.json?status=open&api_key=[redacted]&x=1',
    );
    expect(redactApiKey('/open311/v2/requests.xml?API_KEY=k')).toBe('/open311/v2/requests.xml?API_KEY=[redacted]');
    expect(redactApiKey('/api/cases?q=api_key')).toBe('/api/cases?q=api_key');
    expect(redactApiKey(undefined)).toBeUndefined();
  });
});

describe('api keys', () => {
  it('makes keys of one shape, stored as a SHA-256 that differs per key', () => {
    const a = newOpen311Key();
    const b = newOpen311Key();
    expect(isOpen311KeyShape(a.key)).toBe(true);
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(hashOpen311Key(a.key)).toHaveLength(32);
    expect(hashOpen311Key(a.key).equals(hashOpen311Key(b.key))).toBe(false);
    expect(isOpen311KeyShape('lnl_abcdefgh_x')).toBe(false);
  });
});

describe('XML documents', () => {
  const parser = new XMLParser({ parseTagValue: false });
  it('escapes markup in text and writes null as an empty element', () => {
    const r: ServiceRequest = {
      service_request_id: '1',
      status: 'open',
      status_notes: '<b>处置中</b> & "quoted"',
      service_name: 'x',
      service_code: 'x',
      description: '</description><evil/>',
      agency_responsible: null,
      service_notice: null,
      requested_datetime: '2026-12-07T08:00:00+08:00',
      updated_datetime: '2026-12-07T08:00:00+08:00',
      expected_datetime: null,
      address: null,
      address_id: '2',
      zipcode: null,
      lat: 36.1,
      long: null,
      media_url: null,
    };
    const text = requestsXml([r]);
    expect(text).not.toContain('<evil/>');
    const parsed = parser.parse(text).service_requests.request;
    expect(parsed.description).toBe('</description><evil/>');
    expect(parsed.status_notes).toBe('<b>处置中</b> & "quoted"');
    expect(parsed.agency_responsible).toBe('');
    expect(parsed.lat).toBe('36.1');
  });
  it('writes errors as <errors><error><code/><description/></error></errors>', () => {
    expect(errorsXml([{ code: 403, description: 'Invalid api_key' }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><errors><error><code>403</code><description>Invalid api_key</description></error></errors>',
    );
  });
});
