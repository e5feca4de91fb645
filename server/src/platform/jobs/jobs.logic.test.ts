import { describe, expect, it } from 'vitest';
import { jobError, scrubText, showPayload } from './jobs.logic.js';

describe('showPayload', () => {
  it('shows ids, codes, kinds, UUIDs, instants and flags as they are', () => {
    const p = {
      caseId: 42,
      stage: 3,
      kind: 'people.id_clash_limit',
      file: '2f1c6a0e-4b7a-4c8e-9a51-0c2f4e1d9b11',
      at: '2026-12-06T08:00:00.000Z',
      urgent: true,
      none: null,
      ids: [1, 2, 3],
    };
    expect(showPayload(p)).toEqual(p);
  });

  it('hides what may be personal: free text, long digit runs, personal keys, big numbers', () => {
    expect(
      showPayload({
        note: '张三 住在1号楼',
        id: '110101199003074578',
        phone: '13800138000',
        name: 'Wang',
        residentName: 'abc',
        mobileAsNumber: 13800138000,
        ref: 'order-13800138000',
        nested: { deep: { text: '李四' } },
      }),
    ).toEqual({
      note: '•••(8)',
      id: '•••(18)',
      phone: '•••(11)',
      name: '•••(4)',
      residentName: '•••(3)',
      mobileAsNumber: '•••(11)',
      ref: '•••(17)',
      nested: { deep: { text: '•••(2)' } },
    });
  });

  it('cuts long arrays and deep nesting', () => {
    const shown = showPayload({ xs: Array.from({ length: 25 }, (_, i) => i) }) as { xs: unknown[] };
    expect(shown.xs).toHaveLength(21);
    expect(shown.xs[20]).toBe('… +5');
    expect(showPayload({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: '…' } } } });
  });
});

describe('jobError', () => {
  it('reads a serialised Error and pg-boss’s timeout, hiding long digit runs', () => {
    expect(
      jobError({ name: 'Error', message: 'webhook refused 13800138000', stack: 'Error: x\n    at a\n    at b' }),
    ).toEqual({ message: 'webhook refused •••(11)', stack: 'Error: x\n    at a\n    at b' });
    expect(jobError({ value: { message: 'job failed by timeout in active state' } })).toEqual({
      message: 'job failed by timeout in active state',
      stack: null,
    });
    expect(jobError(null)).toBeNull();
    expect(scrubText('ID 11010119900307457X failed')).toBe('ID •••(18) failed');
  });
});
