import type { QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { BuildingDevices, DeadLetter, DeviceDetail, DeviceListItem, Me, Page } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { alarmKeys } from '../../alarms/hooks/use-alarms';
import { deviceKeys } from '../hooks/use-devices';
import { type DeviceFilters, toDeviceListQuery } from '../utils/device-filters';
import { DeviceDetailView } from './device-detail-view';
import { DevicesView } from './devices-view';

const me = {
  permissions: ['devices.read', 'alarms.handle', 'people.read'],
  modules: ['devices', 'people'],
  posts: [{ nodeId: 3 }],
} as unknown as Me;

const item: DeviceListItem = {
  id: 9,
  typeCode: 'water_meter',
  typeName: '智能水表',
  serial: 'WM-0009',
  name: '张大爷家水表',
  nodeId: 12,
  placeName: '东关社区 / 第一网格 / 3号楼',
  houseId: 5,
  houseLabel: '2单元301',
  residentId: 77,
  residentName: '张*',
  status: 'active',
  online: false,
  lastSeenAt: '2026-12-07T01:00:00.000Z',
  openAlarms: 1,
  installedOn: '2026-11-01',
};

const rule = {
  id: 5,
  typeCode: 'water_meter',
  code: 'no_use',
  nameZh: '长时间未用水',
  nameEn: 'No water use',
  name: '长时间未用水',
  kind: 'no_use' as const,
  params: { metric: 'total_l', windowHours: 8, minUse: 10, quietStart: '22:00', quietEnd: '06:00' },
  severity: 'major' as const,
  ladder: [{ level: 'family' as const, afterMin: 0 }],
  autoResolve: true,
  builtin: true,
  enabled: true,
  version: 1,
};

const device: DeviceDetail = {
  ...item,
  location: '厨房',
  lat: null,
  lng: null,
  secretPrefix: 'abc123',
  secretRotatedAt: '2026-11-01T02:00:00.000Z',
  metrics: [
    { key: 'total_l', nameZh: '累计用水', nameEn: 'Water total', unit: 'L', min: 0, max: 1e9, cumulative: true },
  ],
  events: [],
  rules: [
    {
      rule,
      override: {
        ruleId: 5,
        residentId: 77,
        params: { windowHours: 12 },
        enabled: true,
        note: '白天常外出',
        updatedAt: '2026-12-01T00:00:00.000Z',
      },
      effectiveParams: { ...rule.params, windowHours: 12 },
    },
  ],
  away: null,
  version: 3,
  createdAt: '2026-11-01T02:00:00.000Z',
};

const letter: DeadLetter = {
  id: 1,
  receivedAt: '2026-12-07T01:30:00.000Z',
  deviceId: 9,
  via: 'mqtt',
  topic: 'linli/9/telemetry',
  reason: 'value_out_of_range',
  detail: 'total_l = -5',
  payload: '{"values":{"total_l":-5}}',
  count: 3,
};

const render = (node: ReactNode, fill: (client: QueryClient) => void) => renderView(me, node, fill);

failOnRenderWarnings();

describe('DevicesView', () => {
  it('shows the buildings with online, offline and alarm counts, and the devices of the chosen one', () => {
    const filters: DeviceFilters = { buildingId: 12, page: 1, pageSize: 20 };
    const buildings: BuildingDevices[] = [
      { nodeId: 12, placeName: '东关社区 / 第一网格 / 3号楼', total: 4, online: 3, offline: 1, openAlarms: 1 },
    ];
    const page: Page<DeviceListItem> = { items: [item], total: 1 };
    const html = render(<DevicesView filters={filters} onChange={() => undefined} />, (c) => {
      c.setQueryData(deviceKeys.buildings(undefined), buildings);
      c.setQueryData(deviceKeys.list(toDeviceListQuery(filters)), page);
    });
    expect(html).toContain('在线 3');
    expect(html).toContain('离线 1');
    expect(html).toContain('预警 1');
    expect(html).toContain('data-node-id="12"');
    expect(html).toContain('href="/devices/9"');
    expect(html).toContain('data-online="false"');
    expect(html).toContain('data-testid="devices-actions"');
    expect(html).toContain('data-testid="devices-export"');
  });
});

describe('DeviceDetailView', () => {
  it('shows the facts, the rules in effect with the person’s override, alarm history and dead letters', () => {
    const html = render(<DeviceDetailView id={9} />, (c) => {
      c.setQueryData(deviceKeys.detail(9), device);
      c.setQueryData(alarmKeys.list({ deviceId: 9, page: 1, pageSize: 10 }), {
        items: [],
        total: 0,
        counts: { active: 0, acknowledged: 0, critical: 0 },
      });
      c.setQueryData(deviceKeys.deadLetters({ deviceId: 9, page: 1, pageSize: 10 }), { items: [letter], total: 1 });
    });
    expect(html).toContain('WM-0009');
    expect(html).toContain('abc123');
    // the effective window (12 h, the person's) rather than the type's 8 h
    expect(html).toContain('12 小时内累计用水用量 &lt; 10 L');
    expect(html).toContain('data-testid="rule-overridden"');
    expect(html).toContain('data-testid="device-telemetry"');
    expect(html).toContain('data-testid="device-alarms"');
    expect(html).toContain('数值超出合理范围');
    expect(html).toContain('data-testid="device-actions-slot"');
  });
});
