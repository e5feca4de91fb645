import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/client.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { Dashboard, DashboardQuery } from './dashboard.schemas.js';
import { getDashboard } from './dashboard.service.js';

/** 驾驶舱: GET /api/dashboard (dashboard.read, scoped). */
export async function dashboardRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          'The dashboard of a node: population, cases, visits, alarms, points, rankings, children (dashboard.read)',
        description:
          'Each figure carries the console path of the list behind it; see docs/architecture.md, “Dashboards”.',
        querystring: DashboardQuery,
        response: { 200: Dashboard, ...errorResponses },
      },
    },
    async (req) => getDashboard(deps.db, req.ctx(), req.query),
  );
}
