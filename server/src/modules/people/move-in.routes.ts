import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses, IdParams, Paged } from '../../platform/http/schemas.js';
import { AcceptMoveInBody, DeclineMoveInBody, MoveInQuery, MoveInRequest } from './move-in.schemas.js';
import type { MoveInDeps } from './move-in.service.js';
import * as moveIn from './move-in.service.js';

/** 迁入申请: the requester follows their requests; the community holding the person decides them. */
export async function moveInRoutes(fastify: FastifyInstance, deps: MoveInDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['people', 'move-in'];
  const one = { 200: MoveInRequest, ...errorResponses };

  app.get(
    '/api/people/move-in-requests',
    {
      schema: {
        tags,
        summary: 'Move-in requests: incoming (people the caller holds) or outgoing (the caller’s own)',
        querystring: MoveInQuery,
        response: { 200: Paged(MoveInRequest), ...errorResponses },
      },
    },
    async (req) => moveIn.listMoveInRequests(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/people/move-in-requests/:id',
    { schema: { tags, summary: 'One move-in request', params: IdParams, response: one } },
    async (req) => moveIn.getMoveInRequest(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/people/move-in-requests/:id/accept',
    {
      schema: {
        tags,
        summary: 'Accept: the person moves to the requested place (with history)',
        params: IdParams,
        body: AcceptMoveInBody,
        response: one,
      },
    },
    async (req) => moveIn.acceptMoveInRequest(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/people/move-in-requests/:id/decline',
    {
      schema: {
        tags,
        summary: 'Decline, with a reason',
        params: IdParams,
        body: DeclineMoveInBody,
        response: one,
      },
    },
    async (req) => moveIn.declineMoveInRequest(deps, req.ctx(), req.params.id, req.body),
  );
}
