import { describe, expect, it } from 'vitest';
import type { AlarmDetail, AlarmEvent, AlarmListItem } from '../../../api-types';
import {
  compareAlarms,
  eventDetailParts,
  isAlarmLiveEvent,
  ladderRows,
  placeLine,
  SEVERITY_COLOR,
  STATUS_COLOR,
} from './alarm-labels';

const event = (
  id: number,
  action: AlarmEvent['action'],
  at: string,
  level: AlarmEvent['level'] = null,
): AlarmEvent => ({
  id,
  at,
  actor: null,
  action,
  level,
  detail: {},
});

const ladder: AlarmDetail['ladder'] = [
  { level: 'family', afterMin: 0 },
  { level: 'grid', afterMin: 15 },
  { level: 'community', afterMin: 45 },
];
const firstAt = '2026-12-07T01:00:00.000Z';

describe('ladderRows', () => {
  it('shows which level was notified when, and when the next one falls due', () => {
    const rows = ladderRows({
      firstAt,
      ladder,
      acknowledgedAt: null,
      resolvedAt: null,
      events: [
        event(1, 'raised', firstAt),
        event(2, 'notified', '2026-12-07T01:00:01.000Z', 'family'),
        event(3, 'escalated', '2026-12-07T01:15:02.000Z', 'grid'),
      ],
    });
    expect(rows).toEqual([
      { level: 'family', afterMin: 0, dueAt: firstAt, notifiedAt: '2026-12-07T01:00:01.000Z', state: 'notified' },
      {
        level: 'grid',
        afterMin: 15,
        dueAt: '2026-12-07T01:15:00.000Z',
        notifiedAt: '2026-12-07T01:15:02.000Z',
        state: 'notified',
      },
      { level: 'community', afterMin: 45, dueAt: '2026-12-07T01:45:00.000Z', notifiedAt: null, state: 'pending' },
    ]);
  });

  it('marks the steps not reached before acknowledgment as stopped', () => {
    const rows = ladderRows({
      firstAt,
      ladder,
      acknowledgedAt: '2026-12-07T01:05:00.000Z',
      resolvedAt: null,
      events: [event(2, 'notified', firstAt, 'family'), event(4, 'acknowledged', '2026-12-07T01:05:00.000Z')],
    });
    expect(rows.map((r) => r.state)).toEqual(['notified', 'stopped', 'stopped']);
  });

  it('is empty for a rule without a ladder', () => {
    expect(ladderRows({ firstAt, ladder: [], acknowledgedAt: null, resolvedAt: null, events: [] })).toEqual([]);
  });
});

describe('isAlarmLiveEvent', () => {
  it('takes a well-formed frame of the alarms topic', () => {
    expect(isAlarmLiveEvent({ alarmId: 5, status: 'active', severity: 'critical', change: 'raised' })).toBe(true);
  });

  it('refuses anything else', () => {
    expect(isAlarmLiveEvent(null)).toBe(false);
    expect(isAlarmLiveEvent({ id: 5, stage: 'reported' })).toBe(false);
    expect(isAlarmLiveEvent({ alarmId: '5', status: 'active', severity: 'critical', change: 'raised' })).toBe(false);
    expect(isAlarmLiveEvent({ alarmId: 5, status: 'open', severity: 'critical', change: 'raised' })).toBe(false);
    expect(isAlarmLiveEvent({ alarmId: 5, status: 'active', severity: 'critical', change: 'deleted' })).toBe(false);
  });
});

describe('severity and status', () => {
  it('have a colour for every value, red for critical', () => {
    expect(Object.keys(SEVERITY_COLOR).sort()).toEqual(['critical', 'major', 'minor', 'warning']);
    expect(SEVERITY_COLOR.critical).toBe('red');
    expect(Object.keys(STATUS_COLOR).sort()).toEqual(['acknowledged', 'active', 'resolved']);
  });

  it('orders the most severe first, then the latest', () => {
    const a = (id: number, severity: AlarmListItem['severity'], lastAt: string) =>
      ({ id, severity, lastAt }) as AlarmListItem;
    const sorted = [
      a(1, 'warning', '2026-12-07T03:00:00Z'),
      a(2, 'critical', '2026-12-07T01:00:00Z'),
      a(3, 'critical', '2026-12-07T02:00:00Z'),
      a(4, 'major', '2026-12-07T04:00:00Z'),
    ].sort(compareAlarms);
    expect(sorted.map((x) => x.id)).toEqual([3, 2, 4, 1]);
  });
});

describe('placeLine', () => {
  it('joins the place, the house and the watched person, leaving out what is missing', () => {
    expect(placeLine({ placeName: '东关社区 / 第一网格 / 3号楼', houseLabel: '2单元301', residentName: '张*' })).toBe(
      '东关社区 / 第一网格 / 3号楼 · 2单元301 · 张*',
    );
    expect(placeLine({ placeName: '东关社区', houseLabel: null, residentName: null })).toBe('东关社区');
  });
});

describe('eventDetailParts', () => {
  it('shows a note as written', () => {
    expect(eventDetailParts({ action: 'note', detail: { text: '已电话联系女儿，人在家' } })).toEqual({
      note: '已电话联系女儿，人在家',
    });
  });

  it('takes the outcome and the note of a resolution', () => {
    expect(eventDetailParts({ action: 'resolved', detail: { outcome: 'person_safe', note: '老人误按' } })).toEqual({
      outcome: 'person_safe',
      note: '老人误按',
    });
    expect(eventDetailParts({ action: 'resolved', detail: { outcome: 'auto_cleared' } })).toEqual({
      outcome: 'auto_cleared',
    });
    expect(eventDetailParts({ action: 'resolved', detail: { outcome: 'shrugged' } })).toEqual({});
  });

  it('counts the messages a ladder step sent, without the recipients’ ids', () => {
    expect(
      eventDetailParts({ action: 'notified', detail: { step: 0, users: [4, 9], messages: 2, contactsToCall: [] } }),
    ).toEqual({ messages: 2 });
  });

  it('links the case opened', () => {
    expect(eventDetailParts({ action: 'case_opened', detail: { caseId: 31, caseNo: 'SY20261207-0031' } })).toEqual({
      caseId: 31,
      caseNo: 'SY20261207-0031',
    });
  });

  it('leaves a trigger’s raw values to the alarm’s own summary line', () => {
    expect(
      eventDetailParts({
        action: 'raised',
        detail: { metric: 'heart_rate', value: 150, at: '2026-12-07T01:00:00.000Z', window: { h: 8 } },
      }),
    ).toEqual({});
    expect(eventDetailParts({ action: 'escalated', detail: { step: 1 } })).toEqual({});
  });
});
