import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, Items } from '../../platform/http/schemas.js';
import { GarbageCheckin, GarbageCheckinCreate, GarbageListQuery } from './garbage.schemas.js';
import * as garbage from './garbage.service.js';

/** 垃圾分类打卡: check-ins by the station's supervisor, and their list. */
export async function garbageRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['points'];

  app.post(
    '/api/points/garbage-checkins',
    {
      schema: {
        tags,
        summary: 'Record a check-in (201; visits.do or points.manage over the resident); same clientId again → 200',
        body: GarbageCheckinCreate,
        response: { 200: GarbageCheckin, 201: GarbageCheckin, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await garbage.recordCheckin(deps.db, req.ctx(), req.body);
      return reply.status(r.duplicate ? 200 : 201).send(r.checkin);
    },
  );
  app.get(
    '/api/points/garbage-checkins',
    {
      schema: {
        tags,
        summary: 'Check-ins of an area, newest first (points.read or visits.read; a supervisor: their own)',
        querystring: GarbageListQuery,
        response: { 200: Items(GarbageCheckin), ...errorResponses },
      },
    },
    async (req) => ({ items: await garbage.listCheckins(deps.db, req.ctx(), req.query) }),
  );
}
