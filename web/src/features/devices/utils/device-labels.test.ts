import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASONS as SERVER_REASONS } from '../../../../../server/src/modules/devices/devices.schemas';
import { DEAD_LETTER_REASONS, deadLetterReasonKey, sinceParts } from './device-labels';

describe('deadLetterReasonKey', () => {
  it('knows every reason the server records', () => {
    expect(DEAD_LETTER_REASONS).toEqual(SERVER_REASONS);
    expect(deadLetterReasonKey('throttled')).toBe('devices.deadLetters.reasons.throttled');
  });

  it('leaves a reason added later to show as its code', () => {
    expect(deadLetterReasonKey('cosmic_rays')).toBeNull();
  });
});

describe('sinceParts', () => {
  const now = new Date('2026-12-07T05:00:00.000Z');
  it('counts minutes, then hours up to two days, then days', () => {
    expect(sinceParts('2026-12-07T04:58:30.000Z', now)).toEqual({ unit: 'minutes', count: 1 });
    expect(sinceParts('2026-12-07T02:00:00.000Z', now)).toEqual({ unit: 'hours', count: 3 });
    expect(sinceParts('2026-12-05T06:00:00.000Z', now)).toEqual({ unit: 'hours', count: 47 });
    expect(sinceParts('2026-12-01T05:00:00.000Z', now)).toEqual({ unit: 'days', count: 6 });
  });

  it('is null for a device never heard from, and never negative', () => {
    expect(sinceParts(null, now)).toBeNull();
    expect(sinceParts('2026-12-07T05:10:00.000Z', now)).toEqual({ unit: 'minutes', count: 0 });
  });
});
