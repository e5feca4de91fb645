import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { contentDisposition } from '../reports/reports.logic.js';
import * as candidates from './candidates.service.js';
import { registerPolicyHooks } from './policies.hooks.js';
import {
  CandidateDetail,
  CandidateListQuery,
  CandidatePage,
  CandidateReasonBody,
  ConfirmBody,
  ExportQuery,
  PolicyCreate,
  PolicyFieldsView,
  PolicyIdParams,
  PolicyList,
  PolicyListQuery,
  PolicyPatch,
  PolicyStatusBody,
  PolicyVersionList,
  PolicyView,
  ReceivingBody,
  ResidentIdParams,
  ResidentPoliciesView,
  ResultPage,
  ResultsQuery,
  RunCreate,
  RunIdParams,
  RunListQuery,
  RunPage,
  RunView,
  ValidateBody,
  ValidateResult,
} from './policies.schemas.js';
import * as policies from './policies.service.js';
import * as runs from './runs.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: XLSX_TYPE });

/** Jobs: a run, the nightly runs over every county (02:30), pruning old results (03:40). */
export async function registerPolicyJobs(jobs: Jobs, db: Db, log: FastifyBaseLogger): Promise<void> {
  jobs.register({
    name: runs.RUN_JOB,
    schema: Type.Object({ runId: Type.Integer({ minimum: 1 }) }),
    retryLimit: 2,
    expireInSeconds: 1800,
    concurrency: 1,
    handler: async ({ runId }) => {
      await runs.executeRun(db, runId);
      await jobs.send(runs.PRUNE_JOB, {}, { singletonKey: 'prune' });
    },
  });
  jobs.register({
    name: runs.NIGHTLY_JOB,
    schema: Type.Object({}),
    retryLimit: 1,
    concurrency: 1,
    handler: async () => {
      const n = await runs.queueNightlyRuns(db, jobs);
      log.info({ counties: n }, 'nightly policy runs queued');
    },
  });
  jobs.register({
    name: runs.PRUNE_JOB,
    schema: Type.Object({}),
    retryLimit: 1,
    concurrency: 1,
    handler: async () => {
      const n = await runs.pruneRuns(db);
      if (n > 0) log.info({ rows: n }, 'old policy results pruned');
    },
  });
  await jobs.schedule(runs.NIGHTLY_JOB, '30 2 * * *');
  await jobs.schedule(runs.PRUNE_JOB, '40 3 * * *');
}

