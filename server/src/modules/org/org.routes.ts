import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, IdParams, Items } from '../../platform/http/schemas.js';
import {
  ChildrenQuery,
  CreateNodeBody,
  MoveNodeBody,
  OrgNode,
  OrgNodeDetail,
  OrgSearchHit,
  SearchQuery,
  UpdateNodeBody,
} from './org.schemas.js';
import * as org from './org.service.js';

export async function orgRoutes(fastify: FastifyInstance, deps: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;
  const tags = ['org'];

  app.get(
    '/api/org/roots',
    {
      schema: {
        tags,
        summary: 'Top of the caller’s visible hierarchy',
        response: { 200: Items(OrgNode), ...errorResponses },
      },
    },
    async (req) => ({ items: await org.listRoots(db, req.ctx()) }),
  );

  app.get(
    '/api/org/nodes',
    {
      schema: {
        tags,
        summary: 'Children of a node (lazy loading)',
        querystring: ChildrenQuery,
        response: { 200: Items(OrgNode), ...errorResponses },
      },
    },
    async (req) => ({
      items: await org.listChildren(db, req.ctx(), req.query.parentId, req.query.includeRetired ?? false),
    }),
  );

  app.get(
    '/api/org/search',
    {
      schema: {
        tags,
        summary: 'Find nodes by name or code, with the names of their ancestors',
        querystring: SearchQuery,
        response: { 200: Items(OrgSearchHit), ...errorResponses },
      },
    },
    async (req) => ({ items: await org.searchNodes(db, req.ctx(), req.query.q, req.query.type) }),
  );

  app.get(
    '/api/org/nodes/:id',
    {
      schema: {
        tags,
        summary: 'One node with its ancestors',
        params: IdParams,
        response: { 200: OrgNodeDetail, ...errorResponses },
      },
    },
    async (req) => org.getNode(db, req.ctx(), req.params.id),
  );

  app.post(
    '/api/org/nodes',
    {
      schema: {
        tags,
        summary: 'Create a node',
        body: CreateNodeBody,
        response: { 201: OrgNodeDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await org.createNode(db, req.ctx(), req.body)),
  );

  app.patch(
    '/api/org/nodes/:id',
    {
      schema: {
        tags,
        summary: 'Rename a node, change its code or boundary',
        params: IdParams,
        body: UpdateNodeBody,
        response: { 200: OrgNodeDetail, ...errorResponses },
      },
    },
    async (req) => org.updateNode(db, req.ctx(), req.params.id, req.body),
  );

  app.post(
    '/api/org/nodes/:id/move',
    {
      schema: {
        tags,
        summary: 'Move a node with its subtree',
        params: IdParams,
        body: MoveNodeBody,
        response: { 200: OrgNodeDetail, ...errorResponses },
      },
    },
    async (req) => org.moveNode(db, req.ctx(), req.params.id, req.body),
  );

  app.post(
    '/api/org/nodes/:id/retire',
    {
      schema: {
        tags,
        summary: 'Retire an empty node',
        params: IdParams,
        response: { 200: OrgNodeDetail, ...errorResponses },
      },
    },
    async (req) => org.retireNode(db, req.ctx(), req.params.id),
  );
}
