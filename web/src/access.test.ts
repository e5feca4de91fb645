import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../server/src/platform/access/roles';
import { CONSOLE_PAGES, firstAllowedPath, getAccess, pageOfPath, visiblePages } from './access';
import type { Me } from './api-types';

type Grants = Pick<Me, 'permissions'> & { modules: string[]; posts?: { nodeId: number | null }[] };

const ALL_MODULES = ['org', 'users', 'audit', 'people', 'reports', 'jobs'];
const admin: Grants = {
  permissions: ['org.read', 'org.write', 'users.read', 'users.write', 'audit.read', 'pii.reveal', 'tokens.manage'],
  modules: ['org', 'users', 'audit'],
};
const gridWorker: Grants = { permissions: ['org.read', 'tokens.manage'], modules: ['org', 'users', 'audit'] };

// the server's own role grants (pure data, shared with the web)
const peopleAdmin = [...ROLE_PERMISSIONS.admin];
const communityWorker = [...ROLE_PERMISSIONS.community_worker];
const peopleGridWorker = [...ROLE_PERMISSIONS.grid_worker];
const buildingLeader = [...ROLE_PERMISSIONS.building_leader];

const keys = (grants: Grants) => visiblePages(grants).map((p) => p.key);

describe('visiblePages', () => {
  it('shows grid work to the roles that do it once the visits module is on', () => {
    const on = [...ALL_MODULES, 'visits'];
    const grid = keys({ permissions: peopleGridWorker, modules: on });
    expect(grid).toEqual(expect.arrayContaining(['myTasks', 'visitTasks', 'visits', 'visitCoverage', 'patrols']));
    expect(grid).not.toContain('visitRules');
    expect(keys({ permissions: peopleGridWorker, modules: ALL_MODULES })).not.toContain('visitTasks');
    const global = [{ nodeId: null }];
    expect(keys({ permissions: peopleAdmin, modules: on, posts: global })).toContain('visitRules');
    expect(keys({ permissions: peopleAdmin, modules: on, posts: [{ nodeId: 7 }] })).not.toContain('visitRules');
    // a building leader records visits on the phone; the console's grid-work pages are for those who read them
    expect(keys({ permissions: buildingLeader, modules: on })).not.toContain('visitTasks');
  });

  it('shows every built page to an administrator, in menu order', () => {
    expect(keys(admin)).toEqual(['workbench', 'myTasks', 'org', 'users', 'audit']);
  });

  it('shows a grid worker only the hierarchy', () => {
    expect(keys(gridWorker)).toEqual(['workbench', 'myTasks', 'org']);
  });

  it('hides a page whose module the server has not switched on, even with the permission', () => {
    expect(keys({ ...admin, modules: ['org'] })).toEqual(['workbench', 'myTasks', 'org']);
    expect(keys({ permissions: communityWorker, modules: ['org', 'users', 'audit'] })).toEqual([
      'workbench',
      'myTasks',
      'org',
      'users',
      'audit',
    ]);
  });

  it('shows the system administrator every page once people and reports are on', () => {
    // devices [D]: the devices module's pages too; grid work: the visits module's
    expect(
      keys({
        permissions: peopleAdmin,
        modules: [
          ...ALL_MODULES,
          'cases',
          'devices',
          'visits',
          'points',
          'volunteers',
          'policies',
          'assessment',
          'dashboard',
          // ---- deliberation [A] ----
          'deliberation',
          // ---- end deliberation [A] ----
          // ---- notices [B] ----
          'notices',
          // ---- end notices [B] ----
          // ---- services [C] ----
          'services',
          // ---- end services [C] ----
          // ---- privacy [E] ----
          'privacy',
          // ---- end privacy [E] ----
          // ---- machinery [D] ----
          'services',
          // ---- end machinery [D] ----
        ],
        posts: [{ nodeId: null }],
      }),
    ).toEqual(CONSOLE_PAGES.map((p) => p.key));
  });

  // ---- machinery [D] ----
  it('shows 农机共享 to holders of services.read once the services module is on, and lets managers run it', () => {
    const gridWorker = getAccess({ permissions: ['services.read', 'services.manage'], modules: ['services'] });
    expect(gridWorker).toMatchObject({ canReadMachinery: true, canManageMachinery: true });
    expect(keys({ permissions: ['services.read'], modules: ['services'] })).toContain('machinery');
    expect(getAccess({ permissions: ['services.read'], modules: ['services'] }).canManageMachinery).toBe(false);
    expect(keys({ permissions: ['services.read'], modules: [] })).not.toContain('machinery');
    expect(getAccess({ permissions: [], modules: ['services'] }).canReadMachinery).toBe(false);
  });
  // ---- end machinery [D] ----

  it('keeps the tag dictionary and the background jobs from an administrator bound to a node', () => {
    const bound = keys({ permissions: peopleAdmin, modules: ALL_MODULES, posts: [{ nodeId: 3 }] });
    expect(bound).not.toContain('tags');
    expect(bound).not.toContain('jobs');
    // Open311 keys (helper C) are the installation's too
    const withCases = [...ALL_MODULES, 'cases'];
    expect(keys({ permissions: peopleAdmin, modules: withCases, posts: [{ nodeId: 3 }] })).not.toContain('open311');
    expect(keys({ permissions: peopleAdmin, modules: withCases, posts: [{ nodeId: null }] })).toContain('open311');
    expect(keys({ permissions: peopleAdmin, modules: ALL_MODULES, posts: [{ nodeId: null }] })).toContain('jobs');
  });

  it('shows a community worker residents, houses, import, move-in requests and reports but not the tag dictionary', () => {
    expect(keys({ permissions: communityWorker, modules: ALL_MODULES, posts: [{ nodeId: 3 }] })).toEqual([
      'workbench',
      'myTasks',
      'org',
      'residents',
      'houses',
      'imports',
      'moveIns',
      'reports',
      'users',
      'audit',
    ]);
  });

  // Case statistics (helper D)
  it('shows 事件统计 to holders of cases.stats only when the cases module is on', () => {
    expect(keys({ permissions: communityWorker, modules: ['org', 'cases'] })).toContain('caseStats');
    expect(keys({ permissions: communityWorker, modules: ['org'] })).not.toContain('caseStats');
    expect(keys({ permissions: peopleGridWorker, modules: ALL_MODULES })).not.toContain('caseStats');
    expect(pageOfPath(CONSOLE_PAGES, '/cases/stats')?.key).toBe('caseStats');
  });

  it('shows a grid worker residents, houses, move-in requests and reports, and a building leader no reports', () => {
    expect(keys({ permissions: peopleGridWorker, modules: ALL_MODULES })).toEqual([
      'workbench',
      'myTasks',
      'org',
      'residents',
      'houses',
      'moveIns',
      'reports',
    ]);
    expect(keys({ permissions: buildingLeader, modules: ALL_MODULES })).toEqual([
      'workbench',
      'myTasks',
      'org',
      'residents',
      'houses',
    ]);
  });

  it('shows reports only when the reports module is on', () => {
    expect(keys({ permissions: peopleGridWorker, modules: ['org', 'people'] })).toEqual([
      'workbench',
      'myTasks',
      'org',
      'residents',
      'houses',
      'moveIns',
    ]);
  });
});

