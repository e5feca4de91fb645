import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BellOutlined,
  CalendarOutlined,
  CarOutlined,
  CarryOutOutlined,
  CloudUploadOutlined,
  ClusterOutlined,
  CoffeeOutlined,
  CommentOutlined,
  CompassOutlined,
  ControlOutlined,
  CrownOutlined,
  DashboardOutlined,
  FieldTimeOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FlagOutlined,
  FundOutlined,
  FundProjectionScreenOutlined,
  HeartOutlined,
  HomeOutlined,
  HourglassOutlined,
  IdcardOutlined,
  LineChartOutlined,
  NotificationOutlined,
  OrderedListOutlined,
  PieChartOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  ShopOutlined,
  SolutionOutlined,
  SoundOutlined,
  SwapOutlined,
  TagsOutlined,
  TeamOutlined,
  TrophyOutlined,
  WalletOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Layout, Menu, Modal, Result, Spin, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { getAccess, type PageKey, pageOfPath, visiblePages } from '../access';
import { AccountMenu } from '../features/auth/components/account-menu';
import { ChangePasswordModal } from '../features/auth/components/change-password-modal';
import { useDismissNotice, useLogout, useMe, useSwitchLanguage } from '../features/auth/hooks/use-auth';
import { InboxBell } from '../features/inbox/components/inbox-bell';
import { TokensModal } from '../features/tokens/components/tokens-modal';
import { LanguageSwitch } from '../ui/language-switch';
import { formatTime } from '../ui/time';

const ICONS: Record<PageKey, ReactNode> = {
  workbench: <DashboardOutlined />,
  org: <ApartmentOutlined />,
  residents: <IdcardOutlined />,
  houses: <HomeOutlined />,
  imports: <CloudUploadOutlined />,
  moveIns: <SwapOutlined />,
  reports: <BarChartOutlined />,
  // Case statistics (helper D)
  caseStats: <LineChartOutlined />,
  tags: <TagsOutlined />,
  users: <TeamOutlined />,
  audit: <AuditOutlined />,
  jobs: <FieldTimeOutlined />,
  // cases [E]
  cases: <AlertOutlined />,
  departmentCases: <NotificationOutlined />,
  departments: <BankOutlined />,
  // cases settings [B]
  casesSettings: <SettingOutlined />,
  // Open311 (helper C)
  open311: <ApiOutlined />,
  // devices [D]
  alarms: <BellOutlined />,
  devices: <WifiOutlined />,
  // devices [E]
  devicesImport: <CloudUploadOutlined />,
  devicesSettings: <ControlOutlined />,
  // grid work (visits)
  myTasks: <OrderedListOutlined />,
  visitTasks: <ScheduleOutlined />,
  visits: <CarryOutOutlined />,
  visitCoverage: <PieChartOutlined />,
  gridLinks: <ClusterOutlined />,
  patrols: <CompassOutlined />,
  visitRules: <ControlOutlined />,
  // points, volunteers
  pointsAccounts: <WalletOutlined />,
  pointsRules: <ControlOutlined />,
  merchants: <ShopOutlined />,
  volunteerTeams: <HeartOutlined />,
  activities: <CalendarOutlined />,
  timebank: <HourglassOutlined />,
  partners: <FlagOutlined />,
  // policies, assessment, dashboard
  dashboard: <FundProjectionScreenOutlined />,
  policies: <FileSearchOutlined />,
  policyCandidates: <SolutionOutlined />,
  policyEditor: <FileProtectOutlined />,
  metrics: <FundOutlined />,
  assessment: <TrophyOutlined />,
  selections: <CrownOutlined />,
  archives: <ProfileOutlined />,
  assessmentSchemes: <ControlOutlined />,
  // ---- deliberation [A] ----
  deliberation: <CommentOutlined />,
  meetings: <CoffeeOutlined />,
  verifications: <SafetyCertificateOutlined />,
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  notices: <SoundOutlined />,
  // ---- end notices [B] ----
  // ---- services [C] ----
  services: <ShopOutlined />,
  // ---- end services [C] ----
  // ---- privacy [E] ----
  privacyRequests: <FileProtectOutlined />,
  // ---- end privacy [E] ----
  // ---- machinery [D] ----
  machinery: <CarOutlined />,
  // ---- end machinery [D] ----
};

