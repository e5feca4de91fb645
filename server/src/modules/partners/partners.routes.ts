import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import * as claims from './claims.service.js';
import * as orgs from './orgs.service.js';
import {
  Claim,
  ClaimCreate,
  Delivery,
  DeliveryCreate,
  DeliveryListQuery,
  DeliveryPage,
  DeliveryReview,
  Org,
  OrgApply,
  OrgCreate,
  OrgListQuery,
  OrgPage,
  OrgReview,
  OrgSuspend,
  PartnerMe,
  PartnerProjects,
  Project,
  ProjectCreate,
  ProjectDetail,
  ProjectListQuery,
  ProjectPage,
  ProjectPatch,
  PublicNotice,
  PublicQuery,
} from './partners.schemas.js';
import type { PartnersDeps } from './partners.view.js';
import * as projects from './projects.service.js';
import { publicNotice } from './public.service.js';

/**
 * Partners (红色合伙人): the partner's own routes under /api/partner, the community's under /api/partners, and the
 * public notice /api/public/partners (no login, rate-limited).
 */
export async function partnersRoutes(fastify: FastifyInstance, deps: PartnersDeps): Promise<void> {
  claims.registerDeliveryAttachments();
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['partners'];
  const created = { 201: Org, ...errorResponses };

  // ---- the partner's side ----
  app.post(
    '/api/partner/apply',
    { schema: { tags, summary: 'Apply for one’s organisation (status applied)', body: OrgApply, response: created } },
    async (req, reply) => reply.status(201).send(await orgs.applyOrg(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/partner/me',
    {
      schema: {
        tags,
        summary: 'One’s organisations, their claims, the places one may apply for',
        response: { 200: PartnerMe, ...errorResponses },
      },
    },
    async (req) => claims.partnerMe(deps, req.ctx()),
  );
  app.get(
    '/api/partner/projects',
    {
      schema: {
        tags,
        summary: 'Open projects of one’s area',
        response: { 200: PartnerProjects, ...errorResponses },
      },
    },
    async (req) => claims.partnerProjects(deps, req.ctx()),
  );
  app.post(
    '/api/partner/projects/:id/claim',
    {
      schema: {
        tags,
        summary: 'Claim a project for one’s approved organisation',
        params: IdParams,
        body: ClaimCreate,
        response: { 201: Claim, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await claims.claimProject(deps, req.ctx(), req.params.id, req.body)),
  );
  app.post(
    '/api/partner/claims/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a claim before any delivery',
        params: IdParams,
        response: { 200: Claim, ...errorResponses },
      },
    },
    async (req) => claims.withdrawClaim(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/partner/claims/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'Record a delivery of a claim, with photos (file ids)',
        params: IdParams,
        body: DeliveryCreate,
        response: { 201: Delivery, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await claims.addDelivery(deps, req.ctx(), req.params.id, req.body)),
  );

  // ---- the community's side ----
  app.get(
    '/api/partners/orgs',
    {
      schema: {
        tags,
        summary: 'Partner organisations of the area',
        querystring: OrgListQuery,
        response: { 200: OrgPage, ...errorResponses },
      },
    },
    async (req) => orgs.listOrgs(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/partners/orgs',
    { schema: { tags, summary: 'Register an organisation (approved)', body: OrgCreate, response: created } },
    async (req, reply) => reply.status(201).send(await orgs.createOrg(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/partners/orgs/:id',
    { schema: { tags, summary: 'One organisation', params: IdParams, response: { 200: Org, ...errorResponses } } },
    async (req) => orgs.getOrg(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/partners/orgs/:id/review',
    {
      schema: {
        tags,
        summary: 'Approve or reject an application',
        params: IdParams,
        body: OrgReview,
        response: { 200: Org, ...errorResponses },
      },
    },
    async (req) => orgs.reviewOrg(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/partners/orgs/:id/suspend',
    {
      schema: {
        tags,
        summary: 'Suspend an approved organisation',
        params: IdParams,
        body: OrgSuspend,
        response: { 200: Org, ...errorResponses },
      },
    },
    async (req) => orgs.suspendOrg(deps, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/partners/projects',
    {
      schema: {
        tags,
        summary: 'Projects of the area, open first',
        querystring: ProjectListQuery,
        response: { 200: ProjectPage, ...errorResponses },
      },
    },
    async (req) => projects.listProjects(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/partners/projects',
    {
      schema: {
        tags,
        summary: 'Publish a project',
        body: ProjectCreate,
        response: { 201: Project, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await projects.createProject(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/partners/projects/:id',
    {
      schema: {
        tags,
        summary: 'One project with its claims and deliveries',
        params: IdParams,
        response: { 200: ProjectDetail, ...errorResponses },
      },
    },
    async (req) => projects.getProject(deps, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/partners/projects/:id',
    {
      schema: {
        tags,
        summary: 'Edit a project',
        params: IdParams,
        body: ProjectPatch,
        response: { 200: ProjectDetail, ...errorResponses },
      },
    },
    async (req) => projects.patchProject(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/partners/projects/:id/close',
    {
      schema: {
        tags,
        summary: 'Close a project to new claims',
        params: IdParams,
        response: { 200: ProjectDetail, ...errorResponses },
      },
    },
    async (req) => projects.closeProject(deps, req.ctx(), req.params.id),
  );
  app.get(
    '/api/partners/deliveries',
    {
      schema: {
        tags,
        summary: 'Deliveries of the area’s projects, newest first',
        querystring: DeliveryListQuery,
        response: { 200: DeliveryPage, ...errorResponses },
      },
    },
    async (req) => claims.listDeliveries(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/partners/deliveries/:id/review',
    {
      schema: {
        tags,
        summary: 'Confirm (crediting the project’s reward points) or reject a delivery',
        params: IdParams,
        body: DeliveryReview,
        response: { 200: Delivery, ...errorResponses },
      },
    },
    async (req) => claims.reviewDelivery(deps, req.ctx(), req.params.id, req.body),
  );

  // ---- the public notice ----
  app.get(
    '/api/public/partners',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'The public notice of an area’s partners and their confirmed work (no login; no personal data)',
        querystring: PublicQuery,
        response: { 200: PublicNotice, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return publicNotice(deps.db, req.query.nodeId);
    },
  );
}
