import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody, errorResponses, Id, IdParams, Items, Paged, Strict } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import * as households from './households.service.js';
import * as houses from './houses.service.js';
import { meRoutes } from './me.routes.js';
import { moveInRoutes } from './move-in.routes.js';
import { MoveInSubmitted } from './move-in.schemas.js';
import {
  AddMemberBody,
  BuildingMap,
  ContactBody,
  CreateHouseBody,
  CreateHouseholdBody,
  CreateResidentBody,
  HouseDetail,
  Household,
  LeaveBody,
  ResidentDetail,
  ResidentPage,
  ResidentsQuery,
  RevealResidentBody,
  SetTagBody,
  Tag,
  TagBody,
  UpdateHouseBody,
  UpdateResidentBody,
  UpdateTagBody,
} from './people.schemas.js';
import type { PeopleDeps } from './people.service.js';
import * as residents from './residents.service.js';
import * as tags from './tags.service.js';

const TagParams = Strict({ id: Id, tagId: Id });
const ContactParams = Strict({ id: Id, contactId: Id });

export async function peopleRoutes(fastify: FastifyInstance, deps: PeopleDeps & { jobs: Jobs }): Promise<void> {
  await moveInRoutes(fastify, deps);
  // Ages move with the calendar: derived tags (高龄, 未成年人 …) are recomputed once a day (Asia/Shanghai). main.ts
  // checks at start; this job checks hourly, on one server of several; the day's mark makes repeats no-ops.
  deps.jobs.register({
    name: 'people.refresh_derived_tags',
    schema: Type.Object({}),
    handler: async () => {
      const r = await tags.refreshDerivedTagsDaily(deps.db);
      if (r) fastify.log.info(r, 'derived tags refreshed for the day');
    },
  });
  await deps.jobs.schedule('people.refresh_derived_tags', '7 * * * *');
  await meRoutes(fastify, deps);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags_ = ['people'];
  const detail = { 200: ResidentDetail, ...errorResponses };

  app.get(
    '/api/people/residents',
    {
      schema: {
        tags: tags_,
        summary: 'Find residents (name, pinyin, initials, ID, phone, tags, age, place)',
        querystring: ResidentsQuery,
        response: { 200: ResidentPage, ...errorResponses },
      },
    },
    async (req) => residents.searchResidents(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/people/residents',
    {
      schema: {
        tags: tags_,
        summary: 'Register a resident (202: registered elsewhere, submitted for review as a move-in request)',
        body: CreateResidentBody,
        response: { 201: ResidentDetail, 202: MoveInSubmitted, 429: ErrorBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const result = await residents.createResident(deps, req.ctx(), req.body);
      return 'status' in result && result.status === 'review'
        ? reply.status(202).send(result)
        : reply.status(201).send(result);
    },
  );
  app.get(
    '/api/people/residents/:id',
    {
      schema: {
        tags: tags_,
        summary: 'A resident with household, contacts and history',
        params: IdParams,
        response: detail,
      },
    },
    async (req) => residents.getResident(deps, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/people/residents/:id',
    {
      schema: {
        tags: tags_,
        summary: 'Change a resident’s facts',
        params: IdParams,
        body: UpdateResidentBody,
        response: detail,
      },
    },
    async (req) => residents.updateResident(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/people/residents/:id/leave',
    {
      schema: {
        tags: tags_,
        summary: 'Record a move out or a death',
        params: IdParams,
        body: LeaveBody,
        response: detail,
      },
    },
    async (req) => residents.recordLeave(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/people/residents/:id/tags',
    {
      schema: {
        tags: tags_,
        summary: 'Set a tag by hand, with a reason',
        params: IdParams,
        body: SetTagBody,
        response: detail,
      },
    },
    async (req) => residents.setResidentTag(deps, req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/people/residents/:id/tags/:tagId',
    { schema: { tags: tags_, summary: 'Remove a hand-set tag', params: TagParams, response: detail } },
    async (req) => residents.removeResidentTag(deps, req.ctx(), req.params.id, req.params.tagId),
  );
  app.post(
    '/api/people/residents/:id/contacts',
    { schema: { tags: tags_, summary: 'Add a family contact', params: IdParams, body: ContactBody, response: detail } },
    async (req) => residents.addContact(deps, req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/people/residents/:id/contacts/:contactId',
    { schema: { tags: tags_, summary: 'Remove a family contact', params: ContactParams, response: detail } },
    async (req) => residents.removeContact(deps, req.ctx(), req.params.id, req.params.contactId),
  );
  app.post(
    '/api/people/residents/:id/reveal',
    {
      schema: {
        tags: tags_,
        summary: 'Show the ID or phone number in full (audited)',
        params: IdParams,
        body: RevealResidentBody,
        response: { 200: Type.Object({ value: Type.String() }), ...errorResponses },
      },
    },
    async (req) => residents.revealResidentField(deps, req.ctx(), req.params.id, req.body),
  );

  app.post(
    '/api/people/households',
    {
      schema: {
        tags: tags_,
        summary: 'Create a household',
        body: CreateHouseholdBody,
        response: { 201: Household, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await households.createHousehold(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/people/households/:id',
    {
      schema: {
        tags: tags_,
        summary: 'A household and its members',
        params: IdParams,
        response: { 200: Household, ...errorResponses },
      },
    },
    async (req) => households.getHousehold(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/people/households/:id/members',
    {
      schema: {
        tags: tags_,
        summary: 'Put a person into the household (or make them its head)',
        params: IdParams,
        body: AddMemberBody,
        response: { 200: Household, ...errorResponses },
      },
    },
    async (req) => households.addHouseholdMember(deps, req.ctx(), req.params.id, req.body),
  );

  app.post(
    '/api/people/houses',
    {
      schema: {
        tags: tags_,
        summary: 'Register a house (room)',
        body: CreateHouseBody,
        response: { 201: HouseDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await houses.createHouse(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/people/houses/:id',
    {
      schema: {
        tags: tags_,
        summary: 'A house with households and residents',
        params: IdParams,
        response: { 200: HouseDetail, ...errorResponses },
      },
    },
    async (req) => houses.getHouse(deps, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/people/houses/:id',
    {
      schema: {
        tags: tags_,
        summary: 'Change use, floor, area',
        params: IdParams,
        body: UpdateHouseBody,
        response: { 200: HouseDetail, ...errorResponses },
      },
    },
    async (req) => houses.updateHouse(deps, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/people/buildings/:id/map',
    {
      schema: {
        tags: tags_,
        summary: 'Building map: units × floors × rooms',
        params: IdParams,
        response: { 200: BuildingMap, ...errorResponses },
      },
    },
    async (req) => houses.getBuildingMap(deps, req.ctx(), req.params.id),
  );

  app.get(
    '/api/people/tags',
    {
      schema: {
        tags: tags_,
        summary: 'Tag dictionary with holders in scope',
        response: { 200: Items(Tag), ...errorResponses },
      },
    },
    async (req) => ({ items: await tags.listTagsFor(deps.db, req.ctx()) }),
  );
  app.post(
    '/api/people/tags',
    {
      schema: {
        tags: tags_,
        summary: 'Add a tag (optionally derived by a rule)',
        body: TagBody,
        response: { 201: Tag, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tags.createTag(deps.db, req.ctx(), req.body)),
  );
  app.patch(
    '/api/people/tags/:id',
    {
      schema: {
        tags: tags_,
        summary: 'Change a tag or its rule',
        params: IdParams,
        body: UpdateTagBody,
        response: { 200: Tag, ...errorResponses },
      },
    },
    async (req) => tags.updateTag(deps.db, req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/people/tags/:id',
    {
      schema: {
        tags: tags_,
        summary: 'Delete an unused tag',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await tags.deleteTag(deps.db, req.ctx(), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/people/tags/refresh',
    {
      schema: {
        tags: tags_,
        summary: 'Recompute every derived tag now',
        response: { 200: Type.Object({ added: Type.Integer(), removed: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => tags.refreshAllDerivedTags(deps.db, req.ctx()),
  );
}
