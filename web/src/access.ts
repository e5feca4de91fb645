import type { Me, ModuleName, Permission } from './api-types';

/**
 * The only place the console decides what a role sees. Everything is derived from the `permissions`
 * and `modules` the server sends in /api/auth/me, so a module the server has not switched on never
 * appears, whatever the permissions say.
 */
export type Access = {
  canReadOrg: boolean;
  canWriteOrg: boolean;
  canReadUsers: boolean;
  canWriteUsers: boolean;
  canReadAudit: boolean;
  canRevealPii: boolean;
  canManageTokens: boolean;
  /** A post bound to no node covers the whole installation (the system administrator's). */
  hasGlobalScope: boolean;
  /** Only such a post may add a county at the top of the tree. */
  canCreateRoot: boolean;
  canReadPeople: boolean;
  canWritePeople: boolean;
  /** Full ID and phone numbers of residents, one at a time, with a stated reason (audited). */
  canRevealResidentPii: boolean;
  /** A resident's documents and photos (a 低保证明 scan says what sensitive tags say: not for building leaders). */
  canReadResidentFiles: boolean;
  canImportPeople: boolean;
  /** The tag dictionary is shared by every county: only a system administrator may change it. */
  canManageTags: boolean;
  canExportReports: boolean;
  canManageReports: boolean;
  /** Exports with full ID and phone numbers (the server also checks the whole exported area). */
  canExportUnmasked: boolean;
  // cases [E]
  canReadCases: boolean;
  /** Report a case for someone (hotline, walk-in): any worker with the board. */
  canReportCases: boolean;
  /** Dispatch, whistle, verify…; keep the area's departments. */
  canManageCases: boolean;
  // devices [D]
  /** The alarm centre, the device list and pages (telemetry, dead letters). */
  canReadDevices: boolean;
  /** Acknowledge and resolve alarms, add notes, open a case from an alarm. */
  canHandleAlarms: boolean;
  // devices [E]
  /** Register, edit, import, retire devices and rotate their credentials; a resident's rule overrides. */
  canRegisterDevices: boolean;
  /** Device types, their rules and ladders: installation-wide, so a post over the whole installation only. */
  canConfigureDevices: boolean;
  /** A resident's devices on their page. */
  canSeeResidentDevices: boolean;
  /** The 外出 (away) switch that pauses no-use alarms for a person. */
  canSetAway: boolean;
  // grid work (visits): pinned contract
  /** Visit tasks and visits of the area, coverage, the patrol log, the 一网三联 links. */
  canReadVisits: boolean;
  /** Record visits and patrols (the phone's 走访 and 巡查). */
  canDoVisits: boolean;
  /** Reassign and withdraw visit tasks; keep the 一网三联 links. */
  canManageVisits: boolean;
  /** Visit rules (三到六访): installation-wide, so a post over the whole installation only. */
  canConfigureVisits: boolean;
  // points, volunteers (pinned contract)
  /** Accounts and passbooks of the area, merchants with their redemptions and settlements, community totals. */
  canReadPoints: boolean;
  /** Award and correct points by hand, keep merchants and catalogues, settle merchants' months. */
  canManagePoints: boolean;
  /** Earning rules and points settings: installation-wide, so a post over the whole installation only. */
  canConfigurePoints: boolean;
  /** A merchant's counter: take redemption codes, keep its own goods and stock (the phone's 扫码兑换). */
  canRedeemPoints: boolean;
  /** Teams, volunteers, activities, the time bank and partners of the area. */
  canReadVolunteers: boolean;
  /** Run them: activities and attendance, time-bank confirmations and matching, partners and projects. */
  canManageVolunteers: boolean;
  /** A partner organisation's side: claim projects, record deliveries. */
  canActAsPartner: boolean;
  /** The account has its own resident record: my points, activities, time bank (a resident's phone). */
  hasResidentRecord: boolean;
  // policies, assessment, dashboard (pinned contract)
  /** Policies, runs, the explained lists of who qualifies, candidates of the area. */
  canReadPolicies: boolean;
  /** Run policies over the area on demand. */
  canRunPolicies: boolean;
  /** Confirm or reject candidates (the human in the loop), mark them receiving. */
  canConfirmPolicies: boolean;
  /** Write policies and their rules: installation-wide, so a post over the whole installation only. */
  canConfigurePolicies: boolean;
  /** Metrics, scores, rankings, selections, archives of the area. */
  canReadAssessment: boolean;
  /** Bonus/penalty items, nominations. */
  canManageAssessment: boolean;
  /** Approve or decline nominations at one's level, publish. */
  canApproveAssessment: boolean;
  /** Assessment schemes: installation-wide. */
  canConfigureAssessment: boolean;
  /** Dashboards (驾驶舱) and the big screen. */
  canReadDashboard: boolean;
  // ---- deliberation [A] ----
  /** 议事协商 of the area: topics, discussions, votes and results, meetings. */
  canReadDeliberation: boolean;
  /** Open topics and votes, approve residents' topics, moderate, hold meetings, track decisions. */
  canManageDeliberation: boolean;
  /** Approve residents' verification requests (ID number + phone) in the area. */
  canVerifyResidents: boolean;
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  /** Notices (信息发布) of the area, with their receipts. */
  canReadNotices: boolean;
  /** Write drafts for the area and submit them for review. */
  canWriteNotices: boolean;
  /** Review (审核) notices of the area: approve (at once or scheduled), reject, withdraw; never one's own. */
  canReviewNotices: boolean;
  // ---- end notices [B] ----
  // ---- privacy [E] ----
  /** Residents' privacy requests of the area (correct, delete, object): decide them within their deadline. */
  canHandlePrivacy: boolean;
  // ---- end privacy [E] ----
  // ---- machinery [D] ----
  /** 农机共享 of the area: machines, demands, the schedule, monthly figures. */
  canReadMachinery: boolean;
  /** Run 农机共享 in the area: owners, machines, demands for farmers, bookings, dispatch, completion. */
  canManageMachinery: boolean;
  // ---- end machinery [D] ----
};

