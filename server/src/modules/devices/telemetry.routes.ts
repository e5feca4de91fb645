import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { TelemetryQuery, TelemetrySeries } from './devices.schemas.js';
import { getTelemetry, runTelemetryMaintenance } from './telemetry.service.js';

export const PARTITIONS_JOB = 'devices.partitions';

export type TelemetryRoutesDeps = { db: Db; jobs: Jobs };

/** A device's telemetry for charts, and the daily storage job (partitions, retention, dead letters). */
export async function telemetryRoutes(fastify: FastifyInstance, deps: TelemetryRoutesDeps): Promise<void> {
  // Daily at 03:17 (Asia/Shanghai), on one server of several; main.ts runs the partition part at start too.
  deps.jobs.register({
    name: PARTITIONS_JOB,
    schema: Type.Object({}),
    handler: async () => {
      const r = await runTelemetryMaintenance(deps.db);
      fastify.log.info(r, 'telemetry partitions and retention maintained');
    },
  });
  await deps.jobs.schedule(PARTITIONS_JOB, '17 3 * * *');

  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/devices/:id/telemetry',
    {
      schema: {
        tags: ['devices'],
        summary: 'A device’s readings of one metric over a range: raw up to 2 days (or asked), hourly beyond',
        params: IdParams,
        querystring: TelemetryQuery,
        response: { 200: TelemetrySeries, ...errorResponses },
      },
    },
    async (req) => getTelemetry(deps, req.ctx(), req.params.id, req.query),
  );
}
