import 'dayjs/locale/zh-cn';
import './ui/console.css';
import { App, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router-dom';
import { currentLanguage } from './i18n';
import { AuditPage } from './pages/audit-page';
import { ConsoleLayout } from './pages/console-layout';
import { LoginPage } from './pages/login-page';
import { OrgPage } from './pages/org-page';
import { HomeRedirect, NotFoundPage, PageGuard } from './pages/page-guard';
import { UsersPage } from './pages/users-page';

const THEME = { token: { colorPrimary: '#1677ff', borderRadius: 6 } };

export function ConsoleApp() {
  useTranslation(); // re-render on language change
  const lang = currentLanguage();
  // the date pickers take month and weekday names from dayjs's global locale
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={THEME}>
      <App>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<ConsoleLayout />}>
            <Route index element={<HomeRedirect />} />
            <Route
              path="org"
              element={
                <PageGuard page="org">
                  <OrgPage />
                </PageGuard>
              }
            />
            <Route
              path="users"
              element={
                <PageGuard page="users">
                  <UsersPage />
                </PageGuard>
              }
            />
            <Route
              path="audit"
              element={
                <PageGuard page="audit">
                  <AuditPage />
                </PageGuard>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </App>
    </ConfigProvider>
  );
}