/** Policies (政策找人): /api/policies/… */
export async function policiesRoutes(
  fastify: FastifyInstance,
  deps: { db: Db; jobs: Jobs; pii: PiiCipher },
): Promise<void> {
  registerPolicyHooks();
  await registerPolicyJobs(deps.jobs, deps.db, fastify.log);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['policies'];
  const d = { db: deps.db };

  // ---- policies ----
  app.get(
    '/api/policies',
    {
      schema: {
        tags,
        summary: 'Policies',
        querystring: PolicyListQuery,
        response: { 200: PolicyList, ...errorResponses },
      },
    },
    async (req) => policies.listPolicies(d, req.ctx(), req.query),
  );
  app.get(
    '/api/policies/fields',
    {
      schema: {
        tags,
        summary: 'The rule editor’s catalogue: fields, operators, tags, policies',
        response: { 200: PolicyFieldsView, ...errorResponses },
      },
    },
    async (req) => policies.fields(d, req.ctx()),
  );
  app.post(
    '/api/policies/validate',
    {
      schema: {
        tags,
        summary: 'Check a rule (400 naming rule.… when invalid)',
        body: ValidateBody,
        response: { 200: ValidateResult, ...errorResponses },
      },
    },
    async (req) => policies.validate(d, req.ctx(), req.body),
  );
  app.post(
    '/api/policies',
    {
      schema: {
        tags,
        summary: 'Create a policy (version 1 of its rule)',
        body: PolicyCreate,
        response: { 201: PolicyView, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await policies.createPolicy(d, req.ctx(), req.body)),
  );
  app.get(
    '/api/policies/:id',
    { schema: { tags, summary: 'A policy', params: PolicyIdParams, response: { 200: PolicyView, ...errorResponses } } },
    async (req) => policies.getPolicy(d, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/policies/:id',
    {
      schema: {
        tags,
        summary: 'Update a policy (a changed rule is a new version)',
        params: PolicyIdParams,
        body: PolicyPatch,
        response: { 200: PolicyView, ...errorResponses },
      },
    },
    async (req) => policies.updatePolicy(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/policies/:id/status',
    {
      schema: {
        tags,
        summary: 'Change a policy’s status (draft → active → retired)',
        params: PolicyIdParams,
        body: PolicyStatusBody,
        response: { 200: PolicyView, ...errorResponses },
      },
    },
    async (req) => policies.setStatus(d, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/policies/:id/versions',
    {
      schema: {
        tags,
        summary: 'A policy’s rule versions, newest first',
        params: PolicyIdParams,
        response: { 200: PolicyVersionList, ...errorResponses },
      },
    },
    async (req) => policies.listVersions(d, req.ctx(), req.params.id),
  );

  // ---- runs ----
  app.post(
    '/api/policies/runs',
    {
      schema: {
        tags,
        summary: 'Run the active policies (or one) over a node',
        body: RunCreate,
        response: { 201: RunView, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await runs.createRun(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/policies/runs',
    {
      schema: {
        tags,
        summary: 'Runs in the area',
        querystring: RunListQuery,
        response: { 200: RunPage, ...errorResponses },
      },
    },
    async (req) => runs.listRuns(d, req.ctx(), req.query),
  );
  app.get(
    '/api/policies/runs/:runId',
    {
      schema: {
        tags,
        summary: 'A run with its counts per policy',
        params: RunIdParams,
        response: { 200: RunView, ...errorResponses },
      },
    },
    async (req) => runs.getRun(d, req.ctx(), req.params.runId),
  );
  app.get(
    '/api/policies/runs/:runId/results',
    {
      schema: {
        tags,
        summary: 'Who qualifies (or nearly), with why: eligible, near_miss, new, gone',
        params: RunIdParams,
        querystring: ResultsQuery,
        response: { 200: ResultPage, ...errorResponses },
      },
    },
    async (req) => runs.listResults(d, req.ctx(), req.params.runId, req.query),
  );
  app.get(
    '/api/policies/runs/:runId/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The explained list as Excel',
        description: 'Masked unless `unmasked=1`, which needs pii.reveal over the area and a reason. Audited.',
        params: RunIdParams,
        querystring: ExportQuery,
        response: { 200: XlsxBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await runs.exportResults(deps, req.ctx(), req.params.runId, req.query);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', contentDisposition(out.fileName))
        .header('cache-control', 'no-store')
        .send(out.body);
    },
  );
  app.get(
    '/api/policies/residents/:residentId',
    {
      schema: {
        tags,
        summary: 'A resident’s policies (latest runs) and candidacies',
        params: ResidentIdParams,
        response: { 200: ResidentPoliciesView, ...errorResponses },
      },
    },
    async (req) =>
      runs.residentPolicies(d, req.ctx(), req.params.residentId, (id) =>
        candidates.residentCandidates(d, req.ctx(), id),
      ),
  );

  // ---- candidates ----
  app.get(
    '/api/policies/candidates',
    {
      schema: {
        tags,
        summary: 'Candidates in the area',
        querystring: CandidateListQuery,
        response: { 200: CandidatePage, ...errorResponses },
      },
    },
    async (req) => candidates.listCandidates(d, req.ctx(), req.query),
  );
  app.get(
    '/api/policies/candidates/:id',
    {
      schema: {
        tags,
        summary: 'A candidate: person, policy, why, the text for the resident, history',
        params: PolicyIdParams,
        response: { 200: CandidateDetail, ...errorResponses },
      },
    },
    async (req) => candidates.getCandidate(d, req.ctx(), req.params.id),
  );
  app.post(
    '/api/policies/candidates/:id/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm (checked with the person; helps apply)',
        params: PolicyIdParams,
        body: ConfirmBody,
        response: { 200: CandidateDetail, ...errorResponses },
      },
    },
    async (req) => candidates.confirmCandidate(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/policies/candidates/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject, with a reason',
        params: PolicyIdParams,
        body: CandidateReasonBody,
        response: { 200: CandidateDetail, ...errorResponses },
      },
    },
    async (req) => candidates.rejectCandidate(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/policies/candidates/:id/receiving',
    {
      schema: {
        tags,
        summary: 'Mark as receiving the benefit since a day',
        params: PolicyIdParams,
        body: ReceivingBody,
        response: { 200: CandidateDetail, ...errorResponses },
      },
    },
    async (req) => candidates.markReceiving(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/policies/candidates/:id/end',
    {
      schema: {
        tags,
        summary: 'End receiving, with a reason',
        params: PolicyIdParams,
        body: CandidateReasonBody,
        response: { 200: CandidateDetail, ...errorResponses },
      },
    },
    async (req) => candidates.endCandidate(d, req.ctx(), req.params.id, req.body),
  );
}
