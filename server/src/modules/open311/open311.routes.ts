import { parse as parseForm } from 'node:querystring';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, formatError } from '../../platform/errors/errors.js';
import { errorResponses, IdParams, Items } from '../../platform/http/schemas.js';
import {
  describeOpen311Error,
  discoveryXml,
  errorsXml,
  type Format,
  Open311Error,
  type Open311ErrorItem,
  postAnswerXml,
  requestsXml,
  serviceDefinitionXml,
  servicesXml,
  tokensXml,
} from './open311.logic.js';
import { CreatedOpen311Client, CreateOpen311ClientBody, Open311Client } from './open311.schemas.js';
import * as svc from './open311.service.js';

export const OPEN311_PREFIX = '/open311/v2';
const FORMATS: Format[] = ['json', 'xml'];

/** `name.json` / `name.xml` → [name, format]; anything else is not an Open311 document. */
function splitFile(file: string): [string, Format] {
  const dot = file.lastIndexOf('.');
  const ext = dot > 0 ? file.slice(dot + 1) : '';
  if (ext !== 'json' && ext !== 'xml') throw new Open311Error('FORMAT_UNSUPPORTED');
  return [decodeURIComponent(file.slice(0, dot)), ext];
}

function formatOfUrl(url: string): Format {
  return /\.xml(\?|$)/.test(url) ? 'xml' : 'json';
}

function sendDoc(reply: FastifyReply, format: Format, json: unknown, xml: () => string, status = 200) {
  reply.status(status).header('cache-control', 'no-store');
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(xml());
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(json));
}

function sendErrors(reply: FastifyReply, format: Format, status: number, description: string) {
  const items: Open311ErrorItem[] = [{ code: status, description }];
  return sendDoc(reply, format, items, () => errorsXml(items), status);
}

/** Any failure as Open311's error document, with its HTTP status; 5xx details only in the log. */
function handleError(err: FastifyError | AppError | Open311Error, request: FastifyRequest, reply: FastifyReply) {
  const format = formatOfUrl(request.url);
  const locale = request.locale;
  if (err instanceof Open311Error) {
    if (err.status >= 500) request.log.error({ err }, 'open311 error');
    const e = err.status >= 500 ? new Open311Error('INTERNAL', { id: request.id }) : err;
    return sendErrors(reply, format, err.status, describeOpen311Error(e, locale));
  }
  if (err instanceof AppError) {
    if (err.status >= 500) {
      request.log.error({ err, cause: err.cause }, 'open311 service error');
      return sendErrors(
        reply,
        format,
        500,
        describeOpen311Error(new Open311Error('INTERNAL', { id: request.id }), locale),
      );
    }
    const text =
      err.code === 'ORIGIN_REFUSED'
        ? describeOpen311Error(new Open311Error('ORIGIN_REFUSED'), locale)
        : formatError(err.code, locale, err.params);
    return sendErrors(reply, format, err.status, text);
  }
  const fe = err as FastifyError;
  const as = (key: ConstructorParameters<typeof Open311Error>[0], params: Record<string, string> = {}) => {
    const e = new Open311Error(key, params);
    return sendErrors(reply, format, e.status, describeOpen311Error(e, locale));
  };
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return as('BODY_TOO_LARGE');
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return as('BODY_UNSUPPORTED');
  if (
    fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    err instanceof SyntaxError
  ) {
    return as('PARAM_INVALID', { param: 'body', detail: 'JSON' });
  }
  if (fe.statusCode === 429) return as('RATE_LIMITED');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return sendErrors(reply, format, fe.statusCode, fe.message);
  request.log.error({ err }, 'open311 unhandled error');
  return as('INTERNAL', { id: request.id });
}

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  return b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

/**
 * Open311 GeoReport v2 at /open311/v2/ (register with that prefix). Outside /api, so the session hook leaves it
 * alone: callers are servers that authenticate with an api_key per request, never a cookie. Encapsulated: its own
 * form-urlencoded body parser (the spec's POST), its own error and not-found answers in Open311's format.
 */
