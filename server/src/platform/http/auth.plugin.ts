import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../access/context.js';
import type { Principal } from '../access/scope.js';
import { authenticateApiToken, authenticateSession } from '../auth/auth.service.js';
import type { Db } from '../db/client.js';
import { AppError, type Locale, pickLocale } from '../errors/errors.js';

export const SESSION_COOKIE = 'linli_session';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    principal: Principal | null;
    /** The caller's context for a service call; throws AUTH_REQUIRED when nobody is logged in. */
    ctx(): Ctx;
  }
  interface FastifyContextConfig {
    /** Routes open without login (login itself, health checks). */
    public?: boolean;
  }
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, hours: number): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: hours * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/**
 * Decides who is calling, before the body is even parsed: a session cookie or `Authorization: Bearer`
 * API token. API routes are closed unless they say `config: { public: true }`.
 */
export function registerAuth(app: FastifyInstance, deps: { db: Db; sessionHours: number }): void {
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('principal', null);
  app.decorateRequest('ctx', function (this: FastifyRequest): Ctx {
    if (!this.principal) throw new AppError('AUTH_REQUIRED');
    return { principal: this.principal, requestId: this.id, ip: this.ip, locale: this.locale };
  });

  app.addHook('onRequest', async (request, reply) => {
    request.locale = pickLocale(request.cookies.linli_lang, request.headers['accept-language']);
    if (!request.url.startsWith('/api/')) return;
    const isPublic = request.routeOptions.config?.public === true;
    const auth = request.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      request.principal = await authenticateApiToken(deps.db, auth.slice(7).trim());
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        try {
          request.principal = await authenticateSession(deps.db, token, deps.sessionHours);
        } catch (err) {
          clearSessionCookie(reply);
          if (!isPublic) throw err;
        }
      }
    }
    if (!request.principal && !isPublic) throw new AppError('AUTH_REQUIRED');
  });
}
