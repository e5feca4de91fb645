import type { DeviceDetail, RuleKind } from '../../../api-types';

/** `t` narrowed to what is needed here (so the formatting is tested without i18next). */
export type Translate = (key: RuleParamKey, vars: Record<string, string | number>) => string;
export type RuleParamKey =
  | 'devices.params.below'
  | 'devices.params.above'
  | 'devices.params.noUse'
  | 'devices.params.quiet'
  | 'devices.params.highUse'
  | 'devices.params.silent'
  | 'devices.params.events';

type Names = { metrics: DeviceDetail['metrics']; events: DeviceDetail['events']; lang: 'zh-CN' | 'en' };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * A rule's (effective) params as a line a person reads: 心率 < 45 · 心率 > 120; 8 小时内用量 < 10 L（静默时段
 * 22:00–06:00）. Metric and event names come from the device type in the reader's language; params the kind does not
 * know are left out, and a malformed value shows as the raw key.
 */
export function ruleParamsText(kind: RuleKind, params: unknown, names: Names, t: Translate): string {
  const p = (typeof params === 'object' && params !== null ? params : {}) as Record<string, unknown>;
  const metricKey = str(p.metric);
  const metric = names.metrics.find((m) => m.key === metricKey);
  const metricName = metric ? (names.lang === 'en' ? metric.nameEn : metric.nameZh) : (metricKey ?? '');
  const unit = metric?.unit ? ` ${metric.unit}` : '';
  const parts: string[] = [];
  if (kind === 'threshold') {
    const below = num(p.below);
    const above = num(p.above);
    if (below !== undefined) parts.push(t('devices.params.below', { metric: metricName, value: below, unit }));
    if (above !== undefined) parts.push(t('devices.params.above', { metric: metricName, value: above, unit }));
  } else if (kind === 'no_use') {
    const hours = num(p.windowHours);
    const min = num(p.minUse);
    if (hours !== undefined && min !== undefined)
      parts.push(t('devices.params.noUse', { metric: metricName, hours, min, unit }));
    const start = str(p.quietStart);
    const end = str(p.quietEnd);
    if (start && end) parts.push(t('devices.params.quiet', { start, end }));
  } else if (kind === 'high_use') {
    const minutes = num(p.windowMinutes);
    const max = num(p.maxUse);
    if (minutes !== undefined && max !== undefined)
      parts.push(t('devices.params.highUse', { metric: metricName, minutes, max, unit }));
  } else if (kind === 'silent') {
    const minutes = num(p.minutes);
    if (minutes !== undefined) parts.push(t('devices.params.silent', { minutes }));
  } else if (kind === 'event') {
    const events = Array.isArray(p.events) ? p.events.filter((e): e is string => typeof e === 'string') : [];
    const named = events.map((key) => {
      const def = names.events.find((e) => e.key === key);
      return def ? (names.lang === 'en' ? def.nameEn : def.nameZh) : key;
    });
    if (named.length > 0)
      parts.push(t('devices.params.events', { events: named.join(names.lang === 'en' ? ', ' : '、') }));
  }
  return parts.join(' · ');
}