describe('points and volunteers pages', () => {
  const on = [...ALL_MODULES, 'points', 'volunteers'];
  it('shows a grid worker the passbooks, merchants, activities, time bank and partners of the area, not the rules', () => {
    const grid = keys({ permissions: peopleGridWorker, modules: on });
    expect(grid).toEqual(
      expect.arrayContaining(['pointsAccounts', 'merchants', 'volunteerTeams', 'activities', 'timebank', 'partners']),
    );
    expect(grid).not.toContain('pointsRules');
    expect(keys({ permissions: peopleGridWorker, modules: ALL_MODULES })).not.toContain('pointsAccounts');
    expect(keys({ permissions: peopleAdmin, modules: on, posts: [{ nodeId: null }] })).toContain('pointsRules');
    expect(keys({ permissions: peopleAdmin, modules: on, posts: [{ nodeId: 7 }] })).not.toContain('pointsRules');
  });

  it('gives merchants, partners and residents no console page: their side is the phone', () => {
    for (const role of ['merchant', 'partner', 'resident', 'volunteer'] as const)
      expect(keys({ permissions: [...ROLE_PERMISSIONS[role]], modules: on })).toEqual([]);
    expect(getAccess({ permissions: [...ROLE_PERMISSIONS.merchant], modules: on }).canRedeemPoints).toBe(true);
    expect(getAccess({ permissions: [...ROLE_PERMISSIONS.partner], modules: on }).canActAsPartner).toBe(true);
    expect(getAccess({ permissions: [...ROLE_PERMISSIONS.partner], modules: ['org'] }).canActAsPartner).toBe(false);
  });

  it('knows a resident record from the account', () => {
    expect(getAccess({ permissions: [], modules: on, user: { residentId: 12 } }).hasResidentRecord).toBe(true);
    expect(getAccess({ permissions: [], modules: on, user: { residentId: null } }).hasResidentRecord).toBe(false);
    expect(getAccess({ permissions: [], modules: on }).hasResidentRecord).toBe(false);
  });
});

