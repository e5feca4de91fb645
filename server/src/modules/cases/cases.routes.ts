import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type Static, type TSchema, Type } from 'typebox';
import type { Ctx } from '../../platform/access/context.js';
import { errorResponses, IdParams, Items, Strict } from '../../platform/http/schemas.js';
import {
  AcceptBody,
  CaseCategory,
  CaseDetail,
  CaseList,
  CaseListQuery,
  CaseStageInfo,
  CaseSummary,
  CreateDepartmentBody,
  Department,
  DispatchBody,
  HandleBody,
  MergeBody,
  NoteBody,
  ParkBody,
  RateBody,
  ReasonBody,
  ReportCaseBody,
  SimilarQuery,
  UpdateDepartmentBody,
  VerifyBody,
  WhistleBody,
  WhistleParams,
  WhistleReportBody,
} from './cases.schemas.js';
import type { CasesDeps } from './cases.service.js';
import * as cases from './cases.service.js';
import { registerSlaJobs } from './cases.sla.js';

/** 事件诉求: the board, one case and every step of its loop, departments, categories and stages. */
export async function casesRoutes(fastify: FastifyInstance, deps: CasesDeps): Promise<void> {
  await registerSlaJobs(deps.jobs, { db: deps.db });
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];
  const one = { 200: CaseDetail, ...errorResponses };

  app.get(
    '/api/cases/categories',
    {
      schema: {
        tags,
        summary: 'The category tree (residents: the active public ones)',
        response: { 200: Items(CaseCategory), ...errorResponses },
      },
    },
    async (req) => cases.listCategories(deps, req.ctx()),
  );
  app.get(
    '/api/cases/stages',
    {
      schema: {
        tags,
        summary: 'The stages and their names',
        response: { 200: Items(CaseStageInfo), ...errorResponses },
      },
    },
    async (req) => cases.listStages(deps, req.ctx()),
  );
  app.get(
    '/api/cases/departments',
    {
      schema: {
        tags,
        summary: 'Departments the caller may dispatch or whistle to, keeps, or belongs to',
        querystring: Strict({ nodeId: Type.Optional(IdParams.properties.id) }),
        response: { 200: Items(Department), ...errorResponses },
      },
    },
    async (req) => cases.listDepartments(deps, req.ctx(), req.query.nodeId),
  );
  app.post(
    '/api/cases/departments',
    {
      schema: {
        tags,
        summary: 'Create a department (cases.manage over its node)',
        body: CreateDepartmentBody,
        response: { 201: Department, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await cases.createDepartment(deps, req.ctx(), req.body)),
  );
  app.patch(
    '/api/cases/departments/:id',
    {
      schema: {
        tags,
        summary: 'Change a department or its members',
        params: IdParams,
        body: UpdateDepartmentBody,
        response: { 200: Department, ...errorResponses },
      },
    },
    async (req) => cases.updateDepartment(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'Report a case (一键点单); place defaults to the reporter’s house',
        body: ReportCaseBody,
        response: { 201: CaseDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await cases.reportCase(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/cases/similar',
    {
      schema: {
        tags,
        summary: 'Open cases like this one (same category, near, recent): duplicate suggestions',
        querystring: SimilarQuery,
        response: { 200: Items(CaseSummary), ...errorResponses },
      },
    },
    async (req) => cases.findSimilarCases(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'The board, a handler’s tasks, one’s own reports, or a department’s cases',
        querystring: CaseListQuery,
        response: { 200: CaseList, ...errorResponses },
      },
    },
    async (req) => cases.listCases(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/cases/:id',
    { schema: { tags, summary: 'One case with its timeline and allowed actions', params: IdParams, response: one } },
    async (req) => cases.getCase(deps, req.ctx(), req.params.id),
  );

  const action = <B extends TSchema>(
    name: string,
    summary: string,
    body: B,
    run: (ctx: Ctx, id: number, body: Static<B>) => Promise<CaseDetail>,
  ) =>
    app.post(
      `/api/cases/:id/${name}`,
      { schema: { tags, summary, params: IdParams, body, response: one } },
      async (req) => run(req.ctx(), req.params.id, req.body as Static<B>),
    );

  action('accept', 'Accept (受理/接单)', AcceptBody, (ctx, id, b) => cases.acceptCase(deps, ctx, id, b));
  action('dispatch', 'Dispatch to a grid or department (派遣)', DispatchBody, (ctx, id, b) =>
    cases.dispatchCase(deps, ctx, id, b),
  );
  action('whistle', 'Whistle to departments (吹哨)', WhistleBody, (ctx, id, b) => cases.whistleCase(deps, ctx, id, b));
  action('notes', 'A progress note with photos', NoteBody, (ctx, id, b) => cases.addNote(deps, ctx, id, b));
  action('handle', 'Mark handled (处置完成)', HandleBody, (ctx, id, b) => cases.handleCase(deps, ctx, id, b));
  action('escalate', 'Escalate with a reason (上报)', ReasonBody, (ctx, id, b) => cases.escalateCase(deps, ctx, id, b));
  action('return', 'Return a wrongly routed case (退回)', ReasonBody, (ctx, id, b) =>
    cases.returnCase(deps, ctx, id, b),
  );
  action('verify', 'Verify: pass closes, fail reworks (核查)', VerifyBody, (ctx, id, b) =>
    cases.verifyCase(deps, ctx, id, b),
  );
  action('park', 'Park until a review date (挂账)', ParkBody, (ctx, id, b) => cases.parkCase(deps, ctx, id, b));
  action('unpark', 'Take a parked case up again', Strict({}), (ctx, id) => cases.unparkCase(deps, ctx, id));
  action('cancel', 'Do not open it, with a reason (不予立案)', ReasonBody, (ctx, id, b) =>
    cases.cancelCase(deps, ctx, id, b),
  );
  action('merge', 'Merge a duplicate into another open case', MergeBody, (ctx, id, b) =>
    cases.mergeCase(deps, ctx, id, b),
  );
  action('rate', 'Rate a closed case (the reporter, once)', RateBody, (ctx, id, b) => cases.rateCase(deps, ctx, id, b));
  action('reopen', 'Not solved: reopen (the reporter, within 30 days)', ReasonBody, (ctx, id, b) =>
    cases.reopenCase(deps, ctx, id, b),
  );

  const whistle = <B extends TSchema>(name: 'accept' | 'report' | 'return', summary: string, body: B) =>
    app.post(
      `/api/cases/:id/whistles/:whistleId/${name}`,
      { schema: { tags, summary, params: WhistleParams, body, response: one } },
      async (req) =>
        cases.answerWhistle(
          deps,
          req.ctx(),
          req.params.id,
          req.params.whistleId,
          name,
          req.body as { note?: string; reason?: string; fileIds?: string[] },
        ),
    );
  whistle('accept', 'A department accepts a whistle (报到)', AcceptBody);
  whistle('report', 'A department reports back (办结反馈)', WhistleReportBody);
  whistle('return', 'A department returns a whistle, with a reason', ReasonBody);
}
