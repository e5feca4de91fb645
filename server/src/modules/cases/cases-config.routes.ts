import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import * as calendar from './calendar.service.js';
import { CaseCategory, CaseStageInfo } from './cases.schemas.js';
import {
  CalendarDateParams,
  CalendarDaySchema,
  CalendarQuery,
  CalendarViewSchema,
  CreateCategoryBody,
  OverrideBody,
  PeriodsBody,
  PeriodsView,
  StageParams,
  UpdateCategoryBody,
  UpdateStageBody,
} from './cases-config.schemas.js';
import * as svc from './cases-config.service.js';

/** 事件设置: the working calendar, categories and stage names (cases.config, installation-wide). */
export async function casesConfigRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];
  app.get(
    '/api/cases/calendar',
    {
      schema: {
        tags,
        summary: 'A year of the working calendar: official and local holidays and make-up days, working periods',
        querystring: CalendarQuery,
        response: { 200: CalendarViewSchema, ...errorResponses },
      },
    },
    async (req) => {
      const year = req.query.year ?? Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
      return calendar.getCalendar(deps.db, req.ctx(), year);
    },
  );
  app.put(
    '/api/cases/calendar/overrides/:date',
    {
      schema: {
        tags,
        summary: 'Make a day a working day or a holiday here (audited)',
        params: CalendarDateParams,
        body: OverrideBody,
        response: { 200: CalendarDaySchema, ...errorResponses },
      },
    },
    async (req) => calendar.setOverride(deps.db, req.ctx(), req.params.date, req.body),
  );
  app.delete(
    '/api/cases/calendar/overrides/:date',
    {
      schema: {
        tags,
        summary: 'Remove a local override: the official schedule applies again (audited)',
        params: CalendarDateParams,
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => {
      await calendar.removeOverride(deps.db, req.ctx(), req.params.date);
      return { ok: true };
    },
  );
  app.put(
    '/api/cases/calendar/periods',
    {
      schema: {
        tags,
        summary: 'Set the working periods of a working day, Asia/Shanghai (audited)',
        body: PeriodsBody,
        response: { 200: PeriodsView, ...errorResponses },
      },
    },
    async (req) => calendar.setPeriods(deps.db, req.ctx(), req.body.periods),
  );
  app.post(
    '/api/cases/categories',
    {
      schema: {
        tags,
        summary: 'Add a case category with its SLAs (audited)',
        body: CreateCategoryBody,
        response: { 201: CaseCategory, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createCategory(deps.db, req.ctx(), req.body)),
  );
  app.patch(
    '/api/cases/categories/:id',
    {
      schema: {
        tags,
        summary: 'Change a case category: tree, SLAs, active, public, duplicate radius and window (audited)',
        params: IdParams,
        body: UpdateCategoryBody,
        response: { 200: CaseCategory, ...errorResponses },
      },
    },
    async (req) => svc.updateCategory(deps.db, req.ctx(), req.params.id, req.body),
  );
  app.patch(
    '/api/cases/stages/:code',
    {
      schema: {
        tags,
        summary: 'Rename or reorder a case stage (audited)',
        params: StageParams,
        body: UpdateStageBody,
        response: { 200: CaseStageInfo, ...errorResponses },
      },
    },
    async (req) => svc.updateStage(deps.db, req.ctx(), req.params.code, req.body),
  );
}
