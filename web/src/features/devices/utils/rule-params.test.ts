import { describe, expect, it } from 'vitest';
import type { DeviceDetail } from '../../../api-types';
import { ruleParamsText, type Translate } from './rule-params';

// the key's last part and its variables, so the test reads what would be shown without i18next
const t: Translate = (key, vars) =>
  `${key.split('.').pop()}(${Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')})`;

const metrics: DeviceDetail['metrics'] = [
  { key: 'heart_rate', nameZh: '心率', nameEn: 'Heart rate', unit: 'bpm', min: 0, max: 300 },
  { key: 'total_l', nameZh: '累计用水', nameEn: 'Water total', unit: 'L', min: 0, max: 1e9, cumulative: true },
];
const events: DeviceDetail['events'] = [{ key: 'sos', nameZh: 'SOS 呼救', nameEn: 'SOS' }];
const zh = { metrics, events, lang: 'zh-CN' as const };

describe('ruleParamsText', () => {
  it('names the metric in the reader’s language with its unit', () => {
    expect(ruleParamsText('threshold', { metric: 'heart_rate', below: 45, above: 120 }, zh, t)).toBe(
      'below(metric=心率,value=45,unit= bpm) · above(metric=心率,value=120,unit= bpm)',
    );
    expect(ruleParamsText('threshold', { metric: 'heart_rate', above: 120 }, { ...zh, lang: 'en' }, t)).toBe(
      'above(metric=Heart rate,value=120,unit= bpm)',
    );
  });

  it('describes a no-use window with its quiet hours', () => {
    expect(
      ruleParamsText(
        'no_use',
        { metric: 'total_l', windowHours: 8, minUse: 10, quietStart: '22:00', quietEnd: '06:00' },
        zh,
        t,
      ),
    ).toBe('noUse(metric=累计用水,hours=8,min=10,unit= L) · quiet(start=22:00,end=06:00)');
  });

  it('describes high use, silence and events', () => {
    expect(ruleParamsText('high_use', { metric: 'total_l', windowMinutes: 60, maxUse: 300 }, zh, t)).toBe(
      'highUse(metric=累计用水,minutes=60,max=300,unit= L)',
    );
    expect(ruleParamsText('silent', { minutes: 30 }, zh, t)).toBe('silent(minutes=30)');
    expect(ruleParamsText('event', { events: ['sos', 'smoke'] }, zh, t)).toBe('events(events=SOS 呼救、smoke)');
  });

  it('leaves out what is malformed instead of showing garbage', () => {
    expect(ruleParamsText('silent', { minutes: 'soon' }, zh, t)).toBe('');
    expect(ruleParamsText('threshold', null, zh, t)).toBe('');
    expect(ruleParamsText('event', { events: 'sos' }, zh, t)).toBe('');
  });
});
