import { NavBar, SpinLoading, TabBar } from 'antd-mobile';
import { AppOutline, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useMe } from '../features/auth/hooks/use-auth';
import { MobilePasswordPage } from './mobile-password-page';

const TABS = [
  { key: '/m', icon: <AppOutline />, label: 'mobile.home' },
  { key: '/m/me', icon: <UserOutline />, label: 'mobile.me' },
] as const;

export function MobileLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = pathname.startsWith('/m/me') || pathname.startsWith('/m/password') ? '/m/me' : '/m';

  if (!me.data) {
    // loading, or a 401 on its way to /m/login
    return (
      <div className="m-center">
        <SpinLoading color="primary" />
      </div>
    );
  }
  const isForced = me.data.user.mustChangePassword;
  const isPassword = isForced || pathname.startsWith('/m/password');
  return (
    <div className="m-shell">
      <NavBar back={isPassword && !isForced ? '' : null} onBack={() => navigate('/m/me')} className="m-navbar">
        {isPassword ? t('auth.changePassword') : active === '/m' ? t('mobile.myTasks') : t('mobile.me')}
      </NavBar>
      <main className="m-body">{isForced ? <MobilePasswordPage isForced /> : <Outlet />}</main>
      {isForced ? null : (
        <TabBar activeKey={active} onChange={(key) => navigate(key)} className="m-tabbar" safeArea>
          {TABS.map((tab) => (
            <TabBar.Item key={tab.key} icon={tab.icon} title={t(tab.label)} />
          ))}
        </TabBar>
      )}
    </div>
  );
}
