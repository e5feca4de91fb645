import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { assertPermission } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { AppError, formatError } from '../../platform/errors/errors.js';
import { ErrorBody, errorResponses, Id, IdParams, Items, Nullable } from '../../platform/http/schemas.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import {
  Away,
  AwayPut,
  BuildingDevices,
  DeviceCreate,
  DeviceCreated,
  DeviceCredentials,
  DeviceDetail,
  DeviceImportError,
  DeviceImportResult,
  DeviceListItem,
  DeviceListQuery,
  DevicePatch,
  DeviceRule,
  DeviceRuleCreate,
  DeviceRulePatch,
  DeviceType,
  DeviceTypeCreate,
  DeviceTypePatch,
  RuleOverride,
  RuleOverridePut,
  WatchedPerson,
} from './devices.schemas.js';
import * as svc from './devices.service.js';
import * as io from './devices-import.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) =>
  `attachment; filename="devices.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;
const binary = { 200: Type.Unsafe<Buffer | Readable>(Type.String({ format: 'binary', description: XLSX })) };
/** The largest import file accepted. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

const Ok = Type.Object({ ok: Type.Boolean() });
const CodeParams = Type.Object(
  { code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }) },
  { additionalProperties: false },
);
const RuleQuery = Type.Object(
  { typeCode: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' })) },
  { additionalProperties: false },
);
const BuildingsQuery = Type.Object({ nodeId: Type.Optional(Id) }, { additionalProperties: false });
const OverrideParams = Type.Object({ id: Id, ruleId: Id }, { additionalProperties: false });
const ResidentParams = Type.Object({ residentId: Id }, { additionalProperties: false });
const ExportQuery = Type.Omit(DeviceListQuery, ['page', 'pageSize'], { additionalProperties: false });
/** A refused import: the error body, with every error by row and column (and nothing created). */
const ImportRefused = Type.Object({
  code: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
  // Present on DEVICE_IMPORT_INVALID; any other 400 (no file, not multipart) is the plain error body.
  created: Type.Optional(Type.Integer()),
  errors: Type.Optional(Type.Array(DeviceImportError)),
  credentials: Type.Optional(Type.Array(Type.Unknown())),
});

/** 智能设备: device types and rules (devices.config), the registry of an area, the away switch, family's view. */
export async function devicesRoutes(fastify: FastifyInstance, deps: { db: Db; pii: PiiCipher }): Promise<void> {
  // Scoped to this plugin: only the import takes a multipart body.
  await fastify.register(multipart, {
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 2, parts: 3 },
  });
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = deps.db;
  const sdeps: svc.DevicesDeps = { db: deps.db, pii: deps.pii };
  const tags = ['devices'];

  // ---- types and rules ----------------------------------------------------------------------------------------
  app.get(
    '/api/device-types',
    {
      schema: {
        tags,
        summary: 'Device types with their metrics and events',
        response: { 200: Items(DeviceType), ...errorResponses },
      },
    },
    async (req) => svc.listDeviceTypes(db, req.ctx()),
  );
  app.post(
    '/api/device-types',
    {
      schema: {
        tags,
        summary: 'Add a device type (devices.config, audited)',
        body: DeviceTypeCreate,
        response: { 201: DeviceType, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createDeviceType(db, req.ctx(), req.body)),
  );
  app.patch(
    '/api/device-types/:code',
    {
      schema: {
        tags,
        summary: 'Change a device type; a built-in one keeps its metrics and events (audited)',
        params: CodeParams,
        body: DeviceTypePatch,
        response: { 200: DeviceType, ...errorResponses },
      },
    },
    async (req) => svc.updateDeviceType(db, req.ctx(), req.params.code, req.body),
  );
  app.get(
    '/api/device-rules',
    {
      schema: {
        tags,
        summary: 'Alarm rules, of one device type or all',
        querystring: RuleQuery,
        response: { 200: Items(DeviceRule), ...errorResponses },
      },
    },
    async (req) => svc.listDeviceRules(db, req.ctx(), req.query.typeCode),
  );
  app.post(
    '/api/device-rules',
    {
      schema: {
        tags,
        summary: 'Add an alarm rule to a device type; params checked against the kind (audited)',
        body: DeviceRuleCreate,
        response: { 201: DeviceRule, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createDeviceRule(db, req.ctx(), req.body)),
  );
  app.patch(
    '/api/device-rules/:id',
    {
      schema: {
        tags,
        summary: 'Change an alarm rule at the version read (audited)',
        params: IdParams,
        body: DeviceRulePatch,
        response: { 200: DeviceRule, ...errorResponses },
      },
    },
    async (req) => svc.updateDeviceRule(db, req.ctx(), req.params.id, req.body),
  );

  // ---- devices ------------------------------------------------------------------------------------------------
  app.get(
    '/api/devices',
    {
      schema: {
        tags,
        summary: 'Devices of the area, filtered, with online status and open alarms',
        querystring: DeviceListQuery,
        response: { 200: Type.Object({ items: Type.Array(DeviceListItem), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => svc.listDevices(db, req.ctx(), req.query),
  );
  app.get(
    '/api/devices/buildings',
    {
      schema: {
        tags,
        summary: 'Devices by building under a node: total, online, offline, open alarms',
        querystring: BuildingsQuery,
        response: { 200: Items(BuildingDevices), ...errorResponses },
      },
    },
    async (req) => svc.listBuildings(db, req.ctx(), req.query.nodeId),
  );
  app.post(
    '/api/devices',
    {
      schema: {
        tags,
        summary: 'Register a device; its credentials are shown here once (audited without them)',
        body: DeviceCreate,
        response: { 201: DeviceCreated, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .header('cache-control', 'no-store')
        .send(await svc.createDevice(sdeps, req.ctx(), req.body)),
  );
  app.get(
    '/api/devices/import-template.xlsx',
    { schema: { tags, summary: 'The devices import template (.xlsx)', response: { ...binary, ...errorResponses } } },
    async (req, reply) =>
      reply
        .type(XLSX)
        .header('content-disposition', attachment('设备导入模板.xlsx'))
        .send(await io.importTemplate(req.ctx())),
  );
  app.post(
    '/api/devices/import',
    {
      config: { uploads: true },
      schema: {
        tags,
        summary: 'Import devices from .xlsx, all or nothing; the new credentials are shown here once',
        description: 'multipart/form-data: `file`. Any error: 400 DEVICE_IMPORT_INVALID with `errors` (row, column).',
        consumes: ['multipart/form-data'],
        response: { 201: DeviceImportResult, ...errorResponses, 400: ImportRefused, 413: ErrorBody },
      },
    },
    async (req, reply) => {
      const ctx = req.ctx();
      // Refuse before reading a body the caller could not import anyway.
      assertPermission(ctx.principal, 'devices.manage');
      if (!req.isMultipart()) throw new AppError('IMPORT_FILE_REQUIRED', { field: 'file' });
      let file: Buffer | null = null;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file' && part.fieldname === 'file' && file === null) file = await part.toBuffer();
          else if (part.type === 'file') part.file.resume();
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError('IMPORT_FILE_TOO_LARGE', { field: 'file', params: { limit: '10 MB' } });
        throw err;
      }
      if (file === null) throw new AppError('IMPORT_FILE_REQUIRED', { field: 'file' });
      try {
        const out = await io.importDevices(sdeps, ctx, file);
        return reply.status(201).header('cache-control', 'no-store').send(out);
      } catch (err) {
        if (!(err instanceof io.ImportInvalid)) throw err;
        return reply.status(400).send({
          code: err.code,
          message: formatError(err.code, req.locale, err.params),
          field: 'file',
          created: 0,
          errors: err.errors,
          credentials: [],
        });
      }
    },
  );
  app.get(
    '/api/devices/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The device list as filtered, as .xlsx (resident names masked as on screen)',
        querystring: ExportQuery,
        response: { ...binary, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await io.exportDevices(sdeps, req.ctx(), req.query);
      return reply
        .type(XLSX)
        .header('content-disposition', attachment('设备清单.xlsx'))
        .header('x-total-rows', String(out.rows))
        .header('access-control-expose-headers', 'x-total-rows, content-disposition')
        .header('cache-control', 'no-store')
        .send(out.buffer);
    },
  );
  app.get(
    '/api/devices/:id',
    {
      schema: {
        tags,
        summary: 'A device: place, person, status, the rules in effect with overrides, away',
        params: IdParams,
        response: { 200: DeviceDetail, ...errorResponses },
      },
    },
    async (req) => svc.getDevice(db, req.ctx(), req.params.id),
  );
  app.patch(
    '/api/devices/:id',
    {
      schema: {
        tags,
        summary: 'Edit, disable or retire a device at the version read (audited)',
        params: IdParams,
        body: DevicePatch,
        response: { 200: DeviceDetail, ...errorResponses },
      },
    },
    async (req) => svc.updateDevice(sdeps, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/devices/:id/credentials',
    {
      schema: {
        tags,
        summary: 'New credentials for a device, shown once; the old token stops working at once (audited)',
        params: IdParams,
        response: { 200: DeviceCredentials, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.header('cache-control', 'no-store').send(await svc.rotateCredentials(sdeps, req.ctx(), req.params.id)),
  );

  // ---- a resident's away switch and overrides -----------------------------------------------------------------
  app.get(
    '/api/residents/:id/away',
    {
      schema: {
        tags,
        summary: 'Whether the person is away (null: at home)',
        params: IdParams,
        response: { 200: Nullable(Away), ...errorResponses },
      },
    },
    async (req) => svc.getAway(db, req.ctx(), req.params.id),
  );
  app.put(
    '/api/residents/:id/away',
    {
      schema: {
        tags,
        summary: 'Set the person away: no-use rules stay quiet (alarms.handle, audited)',
        params: IdParams,
        body: AwayPut,
        response: { 200: Away, ...errorResponses },
      },
    },
    async (req) => svc.putAway(db, req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/residents/:id/away',
    {
      schema: {
        tags,
        summary: 'The person is home again (audited)',
        params: IdParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await svc.deleteAway(db, req.ctx(), req.params.id);
      return { ok: true };
    },
  );
  app.get(
    '/api/residents/:id/rule-overrides',
    {
      schema: {
        tags,
        summary: 'The person’s rule overrides',
        params: IdParams,
        response: { 200: Items(RuleOverride), ...errorResponses },
      },
    },
    async (req) => svc.listOverrides(db, req.ctx(), req.params.id),
  );
  app.put(
    '/api/residents/:id/rule-overrides/:ruleId',
    {
      schema: {
        tags,
        summary: 'Set the person’s override of a rule: params merged over the rule’s, or off (devices.manage, audited)',
        params: OverrideParams,
        body: RuleOverridePut,
        response: { 200: RuleOverride, ...errorResponses },
      },
    },
    async (req) => svc.putOverride(db, req.ctx(), req.params.id, req.params.ruleId, req.body),
  );
  app.delete(
    '/api/residents/:id/rule-overrides/:ruleId',
    {
      schema: {
        tags,
        summary: 'Remove the person’s override of a rule (audited)',
        params: OverrideParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await svc.deleteOverride(db, req.ctx(), req.params.id, req.params.ruleId);
      return { ok: true };
    },
  );

  // ---- the family's side (phone) ------------------------------------------------------------------------------
  app.get(
    '/api/me/watched',
    {
      schema: {
        tags,
        summary: 'The people the caller is a family contact of, with their devices, away switch and open alarms',
        response: { 200: Items(WatchedPerson), ...errorResponses },
      },
    },
    async (req) => svc.listWatched(db, req.ctx()),
  );
  app.put(
    '/api/me/watched/:residentId/away',
    {
      schema: {
        tags,
        summary: 'Set a watched person away (family; audited)',
        params: ResidentParams,
        body: AwayPut,
        response: { 200: Away, ...errorResponses },
      },
    },
    async (req) => svc.putWatchedAway(db, req.ctx(), req.params.residentId, req.body),
  );
  app.delete(
    '/api/me/watched/:residentId/away',
    {
      schema: {
        tags,
        summary: 'A watched person is home again (family; audited)',
        params: ResidentParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await svc.deleteWatchedAway(db, req.ctx(), req.params.residentId);
      return { ok: true };
    },
  );
}
