import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, IdParams } from '../../platform/http/schemas.js';
import { contentDisposition } from '../reports/reports.logic.js';
import {
  Goods,
  GoodsCreate,
  GoodsList,
  GoodsPatch,
  MemberAdd,
  MemberParams,
  MerchantCreate,
  MerchantDetail,
  MerchantListQuery,
  MerchantPage,
  MerchantPatch,
  RedemptionListQuery,
  RedemptionPage,
  StaffGoodsPatch,
} from './merchants.schemas.js';
import type { MerchantsDeps } from './merchants.service.js';
import * as merchants from './merchants.service.js';
import { registerSettlementJobs } from './settlements.jobs.js';
import {
  SettleBody,
  Settlement,
  SettlementDetail,
  SettlementList,
  SettlementListQuery,
} from './settlements.schemas.js';
import * as settlements from './settlements.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: XLSX_TYPE });

/** Merchants (兑换商户), their goods and staff, the redemptions list, monthly settlements (月结) and their job. */
export async function merchantsRoutes(fastify: FastifyInstance, deps: MerchantsDeps): Promise<void> {
  await registerSettlementJobs(deps.jobs, deps, fastify.log);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['points'];

  app.get(
    '/api/points/merchants',
    {
      schema: {
        tags,
        summary: 'Merchants in the area (points.read)',
        querystring: MerchantListQuery,
        response: { 200: MerchantPage, ...errorResponses },
      },
    },
    async (req) => merchants.listMerchants(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/points/merchants',
    {
      schema: {
        tags,
        summary: 'Add a merchant at a node inside a community (points.manage)',
        body: MerchantCreate,
        response: { 201: MerchantDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await merchants.createMerchant(deps, req.ctx(), req.body)),
  );
  app.get(
    '/api/points/merchants/:id',
    {
      schema: {
        tags,
        summary: 'One merchant with its staff',
        params: IdParams,
        response: { 200: MerchantDetail, ...errorResponses },
      },
    },
    async (req) => merchants.getMerchant(deps, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/points/merchants/:id',
    {
      schema: {
        tags,
        summary: 'Change a merchant: name, address, contact, phone, status (points.manage)',
        params: IdParams,
        body: MerchantPatch,
        response: { 200: MerchantDetail, ...errorResponses },
      },
    },
    async (req) => merchants.updateMerchant(deps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/points/merchants/:id/members',
    {
      schema: {
        tags,
        summary: 'Add an account holding the merchant role as staff',
        params: IdParams,
        body: MemberAdd,
        response: { 200: MerchantDetail, ...errorResponses },
      },
    },
    async (req) => merchants.addMember(deps, req.ctx(), req.params.id, req.body.userId),
  );
  app.delete(
    '/api/points/merchants/:id/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member of staff',
        params: MemberParams,
        response: { 200: MerchantDetail, ...errorResponses },
      },
    },
    async (req) => merchants.removeMember(deps, req.ctx(), req.params.id, req.params.userId),
  );
  app.get(
    '/api/points/merchants/:id/goods',
    {
      schema: {
        tags,
        summary: 'A merchant’s goods',
        params: IdParams,
        response: { 200: GoodsList, ...errorResponses },
      },
    },
    async (req) => merchants.listGoods(deps, req.ctx(), req.params.id),
  );
  app.post(
    '/api/points/merchants/:id/goods',
    {
      schema: {
        tags,
        summary: 'Add goods to a merchant’s catalogue (points.manage)',
        params: IdParams,
        body: GoodsCreate,
        response: { 201: Goods, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await merchants.createGoods(deps, req.ctx(), req.params.id, req.body)),
  );
  app.patch(
    '/api/points/goods/:id',
    {
      schema: {
        tags,
        summary: 'Change goods (version checked; points.manage)',
        params: IdParams,
        body: GoodsPatch,
        response: { 200: Goods, ...errorResponses },
      },
    },
    async (req) => merchants.updateGoods(deps, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/merchant/goods',
    {
      schema: {
        tags,
        summary: 'The goods of the merchants the caller is staff of (points.redeem)',
        response: { 200: GoodsList, ...errorResponses },
      },
    },
    async (req) => merchants.listStaffGoods(deps, req.ctx()),
  );
  app.patch(
    '/api/merchant/goods/:id',
    {
      schema: {
        tags,
        summary: 'Staff change their goods: price, stock (or ± stockDelta), on sale',
        params: IdParams,
        body: StaffGoodsPatch,
        response: { 200: Goods, ...errorResponses },
      },
    },
    async (req) => merchants.updateStaffGoods(deps, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/points/redemptions',
    {
      schema: {
        tags,
        summary: 'Redemptions at the merchants in the area, newest first',
        querystring: RedemptionListQuery,
        response: { 200: RedemptionPage, ...errorResponses },
      },
    },
    async (req) => merchants.listRedemptions(deps, req.ctx(), req.query),
  );
  app.post(
    '/api/points/merchants/:id/settlements',
    {
      schema: {
        tags,
        summary: 'Settle a finished month now (201; 200 when it was settled already)',
        params: IdParams,
        body: SettleBody,
        response: { 200: Settlement, 201: Settlement, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await settlements.settleNow(deps, req.ctx(), req.params.id, req.body.period);
      return reply.status(r.created ? 201 : 200).send(r.settlement);
    },
  );
  app.get(
    '/api/points/settlements',
    {
      schema: {
        tags,
        summary: 'Settlements of the merchants in the area',
        querystring: SettlementListQuery,
        response: { 200: SettlementList, ...errorResponses },
      },
    },
    async (req) => settlements.listSettlements(deps, req.ctx(), req.query),
  );
  app.get(
    '/api/points/settlements/:id',
    {
      schema: {
        tags,
        summary: 'One settlement with the month’s redemptions',
        params: IdParams,
        response: { 200: SettlementDetail, ...errorResponses },
      },
    },
    async (req) => settlements.getSettlement(deps, req.ctx(), req.params.id),
  );
  app.get(
    '/api/points/settlements/:id/export',
    {
      schema: {
        tags,
        summary: 'The settlement statement as an Excel workbook',
        params: IdParams,
        response: { 200: XlsxBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await settlements.exportSettlement(deps, req.ctx(), req.params.id);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', contentDisposition(out.fileName))
        .header('access-control-expose-headers', 'content-disposition')
        .header('cache-control', 'no-store')
        .send(out.body);
    },
  );
  app.post(
    '/api/points/settlements/:id/paid',
    {
      schema: {
        tags,
        summary: 'Mark a settlement paid (points.manage)',
        params: IdParams,
        response: { 200: Settlement, ...errorResponses },
      },
    },
    async (req) => settlements.markPaid(deps, req.ctx(), req.params.id),
  );
}
