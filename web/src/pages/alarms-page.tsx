import { useParams, useSearchParams } from 'react-router-dom';
import { AlarmDetailView } from '../features/alarms/components/alarm-detail-view';
import { AlarmsCentre } from '../features/alarms/components/alarms-centre';
import { alarmFiltersFromParams, alarmFiltersToParams } from '../features/alarms/utils/alarm-filters';
import { NotFoundPage } from './page-guard';

/** 预警中心: the alarms of the caller's area, filters kept in the address. */
export function AlarmsPage() {
  const [params, setParams] = useSearchParams();
  return (
    <AlarmsCentre
      filters={alarmFiltersFromParams(params)}
      onChange={(f) => setParams(alarmFiltersToParams(f), { replace: true })}
    />
  );
}

/** An alarm (/alarms/:id), from the centre, a device's history or a message's link. */
export function AlarmPage() {
  const raw = useParams().id;
  const id = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  if (id === null) return <NotFoundPage />;
  return <AlarmDetailView key={id} id={id} />;
}
