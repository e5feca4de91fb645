import type { QueryClient } from '@tanstack/react-query';
import { Form } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROLE_PERMISSIONS } from '../../../../../server/src/platform/access/roles';
import type { DeviceDetail, DeviceRule, DeviceType, Me } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { DeviceRulesTab } from '../../devices-settings/components/device-rules-tab';
import { DeviceTypesTab } from '../../devices-settings/components/device-types-tab';
import { LadderEditor } from '../../devices-settings/components/ladder-editor';
import { RuleParamsFields } from '../../devices-settings/components/rule-params-fields';
import { RULE_KINDS } from '../../devices-settings/utils/rule-params';
import { registryKeys } from '../hooks/use-devices-registry';
import { DeviceActions } from './device-actions';
import { DeviceCredentialsView } from './device-credentials';
import { DeviceImportWorkspace } from './device-import-workspace';
import { ResidentDevicesCard } from './resident-devices-card';

// devices [E]: what the registry's pieces show and offer to each role (server rendering, the query cache filled)

const grants = (role: 'community_worker' | 'grid_worker' | 'admin', nodeId: number | null = 3) =>
  ({ permissions: [...ROLE_PERMISSIONS[role]], modules: ['devices', 'people'], posts: [{ nodeId }] }) as unknown as Me;

const rule: DeviceRule = {
  id: 5,
  typeCode: 'water_meter',
  code: 'no_use',
  nameZh: '长时间未用水',
  nameEn: 'No water use',
  name: '长时间未用水',
  kind: 'no_use',
  params: { metric: 'total_l', windowHours: 8, minUse: 10, quietStart: '22:00', quietEnd: '06:00' },
  severity: 'major',
  ladder: [
    { level: 'family', afterMin: 0 },
    { level: 'grid', afterMin: 15 },
  ],
  autoResolve: false,
  builtin: true,
  enabled: true,
  version: 2,
};

const device: DeviceDetail = {
  id: 9,
  typeCode: 'water_meter',
  typeName: '智能水表',
  serial: 'WM-0009',
  name: null,
  nodeId: 12,
  placeName: '东关社区 / 第一网格 / 3号楼',
  houseId: 5,
  houseLabel: '2单元301',
  residentId: 77,
  residentName: '张*',
  status: 'active',
  online: true,
  lastSeenAt: '2026-12-07T01:00:00.000Z',
  openAlarms: 2,
  installedOn: '2026-11-01',
  location: '厨房',
  lat: null,
  lng: null,
  secretPrefix: 'abc123',
  secretRotatedAt: '2026-11-01T02:00:00.000Z',
  metrics: [
    { key: 'total_l', nameZh: '累计用水', nameEn: 'Water total', unit: 'L', min: 0, max: 1e9, cumulative: true },
  ],
  events: [],
  rules: [{ rule, override: null, effectiveParams: rule.params }],
  away: null,
  version: 3,
  createdAt: '2026-11-01T02:00:00.000Z',
};

const waterMeter: DeviceType = {
  code: 'water_meter',
  nameZh: '智能水表',
  nameEn: 'Water meter',
  name: '智能水表',
  builtin: true,
  metrics: device.metrics,
  events: [],
  reportIntervalS: 600,
  active: true,
  sort: 1,
  deviceCount: 1,
};

const render = renderView;

failOnRenderWarnings();

afterEach(() => {
  vi.unstubAllGlobals();
});

const fillResident = (override: boolean) => (c: QueryClient) => {
  c.setQueryData(registryKeys.byResident(77), { items: [device], total: 1 });
  c.setQueryData(['devices', 'details', 9], [device]);
  c.setQueryData(registryKeys.overrides(77), {
    items: override
      ? [
          {
            ruleId: 5,
            residentId: 77,
            params: { windowHours: 24 },
            enabled: true,
            note: null,
            updatedAt: '2026-12-01T00:00:00.000Z',
          },
        ]
      : [],
  });
  c.setQueryData(registryKeys.away(77), {
    residentId: 77,
    fromAt: '2026-12-06T00:00:00.000Z',
    untilAt: null,
    reason: '去女儿家',
    setBy: '李社工',
    setAt: '2026-12-06T00:00:00.000Z',
  });
};

describe('ResidentDevicesCard', () => {
  it('gives a community worker the devices, the away switch and the person’s rules with their override', () => {
    const html = render(grants('community_worker'), <ResidentDevicesCard residentId={77} />, fillResident(true));
    expect(html).toContain('href="/devices/9"');
    expect(html).toContain('WM-0009');
    expect(html).toContain('在线');
    expect(html).toContain('data-testid="resident-away"');
    expect(html).toContain('外出中，至 手动关闭');
    expect(html).toContain('去女儿家');
    expect(html).toContain('data-testid="resident-overrides"');
    // the person's 24 h over the rule's 8 h, the metric by its name
    expect(html).toContain('时间窗口 24 小时');
    expect(html).toContain('测量项 累计用水');
    expect(html).toContain('已调整');
    expect(html).toContain('恢复默认');
  });

  it('gives a grid worker the devices and the away switch but no rule overrides', () => {
    const html = render(grants('grid_worker'), <ResidentDevicesCard residentId={77} />, fillResident(false));
    expect(html).toContain('WM-0009');
    expect(html).toContain('data-testid="resident-away"');
    expect(html).not.toContain('data-testid="resident-overrides"');
  });
});

