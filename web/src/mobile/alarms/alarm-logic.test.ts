import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import {
  alarmAccess,
  awayUntilOf,
  type compareAlarms,
  outcomeLabelKey,
  pickedDay,
  RESOLVE_OUTCOMES,
  severityLabelKey,
  sortAlarms,
  telHref,
} from './alarm-logic';

type Row = Parameters<typeof compareAlarms>[0];
const row = (id: number, severity: Row['severity'], status: Row['status'], lastAt: string): Row => ({
  id,
  severity,
  status,
  lastAt,
});

describe('sortAlarms', () => {
  it('puts the most severe first, whatever their time', () => {
    const sorted = sortAlarms([
      row(1, 'warning', 'active', '2026-12-07T05:00:00Z'),
      row(2, 'critical', 'active', '2026-12-07T01:00:00Z'),
      row(3, 'minor', 'active', '2026-12-07T04:00:00Z'),
      row(4, 'major', 'active', '2026-12-07T03:00:00Z'),
    ]);
    expect(sorted.map((r) => r.id)).toEqual([2, 4, 3, 1]);
  });

  it('within a severity puts unacknowledged before acknowledged, then the newest first', () => {
    const sorted = sortAlarms([
      row(1, 'critical', 'acknowledged', '2026-12-07T05:00:00Z'),
      row(2, 'critical', 'active', '2026-12-07T01:00:00Z'),
      row(3, 'critical', 'active', '2026-12-07T04:00:00.000Z'),
      row(4, 'critical', 'acknowledged', '2026-12-07T02:00:00Z'),
    ]);
    expect(sorted.map((r) => r.id)).toEqual([3, 2, 1, 4]);
  });

  it('breaks a tie by the newer id, and leaves the input alone', () => {
    const input = [
      row(5, 'major', 'active', '2026-12-07T05:00:00Z'),
      row(9, 'major', 'active', '2026-12-07T05:00:00Z'),
    ];
    expect(sortAlarms(input).map((r) => r.id)).toEqual([9, 5]);
    expect(input.map((r) => r.id)).toEqual([5, 9]);
  });

  it('compares times as instants, not as text (an offset is honoured)', () => {
    // 13:00+08:00 is 05:00Z: newer than 04:30Z although it sorts lower as a string
    const sorted = sortAlarms([
      row(1, 'minor', 'active', '2026-12-07T04:30:00Z'),
      row(2, 'minor', 'active', '2026-12-07T13:00:00+08:00'),
    ]);
    expect(sorted.map((r) => r.id)).toEqual([2, 1]);
  });
});

describe('outcome and severity labels', () => {
  const pick = (tree: object, key: string) =>
    key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);

  it('offer the four outcomes a person chooses, never the system’s auto_cleared', () => {
    expect([...RESOLVE_OUTCOMES].sort()).toEqual(['emergency_called', 'false_alarm', 'help_given', 'person_safe']);
  });

  it('name every outcome and severity in both languages', () => {
    expect(outcomeLabelKey('false_alarm')).toBe('mobileAlarms.outcomes.false_alarm');
    expect(pick(zhCN, outcomeLabelKey('false_alarm'))).toBe('误报');
    expect(pick(en, outcomeLabelKey('emergency_called'))).toBe('Emergency services called');
    expect(pick(zhCN, outcomeLabelKey('auto_cleared'))).toBe('已自动恢复');
    for (const o of [...RESOLVE_OUTCOMES, 'auto_cleared' as const]) {
      expect(typeof pick(zhCN, outcomeLabelKey(o))).toBe('string');
      expect(typeof pick(en, outcomeLabelKey(o))).toBe('string');
    }
    expect(pick(zhCN, severityLabelKey('critical'))).toBe('紧急');
    expect(pick(en, severityLabelKey('warning'))).toBe('Warning');
  });
});

describe('telHref', () => {
  it('links a full number, dropping spaces, dashes and brackets', () => {
    expect(telHref('13805371234')).toBe('tel:13805371234');
    expect(telHref(' 138 0537 1234 ')).toBe('tel:13805371234');
    expect(telHref('(0537) 123-4567')).toBe('tel:05371234567');
    expect(telHref('+86 138-0537-1234')).toBe('tel:+8613805371234');
  });

  it('gives no link for a masked number, nothing, or something that is not a number', () => {
    expect(telHref('138****1234')).toBeNull();
    expect(telHref('138••••1234')).toBeNull();
    expect(telHref('138xxxx1234')).toBeNull();
    expect(telHref('')).toBeNull();
    expect(telHref(null)).toBeNull();
    expect(telHref(undefined)).toBeNull();
    expect(telHref('call me')).toBeNull();
    expect(telHref('12')).toBeNull();
    expect(telHref('1+2345')).toBeNull();
  });
});

describe('alarmAccess', () => {
  it('gives a grid worker the area’s alarms and the actions', () => {
    expect(alarmAccess({ modules: ['devices'], permissions: ['devices.read', 'alarms.handle'] })).toEqual({
      canRead: true,
      canHandle: true,
    });
  });

  it('gives a resident nothing, and nobody anything when the module is off', () => {
    expect(alarmAccess({ modules: ['devices'], permissions: [] })).toEqual({ canRead: false, canHandle: false });
    expect(alarmAccess({ modules: ['cases'], permissions: ['devices.read', 'alarms.handle'] })).toEqual({
      canRead: false,
      canHandle: false,
    });
    expect(alarmAccess(undefined)).toEqual({ canRead: false, canHandle: false });
  });
});

describe('the away switch’s until day', () => {
  it('takes the picked day as the picker shows it and ends it in Asia/Shanghai', () => {
    expect(pickedDay(new Date(2026, 11, 9, 0, 0))).toBe('2026-12-09');
    expect(pickedDay(new Date(2027, 0, 1, 23, 59))).toBe('2027-01-01');
    expect(awayUntilOf('2026-12-09')).toBe('2026-12-09T15:59:59.999Z');
  });
});
