import { PassThrough } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { errorResponses } from '../http/schemas.js';
import { InboxMessage } from '../notify/notify.schemas.js';
import type { LiveHub } from './live.hub.js';

const LiveQuery = Type.Object(
  { lastEventId: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })) },
  { additionalProperties: false },
);

const Snapshot = Type.Object({
  unread: Type.Integer(),
  lastEventId: Type.Integer(),
  messages: Type.Array(InboxMessage),
});

/** `Last-Event-ID` as EventSource sends it on reconnecting (ignored unless a plain id). */
function lastEventIdOf(header: string | string[] | undefined, query: number | undefined): number | null {
  const h = Array.isArray(header) ? header[0] : header;
  if (h !== undefined && /^\d{1,15}$/.test(h)) return Number(h);
  return query ?? null;
}

/**
 * GET /api/live: server-sent events for the signed-in user (`inbox`, `count`, `hello`, `topic`). A client that
 * does not ask for `text/event-stream` gets one JSON snapshot instead (its unread count and the messages after
 * Last-Event-ID): a polling fallback, and a bounded answer for tools that wait for the end of a response.
 */
export async function liveRoutes(fastify: FastifyInstance, deps: { hub: LiveHub }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/live',
    {
      schema: {
        tags: ['live'],
        summary: 'Live updates (server-sent events with Accept: text/event-stream; otherwise a JSON snapshot)',
        querystring: LiveQuery,
        response: { 200: Snapshot, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = req.ctx();
      const lastEventId = lastEventIdOf(req.headers['last-event-id'], req.query.lastEventId);
      if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
        return deps.hub.snapshot(ctx, lastEventId);
      }
      const out = new PassThrough();
      req.raw.once('close', () => out.end());
      await deps.hub.attach(ctx, out, lastEventId);
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(out as unknown as Static<typeof Snapshot>);
    },
  );
}
