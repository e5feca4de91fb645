import { useSearchParams } from 'react-router-dom';
import { getAccess } from '../access';
import { SelectionsView } from '../features/assessment/components/selections-view';
import { schemePeriodParams } from '../features/assessment/utils/assessment-format';
import { useSignedInUser } from '../features/auth/hooks/use-access';

/** 评优评先 (/assessment/selections[?scheme=&period=]): 红旗网格 and 优秀网格员 of a quarter, proposal to notice. */
export function SelectionsPage() {
  const me = useSignedInUser();
  const [params] = useSearchParams();
  const access = me ? getAccess(me) : null;
  return (
    <SelectionsView
      canManage={Boolean(access?.canManageAssessment)}
      canApprove={Boolean(access?.canApproveAssessment)}
      initial={schemePeriodParams(params)}
    />
  );
}
