import type { Db } from '../platform/db/client.js';
// cases: SLA notifications (helper B)
import { registerSlaNotifications } from './cases/cases.sla.js';
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
  // cases: SLA notifications (helper B)
  registerSlaNotifications();
}

/** Reference data every deployment starts with (idempotent; run after migrations). */
export async function seedReferenceData(db: Db): Promise<void> {
  await ensureBuiltinTags(db);
  await ensureBuiltinReports(db);
}
