import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { getAccess } from '../access';
import { useMe } from '../features/auth/hooks/use-auth';
import { NoticesView } from '../features/notices/components/notices-view';

/** 信息发布: notices of the caller's area (write, review, receipts). */
export function NoticesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const access = me.data ? getAccess(me.data) : null;
  return (
    <div>
      <Typography.Title level={3}>{t('menu.notices')}</Typography.Title>
      <NoticesView canWrite={access?.canWriteNotices ?? false} canReview={access?.canReviewNotices ?? false} />
    </div>
  );
}
