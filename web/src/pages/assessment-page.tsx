import { useSearchParams } from 'react-router-dom';
import { getAccess } from '../access';
import { RankingView } from '../features/assessment/components/ranking-view';
import { schemePeriodParams } from '../features/assessment/utils/assessment-format';
import { useSignedInUser } from '../features/auth/hooks/use-access';

/** 考核排名 (/assessment[?scheme=&period=]): rankings of the caller's area, with bonus and penalty items for managers. */
export function AssessmentPage() {
  const me = useSignedInUser();
  const [params] = useSearchParams();
  const access = me ? getAccess(me) : null;
  return (
    <RankingView
      canManage={Boolean(access?.canManageAssessment)}
      defaultNodeId={null}
      initial={schemePeriodParams(params)}
    />
  );
}
