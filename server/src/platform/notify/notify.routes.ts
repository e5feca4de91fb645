import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, IdParams, Items } from '../http/schemas.js';
import {
  Channel,
  ChannelBody,
  ChannelPatch,
  Delivery,
  InboxCount,
  InboxMessage,
  InboxPage,
  InboxQuery,
  Preferences,
  PreferencesBody,
  ReadAllResult,
} from './notify.schemas.js';
import * as notify from './notify.service.js';

/** 消息: every user's inbox and notification preferences; the channels system administrators configure. */
export async function notifyRoutes(fastify: FastifyInstance, deps: notify.NotifyDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['inbox'];

  app.get(
    '/api/inbox',
    {
      schema: {
        tags,
        summary: 'The caller’s messages, newest first',
        querystring: InboxQuery,
        response: { 200: InboxPage, ...errorResponses },
      },
    },
    async (req) => notify.listInbox(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/inbox/count',
    { schema: { tags, summary: 'Unread messages', response: { 200: InboxCount, ...errorResponses } } },
    async (req) => notify.countInbox(deps, req.ctx()),
  );
  app.post(
    '/api/inbox/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark a message read; returns it with its link if the caller may open the record',
        params: IdParams,
        response: { 200: InboxMessage, ...errorResponses },
      },
    },
    async (req) => notify.readMessage(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/inbox/read-all',
    { schema: { tags, summary: 'Mark every message read', response: { 200: ReadAllResult, ...errorResponses } } },
    async (req) => notify.readAllMessages(deps, req.ctx()),
  );
  app.get(
    '/api/inbox/preferences',
    {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: 'Which kinds reach the caller through which configured channel; quiet hours',
        response: { 200: Preferences, ...errorResponses },
      },
    },
    async (req) => notify.getPreferences(deps, req.ctx()),
  );
  app.put(
    '/api/inbox/preferences',
    {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: 'Replace the caller’s notification preferences',
        body: PreferencesBody,
        response: { 200: Preferences, ...errorResponses },
      },
    },
    async (req) => notify.savePreferences(deps, req.ctx(), req.body),
  );

  const admin = ['notify'];
  app.get(
    '/api/notify/channels',
    {
      schema: {
        tags: admin,
        summary: 'Notification channels (system administrators)',
        response: { 200: Items(Channel), ...errorResponses },
      },
    },
    async (req) => notify.listChannels(deps, req.ctx()),
  );
  app.post(
    '/api/notify/channels',
    {
      config: { sessionOnly: true },
      schema: {
        tags: admin,
        summary: 'Configure a webhook, SMS gateway or WeChat template channel (audited)',
        body: ChannelBody,
        response: { 200: Channel, ...errorResponses },
      },
    },
    async (req) => notify.createChannel(deps, req.ctx(), req.body),
  );
  app.patch(
    '/api/notify/channels/:id',
    {
      config: { sessionOnly: true },
      schema: {
        tags: admin,
        summary: 'Change a channel (audited; the secret only when given)',
        params: IdParams,
        body: ChannelPatch,
        response: { 200: Channel, ...errorResponses },
      },
    },
    async (req) => notify.updateChannel(deps, req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/notify/channels/:id',
    {
      config: { sessionOnly: true },
      schema: {
        tags: admin,
        summary: 'Remove a channel (audited)',
        params: IdParams,
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => {
      await notify.deleteChannel(deps, req.ctx(), req.params.id);
      return { ok: true };
    },
  );
  app.get(
    '/api/notify/channels/:id/deliveries',
    {
      schema: {
        tags: admin,
        summary: 'The channel’s latest deliveries with their log (queued, retrying, sent, failed)',
        params: IdParams,
        response: { 200: Items(Delivery), ...errorResponses },
      },
    },
    async (req) => notify.listDeliveries(deps, req.ctx(), req.params.id),
  );
}
