import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses, IdParams, Items } from '../../platform/http/schemas.js';
import * as requests from './requests.service.js';
import type { TimebankDeps } from './services.service.js';
import {
  CandidateList,
  MyRequestCreate,
  MyTimebank,
  RequestCreate,
  RequestListQuery,
  RequestMatch,
  TimebankRequest,
  TimebankStats,
} from './timebank.schemas.js';

/** Time-bank requests (取时间), matching, my hours and the statistics. */
export async function timebankRequestsRoutes(fastify: FastifyInstance, deps: TimebankDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['timebank'];

  app.get(
    '/api/me/timebank',
    {
      schema: {
        tags,
        summary: 'My hours, services given and received, what awaits my confirmation, my requests',
        response: { 200: MyTimebank, ...errorResponses },
      },
    },
    async (req) => requests.myTimebank(deps, req.ctx()),
  );
  app.post(
    '/api/me/timebank/requests',
    {
      schema: {
        tags,
        summary: 'Ask for service for myself or a member of my household, paid from my hours',
        body: MyRequestCreate,
        response: { 201: TimebankRequest, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await requests.createMyRequest(deps, req.ctx(), req.body)),
  );
  app.post(
    '/api/me/timebank/requests/:id/accept',
    {
      schema: {
        tags,
        summary: 'Take an open request of my community as a volunteer',
        params: IdParams,
        response: { 200: TimebankRequest, ...errorResponses },
      },
    },
    async (req) => requests.acceptMy(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/me/timebank/requests/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel my request (open or matched, no service recorded yet)',
        params: IdParams,
        response: { 200: TimebankRequest, ...errorResponses },
      },
    },
    async (req) => requests.cancelMyRequest(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/timebank/requests',
    {
      schema: {
        tags,
        summary: 'File a request paid by the community for a resident of the area',
        body: RequestCreate,
        response: { 201: TimebankRequest, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await requests.createRequest(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/timebank/requests',
    {
      schema: {
        tags,
        summary: 'Requests of the area by wanted time',
        querystring: RequestListQuery,
        response: { 200: Items(TimebankRequest), ...errorResponses },
      },
    },
    async (req) => requests.listRequests(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/timebank/requests/:id/candidates',
    {
      schema: {
        tags,
        summary: 'Available volunteers ranked for a request, with the reasons',
        params: IdParams,
        response: { 200: CandidateList, ...errorResponses },
      },
    },
    async (req) => requests.candidates(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/timebank/requests/:id/match',
    {
      schema: {
        tags,
        summary: 'Match a request to a volunteer (who is told in their inbox)',
        params: IdParams,
        body: RequestMatch,
        response: { 200: TimebankRequest, ...errorResponses },
      },
    },
    async (req) => requests.match(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/timebank/requests/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a request of the area',
        params: IdParams,
        response: { 200: TimebankRequest, ...errorResponses },
      },
    },
    async (req) => requests.cancelRequest(deps, req.ctx(), req.params.id),
  );
  app.get(
    '/api/timebank/stats',
    {
      schema: {
        tags,
        summary: 'Hours deposited and withdrawn per community, and the top volunteers',
        response: { 200: TimebankStats, ...errorResponses },
      },
    },
    async (req) => requests.stats(deps, req.ctx()),
  );
}
