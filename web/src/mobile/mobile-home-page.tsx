import { ErrorBlock, List } from 'antd-mobile';
import { TeamOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { getAccess } from '../access';
import { useSignedInUser } from '../features/auth/hooks/use-access';

/** Entries to what the user may open, then my tasks (no module assigns tasks yet, so this says so). */
export function MobileHomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  return (
    <div className="m-page" data-testid="m-home">
      {access?.canReadPeople ? (
        <List header={t('mobile.entries')}>
          <List.Item
            prefix={<TeamOutline className="m-entry-icon" />}
            description={t('mobile.residentsHint')}
            onClick={() => navigate('/m/residents')}
            data-testid="m-entry-residents"
          >
            {t('mobile.residents')}
          </List.Item>
        </List>
      ) : null}
      <ErrorBlock status="empty" title={t('mobile.noTasks')} description={t('mobile.noTasksHint')} />
    </div>
  );
}
