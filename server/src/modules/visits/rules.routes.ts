import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, IdParams, Items } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { registerVisitJobs } from './generation.jobs.js';
import * as rules from './rules.service.js';
import { GenerationResult, VisitRule, VisitRuleCreate, VisitRulePatch } from './visits.schemas.js';

/** 走访规则 (三到六访): the rules, their changes, and "generate now"; the generation jobs. */
export async function visitRulesRoutes(fastify: FastifyInstance, deps: { db: Db; jobs: Jobs }): Promise<void> {
  await registerVisitJobs(deps.jobs, deps.db, fastify.log);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['visits'];

  app.get(
    '/api/visit-rules',
    {
      schema: {
        tags,
        summary: 'Visit rules (visits.read or visits.config), by category and order, with their open tasks',
        response: { 200: Items(VisitRule), ...errorResponses },
      },
    },
    async (req) => ({ items: await rules.listRules(deps.db, req.ctx()) }),
  );
  app.post(
    '/api/visit-rules',
    {
      schema: {
        tags,
        summary: 'Create a visit rule (visits.config)',
        body: VisitRuleCreate,
        response: { 201: VisitRule, ...errorResponses },
      },
    },
    async (req, reply) => {
      const rule = await rules.createRule(deps.db, req.ctx(), req.body);
      return reply.code(201).send(rule);
    },
  );
  app.patch(
    '/api/visit-rules/:id',
    {
      schema: {
        tags,
        summary: 'Change a visit rule (visits.config); disabling withdraws its open tasks',
        params: IdParams,
        body: VisitRulePatch,
        response: { 200: VisitRule, ...errorResponses },
      },
    },
    async (req) => rules.updateRule(deps.db, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/visit-rules/generate',
    {
      schema: {
        tags,
        summary: 'Run task generation now (visits.config)',
        response: { 200: GenerationResult, ...errorResponses },
      },
    },
    async (req) => rules.generateNow(deps.db, req.ctx()),
  );
}