describe('getAccess', () => {
  it('grants writing only with the write permission', () => {
    expect(getAccess(admin).canWriteOrg).toBe(true);
    expect(getAccess(gridWorker).canWriteOrg).toBe(false);
  });

  it('lets only a post over the whole installation add a county', () => {
    expect(getAccess({ ...admin, posts: [{ nodeId: null }] }).canCreateRoot).toBe(true);
    expect(getAccess({ ...admin, posts: [{ nodeId: 7 }] }).canCreateRoot).toBe(false);
  });

  it('lets a user manage tokens whatever modules are on', () => {
    expect(getAccess({ permissions: ['tokens.manage'], modules: [] }).canManageTokens).toBe(true);
  });

  it('lets only a system administrator manage tags', () => {
    expect(getAccess({ permissions: peopleAdmin, modules: ALL_MODULES, posts: [{ nodeId: null }] }).canManageTags).toBe(
      true,
    );
    expect(getAccess({ permissions: peopleAdmin, modules: ALL_MODULES, posts: [{ nodeId: 1 }] }).canManageTags).toBe(
      false,
    );
  });

  it('offers unmasked exports and revealing only with pii.reveal', () => {
    const worker = getAccess({ permissions: peopleGridWorker, modules: ALL_MODULES });
    expect(worker.canExportUnmasked).toBe(true);
    expect(worker.canRevealResidentPii).toBe(true);
    expect(worker.canManageReports).toBe(false);
    const leader = getAccess({ permissions: buildingLeader, modules: ALL_MODULES });
    expect(leader.canRevealResidentPii).toBe(false);
    expect(leader.canWritePeople).toBe(false);
    expect(leader.canExportReports).toBe(false);
  });
});

describe('pageOfPath', () => {
  const pages = CONSOLE_PAGES;
  it('picks the most specific page for nested paths', () => {
    expect(pageOfPath(pages, '/people')?.key).toBe('residents');
    expect(pageOfPath(pages, '/people/residents/12')?.key).toBe('residents');
    expect(pageOfPath(pages, '/people/tags')?.key).toBe('tags');
    expect(pageOfPath(pages, '/people/buildings')?.key).toBe('houses');
    expect(pageOfPath(pages, '/reports/new')?.key).toBe('reports');
  });

  it('does not take a longer word for a page (/peoples is not /people)', () => {
    expect(pageOfPath(pages, '/peoples')).toBeUndefined();
  });
});

describe('firstAllowedPath', () => {
  it('sends every console role to the workbench', () => {
    expect(firstAllowedPath({ permissions: ['users.read'], modules: ['org', 'users'] })).toBe('/workbench');
    expect(firstAllowedPath({ permissions: communityWorker, modules: ALL_MODULES })).toBe('/workbench');
  });

  it('has no workbench for an account without any other console page (a resident goes to the phone view)', () => {
    expect(visiblePages({ permissions: [], modules: ALL_MODULES })).toEqual([]);
    expect(visiblePages({ permissions: ['users.read'], modules: ['users'] })[0]?.key).toBe('workbench');
  });

  it('is null for an account with nothing to open', () => {
    expect(firstAllowedPath({ permissions: [], modules: ['org'] })).toBeNull();
  });
});

