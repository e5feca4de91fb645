import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, IdParams, Items, Strict } from '../../platform/http/schemas.js';
import { contentDisposition } from '../reports/reports.logic.js';
import './services.notify.js';
import {
  Canteen,
  CanteenCreate,
  CountsQuery,
  EntryCategory,
  EntryCreate,
  EntryListQuery,
  EntryUpdate,
  MealCounts,
  Menu,
  MenuCreate,
  MenuQuery,
  MyCanteen,
  MyOrderCreate,
  Order,
  OrderCreate,
  OrderListQuery,
  ServiceEntry,
  SubsidiesPut,
} from './services.schemas.js';
import * as services from './services.service.js';

const CsvBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'text/csv' });

/**
 * 便民服务: the directory (/api/services/entries), elder canteens with menus, subsidies, orders and the kitchen's
 * counts (/api/services/canteens, /api/services/orders), and the resident's own on the phone (/api/me/services/…).
 * Property repair (物业报修) is the cases module's category property.repair.
 */
export async function servicesRoutes(fastify: FastifyInstance, deps: services.ServicesDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['services'];

  // ---- directory ----
  app.get(
    '/api/services/entries',
    {
      schema: {
        tags,
        summary: 'The service directory of my area (services.read)',
        querystring: EntryListQuery,
        response: { 200: Items(ServiceEntry), ...errorResponses },
      },
    },
    async (req) => services.listEntries(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/services/entries',
    {
      schema: {
        tags,
        summary: 'Add a directory entry (services.manage)',
        body: EntryCreate,
        response: { 201: ServiceEntry, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await services.createEntry(deps, req.ctx(), req.body)),
  );
  app.patch(
    '/api/services/entries/:id',
    {
      schema: {
        tags,
        summary: 'Change a directory entry (services.manage)',
        params: IdParams,
        body: EntryUpdate,
        response: { 200: ServiceEntry, ...errorResponses },
      },
    },
    async (req) => services.updateEntry(deps, req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/services/entries/:id',
    {
      schema: {
        tags,
        summary: 'Remove a directory entry (services.manage)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await services.deleteEntry(deps, req.ctx(), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // ---- canteens ----
  app.get(
    '/api/services/canteens',
    {
      schema: {
        tags,
        summary: 'Elder canteens of my area with their subsidy rules (services.read)',
        response: { 200: Items(Canteen), ...errorResponses },
      },
    },
    async (req) => services.listCanteens(deps, req.ctx()),
  );
  app.post(
    '/api/services/canteens',
    {
      schema: {
        tags,
        summary: 'Open an elder canteen (services.manage)',
        body: CanteenCreate,
        response: { 201: Canteen, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await services.createCanteen(deps, req.ctx(), req.body)),
  );
  app.put(
    '/api/services/canteens/:id/subsidies',
    {
      schema: {
        tags,
        summary: 'Replace the subsidy rules by tag; the best single rule applies (services.manage)',
        params: IdParams,
        body: SubsidiesPut,
        response: { 200: Canteen, ...errorResponses },
      },
    },
    async (req) => services.putSubsidies(deps, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/services/canteens/:id/menus',
    {
      schema: {
        tags,
        summary: 'A canteen’s menus of a span of days, default this week (services.read)',
        params: IdParams,
        querystring: MenuQuery,
        response: { 200: Items(Menu), ...errorResponses },
      },
    },
    async (req) => services.listMenus(deps, req.ctx(), req.params.id, req.query),
  );
  app.post(
    '/api/services/canteens/:id/menus',
    {
      schema: {
        tags,
        summary: 'Put a menu on a day and meal (services.manage)',
        params: IdParams,
        body: MenuCreate,
        response: { 201: Menu, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await services.createMenu(deps, req.ctx(), req.params.id, req.body)),
  );
  app.get(
    '/api/services/canteens/:id/counts',
    {
      schema: {
        tags,
        summary: 'The kitchen’s meal counts of a day and its delivery list (services.read)',
        params: IdParams,
        querystring: CountsQuery,
        response: { 200: MealCounts, ...errorResponses },
      },
    },
    async (req) => services.mealCounts(deps, req.ctx(), req.params.id, req.query),
  );
  app.get(
    '/api/services/canteens/:id/counts.csv',
    {
      schema: {
        tags,
        summary: 'The same counts as a printable CSV sheet for the kitchen (services.read)',
        params: IdParams,
        querystring: CountsQuery,
        response: { 200: CsvBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const counts = await services.mealCounts(deps, req.ctx(), req.params.id, req.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(`meal-counts-${counts.canteenId}-${counts.day}.csv`))
        .header('access-control-expose-headers', 'content-disposition')
        .header('cache-control', 'no-store')
        .send(Buffer.from(services.mealCountsCsv(counts, req.locale), 'utf8'));
    },
  );

  // ---- orders (workers) ----
  app.get(
    '/api/services/orders',
    {
      schema: {
        tags,
        summary: 'Meal orders of the residents of my area (services.read)',
        querystring: OrderListQuery,
        response: { 200: Items(Order), ...errorResponses },
      },
    },
    async (req) => services.listOrders(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/services/orders',
    {
      schema: {
        tags,
        summary: 'Order a meal on a resident’s behalf (services.manage)',
        body: OrderCreate,
        response: { 201: Order, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await services.createOrder(deps, req.ctx(), req.body)),
  );
  app.post(
    '/api/services/orders/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a resident’s order before the cut-off; hours are refunded (services.manage)',
        params: IdParams,
        response: { 200: Order, ...errorResponses },
      },
    },
    async (req) => services.cancelOrder(deps, req.ctx(), req.params.id),
  );

  // ---- the resident's own ----
  app.get(
    '/api/me/services/entries',
    {
      schema: {
        tags,
        summary: 'The service directory of my community',
        querystring: Strict({ category: Type.Optional(EntryCategory) }),
        response: { 200: Items(ServiceEntry), ...errorResponses },
      },
    },
    async (req) => services.listMyEntries(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/me/services/canteen',
    {
      schema: {
        tags,
        summary: 'The canteens that serve me, this week’s menus and my household’s prices after subsidies',
        response: { 200: MyCanteen, ...errorResponses },
      },
    },
    async (req) => services.myCanteen(deps, req.ctx()),
  );
  app.get(
    '/api/me/services/orders',
    {
      schema: {
        tags,
        summary: 'My and my household’s meal orders',
        response: { 200: Items(Order), ...errorResponses },
      },
    },
    async (req) => services.listMyOrders(deps, req.ctx()),
  );
  app.post(
    '/api/me/services/orders',
    {
      schema: {
        tags,
        summary: 'Order a meal for me or a member of my household',
        body: MyOrderCreate,
        response: { 201: Order, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await services.createMyOrder(deps, req.ctx(), req.body)),
  );
  app.post(
    '/api/me/services/orders/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel my or my household’s order before the cut-off; hours are refunded',
        params: IdParams,
        response: { 200: Order, ...errorResponses },
      },
    },
    async (req) => services.cancelMyOrder(deps, req.ctx(), req.params.id),
  );
}