export async function open311Routes(app: FastifyInstance, deps: svc.Open311Deps): Promise<void> {
  // Form fields (the spec's POST) and JSON; a text body is no Open311 request.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendErrors(
      reply,
      formatOfUrl(request.url),
      404,
      describeOpen311Error(new Open311Error('NOT_FOUND'), request.locale),
    ),
  );
  const tags = ['open311'];

  for (const format of FORMATS) {
    app.get(`/discovery.${format}`, { schema: { tags, summary: 'Open311 discovery document' } }, async (req, reply) => {
      const doc = svc.getDiscovery(`${req.protocol}://${req.host}${OPEN311_PREFIX}/`);
      return sendDoc(reply, format, doc, () => discoveryXml(doc));
    });
    app.get(
      `/services.${format}`,
      { schema: { tags, summary: 'Open311 service list (public case categories)' } },
      async (req, reply) => {
        const items = await svc.listServices(deps.db, req.locale);
        return sendDoc(reply, format, items, () => servicesXml(items));
      },
    );
    app.get(
      `/requests.${format}`,
      { schema: { tags, summary: 'Open311 service requests in the api_key’s area (90 days, at most 1,000)' } },
      async (req, reply) => {
        const items = await svc.listRequests(deps.db, req.locale, req.query as Record<string, unknown>);
        return sendDoc(reply, format, items, () => requestsXml(items));
      },
    );
    app.post(
      `/requests.${format}`,
      {
        schema: { tags, summary: 'Open311: file a service request (a case) with an api_key' },
        config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        const items = await svc.postRequest(deps, { requestId: req.id, ip: req.ip, locale: req.locale }, bodyOf(req));
        return sendDoc(reply, format, items, () => postAnswerXml(items), 201);
      },
    );
  }
  app.get('/services/:file', { schema: { tags, summary: 'Open311 service definition' } }, async (req, reply) => {
    const [code, format] = splitFile((req.params as { file: string }).file);
    const def = await svc.getServiceDefinition(deps.db, code);
    return sendDoc(reply, format, def, () => serviceDefinitionXml(def));
  });
  app.get('/requests/:file', { schema: { tags, summary: 'Open311: one service request' } }, async (req, reply) => {
    const [id, format] = splitFile((req.params as { file: string }).file);
    const items = await svc.getRequest(deps.db, req.locale, id, (req.query as Record<string, unknown>).api_key);
    return sendDoc(reply, format, items, () => requestsXml(items));
  });
  app.get(
    '/tokens/:file',
    { schema: { tags, summary: 'Open311: the request a token stands for' } },
    async (req, reply) => {
      const [token, format] = splitFile((req.params as { file: string }).file);
      const items = await svc.getToken(deps.db, token, (req.query as Record<string, unknown>).api_key);
      return sendDoc(reply, format, items, () => tokensXml(items));
    },
  );
}

/** Open311 keys (cases.config, the system administrator's): list, create (the key shown once), revoke. */
export async function open311ClientRoutes(
  fastify: FastifyInstance,
  deps: { db: svc.Open311Deps['db'] },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];
  app.get(
    '/api/cases/open311-clients',
    {
      schema: {
        tags,
        summary: 'Open311 api keys (without the keys)',
        response: { 200: Items(Open311Client), ...errorResponses },
      },
    },
    async (req) => svc.listOpen311Clients(deps.db, req.ctx()),
  );
  app.post(
    '/api/cases/open311-clients',
    {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: 'A new Open311 api key for an area; the key is in this answer only; audited',
        body: CreateOpen311ClientBody,
        response: { 201: CreatedOpen311Client, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createOpen311Client(deps.db, req.ctx(), req.body)),
  );
  app.delete(
    '/api/cases/open311-clients/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an Open311 api key at once; audited',
        params: IdParams,
        response: { 200: Open311Client, ...errorResponses },
      },
    },
    async (req) => svc.revokeOpen311Client(deps.db, req.ctx(), req.params.id),
  );
}
