import { describe, expect, it } from 'vitest';
import {
  type DeviceFilters,
  deviceFiltersFromParams,
  deviceFiltersToParams,
  toDeviceListQuery,
  withDeviceFilter,
} from './device-filters';

const base: DeviceFilters = { page: 1, pageSize: 20 };

describe('toDeviceListQuery', () => {
  it('narrows to the chosen building rather than the area', () => {
    expect(toDeviceListQuery({ ...base, areaId: 3, buildingId: 41 })).toEqual({ nodeId: 41, page: 1, pageSize: 20 });
    expect(toDeviceListQuery({ ...base, areaId: 3 })).toEqual({ nodeId: 3, page: 1, pageSize: 20 });
    expect(toDeviceListQuery(base)).toEqual({ page: 1, pageSize: 20 });
  });

  it('sends the search trimmed, the type and the online state (offline too)', () => {
    expect(toDeviceListQuery({ ...base, q: '  WM-001 ', typeCode: 'water_meter', online: false })).toEqual({
      q: 'WM-001',
      typeCode: 'water_meter',
      online: false,
      page: 1,
      pageSize: 20,
    });
  });
});

describe('device filters in the address', () => {
  it('round-trip and stay empty by default', () => {
    expect(deviceFiltersToParams(base).toString()).toBe('');
    const f: DeviceFilters = {
      areaId: 3,
      buildingId: 41,
      q: 'WM',
      typeCode: 'bracelet',
      online: true,
      page: 2,
      pageSize: 50,
    };
    expect(deviceFiltersFromParams(deviceFiltersToParams(f))).toEqual(f);
    const offline: DeviceFilters = { ...base, online: false };
    expect(deviceFiltersFromParams(deviceFiltersToParams(offline))).toEqual(offline);
  });

  it('ignore malformed values', () => {
    expect(
      deviceFiltersFromParams(new URLSearchParams('area=x&building=0&type=Water Meter&online=yes&page=-1')),
    ).toEqual(base);
  });
});

describe('withDeviceFilter', () => {
  it('drops the building when another area is chosen, and goes back to the first page', () => {
    const f: DeviceFilters = { ...base, areaId: 3, buildingId: 41, page: 5 };
    expect(withDeviceFilter(f, 'areaId', 9)).toEqual({ ...base, areaId: 9 });
    expect(withDeviceFilter(f, 'buildingId', undefined)).toEqual({ ...base, areaId: 3 });
    expect(withDeviceFilter(f, 'online', false)).toEqual({ ...f, online: false, page: 1 });
  });
});
