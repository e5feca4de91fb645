import { describe, expect, it } from 'vitest';
import { startOfWait } from './startup.logic.js';

describe('startOfWait', () => {
  const processStart = 1_800_000_000_000;

  it('counts from the command when it started the process (a web build before it included)', () => {
    expect(startOfWait(processStart - 75_000, processStart)).toBe(processStart - 75_000);
  });

  it('counts from the process when no command says when it started', () => {
    expect(startOfWait(undefined, processStart)).toBe(processStart);
  });

  it('ignores a start after the process began, or one left in the environment from hours ago', () => {
    expect(startOfWait(processStart + 1, processStart)).toBe(processStart);
    expect(startOfWait(processStart - 3 * 3600_000, processStart)).toBe(processStart);
  });
});
