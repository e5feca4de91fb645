import { describe, expect, it } from 'vitest';
import {
  duplicateLadderRows,
  formToParams,
  normaliseLadder,
  overrideParams,
  PARAM_FIELDS,
  paramProblems,
  paramsToForm,
  RULE_KINDS,
} from './rule-params';

describe('formToParams', () => {
  it('sends a threshold rule its metric and the limits given, leaving an empty limit out', () => {
    expect(formToParams('threshold', { metric: 'heart_rate', below: 45, above: null })).toEqual({
      metric: 'heart_rate',
      below: 45,
    });
    expect(formToParams('threshold', { metric: 'systolic', above: 160 })).toEqual({ metric: 'systolic', above: 160 });
  });

  it('sends a no-use rule its window, minimum and trimmed quiet hours', () => {
    expect(
      formToParams('no_use', {
        metric: 'water_total',
        windowHours: 8,
        minUse: 10,
        quietStart: ' 22:00 ',
        quietEnd: '06:00',
      }),
    ).toEqual({ metric: 'water_total', windowHours: 8, minUse: 10, quietStart: '22:00', quietEnd: '06:00' });
    // a minimum of zero is a value, not a blank
    expect(formToParams('no_use', { metric: 'w', windowHours: 12, minUse: 0, quietStart: '', quietEnd: null })).toEqual(
      { metric: 'w', windowHours: 12, minUse: 0 },
    );
  });

  it('sends high-use, silent and event rules only their own params', () => {
    const leftOver = { metric: 'w', below: 1, windowHours: 8, windowMinutes: 60, maxUse: 300, minutes: 30 };
    expect(formToParams('high_use', leftOver)).toEqual({ metric: 'w', windowMinutes: 60, maxUse: 300 });
    expect(formToParams('silent', leftOver)).toEqual({ minutes: 30 });
    expect(formToParams('event', { ...leftOver, events: ['sos', ' smoke ', 'sos', ''] })).toEqual({
      events: ['sos', 'smoke'],
    });
  });
});

describe('paramsToForm', () => {
  it('round-trips every kind through the form', () => {
    const samples = {
      threshold: { metric: 'heart_rate', below: 45, above: 120 },
      no_use: { metric: 'water_total', windowHours: 8, minUse: 10, quietStart: '22:00', quietEnd: '06:00' },
      high_use: { metric: 'water_total', windowMinutes: 60, maxUse: 300 },
      silent: { minutes: 120 },
      event: { events: ['high_altitude_throwing', 'ebike_in_lift'] },
    } as const;
    for (const kind of RULE_KINDS) {
      expect(formToParams(kind, paramsToForm(kind, samples[kind]))).toEqual(samples[kind]);
    }
  });

  it('drops values of the wrong type and keys of another kind', () => {
    expect(paramsToForm('threshold', { metric: 'hr', below: '45', above: 120, minutes: 5 })).toEqual({
      metric: 'hr',
      above: 120,
    });
    expect(paramsToForm('event', { events: ['sos', 3] })).toEqual({ events: ['sos'] });
  });

  it("lists every kind's fields", () => {
    expect(Object.keys(PARAM_FIELDS).sort()).toEqual([...RULE_KINDS].sort());
  });
});

describe('paramProblems', () => {
  it('asks a threshold rule for a limit and for the upper above the lower', () => {
    expect(paramProblems('threshold', { metric: 'hr' })).toEqual([{ field: 'below', problem: 'belowOrAbove' }]);
    expect(paramProblems('threshold', { metric: 'hr', below: 120, above: 45 })).toEqual([
      { field: 'above', problem: 'belowUnderAbove' },
    ]);
    expect(paramProblems('threshold', { metric: 'hr', below: 45, above: 120 })).toEqual([]);
    expect(paramProblems('threshold', { below: 45 })).toEqual([{ field: 'metric', problem: 'required' }]);
  });

  it('wants both quiet times or neither, each as HH:mm', () => {
    const base = { metric: 'w', windowHours: 8, minUse: 10 };
    expect(paramProblems('no_use', base)).toEqual([]);
    expect(paramProblems('no_use', { ...base, quietStart: '22:00', quietEnd: '06:00' })).toEqual([]);
    expect(paramProblems('no_use', { ...base, quietStart: '22:00' })).toEqual([
      { field: 'quietEnd', problem: 'quietPair' },
    ]);
    expect(paramProblems('no_use', { ...base, quietStart: '24:00', quietEnd: '6:00' })).toEqual([
      { field: 'quietStart', problem: 'hhmm' },
      { field: 'quietEnd', problem: 'hhmm' },
    ]);
  });

  it('requires the params each kind cannot do without', () => {
    expect(paramProblems('high_use', {}).map((p) => p.field)).toEqual(['metric', 'windowMinutes', 'maxUse']);
    expect(paramProblems('silent', {})).toEqual([{ field: 'minutes', problem: 'required' }]);
    expect(paramProblems('event', { events: [] })).toEqual([{ field: 'events', problem: 'required' }]);
    expect(paramProblems('no_use', { metric: 'w', windowHours: 8, minUse: 0 })).toEqual([]);
  });
});

describe('overrideParams', () => {
  it('keeps only what differs from the rule', () => {
    const rule = { metric: 'water_total', windowHours: 8, minUse: 10, quietStart: '22:00', quietEnd: '06:00' };
    expect(overrideParams('no_use', rule, { ...rule, windowHours: 12 })).toEqual({ windowHours: 12 });
    expect(overrideParams('no_use', rule, { ...rule })).toEqual({});
    expect(overrideParams('event', { events: ['sos'] }, { events: ['sos', 'fall'] })).toEqual({
      events: ['sos', 'fall'],
    });
  });
});

describe('normaliseLadder', () => {
  it("orders the steps by time, a tie in the ladder's own order", () => {
    expect(
      normaliseLadder([
        { level: 'street', afterMin: 120 },
        { level: 'grid', afterMin: 15 },
        { level: 'community', afterMin: 15 },
        { level: 'family', afterMin: 0 },
      ]),
    ).toEqual([
      { level: 'family', afterMin: 0 },
      { level: 'grid', afterMin: 15 },
      { level: 'community', afterMin: 15 },
      { level: 'street', afterMin: 120 },
    ]);
  });

  it('drops empty rows, keeps each level once at its earliest time and rounds into 0–1440', () => {
    expect(
      normaliseLadder([
        { level: null, afterMin: 5 },
        { level: 'grid', afterMin: 30 },
        { level: 'grid', afterMin: 10.4 },
        { level: 'community', afterMin: 5000 },
        { level: 'family', afterMin: -3 },
        { level: 'street' },
      ]),
    ).toEqual([
      { level: 'family', afterMin: 0 },
      { level: 'street', afterMin: 0 },
      { level: 'grid', afterMin: 10 },
      { level: 'community', afterMin: 1440 },
    ]);
    expect(normaliseLadder([])).toEqual([]);
  });

  it('marks the rows that repeat a level', () => {
    expect(duplicateLadderRows([{ level: 'family' }, { level: 'grid' }, { level: 'family' }, {}])).toEqual([2]);
    expect(duplicateLadderRows([{ level: 'family' }, { level: 'grid' }])).toEqual([]);
  });
});
