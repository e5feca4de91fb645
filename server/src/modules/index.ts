import type { Db } from '../platform/db/client.js';
import { registerCaseNotifications } from './cases/cases.notify.js';
import { ensureBuiltinCaseCategories } from './cases/cases.seed.js';
import { registerCaseAttachments } from './cases/cases.service.js';
import { registerSlaNotifications } from './cases/cases.sla.js';
// grid work [F]: my tasks' sources
import { registerCaseTasks } from './cases/cases.tasks.js';
import { registerCasesWorkbench } from './cases/cases.workbench.js';
// devices [B]
import { registerAlarmNotifications } from './devices/alarms.notify.js';
import { registerAlarmTasks } from './devices/alarms.tasks.js';
import { registerAlarmsWorkbench } from './devices/alarms.workbench.js';
import { ensureBuiltinDeviceTypes } from './devices/devices.seed.js';
// devices [C]
import { onDeviceChanged } from './devices/devices.service.js';
import { invalidate as invalidateIngestCache } from './devices/ingest.service.js';
import { registerPeopleNotifications } from './people/people.notify.js';
import { registerPeopleHooks } from './people/people.service.js';
import { registerPeopleWorkbench } from './people/people.workbench.js';
import { registerResidentAttachments } from './people/resident-files.service.js';
import { addTagDeleteGuard, ensureBuiltinTags } from './people/tags.service.js';
// ---- points [A] ----
import { registerExpiryNotifications } from './points/expiry.notify.js';
import { ensureBuiltinReports } from './reports/reports.service.js';
import { visitRuleTagGuard } from './visits/rules.service.js';
// grid work [B]
import { registerVisitNotifications } from './visits/visits.notify.js';
// grid work [A]
import { ensureBuiltinVisitRules } from './visits/visits.seed.js';
import { registerVisitAttachments } from './visits/visits.service.js';
import { registerVisitTaskSource } from './visits/visits.tasks.js';
import { registerVisitsWorkbench } from './visits/visits.workbench.js';

// ---- end points [A] ----
// ---- points [B] ----

import { registerEarningNotifications } from './points/earners.notify.js';
import { ensureBuiltinEarningRules } from './points/points.seed.js';

// ---- end points [B] ----
// ---- points [C] ----
// ---- end points [C] ----
// ---- points [G] ----
// ---- end points [G] ----
// ---- volunteers [D] ----
import { registerVolunteerNotifications } from './volunteers/volunteers.notify.js';

// ---- end volunteers [D] ----
// ---- timebank [E] ----
// ---- end timebank [E] ----
// ---- partners [F] ----
// ---- end partners [F] ----
// ---- policies [A2] ----
// ---- end policies [A2] ----
// ---- metrics [B] ----
// ---- end metrics [B] ----
// ---- assessment [C1] ----
// ---- end assessment [C1] ----
// ---- dashboard [D] ----
// ---- end dashboard [D] ----

/** A registry change reaches every ingest of this process (one function, so registering it again adds nothing). */
const invalidateIngest = (deviceId: number | null) => invalidateIngestCache(deviceId ?? undefined);

/** Wiring between modules that must exist before any request: hooks one module offers another. */
export function registerModuleHooks(): void {
  registerPeopleHooks();
  registerPeopleWorkbench();
  registerPeopleNotifications();
  registerResidentAttachments();
  // cases core (helper A)
  registerCaseNotifications();
  registerCaseAttachments();
  registerCasesWorkbench();
  // end cases core
  // cases: SLA notifications (helper B)
  registerSlaNotifications();
  // devices [B]
  registerAlarmNotifications();
  registerAlarmsWorkbench();
  // devices: a registry change (a rotated token, a retired device, a rule) clears the ingest's cached config
  onDeviceChanged(invalidateIngest);
  // grid work [A]: visit tasks in "my tasks"
  registerVisitTaskSource();
  // a tag a visit rule refers to stays until the rule changes
  addTagDeleteGuard(visitRuleTagGuard);
  // grid work [B]: visits' notifications, photos and workbench
  registerVisitNotifications();
  registerVisitAttachments();
  registerVisitsWorkbench();
  // grid work [F]: my tasks (cases to accept or handle, alarms to acknowledge)
  registerCaseTasks();
  registerAlarmTasks();
  // ---- points [A] ----
  registerExpiryNotifications();
  // ---- end points [A] ----
  // ---- points [B] ----
  registerEarningNotifications();
  // ---- end points [B] ----
  // ---- points [C] ----
  // ---- end points [C] ----
  // ---- points [G] ----
  // ---- end points [G] ----
  // ---- volunteers [D] ----
  registerVolunteerNotifications();
  // ---- end volunteers [D] ----
  // ---- timebank [E] ----
  // ---- end timebank [E] ----
  // ---- partners [F] ----
  // ---- end partners [F] ----
  // ---- policies [A2] ----
  // the task source 'policies.candidates', the kind 'policies.new_candidates' and the link 'policy_run' are
  // registered by policiesRoutes (registerPolicyHooks, policies.hooks.ts) while the app is built: a static import
  // here would be sorted out of this block
  // ---- end policies [A2] ----
  // ---- metrics [B] ----
  // ---- end metrics [B] ----
  // ---- assessment [C1] ----
  // ---- end assessment [C1] ----
  // ---- dashboard [D] ----
  // ---- end dashboard [D] ----
  // ---- services [C] ----
  // the kinds services.meal_ordered and services.meal_cancelled are defined when services.notify.ts loads (imported
  // by services.routes.ts while the app is built)
  // ---- end services [C] ----
}

/** Reference data every deployment starts with (idempotent; run after migrations). */
export async function seedReferenceData(db: Db): Promise<void> {
  await ensureBuiltinTags(db);
  await ensureBuiltinReports(db);
  // cases core (helper A)
  await ensureBuiltinCaseCategories(db);
  // end cases core
  // devices [C]
  await ensureBuiltinDeviceTypes(db);
  // grid work [A]: the 三到六访 rules (after tags and case categories, which they name)
  await ensureBuiltinVisitRules(db);
  // ---- points [B]: builtin earning rules ----
  await ensureBuiltinEarningRules(db);
  // ---- end points [B] ----
  // ---- policies [A2] reference data ----
  // ---- end policies [A2] reference data ----
  // ---- assessment [C1] reference data ----
  // ---- end assessment [C1] reference data ----
}
