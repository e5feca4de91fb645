import type {
  BuildingDevices,
  DeadLetter,
  DeviceDetail,
  DeviceListItem,
  DeviceListQuery,
  DeviceType,
  ItemList,
  Page,
  TelemetryQuery,
  TelemetrySeries,
} from '../../../api-types';
import { api, fetchFile, type QueryValue } from '../../../ui/api';

export type DeadLetterQuery = { deviceId?: number; reason?: string; page?: number; pageSize?: number };

export const devicesApi = {
  types: (signal?: AbortSignal) => api.get<ItemList<DeviceType>>('/api/device-types', undefined, signal),
  buildings: (nodeId: number | undefined, signal?: AbortSignal) =>
    api.get<ItemList<BuildingDevices>>('/api/devices/buildings', { nodeId }, signal),
  list: (query: DeviceListQuery, signal?: AbortSignal) =>
    api.get<Page<DeviceListItem>>('/api/devices', query as Record<string, QueryValue>, signal),
  get: (id: number, signal?: AbortSignal) => api.get<DeviceDetail>(`/api/devices/${id}`, undefined, signal),
  telemetry: (id: number, query: TelemetryQuery, signal?: AbortSignal) =>
    api.get<TelemetrySeries>(`/api/devices/${id}/telemetry`, query, signal),
  /** The list as filtered, as an .xlsx (Content-Disposition names the file). */
  exportList: (query: Omit<DeviceListQuery, 'page' | 'pageSize'>) =>
    fetchFile('/api/devices/export.xlsx', query as Record<string, QueryValue>),
  deadLetters: (query: DeadLetterQuery, signal?: AbortSignal) =>
    api.get<Page<DeadLetter>>('/api/device-dead-letters', query, signal),
};
