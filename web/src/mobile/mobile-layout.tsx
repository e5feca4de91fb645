import { useQueryClient } from '@tanstack/react-query';
import { NavBar, SpinLoading, TabBar } from 'antd-mobile';
import { AppOutline, MessageOutline, TeamOutline, UserOutline } from 'antd-mobile-icons';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { getAccess } from '../access';
import type { InboxMessage } from '../api-types';
import { useMe } from '../features/auth/hooks/use-auth';
import { useInboxCount, useLiveInbox } from '../features/inbox/hooks/use-inbox';
import { alarmAccess } from './alarms/alarm-logic';
import { phoneAlarmKeys } from './alarms/use-phone-alarms';
import { phoneCaseKeys } from './cases/use-phone-cases';
import { MobilePasswordPage } from './mobile-password-page';
import { pointsPageTitle } from './points-titles';
import { useVisitQueueReplay } from './visits/use-phone-visits';
import { visitsPageTitle } from './visits/visit-logic';

type TabKey = '/m' | '/m/residents' | '/m/inbox' | '/m/me';

function activeTab(pathname: string): TabKey {
  if (pathname.startsWith('/m/me') || pathname.startsWith('/m/password')) return '/m/me';
  if (pathname.startsWith('/m/residents')) return '/m/residents';
  if (pathname.startsWith('/m/inbox')) return '/m/inbox';
  return '/m';
}

/** The cases pages' titles (phone web [F]), or null for another page. */
type CasesTitle =
  | 'mobileCases.report'
  | 'mobileCases.patrol'
  | 'mobileCases.myTasks'
  | 'mobileCases.caseDetail'
  | 'mobileCases.myCases';

/** The alarm pages' titles (devices [G]), or null for another page. */
type AlarmsTitle = 'mobileAlarms.title' | 'mobileAlarms.detailTitle' | 'mobileAlarms.familyTitle';

function alarmsPageTitle(pathname: string, canRead: boolean): AlarmsTitle | null {
  if (pathname.startsWith('/m/family') || (!canRead && pathname.startsWith('/m/alarms')))
    return 'mobileAlarms.familyTitle';
  if (/^\/m\/alarms\/\d+/.test(pathname)) return 'mobileAlarms.detailTitle';
  if (pathname.startsWith('/m/alarms')) return 'mobileAlarms.title';
  return null;
}

function casesPageTitle(pathname: string): CasesTitle | null {
  if (pathname.startsWith('/m/report')) return 'mobileCases.report';
  if (pathname.startsWith('/m/patrol')) return 'mobileCases.patrol';
  if (pathname.startsWith('/m/tasks')) return 'mobileCases.myTasks';
  if (/^\/m\/cases\/\d+/.test(pathname)) return 'mobileCases.caseDetail';
  if (pathname.startsWith('/m/cases')) return 'mobileCases.myCases';
  return null;
}

export function MobileLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = activeTab(pathname);
  const signedIn = Boolean(me.data && !me.data.user.mustChangePassword);
  const unread = useInboxCount(signedIn).data?.unread ?? 0;
  // A case message (new, taken, handled, closed …) means a case list or page on the phone is out of date.
  const qc = useQueryClient();
  const onMessage = useCallback(
    (m: InboxMessage) => {
      if (m.kind.startsWith('cases.')) void qc.invalidateQueries({ queryKey: phoneCaseKeys.all });
      // devices [G]: an alarm message (a family member's too, who has no live topic) refreshes the alarm pages
      if (m.kind.startsWith('alarms.')) void qc.invalidateQueries({ queryKey: phoneAlarmKeys.all });
    },
    [qc],
  );
  useLiveInbox(onMessage, signedIn);
  // grid work [H]: visits recorded without signal are sent on start and whenever the signal returns
  useVisitQueueReplay(me.data?.user.id ?? null);

  if (!me.data) {
    // loading, or a 401 on its way to /m/login
    return (
      <div className="m-center">
        <SpinLoading color="primary" />
      </div>
    );
  }
  const access = getAccess(me.data);
  const tabs = [
    { key: '/m' as const, icon: <AppOutline />, title: t('mobile.home') },
    ...(access.canReadPeople
      ? [{ key: '/m/residents' as const, icon: <TeamOutline />, title: t('mobile.residents') }]
      : []),
    { key: '/m/inbox' as const, icon: <MessageOutline />, title: t('mobile.inbox'), badge: unread || null },
    { key: '/m/me' as const, icon: <UserOutline />, title: t('mobile.me') },
  ];
  const isForced = me.data.user.mustChangePassword;
  const isPassword = isForced || pathname.startsWith('/m/password');
  const isResident = /^\/m\/residents\/\d+/.test(pathname);
  const isBuilding = /^\/m\/buildings\/\d+/.test(pathname);
  const casesTitle =
    casesPageTitle(pathname) ??
    alarmsPageTitle(pathname, alarmAccess(me.data).canRead) ??
    visitsPageTitle(pathname) ??
    pointsPageTitle(pathname);
  const title = casesTitle
    ? t(casesTitle)
    : isPassword
      ? t('auth.changePassword')
      : isBuilding
        ? t('houses.title')
        : isResident
          ? t('mobile.residentDetail')
          : active === '/m/residents'
            ? t('mobile.residents')
            : active === '/m'
              ? // A resident's home is their household, not a task list.
                access.canReadPeople
                ? t('mobile.myTasks')
                : t('mobile.home')
              : active === '/m/inbox'
                ? t('inbox.title')
                : t('mobile.me');
  const back = () => {
    if (casesTitle) {
      const idx = (window.history.state as { idx?: number } | null)?.idx ?? 0;
      if (idx > 0) navigate(-1);
      else navigate('/m');
    } else if (isBuilding) {
      navigate('/m');
    } else if (isResident) {
      // back to the list as it was, unless the page was opened directly
      const idx = (window.history.state as { idx?: number } | null)?.idx ?? 0;
      if (idx > 0) navigate(-1);
      else navigate('/m/residents');
    } else {
      navigate('/m/me');
    }
  };
  return (
    <div className="m-shell">
      <NavBar
        back={(isPassword && !isForced) || isResident || isBuilding || casesTitle ? '' : null}
        onBack={back}
        className="m-navbar"
      >
        {title}
      </NavBar>
      <main className="m-body">{isForced ? <MobilePasswordPage isForced /> : <Outlet />}</main>
      {isForced ? null : (
        <TabBar activeKey={active} onChange={(key) => navigate(key)} className="m-tabbar" safeArea>
          {tabs.map((tab) => (
            <TabBar.Item
              key={tab.key}
              icon={tab.icon}
              title={tab.title}
              badge={'badge' in tab && tab.badge ? tab.badge : null}
            />
          ))}
        </TabBar>
      )}
    </div>
  );
}
