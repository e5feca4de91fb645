import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import {
  VisitCaseCreate,
  VisitDetail,
  VisitInput,
  VisitListQuery,
  VisitPage,
  VisitRecorded,
  VisitTaskAssign,
  VisitTaskDetail,
  VisitTaskListQuery,
  VisitTaskPage,
  VisitTaskWithdraw,
} from './visits.schemas.js';
import * as visits from './visits.service.js';

/** 网格走访: visit tasks (read, reassign, withdraw) and visits (record from the phone, read, open a case). */
export async function visitsRoutes(fastify: FastifyInstance, deps: visits.VisitsDeps): Promise<void> {
  await visits.registerVisitJobs(deps.jobs, deps);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['visits'];
  const task = { 200: VisitTaskDetail, ...errorResponses };

  app.get(
    '/api/visit-tasks',
    {
      schema: {
        tags,
        summary: 'Visit tasks the caller may see (area, own, linked households), open ones first by due time',
        querystring: VisitTaskListQuery,
        response: { 200: VisitTaskPage, ...errorResponses },
      },
    },
    async (req) => visits.listTasks(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/visit-tasks/:id',
    {
      schema: {
        tags,
        summary: 'One visit task: household, visits, what the caller may do',
        params: IdParams,
        response: task,
      },
    },
    async (req) => visits.getTask(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/visit-tasks/:id/assign',
    {
      schema: {
        tags,
        summary: 'Give an open task to another account that can visit there (visits.manage)',
        params: IdParams,
        body: VisitTaskAssign,
        response: task,
      },
    },
    async (req) => visits.assignTask(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/visit-tasks/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw an open task by hand, with a note (visits.manage)',
        params: IdParams,
        body: VisitTaskWithdraw,
        response: task,
      },
    },
    async (req) => visits.withdrawTask(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/visits',
    {
      schema: {
        tags,
        summary: 'Record a visit (201); the same clientId again answers 200 with the stored visit, duplicate: true',
        body: VisitInput,
        response: { 200: VisitRecorded, 201: VisitRecorded, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await visits.recordVisit(deps, req.ctx(), req.body);
      return reply.status(out.duplicate ? 200 : 201).send(out);
    },
  );
  app.get(
    '/api/visits',
    {
      schema: {
        tags,
        summary: 'Visits the caller may read (area, own, linked households), newest first',
        querystring: VisitListQuery,
        response: { 200: VisitPage, ...errorResponses },
      },
    },
    async (req) => visits.listVisits(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/visits/:id',
    {
      schema: {
        tags,
        summary: 'One visit with its photos',
        params: IdParams,
        response: { 200: VisitDetail, ...errorResponses },
      },
    },
    async (req) => visits.getVisit(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/visits/:id/case',
    {
      schema: {
        tags,
        summary: 'Open a case for a visit that found someone needing help (cases service, source visit)',
        params: IdParams,
        body: VisitCaseCreate,
        response: { 201: Type.Object({ caseId: Type.Integer(), caseNo: Type.String() }), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await visits.openVisitCase(deps, req.ctx(), req.params.id, req.body)),
  );
}