/**
 * Modules the console knows. The server lists the ones it has switched on; `people` and `reports` are
 * here before the server's own list names them, so that switching them on there is all it takes.
 */
export type ConsoleModule = ModuleName | 'people' | 'reports';

type Grants = Pick<Me, 'permissions'> & {
  modules: readonly string[];
  posts?: Pick<Me['posts'][number], 'nodeId'>[];
  user?: Partial<Pick<Me['user'], 'residentId'>>;
};

function allows(me: Grants, module: ConsoleModule | null, permission: Permission): boolean {
  return (module === null || me.modules.includes(module)) && me.permissions.includes(permission);
}

export function getAccess(me: Grants): Access {
  const hasGlobalScope = (me.posts ?? []).some((post) => post.nodeId === null);
  return {
    canReadOrg: allows(me, 'org', 'org.read'),
    canWriteOrg: allows(me, 'org', 'org.write'),
    canReadUsers: allows(me, 'users', 'users.read'),
    canWriteUsers: allows(me, 'users', 'users.write'),
    canReadAudit: allows(me, 'audit', 'audit.read'),
    canRevealPii: allows(me, 'users', 'pii.reveal'),
    // tokens belong to the account itself, not to a module
    canManageTokens: allows(me, null, 'tokens.manage'),
    hasGlobalScope,
    canCreateRoot: hasGlobalScope && allows(me, 'org', 'org.write'),
    canReadPeople: allows(me, 'people', 'people.read'),
    canWritePeople: allows(me, 'people', 'people.read') && allows(me, 'people', 'people.write'),
    canRevealResidentPii: allows(me, 'people', 'people.read') && allows(me, 'people', 'pii.reveal'),
    canReadResidentFiles: allows(me, 'people', 'people.read') && allows(me, 'people', 'people.sensitive'),
    canImportPeople: allows(me, 'people', 'people.import'),
    canManageTags: hasGlobalScope && allows(me, 'people', 'tags.manage'),
    canExportReports: allows(me, 'reports', 'reports.export'),
    canManageReports: allows(me, 'reports', 'reports.export') && allows(me, 'reports', 'reports.manage'),
    canExportUnmasked: allows(me, 'reports', 'reports.export') && allows(me, 'reports', 'pii.reveal'),
    // cases [E]
    canReadCases: allows(me, 'cases', 'cases.read'),
    canReportCases: allows(me, 'cases', 'cases.read') && allows(me, 'cases', 'cases.handle'),
    canManageCases: allows(me, 'cases', 'cases.manage'),
    // devices [D]
    canReadDevices: allows(me, 'devices', 'devices.read'),
    canHandleAlarms: allows(me, 'devices', 'devices.read') && allows(me, 'devices', 'alarms.handle'),
    // devices [E]
    canRegisterDevices: allows(me, 'devices', 'devices.manage'),
    canConfigureDevices: hasGlobalScope && allows(me, 'devices', 'devices.config'),
    canSeeResidentDevices: allows(me, 'devices', 'devices.read'),
    canSetAway: allows(me, 'devices', 'alarms.handle'),
    // grid work (visits)
    canReadVisits: allows(me, 'visits', 'visits.read'),
    canDoVisits: allows(me, 'visits', 'visits.do'),
    canManageVisits: allows(me, 'visits', 'visits.manage'),
    canConfigureVisits: hasGlobalScope && allows(me, 'visits', 'visits.config'),
    // points, volunteers
    canReadPoints: allows(me, 'points', 'points.read'),
    canManagePoints: allows(me, 'points', 'points.read') && allows(me, 'points', 'points.manage'),
    canConfigurePoints: hasGlobalScope && allows(me, 'points', 'points.config'),
    canRedeemPoints: allows(me, 'points', 'points.redeem'),
    canReadVolunteers: allows(me, 'volunteers', 'volunteers.read'),
    canManageVolunteers: allows(me, 'volunteers', 'volunteers.read') && allows(me, 'volunteers', 'volunteers.manage'),
    canActAsPartner: allows(me, 'volunteers', 'partners.act'),
    hasResidentRecord: me.user?.residentId != null,
    // policies, assessment, dashboard
    canReadPolicies: allows(me, 'policies', 'policies.read'),
    canRunPolicies: allows(me, 'policies', 'policies.read') && allows(me, 'policies', 'policies.run'),
    canConfirmPolicies: allows(me, 'policies', 'policies.read') && allows(me, 'policies', 'policies.confirm'),
    canConfigurePolicies: hasGlobalScope && allows(me, 'policies', 'policies.config'),
    canReadAssessment: allows(me, 'assessment', 'assessment.read'),
    canManageAssessment: allows(me, 'assessment', 'assessment.read') && allows(me, 'assessment', 'assessment.manage'),
    canApproveAssessment: allows(me, 'assessment', 'assessment.read') && allows(me, 'assessment', 'assessment.approve'),
    canConfigureAssessment: hasGlobalScope && allows(me, 'assessment', 'assessment.config'),
    canReadDashboard: allows(me, 'dashboard', 'dashboard.read'),
    // ---- deliberation [A] ----
    canReadDeliberation: allows(me, 'deliberation', 'deliberation.read'),
    canManageDeliberation:
      allows(me, 'deliberation', 'deliberation.read') && allows(me, 'deliberation', 'deliberation.manage'),
    canVerifyResidents: allows(me, 'deliberation', 'residents.verify'),
    // ---- end deliberation [A] ----
    // ---- notices [B] ----
    canReadNotices: allows(me, 'notices', 'notices.read'),
    canWriteNotices: allows(me, 'notices', 'notices.read') && allows(me, 'notices', 'notices.write'),
    canReviewNotices: allows(me, 'notices', 'notices.read') && allows(me, 'notices', 'notices.review'),
    // ---- end notices [B] ----
    // ---- privacy [E] ----
    canHandlePrivacy: allows(me, 'privacy', 'privacy.handle'),
    // ---- end privacy [E] ----
    // ---- machinery [D] ----
    canReadMachinery: allows(me, 'services', 'services.read'),
    canManageMachinery: allows(me, 'services', 'services.read') && allows(me, 'services', 'services.manage'),
    // ---- end machinery [D] ----
  };
}

