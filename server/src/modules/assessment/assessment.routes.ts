import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import type { FilesService } from '../../platform/files/files.service.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { registerAssessmentJobs } from './assessment.jobs.js';
import {
  Adjustment,
  AdjustmentCreate,
  AdjustmentListQuery,
  AdjustmentPage,
  AdjustmentWithdraw,
  Archive,
  ArchiveParams,
  ComputeRequest,
  ComputeResult,
  ProposeRequest,
  ProposeResult,
  PublicHonours,
  PublicHonoursQuery,
  PublishRequest,
  PublishResult,
  Rankings,
  RankingsQuery,
  Scheme,
  SchemeCreate,
  SchemeList,
  SchemeListQuery,
  SchemePatch,
  ScoreHistory,
  ScoreHistoryParams,
  ScoreHistoryQuery,
  Selection,
  SelectionApprove,
  SelectionCreate,
  SelectionDecline,
  SelectionListQuery,
  SelectionNominate,
  SelectionPage,
} from './assessment.schemas.js';
import * as svc from './assessment.service.js';

/**
 * Assessment (考核排名): /api/assessment/… (schemes, rankings, scores, adjustments, selections, archives) and the
 * public honours notice /api/public/honours (no login, rate-limited). Job assessment.score.
 */
export async function assessmentRoutes(
  fastify: FastifyInstance,
  deps: { db: Db; files: FilesService; jobs: Jobs },
): Promise<void> {
  svc.registerAssessmentKinds();
  await registerAssessmentJobs(deps.jobs, deps.db, fastify.log);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['assessment'];
  const { db } = deps;
  const d = { db: deps.db, files: deps.files };

  // ---- schemes ----
  app.get(
    '/api/assessment/schemes',
    {
      schema: {
        tags,
        summary: 'Assessment schemes (installation-wide)',
        querystring: SchemeListQuery,
        response: { 200: SchemeList, ...errorResponses },
      },
    },
    async (req) => svc.listSchemes(db, req.ctx(), req.query),
  );
  app.get(
    '/api/assessment/schemes/:id',
    { schema: { tags, summary: 'One scheme', params: IdParams, response: { 200: Scheme, ...errorResponses } } },
    async (req) => svc.getScheme(db, req.ctx(), req.params.id),
  );
  app.post(
    '/api/assessment/schemes',
    { schema: { tags, summary: 'Create a scheme', body: SchemeCreate, response: { 201: Scheme, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await svc.createScheme(db, req.ctx(), req.body)),
  );
  app.patch(
    '/api/assessment/schemes/:id',
    {
      schema: {
        tags,
        summary: 'Change a scheme (items, when given, replace all)',
        params: IdParams,
        body: SchemePatch,
        response: { 200: Scheme, ...errorResponses },
      },
    },
    async (req) => svc.patchScheme(db, req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/assessment/schemes/:id',
    {
      schema: {
        tags,
        summary: 'Delete a scheme nothing refers to',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await svc.deleteScheme(db, req.ctx(), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // ---- scores ----
  app.get(
    '/api/assessment/rankings',
    {
      schema: {
        tags,
        summary: 'Ranked subjects per group under a node, with the change against the previous period',
        querystring: RankingsQuery,
        response: { 200: Rankings, ...errorResponses },
      },
    },
    async (req) => svc.rankings(db, req.ctx(), req.query),
  );
  app.get(
    '/api/assessment/scores/:kind/:id',
    {
      schema: {
        tags,
        summary: 'A subject’s scores over the periods of a scheme',
        params: ScoreHistoryParams,
        querystring: ScoreHistoryQuery,
        response: { 200: ScoreHistory, ...errorResponses },
      },
    },
    async (req) => svc.scoreHistory(db, req.ctx(), req.params.kind, req.params.id, req.query),
  );
  app.post(
    '/api/assessment/compute',
    {
      schema: {
        tags,
        summary: 'Recompute a scheme’s scores for a period (under a node one manages)',
        body: ComputeRequest,
        response: { 200: ComputeResult, ...errorResponses },
      },
    },
    async (req) => svc.compute(db, req.ctx(), req.body),
  );

  // ---- adjustments ----
  app.get(
    '/api/assessment/adjustments',
    {
      schema: {
        tags,
        summary: 'Bonus and penalty items of the area',
        querystring: AdjustmentListQuery,
        response: { 200: AdjustmentPage, ...errorResponses },
      },
    },
    async (req) => svc.listAdjustments(d, req.ctx(), req.query),
  );
  app.post(
    '/api/assessment/adjustments',
    {
      schema: {
        tags,
        summary: 'Add a bonus or penalty with a reason and evidence; the group is recomputed',
        body: AdjustmentCreate,
        response: { 201: Adjustment, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createAdjustment(d, req.ctx(), req.body)),
  );
  app.post(
    '/api/assessment/adjustments/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw an adjustment, with a reason; the group is recomputed',
        params: IdParams,
        body: AdjustmentWithdraw,
        response: { 200: Adjustment, ...errorResponses },
      },
    },
    async (req) => svc.withdrawAdjustment(d, req.ctx(), req.params.id, req.body),
  );

  // ---- selections ----
  app.get(
    '/api/assessment/selections',
    {
      schema: {
        tags,
        summary: 'Selections (红旗网格 · 优秀网格员) of the area',
        querystring: SelectionListQuery,
        response: { 200: SelectionPage, ...errorResponses },
      },
    },
    async (req) => svc.listSelections(db, req.ctx(), req.query),
  );
  app.post(
    '/api/assessment/selections/propose',
    {
      schema: {
        tags,
        summary: 'Propose the top subjects of each group for a quarter',
        body: ProposeRequest,
        response: { 200: ProposeResult, ...errorResponses },
      },
    },
    async (req) => svc.propose(db, req.ctx(), req.body),
  );
  app.post(
    '/api/assessment/selections',
    {
      schema: {
        tags,
        summary: 'Nominate a subject by hand, with a citation',
        body: SelectionCreate,
        response: { 201: Selection, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createSelection(db, req.ctx(), req.body)),
  );
  app.post(
    '/api/assessment/selections/publish',
    {
      schema: {
        tags,
        summary: 'Publish the approved selections of a quarter under a street or town',
        body: PublishRequest,
        response: { 200: PublishResult, ...errorResponses },
      },
    },
    async (req) => svc.publish(db, req.ctx(), req.body),
  );
  app.post(
    '/api/assessment/selections/:id/nominate',
    {
      schema: {
        tags,
        summary: 'Nominate a proposal with a citation',
        params: IdParams,
        body: SelectionNominate,
        response: { 200: Selection, ...errorResponses },
      },
    },
    async (req) => svc.nominate(db, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/assessment/selections/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve a nomination (at the selection’s level or above)',
        params: IdParams,
        body: SelectionApprove,
        response: { 200: Selection, ...errorResponses },
      },
    },
    async (req) => svc.decide(db, req.ctx(), req.params.id, 'approved', req.body ?? {}),
  );
  app.post(
    '/api/assessment/selections/:id/decline',
    {
      schema: {
        tags,
        summary: 'Decline a nomination, with a reason (at the selection’s level or above)',
        params: IdParams,
        body: SelectionDecline,
        response: { 200: Selection, ...errorResponses },
      },
    },
    async (req) => svc.decide(db, req.ctx(), req.params.id, 'declined', req.body),
  );

  // ---- archives (一人一档) ----
  app.get(
    '/api/assessment/archives/user/:id',
    {
      schema: {
        tags,
        summary: 'A grid worker’s archive: scores, ranks, adjustments, honours',
        params: ArchiveParams,
        response: { 200: Archive, ...errorResponses },
      },
    },
    async (req) => svc.archive(d, req.ctx(), 'user', req.params.id),
  );
  app.get(
    '/api/assessment/archives/node/:id',
    {
      schema: {
        tags,
        summary: 'A grid’s or community’s archive: scores, ranks, adjustments, honours',
        params: ArchiveParams,
        response: { 200: Archive, ...errorResponses },
      },
    },
    async (req) => svc.archive(d, req.ctx(), 'node', req.params.id),
  );

  // ---- the public notice ----
  app.get(
    '/api/public/honours',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Published honours under a node (no login; names, quarter and citation only)',
        querystring: PublicHonoursQuery,
        response: { 200: PublicHonours, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return svc.publicHonours(db, req.query.nodeId);
    },
  );
}
