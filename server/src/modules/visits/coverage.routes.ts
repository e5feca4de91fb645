import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { contentDisposition } from '../reports/reports.logic.js';
import { exportCoverage, getCoverage, listUnvisited } from './coverage.service.js';
import { Coverage, CoverageQuery, UnvisitedPage, UnvisitedQuery } from './visits.schemas.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxBody = Type.Unsafe<Readable>({ type: 'string', format: 'binary', description: XLSX_TYPE });

/** 走访覆盖: GET /api/visits/coverage, /api/visits/coverage/export (xlsx), /api/visits/unvisited (visits.read). */
export async function coverageRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['visits'];

  app.get(
    '/api/visits/coverage',
    {
      schema: {
        tags,
        summary: 'Visit coverage of an area for a week or a month, per child area and per worker (visits.read)',
        description:
          'Tasks due in the period (withdrawn not counted), done on time, done late, overdue, on-time rate, visits, households and households not visited in N months; see docs/architecture.md.',
        querystring: CoverageQuery,
        response: { 200: Coverage, ...errorResponses },
      },
    },
    async (req) => getCoverage(deps.db, req.ctx(), req.query),
  );

  app.get(
    '/api/visits/coverage/export',
    {
      schema: {
        tags,
        summary: 'The same coverage as an Excel sheet, with the households not visited (names masked)',
        querystring: CoverageQuery,
        response: { 200: XlsxBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await exportCoverage(deps.db, req.ctx(), req.query);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', contentDisposition(out.fileName))
        .header('access-control-expose-headers', 'content-disposition')
        .header('cache-control', 'no-store')
        .send(out.stream);
    },
  );

  app.get(
    '/api/visits/unvisited',
    {
      schema: {
        tags,
        summary: 'Households of an area nobody visited in the last N months (户户到; visits.read)',
        querystring: UnvisitedQuery,
        response: { 200: UnvisitedPage, ...errorResponses },
      },
    },
    async (req) => listUnvisited(deps.db, req.ctx(), req.query),
  );
}
