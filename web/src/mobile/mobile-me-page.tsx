import { Button, List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useMe, useSwitchLanguage } from '../features/auth/hooks/use-auth';
import { postLabel } from '../ui/labels';
import { MobileLanguage } from './mobile-language';
import { useMobileSignOut } from './use-mobile-sign-out';

export function MobileMePage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const { signOut, isPending } = useMobileSignOut();
  const navigate = useNavigate();
  const switchLanguage = useSwitchLanguage();
  if (!me) return null;

  return (
    <div className="m-page" data-testid="m-me">
      <div className="m-profile">
        <div className="m-avatar" aria-hidden="true">
          {me.user.displayName.slice(0, 1)}
        </div>
        <div>
          <div className="m-profile-name">{me.user.displayName}</div>
          <div className="m-profile-sub">{me.user.username}</div>
        </div>
      </div>
      <List header={t('mobile.posts')}>
        {me.posts.length === 0 ? <List.Item>{t('auth.noPosts')}</List.Item> : null}
        {me.posts.map((post) => (
          <List.Item key={post.id}>{postLabel(t, post)}</List.Item>
        ))}
      </List>
      <List header={t('mobile.account')}>
        <List.Item onClick={() => navigate('/m/password')}>{t('auth.changePassword')}</List.Item>
      </List>
      <List header={t('mobile.language')}>
        <List.Item>
          <MobileLanguage onSwitch={switchLanguage} />
        </List.Item>
      </List>
      <div className="m-actions">
        <Button block color="danger" fill="outline" size="large" onClick={signOut} loading={isPending}>
          {t('auth.logout')}
        </Button>
      </div>
    </div>
  );
}
