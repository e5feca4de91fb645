import { describe, expect, it } from 'vitest';
import type { DeviceType } from '../../../api-types';
import { duplicateKeys, formToCreate, formToPatch, typeToForm } from './device-type-form';

const meter: DeviceType = {
  code: 'water_meter',
  nameZh: '水表',
  nameEn: 'Water meter',
  name: '水表',
  builtin: true,
  metrics: [
    { key: 'water_total', nameZh: '累计用水', nameEn: 'Water total', unit: 'L', min: 0, max: 1e9, cumulative: true },
  ],
  events: [],
  reportIntervalS: 900,
  active: true,
  sort: 1,
  deviceCount: 12,
};

describe('device type form', () => {
  it('sends a built-in type only what may change (no metrics or events)', () => {
    const form = { ...typeToForm(meter), nameZh: ' 智能水表 ', reportIntervalS: 600, active: false };
    expect(formToPatch(meter, form)).toEqual({
      nameZh: '智能水表',
      nameEn: 'Water meter',
      reportIntervalS: 600,
      sort: 1,
      active: false,
    });
  });

  it('sends an admin-defined type its metrics and events, without the rows left empty', () => {
    const custom: DeviceType = { ...meter, code: 'gas', builtin: false, metrics: [], events: [] };
    const patch = formToPatch(custom, {
      ...typeToForm(custom),
      metrics: [{ key: ' ppm ', nameZh: '浓度', nameEn: 'Concentration', unit: 'ppm', min: 0, max: 10000 }, {}],
      events: [{ key: 'leak', nameZh: '泄漏', nameEn: 'Leak' }, { key: '' }],
    });
    expect(patch.metrics).toEqual([
      { key: 'ppm', nameZh: '浓度', nameEn: 'Concentration', unit: 'ppm', min: 0, max: 10000 },
    ]);
    expect(patch.events).toEqual([{ key: 'leak', nameZh: '泄漏', nameEn: 'Leak' }]);
  });

  it('creates a type with its code and a cumulative flag only when ticked', () => {
    expect(
      formToCreate({
        code: 'gas_meter',
        nameZh: '燃气表',
        nameEn: 'Gas meter',
        reportIntervalS: 300,
        metrics: [
          { key: 'gas_total', nameZh: '累计', nameEn: 'Total', unit: 'm³', min: 0, max: 1e6, cumulative: true },
          { key: 'flow', nameZh: '流量', nameEn: 'Flow', unit: 'm³/h', min: 0, max: 10, cumulative: false },
        ],
        events: [],
      }),
    ).toEqual({
      code: 'gas_meter',
      nameZh: '燃气表',
      nameEn: 'Gas meter',
      reportIntervalS: 300,
      metrics: [
        { key: 'gas_total', nameZh: '累计', nameEn: 'Total', unit: 'm³', min: 0, max: 1e6, cumulative: true },
        { key: 'flow', nameZh: '流量', nameEn: 'Flow', unit: 'm³/h', min: 0, max: 10 },
      ],
      events: [],
    });
  });

  it('finds a key used twice in the metrics or the events', () => {
    expect(
      duplicateKeys({
        metrics: [{ key: 'a' }, { key: 'b' }, { key: ' a' }],
        events: [{ key: 'a' }, { key: 'x' }, { key: 'x' }],
      }),
    ).toEqual([
      ['metrics', 2],
      ['events', 2],
    ]);
  });
});
