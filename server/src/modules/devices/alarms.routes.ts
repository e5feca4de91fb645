import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, IdParams, Items, Strict } from '../../platform/http/schemas.js';
import * as alarms from './alarms.service.js';
import {
  AlarmAck,
  AlarmCaseCreate,
  AlarmDetail,
  AlarmListItem,
  AlarmListQuery,
  AlarmNote,
  AlarmPage,
  AlarmResolve,
} from './devices.schemas.js';

/** 预警中心: alarms in the caller's area, one alarm and what to do with it, and the family's own on the phone. */
export async function alarmsRoutes(fastify: FastifyInstance, deps: alarms.AlarmDeps): Promise<void> {
  await alarms.registerAlarmJobs(deps.jobs, deps);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['alarms'];
  const one = { 200: AlarmDetail, ...errorResponses };

  app.get(
    '/api/alarms',
    {
      schema: {
        tags,
        summary: 'Alarms in the caller’s area (devices.read), newest first, with counts of the open ones',
        querystring: AlarmListQuery,
        response: { 200: AlarmPage, ...errorResponses },
      },
    },
    async (req) => alarms.listAlarms(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/alarms/:id',
    {
      schema: {
        tags,
        summary: 'One alarm: timeline, contacts to call, ladder, what the caller may do',
        params: IdParams,
        response: one,
      },
    },
    async (req) => alarms.getAlarm(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/alarms/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'Acknowledge an active alarm (the ladder stops)',
        params: IdParams,
        body: AlarmAck,
        response: one,
      },
    },
    async (req) => alarms.acknowledgeAlarm(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/alarms/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve an open alarm with its outcome',
        params: IdParams,
        body: AlarmResolve,
        response: one,
      },
    },
    async (req) => alarms.resolveAlarm(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/alarms/:id/notes',
    {
      schema: { tags, summary: 'Add a note to the alarm’s timeline', params: IdParams, body: AlarmNote, response: one },
    },
    async (req) => alarms.addAlarmNote(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/alarms/:id/case',
    {
      schema: {
        tags,
        summary: 'Open a case for the alarm (through the cases module, source device)',
        params: IdParams,
        body: AlarmCaseCreate,
        response: { 201: Type.Object({ caseId: Type.Integer() }), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await alarms.openAlarmCase(deps, req.ctx(), req.params.id, req.body)),
  );

  // ---- the family's side (phone) ----
  app.get(
    '/api/me/alarms',
    {
      schema: {
        tags,
        summary: 'Alarms of the people whose contact list holds the caller’s phone',
        querystring: Strict({ status: Type.Optional(Type.Enum(['open', 'all'])) }),
        response: { 200: Items(AlarmListItem), ...errorResponses },
      },
    },
    async (req) => alarms.listMyAlarms(deps, req.ctx(), req.query.status ?? 'open'),
  );
  app.post(
    '/api/me/alarms/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'The family acknowledges an alarm of their relative',
        params: IdParams,
        response: { 200: AlarmListItem, ...errorResponses },
      },
    },
    async (req) => alarms.acknowledgeMyAlarm(deps, req.ctx(), req.params.id),
  );
}
