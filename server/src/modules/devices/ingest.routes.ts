import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { assertPermission, scopeFor, scopeSql } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, Paged } from '../../platform/http/schemas.js';
import { DeadLetter, DeadLetterListQuery, IngestResult } from './devices.schemas.js';
import { listDeadLetters } from './ingest.repo.js';
import type { Ingest } from './ingest.service.js';

/**
 * Devices POST their messages with their own token (not a user's: the auth hook leaves this route to ingest), and
 * people with devices.read read the dead letters of the devices in their area.
 */
export async function ingestRoutes(fastify: FastifyInstance, deps: { db: Db; ingest: Ingest }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['devices'];

  // The body is read as text so that invalid JSON from an authenticated device is dead-lettered, not just refused.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post(
    '/api/ingest/devices/:id/messages',
    {
      config: { public: true, deviceToken: true },
      schema: {
        tags,
        summary: 'A device sends one message or up to 500 (Authorization: Bearer <device token>)',
        description:
          'Each message is a DeviceMessage; valid ones are stored (a repeat of the same id or timestamp counts as a duplicate), the others are listed in `rejected` and kept in the dead-letter table.',
        params: Type.Object({ id: Type.String({ maxLength: 20 }) }),
        response: { 202: IngestResult, ...errorResponses },
      },
    },
    async (req, reply) => {
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
      const text = typeof req.body === 'string' ? req.body : req.body === undefined ? '' : JSON.stringify(req.body);
      return reply.code(202).send(await deps.ingest.handleHttp(req.params.id, token, text));
    },
  );

  app.get(
    '/api/device-dead-letters',
    {
      schema: {
        tags,
        summary: 'Messages refused at ingest, with the reason (devices.read; unknown devices: global scope only)',
        querystring: DeadLetterListQuery,
        response: { 200: Paged(DeadLetter), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      assertPermission(ctx.principal, 'devices.read');
      const scope = scopeFor(ctx.principal, 'devices.read');
      return listDeadLetters(deps.db, scopeSql(scope, 'd.node_path'), {
        ...(req.query.deviceId !== undefined ? { deviceId: req.query.deviceId } : {}),
        ...(req.query.reason !== undefined ? { reason: req.query.reason } : {}),
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      });
    },
  );
}
