import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, Paged } from '../../platform/http/schemas.js';
import { AuditEntry, AuditQuery } from './audit.schemas.js';
import { listAudit } from './audit.service.js';

export async function auditRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit trail of the caller’s area, newest first',
        querystring: AuditQuery,
        response: { 200: Paged(AuditEntry), ...errorResponses },
      },
    },
    async (req) => listAudit(deps.db, req.ctx(), req.query),
  );
}
