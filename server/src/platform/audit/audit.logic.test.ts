import { describe, expect, it } from 'vitest';
import { diffRecords } from './audit.logic.js';

describe('diffRecords', () => {
  it('lists only the fields that changed, as [before, after]', () => {
    expect(
      diffRecords(
        { name: '第一网格', code: 'G01', status: 'active' },
        { name: '第六网格', code: 'G01', status: 'active' },
      ),
    ).toEqual({ name: ['第一网格', '第六网格'] });
  });

  it('returns null when nothing changed', () => {
    expect(diffRecords({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } })).toBeNull();
    expect(diffRecords(null, null)).toBeNull();
  });

  it('records a creation and a deletion against null', () => {
    expect(diffRecords(null, { name: 'x', parentId: 3 })).toEqual({ name: [null, 'x'], parentId: [null, 3] });
    expect(diffRecords({ name: 'x' }, null)).toEqual({ name: ['x', null] });
  });

  it('treats a missing field and undefined as null', () => {
    expect(diffRecords({ a: undefined }, { a: null })).toBeNull();
    expect(diffRecords({}, { a: null, b: 0 })).toEqual({ b: [null, 0] });
  });

  it('compares nested values by content', () => {
    const before = { boundary: { type: 'Polygon', coordinates: [[[1, 2]]] } };
    expect(diffRecords(before, { boundary: { type: 'Polygon', coordinates: [[[1, 2]]] } })).toBeNull();
    expect(diffRecords(before, { boundary: { type: 'Polygon', coordinates: [[[1, 3]]] } })).toEqual({
      boundary: [before.boundary, { type: 'Polygon', coordinates: [[[1, 3]]] }],
    });
  });

  it('masks every kind of secret, so neither old nor new value enters the trail', () => {
    for (const field of ['password', 'password_hash', 'passwordHash', 'token_hash', 'tokenHash']) {
      const diff = diffRecords({ [field]: 'old-secret', name: 'a' }, { [field]: 'new-secret', name: 'a' });
      expect(diff, field).toEqual({ [field]: ['[secret]', '[changed]'] });
      expect(JSON.stringify(diff)).not.toMatch(/old-secret|new-secret/);
    }
  });

  it('leaves an unchanged secret out of the diff', () => {
    expect(diffRecords({ password_hash: 'h', name: 'a' }, { password_hash: 'h', name: 'b' })).toEqual({
      name: ['a', 'b'],
    });
  });

  it('writes dates as ISO strings and sees equal instants as unchanged', () => {
    const t = new Date('2026-03-01T08:00:00.000Z');
    expect(diffRecords({ lockedUntil: t }, { lockedUntil: new Date(t.getTime()) })).toBeNull();
    expect(diffRecords({ lockedUntil: t }, { lockedUntil: null })).toEqual({
      lockedUntil: ['2026-03-01T08:00:00.000Z', null],
    });
  });

  it('never shows sealed bytes, only a placeholder', () => {
    const diff = diffRecords({ phone: null }, { phone: new Uint8Array([1, 2, 3]) });
    expect(diff).toEqual({ phone: [null, '[sealed]'] });
  });
});
