import type {
  DeviceRule,
  DeviceRuleCreate,
  DeviceRulePatch,
  DeviceType,
  DeviceTypeCreate,
  DeviceTypePatch,
  ItemList,
} from '../../../api-types';
import { api } from '../../../ui/api';

/** 设备设置: device types and their rules (devices.config, installation-wide). */
export const devicesSettingsApi = {
  types: (signal?: AbortSignal) => api.get<ItemList<DeviceType>>('/api/device-types', undefined, signal),
  createType: (body: DeviceTypeCreate) => api.post<DeviceType>('/api/device-types', body),
  updateType: (code: string, body: DeviceTypePatch) =>
    api.patch<DeviceType>(`/api/device-types/${encodeURIComponent(code)}`, body),
  rules: (typeCode: string, signal?: AbortSignal) =>
    api.get<ItemList<DeviceRule>>('/api/device-rules', { typeCode }, signal),
  createRule: (body: DeviceRuleCreate) => api.post<DeviceRule>('/api/device-rules', body),
  updateRule: (id: number, body: DeviceRulePatch) => api.patch<DeviceRule>(`/api/device-rules/${id}`, body),
};