// cases [E]
describe('case pages', () => {
  const withCases = [...ALL_MODULES, 'cases'];
  const caseKeys = (permissions: Grants['permissions']) =>
    keys({ permissions, modules: withCases, posts: [{ nodeId: 3 }] }).filter((k) =>
      ['cases', 'departmentCases', 'departments'].includes(k),
    );

  it('gives a community worker the board and the departments, a grid worker the board only', () => {
    expect(caseKeys(communityWorker)).toEqual(['cases', 'departments']);
    expect(caseKeys(peopleGridWorker)).toEqual(['cases']);
    expect(getAccess({ permissions: communityWorker, modules: withCases }).canManageCases).toBe(true);
    expect(getAccess({ permissions: peopleGridWorker, modules: withCases }).canManageCases).toBe(false);
    expect(getAccess({ permissions: peopleGridWorker, modules: withCases }).canReportCases).toBe(true);
  });

  it('gives a department its own cases and nothing of the board', () => {
    expect(caseKeys([...ROLE_PERMISSIONS.department])).toEqual(['departmentCases']);
  });

  it('shows no case page while the cases module is off', () => {
    expect(keys({ permissions: communityWorker, modules: ALL_MODULES })).not.toContain('cases');
  });

  it('tells the department page and the departments page from the board', () => {
    expect(pageOfPath(CONSOLE_PAGES, '/cases/12')?.key).toBe('cases');
    expect(pageOfPath(CONSOLE_PAGES, '/cases/department')?.key).toBe('departmentCases');
    expect(pageOfPath(CONSOLE_PAGES, '/cases/departments')?.key).toBe('departments');
  });
});

// devices [D]
describe('alarm centre and device pages', () => {
  const withDevices = [...ALL_MODULES, 'devices'];
  const deviceKeys = (permissions: Grants['permissions'], modules = withDevices) =>
    keys({ permissions, modules, posts: [{ nodeId: 3 }] }).filter((k) => ['alarms', 'devices'].includes(k));

  it('shows 预警中心 and 设备 to every role with devices.read, in that order', () => {
    expect(deviceKeys(communityWorker)).toEqual(['alarms', 'devices']);
    expect(deviceKeys(peopleGridWorker)).toEqual(['alarms', 'devices']);
    expect(deviceKeys([...ROLE_PERMISSIONS.street_admin])).toEqual(['alarms', 'devices']);
  });

  it('shows neither to a role without devices.read, nor while the devices module is off', () => {
    expect(deviceKeys(buildingLeader)).toEqual([]);
    expect(deviceKeys([...ROLE_PERMISSIONS.department])).toEqual([]);
    expect(deviceKeys(communityWorker, ALL_MODULES)).toEqual([]);
  });

  it('lets those with alarms.handle act on alarms, and a reader only read', () => {
    expect(getAccess({ permissions: peopleGridWorker, modules: withDevices }).canHandleAlarms).toBe(true);
    expect(getAccess({ permissions: ['devices.read'], modules: withDevices })).toMatchObject({
      canReadDevices: true,
      canHandleAlarms: false,
    });
    expect(getAccess({ permissions: peopleGridWorker, modules: ALL_MODULES }).canHandleAlarms).toBe(false);
  });

  it('takes an alarm and a device page for their menu entries', () => {
    expect(pageOfPath(CONSOLE_PAGES, '/alarms/12')?.key).toBe('alarms');
    expect(pageOfPath(CONSOLE_PAGES, '/devices/5')?.key).toBe('devices');
  });
});