export type PageKey =
  | 'workbench'
  | 'org'
  | 'residents'
  | 'houses'
  | 'imports'
  | 'moveIns'
  | 'reports'
  // Case statistics (helper D)
  | 'caseStats'
  | 'tags'
  | 'users'
  | 'audit'
  | 'jobs'
  // cases [E]
  | 'cases'
  | 'departmentCases'
  | 'departments'
  // cases settings [B]
  | 'casesSettings'
  // Open311 (helper C)
  | 'open311'
  // devices [D]
  | 'alarms'
  | 'devices'
  // devices [E]
  | 'devicesImport'
  | 'devicesSettings'
  // grid work (visits)
  | 'myTasks'
  | 'visitTasks'
  | 'visits'
  | 'visitCoverage'
  | 'gridLinks'
  | 'patrols'
  | 'visitRules'
  // points, volunteers (pinned contract): [A] accounts, [B] rules, [C] merchants, [D] teams and activities,
  // [E] time bank, [F] partners
  | 'pointsAccounts'
  | 'pointsRules'
  | 'merchants'
  | 'volunteerTeams'
  | 'activities'
  | 'timebank'
  | 'partners'
  // policies, assessment, dashboard (pinned contract): [A2/A3] policies, [B] metrics, [C2] assessment, [D] dashboard
  | 'dashboard'
  | 'policies'
  | 'policyCandidates'
  | 'policyEditor'
  | 'metrics'
  | 'assessment'
  | 'selections'
  | 'archives'
  | 'assessmentSchemes'
  // ---- deliberation [A] ----
  | 'deliberation'
  | 'meetings'
  | 'verifications'
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  | 'notices'
  // ---- end notices [B] ----
  // ---- services [C] ----
  | 'services'
  // ---- end services [C] ----
  // ---- privacy [E] ----
  | 'privacyRequests'
  // ---- end privacy [E] ----
  // ---- machinery [D] ----
  | 'machinery';
