import { getAccess } from '../access';
import { useSignedInUser } from '../features/auth/hooks/use-access';
import { PartnersConsole } from '../features/partners/partners-views';

/** 红色合伙人 (/volunteers/partners). */
export function PartnersPage() {
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  const nodeId = me?.posts.find((p) => p.nodeId !== null)?.nodeId ?? null;
  return <PartnersConsole canManage={Boolean(access?.canManageVolunteers)} nodeId={nodeId} />;
}
