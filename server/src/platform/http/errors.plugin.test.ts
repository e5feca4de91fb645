import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Db } from '../db/client.js';
import { createJobs } from '../jobs/index.js';
import type { PiiCipher } from '../pii/index.js';
import { describeValidation } from './errors.plugin.js';
import { Nullable, Strict } from './schemas.js';

describe('describeValidation', () => {
  it('names a missing property, also inside an array item', () => {
    expect(
      describeValidation(
        [
          {
            instancePath: '',
            keyword: 'required',
            params: { missingProperty: 'name' },
            message: "must have required property 'name'",
          },
        ],
        'body',
        'en',
      ),
    ).toEqual({ field: 'name', message: 'name: is required' });
    expect(
      describeValidation(
        [{ instancePath: '/posts/0', keyword: 'required', params: { missingProperty: 'role' } }],
        'body',
        'zh-CN',
      ),
    ).toEqual({ field: 'posts.0.role', message: 'posts.0.role：必填' });
  });

  it('names a field that is not allowed', () => {
    expect(
      describeValidation(
        [{ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'color' } }],
        'body',
        'en',
      ),
    ).toEqual({ field: 'color', message: 'color: is not an allowed field' });
    expect(
      describeValidation(
        [
          {
            instancePath: '/boundary/properties',
            keyword: 'additionalProperties',
            params: { additionalProperty: 'x' },
          },
        ],
        'body',
        'en',
      ).field,
    ).toBe('boundary.properties.x');
  });

  it('names a field of the wrong type and the expected type', () => {
    expect(
      describeValidation([{ instancePath: '/name', keyword: 'type', params: { type: 'string' } }], 'body', 'en'),
    ).toEqual({
      field: 'name',
      message: 'name: must be of type string',
    });
  });

  it('names the field of a union rather than one of its branches', () => {
    const issues = [
      { instancePath: '/parentId', keyword: 'type', params: { type: 'integer' } },
      { instancePath: '/parentId', keyword: 'type', params: { type: 'null' } },
      { instancePath: '/parentId', keyword: 'anyOf', params: {} },
    ];
    expect(describeValidation(issues, 'body', 'en')).toEqual({
      field: 'parentId',
      message: 'parentId: is not an allowed value',
    });
    expect(describeValidation(issues, 'body', 'zh-CN').message).toBe('parentId：不是允许的值');
  });

  it('fills limits into the sentence', () => {
    expect(
      describeValidation([{ instancePath: '/username', keyword: 'minLength', params: { limit: 3 } }], 'body', 'en')
        .message,
    ).toBe('username: must have at least 3 characters');
  });

  it('falls back to the context when the issue is about the whole input', () => {
    expect(
      describeValidation([{ instancePath: '', keyword: 'type', params: { type: 'object' } }], 'querystring', 'en')
        .field,
    ).toBe('querystring');
    expect(describeValidation([], 'body', 'en').field).toBe('body');
  });

  it("falls back to the validator's own message for a keyword it has no sentence for", () => {
    expect(
      describeValidation(
        [{ instancePath: '/x', keyword: 'multipleOf', params: {}, message: 'must be multiple of 5' }],
        'body',
        'en',
      ).message,
    ).toBe('x: must be multiple of 5');
  });
});

describe('validation errors through the app', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    // No request here reaches the database: the route is public and no cookie is sent.
    const db = { listen: async () => async () => undefined } as unknown as Db;
    const pii = {} as PiiCipher;
    app = await buildApp({ jobs: createJobs(db), db, pii, broker: null });
    app.post(
      '/api/test/echo',
      {
        config: { public: true },
        schema: {
          body: Strict({
            name: Type.String({ minLength: 1 }),
            parentId: Nullable(Type.Integer({ minimum: 1 })),
            tags: Type.Optional(Type.Array(Strict({ label: Type.String() }))),
          }),
        },
      },
      async (req) => req.body,
    );
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (payload: unknown, lang = 'en') =>
    app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: payload as object,
      headers: { 'accept-language': lang },
    });

  it('accepts a valid body', async () => {
    const res = await post({ name: 'a', parentId: null, tags: [{ label: 'x' }] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'a', parentId: null, tags: [{ label: 'x' }] });
  });

  it.each([
    ['a missing field', { parentId: 1 }, 'name', 'name: is required'],
    ['an unknown field', { name: 'a', parentId: 1, color: 'red' }, 'color', 'color: is not an allowed field'],
    ['a wrong type', { name: { first: 'a' }, parentId: 1 }, 'name', 'name: must be of type string'],
    [
      'a wrong type in a nullable field',
      { name: 'a', parentId: 'one' },
      'parentId',
      'parentId: is not an allowed value',
    ],
    [
      'an unknown field in an array item',
      { name: 'a', parentId: 1, tags: [{ label: 'x', y: 1 }] },
      'tags.0.y',
      'tags.0.y: is not an allowed field',
    ],
  ])('names the field for %s', async (_what, payload, field, message) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'VALIDATION', field, message });
  });

  it('answers in Chinese by default', async () => {
    const res = await post({ parentId: 1 }, 'zh-CN,zh;q=0.9');
    expect(res.json()).toEqual({ code: 'VALIDATION', field: 'name', message: 'name：必填' });
  });
});
