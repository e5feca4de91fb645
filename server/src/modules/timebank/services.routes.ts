import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses, IdParams, Items } from '../../platform/http/schemas.js';
import * as services from './services.service.js';
import {
  MyServiceCreate,
  PeopleQuery,
  PersonList,
  ServiceCreate,
  ServiceListQuery,
  ServiceRecord,
  ServiceReject,
} from './timebank.schemas.js';

/** Time-bank service records (存时间): recorded by a volunteer or a worker, confirmed by the person served or a worker. */
export async function timebankServicesRoutes(fastify: FastifyInstance, deps: services.TimebankDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['timebank'];

  app.post(
    '/api/me/timebank/services',
    {
      schema: {
        tags,
        summary: 'Record a service I gave as a volunteer (pending until the person served confirms it)',
        body: MyServiceCreate,
        response: { 201: ServiceRecord, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await services.recordMyService(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/me/timebank/people',
    {
      schema: {
        tags,
        summary: 'People of my community I may record a service to, by name (and room); names masked',
        querystring: PeopleQuery,
        response: { 200: PersonList, ...errorResponses },
      },
    },
    async (req) => services.findPeople(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/me/timebank/services/:id/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a service I received (or asked for): the hours go to the volunteer',
        params: IdParams,
        response: { 200: ServiceRecord, ...errorResponses },
      },
    },
    async (req) => services.decideMyService(deps, req.ctx(), req.params.id, services.confirmOf()),
  );
  app.post(
    '/api/me/timebank/services/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a service record about me, with a reason',
        params: IdParams,
        body: ServiceReject,
        response: { 200: ServiceRecord, ...errorResponses },
      },
    },
    async (req) => services.decideMyService(deps, req.ctx(), req.params.id, services.rejectOf(req.body)),
  );
  app.post(
    '/api/timebank/services',
    {
      schema: {
        tags,
        summary: 'Record a service for a volunteer of the area (pending)',
        body: ServiceCreate,
        response: { 201: ServiceRecord, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await services.recordService(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/timebank/services',
    {
      schema: {
        tags,
        summary: 'Service records of the area, newest first',
        querystring: ServiceListQuery,
        response: { 200: Items(ServiceRecord), ...errorResponses },
      },
    },
    async (req) => services.listServices(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/timebank/services/:id/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a service record of the area (not one’s own as the volunteer)',
        params: IdParams,
        response: { 200: ServiceRecord, ...errorResponses },
      },
    },
    async (req) => services.decideService(deps, req.ctx(), req.params.id, services.confirmOf()),
  );
  app.post(
    '/api/timebank/services/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a service record of the area, with a reason',
        params: IdParams,
        body: ServiceReject,
        response: { 200: ServiceRecord, ...errorResponses },
      },
    },
    async (req) => services.decideService(deps, req.ctx(), req.params.id, services.rejectOf(req.body)),
  );
}
