import { useParams, useSearchParams } from 'react-router-dom';
import { DeviceDetailView } from '../features/devices/components/device-detail-view';
import { DevicesView } from '../features/devices/components/devices-view';
import { deviceFiltersFromParams, deviceFiltersToParams } from '../features/devices/utils/device-filters';
import { NotFoundPage } from './page-guard';

/** 设备: devices by building and the list, filters kept in the address. */
export function DevicesPage() {
  const [params, setParams] = useSearchParams();
  return (
    <DevicesView
      filters={deviceFiltersFromParams(params)}
      onChange={(f) => setParams(deviceFiltersToParams(f), { replace: true })}
    />
  );
}

/** A device (/devices/:id). */
export function DevicePage() {
  const raw = useParams().id;
  const id = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  if (id === null) return <NotFoundPage />;
  return <DeviceDetailView key={id} id={id} />;
}
