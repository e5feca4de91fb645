import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.js';
import { errorResponses } from '../http/schemas.js';
import { loadMyTasks } from './tasks.js';
import { MyTasks, MyTasksQuery } from './tasks.schemas.js';

export async function tasksRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/tasks/mine',
    {
      schema: {
        tags: ['tasks'],
        summary: 'My tasks: visit tasks, cases to accept or handle, alarms to acknowledge, merged by deadline',
        querystring: MyTasksQuery,
        response: { 200: MyTasks, ...errorResponses },
      },
    },
    async (req) => loadMyTasks(deps.db, req.ctx(), { kind: req.query.kind, limit: req.query.limit }),
  );
}
