import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import {
  CodeIssued,
  CodeStatus,
  Counter,
  LookupBody,
  LookupResult,
  RedeemBody,
  Redemption,
  RedemptionList,
  RedemptionsQuery,
  RefundBody,
} from './redemption.schemas.js';
import type { RedemptionDeps } from './redemption.service.js';
import * as svc from './redemption.service.js';

/** Redemption (兑换): the resident's code, the merchant's counter, the day's list and refunds. */
export async function redemptionRoutes(fastify: FastifyInstance, deps: RedemptionDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['points'];

  app.post(
    '/api/me/points/codes',
    {
      schema: {
        tags,
        summary: 'A new 8-digit redemption code for one’s points (2 minutes; earlier unused ones stop working)',
        response: { 201: CodeIssued, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.issueCode(deps, req.ctx())),
  );
  app.get(
    '/api/me/points/codes/:id',
    {
      schema: {
        tags,
        summary: 'One of one’s codes: active, expired, or used (with the redemption)',
        params: IdParams,
        response: { 200: CodeStatus, ...errorResponses },
      },
    },
    async (req) => svc.codeStatus(deps, req.ctx(), req.params.id),
  );
  app.get(
    '/api/merchant/counter',
    {
      schema: {
        tags,
        summary: 'The merchants one may redeem at and their active goods',
        response: { 200: Counter, ...errorResponses },
      },
    },
    async (req) => svc.counter(deps, req.ctx()),
  );
  app.post(
    '/api/merchant/redeem/lookup',
    {
      schema: {
        tags,
        summary: 'The resident behind a code (masked) and their spendable balance',
        body: LookupBody,
        response: { 200: LookupResult, ...errorResponses },
      },
    },
    async (req) => svc.lookup(deps, req.ctx(), req.body),
  );
  app.post(
    '/api/merchant/redeem',
    {
      schema: {
        tags,
        summary: 'Redeem goods against a code in one transaction (201); the same clientId again → 200',
        body: RedeemBody,
        response: { 200: Redemption, 201: Redemption, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await svc.redeem(deps, req.ctx(), req.body);
      return reply.status(r.duplicate ? 200 : 201).send(r.redemption);
    },
  );
  app.get(
    '/api/merchant/redemptions',
    {
      schema: {
        tags,
        summary: 'A day’s redemptions at one’s merchants (default today), newest first',
        querystring: RedemptionsQuery,
        response: { 200: RedemptionList, ...errorResponses },
      },
    },
    async (req) => svc.listRedemptions(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/points/redemptions/:id/refund',
    {
      schema: {
        tags,
        summary: 'Refund a redemption: points back, stock restored (once)',
        params: IdParams,
        body: RefundBody,
        response: { 200: Redemption, ...errorResponses },
      },
    },
    async (req) => svc.refund(deps, req.ctx(), req.params.id, req.body),
  );
}
