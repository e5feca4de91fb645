import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../db/client.js';
import { clearSessionCookie, setSessionCookie } from '../http/auth.plugin.js';
import { ErrorBody, errorResponses, IdParams, Items } from '../http/schemas.js';
import { ApiToken, CreatedToken, CreateTokenBody, LoginBody, Me, PasswordBody, UpdateMeBody } from './auth.schemas.js';
import * as auth from './auth.service.js';

export type AuthRouteDeps = { db: Db; sessionHours: number; loginRateLimit: number };

export async function authRoutes(app: FastifyInstance, deps: AuthRouteDeps): Promise<void> {
  const { db } = deps;
  const tags = ['auth'];

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: deps.loginRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Log in with username and password; sets the session cookie',
        body: LoginBody,
        response: { 200: Me, 401: ErrorBody, 403: ErrorBody, 423: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const body = request.body as LoginBody;
      const { token, principal } = await auth.login(db, {
        username: body.username,
        password: body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        sessionHours: deps.sessionHours,
      });
      setSessionCookie(request, reply, token, deps.sessionHours);
      return auth.getMe(db, principal);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { public: true }, schema: { tags, summary: 'End the current session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      if (request.principal) await auth.logout(db, request.principal);
      clearSessionCookie(reply);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags,
        summary: 'The current user, their posts, permissions and modules',
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => auth.getMe(db, request.ctx().principal),
  );

  app.patch(
    '/api/auth/me',
    {
      schema: {
        tags,
        summary: 'Change own display name or language',
        body: UpdateMeBody,
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => auth.updateMe(db, request.ctx(), request.body as UpdateMeBody),
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags,
        summary: 'Change own password',
        body: PasswordBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await auth.changePassword(db, request.ctx(), request.body as PasswordBody);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/tokens',
    { schema: { tags, summary: 'Own API tokens', response: { 200: Items(ApiToken), ...errorResponses } } },
    async (request) => ({ items: await auth.listApiTokens(db, request.ctx()) }),
  );

  app.post(
    '/api/auth/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token for a machine client (shown once)',
        body: CreateTokenBody,
        response: { 201: CreatedToken, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await auth.createApiToken(db, request.ctx(), request.body as CreateTokenBody)),
  );

  app.delete(
    '/api/auth/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API token',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await auth.revokeApiToken(db, request.ctx(), (request.params as { id: number }).id);
      return reply.status(204).send();
    },
  );
}
