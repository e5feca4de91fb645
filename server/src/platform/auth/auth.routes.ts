import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../db/client.js';
import { clearSessionCookie, setSessionCookie } from '../http/auth.plugin.js';
import { ErrorBody, errorResponses, IdParams, Items } from '../http/schemas.js';
import {
  ApiToken,
  ConfirmPasswordBody,
  CreatedToken,
  CreateTokenBody,
  LoginBody,
  Me,
  PasswordBody,
  UpdateMeBody,
} from './auth.schemas.js';
import * as auth from './auth.service.js';

export type AuthRouteDeps = {
  db: Db;
  sessionHours: number;
  loginRateLimit: number;
  /** How long a password entered at a session allows creating API tokens. */
  passwordConfirmMinutes: number;
};

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
      config: { duringPasswordChange: true },
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
      config: { sessionOnly: true, duringPasswordChange: true },
      schema: {
        tags,
        summary: 'Change own display name or language (only the language while the password must be changed)',
        body: UpdateMeBody,
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => auth.updateMe(db, request.ctx(), request.body as UpdateMeBody),
  );

  app.delete(
    '/api/auth/me/notice',
    {
      config: { sessionOnly: true },
      schema: { tags, summary: 'Mark the notice of `me` as read', response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      await auth.dismissNotice(db, request.ctx());
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { sessionOnly: true, duringPasswordChange: true },
      schema: {
        tags,
        summary: 'Change own password (ends the other sessions; a wrong current password counts toward the lockout)',
        body: PasswordBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await auth.changePassword(db, request.ctx(), request.body as PasswordBody);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/confirm-password',
    {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: `Enter the password again, which lets this session create API tokens for ${deps.passwordConfirmMinutes} minutes`,
        body: ConfirmPasswordBody,
        response: { 204: Type.Null(), 423: ErrorBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      await auth.confirmPassword(db, request.ctx(), (request.body as ConfirmPasswordBody).password);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/tokens',
    {
      config: { sessionOnly: true },
      schema: { tags, summary: 'Own API tokens', response: { 200: Items(ApiToken), ...errorResponses } },
    },
    async (request) => ({ items: await auth.listApiTokens(db, request.ctx()) }),
  );

  app.post(
    '/api/auth/tokens',
    {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: `Create an API token for a machine client (shown once); needs the password entered at this session in the last ${deps.passwordConfirmMinutes} minutes`,
        body: CreateTokenBody,
        response: { 201: CreatedToken, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await auth.createApiToken(db, request.ctx(), request.body as CreateTokenBody, {
          confirmMinutes: deps.passwordConfirmMinutes,
        }),
      ),
  );

  app.delete(
    '/api/auth/tokens/:id',
    {
      config: { sessionOnly: true },
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
