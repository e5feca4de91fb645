import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import type { FilesService } from '../../platform/files/files.service.js';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { registerDeliberationHooks } from './deliberation.hooks.js';
import {
  BallotBody,
  BallotReceipt,
  CommentCreate,
  CommentReportBody,
  DecisionCaseBody,
  DecisionCreate,
  DecisionPatch,
  DecisionView,
  MeetingCreate,
  MeetingDetail,
  MeetingListQuery,
  MeetingPage,
  MeetingPatch,
  ModerationBody,
  ModerationQueue,
  MyVerification,
  ProposalCreate,
  TopicCloseBody,
  TopicCreate,
  TopicDetail,
  TopicListQuery,
  TopicPage,
  TopicReviewBody,
  VerificationDecisionBody,
  VerificationItem,
  VerificationListQuery,
  VerificationPage,
  VerificationRequestBody,
  VoteCreate,
} from './deliberation.schemas.js';
import * as svc from './deliberation.service.js';

/**
 * 议事协商: residents' side under /api/me/… (verification, topics, comments, proposals, supports, ballots) and the
 * console's under /api/deliberation/… (verifications, topics and their review, votes, moderation, meetings, decisions).
 */
export async function deliberationRoutes(
  fastify: FastifyInstance,
  deps: { db: Db; pii: PiiCipher; jobs: Jobs; files?: FilesService },
): Promise<void> {
  registerDeliberationHooks();
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['deliberation'];
  const db = deps.db;
  const r200 = <T extends object>(t: T) => ({ 200: t, ...errorResponses });

  // ---- residents (any signed-in account; taking part needs a verified one) ----
  app.get(
    '/api/me/verification',
    { schema: { tags, summary: 'The caller’s resident verification', response: r200(MyVerification) } },
    async (req) => svc.getMyVerification(db, req.ctx()),
  );
  app.post(
    '/api/me/verification',
    {
      schema: {
        tags,
        summary: 'Ask to be verified: ID number + phone matched against the people database',
        body: VerificationRequestBody,
        response: { 201: MyVerification, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.requestVerification(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/me/deliberation/topics',
    {
      schema: {
        tags,
        summary: 'Topics above the caller’s house',
        querystring: TopicListQuery,
        response: r200(TopicPage),
      },
    },
    async (req) => svc.listMyTopics(db, req.ctx(), req.query),
  );
  app.post(
    '/api/me/deliberation/topics',
    {
      schema: {
        tags,
        summary: 'Raise a topic (verified residents; waits for the community’s approval)',
        body: TopicCreate,
        response: { 201: TopicDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.raiseTopic(db, req.ctx(), req.body)),
  );
  app.get(
    '/api/me/deliberation/topics/:id',
    { schema: { tags, summary: 'A topic as a resident sees it', params: IdParams, response: r200(TopicDetail) } },
    async (req) => svc.getMyTopic(db, req.ctx(), req.params.id),
  );
  app.post(
    '/api/me/deliberation/topics/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comment (or reply)',
        params: IdParams,
        body: CommentCreate,
        response: { 201: TopicDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.postComment(db, req.ctx(), req.params.id, req.body)),
  );
  app.post(
    '/api/me/deliberation/comments/:id/reports',
    {
      schema: {
        tags,
        summary: 'Report a comment (hidden pending review after several reports)',
        params: IdParams,
        body: CommentReportBody,
        response: { 201: Type.Object({ reported: Type.Boolean(), hidden: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.reportComment(db, req.ctx(), req.params.id, req.body)),
  );
  app.post(
    '/api/me/deliberation/topics/:id/proposals',
    {
      schema: {
        tags,
        summary: 'Make a proposal',
        params: IdParams,
        body: ProposalCreate,
        response: { 201: TopicDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.postProposal(db, req.ctx(), req.params.id, req.body)),
  );
  app.post(
    '/api/me/deliberation/proposals/:id/supports',
    {
      schema: {
        tags,
        summary: 'Support a proposal (once)',
        params: IdParams,
        response: { 201: TopicDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.supportProposal(db, req.ctx(), req.params.id)),
  );
  app.post(
    '/api/me/deliberation/votes/:id/ballots',
    {
      schema: {
        tags,
        summary: 'Vote (one per resident or per household, as the vote says)',
        params: IdParams,
        body: BallotBody,
        response: { 201: BallotReceipt, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.castBallot(db, req.ctx(), req.params.id, req.body)),
  );

  // ---- console ----
  app.get(
    '/api/deliberation/verifications',
    {
      schema: {
        tags,
        summary: 'Verification requests (residents.verify)',
        querystring: VerificationListQuery,
        response: r200(VerificationPage),
      },
    },
    async (req) => svc.listVerifications(db, req.ctx(), req.query),
  );
  app.post(
    '/api/deliberation/verifications/:id/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject a verification request',
        params: IdParams,
        body: VerificationDecisionBody,
        response: r200(VerificationItem),
      },
    },
    async (req) => svc.decideVerification(db, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/deliberation/topics',
    { schema: { tags, summary: 'Topics of the area', querystring: TopicListQuery, response: r200(TopicPage) } },
    async (req) => svc.listTopics(db, req.ctx(), req.query),
  );
  app.post(
    '/api/deliberation/topics',
    {
      schema: {
        tags,
        summary: 'Open a topic of the community',
        body: TopicCreate,
        response: { 201: TopicDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createTopic(db, req.ctx(), req.body)),
  );
  app.get(
    '/api/deliberation/topics/:id',
    { schema: { tags, summary: 'A topic', params: IdParams, response: r200(TopicDetail) } },
    async (req) => svc.getTopic(db, req.ctx(), req.params.id),
  );
  app.post(
    '/api/deliberation/topics/:id/review',
    {
      schema: {
        tags,
        summary: 'Approve or reject a resident’s topic',
        params: IdParams,
        body: TopicReviewBody,
        response: r200(TopicDetail),
      },
    },
    async (req) => svc.reviewTopic(db, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/deliberation/topics/:id/close',
    {
      schema: {
        tags,
        summary: 'Close a topic with its outcome',
        params: IdParams,
        body: TopicCloseBody,
        response: r200(TopicDetail),
      },
    },
    async (req) => svc.closeTopic(db, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/deliberation/topics/:id/votes',
    {
      schema: {
        tags,
        summary: 'Open a vote on a topic',
        params: IdParams,
        body: VoteCreate,
        response: { 201: TopicDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createVote(db, req.ctx(), req.params.id, req.body)),
  );
  app.post(
    '/api/deliberation/votes/:id/close',
    { schema: { tags, summary: 'Close a vote (results become final)', params: IdParams, response: r200(TopicDetail) } },
    async (req) => svc.closeVote(db, req.ctx(), req.params.id),
  );
  app.get(
    '/api/deliberation/moderation',
    { schema: { tags, summary: 'Reported and hidden comments of the area', response: r200(ModerationQueue) } },
    async (req) => svc.getModerationQueue(db, req.ctx()),
  );
  app.post(
    '/api/deliberation/comments/:id/moderation',
    {
      schema: {
        tags,
        summary: 'Hide, restore or remove a comment',
        params: IdParams,
        body: ModerationBody,
        response: r200(Type.Object({ id: Type.Integer(), status: Type.Enum(['visible', 'hidden', 'removed']) })),
      },
    },
    async (req) => svc.moderateComment(db, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/deliberation/meetings',
    {
      schema: {
        tags,
        summary: 'Three-party meetings of the area',
        querystring: MeetingListQuery,
        response: r200(MeetingPage),
      },
    },
    async (req) => svc.listMeetings(db, req.ctx(), req.query),
  );
  app.post(
    '/api/deliberation/meetings',
    {
      schema: {
        tags,
        summary: 'Record a three-party meeting',
        body: MeetingCreate,
        response: { 201: MeetingDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createMeeting(db, req.ctx(), req.body)),
  );
  app.get(
    '/api/deliberation/meetings/:id',
    { schema: { tags, summary: 'A meeting with its decisions', params: IdParams, response: r200(MeetingDetail) } },
    async (req) => svc.getMeeting(db, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/deliberation/meetings/:id',
    {
      schema: {
        tags,
        summary: 'Agenda, attendance, minutes',
        params: IdParams,
        body: MeetingPatch,
        response: r200(MeetingDetail),
      },
    },
    async (req) => svc.updateMeeting(db, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/deliberation/meetings/:id/decisions',
    {
      schema: {
        tags,
        summary: 'Add a decision',
        params: IdParams,
        body: DecisionCreate,
        response: { 201: MeetingDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.addDecision(db, req.ctx(), req.params.id, req.body)),
  );
  app.patch(
    '/api/deliberation/decisions/:id',
    {
      schema: {
        tags,
        summary: 'Move a decision forward, record its outcome',
        params: IdParams,
        body: DecisionPatch,
        response: r200(DecisionView),
      },
    },
    async (req) => svc.updateDecision(db, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/deliberation/decisions/:id/case',
    {
      schema: {
        tags,
        summary: 'Open a case for a decision (cases module)',
        params: IdParams,
        body: DecisionCaseBody,
        response: { 201: DecisionView, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.openDecisionCase(deps, req.ctx(), req.params.id, req.body)),
  );
}
