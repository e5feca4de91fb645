import { NavBar, SpinLoading, TabBar } from 'antd-mobile';
import { AppOutline, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useMe } from '../features/auth/hooks/use-auth';

const TABS = [
  { key: '/m', icon: <AppOutline />, label: 'mobile.home' },
  { key: '/m/me', icon: <UserOutline />, label: 'mobile.me' },
] as const;

export function MobileLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = pathname.startsWith('/m/me') ? '/m/me' : '/m';

  if (!me.data) {
    // loading, or a 401 on its way to /m/login
    return (
      <div className="m-center">
        <SpinLoading color="primary" />
      </div>
    );
  }
  return (
    <div className="m-shell">
      <NavBar back={null} className="m-navbar">
        {active === '/m' ? t('mobile.myTasks') : t('mobile.me')}
      </NavBar>
      <main className="m-body">
        <Outlet />
      </main>
      <TabBar activeKey={active} onChange={(key) => navigate(key)} className="m-tabbar" safeArea>
        {TABS.map((tab) => (
          <TabBar.Item key={tab.key} icon={tab.icon} title={t(tab.label)} />
        ))}
      </TabBar>
    </div>
  );
}
