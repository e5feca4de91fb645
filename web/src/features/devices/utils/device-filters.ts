import type { DeviceListQuery } from '../../../api-types';

/** The devices page's state, kept in the address: the area whose buildings are shown, the chosen building, filters. */
export type DeviceFilters = {
  /** The area the by-building view covers (absent: the caller's whole area). */
  areaId?: number;
  /** The building (or other node) the list is narrowed to. */
  buildingId?: number;
  q?: string;
  typeCode?: string;
  online?: boolean;
  page: number;
  pageSize: number;
};

export const DEVICE_PAGE_SIZE = 20;
const TYPE_CODE = /^[a-z][a-z0-9_]{1,39}$/;

function positive(value: string | null, max = 1e15): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && n <= max ? n : undefined;
}

/**
 * The query of GET /api/devices: the chosen building, else the area, narrows the list (the server takes the node
 * and everything under it).
 */
export function toDeviceListQuery(f: DeviceFilters): DeviceListQuery {
  const query: DeviceListQuery = { page: f.page, pageSize: f.pageSize };
  const nodeId = f.buildingId ?? f.areaId;
  if (nodeId) query.nodeId = nodeId;
  const q = f.q?.trim();
  if (q) query.q = q.slice(0, 64);
  if (f.typeCode) query.typeCode = f.typeCode;
  if (f.online !== undefined) query.online = f.online;
  return query;
}

export function deviceFiltersFromParams(params: URLSearchParams): DeviceFilters {
  const filters: DeviceFilters = {
    page: positive(params.get('page'), 100000) ?? 1,
    pageSize: positive(params.get('pageSize'), 200) ?? DEVICE_PAGE_SIZE,
  };
  const areaId = positive(params.get('area'));
  if (areaId) filters.areaId = areaId;
  const buildingId = positive(params.get('building'));
  if (buildingId) filters.buildingId = buildingId;
  const q = params.get('q')?.trim();
  if (q) filters.q = q;
  const typeCode = params.get('type');
  if (typeCode && TYPE_CODE.test(typeCode)) filters.typeCode = typeCode;
  const online = params.get('online');
  if (online === 'true' || online === 'false') filters.online = online === 'true';
  return filters;
}

export function deviceFiltersToParams(f: DeviceFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.areaId) params.set('area', String(f.areaId));
  if (f.buildingId) params.set('building', String(f.buildingId));
  if (f.q?.trim()) params.set('q', f.q.trim());
  if (f.typeCode) params.set('type', f.typeCode);
  if (f.online !== undefined) params.set('online', String(f.online));
  if (f.page > 1) params.set('page', String(f.page));
  if (f.pageSize !== DEVICE_PAGE_SIZE) params.set('pageSize', String(f.pageSize));
  return params;
}

/** A change of any filter but the page goes back to the first page; choosing another area drops the building. */
export function withDeviceFilter<K extends Exclude<keyof DeviceFilters, 'page' | 'pageSize'>>(
  f: DeviceFilters,
  key: K,
  value: DeviceFilters[K] | null | undefined,
): DeviceFilters {
  const { [key]: _dropped, ...rest } = f;
  let next = { ...rest, page: 1 } as DeviceFilters;
  if (key === 'areaId') {
    const { buildingId: _building, ...withoutBuilding } = next;
    next = { ...withoutBuilding, page: 1 };
  }
  if (value === undefined || value === null || value === '') return next;
  return { ...next, [key]: value };
}
