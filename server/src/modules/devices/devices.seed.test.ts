import { describe, expect, it } from 'vitest';
import { systemCtx } from '../../platform/access/context.js';
import { AppError } from '../../platform/errors/errors.js';
import type { TypeRow } from './devices.repo.js';
import { BUILTIN_DEVICE_TYPES } from './devices.schemas.js';
import { BUILTIN_RULES, BUILTIN_TYPES } from './devices.seed.js';
import { checkRuleParams } from './devices.service.js';

const ctx = systemCtx();
const typeRow = (code: string): TypeRow => {
  const t = BUILTIN_TYPES.find((x) => x.code === code)!;
  return {
    code: t.code,
    nameZh: t.zh,
    nameEn: t.en,
    builtin: true,
    metrics: t.metrics,
    events: t.events,
    reportIntervalS: t.reportIntervalS,
    active: true,
    sort: 0,
    deviceCount: 0,
  };
};

function refusal(fn: () => void): { code: string; field: string | undefined } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { code: err.code, field: err.field };
  }
}

describe('built-in device types and rules', () => {
  it('seeds one type for each built-in code, with unique metric and event keys', () => {
    expect(BUILTIN_TYPES.map((t) => t.code)).toEqual([...BUILTIN_DEVICE_TYPES]);
    for (const t of BUILTIN_TYPES) {
      expect(new Set(t.metrics.map((m) => m.key)).size, t.code).toBe(t.metrics.length);
      expect(new Set(t.events.map((e) => e.key)).size, t.code).toBe(t.events.length);
      for (const m of t.metrics) expect(m.min, `${t.code}.${m.key}`).toBeLessThan(m.max);
    }
  });

  it('seeds rules whose params pass the checks an admin’s rule must pass', () => {
    for (const r of BUILTIN_RULES) {
      expect(
        refusal(() => checkRuleParams(ctx, r.kind, r.params, typeRow(r.typeCode))),
        `${r.typeCode}.${r.code}`,
      ).toBe(null);
    }
    const codes = BUILTIN_RULES.map((r) => `${r.typeCode}.${r.code}`);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('checkRuleParams', () => {
  const meter = typeRow('water_meter');
  it('names the field that is wrong', () => {
    expect(
      refusal(() => checkRuleParams(ctx, 'no_use', { metric: 'total_l', windowHours: 80, minUse: 1 }, meter)),
    ).toEqual({ code: 'VALIDATION', field: 'params.windowHours' });
    expect(refusal(() => checkRuleParams(ctx, 'silent', {}, meter))).toEqual({
      code: 'VALIDATION',
      field: 'params.minutes',
    });
    expect(
      refusal(() =>
        checkRuleParams(ctx, 'no_use', { metric: 'total_l', windowHours: 8, minUse: 1, quietStart: '22:00' }, meter),
      ),
    ).toEqual({ code: 'VALIDATION', field: 'params.quietEnd' });
  });

  it('refuses a metric or an event the type does not have', () => {
    expect(refusal(() => checkRuleParams(ctx, 'threshold', { metric: 'heart_rate', above: 1 }, meter))).toEqual({
      code: 'DEVICE_RULE_METRIC_UNKNOWN',
      field: 'params.metric',
    });
    expect(refusal(() => checkRuleParams(ctx, 'event', { events: ['sos'] }, meter))).toEqual({
      code: 'DEVICE_RULE_EVENT_UNKNOWN',
      field: 'params.events',
    });
    expect(refusal(() => checkRuleParams(ctx, 'event', { events: ['sos'] }, typeRow('sos_button')))).toBeNull();
  });
});
