import type { Db } from '../platform/db/client.js';
import { registerCaseNotifications } from './cases/cases.notify.js';
import { ensureBuiltinCaseCategories } from './cases/cases.seed.js';
import { registerCaseAttachments } from './cases/cases.service.js';
import { registerSlaNotifications } from './cases/cases.sla.js';
import { registerCasesWorkbench } from './cases/cases.workbench.js';
// devices [B]
import { registerAlarmNotifications } from './devices/alarms.notify.js';
import { registerAlarmsWorkbench } from './devices/alarms.workbench.js';
// devices [C]
import { ensureBuiltinDeviceTypes } from './devices/devices.seed.js';
import { registerPeopleNotifications } from './people/people.notify.js';
import { registerPeopleHooks } from './people/people.service.js';
import { registerPeopleWorkbench } from './people/people.workbench.js';
import { registerResidentAttachments } from './people/resident-files.service.js';
import { ensureBuiltinTags } from './people/tags.service.js';
import { ensureBuiltinReports } from './reports/reports.service.js';

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
}
