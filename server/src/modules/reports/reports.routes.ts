import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import { errorResponses, IdParams, Items } from '../../platform/http/schemas.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { contentDisposition } from './reports.logic.js';
import {
  CreateTemplateBody,
  ExportQuery,
  FieldCatalogue,
  PreviewDefinitionBody,
  PreviewQuery,
  PreviewResult,
  ReportTemplate,
  UpdateTemplateBody,
} from './reports.schemas.js';
import * as reports from './reports.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The binary body of an export, for the OpenAPI document (kept here: the web reads the schemas for types). */
const XlsxBody = Type.Unsafe<Readable>({
  type: 'string',
  format: 'binary',
  description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
});

export async function reportsRoutes(fastify: FastifyInstance, deps: { db: Db; pii: PiiCipher }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;
  const tags = ['reports'];

  app.get(
    '/api/reports/fields',
    {
      schema: {
        tags,
        summary: 'Fields, counts and filters a report template can use (for the template editor)',
        response: { 200: FieldCatalogue, ...errorResponses },
      },
    },
    async (req) => reports.listFields(req.ctx()),
  );

  app.get(
    '/api/reports/templates',
    {
      schema: {
        tags,
        summary: 'Report templates: built-in ones and the custom ones the caller may use',
        response: { 200: Items(ReportTemplate), ...errorResponses },
      },
    },
    async (req) => ({ items: await reports.listTemplates(db, req.ctx()) }),
  );

  app.get(
    '/api/reports/templates/:id',
    {
      schema: {
        tags,
        summary: 'One report template',
        params: IdParams,
        response: { 200: ReportTemplate, ...errorResponses },
      },
    },
    async (req) => reports.getTemplate(db, req.ctx(), req.params.id),
  );

  app.post(
    '/api/reports/templates',
    {
      schema: {
        tags,
        summary: 'Add a custom report template (reports.manage)',
        body: CreateTemplateBody,
        response: { 201: ReportTemplate, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await reports.createTemplate(db, req.ctx(), req.body)),
  );

  app.patch(
    '/api/reports/templates/:id',
    {
      schema: {
        tags,
        summary: 'Change a custom report template (built-in ones cannot be changed)',
        params: IdParams,
        body: UpdateTemplateBody,
        response: { 200: ReportTemplate, ...errorResponses },
      },
    },
    async (req) => reports.updateTemplate(db, req.ctx(), req.params.id, req.body),
  );

  app.delete(
    '/api/reports/templates/:id',
    {
      schema: {
        tags,
        summary: 'Delete a custom report template (built-in ones cannot be deleted)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await reports.deleteTemplate(db, req.ctx(), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/reports/templates/:id/preview',
    {
      schema: {
        tags,
        summary: 'The first rows of a report in the caller’s scope (masked), with the full count',
        params: IdParams,
        querystring: PreviewQuery,
        response: { 200: PreviewResult, ...errorResponses },
      },
    },
    async (req) => reports.previewTemplate(deps, req.ctx(), req.params.id, req.query),
  );

  app.post(
    '/api/reports/preview-definition',
    {
      schema: {
        tags,
        summary: 'Preview a definition that is not saved yet (template editor)',
        body: PreviewDefinitionBody,
        response: { 200: PreviewResult, ...errorResponses },
      },
    },
    async (req) => reports.previewDefinition(deps, req.ctx(), req.body),
  );

  app.get(
    '/api/reports/templates/:id/export',
    {
      schema: {
        tags,
        summary: 'Export a report to Excel, streamed; X-Total-Rows gives the row count for a progress bar',
        description:
          'Masked unless `unmasked=true`, which needs pii.reveal over the whole exported area. Every export is audited.',
        params: IdParams,
        querystring: ExportQuery,
        response: { 200: XlsxBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await reports.exportTemplate(deps, req.ctx(), req.params.id, req.query);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', contentDisposition(out.fileName))
        .header('x-total-rows', String(out.totalRows))
        .header('access-control-expose-headers', 'x-total-rows, content-disposition')
        .header('cache-control', 'no-store')
        .send(out.stream);
    },
  );
}
