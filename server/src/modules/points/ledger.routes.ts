import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { contentDisposition } from '../reports/reports.logic.js';
import { registerExpiryJob } from './expiry.jobs.js';
import {
  AccountListQuery,
  AccountPage,
  AwardInput,
  AwardResult,
  MeMovementQuery,
  MovementPage,
  MovementQuery,
  MyMovementPage,
  MyPoints,
  ResidentPoints,
  ReverseInput,
  ReverseResult,
  Totals,
  TotalsQuery,
} from './ledger.schemas.js';
import * as ledger from './ledger.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxBody = Type.Unsafe<Readable>({ type: 'string', format: 'binary', description: XLSX_TYPE });

/** 积分账户: accounts, passbooks, a resident's points, totals, awards and reversals; a resident's own points. */
export async function ledgerRoutes(fastify: FastifyInstance, deps: { db: Db; jobs: Jobs }): Promise<void> {
  await registerExpiryJob(deps.jobs, deps.db, fastify.log);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['points'];
  const { db } = deps;

  app.get(
    '/api/points/accounts',
    {
      schema: {
        tags,
        summary: 'Ledger accounts in the caller’s area (points.read), newest first, paged by cursor',
        querystring: AccountListQuery,
        response: { 200: AccountPage, ...errorResponses },
      },
    },
    async (req) => ledger.listAccounts(db, req.ctx(), req.query),
  );
  app.get(
    '/api/points/accounts/:id/movements',
    {
      schema: {
        tags,
        summary: 'An account’s passbook: movements with kind, reason, counterpart and balance after (newest first)',
        params: IdParams,
        querystring: MovementQuery,
        response: { 200: MovementPage, ...errorResponses },
      },
    },
    async (req) => ledger.accountMovements(db, req.ctx(), req.params.id, req.query),
  );
  app.get(
    '/api/points/residents/:id',
    {
      schema: {
        tags,
        summary: 'A resident’s balances in each currency, their household’s points and recent movements',
        params: IdParams,
        response: { 200: ResidentPoints, ...errorResponses },
      },
    },
    async (req) => ledger.getResidentPoints(db, req.ctx(), req.params.id),
  );
  app.get(
    '/api/points/totals',
    {
      schema: {
        tags,
        summary: 'Issued, redeemed, settled, expired, reversed and held, per community under the node and in total',
        querystring: TotalsQuery,
        response: { 200: Totals, ...errorResponses },
      },
    },
    async (req) => ledger.getTotals(db, req.ctx(), req.query),
  );
  app.get(
    '/api/points/totals/export',
    {
      schema: {
        tags,
        summary: 'The same totals as an Excel sheet',
        querystring: TotalsQuery,
        response: { 200: XlsxBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await ledger.exportTotals(db, req.ctx(), req.query);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', contentDisposition(out.fileName))
        .header('access-control-expose-headers', 'content-disposition')
        .header('cache-control', 'no-store')
        .send(out.stream);
    },
  );
  app.post(
    '/api/points/awards',
    {
      schema: {
        tags,
        summary: 'Award points to a resident from the issuer, or deduct them back (negative amount); points.manage',
        body: AwardInput,
        response: { 201: AwardResult, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await ledger.awardPoints(db, req.ctx(), req.body)),
  );
  app.post(
    '/api/points/transfers/:id/reverse',
    {
      schema: {
        tags,
        summary: 'Reverse an award, a credit or an expiry (once; audited); points.manage',
        params: IdParams,
        body: ReverseInput,
        response: { 201: ReverseResult, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await ledger.reversePointsTransfer(db, req.ctx(), req.params.id, req.body)),
  );
  app.get(
    '/api/me/points',
    {
      schema: {
        tags,
        summary: 'The caller’s own balances and household (409 LEDGER_NO_RESIDENT without a resident record)',
        response: { 200: MyPoints, ...errorResponses },
      },
    },
    async (req) => ledger.myPoints(db, req.ctx()),
  );
  app.get(
    '/api/me/points/movements',
    {
      schema: {
        tags,
        summary: 'The caller’s own passbook in a currency (points by default), newest first',
        querystring: MeMovementQuery,
        response: { 200: MyMovementPage, ...errorResponses },
      },
    },
    async (req) => ledger.myMovements(db, req.ctx(), req.query),
  );
}
