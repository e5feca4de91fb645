import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../access/context.js';
import type { Principal } from '../access/scope.js';
import { authenticateApiToken, authenticateSession } from '../auth/auth.service.js';
import type { Db } from '../db/client.js';
import { AppError, type Locale, pickLocale } from '../errors/errors.js';
import { isAcceptedContentType, isOwnOrigin, ownOrigin } from './origin.logic.js';

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
    /** Refused to API tokens with TOKEN_NOT_ALLOWED: the action needs a person at a session. */
    sessionOnly?: boolean;
    /** Open to an account that must change its password (every other route answers PASSWORD_CHANGE_REQUIRED). */
    duringPasswordChange?: boolean;
    /** Takes multipart/form-data uploads; every other route takes JSON bodies only. */
    uploads?: boolean;
    // devices [A]
    /** Authenticated by a device's own bearer token in the route (device ingest), not a user's. */
    deviceToken?: boolean;
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

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses cross-site state-changing requests (CSRF) and bodies other than JSON, before anything else looks at
 * the request: a state-changing request carrying the session cookie must come from Linli's own origin (or one
 * in `allowedOrigins`); one without a cookie or token that names a foreign `Origin` (a login from another
 * site) is refused too. Bearer-token clients send no cookie and need no `Origin`.
 * @throws ORIGIN_REFUSED, CONTENT_TYPE_UNSUPPORTED
 */
function checkRequestSource(request: FastifyRequest, allowed: ReadonlySet<string>): void {
  if (!STATE_CHANGING.has(request.method)) return;
  const hasCookie = request.cookies[SESSION_COOKIE] !== undefined;
  const origin = request.headers.origin;
  const isBearer = request.headers.authorization?.startsWith('Bearer ') === true;
  if (hasCookie || (origin !== undefined && !isBearer)) {
    const secFetchSite = request.headers['sec-fetch-site'];
    const ok = isOwnOrigin({
      origin,
      secFetchSite: typeof secFetchSite === 'string' ? secFetchSite : undefined,
      own: ownOrigin(request.protocol, request.host),
      allowed,
    });
    if (!ok) throw new AppError('ORIGIN_REFUSED');
  }
  if (!request.url.startsWith('/api/')) return;
  const length = Number(request.headers['content-length'] ?? 0);
  const hasBody = length > 0 || request.headers['transfer-encoding'] !== undefined;
  const uploads = request.routeOptions.config?.uploads === true;
  if (!isAcceptedContentType(request.headers['content-type'], hasBody, uploads)) {
    throw new AppError('CONTENT_TYPE_UNSUPPORTED');
  }
}

/**
 * Decides who is calling, before the body is even parsed: a session cookie or `Authorization: Bearer`
 * API token. API routes are closed unless they say `config: { public: true }`; routes marked `sessionOnly` are
 * closed to API tokens, and an account that must change its password reaches only routes marked
 * `duringPasswordChange`. Cross-site and non-JSON requests are refused first (`checkRequestSource`).
 */
export function registerAuth(
  app: FastifyInstance,
  deps: { db: Db; sessionHours: number; allowedOrigins?: readonly string[] },
): void {
  const allowed: ReadonlySet<string> = new Set(deps.allowedOrigins ?? []);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('principal', null);
  app.decorateRequest('ctx', function (this: FastifyRequest): Ctx {
    if (!this.principal) throw new AppError('AUTH_REQUIRED');
    return { principal: this.principal, requestId: this.id, ip: this.ip, locale: this.locale };
  });

  app.addHook('onRequest', async (request, reply) => {
    request.locale = pickLocale(request.cookies.linli_lang, request.headers['accept-language']);
    checkRequestSource(request, allowed);
    if (!request.url.startsWith('/api/')) return;
    const config = request.routeOptions.config;
    const isPublic = config?.public === true;
    // devices [A]: the device's token is checked by ingest itself
    if (config?.deviceToken === true) return;
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
    if (isPublic) return;
    const principal = request.principal;
    if (!principal) throw new AppError('AUTH_REQUIRED');
    if (principal.via === 'token' && config?.sessionOnly === true) throw new AppError('TOKEN_NOT_ALLOWED');
    if (principal.mustChangePassword && config?.duringPasswordChange !== true) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    }
  });
}
