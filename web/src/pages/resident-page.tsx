import { useParams } from 'react-router-dom';
import { useAccess } from '../features/auth/hooks/use-access';
import { ResidentDetailView } from '../features/people/components/resident-detail';
import { NotFoundPage } from './page-guard';

export function ResidentPage() {
  const access = useAccess();
  const id = Number(useParams().id);
  if (!Number.isInteger(id) || id <= 0) return <NotFoundPage />;
  return (
    <ResidentDetailView
      key={id}
      residentId={id}
      canWrite={access.canWritePeople}
      canReveal={access.canRevealResidentPii}
      canReadFiles={access.canReadResidentFiles}
    />
  );
}
