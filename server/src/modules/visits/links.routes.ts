import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import {
  GridLink,
  GridLinkCreate,
  GridLinkCreated,
  GridLinkEnd,
  GridLinkGapPage,
  GridLinkGapsQuery,
  GridLinkListQuery,
  GridLinkPage,
  GridLinkPatch,
  GridLinkTree,
  GridLinkTreeQuery,
  MyLinks,
} from './links.schemas.js';
import * as svc from './links.service.js';

/** 一网三联's links: keep them (visits.manage), read them (visits.read), and a linked person's own households. */
export async function linksRoutes(fastify: FastifyInstance, deps: svc.LinksDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['visits'];
  app.get(
    '/api/grid-links',
    {
      schema: {
        tags,
        summary: 'Links of 一网三联 in the area (visits.read), in force today unless activeOnly=false',
        querystring: GridLinkListQuery,
        response: { 200: GridLinkPage, ...errorResponses },
      },
    },
    async (req) => svc.listLinks(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/grid-links',
    {
      schema: {
        tags,
        summary: 'Link a person to a group, a building or a batch of households in their community (visits.manage)',
        body: GridLinkCreate,
        response: { 201: GridLinkCreated, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createLinks(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/grid-links/tree',
    {
      schema: {
        tags,
        summary: 'Who is linked to what under a node, with the households each linker reaches (visits.read)',
        querystring: GridLinkTreeQuery,
        response: { 200: GridLinkTree, ...errorResponses },
      },
    },
    async (req) => svc.linkTree(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/grid-links/gaps',
    {
      schema: {
        tags,
        summary: 'Households nobody is linked to (no party member, no building leader), in the area (visits.read)',
        querystring: GridLinkGapsQuery,
        response: { 200: GridLinkGapPage, ...errorResponses },
      },
    },
    async (req) => svc.listGaps(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/grid-links/mine',
    {
      schema: {
        tags,
        summary: 'The caller’s own links in force and the households they reach (any signed-in account)',
        response: { 200: MyLinks, ...errorResponses },
      },
    },
    async (req) => svc.myLinks(deps, req.ctx()),
  );
  app.patch(
    '/api/grid-links/:id',
    {
      schema: {
        tags,
        summary: 'Change a link’s end of validity or note (visits.manage, audited)',
        params: IdParams,
        body: GridLinkPatch,
        response: { 200: GridLink, ...errorResponses },
      },
    },
    async (req) => svc.updateLink(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/grid-links/:id/end',
    {
      schema: {
        tags,
        summary: 'End a link with a reason; it stays in the history (visits.manage, audited)',
        params: IdParams,
        body: GridLinkEnd,
        response: { 200: GridLink, ...errorResponses },
      },
    },
    async (req) => svc.endLink(deps, req.ctx(), req.params.id, req.body),
  );
}
