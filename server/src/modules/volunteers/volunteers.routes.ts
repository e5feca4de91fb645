import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, IdParams, Items, Nullable } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { registerActivityJobs } from './activities.jobs.js';
import * as activities from './activities.service.js';
import { registerVolunteerNotifications } from './volunteers.notify.js';
import {
  Activity,
  ActivityCreate,
  ActivityListQuery,
  ActivityPage,
  ActivityPatch,
  Attendance,
  CheckinBody,
  CheckinCode,
  MemberAdd,
  MemberParams,
  MyActivitiesQuery,
  MyActivity,
  ResidentIdParams,
  SelfEnrol,
  Signup,
  Team,
  TeamCreate,
  TeamDetail,
  TeamListQuery,
  TeamPatch,
  Volunteer,
  VolunteerEnrol,
  VolunteerListQuery,
  VolunteerPage,
  VolunteerPatch,
} from './volunteers.schemas.js';
import * as volunteers from './volunteers.service.js';

/** Volunteer teams, volunteers, activities (organisers) and the resident's own (/api/me/volunteer, /api/me/activities). */
export async function volunteersRoutes(fastify: FastifyInstance, deps: { db: Db; jobs: Jobs }): Promise<void> {
  registerVolunteerNotifications();
  await registerActivityJobs(deps.jobs, deps.db, fastify.log);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['volunteers'];
  const d = { db: deps.db };

  // ---- teams ----
  app.get(
    '/api/volunteers/teams',
    {
      schema: {
        tags,
        summary: 'Teams of the area',
        querystring: TeamListQuery,
        response: { 200: Items(Team), ...errorResponses },
      },
    },
    async (req) => volunteers.listTeams(d, req.ctx(), req.query),
  );
  app.post(
    '/api/volunteers/teams',
    { schema: { tags, summary: 'Create a team', body: TeamCreate, response: { 201: TeamDetail, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await volunteers.createTeam(d, req.ctx(), req.body)),
  );
  app.get(
    '/api/volunteers/teams/:id',
    {
      schema: {
        tags,
        summary: 'A team with its members',
        params: IdParams,
        response: { 200: TeamDetail, ...errorResponses },
      },
    },
    async (req) => volunteers.getTeam(d, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/volunteers/teams/:id',
    {
      schema: {
        tags,
        summary: 'Change a team (name, kind, description, leader, active)',
        params: IdParams,
        body: TeamPatch,
        response: { 200: TeamDetail, ...errorResponses },
      },
    },
    async (req) => volunteers.updateTeam(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/volunteers/teams/:id/members',
    {
      schema: {
        tags,
        summary: 'Add an enrolled volunteer to a team',
        params: IdParams,
        body: MemberAdd,
        response: { 200: TeamDetail, ...errorResponses },
      },
    },
    async (req) => volunteers.addMember(d, req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/volunteers/teams/:id/members/:residentId',
    {
      schema: {
        tags,
        summary: 'Take a volunteer out of a team',
        params: MemberParams,
        response: { 200: TeamDetail, ...errorResponses },
      },
    },
    async (req) => volunteers.removeMember(d, req.ctx(), req.params.id, req.params.residentId),
  );

  // ---- volunteers ----
  app.get(
    '/api/volunteers',
    {
      schema: {
        tags,
        summary: 'Volunteers of the area (skills, kind, teams, attendance and no-shows)',
        querystring: VolunteerListQuery,
        response: { 200: VolunteerPage, ...errorResponses },
      },
    },
    async (req) => volunteers.listVolunteers(d, req.ctx(), req.query),
  );
  app.post(
    '/api/volunteers',
    {
      schema: {
        tags,
        summary: 'Enrol a resident',
        body: VolunteerEnrol,
        response: { 201: Volunteer, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await volunteers.enrolVolunteer(d, req.ctx(), req.body)),
  );
  app.patch(
    '/api/volunteers/:residentId',
    {
      schema: {
        tags,
        summary: 'Change a volunteer (skills, available, kind, left)',
        params: ResidentIdParams,
        body: VolunteerPatch,
        response: { 200: Volunteer, ...errorResponses },
      },
    },
    async (req) => volunteers.updateVolunteer(d, req.ctx(), req.params.residentId, req.body),
  );

  // ---- activities (organisers) ----
  app.get(
    '/api/volunteers/activities',
    {
      schema: {
        tags,
        summary: 'Activities of the area, latest start first',
        querystring: ActivityListQuery,
        response: { 200: ActivityPage, ...errorResponses },
      },
    },
    async (req) => activities.listActivities(d, req.ctx(), req.query),
  );
  app.post(
    '/api/volunteers/activities',
    {
      schema: {
        tags,
        summary: 'Publish an activity',
        body: ActivityCreate,
        response: { 201: Activity, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await activities.createActivity(d, req.ctx(), req.body)),
  );
  app.get(
    '/api/volunteers/activities/:id',
    { schema: { tags, summary: 'One activity', params: IdParams, response: { 200: Activity, ...errorResponses } } },
    async (req) => activities.getActivity(d, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/volunteers/activities/:id',
    {
      schema: {
        tags,
        summary: 'Change a published activity',
        params: IdParams,
        body: ActivityPatch,
        response: { 200: Activity, ...errorResponses },
      },
    },
    async (req) => activities.updateActivity(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/volunteers/activities/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an activity (those signed up are told)',
        params: IdParams,
        response: { 200: Activity, ...errorResponses },
      },
    },
    async (req) => activities.cancelActivity(d, req.ctx(), req.params.id),
  );
  app.get(
    '/api/volunteers/activities/:id/signups',
    {
      schema: {
        tags,
        summary: 'Sign-ups with check-in and credit',
        params: IdParams,
        response: { 200: Items(Signup), ...errorResponses },
      },
    },
    async (req) => activities.listSignups(d, req.ctx(), req.params.id),
  );
  app.post(
    '/api/volunteers/activities/:id/attendance',
    {
      schema: {
        tags,
        summary: 'Mark a sign-up present or absent',
        params: IdParams,
        body: Attendance,
        response: { 200: Signup, ...errorResponses },
      },
    },
    async (req) => activities.markAttendance(d, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/volunteers/activities/:id/checkin-code',
    {
      schema: {
        tags,
        summary: 'The check-in code shown now (changes every 2 minutes)',
        params: IdParams,
        response: { 200: CheckinCode, ...errorResponses },
      },
    },
    async (req) => activities.checkinCode(d, req.ctx(), req.params.id),
  );

  // ---- the resident's own ----
  app.get(
    '/api/me/volunteer',
    {
      schema: {
        tags,
        summary: 'The caller’s volunteer record, or null',
        response: { 200: Type.Object({ volunteer: Nullable(Volunteer) }), ...errorResponses },
      },
    },
    async (req) => volunteers.myVolunteer(d, req.ctx()),
  );
  app.post(
    '/api/me/volunteer',
    {
      schema: {
        tags,
        summary: 'Enrol oneself as a volunteer (201), or update one’s skills and kind (200)',
        body: SelfEnrol,
        response: { 200: Volunteer, 201: Volunteer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await volunteers.enrolSelf(d, req.ctx(), req.body);
      return reply.status(r.created ? 201 : 200).send(r.volunteer);
    },
  );
  app.get(
    '/api/me/activities',
    {
      schema: {
        tags,
        summary: 'Open activities of one’s place (places left), or one’s own with their status',
        querystring: MyActivitiesQuery,
        response: { 200: Items(MyActivity), ...errorResponses },
      },
    },
    async (req) => activities.myActivities(d, req.ctx(), req.query),
  );
  app.get(
    '/api/me/activities/:id',
    {
      schema: {
        tags,
        summary: 'One activity as the resident sees it',
        params: IdParams,
        response: { 200: MyActivity, ...errorResponses },
      },
    },
    async (req) => activities.getMyActivity(d, req.ctx(), req.params.id),
  );
  app.post(
    '/api/me/activities/:id/signup',
    {
      schema: { tags, summary: 'Sign up', params: IdParams, response: { 200: MyActivity, ...errorResponses } },
    },
    async (req) => activities.signUp(d, req.ctx(), req.params.id),
  );
  app.delete(
    '/api/me/activities/:id/signup',
    {
      schema: {
        tags,
        summary: 'Withdraw one’s sign-up',
        params: IdParams,
        response: { 200: MyActivity, ...errorResponses },
      },
    },
    async (req) => activities.withdraw(d, req.ctx(), req.params.id),
  );
  app.post(
    '/api/me/activities/:id/checkin',
    {
      schema: {
        tags,
        summary: 'Check in with the organiser’s code',
        params: IdParams,
        body: CheckinBody,
        response: { 200: MyActivity, ...errorResponses },
      },
    },
    async (req) => activities.checkIn(d, req.ctx(), req.params.id, req.body),
  );
}
