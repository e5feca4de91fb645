import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, IdParams, Paged } from '../../platform/http/schemas.js';
import {
  CreateUserBody,
  ListUsersQuery,
  PostInput,
  PostParams,
  ResetPasswordBody,
  RevealBody,
  Revealed,
  UpdateUserBody,
  UserSummary,
} from './users.schemas.js';
import type { UsersDeps } from './users.service.js';
import * as users from './users.service.js';

export async function usersRoutes(fastify: FastifyInstance, deps: UsersDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['users'];
  const one = { 200: UserSummary, ...errorResponses };
  // Managing accounts needs a person at a session: API tokens are refused (TOKEN_NOT_ALLOWED), as `users.write`
  // is withheld from them in scope.ts for any other route that checks it.
  const sessionOnly = { sessionOnly: true };

  app.get(
    '/api/users',
    {
      schema: {
        tags,
        summary: 'Accounts in the caller’s area',
        querystring: ListUsersQuery,
        response: { 200: Paged(UserSummary), ...errorResponses },
      },
    },
    async (req) => users.listUsers(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/users',
    {
      config: sessionOnly,
      schema: {
        tags,
        summary: 'Create an account with its posts',
        body: CreateUserBody,
        response: { 201: UserSummary, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await users.createUser(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/users/:id',
    { schema: { tags, summary: 'One account', params: IdParams, response: one } },
    async (req) => users.getUser(deps, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/users/:id',
    {
      config: sessionOnly,
      schema: {
        tags,
        summary: 'Change name, phone, or disable',
        params: IdParams,
        body: UpdateUserBody,
        response: one,
      },
    },
    async (req) => users.updateUser(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/users/:id/reset-password',
    {
      config: sessionOnly,
      schema: {
        tags,
        summary: 'Set a temporary password',
        params: IdParams,
        body: ResetPasswordBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await users.resetPassword(deps, req.ctx(), req.params.id, req.body.newPassword);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/users/:id/unlock',
    { config: sessionOnly, schema: { tags, summary: 'Lift a login lockout', params: IdParams, response: one } },
    async (req) => users.unlockUser(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/users/:id/posts',
    {
      config: sessionOnly,
      schema: { tags, summary: 'Give a post (role at a node)', params: IdParams, body: PostInput, response: one },
    },
    async (req) => users.addPost(deps, req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/users/:id/posts/:postId',
    { config: sessionOnly, schema: { tags, summary: 'Take a post away', params: PostParams, response: one } },
    async (req) => users.removePost(deps, req.ctx(), req.params.id, req.params.postId),
  );
  app.post(
    '/api/users/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Show a sealed field in full (audited)',
        params: IdParams,
        body: RevealBody,
        response: { 200: Revealed, ...errorResponses },
      },
    },
    async (req) => users.revealUserField(deps, req.ctx(), req.params.id, req.body),
  );
}
