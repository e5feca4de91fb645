import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { PrivacyRequestsView } from '../features/privacy/components/privacy-requests-view';

/** /privacy/requests[/:id] (privacy.handle): 个人信息申请 of the area; a task's link opens the request aside. */
export function PrivacyRequestsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id) || null;
  return (
    <Card title={t('menu.privacyRequests')}>
      <PrivacyRequestsView
        openId={id}
        onOpen={(next) => navigate(next === null ? '/privacy/requests' : `/privacy/requests/${next}`)}
      />
    </Card>
  );
}
