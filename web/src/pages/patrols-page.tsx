import { useParams, useSearchParams } from 'react-router-dom';
import type { PatrolListQuery, PatrolStatus } from '../api-types';
import { PatrolDetailView, PatrolsList } from '../features/patrols/patrols-views';
import { NotFoundPage } from './page-guard';

const num = (v: string | null) => (v && /^\d{1,15}$/.test(v) ? Number(v) : undefined);

/** The query of the patrol list, kept in the address (status, nodeId, workerId, page). */
export function patrolQueryFromParams(params: URLSearchParams): PatrolListQuery {
  const status = params.get('status');
  const q: PatrolListQuery = {};
  if (status === 'active' || status === 'ended') q.status = status as PatrolStatus;
  const nodeId = num(params.get('nodeId'));
  if (nodeId !== undefined) q.nodeId = nodeId;
  const workerId = num(params.get('workerId'));
  if (workerId !== undefined) q.workerId = workerId;
  const page = num(params.get('page'));
  if (page !== undefined && page >= 1) q.page = page;
  return q;
}

function toParams(q: PatrolListQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && !(k === 'page' && v === 1)) out[k] = String(v);
  return out;
}

/** 巡查记录 (/visits/patrols). */
export function PatrolsPage() {
  const [params, setParams] = useSearchParams();
  return (
    <PatrolsList query={patrolQueryFromParams(params)} onChange={(q) => setParams(toParams(q), { replace: true })} />
  );
}

/** One patrol (/visits/patrols/:id). */
export function PatrolPage() {
  const id = num(useParams().id ?? null);
  if (id === undefined) return <NotFoundPage />;
  return <PatrolDetailView key={id} id={id} />;
}
