import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Empty, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceDetail, TelemetryQuery } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { useTelemetry } from '../hooks/use-devices';
import {
  type ChartMark,
  presetRange,
  RANGE_PRESETS,
  type RangePreset,
  telemetryChartOption,
} from '../utils/telemetry-chart';
import { TelemetryEChart } from './telemetry-echart';

type Range = { from: string; to: string };

type Props = {
  device: Pick<DeviceDetail, 'id' | 'metrics'>;
  /** The metric shown first (else the type's first). */
  initialMetric?: string;
  /** A range to open on (an alarm's), else the last 24 hours. */
  initialRange?: Range;
  /** Instants marked on the chart (an alarm raised). */
  marks?: readonly ChartMark[];
  title?: string;
};

/** 数据曲线: one metric of the device over the last 24 h, 7 or 30 days or a chosen range (hourly beyond two days). */
export function TelemetryCard({ device, initialMetric, initialRange, marks, title }: Props) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [metricKey, setMetricKey] = useState(
    device.metrics.find((m) => m.key === initialMetric)?.key ?? device.metrics[0]?.key ?? null,
  );
  const [preset, setPreset] = useState<RangePreset>(initialRange ? 'custom' : '24h');
  // the range is fixed when chosen (a query key moving with the clock would refetch forever); refresh moves it on
  const [range, setRange] = useState<Range>(() => initialRange ?? presetRange('24h', new Date()));
  const metric = device.metrics.find((m) => m.key === metricKey);
  const query: TelemetryQuery | null = metricKey ? { metric: metricKey, from: range.from, to: range.to } : null;
  const series = useTelemetry(device.id, query);

  const option = useMemo(
    () =>
      series.data
        ? telemetryChartOption(
            series.data,
            metric,
            {
              value: t('devices.telemetry.value'),
              avg: t('devices.telemetry.avg'),
              last: t('devices.telemetry.last'),
              min: t('devices.telemetry.min'),
              max: t('devices.telemetry.max'),
              range: t('devices.telemetry.band'),
            },
            marks,
          )
        : null,
    [series.data, metric, t, marks],
  );

  const choose = (p: RangePreset) => {
    setPreset(p);
    if (p !== 'custom') setRange(presetRange(p, new Date()));
  };
  const data = series.data;

  return (
    <Card
      size="small"
      title={title ?? t('devices.telemetry.title')}
      data-testid="device-telemetry"
      extra={
        <Space wrap>
          <Select
            style={{ width: 160 }}
            value={metricKey}
            onChange={setMetricKey}
            options={device.metrics.map((m) => ({
              value: m.key,
              label: `${lang === 'en' ? m.nameEn : m.nameZh}${m.unit ? ` (${m.unit})` : ''}`,
            }))}
            data-testid="telemetry-metric"
          />
          <Segmented<RangePreset>
            value={preset}
            onChange={choose}
            options={RANGE_PRESETS.map((p) => ({ value: p, label: t(`devices.telemetry.presets.${p}`) }))}
            data-testid="telemetry-range"
          />
          {preset === 'custom' ? (
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              value={[dayjs(range.from), dayjs(range.to)]}
              disabledDate={(d) => d.isAfter(dayjs().endOf('day'))}
              onChange={(v) => {
                if (v?.[0] && v[1]) setRange({ from: v[0].toISOString(), to: v[1].toISOString() });
              }}
            />
          ) : (
            <Button
              icon={<ReloadOutlined />}
              aria-label={t('devices.telemetry.refresh')}
              onClick={() => setRange(presetRange(preset, new Date()))}
            />
          )}
        </Space>
      }
    >
      {device.metrics.length === 0 ? (
        <Empty description={t('devices.telemetry.noMetrics')} />
      ) : series.error ? (
        <Alert type="error" showIcon title={series.error.message} />
      ) : !option || !data ? (
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size={4}>
          <Space wrap size={8}>
            <Tag data-testid="telemetry-resolution" data-resolution={data.resolution}>
              {t(`devices.telemetry.resolution.${data.resolution}`)}
            </Tag>
            <Typography.Text type="secondary">
              {t('devices.telemetry.points', { count: data.points.length })}
            </Typography.Text>
            {data.used !== null ? (
              <Typography.Text data-testid="telemetry-used">
                {t('devices.telemetry.used', { value: Math.round(data.used * 1000) / 1000, unit: data.unit })}
              </Typography.Text>
            ) : null}
            {data.truncated ? <Tag color="orange">{t('devices.telemetry.truncated')}</Tag> : null}
          </Space>
          {data.points.length === 0 ? (
            <Empty description={t('devices.telemetry.empty')} />
          ) : (
            <TelemetryEChart option={option} data-testid="telemetry-chart" />
          )}
        </Space>
      )}
    </Card>
  );
}
