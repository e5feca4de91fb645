import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { contentDisposition } from '../reports/reports.logic.js';
import { CaseStats, CaseStatsQuery } from './cases.stats.schemas.js';
import { exportCaseStats, getCaseStats } from './cases.stats.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxBody = Type.Unsafe<Readable>({ type: 'string', format: 'binary', description: XLSX_TYPE });

/** 事件统计: GET /api/cases/stats and /api/cases/stats.xlsx (cases.stats, scoped). */
export async function casesStatsRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];

  app.get(
    '/api/cases/stats',
    {
      schema: {
        tags,
        summary: 'Case statistics by grid, community, department, category or month (cases.stats)',
        description:
          'Received, opened, due, closed, closed on time, on-time rate, rework, overdue, supervised and satisfaction; see docs/architecture.md.',
        querystring: CaseStatsQuery,
        response: { 200: CaseStats, ...errorResponses },
      },
    },
    async (req) => getCaseStats(deps.db, req.ctx(), req.query),
  );

  app.get(
    '/api/cases/stats.xlsx',
    {
      schema: {
        tags,
        summary: 'The same statistics as an Excel sheet, with a total row',
        querystring: CaseStatsQuery,
        response: { 200: XlsxBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await exportCaseStats(deps.db, req.ctx(), req.query);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', contentDisposition(out.fileName))
        .header('access-control-expose-headers', 'content-disposition')
        .header('cache-control', 'no-store')
        .send(out.stream);
    },
  );
}
