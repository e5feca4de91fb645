import type { QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { AlarmDetail, AlarmPage, Me } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { meQueryKey } from '../../auth/hooks/use-auth';
import { deviceKeys } from '../../devices/hooks/use-devices';
import { alarmKeys } from '../hooks/use-alarms';
import { toAlarmListQuery } from '../utils/alarm-filters';
import { AlarmDetailView } from './alarm-detail-view';
import { AlarmsCentre } from './alarms-centre';

const me = {
  permissions: ['devices.read', 'alarms.handle', 'people.read'],
  modules: ['devices', 'people'],
  posts: [{ nodeId: 3 }],
} as unknown as Me;

const alarm: AlarmDetail = {
  id: 41,
  status: 'active',
  severity: 'critical',
  kind: 'event',
  ruleId: 5,
  ruleName: 'SOS 呼救',
  deviceId: 9,
  deviceSerial: 'SOS-0009',
  typeCode: 'sos_button',
  typeName: '紧急呼叫按钮',
  nodeId: 12,
  placeName: '东关社区 / 第一网格 / 3号楼',
  houseLabel: '2单元301',
  residentId: 77,
  residentName: '张*',
  summary: 'SOS 呼救',
  detail: { event: 'sos' },
  firstAt: '2026-12-07T01:00:00.000Z',
  lastAt: '2026-12-07T01:02:00.000Z',
  triggerCount: 2,
  level: 'family',
  nextStepAt: '2026-12-07T01:15:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  outcome: null,
  clearedAt: null,
  caseId: null,
  version: 1,
  events: [
    { id: 1, at: '2026-12-07T01:00:00.000Z', actor: null, action: 'raised', level: null, detail: { event: 'sos' } },
    {
      id: 2,
      at: '2026-12-07T01:00:01.000Z',
      actor: null,
      action: 'notified',
      level: 'family',
      detail: { step: 0, users: [4], messages: 1 },
    },
    {
      id: 3,
      at: '2026-12-07T01:03:00.000Z',
      actor: '王网格',
      action: 'note',
      level: null,
      detail: { text: '电话未接通' },
    },
  ],
  contacts: [{ contactId: 3, name: '张小明', relation: '子女', phoneMasked: '138****1234', hasAccount: true }],
  ladder: [
    { level: 'family', afterMin: 0 },
    { level: 'grid', afterMin: 15 },
  ],
  allowedActions: ['acknowledge', 'resolve', 'note', 'case'],
};

const render = (node: ReactNode, fill: (client: QueryClient) => void) => renderView(me, node, fill);

failOnRenderWarnings();

describe('AlarmDetailView', () => {
  it('shows the alarm, the contacts to call (masked), the ladder, the timeline and the actions allowed', () => {
    const html = render(<AlarmDetailView id={41} />, (c) => c.setQueryData(alarmKeys.detail(41), alarm));
    expect(html).toContain('SOS 呼救');
    expect(html).toContain('138****1234');
    expect(html).toContain('张小明');
    // the ladder: family notified, the grid worker due at 09:15 Shanghai time
    expect(html).toContain('已通知');
    expect(html).toContain('待通知');
    expect(html).toContain('2026-12-07 09:15:00');
    expect(html).toContain('电话未接通');
    expect(html).toContain('已发出 1 条通知');
    for (const id of ['alarm-detail-ack', 'alarm-detail-resolve', 'alarm-open-case', 'alarm-note-form']) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain('href="/devices/9"');
    expect(html).toContain('href="/people/residents/77"');
  });

  it('shows the readings around an alarm about a metric the device reports', () => {
    const threshold: AlarmDetail = {
      ...alarm,
      kind: 'threshold',
      detail: { metric: 'heart_rate', value: 150, above: 120 },
    };
    const html = render(<AlarmDetailView id={41} />, (c) => {
      c.setQueryData(alarmKeys.detail(41), threshold);
      c.setQueryData(deviceKeys.detail(9), {
        id: 9,
        metrics: [{ key: 'heart_rate', nameZh: '心率', nameEn: 'Heart rate', unit: 'bpm', min: 0, max: 300 }],
      });
    });
    expect(html).toContain('预警前后的读数');
    expect(html).toContain('data-testid="device-telemetry"');
    // an event alarm (no metric) has none
    const sos = render(<AlarmDetailView id={41} />, (c) => c.setQueryData(alarmKeys.detail(41), alarm));
    expect(sos).not.toContain('data-testid="device-telemetry"');
  });

  it('offers no action the server does not allow, and links the case once opened', () => {
    const resolved: AlarmDetail = {
      ...alarm,
      status: 'resolved',
      outcome: 'person_safe',
      resolvedAt: '2026-12-07T01:20:00.000Z',
      resolvedBy: '王网格',
      caseId: 31,
      allowedActions: [],
    };
    const html = render(<AlarmDetailView id={41} />, (c) => c.setQueryData(alarmKeys.detail(41), resolved));
    expect(html).toContain('人员安全');
    expect(html).toContain('href="/cases/31"');
    for (const id of ['alarm-detail-ack', 'alarm-detail-resolve', 'alarm-open-case', 'alarm-note-form']) {
      expect(html).not.toContain(`data-testid="${id}"`);
    }
  });
});

describe('AlarmsCentre', () => {
  const filters = { status: 'open' as const, page: 1, pageSize: 20 };
  const page: AlarmPage = { items: [alarm], total: 1, counts: { active: 4, acknowledged: 2, critical: 1 } };

  it('shows the header counts and the alarms with one-click acknowledge and resolve', () => {
    const html = render(<AlarmsCentre filters={filters} onChange={() => undefined} />, (c) =>
      c.setQueryData(alarmKeys.list(toAlarmListQuery(filters)), page),
    );
    expect(html).toContain('data-testid="alarm-count-active"');
    expect(html).toMatch(/>4</);
    expect(html).toContain('data-row-key="41"');
    expect(html).toContain('data-testid="alarm-ack"');
    expect(html).toContain('data-testid="alarm-resolve"');
    expect(html).toContain('href="/alarms/41"');
  });

  it('leaves the row actions out for a reader who may not handle alarms', () => {
    const client = (c: QueryClient) => {
      c.setQueryData(meQueryKey, { ...me, permissions: ['devices.read'] });
      c.setQueryData(alarmKeys.list(toAlarmListQuery(filters)), page);
    };
    const html = render(<AlarmsCentre filters={filters} onChange={() => undefined} />, client);
    expect(html).toContain('data-row-key="41"');
    expect(html).not.toContain('data-testid="alarm-ack"');
  });
});
