import './mobile.css';
import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router-dom';
import { getAccess } from '../access';
import { useSignedInUser } from '../features/auth/hooks/use-access';
import { currentLanguage } from '../i18n';
import { alarmAccess } from './alarms/alarm-logic';
import { MobileAlarmPage } from './alarms/mobile-alarm-page';
import { MobileAlarmsPage } from './alarms/mobile-alarms-page';
import { MobileFamilyPage } from './alarms/mobile-family-page';
// assessment [C2]
import { MobileAssessmentPage } from './assessment/mobile-assessment-page';
import { caseAccess } from './cases/case-access';
import { MobileCasePage } from './cases/mobile-case-page';
import { MobileCasesPage, MobileTasksPage } from './cases/mobile-cases-page';
import { MobileReportPage } from './cases/mobile-report-page';
import {
  MobileDeliberationPage,
  MobileTopicPage,
  MobileVerificationsPage,
  MobileVerifyPage,
} from './deliberation/mobile-deliberation-page';
import { MobileGarbagePage } from './garbage/mobile-garbage-page';
// ---- machinery [D] ----
import { MobileMachineryPage } from './machinery/mobile-machinery-page';
import { MobileMerchantGoodsPage } from './merchant/mobile-merchant-goods-page';
import { MobileBuildingPage } from './mobile-building-page';
import { MobileHomePage } from './mobile-home-page';
import { MobileInboxPage } from './mobile-inbox-page';
import { MobileLayout } from './mobile-layout';
import { MobileLoginPage } from './mobile-login-page';
import { MobileMePage } from './mobile-me-page';
import { MobilePasswordPage } from './mobile-password-page';
import { MobileResidentPage } from './mobile-resident-page';
import { MobileResidentsPage } from './mobile-residents-page';
import { MobileNoticePage, MobileNoticesPage } from './notices/mobile-notices-page';
import { MobilePartnerPage } from './partner/mobile-partner-page';
import { MobilePatrolPage } from './patrols/mobile-patrol-page';
import { MobilePointsPage } from './points/mobile-points-page';
import { MobileCandidatePage, MobilePoliciesPage } from './policies/mobile-policies-page';
// ---- privacy [E] ----
import { MobileMyDataPage, MobilePrivacyRequestPage } from './privacy/mobile-privacy-page';
// ---- end privacy [E] ----
// ---- end machinery [D] ----
import { MobileCounterPage } from './redeem/mobile-counter-page';
import { MobileRedeemCodePage } from './redeem/mobile-redeem-code-page';
import { MobileServicesPage } from './services/mobile-services-page';
import { MobileTimebankPage } from './timebank/mobile-timebank-page';
import { MobileLinksPage } from './visits/mobile-links-page';
import { MobileAdhocVisitPage, MobileVisitTaskPage } from './visits/mobile-visit-page';
import { MobileVisitsPage } from './visits/mobile-visits-page';
import { MobileActivitiesPage, MobileActivityOrganisePage, MobileActivityPage } from './volunteers/activities-routes';

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
          <Route path="inbox" element={<MobileInboxPage />} />
          <Route
            path="residents"
            element={
              <PeopleOnly>
                <MobileResidentsPage />
              </PeopleOnly>
            }
          />
          <Route
            path="residents/:id"
            element={
              <PeopleOnly>
                <MobileResidentPage />
              </PeopleOnly>
            }
          />
          <Route
            path="buildings/:id"
            element={
              <PeopleOnly>
                <MobileBuildingPage />
              </PeopleOnly>
            }
          />
          <Route path="password" element={<MobilePasswordPage />} />
          {/* cases: phone web [F] */}
          <Route
            path="report"
            element={
              <CasesOnly need="canReport">
                <MobileReportPage />
              </CasesOnly>
            }
          />
          {/* grid work [E]: the patrol log; its quick case report (source patrol) one tap further */}
          <Route
            path="patrol"
            element={
              <PatrolOnly>
                <MobilePatrolPage />
              </PatrolOnly>
            }
          />
          <Route
            path="patrol/report"
            element={
              <CasesOnly need="canHandle">
                <MobileReportPage patrol />
              </CasesOnly>
            }
          />
          <Route
            path="cases"
            element={
              <CasesOnly need="canReport">
                <MobileCasesPage />
              </CasesOnly>
            }
          />
          <Route path="cases/:id" element={<MobileCasePage />} />
          {/* grid work [F]: 我的任务 — everyone's own tasks (visits, cases, alarms); case tabs for handlers */}
          <Route path="tasks" element={<MobileTasksPage />} />
          {/* devices [G]: the worker's alarms and the family's */}
          <Route
            path="alarms"
            element={
              <AlarmsOnly>
                <MobileAlarmsPage />
              </AlarmsOnly>
            }
          />
          <Route
            path="alarms/:id"
            element={
              <AlarmsOnly>
                <MobileAlarmPage />
              </AlarmsOnly>
            }
          />
          <Route path="family" element={<MobileFamilyPage />} />
          {/* grid work [H]: visits (a linked party member without a post's permission has tasks too: the server decides) */}
          <Route path="visits" element={<MobileVisitsPage />} />
          <Route path="visits/:taskId" element={<MobileVisitTaskPage />} />
          <Route path="visit/new" element={<MobileAdhocVisitPage />} />
          <Route path="links" element={<MobileLinksPage />} />
          {/* ---- points [A] ---- */}
          <Route path="points" element={<MobilePointsPage />} />
          {/* ---- end points [A] ---- */}
          {/* ---- points [B] ---- */}
          <Route
            path="garbage"
            element={
              <PeopleOnly>
                <MobileGarbagePage />
              </PeopleOnly>
            }
          />
          {/* ---- end points [B] ---- */}
          {/* ---- points [C] ---- */}
          <Route path="merchant/goods" element={<MobileMerchantGoodsPage />} />
          {/* ---- end points [C] ---- */}
          {/* ---- points [G] ---- */}
          <Route path="points/redeem" element={<MobileRedeemCodePage />} />
          <Route path="merchant" element={<MobileCounterPage />} />
          {/* ---- end points [G] ---- */}
          {/* ---- volunteers [D] ---- */}
          <Route path="activities" element={<MobileActivitiesPage />} />
          <Route path="activities/:id" element={<MobileActivityPage />} />
          <Route path="activities/:id/organise" element={<MobileActivityOrganisePage />} />
          {/* ---- end volunteers [D] ---- */}
          {/* ---- timebank [E] ---- */}
          <Route path="timebank" element={<MobileTimebankPage />} />
          {/* ---- end timebank [E] ---- */}
          {/* ---- services [C] ---- */}
          <Route path="services" element={<MobileServicesPage />} />
          {/* ---- end services [C] ---- */}
          {/* ---- partners [F] ---- */}
          <Route path="partner" element={<MobilePartnerPage />} />
          {/* ---- end partners [F] ---- */}
          {/* ---- policies [A3] ---- */}
          <Route path="policies" element={<MobilePoliciesPage />} />
          <Route path="policies/candidates/:id" element={<MobileCandidatePage />} />
          {/* ---- end policies [A3] ---- */}
          {/* ---- assessment [C2] ---- */}
          <Route path="assessment" element={<MobileAssessmentPage />} />
          {/* ---- end assessment [C2] ---- */}
          {/* ---- dashboard [D] ---- */}
          {/* ---- end dashboard [D] ---- */}
          {/* ---- deliberation [A] ---- */}
          <Route path="deliberation" element={<MobileDeliberationPage />} />
          <Route path="deliberation/verify" element={<MobileVerifyPage />} />
          <Route path="deliberation/topics/:id" element={<MobileTopicPage />} />
          <Route path="deliberation/verifications" element={<MobileVerificationsPage />} />
          <Route path="deliberation/verifications/:id" element={<MobileVerificationsPage />} />
          {/* ---- end deliberation [A] ---- */}
          {/* ---- notices [B] ---- */}
          <Route path="notices" element={<MobileNoticesPage />} />
          <Route path="notices/:id" element={<MobileNoticePage />} />
          {/* ---- end notices [B] ---- */}
          {/* ---- privacy [E] ---- */}
          <Route path="privacy" element={<MobileMyDataPage />} />
          <Route path="privacy/requests/:id" element={<MobilePrivacyRequestPage />} />
          {/* ---- end privacy [E] ---- */}
          {/* ---- machinery [D] ---- */}
          <Route path="machinery" element={<MobileMachineryPage />} />
          {/* ---- end machinery [D] ---- */}
          <Route path="*" element={<MobileHomePage />} />
        </Route>
      </Routes>
    </ConfigProvider>
  );
}

/** The residents pages, for those who may read people; anyone else lands on the home page. */
function PeopleOnly({ children }: { children: ReactNode }) {
  const me = useSignedInUser();
  return me && getAccess(me).canReadPeople ? children : <MobileHomePage />;
}

/** The patrol page, for whoever records patrols (visits.do). */
function PatrolOnly({ children }: { children: ReactNode }) {
  const me = useSignedInUser();
  return me && getAccess(me).canDoVisits ? children : <MobileHomePage />;
}

/** The cases pages an account may use (reporting: anyone with a post; tasks and patrol: handlers). */
function CasesOnly({ need, children }: { need: 'canReport' | 'canHandle'; children: ReactNode }) {
  const me = useSignedInUser();
  return me && caseAccess(me)[need] ? children : <MobileHomePage />;
}

/**
 * The alarms of an area, for those who read devices (grid, community, street workers); anyone else (a family
 * member following an alarm message's link) lands on their family's alarms.
 */
function AlarmsOnly({ children }: { children: ReactNode }) {
  const me = useSignedInUser();
  return alarmAccess(me).canRead ? children : <MobileFamilyPage />;
}
