import { getAccess } from '../access';
import { SelectionsView } from '../features/assessment/components/selections-view';
import { useSignedInUser } from '../features/auth/hooks/use-access';

/** 评优评先 (/assessment/selections): 红旗网格 and 优秀网格员 of a quarter, from proposal to the published notice. */
export function SelectionsPage() {
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  return (
    <SelectionsView
      canManage={Boolean(access?.canManageAssessment)}
      canApprove={Boolean(access?.canApproveAssessment)}
    />
  );
}
