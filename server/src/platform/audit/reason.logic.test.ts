import { describe, expect, it } from 'vitest';
import { requireReason } from './audit.js';
import { acceptableReason, normalizeReason } from './reason.logic.js';

describe('normalizeReason', () => {
  it('drops invisible characters and folds white space', () => {
    expect(normalizeReason('\u200b 上门\u200d走访\u3000\ufeff')).toBe('上门走访');
    expect(normalizeReason('核实  \t身份\n')).toBe('核实 身份');
    expect(normalizeReason('\u3164\u115f\u2800\u00ad')).toBe('');
  });
});

describe('requireReason', () => {
  it('refuses a reason with fewer than two visible characters, naming the field', () => {
    for (const blank of ['', '   ', '\u200b\u200b\u200b', '\u3000\u3000', '\u202e\u2066', '核\u200b', '\u0000\u0001']) {
      expect(() => requireReason(blank), JSON.stringify(blank)).toThrow(
        expect.objectContaining({ code: 'REASON_REQUIRED', field: 'reason' }),
      );
    }
    expect(() => requireReason(undefined, 'purpose')).toThrow(expect.objectContaining({ field: 'purpose' }));
  });

  it('keeps a real reason, cleaned', () => {
    expect(requireReason(' 政策申报 ')).toBe('政策申报');
    expect(requireReason('ok')).toBe('ok');
    expect([...requireReason('核'.repeat(300))]).toHaveLength(200);
    expect(acceptableReason(' \u200b ')).toBeNull();
  });
});
