import { getAccess } from '../access';
import { useSignedInUser } from '../features/auth/hooks/use-access';
import { CandidatesView } from '../features/policies/components/candidates-view';
import { PoliciesView } from '../features/policies/components/policies-view';
import { PolicyEditorView } from '../features/policies/components/policy-editor';

/** 政策找人 (/policies): policies with their latest run over the caller's area, and explained lists. */
export function PoliciesPage() {
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  const nodeId = me?.posts.find((p) => p.nodeId !== null)?.nodeId ?? null;
  return (
    <PoliciesView
      canRun={Boolean(access?.canRunPolicies)}
      canRevealPii={Boolean(access?.canRevealResidentPii)}
      defaultNodeId={nodeId}
    />
  );
}

/** 政策待办 (/policies/candidates): candidates to verify; `?id=` opens one (the my-tasks link). */
export function PolicyCandidatesPage() {
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  return <CandidatesView canConfirm={Boolean(access?.canConfirmPolicies)} />;
}

/** 政策管理 (/policies/manage): policies, their rules and versions (installation-wide administrators). */
export function PolicyEditorPage() {
  return <PolicyEditorView />;
}
