import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.js';
import { errorResponses } from '../http/schemas.js';
import { loadWorkbench } from './workbench.js';
import { Workbench } from './workbench.schemas.js';

export async function workbenchRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/workbench',
    {
      schema: {
        tags: ['workbench'],
        summary: 'The caller’s workbench: figures of their area and what waits for them, as their permissions allow',
        response: { 200: Workbench, ...errorResponses },
      },
    },
    async (req) => loadWorkbench(deps.db, req.ctx()),
  );
}