// devices [E]
describe('device import and settings pages', () => {
  const withDevices = [...ALL_MODULES, 'devices'];

  it('gives the import to those who manage devices, the settings to the system administrator only', () => {
    const worker = keys({ permissions: communityWorker, modules: withDevices, posts: [{ nodeId: 3 }] });
    expect(worker).toContain('devicesImport');
    expect(worker).not.toContain('devicesSettings');
    const grid = keys({ permissions: peopleGridWorker, modules: withDevices, posts: [{ nodeId: 3 }] });
    expect(grid).not.toContain('devicesImport');
    // an administrator bound to a node has devices.config but not the whole installation
    expect(keys({ permissions: peopleAdmin, modules: withDevices, posts: [{ nodeId: 3 }] })).not.toContain(
      'devicesSettings',
    );
    expect(keys({ permissions: peopleAdmin, modules: withDevices, posts: [{ nodeId: null }] })).toContain(
      'devicesSettings',
    );
  });

  it('shows no device page while the devices module is off', () => {
    const off = keys({ permissions: peopleAdmin, modules: ALL_MODULES, posts: [{ nodeId: null }] });
    expect(off).not.toContain('devicesImport');
    expect(off).not.toContain('devicesSettings');
  });

  it('grants the resident section, overrides and the away switch by permission', () => {
    const worker = getAccess({ permissions: communityWorker, modules: withDevices, posts: [{ nodeId: 3 }] });
    expect(worker.canSeeResidentDevices).toBe(true);
    expect(worker.canRegisterDevices).toBe(true);
    expect(worker.canSetAway).toBe(true);
    expect(worker.canConfigureDevices).toBe(false);
    const grid = getAccess({ permissions: peopleGridWorker, modules: withDevices });
    expect(grid.canRegisterDevices).toBe(false);
    expect(grid.canSetAway).toBe(true);
    const leader = getAccess({ permissions: buildingLeader, modules: withDevices });
    expect(leader.canSeeResidentDevices).toBe(false);
  });

  it('tells the import and settings pages by their paths', () => {
    expect(pageOfPath(CONSOLE_PAGES, '/devices/import')?.key).toBe('devicesImport');
    expect(pageOfPath(CONSOLE_PAGES, '/devices/settings')?.key).toBe('devicesSettings');
  });

  // ---- deliberation [A] ----
  it('shows 议事协商 to readers, and verification requests to building leaders, only when the module is on', () => {
    const on = [...ALL_MODULES, 'deliberation'];
    expect(keys({ permissions: buildingLeader, modules: on })).toEqual(
      expect.arrayContaining(['deliberation', 'meetings', 'verifications']),
    );
    expect(keys({ permissions: buildingLeader, modules: ALL_MODULES })).not.toContain('deliberation');
    expect(getAccess({ permissions: peopleGridWorker, modules: on }).canManageDeliberation).toBe(false);
    expect(getAccess({ permissions: communityWorker, modules: on }).canManageDeliberation).toBe(true);
    expect(pageOfPath(CONSOLE_PAGES, '/deliberation/meetings')?.key).toBe('meetings');
  });
  // ---- end deliberation [A] ----

  // ---- notices [B] ----
  it('shows 信息发布 to holders of notices.read, and review only to holders of notices.review', () => {
    const grid = getAccess({ permissions: ['notices.read', 'notices.write'], modules: ['notices'] });
    expect([grid.canReadNotices, grid.canWriteNotices, grid.canReviewNotices]).toEqual([true, true, false]);
    const community = getAccess({
      permissions: ['notices.read', 'notices.write', 'notices.review'],
      modules: ['notices'],
    });
    expect(community.canReviewNotices).toBe(true);
    expect(keys({ permissions: ['notices.read'], modules: ['notices'] })).toContain('notices');
    expect(keys({ permissions: ['notices.read'], modules: ['org'] })).not.toContain('notices');
    expect(keys({ permissions: ['org.read'], modules: ['notices'] })).not.toContain('notices');
  });
  // ---- end notices [B] ----
});

// ---- services [C] ----
describe('services page', () => {
  const on = [...ALL_MODULES, 'services'];
  it('shows 便民服务 to those who hold services.read with the module on, not to residents or without the module', () => {
    expect(keys({ permissions: [...ROLE_PERMISSIONS.grid_worker], modules: on })).toContain('services');
    expect(keys({ permissions: [...ROLE_PERMISSIONS.community_worker], modules: on })).toContain('services');
    expect(keys({ permissions: [...ROLE_PERMISSIONS.grid_worker], modules: ALL_MODULES })).not.toContain('services');
    expect(keys({ permissions: [...ROLE_PERMISSIONS.building_leader], modules: on })).not.toContain('services');
    expect(keys({ permissions: [...ROLE_PERMISSIONS.resident], modules: on })).toEqual([]);
  });
});
// ---- end services [C] ----

// ---- privacy [E] ----
describe('privacy requests (个人信息申请)', () => {
  it('shows the area’s privacy requests to the roles that handle them once the privacy module is on', () => {
    const on = [...ALL_MODULES, 'privacy'];
    expect(keys({ permissions: peopleGridWorker, modules: on })).toContain('privacyRequests');
    expect(keys({ permissions: communityWorker, modules: on })).toContain('privacyRequests');
    expect(keys({ permissions: peopleGridWorker, modules: ALL_MODULES })).not.toContain('privacyRequests');
    expect(keys({ permissions: buildingLeader, modules: on })).not.toContain('privacyRequests');
    expect(getAccess({ permissions: [...ROLE_PERMISSIONS.resident], modules: on }).canHandlePrivacy).toBe(false);
    expect(pageOfPath(CONSOLE_PAGES, '/privacy/requests/7')?.key).toBe('privacyRequests');
  });
});
// ---- end privacy [E] ----
