import { useParams, useSearchParams } from 'react-router-dom';
import { VisitDetailView } from '../features/visits/components/visit-detail-view';
import { VisitsList } from '../features/visits/components/visits-list';
import { visitFiltersFromParams, visitFiltersToParams } from '../features/visits/utils/visit-filters';
import { NotFoundPage } from './page-guard';

/** 走访记录: the visits recorded in the caller's area, filters kept in the address. */
export function VisitsPage() {
  const [params, setParams] = useSearchParams();
  return (
    <VisitsList
      filters={visitFiltersFromParams(params)}
      onChange={(f) => setParams(visitFiltersToParams(f), { replace: true })}
    />
  );
}

/** A visit (/visits/records/:id), from the list or a task's page. */
export function VisitPage() {
  const raw = useParams().id;
  const id = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  if (id === null) return <NotFoundPage />;
  return <VisitDetailView key={id} id={id} />;
}
