import type { FastifyInstance } from 'fastify';
import { timebankRequestsRoutes } from './requests.routes.js';
import { timebankServicesRoutes } from './services.routes.js';
import type { TimebankDeps } from './services.service.js';
import { registerTimebankNotifications } from './timebank.notify.js';

/**
 * The time bank's routes and its kinds of message, as one plugin (app.ts registers `import()` of this file, so the
 * shared import list stays sorted).
 */
export default async function timebankRoutes(app: FastifyInstance, deps: TimebankDeps): Promise<void> {
  registerTimebankNotifications();
  await timebankServicesRoutes(app, deps);
  await timebankRequestsRoutes(app, deps);
}
