import './mobile.css';
import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router-dom';
import { currentLanguage } from '../i18n';
import { MobileHomePage } from './mobile-home-page';
import { MobileLayout } from './mobile-layout';
import { MobileLoginPage } from './mobile-login-page';
import { MobileMePage } from './mobile-me-page';
import { MobilePasswordPage } from './mobile-password-page';

/** The phone shell for grid workers and residents, under /m. */
export function MobileApp() {
  useTranslation(); // re-render on language change
  return (
    <ConfigProvider locale={currentLanguage() === 'en' ? enUS : zhCN}>
      <Routes>
        <Route path="login" element={<MobileLoginPage />} />
        <Route element={<MobileLayout />}>
          <Route index element={<MobileHomePage />} />
          <Route path="me" element={<MobileMePage />} />
          <Route path="password" element={<MobilePasswordPage />} />
          <Route path="*" element={<MobileHomePage />} />
        </Route>
      </Routes>
    </ConfigProvider>
  );
}
