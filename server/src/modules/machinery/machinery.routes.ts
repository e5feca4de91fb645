import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { contentDisposition } from '../reports/reports.logic.js';
import {
  Booking,
  BookingCreate,
  BookingList,
  BookingListQuery,
  CompleteBody,
  Demand,
  DemandCreate,
  DemandListQuery,
  DemandPage,
  DispatchBody,
  DispatchResult,
  IdParams,
  Machine,
  MachineCreate,
  MachineList,
  MachineListQuery,
  MachinePatch,
  MatchList,
  MyDemandCreate,
  MyDemandList,
  Owner,
  OwnerCreate,
  OwnerList,
  Stats,
  StatsQuery,
} from './machinery.schemas.js';
import * as svc from './machinery.service.js';
import { exportStats } from './machinery.xlsx.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: XLSX_TYPE });

/** Farm machinery sharing (农机共享): /api/machinery/… (services.read, services.manage) and /api/me/machinery/… */
export async function machineryRoutes(fastify: FastifyInstance, deps: { db: Db; pii: PiiCipher }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['machinery'];
  const d = { db: deps.db, pii: deps.pii };

  app.get(
    '/api/machinery/owners',
    { schema: { tags, summary: 'Machinery owners of the area', response: { 200: OwnerList, ...errorResponses } } },
    async (req) => svc.listOwners(d, req.ctx()),
  );
  app.post(
    '/api/machinery/owners',
    {
      schema: {
        tags,
        summary: 'Register an owner (cooperative, alliance, household, company)',
        body: OwnerCreate,
        response: { 201: Owner, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createOwner(d, req.ctx(), req.body)),
  );
  app.get(
    '/api/machinery/machines',
    {
      schema: {
        tags,
        summary: 'Machines kept in the area',
        querystring: MachineListQuery,
        response: { 200: MachineList, ...errorResponses },
      },
    },
    async (req) => svc.listMachines(d, req.ctx(), req.query),
  );
  app.post(
    '/api/machinery/machines',
    {
      schema: {
        tags,
        summary: 'List a machine: type, capacity (亩 a day), village, price per 亩',
        body: MachineCreate,
        response: { 201: Machine, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createMachine(d, req.ctx(), req.body)),
  );
  app.patch(
    '/api/machinery/machines/:id',
    {
      schema: {
        tags,
        summary: 'Change a machine’s name, capacity, price or status',
        params: IdParams,
        body: MachinePatch,
        response: { 200: Machine, ...errorResponses },
      },
    },
    async (req) => svc.updateMachine(d, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/machinery/demands',
    {
      schema: {
        tags,
        summary: 'Farmers’ demands of the area, open first, with their bookings',
        querystring: DemandListQuery,
        response: { 200: DemandPage, ...errorResponses },
      },
    },
    async (req) => svc.listDemands(d, req.ctx(), req.query),
  );
  app.post(
    '/api/machinery/demands',
    {
      schema: {
        tags,
        summary: 'Post demand for a farmer of a village: field, crop, area, date window',
        body: DemandCreate,
        response: { 201: Demand, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createDemand(d, req.ctx(), req.body)),
  );
  app.get(
    '/api/machinery/demands/:id/matches',
    {
      schema: {
        tags,
        summary: 'Machines that can do a demand: same village first, then same town, earliest free days',
        params: IdParams,
        response: { 200: MatchList, ...errorResponses },
      },
    },
    async (req) => svc.matchesFor(d, req.ctx(), req.params.id),
  );
  app.get(
    '/api/machinery/bookings',
    {
      schema: {
        tags,
        summary: 'The schedule: bookings of the area’s fields and machines',
        querystring: BookingListQuery,
        response: { 200: BookingList, ...errorResponses },
      },
    },
    async (req) => svc.listBookings(d, req.ctx(), req.query),
  );
  app.post(
    '/api/machinery/bookings',
    {
      schema: {
        tags,
        summary: 'Book a machine for a demand over whole days (never two overlapping bookings of a machine)',
        body: BookingCreate,
        response: { 201: Booking, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createBooking(d, req.ctx(), req.body)),
  );
  app.post(
    '/api/machinery/bookings/:id/complete',
    {
      schema: {
        tags,
        summary: 'Mark the job done with the area done',
        params: IdParams,
        body: CompleteBody,
        response: { 200: Booking, ...errorResponses },
      },
    },
    async (req) => svc.completeBooking(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/machinery/bookings/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a booking: the machine’s days are free and the demand open again',
        params: IdParams,
        response: { 200: Booking, ...errorResponses },
      },
    },
    async (req) => svc.cancelBooking(d, req.ctx(), req.params.id),
  );
  app.post(
    '/api/machinery/dispatch',
    {
      schema: {
        tags,
        summary: 'Dispatch (调度): book every open demand of the area on the best free machine',
        body: DispatchBody,
        response: { 200: DispatchResult, ...errorResponses },
      },
    },
    async (req) => svc.dispatch(d, req.ctx(), req.body),
  );
  app.get(
    '/api/machinery/stats',
    {
      schema: {
        tags,
        summary: 'Monthly usage per machine, owner and village: jobs done, 亩 done, revenue',
        querystring: StatsQuery,
        response: { 200: Stats, ...errorResponses },
      },
    },
    async (req) => svc.monthlyStats(d, req.ctx(), req.query.month),
  );
  app.get(
    '/api/machinery/stats/export',
    {
      schema: {
        tags,
        summary: 'The monthly usage as an Excel workbook',
        querystring: StatsQuery,
        response: { 200: XlsxBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = req.ctx();
      const stats = await svc.monthlyStats(d, ctx, req.query.month);
      const out = await exportStats(stats, ctx.locale);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', contentDisposition(out.fileName))
        .header('access-control-expose-headers', 'content-disposition')
        .header('cache-control', 'no-store')
        .send(out.buffer);
    },
  );

  // ---- phones ----
  app.get(
    '/api/me/machinery/demands',
    {
      schema: {
        tags,
        summary: 'The farmer’s own demands and their bookings',
        response: { 200: MyDemandList, ...errorResponses },
      },
    },
    async (req) => svc.myDemands(d, req.ctx()),
  );
  app.post(
    '/api/me/machinery/demands',
    {
      schema: {
        tags,
        summary: 'A farmer posts demand for a field in their own village',
        body: MyDemandCreate,
        response: { 201: Demand, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createMyDemand(d, req.ctx(), req.body)),
  );
  app.get(
    '/api/me/machinery/schedule',
    {
      schema: {
        tags,
        summary: 'An owner’s schedule: bookings of the machines of their organisation',
        response: { 200: BookingList, ...errorResponses },
      },
    },
    async (req) => svc.mySchedule(d, req.ctx()),
  );
}
