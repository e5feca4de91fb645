import { DeviceImportWorkspace } from '../features/devices-registry/components/device-import-workspace';

/** 设备导入 [E]: bulk registration from the Excel template. */
export function DevicesImportPage() {
  return <DeviceImportWorkspace />;
}
