import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import {
  CurrentPatrol,
  Finding,
  FindingCaseCreate,
  FindingInput,
  PatrolDetail,
  PatrolEnd,
  PatrolListQuery,
  PatrolPage,
  PatrolStart,
} from './patrols.schemas.js';
import type { PatrolsDeps } from './patrols.service.js';
import * as patrols from './patrols.service.js';

/** The patrol log (巡查): start, findings (each may become a case), end; the area's patrols for the console. */
export async function patrolsRoutes(fastify: FastifyInstance, deps: PatrolsDeps): Promise<void> {
  patrols.registerPatrolAttachments();
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['visits'];

  app.post(
    '/api/patrols',
    {
      schema: {
        tags,
        summary: 'Start a patrol (201); the same clientId again gives the stored one back (200)',
        body: PatrolStart,
        response: { 200: PatrolDetail, 201: PatrolDetail, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await patrols.startPatrol(deps, req.ctx(), req.body);
      return reply.status(r.duplicate ? 200 : 201).send(r.patrol);
    },
  );
  app.get(
    '/api/patrols/current',
    {
      schema: {
        tags,
        summary: 'The caller’s patrol under way, or null',
        response: { 200: CurrentPatrol, ...errorResponses },
      },
    },
    async (req) => patrols.currentPatrol(deps, req.ctx()),
  );
  app.post(
    '/api/patrols/:id/end',
    {
      schema: {
        tags,
        summary: 'End one’s patrol with a note and the sampled track',
        params: IdParams,
        body: PatrolEnd,
        response: { 200: PatrolDetail, ...errorResponses },
      },
    },
    async (req) => patrols.endPatrol(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/patrols/:id/findings',
    {
      schema: {
        tags,
        summary: 'Record a finding (201), optionally reported as a case at once; same clientId again → 200',
        params: IdParams,
        body: FindingInput,
        response: { 200: Finding, 201: Finding, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await patrols.addFinding(deps, req.ctx(), req.params.id, req.body);
      return reply.status(r.duplicate ? 200 : 201).send(r.finding);
    },
  );
  app.post(
    '/api/patrols/findings/:id/case',
    {
      schema: {
        tags,
        summary: 'Open a case (source patrol) from a finding, once',
        params: IdParams,
        body: FindingCaseCreate,
        response: { 201: Finding, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await patrols.findingCase(deps, req.ctx(), req.params.id, req.body)),
  );
  app.get(
    '/api/patrols',
    {
      schema: {
        tags,
        summary: 'Patrols of the area (and one’s own), newest first',
        querystring: PatrolListQuery,
        response: { 200: PatrolPage, ...errorResponses },
      },
    },
    async (req) => patrols.listPatrols(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/patrols/:id',
    {
      schema: {
        tags,
        summary: 'One patrol with its findings, photos, cases and track',
        params: IdParams,
        response: { 200: PatrolDetail, ...errorResponses },
      },
    },
    async (req) => patrols.getPatrol(deps, req.ctx(), req.params.id),
  );
}
