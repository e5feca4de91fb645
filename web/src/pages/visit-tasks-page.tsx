import { useParams, useSearchParams } from 'react-router-dom';
import { VisitTaskDetailView } from '../features/visits/components/visit-task-detail';
import { VisitTasksList } from '../features/visits/components/visit-tasks-list';
import { taskFiltersFromParams, taskFiltersToParams } from '../features/visits/utils/visit-filters';
import { NotFoundPage } from './page-guard';

/** 走访任务: the visit tasks of the caller's area, filters kept in the address. */
export function VisitTasksPage() {
  const [params, setParams] = useSearchParams();
  return (
    <VisitTasksList
      filters={taskFiltersFromParams(params)}
      onChange={(f) => setParams(taskFiltersToParams(f), { replace: true })}
    />
  );
}

/** A visit task (/visits/tasks/:id), from the list, a rule's open tasks, my tasks or a message's link. */
export function VisitTaskPage() {
  const raw = useParams().id;
  const id = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  if (id === null) return <NotFoundPage />;
  return <VisitTaskDetailView key={id} id={id} />;
}
