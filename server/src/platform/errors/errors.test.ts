import { describe, expect, it } from 'vitest';
import {
  AppError,
  ERRORS,
  type ErrorCode,
  fieldLabel,
  formatError,
  pickLocale,
  registerFieldLabels,
} from './errors.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const codes = Object.keys(ERRORS) as ErrorCode[];

describe('ERRORS', () => {
  for (const code of codes) {
    it(`${code} has a message in both languages with the same placeholders`, () => {
      const def = ERRORS[code];
      expect(def['zh-CN'].trim()).not.toBe('');
      expect(def.en.trim()).not.toBe('');
      expect(placeholders(def['zh-CN'])).toEqual(placeholders(def.en));
      expect(def.en).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
      expect(def['zh-CN']).not.toBe(def.en);
    });
  }

  it('maps every code to an HTTP error status', () => {
    for (const code of codes) {
      expect(ERRORS[code].status, code).toBeGreaterThanOrEqual(400);
      expect(ERRORS[code].status, code).toBeLessThan(600);
    }
  });

  it('uses upper-case snake names', () => {
    for (const code of codes) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });
});

describe('formatError', () => {
  it('fills placeholders in the chosen language', () => {
    expect(formatError('USERNAME_TAKEN', 'en', { username: 'shequ' })).toBe('Username shequ is already taken');
    expect(formatError('USERNAME_TAKEN', 'zh-CN', { username: 'shequ' })).toBe('用户名 shequ 已被使用');
    expect(formatError('ORG_NODE_HAS_CHILDREN', 'en', { count: 3 })).toContain('3 active child nodes');
  });

  it('leaves a placeholder with no value visible rather than dropping it', () => {
    expect(formatError('INTERNAL', 'en')).toBe('Internal error (request {requestId})');
  });
});

describe('AppError', () => {
  it('carries the status of its code, the field and the parameters', () => {
    const err = new AppError('ORG_CODE_DUPLICATE', { field: 'code', params: { code: 'G01' } });
    expect([err.status, err.code, err.field, err.params]).toEqual([409, 'ORG_CODE_DUPLICATE', 'code', { code: 'G01' }]);
    expect(err).toBeInstanceOf(Error);
  });
});

describe('fieldLabel', () => {
  it('names a field by its registered label, also for a nested path, or by itself', () => {
    registerFieldLabels({ testOnlyField: { 'zh-CN': '测试字段', en: 'test field' } });
    expect(fieldLabel('testOnlyField', 'zh-CN')).toBe('测试字段');
    expect(fieldLabel('posts.0.testOnlyField', 'en')).toBe('test field');
    expect(fieldLabel('unlabelledField', 'en')).toBe('unlabelledField');
  });
});

describe('pickLocale', () => {
  it('takes the language cookie first', () => {
    expect(pickLocale('en', 'zh-CN,zh;q=0.9')).toBe('en');
    expect(pickLocale('zh-CN', 'en-US,en;q=0.9')).toBe('zh-CN');
  });

  it('ignores a cookie that names no supported language', () => {
    expect(pickLocale('fr', 'en-GB')).toBe('en');
    expect(pickLocale('EN', undefined)).toBe('zh-CN');
  });

  it('follows the first Accept-Language entry', () => {
    expect(pickLocale(undefined, 'en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(pickLocale(undefined, 'EN')).toBe('en');
    expect(pickLocale(undefined, ' en-GB , zh')).toBe('en');
    expect(pickLocale(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLocale(undefined, 'de-DE,en;q=0.5')).toBe('zh-CN');
  });

  it('defaults to Chinese', () => {
    expect(pickLocale(undefined, undefined)).toBe('zh-CN');
    expect(pickLocale(undefined, '')).toBe('zh-CN');
    expect(pickLocale(undefined, '*')).toBe('zh-CN');
  });
});
