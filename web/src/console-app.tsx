import 'dayjs/locale/zh-cn';
import './ui/console.css';
import { App, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router-dom';
import type { PageKey } from './access';
import { currentLanguage } from './i18n';
import { AuditPage } from './pages/audit-page';
import { ConsoleLayout } from './pages/console-layout';
import { LoginPage } from './pages/login-page';
import { OrgPage } from './pages/org-page';
import { HomeRedirect, NotFoundPage, PageGuard } from './pages/page-guard';
import { UsersPage } from './pages/users-page';
import { WorkbenchPage } from './pages/workbench-page';

const THEME = { token: { colorPrimary: '#1677ff', borderRadius: 6 } };

// The people and reports pages load when first opened, so that signing in does not wait for them.
const ResidentsPage = lazy(() => import('./pages/residents-page').then((m) => ({ default: m.ResidentsPage })));
const ResidentPage = lazy(() => import('./pages/resident-page').then((m) => ({ default: m.ResidentPage })));
const BuildingsPage = lazy(() => import('./pages/buildings-page').then((m) => ({ default: m.BuildingsPage })));
const ImportPage = lazy(() => import('./pages/import-page').then((m) => ({ default: m.ImportPage })));
const MoveInPage = lazy(() => import('./pages/move-in-page').then((m) => ({ default: m.MoveInPage })));
const TagsPage = lazy(() => import('./pages/tags-page').then((m) => ({ default: m.TagsPage })));
const ReportsPage = lazy(() => import('./pages/reports-page').then((m) => ({ default: m.ReportsPage })));
const JobsPage = lazy(() => import('./pages/jobs-page').then((m) => ({ default: m.JobsPage })));
// cases settings [B]
const CasesSettingsPage = lazy(() =>
  import('./pages/cases-settings-page').then((m) => ({ default: m.CasesSettingsPage })),
);
const InboxPage = lazy(() => import('./pages/inbox-page').then((m) => ({ default: m.InboxPage })));
// Open311 (helper C)
const Open311Page = lazy(() => import('./pages/open311-page').then((m) => ({ default: m.Open311Page })));
// 事件统计 (helper D): ECharts loads with this page only.
const CaseStatsPage = lazy(() => import('./pages/case-stats-page').then((m) => ({ default: m.CaseStatsPage })));
const ReportEditorPage = lazy(() => import('./pages/reports-page').then((m) => ({ default: m.ReportEditorPage })));
// cases [E]
const CasesPage = lazy(() => import('./pages/cases-page').then((m) => ({ default: m.CasesPage })));
const DepartmentCasesPage = lazy(() => import('./pages/cases-page').then((m) => ({ default: m.DepartmentCasesPage })));
const CasePage = lazy(() => import('./pages/case-page').then((m) => ({ default: m.CasePage })));
const DepartmentsPage = lazy(() => import('./pages/case-page').then((m) => ({ default: m.DepartmentsPage })));
// devices [E]
const DevicesImportPage = lazy(() =>
  import('./pages/devices-import-page').then((m) => ({ default: m.DevicesImportPage })),
);
const DevicesSettingsPage = lazy(() =>
  import('./pages/devices-settings-page').then((m) => ({ default: m.DevicesSettingsPage })),
);

// devices [D]: the alarm centre and the device pages (ECharts loads with a device page only)
const AlarmsPage = lazy(() => import('./pages/alarms-page').then((m) => ({ default: m.AlarmsPage })));
const AlarmPage = lazy(() => import('./pages/alarms-page').then((m) => ({ default: m.AlarmPage })));
// grid work [E]
const PatrolsPage = lazy(() => import('./pages/patrols-page').then((m) => ({ default: m.PatrolsPage })));
const PatrolPage = lazy(() => import('./pages/patrols-page').then((m) => ({ default: m.PatrolPage })));
const DevicesPage = lazy(() => import('./pages/devices-page').then((m) => ({ default: m.DevicesPage })));
const DevicePage = lazy(() => import('./pages/devices-page').then((m) => ({ default: m.DevicePage })));
// grid work [C]
const VisitCoveragePage = lazy(() =>
  import('./pages/visit-coverage-page').then((m) => ({ default: m.VisitCoveragePage })),
);
// grid work [D]
const GridLinksPage = lazy(() => import('./pages/grid-links-page').then((m) => ({ default: m.GridLinksPage })));
// grid work [F]
const MyTasksPage = lazy(() => import('./pages/my-tasks-page').then((m) => ({ default: m.MyTasksPage })));
// grid work [G]: 走访任务, 走访记录, 走访规则
const VisitTasksPage = lazy(() => import('./pages/visit-tasks-page').then((m) => ({ default: m.VisitTasksPage })));
const VisitTaskPage = lazy(() => import('./pages/visit-tasks-page').then((m) => ({ default: m.VisitTaskPage })));
const VisitsPage = lazy(() => import('./pages/visits-page').then((m) => ({ default: m.VisitsPage })));
const VisitPage = lazy(() => import('./pages/visits-page').then((m) => ({ default: m.VisitPage })));
const VisitRulesPage = lazy(() => import('./pages/visit-rules-page').then((m) => ({ default: m.VisitRulesPage })));
// ---- points [A] ----
const PointsPage = lazy(() => import('./pages/points-page').then((m) => ({ default: m.PointsPage })));
// ---- end points [A] ----
// ---- points [B] ----
const PointsRulesPage = lazy(() => import('./pages/points-rules-page').then((m) => ({ default: m.PointsRulesPage })));
// ---- end points [B] ----
// ---- points [C] ----
const MerchantsPage = lazy(() => import('./pages/merchants-page').then((m) => ({ default: m.MerchantsPage })));
const MerchantPage = lazy(() => import('./pages/merchants-page').then((m) => ({ default: m.MerchantPage })));
// ---- end points [C] ----
// ---- points [G] ----
// ---- end points [G] ----
// ---- volunteers [D] ----
const VolunteerTeamsPage = lazy(() =>
  import('./pages/volunteer-teams-page').then((m) => ({ default: m.VolunteerTeamsPage })),
);
const ActivitiesPage = lazy(() => import('./pages/activities-page').then((m) => ({ default: m.ActivitiesPage })));
const ActivityPage = lazy(() => import('./pages/activities-page').then((m) => ({ default: m.ActivityPage })));
// ---- end volunteers [D] ----
// ---- timebank [E] ----
const TimebankPage = lazy(() => import('./pages/timebank-page').then((m) => ({ default: m.TimebankPage })));
// ---- end timebank [E] ----
// ---- services [C] ----
const ServicesPage = lazy(() => import('./pages/services-page').then((m) => ({ default: m.ServicesPage })));
// ---- end services [C] ----
// ---- partners [F] ----
const PartnersPage = lazy(() => import('./pages/partners-page').then((m) => ({ default: m.PartnersPage })));
// ---- end partners [F] ----
// ---- policies [A3] ----
const PoliciesPage = lazy(() => import('./pages/policies-page').then((m) => ({ default: m.PoliciesPage })));
const PolicyCandidatesPage = lazy(() =>
  import('./pages/policies-page').then((m) => ({ default: m.PolicyCandidatesPage })),
);
const PolicyEditorPage = lazy(() => import('./pages/policies-page').then((m) => ({ default: m.PolicyEditorPage })));
// ---- end policies [A3] ----
// ---- metrics [B] ----
const MetricsPage = lazy(() => import('./pages/metrics-page').then((m) => ({ default: m.MetricsPage })));
// ---- end metrics [B] ----
// ---- assessment [C2] ----
const AssessmentPage = lazy(() => import('./pages/assessment-page').then((m) => ({ default: m.AssessmentPage })));
const SelectionsPage = lazy(() => import('./pages/selections-page').then((m) => ({ default: m.SelectionsPage })));
const ArchivesPage = lazy(() => import('./pages/archives-page').then((m) => ({ default: m.ArchivesPage })));
const AssessmentSchemesPage = lazy(() =>
  import('./pages/assessment-schemes-page').then((m) => ({ default: m.AssessmentSchemesPage })),
);
// ---- end assessment [C2] ----
// ---- dashboard [D] ----
// 驾驶舱 (ECharts loads with this page only); the big screen is routed in root.tsx, outside the console's frame
const DashboardPage = lazy(() => import('./pages/dashboard-page').then((m) => ({ default: m.DashboardPage })));
// ---- end dashboard [D] ----
// ---- deliberation [A] ----
const DeliberationPage = lazy(() => import('./pages/deliberation-page').then((m) => ({ default: m.DeliberationPage })));
const MeetingsPage = lazy(() => import('./pages/deliberation-page').then((m) => ({ default: m.MeetingsPage })));
const VerificationsPage = lazy(() =>
  import('./pages/deliberation-page').then((m) => ({ default: m.VerificationsPage })),
);
// ---- end deliberation [A] ----
// ---- notices [B] ----
const NoticesPage = lazy(() => import('./pages/notices-page').then((m) => ({ default: m.NoticesPage })));
// ---- end notices [B] ----
// ---- privacy [E] ----
const PrivacyRequestsPage = lazy(() =>
  import('./pages/privacy-page').then((m) => ({ default: m.PrivacyRequestsPage })),
);
// ---- end privacy [E] ----
// ---- machinery [D] ----
const MachineryPage = lazy(() => import('./pages/machinery-page').then((m) => ({ default: m.MachineryPage })));
// ---- end machinery [D] ----

/** Every console route and the page (menu entry) whose access it needs. */
const ROUTES: { path: string; page: PageKey | readonly PageKey[]; element: ReactNode }[] = [
  { path: 'workbench', page: 'workbench', element: <WorkbenchPage /> },
  { path: 'org', page: 'org', element: <OrgPage /> },
  { path: 'people', page: 'residents', element: <ResidentsPage /> },
  { path: 'people/residents/:id', page: 'residents', element: <ResidentPage /> },
  { path: 'people/buildings', page: 'houses', element: <BuildingsPage /> },
  { path: 'people/import', page: 'imports', element: <ImportPage /> },
  { path: 'people/move-in', page: 'moveIns', element: <MoveInPage /> },
  { path: 'people/tags', page: 'tags', element: <TagsPage /> },
  { path: 'reports', page: 'reports', element: <ReportsPage /> },
  { path: 'reports/new', page: 'reports', element: <ReportEditorPage /> },
  { path: 'reports/:id/edit', page: 'reports', element: <ReportEditorPage /> },
  // Case statistics (helper D)
  { path: 'cases/stats', page: 'caseStats', element: <CaseStatsPage /> },
  { path: 'users', page: 'users', element: <UsersPage /> },
  { path: 'audit', page: 'audit', element: <AuditPage /> },
  { path: 'jobs', page: 'jobs', element: <JobsPage /> },
  // cases settings [B]
  { path: 'cases/settings', page: 'casesSettings', element: <CasesSettingsPage /> },
  // cases [E]
  { path: 'cases', page: 'cases', element: <CasesPage /> },
  // a case opens from the board and from a department's list (and from a message's link, whoever reads it)
  { path: 'cases/:id', page: ['cases', 'departmentCases'], element: <CasePage /> },
  { path: 'cases/department', page: 'departmentCases', element: <DepartmentCasesPage /> },
  { path: 'cases/departments', page: 'departments', element: <DepartmentsPage /> },
  // Open311 (helper C)
  { path: 'cases/open311', page: 'open311', element: <Open311Page /> },
  // devices [D]
  { path: 'alarms', page: 'alarms', element: <AlarmsPage /> },
  { path: 'alarms/:id', page: 'alarms', element: <AlarmPage /> },
  { path: 'devices', page: 'devices', element: <DevicesPage /> },
  { path: 'devices/:id', page: 'devices', element: <DevicePage /> },
  // devices [E]
  { path: 'devices/import', page: 'devicesImport', element: <DevicesImportPage /> },
  { path: 'devices/settings', page: 'devicesSettings', element: <DevicesSettingsPage /> },
  // grid work [C]
  { path: 'visits/coverage', page: 'visitCoverage', element: <VisitCoveragePage /> },
  // grid work [D]
  { path: 'visits/links', page: 'gridLinks', element: <GridLinksPage /> },
  // grid work [E]: the patrol log
  { path: 'visits/patrols', page: 'patrols', element: <PatrolsPage /> },
  { path: 'visits/patrols/:id', page: 'patrols', element: <PatrolPage /> },
  // grid work [F]
  { path: 'tasks', page: 'myTasks', element: <MyTasksPage /> },
  // grid work [G]
  { path: 'visits/tasks', page: 'visitTasks', element: <VisitTasksPage /> },
  { path: 'visits/tasks/:id', page: 'visitTasks', element: <VisitTaskPage /> },
  { path: 'visits/records', page: 'visits', element: <VisitsPage /> },
  { path: 'visits/records/:id', page: 'visits', element: <VisitPage /> },
  { path: 'visits/rules', page: 'visitRules', element: <VisitRulesPage /> },
  // ---- points [A] ----
  { path: 'points', page: 'pointsAccounts', element: <PointsPage /> },
  // ---- end points [A] ----
  // ---- points [B] ----
  { path: 'points/rules', page: 'pointsRules', element: <PointsRulesPage /> },
  // ---- end points [B] ----
  // ---- points [C] ----
  { path: 'points/merchants', page: 'merchants', element: <MerchantsPage /> },
  { path: 'points/merchants/:id', page: 'merchants', element: <MerchantPage /> },
  // ---- end points [C] ----
  // ---- points [G] ----
  // ---- end points [G] ----
  // ---- volunteers [D] ----
  { path: 'volunteers', page: 'volunteerTeams', element: <VolunteerTeamsPage /> },
  { path: 'volunteers/activities', page: 'activities', element: <ActivitiesPage /> },
  { path: 'volunteers/activities/:id', page: 'activities', element: <ActivityPage /> },
  // ---- end volunteers [D] ----
  // ---- timebank [E] ----
  { path: 'volunteers/timebank', page: 'timebank', element: <TimebankPage /> },
  // ---- end timebank [E] ----
  // ---- services [C] ----
  { path: 'services', page: 'services', element: <ServicesPage /> },
  // ---- end services [C] ----
  // ---- partners [F] ----
  { path: 'volunteers/partners', page: 'partners', element: <PartnersPage /> },
  // ---- end partners [F] ----
  // ---- policies [A3] ----
  { path: 'policies', page: 'policies', element: <PoliciesPage /> },
  { path: 'policies/candidates', page: 'policyCandidates', element: <PolicyCandidatesPage /> },
  { path: 'policies/manage', page: 'policyEditor', element: <PolicyEditorPage /> },
  // ---- end policies [A3] ----
  // ---- metrics [B] ----
  { path: 'assessment/metrics', page: 'metrics', element: <MetricsPage /> },
  // ---- end metrics [B] ----
  // ---- assessment [C2] ----
  { path: 'assessment', page: 'assessment', element: <AssessmentPage /> },
  { path: 'assessment/selections', page: 'selections', element: <SelectionsPage /> },
  { path: 'assessment/archives', page: 'archives', element: <ArchivesPage /> },
  { path: 'assessment/schemes', page: 'assessmentSchemes', element: <AssessmentSchemesPage /> },
  // ---- end assessment [C2] ----
  // ---- dashboard [D] ----
  { path: 'dashboard', page: 'dashboard', element: <DashboardPage /> },
  // ---- end dashboard [D] ----
  // ---- deliberation [A] ----
  { path: 'deliberation', page: 'deliberation', element: <DeliberationPage /> },
  { path: 'deliberation/meetings', page: 'meetings', element: <MeetingsPage /> },
  { path: 'deliberation/verifications', page: 'verifications', element: <VerificationsPage /> },
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  { path: 'notices', page: 'notices', element: <NoticesPage /> },
  // ---- end notices [B] ----
  // ---- privacy [E] ----
  { path: 'privacy/requests', page: 'privacyRequests', element: <PrivacyRequestsPage /> },
  { path: 'privacy/requests/:id', page: 'privacyRequests', element: <PrivacyRequestsPage /> },
  // ---- end privacy [E] ----
  // ---- machinery [D] ----
  { path: 'services/machinery', page: 'machinery', element: <MachineryPage /> },
  // ---- end machinery [D] ----
];

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
            {ROUTES.map(({ path, page, element }) => (
              <Route
                key={path}
                path={path}
                element={
                  <PageGuard page={page}>
                    <Suspense fallback={<Spin style={{ display: 'block', margin: '96px auto' }} />}>{element}</Suspense>
                  </PageGuard>
                }
              />
            ))}
            {/* every signed-in user has an inbox: no menu entry, reached from the bell */}
            <Route
              path="inbox"
              element={
                <Suspense fallback={<Spin style={{ display: 'block', margin: '96px auto' }} />}>
                  <InboxPage />
                </Suspense>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </App>
    </ConfigProvider>
  );
}
