import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { findUnsafeInput, isSafeText, MAX_DEPTH, replaceUnsafeText, trimBySchema } from './input.plugin.js';
import { Id, Nullable, Strict, Text } from './schemas.js';

/** `n` arrays inside each other around 'x', built without recursion. */
function nest(n: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

describe('isSafeText', () => {
  it('refuses NUL and lone surrogates but keeps paired ones (emoji) and other text', () => {
    expect(['a\u0000b', '\uD800', 'x\uDFFF', '\uDFFF\uD800'].map(isSafeText)).toEqual([false, false, false, false]);
    expect(['', '张三 😀', '\u3000', '\t\n'].map(isSafeText)).toEqual([true, true, true, true]);
  });

  it('replaces what it refuses with U+FFFD', () => {
    expect(replaceUnsafeText('a\u0000b\uD800😀')).toBe('a\uFFFDb\uFFFD😀');
    expect(replaceUnsafeText('plain')).toBe('plain');
  });
});

describe('findUnsafeInput', () => {
  it('names the path of the first unsafe value or key, at any depth', () => {
    expect(findUnsafeInput({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({
      path: ['a', '1', 'c'],
      problem: 'unsafeText',
    });
    expect(findUnsafeInput({ rule: { 'k\u0000': 1 } })).toEqual({ path: ['rule', 'k\uFFFD'], problem: 'unsafeText' });
    expect(findUnsafeInput({ a: 1, b: [true, null, '😀'] })).toBeNull();
  });

  it('refuses nesting deeper than MAX_DEPTH without recursing', () => {
    expect(findUnsafeInput({ a: nest(MAX_DEPTH - 2) })).toBeNull();
    expect(findUnsafeInput({ a: nest(100_000) })?.problem).toBe('tooDeep');
  });
});

describe('trimBySchema', () => {
  const schema = Strict({
    name: Text({ minLength: 1, maxLength: 10, trim: true }),
    password: Text({ minLength: 1, maxLength: 10 }),
    address: Type.Optional(Nullable(Text({ maxLength: 10, trim: true }))),
    columns: Type.Array(Strict({ label: Text({ maxLength: 10, trim: true }) })),
    nodeId: Id,
  });

  it('trims only the fields that ask for it, through unions and arrays, and a blank name then fails', () => {
    const body = { name: ' 张三 ', password: ' pw ', address: '\u3000东关 ', columns: [{ label: ' a ' }], nodeId: 1 };
    trimBySchema(schema, body);
    expect(body).toEqual({ name: '张三', password: ' pw ', address: '东关', columns: [{ label: 'a' }], nodeId: 1 });
    const blank = { name: ' \t ', password: 'pw', columns: [], nodeId: 1 };
    trimBySchema(schema, blank);
    expect(Value.Check(schema, blank)).toBe(false);
    expect(blank.name).toBe('');
  });

  it('bounds ids and refuses unsafe text in the schemas themselves', () => {
    const ok = { name: 'a', password: 'p', columns: [], nodeId: Number.MAX_SAFE_INTEGER };
    expect(Value.Check(schema, ok)).toBe(true);
    expect(Value.Check(schema, { ...ok, nodeId: 1e20 })).toBe(false);
    expect(Value.Check(schema, { ...ok, password: 'a\u0000' })).toBe(false);
    expect(Value.Check(schema, { ...ok, password: '😀' })).toBe(true);
  });
});
