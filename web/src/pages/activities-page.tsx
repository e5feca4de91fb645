import { useParams } from 'react-router-dom';
import { ActivitiesView, ActivityDetailView } from '../features/volunteers/volunteer-views';
import { NotFoundPage } from './page-guard';

/** 志愿活动 (/volunteers/activities). */
export function ActivitiesPage() {
  return <ActivitiesView />;
}

/** One activity (/volunteers/activities/:id): sign-ups, attendance, the check-in QR. */
export function ActivityPage() {
  const raw = useParams().id ?? '';
  if (!/^\d{1,15}$/.test(raw)) return <NotFoundPage />;
  return <ActivityDetailView key={raw} id={Number(raw)} />;
}