describe('DeviceActions', () => {
  it('offers edit, rotate, disable and retire to those who manage devices', () => {
    const html = render(grants('community_worker'), <DeviceActions device={device} />);
    expect(html).toContain('data-testid="device-actions"');
    expect(html).toContain('data-testid="device-rotate"');
    expect(html).toContain('停用');
    expect(html).toContain('报废');
  });

  it('offers enabling a disabled device, nothing for a retired one, and nothing without devices.manage', () => {
    expect(render(grants('community_worker'), <DeviceActions device={{ ...device, status: 'disabled' }} />)).toContain(
      '启用',
    );
    expect(
      render(grants('community_worker'), <DeviceActions device={{ ...device, status: 'retired' }} />),
    ).not.toContain('data-testid="device-actions"');
    const grid = render(grants('grid_worker'), <DeviceActions device={device} />);
    expect(grid).not.toContain('data-testid="device-actions"');
    expect(grid).not.toContain('重置凭据');
  });
});

describe('DeviceRulesTab', () => {
  it('lists a type’s rules with their params, severity and ladder', () => {
    const html = render(grants('admin', null), <DeviceRulesTab />, (c) => {
      c.setQueryData(registryKeys.types('zh-CN'), { items: [waterMeter] });
      c.setQueryData(['devices', 'rules', 'water_meter'], { items: [rule] });
    });
    expect(html).toContain('长时间未用水');
    expect(html).toContain('无使用');
    expect(html).toContain('时间窗口 8 小时');
    expect(html).toContain('静默开始 22:00');
    expect(html).toContain('重要');
    expect(html).toContain('家属 0 分钟 → 网格员 15 分钟');
  });
});

describe('DeviceTypesTab', () => {
  it('lists the types with their metrics, interval and device count, built-ins marked', () => {
    const html = render(grants('admin', null), <DeviceTypesTab />, (c) => {
      c.setQueryData(registryKeys.types('zh-CN'), { items: [waterMeter] });
    });
    expect(html).toContain('water_meter');
    expect(html).toContain('累计用水（L）');
    expect(html).toContain('600 秒');
    expect(html).toContain('内置');
  });
});

describe('RuleParamsFields and LadderEditor', () => {
  it('render the fields of every kind and the ladder rows', () => {
    for (const kind of RULE_KINDS) {
      const html = render(
        grants('admin', null),
        <Form initialValues={{ params: {}, ladder: rule.ladder }}>
          <RuleParamsFields
            kind={kind}
            metrics={device.metrics}
            events={[{ key: 'sos', nameZh: 'SOS 呼救', nameEn: 'SOS' }]}
          />
          <LadderEditor />
        </Form>,
      );
      const expected = {
        threshold: 'rule-param-below',
        no_use: 'rule-param-quiet-start',
        high_use: 'rule-param-max-use',
        silent: 'rule-param-minutes',
        event: 'rule-param-events',
      }[kind];
      expect(html).toContain(`data-testid="${expected}"`);
      expect(html).toContain('data-testid="ladder-editor"');
    }
  });
});

describe('the import page and the credentials', () => {
  it('offers the template, the upload and a single registration', () => {
    const html = render(grants('community_worker'), <DeviceImportWorkspace />);
    expect(html).toContain('href="/api/devices/import-template.xlsx"');
    expect(html).toContain('data-testid="device-import-upload"');
    expect(html).toContain('data-testid="register-device"');
  });

  it('shows the token once with the username, topics and the HTTP address completed with the origin', () => {
    vi.stubGlobal('window', { location: { origin: 'https://linli.example' } });
    const html = render(
      grants('community_worker'),
      <DeviceCredentialsView
        credentials={{
          deviceId: 9,
          username: '9',
          token: 'tok_abcdefghijklmnopqrstuvwxyz0123456789ABCDE',
          telemetryTopic: 'linli/9/telemetry',
          eventTopic: 'linli/9/event',
          httpUrl: '/api/ingest/devices/9/messages',
        }}
        onClose={() => undefined}
      />,
    );
    expect(html).toContain('tok_abcdefghijklmnopqrstuvwxyz0123456789ABCDE');
    expect(html).toContain('仅显示这一次');
    expect(html).toContain('linli/9/telemetry');
    expect(html).toContain('https://linli.example/api/ingest/devices/9/messages');
  });
});
