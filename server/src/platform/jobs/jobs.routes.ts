import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.js';
import { errorResponses, Items, Paged } from '../http/schemas.js';
import { JobIdParams, JobItem, JobsQuery, QueueSummary } from './jobs.schemas.js';
import * as svc from './jobs.service.js';

/** The 后台任务 console's API: system administrators only. */
export async function jobsRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['jobs'];
  app.get(
    '/api/jobs/queues',
    {
      schema: {
        tags,
        summary: 'Background job queues with their jobs counted by state',
        response: { 200: Items(QueueSummary), ...errorResponses },
      },
    },
    async (req) => svc.listQueues(deps.db, req.ctx()),
  );
  app.get(
    '/api/jobs',
    {
      schema: {
        tags,
        summary: 'Jobs in one state (failed by default), newest first, payloads without personal data',
        querystring: JobsQuery,
        response: { 200: Paged(JobItem), ...errorResponses },
      },
    },
    async (req) => svc.listJobs(deps.db, req.ctx(), req.query),
  );
  app.post(
    '/api/jobs/:id/retry',
    {
      schema: {
        tags,
        summary: 'Run a failed job again (one more attempt); audited',
        params: JobIdParams,
        response: { 200: JobItem, ...errorResponses },
      },
    },
    async (req) => svc.retryJob(deps.db, req.ctx(), req.params.id),
  );
  app.post(
    '/api/jobs/:id/cancel',
    {
      schema: {
        tags,
        summary:
          'Cancel a queued, retrying or running job (a running handler finishes, its result is ignored); audited',
        params: JobIdParams,
        response: { 200: JobItem, ...errorResponses },
      },
    },
    async (req) => svc.cancelJob(deps.db, req.ctx(), req.params.id),
  );
}