// ---- end machinery [D] ----

export type ConsolePage = {
  key: PageKey;
  path: string;
  /** null with `permission` null: a page of the console itself, for every role with any other page. */
  module: ConsoleModule | null;
  permission: Permission | null;
  /** Only for a post over the whole installation. */
  needsGlobalScope?: boolean;
};

/** Console pages in menu order. */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  // 工作台: every console role lands here; the server sends only the cards and to-dos the role may see.
  { key: 'workbench', path: '/workbench', module: null, permission: null },
  // 我的任务: visit tasks, cases to accept or handle, alarms to acknowledge, merged by deadline (every console role)
  { key: 'myTasks', path: '/tasks', module: null, permission: null },
  // 驾驶舱 (dashboards of every level; the big screen is /big-screen, outside the console's frame)
  { key: 'dashboard', path: '/dashboard', module: 'dashboard', permission: 'dashboard.read' },
  // cases [E]: 事件 (the board and a case), 部门事件 (a department's side), 职能部门 (departments and members)
  { key: 'cases', path: '/cases', module: 'cases', permission: 'cases.read' },
  { key: 'departmentCases', path: '/cases/department', module: 'cases', permission: 'cases.respond' },
  // 事件统计 (case statistics, helper D)
  { key: 'caseStats', path: '/cases/stats', module: 'cases', permission: 'cases.stats' },
  { key: 'departments', path: '/cases/departments', module: 'cases', permission: 'cases.manage' },
  // devices [D]: 预警中心 (the alarm centre and an alarm), 设备 (devices by building, a device)
  { key: 'alarms', path: '/alarms', module: 'devices', permission: 'devices.read' },
  { key: 'devices', path: '/devices', module: 'devices', permission: 'devices.read' },
  // grid work: 走访任务, 走访记录, 走访覆盖, 一网三联, 巡查记录
  { key: 'visitTasks', path: '/visits/tasks', module: 'visits', permission: 'visits.read' },
  { key: 'visits', path: '/visits/records', module: 'visits', permission: 'visits.read' },
  { key: 'visitCoverage', path: '/visits/coverage', module: 'visits', permission: 'visits.read' },
  { key: 'gridLinks', path: '/visits/links', module: 'visits', permission: 'visits.read' },
  { key: 'patrols', path: '/visits/patrols', module: 'visits', permission: 'visits.read' },
  // points: 积分账户 (accounts, passbooks, totals), 兑换商户 (merchants, catalogues, redemptions, settlements)
  { key: 'pointsAccounts', path: '/points', module: 'points', permission: 'points.read' },
  { key: 'merchants', path: '/points/merchants', module: 'points', permission: 'points.read' },
  // volunteers: 志愿队伍, 活动, 时间银行, 红色合伙人
  { key: 'volunteerTeams', path: '/volunteers', module: 'volunteers', permission: 'volunteers.read' },
  { key: 'activities', path: '/volunteers/activities', module: 'volunteers', permission: 'volunteers.read' },
  { key: 'timebank', path: '/volunteers/timebank', module: 'volunteers', permission: 'volunteers.read' },
  { key: 'partners', path: '/volunteers/partners', module: 'volunteers', permission: 'volunteers.read' },
  // 政策找人: policies with their runs and explained lists; candidates to confirm
  { key: 'policies', path: '/policies', module: 'policies', permission: 'policies.read' },
  { key: 'policyCandidates', path: '/policies/candidates', module: 'policies', permission: 'policies.read' },
  // 考核排名: metrics, scores and rankings, selections (红旗网格 · 优秀网格员), archives (一人一档)
  { key: 'metrics', path: '/assessment/metrics', module: 'assessment', permission: 'assessment.read' },
  { key: 'assessment', path: '/assessment', module: 'assessment', permission: 'assessment.read' },
  { key: 'selections', path: '/assessment/selections', module: 'assessment', permission: 'assessment.read' },
  { key: 'archives', path: '/assessment/archives', module: 'assessment', permission: 'assessment.read' },
  // ---- deliberation [A] ----
  // 议事协商: topics (with votes and the moderation queue), three-party meetings, residents' verification requests
  { key: 'deliberation', path: '/deliberation', module: 'deliberation', permission: 'deliberation.read' },
  { key: 'meetings', path: '/deliberation/meetings', module: 'deliberation', permission: 'deliberation.read' },
  { key: 'verifications', path: '/deliberation/verifications', module: 'deliberation', permission: 'residents.verify' },
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  // 信息发布: announcements and policy news for an area and tags, reviewed before publishing, with read receipts
  { key: 'notices', path: '/notices', module: 'notices', permission: 'notices.read' },
  // ---- end notices [B] ----
  // ---- machinery [D] ----
  // 农机共享: demands, the schedule, machines and owners, monthly figures
  { key: 'machinery', path: '/services/machinery', module: 'services', permission: 'services.read' },
  // ---- end machinery [D] ----
  { key: 'org', path: '/org', module: 'org', permission: 'org.read' },
  { key: 'residents', path: '/people', module: 'people', permission: 'people.read' },
  { key: 'houses', path: '/people/buildings', module: 'people', permission: 'people.read' },
  { key: 'imports', path: '/people/import', module: 'people', permission: 'people.import' },
  // 迁入申请: those who register people file them, and those who hold people decide them.
  { key: 'moveIns', path: '/people/move-in', module: 'people', permission: 'people.write' },
  { key: 'reports', path: '/reports', module: 'reports', permission: 'reports.export' },
  { key: 'tags', path: '/people/tags', module: 'people', permission: 'tags.manage', needsGlobalScope: true },
  { key: 'users', path: '/users', module: 'users', permission: 'users.read' },
  { key: 'audit', path: '/audit', module: 'audit', permission: 'audit.read' },
  // 后台任务: the installation's queues, the system administrator's alone.
  { key: 'jobs', path: '/jobs', module: 'jobs', permission: 'jobs.manage', needsGlobalScope: true },
  // 事件设置 [B]: categories and deadlines, stage names, the working calendar; installation-wide
  {
    key: 'casesSettings',
    path: '/cases/settings',
    module: 'cases',
    permission: 'cases.config',
    needsGlobalScope: true,
  },
  // Open311 接口 (helper C): api keys of city hotlines and other Open311 clients, the installation's.
  { key: 'open311', path: '/cases/open311', module: 'cases', permission: 'cases.config', needsGlobalScope: true },
  // devices [E]: 设备导入 (bulk registration from Excel), 设备设置 (types, rules, ladders; installation-wide)
  { key: 'devicesImport', path: '/devices/import', module: 'devices', permission: 'devices.manage' },
  {
    key: 'devicesSettings',
    path: '/devices/settings',
    module: 'devices',
    permission: 'devices.config',
    needsGlobalScope: true,
  },
  // 走访规则 (三到六访): installation-wide
  { key: 'visitRules', path: '/visits/rules', module: 'visits', permission: 'visits.config', needsGlobalScope: true },
  // 积分规则 (earning rules, caps, household mode, expiry): installation-wide
  { key: 'pointsRules', path: '/points/rules', module: 'points', permission: 'points.config', needsGlobalScope: true },
  // 政策管理 (rules, versions): installation-wide
  {
    key: 'policyEditor',
    path: '/policies/manage',
    module: 'policies',
    permission: 'policies.config',
    needsGlobalScope: true,
  },
  // 考核方案: installation-wide
  {
    key: 'assessmentSchemes',
    path: '/assessment/schemes',
    module: 'assessment',
    permission: 'assessment.config',
    needsGlobalScope: true,
  },
  // ---- services [C] ----
  // 便民服务: the elder canteen (menus, subsidies, kitchen counts, orders), the directory, property repairs
  { key: 'services', path: '/services', module: 'services', permission: 'services.read' },
  // ---- end services [C] ----
  // ---- privacy [E] ----
  // 个人信息申请: residents' correction and deletion/objection requests of the area, with their deadlines
  { key: 'privacyRequests', path: '/privacy/requests', module: 'privacy', permission: 'privacy.handle' },
  // ---- end privacy [E] ----
];

export function visiblePages(me: Grants): ConsolePage[] {
  const hasGlobalScope = getAccess(me).hasGlobalScope;
  const modulePages = CONSOLE_PAGES.filter(
    (page) =>
      page.permission !== null &&
      allows(me, page.module, page.permission) &&
      (!page.needsGlobalScope || hasGlobalScope),
  );
  // someone with no console page at all (a resident) has no workbench here either: the phone view is theirs
  if (modulePages.length === 0) return [];
  return CONSOLE_PAGES.filter((page) => page.permission === null || modulePages.includes(page));
}

export function canOpenPage(me: Grants, key: PageKey): boolean {
  return visiblePages(me).some((page) => page.key === key);
}

/** The page a path belongs to: the longest page path it lies under (`/people/tags` is the tags page). */
export function pageOfPath(pages: readonly ConsolePage[], pathname: string): ConsolePage | undefined {
  return pages
    .filter((page) => pathname === page.path || pathname.startsWith(`${page.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** Where `/` sends the user: the first page they may open, or null when there is none. */
export function firstAllowedPath(me: Grants): string | null {
  return visiblePages(me)[0]?.path ?? null;
}
