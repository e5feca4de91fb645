import { useSearchParams } from 'react-router-dom';
import { useAccess } from '../features/auth/hooks/use-access';
import { OrgWorkspace } from '../features/org/components/org-workspace';

export function OrgPage() {
  const access = useAccess();
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get('node'));
  const selectedId = Number.isInteger(raw) && raw > 0 ? raw : null;
  return (
    <OrgWorkspace
      canWrite={access.canWriteOrg}
      canCreateRoot={access.canCreateRoot}
      selectedId={selectedId}
      onSelect={(id) => setParams(id === null ? {} : { node: String(id) }, { replace: true })}
    />
  );
}