export function ConsoleLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const logout = useLogout();
  const switchLanguage = useSwitchLanguage();
  const dismissNotice = useDismissNotice();
  const [dialog, setDialog] = useState<'password' | 'tokens' | null>(null);

  if (me.isLoading) return <Spin fullscreen />;
  if (!me.data) {
    // a 401 has already sent the browser to the login page; anything else gets a retry
    return (
      <Result
        status="warning"
        title={me.error?.message ?? t('errors.unknown')}
        extra={<Button onClick={() => me.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }

  const access = getAccess(me.data);
  const pages = visiblePages(me.data);
  const selected = pageOfPath(pages, location.pathname)?.key;
  const signOut = () =>
    logout.mutate(undefined, {
      onSettled: () => {
        navigate('/login', { replace: true });
        queryClient.removeQueries();
        message.success(t('auth.loggedOut'));
      },
    });

  return (
    <Layout className="linli-console">
      <Layout.Sider breakpoint="lg" collapsedWidth={64} theme="light" className="linli-sider" width={208}>
        <Link to="/" className="linli-brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span className="linli-brand-name">{t('app.fullName')}</span>
        </Link>
        <Menu
          mode="inline"
          style={{ borderInlineEnd: 'none' }}
          selectedKeys={selected ? [selected] : []}
          data-testid="side-menu"
          items={pages.map((page) => ({
            key: page.key,
            icon: ICONS[page.key],
            label: <Link to={page.path}>{t(`menu.${page.key}`)}</Link>,
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="linli-header">
          <Typography.Text type="secondary" className="linli-header-title">
            {t('app.tagline')}
          </Typography.Text>
          <div className="linli-header-right">
            {me.data.user.mustChangePassword ? null : <InboxBell />}
            <LanguageSwitch onSwitch={switchLanguage} />
            <AccountMenu
              me={me.data}
              canManageTokens={access.canManageTokens}
              onChangePassword={() => setDialog('password')}
              onTokens={() => setDialog('tokens')}
              onLogout={signOut}
            />
          </div>
        </Layout.Header>
        <Layout.Content className="linli-content">
          {/* the server answers nothing else until the password is changed (PASSWORD_CHANGE_REQUIRED) */}
          {me.data.user.mustChangePassword ? null : <Outlet />}
        </Layout.Content>
      </Layout>
      <ChangePasswordModal
        open={dialog === 'password' || me.data.user.mustChangePassword}
        isForced={me.data.user.mustChangePassword}
        onClose={() => setDialog(null)}
        onLogout={signOut}
      />
      <Modal
        open={me.data.notice !== null && !me.data.user.mustChangePassword}
        title={t('auth.tokensRevokedTitle')}
        closable={false}
        mask={{ closable: false }}
        okText={t('auth.noticeUnderstood')}
        confirmLoading={dismissNotice.isPending}
        cancelButtonProps={{ style: { display: 'none' } }}
        onOk={() =>
          dismissNotice.mutate(undefined, {
            onError: (error) => message.error(error instanceof Error ? error.message : t('errors.unknown')),
          })
        }
        data-testid="notice-modal"
      >
        {me.data.notice ? (
          <Typography.Paragraph>
            {t('auth.tokensRevokedNotice', { at: formatTime(me.data.notice.at), count: me.data.notice.count })}
          </Typography.Paragraph>
        ) : null}
      </Modal>
      {access.canManageTokens ? <TokensModal open={dialog === 'tokens'} onClose={() => setDialog(null)} /> : null}
    </Layout>
  );
}
