import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, IdParams, Items } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { registerEarningJobs } from './earners.jobs.js';
import { registerEarningNotifications } from './earners.notify.js';
import {
  EarningRuleCreate,
  EarningRulePatch,
  EarningRuleView,
  EnabledBody,
  PointsSettingsPut,
  PointsSettingsView,
} from './rules.schemas.js';
import * as rules from './rules.service.js';

/** 积分规则: the earning rules and the points settings (points.config; read with points.read); the job points.earn. */
export async function earningRulesRoutes(fastify: FastifyInstance, deps: { db: Db; jobs: Jobs }): Promise<void> {
  registerEarningNotifications();
  await registerEarningJobs(deps.jobs, deps.db, fastify.log);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['points'];

  app.get(
    '/api/points/rules',
    {
      schema: {
        tags,
        summary: 'Earning rules (points.read or points.config), enabled first, with what each credited',
        response: { 200: Items(EarningRuleView), ...errorResponses },
      },
    },
    async (req) => ({ items: await rules.listRules(deps.db, req.ctx()) }),
  );
  app.post(
    '/api/points/rules',
    {
      schema: {
        tags,
        summary: 'Create an earning rule (points.config)',
        body: EarningRuleCreate,
        response: { 201: EarningRuleView, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await rules.createRule(deps.db, req.ctx(), req.body)),
  );
  app.patch(
    '/api/points/rules/:id',
    {
      schema: {
        tags,
        summary: 'Change an earning rule (points.config; the version read, else 409)',
        params: IdParams,
        body: EarningRulePatch,
        response: { 200: EarningRuleView, ...errorResponses },
      },
    },
    async (req) => rules.updateRule(deps.db, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/points/rules/:id/enable',
    {
      schema: {
        tags,
        summary: 'Enable an earning rule (points.config)',
        params: IdParams,
        body: EnabledBody,
        response: { 200: EarningRuleView, ...errorResponses },
      },
    },
    async (req) => rules.setRuleEnabled(deps.db, req.ctx(), req.params.id, req.body.version, true),
  );
  app.post(
    '/api/points/rules/:id/disable',
    {
      schema: {
        tags,
        summary: 'Disable an earning rule (points.config)',
        params: IdParams,
        body: EnabledBody,
        response: { 200: EarningRuleView, ...errorResponses },
      },
    },
    async (req) => rules.setRuleEnabled(deps.db, req.ctx(), req.params.id, req.body.version, false),
  );
  app.get(
    '/api/points/settings',
    {
      schema: {
        tags,
        summary: 'The points settings (points.read or points.config)',
        response: { 200: PointsSettingsView, ...errorResponses },
      },
    },
    async (req) => rules.getSettings(deps.db, req.ctx()),
  );
  app.put(
    '/api/points/settings',
    {
      schema: {
        tags,
        summary: 'Replace the points settings (points.config; the version read, else 409)',
        body: PointsSettingsPut,
        response: { 200: PointsSettingsView, ...errorResponses },
      },
    },
    async (req) => rules.putSettings(deps.db, req.ctx(), req.body),
  );
}
