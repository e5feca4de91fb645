import type {
  Away,
  AwayPut,
  DeviceCreate,
  DeviceCreated,
  DeviceCredentials,
  DeviceDetail,
  DeviceImportResult,
  DeviceListItem,
  DevicePatch,
  DeviceType,
  ItemList,
  Page,
  RuleOverride,
  RuleOverridePut,
} from '../../../api-types';
import { api, apiRequest } from '../../../ui/api';
import { refusedImport } from '../utils/registry-utils';

/** A plain link: the browser downloads it with the session cookie. */
export const DEVICE_IMPORT_TEMPLATE_URL = '/api/devices/import-template.xlsx';

/** 设备登记: register, edit, rotate, import; a resident's away switch and rule overrides. */
export const devicesRegistryApi = {
  types: (signal?: AbortSignal) => api.get<ItemList<DeviceType>>('/api/device-types', undefined, signal),
  listByResident: (residentId: number, signal?: AbortSignal) =>
    api.get<Page<DeviceListItem>>('/api/devices', { residentId, pageSize: 200 }, signal),
  get: (id: number, signal?: AbortSignal) => api.get<DeviceDetail>(`/api/devices/${id}`, undefined, signal),
  create: (body: DeviceCreate) => api.post<DeviceCreated>('/api/devices', body),
  update: (id: number, body: DevicePatch) => api.patch<DeviceDetail>(`/api/devices/${id}`, body),
  rotate: (id: number) => api.post<DeviceCredentials>(`/api/devices/${id}/credentials`),
  /** Resolves with the result also when the file was refused (all or nothing): then `errors` lists why. */
  import: async (file: File): Promise<DeviceImportResult> => {
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      return await api.upload<DeviceImportResult>('/api/devices/import', form);
    } catch (error) {
      const refused = refusedImport(error);
      if (refused) return refused;
      throw error;
    }
  },
  away: (residentId: number, signal?: AbortSignal) =>
    api.get<Away | null>(`/api/residents/${residentId}/away`, undefined, signal),
  setAway: (residentId: number, body: AwayPut) =>
    apiRequest<Away>(`/api/residents/${residentId}/away`, { method: 'PUT', body }),
  clearAway: (residentId: number) => api.delete<unknown>(`/api/residents/${residentId}/away`),
  overrides: (residentId: number, signal?: AbortSignal) =>
    api.get<ItemList<RuleOverride>>(`/api/residents/${residentId}/rule-overrides`, undefined, signal),
  putOverride: (residentId: number, ruleId: number, body: RuleOverridePut) =>
    apiRequest<RuleOverride>(`/api/residents/${residentId}/rule-overrides/${ruleId}`, { method: 'PUT', body }),
  removeOverride: (residentId: number, ruleId: number) =>
    api.delete<unknown>(`/api/residents/${residentId}/rule-overrides/${ruleId}`),
};
