import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { contentDisposition } from '../reports/reports.logic.js';
import { registerPrivacyHooks } from './privacy.hooks.js';
import {
  CopyQuery,
  CreateRequestBody,
  DecisionBody,
  MyData,
  MyRequest,
  RequestDetail,
  RequestListQuery,
  RequestPage,
} from './privacy.schemas.js';
import * as privacy from './privacy.service.js';

const CopyBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

/** 个人信息权利: the resident's /api/me/privacy… and the console's /api/privacy/requests… */
export async function privacyRoutes(fastify: FastifyInstance, deps: { db: Db; pii: PiiCipher }): Promise<void> {
  registerPrivacyHooks();
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['privacy'];
  const d = { db: deps.db, pii: deps.pii };

  app.get(
    '/api/me/privacy',
    {
      schema: {
        tags,
        summary: 'My data: what Linli holds about the caller and their household, per purpose (audited)',
        response: { 200: MyData, ...errorResponses },
      },
    },
    async (req) => privacy.getMyData(d, req.ctx()),
  );
  app.get(
    '/api/me/privacy/copy',
    {
      schema: {
        tags,
        summary: 'A copy of my data to download, JSON or an Excel workbook (audited)',
        querystring: CopyQuery,
        response: { 200: CopyBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await privacy.buildMyCopy(d, req.ctx(), req.query.format ?? 'json');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
  app.post(
    '/api/me/privacy/requests',
    {
      schema: {
        tags,
        summary: 'Ask to correct my data, or to delete it / object to a purpose (due in 15 working days)',
        body: CreateRequestBody,
        response: { 201: MyRequest, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await privacy.createMyRequest(d, req.ctx(), req.body)),
  );
  app.get(
    '/api/privacy/requests',
    {
      schema: {
        tags,
        summary: 'Privacy requests of the area, pending first by deadline (privacy.handle)',
        querystring: RequestListQuery,
        response: { 200: RequestPage, ...errorResponses },
      },
    },
    async (req) => privacy.listRequests(d, req.ctx(), req.query),
  );
  app.get(
    '/api/privacy/requests/:id',
    {
      schema: {
        tags,
        summary: 'A privacy request with the current and proposed values (privacy.handle)',
        params: IdParams,
        response: { 200: RequestDetail, ...errorResponses },
      },
    },
    async (req) => privacy.getRequest(d, req.ctx(), req.params.id),
  );
  app.post(
    '/api/privacy/requests/:id/decision',
    {
      schema: {
        tags,
        summary: 'Accept (apply through the people service) or reject with the legal ground (privacy.handle)',
        params: IdParams,
        body: DecisionBody,
        response: { 200: RequestDetail, ...errorResponses },
      },
    },
    async (req) => privacy.decideRequest(d, req.ctx(), req.params.id, req.body),
  );
}
