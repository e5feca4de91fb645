import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, Items } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { contentDisposition } from '../reports/reports.logic.js';
import { registerMetricsJobs } from './metrics.jobs.js';
import {
  CatalogueItem,
  HistoryQuery,
  HistoryResult,
  MetricsQuery,
  MetricsResult,
  RefreshBody,
  RefreshDone,
  RefreshItem,
} from './metrics.schemas.js';
import * as metrics from './metrics.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxBody = Type.Unsafe<Readable>({ type: 'string', format: 'binary', description: XLSX_TYPE });

/** 考核指标: the catalogue, figures per node with drill-down, a subject's history, refreshes (and the job). */
export async function metricsRoutes(fastify: FastifyInstance, deps: { db: Db; jobs: Jobs }): Promise<void> {
  await registerMetricsJobs(deps.jobs, deps.db, fastify.log);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['metrics'];
  const { db, jobs } = deps;

  app.get(
    '/api/metrics/catalogue',
    {
      schema: {
        tags,
        summary: 'The metrics computed from real work, with labels in the caller’s language',
        response: { 200: Items(CatalogueItem), ...errorResponses },
      },
    },
    async (req) => ({ items: metrics.catalogue(req.ctx()) }),
  );
  app.get(
    '/api/metrics',
    {
      schema: {
        tags,
        summary: 'A node’s figures for a period and its children’s (a grid: its workers’)',
        querystring: MetricsQuery,
        response: { 200: MetricsResult, ...errorResponses },
      },
    },
    async (req) => metrics.getMetrics(db, req.ctx(), req.query),
  );
  app.get(
    '/api/metrics/export',
    {
      schema: {
        tags,
        summary: 'The same table as an Excel sheet',
        querystring: MetricsQuery,
        response: { 200: XlsxBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await metrics.exportMetrics(db, req.ctx(), req.query);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', contentDisposition(out.fileName))
        .header('access-control-expose-headers', 'content-disposition')
        .header('cache-control', 'no-store')
        .send(out.stream);
    },
  );
  app.get(
    '/api/metrics/history',
    {
      schema: {
        tags,
        summary: 'One subject’s metric over recent periods',
        querystring: HistoryQuery,
        response: { 200: HistoryResult, ...errorResponses },
      },
    },
    async (req) => metrics.getHistory(db, req.ctx(), req.query),
  );
  app.get(
    '/api/metrics/refreshes',
    {
      schema: {
        tags,
        summary: 'When periods were last computed, per county',
        response: { 200: Items(RefreshItem), ...errorResponses },
      },
    },
    async (req) => ({ items: await metrics.listRefreshes(db, req.ctx()) }),
  );
  app.post(
    '/api/metrics/refresh',
    {
      schema: {
        tags,
        summary: 'Recompute a period now (then queue assessment.score)',
        body: RefreshBody,
        response: { 200: RefreshDone, ...errorResponses },
      },
    },
    async (req) => metrics.requestRefresh(db, jobs, req.ctx(), req.body, req.log),
  );
}
