import { describe, expect, it } from 'vitest';
import { isAcceptedContentType, isOwnOrigin, normaliseOrigin, ownOrigin } from './origin.logic.js';

const own = 'https://linli.example.org';
const check = (origin: string | undefined, secFetchSite?: string, allowed: string[] = []) =>
  isOwnOrigin({ origin, secFetchSite, own, allowed: new Set(allowed) });

describe('normaliseOrigin', () => {
  it('drops default ports and lower-cases the host', () => {
    expect(normaliseOrigin('HTTPS://Linli.Example.org:443')).toBe('https://linli.example.org');
    expect(normaliseOrigin('http://localhost:80')).toBe('http://localhost');
    expect(normaliseOrigin('http://localhost:5173')).toBe('http://localhost:5173');
  });

  it('refuses what is not an http(s) origin', () => {
    for (const bad of ['null', '', 'file:///etc', 'javascript:alert(1)', 'https://u:p@linli.example.org', 'x']) {
      expect(normaliseOrigin(bad)).toBeNull();
    }
  });
});

describe('ownOrigin', () => {
  it('joins the scheme and the Host header, normalised', () => {
    expect(ownOrigin('http', 'localhost:80')).toBe('http://localhost');
    expect(ownOrigin('https', 'Linli.Example.org')).toBe(own);
    expect(ownOrigin('http', undefined)).toBeNull();
    expect(ownOrigin('http', 'evil.example, linli.example.org')).toBeNull();
  });
});

describe('isOwnOrigin', () => {
  it('accepts Linli’s own origin, also written with its default port', () => {
    expect(check(own)).toBe(true);
    expect(check('https://linli.example.org:443')).toBe(true);
  });

  it('refuses another site, another scheme, another port, and the opaque origin', () => {
    for (const origin of [
      'https://evil.example',
      'http://linli.example.org',
      'https://linli.example.org:8443',
      'https://linli.example.org.evil.example',
      'null',
    ]) {
      expect(check(origin)).toBe(false);
    }
  });

  it('accepts an origin listed in LINLI_ALLOWED_ORIGINS and no other', () => {
    expect(check('http://localhost:5173', undefined, ['http://localhost:5173'])).toBe(true);
    expect(check('http://localhost:5174', undefined, ['http://localhost:5173'])).toBe(false);
  });

  it('without an Origin, trusts only Sec-Fetch-Site: same-origin', () => {
    expect(check(undefined, 'same-origin')).toBe(true);
    for (const site of ['cross-site', 'same-site', 'none', undefined]) expect(check(undefined, site)).toBe(false);
  });

  it('lets a foreign Origin win over a same-origin Sec-Fetch-Site', () => {
    expect(check('https://evil.example', 'same-origin')).toBe(false);
  });
});

describe('isAcceptedContentType', () => {
  it('accepts JSON with or without parameters, and no content type without a body', () => {
    expect(isAcceptedContentType('application/json', true, false)).toBe(true);
    expect(isAcceptedContentType('Application/JSON; charset=utf-8', true, false)).toBe(true);
    expect(isAcceptedContentType(undefined, false, false)).toBe(true);
  });

  it('refuses text/plain, forms, and a body without a content type', () => {
    expect(isAcceptedContentType('text/plain', true, false)).toBe(false);
    expect(isAcceptedContentType('text/plain', false, false)).toBe(false);
    expect(isAcceptedContentType('application/x-www-form-urlencoded', true, false)).toBe(false);
    expect(isAcceptedContentType(undefined, true, false)).toBe(false);
  });

  it('accepts multipart only on upload routes', () => {
    expect(isAcceptedContentType('multipart/form-data; boundary=x', true, true)).toBe(true);
    expect(isAcceptedContentType('multipart/form-data; boundary=x', true, false)).toBe(false);
  });
});
