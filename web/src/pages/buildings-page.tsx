import { useSearchParams } from 'react-router-dom';
import { useAccess, useSignedInUser } from '../features/auth/hooks/use-access';
import { BuildingsWorkspace } from '../features/people/components/buildings-workspace';

export function BuildingsPage() {
  const access = useAccess();
  const me = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get('node'));
  // a building leader starts at their own building
  const ownBuilding = me?.posts.find((p) => p.nodeType === 'building' || p.nodeType === 'unit')?.nodeId ?? null;
  const selectedId = Number.isInteger(raw) && raw > 0 ? raw : ownBuilding;
  return (
    <BuildingsWorkspace
      selectedId={selectedId}
      canWrite={access.canWritePeople}
      onSelect={(id) => setParams(id === null ? {} : { node: String(id) }, { replace: true })}
    />
  );
}
