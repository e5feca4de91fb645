import { getAccess } from '../access';
import { RankingView } from '../features/assessment/components/ranking-view';
import { useSignedInUser } from '../features/auth/hooks/use-access';

/** 考核排名 (/assessment): rankings of the caller's area, with bonus and penalty items for managers. */
export function AssessmentPage() {
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  return <RankingView canManage={Boolean(access?.canManageAssessment)} defaultNodeId={null} />;
}
