import { describe, expect, it } from 'vitest';
import { inferFloor } from './people.logic.js';

describe('inferFloor', () => {
  it('reads the floor from a room number, and none where there is no floor in it', () => {
    expect(inferFloor('0301')).toBe(3);
    expect(inferFloor('1502')).toBe(15);
    expect(inferFloor(' 301 ')).toBe(3);
    expect(inferFloor('12')).toBeNull();
    expect(inferFloor('东厢房')).toBeNull();
    expect(inferFloor('10101')).toBeNull();
  });
});
