import { Card, Table, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeviceDetail } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { SeverityTag } from '../../alarms/components/alarm-tags';
import { ruleParamsText } from '../utils/rule-params';

type RuleRow = DeviceDetail['rules'][number];

/** 生效规则: the type's rules with the watched person's overrides merged in, and whether each one is on for them. */
export function DeviceRulesCard({ device }: { device: DeviceDetail }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const names = { metrics: device.metrics, events: device.events, lang };
  const text = (row: RuleRow, params: unknown) =>
    ruleParamsText(row.rule.kind, params, names, (key, vars) => t(key, vars)) || '—';
  return (
    <Card size="small" title={t('devices.rules.title')} data-testid="device-rules">
      <Table<RuleRow>
        rowKey={(r) => r.rule.id}
        size="small"
        pagination={false}
        dataSource={device.rules}
        locale={{ emptyText: t('devices.rules.empty') }}
        scroll={{ x: 760 }}
        columns={[
          { title: t('devices.rules.name'), key: 'name', width: 160, render: (_, r) => r.rule.name },
          {
            title: t('devices.rules.kind'),
            key: 'kind',
            width: 100,
            render: (_, r) => t(`alarms.kind.${r.rule.kind}`),
          },
          {
            title: t('devices.rules.severity'),
            key: 'severity',
            width: 90,
            render: (_, r) => <SeverityTag severity={r.rule.severity} />,
          },
          {
            title: t('devices.rules.params'),
            key: 'params',
            render: (_, r) =>
              r.override ? (
                <Tooltip title={`${t('devices.rules.typeDefault')}：${text(r, r.rule.params)}`}>
                  <span data-testid="rule-effective">{text(r, r.effectiveParams)}</span>
                </Tooltip>
              ) : (
                <span data-testid="rule-effective">{text(r, r.effectiveParams)}</span>
              ),
          },
          {
            title: t('devices.rules.state'),
            key: 'state',
            width: 190,
            render: (_, r) => {
              if (!r.rule.enabled) return <Tag>{t('devices.rules.disabled')}</Tag>;
              if (r.override && !r.override.enabled) return <Tag color="orange">{t('devices.rules.offForPerson')}</Tag>;
              return (
                <>
                  <Tag color="green">{t('devices.rules.on')}</Tag>
                  {r.override ? (
                    <Tooltip title={r.override.note ?? undefined}>
                      <Tag color="blue" data-testid="rule-overridden">
                        {t('devices.rules.overridden')}
                      </Tag>
                    </Tooltip>
                  ) : null}
                </>
              );
            },
          },
        ]}
      />
    </Card>
  );
}
