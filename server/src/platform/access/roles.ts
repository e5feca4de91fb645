/**
 * Roles, node types and permissions: pure data shared by the server and (as types) the web.
 * The only runtime imports here are none, so the web may import this file freely.
 */

export const ROLES = [
  'admin',
  'street_admin',
  'community_worker',
  'grid_worker',
  'building_leader',
  'department',
  'resident',
  'volunteer',
  'partner',
  'merchant',
] as const;
export type Role = (typeof ROLES)[number];

export const NODE_TYPES = [
  'county',
  'street',
  'town',
  'community',
  'village',
  'grid',
  'micro_grid',
  'building',
  'unit',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** Which node types may stand directly under which. */
export const CHILD_TYPES: Record<NodeType, readonly NodeType[]> = {
  county: ['street', 'town'],
  street: ['community', 'village'],
  town: ['community', 'village'],
  community: ['grid'],
  village: ['grid'],
  grid: ['micro_grid', 'building'],
  micro_grid: ['building'],
  building: ['unit'],
  unit: [],
};

export const PERMISSIONS = [
  'org.read',
  'org.write',
  'users.read',
  'users.write',
  'audit.read',
  'pii.reveal',
  'tokens.manage',
  'people.read',
  'people.write',
  'people.sensitive',
  'people.import',
  'tags.manage',
  'reports.export',
  'reports.manage',
  /** The 后台任务 console (queues, failed jobs, retry, cancel): the installation's own, so system-wide only. */
  'jobs.manage',
  /** Cases in the area: read the board and timelines. */
  'cases.read',
  /** Take and handle cases in the area: accept, progress notes, mark handled, escalate, return. */
  'cases.handle',
  /** Run the loop in the area: dispatch, whistle, merge, verify, close, park, cancel; departments of the area. */
  'cases.manage',
  /** Case statistics of the area (per grid, community, department, category, month) and their export. */
  'cases.stats',
  /** A department's side: accept and report back on cases whistled or dispatched to a department one belongs to. */
  'cases.respond',
  /** Installation-wide case settings: categories and their SLAs, stage names, the working calendar, Open311 keys. */
  'cases.config',
  /** Devices of the area: the device list, a device's page and telemetry, the alarm centre, dead letters. */
  'devices.read',
  /** Register, edit, import, retire devices of the area and rotate their credentials; per-person rule overrides. */
  'devices.manage',
  /** Alarms of the area: acknowledge, resolve with an outcome, add a note, open a case; the "away" switch. */
  'alarms.handle',
  /** Installation-wide device settings: device types, their rules and escalation ladders, telemetry retention. */
  'devices.config',
  /** Grid work of the area: visit tasks and visits, coverage (and its export), the patrol log, the 一网三联 links. */
  'visits.read',
  /** Record visits and patrols in the area (and on one's own tasks); open a case from a visit or a finding. */
  'visits.do',
  /** Run grid work in the area: reassign and withdraw visit tasks, keep the 一网三联 links. */
  'visits.manage',
  /** Installation-wide visit rules (三到六访): what generates visit tasks, for whom, how often, by when. */
  'visits.config',
  /** The ledger of the area: accounts and passbooks, merchants and their redemptions and settlements, totals. */
  'points.read',
  /** Run points in the area: award and correct by hand (a reversing transfer), merchants and catalogues, settlements. */
  'points.manage',
  /** Installation-wide points settings: earning rules and caps, the household mode, expiry, the conduct score. */
  'points.config',
  /** A merchant's side: take a resident's redemption code for goods of one's own merchant, its catalogue and stock. */
  'points.redeem',
  /** Volunteering of the area: teams, volunteers, activities, the time bank, partners and their projects. */
  'volunteers.read',
  /**
   * Run volunteering in the area: teams and activities (attendance), enrol volunteers, confirm time-bank hours and
   * match requests, approve partners, publish projects and confirm deliveries.
   */
  'volunteers.manage',
  /** A partner's side (红色合伙人): claim projects and record deliveries for one's own organisation. */
  'partners.act',
  /** Policies (政策找人) of the area: policies, runs, the lists of who qualifies with why, candidates, exports. */
  'policies.read',
  /** Run policies over the area on demand (the nightly run covers every county). */
  'policies.run',
  /** Confirm or reject a candidate after checking with the person (the human in the loop), mark them receiving. */
  'policies.confirm',
  /** Installation-wide: write policies and their rules, versions, validity. */
  'policies.config',
  /** Metrics, scores, rankings, selections and archives (一人一档) of the area. */
  'assessment.read',
  /** Add bonus and penalty items with evidence, nominate for 红旗网格 / 优秀网格员 in the area. */
  'assessment.manage',
  /** Approve or decline nominations at one's own level (the street or town) and publish them. */
  'assessment.approve',
  /** Installation-wide: assessment schemes (items, weights, thresholds, honours). */
  'assessment.config',
  /** Dashboards (驾驶舱) of the area, every level, the big screen. */
  'dashboard.read',
  // ---- residents' side (issue 16, pinned contract) ----
  /** Deliberation (议事协商) of the area: topics, discussions, proposals, votes and their results, meetings. */
  'deliberation.read',
  /** Run deliberation in the area: open topics and votes, moderate, hold three-party meetings, track decisions. */
  'deliberation.manage',
  /** Approve a resident account's binding to its record in the people database (ID number + phone). */
  'residents.verify',
  /** Notices (信息发布) of the area in the console, with who has read and confirmed them. */
  'notices.read',
  /** Write notices for the area and submit them for review. */
  'notices.write',
  /** Review (审核) notices of the area: approve, reject, publish, withdraw — never one's own. */
  'notices.review',
  /** Services of the area: the directory, elder-canteen menus, orders and meal counts, farm machinery and bookings. */
  'services.read',
  /** Run services in the area: directory entries, menus, orders on a resident's behalf, machines, dispatch. */
  'services.manage',
  /** Residents' privacy requests (see, copy, correct, delete, object) of the area: handle them within their deadline. */
  'privacy.handle',
  // ---- end residents' side ----
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Permissions an API token never carries, whatever its user's roles: managing accounts (create, change, retire,
 * posts, password resets) and API tokens needs a person at a logged-in session, so a leaked token cannot renew
 * itself or take over accounts. A new permission of that kind belongs here.
 */
export const SESSION_ONLY_PERMISSIONS: readonly Permission[] = ['users.write', 'tokens.manage'];

/** Modules that exist in this build; the console shows nothing for a module not listed here. */
export const MODULES = [
  'org',
  'users',
  'audit',
  'people',
  'reports',
  'jobs',
  'cases',
  'devices',
  'visits',
  'points',
  'volunteers',
  'policies',
  'assessment',
  'dashboard',
  // ---- residents' side (issue 16) ----
  'deliberation',
  'notices',
  'services',
  'privacy',
  // ---- end residents' side ----
] as const;
export type ModuleName = (typeof MODULES)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  street_admin: [
    'org.read',
    'org.write',
    'users.read',
    'users.write',
    'audit.read',
    'pii.reveal',
    'tokens.manage',
    'people.read',
    'people.write',
    'people.sensitive',
    'people.import',
    'reports.export',
    'reports.manage',
    'cases.read',
    'cases.handle',
    'cases.manage',
    'cases.stats',
    'devices.read',
    'devices.manage',
    'alarms.handle',
    'visits.read',
    'visits.do',
    'visits.manage',
    'points.read',
    'points.manage',
    'volunteers.read',
    'volunteers.manage',
    'policies.read',
    'policies.run',
    'policies.confirm',
    'assessment.read',
    'assessment.manage',
    'assessment.approve',
    'dashboard.read',
    // residents' side (issue 16)
    'deliberation.read',
    'deliberation.manage',
    'residents.verify',
    'notices.read',
    'notices.write',
    'notices.review',
    'services.read',
    'services.manage',
    'privacy.handle',
  ],
  community_worker: [
    'org.read',
    'org.write',
    'users.read',
    'users.write',
    'audit.read',
    'pii.reveal',
    'people.read',
    'people.write',
    'people.sensitive',
    'people.import',
    'reports.export',
    'cases.read',
    'cases.handle',
    'cases.manage',
    'cases.stats',
    'devices.read',
    'devices.manage',
    'alarms.handle',
    'visits.read',
    'visits.do',
    'visits.manage',
    'points.read',
    'points.manage',
    'volunteers.read',
    'volunteers.manage',
    'policies.read',
    'policies.run',
    'policies.confirm',
    'assessment.read',
    'assessment.manage',
    'dashboard.read',
    // residents' side (issue 16)
    'deliberation.read',
    'deliberation.manage',
    'residents.verify',
    'notices.read',
    'notices.write',
    'notices.review',
    'services.read',
    'services.manage',
    'privacy.handle',
  ],
  // Grid workers keep their grid's people current and may call them (each reveal is audited).
  grid_worker: [
    'org.read',
    'pii.reveal',
    'people.read',
    'people.write',
    'people.sensitive',
    'reports.export',
    'cases.read',
    'cases.handle',
    'devices.read',
    'alarms.handle',
    'visits.read',
    'visits.do',
    // their grid's passbooks, and its activities and time bank: they mark attendance and confirm hours served
    'points.read',
    'volunteers.read',
    'volunteers.manage',
    // the people of their grid a policy finds: they check with them, confirm or reject; their own grid's figures
    'policies.read',
    'policies.confirm',
    'assessment.read',
    'dashboard.read',
    // residents' side (issue 16)
    'deliberation.read',
    'residents.verify',
    'notices.read',
    'notices.write',
    'services.read',
    'services.manage',
    'privacy.handle',
  ],
  // Building leaders see who lives in their building, without sensitive tags or full numbers, and help with visits.
  building_leader: ['org.read', 'people.read', 'visits.do', 'deliberation.read', 'residents.verify'],
  department: ['org.read', 'tokens.manage', 'cases.respond'],
  resident: [],
  volunteer: [],
  // Residents and volunteers earn, sign up, check in and show redemption codes through their own /api/me/… routes.
  partner: ['partners.act'],
  merchant: ['points.redeem'],
};

/**
 * A post's rank decides whom its holder may manage: only roles ranked strictly lower can be granted,
 * and only accounts whose highest post ranks strictly lower can be changed (an admin may do all).
 */
export const ROLE_RANK: Record<Role, number> = {
  admin: 100,
  street_admin: 80,
  community_worker: 60,
  department: 50,
  grid_worker: 40,
  building_leader: 30,
  partner: 20,
  merchant: 20,
  volunteer: 10,
  resident: 10,
};

/** The lowest node type a role's post may be bound to, for a sensible hierarchy of posts. */
export const ROLE_NODE_TYPES: Record<Role, readonly NodeType[]> = {
  admin: ['county'],
  street_admin: ['street', 'town'],
  community_worker: ['community', 'village'],
  grid_worker: ['grid', 'micro_grid'],
  building_leader: ['building', 'unit', 'micro_grid'],
  department: ['county', 'street', 'town'],
  resident: ['community', 'village', 'grid', 'micro_grid', 'building', 'unit'],
  volunteer: ['county', 'street', 'town', 'community', 'village'],
  partner: ['county', 'street', 'town', 'community', 'village'],
  merchant: ['street', 'town', 'community', 'village'],
};
