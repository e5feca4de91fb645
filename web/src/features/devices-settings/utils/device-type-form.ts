import type { DeviceType, DeviceTypeCreate, DeviceTypePatch, EventDef, MetricDef } from '../../../api-types';

/** The device type form: metric and event rows may be half-filled while the user types. */
export type MetricRow = Partial<MetricDef>;
export type EventRow = Partial<EventDef>;
export type DeviceTypeForm = {
  code?: string;
  nameZh?: string;
  nameEn?: string;
  reportIntervalS?: number | null;
  sort?: number | null;
  active?: boolean;
  metrics?: MetricRow[];
  events?: EventRow[];
};

export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
export const TYPE_CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

export function typeToForm(type: DeviceType): DeviceTypeForm {
  return {
    code: type.code,
    nameZh: type.nameZh,
    nameEn: type.nameEn,
    reportIntervalS: type.reportIntervalS,
    sort: type.sort,
    active: type.active,
    metrics: type.metrics.map((m) => ({ ...m })),
    events: type.events.map((e) => ({ ...e })),
  };
}

function toMetric(row: MetricRow): MetricDef {
  return {
    key: (row.key ?? '').trim(),
    nameZh: (row.nameZh ?? '').trim(),
    nameEn: (row.nameEn ?? '').trim(),
    unit: (row.unit ?? '').trim(),
    min: row.min ?? 0,
    max: row.max ?? 0,
    ...(row.cumulative ? { cumulative: true } : {}),
  };
}

function toEvent(row: EventRow): EventDef {
  return { key: (row.key ?? '').trim(), nameZh: (row.nameZh ?? '').trim(), nameEn: (row.nameEn ?? '').trim() };
}

/** Rows the user added and left empty are not part of the type. */
const isEmptyRow = (row: MetricRow | EventRow) =>
  Object.entries(row).every(([k, v]) => k === 'cumulative' || v === undefined || v === null || v === '');

export function formToCreate(form: DeviceTypeForm): DeviceTypeCreate {
  return {
    code: (form.code ?? '').trim(),
    nameZh: (form.nameZh ?? '').trim(),
    nameEn: (form.nameEn ?? '').trim(),
    reportIntervalS: form.reportIntervalS ?? 300,
    ...(form.sort != null ? { sort: form.sort } : {}),
    metrics: (form.metrics ?? []).filter((r) => !isEmptyRow(r)).map(toMetric),
    events: (form.events ?? []).filter((r) => !isEmptyRow(r)).map(toEvent),
  };
}

/**
 * The changes to save: a built-in type keeps its metrics and events (the server refuses them with
 * DEVICE_TYPE_BUILTIN), so they are sent only for an admin-defined type.
 */
export function formToPatch(type: DeviceType, form: DeviceTypeForm): DeviceTypePatch {
  const patch: DeviceTypePatch = {
    nameZh: (form.nameZh ?? '').trim(),
    nameEn: (form.nameEn ?? '').trim(),
    ...(form.reportIntervalS != null ? { reportIntervalS: form.reportIntervalS } : {}),
    ...(form.sort != null ? { sort: form.sort } : {}),
    ...(form.active !== undefined ? { active: form.active } : {}),
  };
  if (!type.builtin) {
    patch.metrics = (form.metrics ?? []).filter((r) => !isEmptyRow(r)).map(toMetric);
    patch.events = (form.events ?? []).filter((r) => !isEmptyRow(r)).map(toEvent);
  }
  return patch;
}

/** Keys used twice in the metric or event rows: [list, index] of each later duplicate. */
export function duplicateKeys(form: DeviceTypeForm): ['metrics' | 'events', number][] {
  const out: ['metrics' | 'events', number][] = [];
  for (const list of ['metrics', 'events'] as const) {
    const seen = new Set<string>();
    (form[list] ?? []).forEach((row, i) => {
      const key = row.key?.trim();
      if (!key) return;
      if (seen.has(key)) out.push([list, i]);
      seen.add(key);
    });
  }
  return out;
}
