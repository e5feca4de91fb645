import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { assertPermission } from '../../../platform/access/scope.js';
import type { Db } from '../../../platform/db/client.js';
import { AppError } from '../../../platform/errors/errors.js';
import { replaceUnsafeText } from '../../../platform/http/input.plugin.js';
import { ErrorBody, errorResponses, IdParams, Items } from '../../../platform/http/schemas.js';
import type { Jobs } from '../../../platform/jobs/index.js';
import type { PiiCipher } from '../../../platform/pii/index.js';
import { ImportEnvelope, ImportMapping, ImportView } from './import.schemas.js';
import * as svc from './import.service.js';

export type ImportRoutesDeps = {
  db: Db;
  pii: PiiCipher;
  /**
   * Where uploads and error reports are kept (<LINLI_DATA_DIR>/uploads in production; by default a private
   * directory under the OS temporary directory, removed on close) and the largest accepted upload in bytes
   * (default 512 MiB).
   */
  uploads?: { dir: string; maxBytes?: number };
  /** Rows naming people registered outside the importer's area that may become move-in requests per day. */
  idClashDailyLimit?: number;
  jobs: Jobs;
};

export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename="import.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`;
}

type Upload = { tempPath: string; fileName: string; mapping: Record<string, string> | null; nodeId: number | null };

/**
 * Streams the multipart upload into a sealed file in the upload directory, encrypted as it arrives: it is
 * never in memory as a whole, nor on disk in plain text.
 */
async function receiveUpload(
  req: FastifyRequest,
  sdeps: svc.ImportDeps,
  dir: string,
  maxBytes: number,
): Promise<Upload> {
  if (!req.isMultipart()) throw new AppError('IMPORT_FILE_REQUIRED', { field: 'file' });
  let tempPath: string | null = null;
  let sink: Writable | null = null;
  let fileName = '';
  let mappingText: string | null = null;
  let nodeIdText: string | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || tempPath !== null) {
          part.file.resume();
          continue;
        }
        tempPath = path.join(dir, `incoming-${randomUUID()}`);
        // The name is stored and shown: no NUL or lone surrogate (cut first, so no cut leaves half a pair).
        fileName = replaceUnsafeText((part.filename || 'upload').slice(0, 255));
        const out = svc.createUploadStream(sdeps, tempPath);
        sink = out;
        await pipeline(part.file, out);
      } else if (part.fieldname === 'mapping') mappingText = String(part.value);
      else if (part.fieldname === 'nodeId') nodeIdText = String(part.value);
    }
    if (tempPath === null) throw new AppError('IMPORT_FILE_REQUIRED', { field: 'file' });
    let mapping: Record<string, string> | null = null;
    if (mappingText !== null && mappingText.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(mappingText);
      } catch {
        throw new AppError('IMPORT_MAPPING_INVALID', { field: 'mapping' });
      }
      if (!Value.Check(ImportMapping, parsed)) throw new AppError('IMPORT_MAPPING_INVALID', { field: 'mapping' });
      mapping = parsed;
    }
    let nodeId: number | null = null;
    if (nodeIdText !== null && nodeIdText.trim() !== '') {
      if (!/^[1-9]\d{0,15}$/.test(nodeIdText.trim())) {
        throw new AppError('VALIDATION', { field: 'nodeId', params: { field: 'nodeId', detail: '格式不正确' } });
      }
      nodeId = Number(nodeIdText.trim());
    }
    return { tempPath, fileName, mapping, nodeId };
  } catch (err) {
    // A refused upload leaves nothing: the partial sealed file is gone once its stream has closed.
    const open = sink;
    if (open !== null && !open.closed) await new Promise((resolve) => open.once('close', resolve));
    if (tempPath !== null) await fs.promises.rm(tempPath, { force: true });
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('IMPORT_FILE_TOO_LARGE', { field: 'file', params: { limit: formatBytes(maxBytes) } });
    }
    throw err;
  }
}

export async function importRoutes(fastify: FastifyInstance, deps: ImportRoutesDeps): Promise<void> {
  const maxBytes = deps.uploads?.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  // Without a directory of its own (tests, tools) an app gets a private one, removed when it closes: housekeeping
  // deletes files no import of *this* database owns, so two apps must never share a directory.
  const uploadDir = deps.uploads?.dir ?? (await fs.promises.mkdtemp(path.join(os.tmpdir(), 'linli-uploads-')));
  await fs.promises.mkdir(uploadDir, { recursive: true, mode: 0o700 });
  if (!deps.uploads?.dir) {
    fastify.addHook('onClose', async () => {
      await svc.whenAllImportsSettled();
      await fs.promises.rm(uploadDir, { recursive: true, force: true });
    });
  }
  // Scoped to this plugin: only the import routes accept multipart bodies.
  await fastify.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 256 * 1024, parts: 10 },
  });
  // Closing waits for background checks and commits of this process (a commit is one transaction: cut short,
  // it would only roll back).
  fastify.addHook('onClose', () => svc.whenAllImportsSettled());
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const sdeps: svc.ImportDeps = {
    db: deps.db,
    pii: deps.pii,
    uploadDir,
    log: fastify.log,
    idClashDailyLimit: deps.idClashDailyLimit,
  };
  // Imports cut short by a stop, and files past their retention: at start, then hourly as a job (a failure is
  // retried and shown on 后台任务).
  fastify.addHook('onReady', async () => {
    await svc
      .sweepImports(sdeps, { atStart: true })
      .catch((err) => fastify.log.error({ err }, 'import housekeeping failed'));
  });
  deps.jobs.register({
    name: 'people.import_sweep',
    schema: Type.Object({}),
    handler: async () => {
      await svc.sweepImports(sdeps, { atStart: false });
    },
  });
  await deps.jobs.schedule('people.import_sweep', '0 * * * *');
  const tags = ['people'];
  const binary = {
    200: Type.Unsafe<Buffer | Readable>(Type.String({ format: 'binary', description: XLSX })),
  };

  app.get(
    '/api/people/imports/template',
    { schema: { tags, summary: 'The residents import template (.xlsx)', response: { ...binary, ...errorResponses } } },
    async (req, reply) => {
      const buf = await svc.getTemplate(sdeps, req.ctx());
      return reply.type(XLSX).header('content-disposition', attachment('居民信息导入模板.xlsx')).send(buf);
    },
  );

  app.post(
    '/api/people/imports',
    {
      config: { uploads: true },
      schema: {
        tags,
        summary: 'Upload a residents file (.xlsx or .csv); it is checked in the background',
        description:
          'multipart/form-data: `file`, optional `mapping` (JSON {"表头": "字段"}), optional `nodeId`. ' +
          'Poll GET /api/people/imports/:id; then download errors.xlsx and/or commit.',
        consumes: ['multipart/form-data'],
        response: { 202: ImportEnvelope, ...errorResponses, 413: ErrorBody },
      },
    },
    async (req, reply) => {
      const ctx = req.ctx();
      // Refuse before reading a large body the caller could not import anyway.
      assertPermission(ctx.principal, 'people.import');
      const upload = await receiveUpload(req, sdeps, uploadDir, maxBytes);
      try {
        return reply.status(202).send({ import: await svc.startImport(sdeps, ctx, upload) });
      } catch (err) {
        await fs.promises.rm(upload.tempPath, { force: true });
        throw err;
      }
    },
  );

  app.get(
    '/api/people/imports',
    {
      schema: { tags, summary: 'The caller’s recent imports', response: { 200: Items(ImportView), ...errorResponses } },
    },
    async (req) => ({ items: await svc.listImports(sdeps, req.ctx()) }),
  );

  app.get(
    '/api/people/imports/:id',
    {
      schema: {
        tags,
        summary: 'An import: status, progress and counts',
        params: IdParams,
        response: { 200: ImportEnvelope, ...errorResponses },
      },
    },
    async (req) => ({ import: await svc.getImport(sdeps, req.ctx(), req.params.id) }),
  );

  app.get(
    '/api/people/imports/:id/errors.xlsx',
    {
      schema: {
        tags,
        summary: 'The error report: every bad row with its row number and what is wrong (ID and phone masked)',
        description: 'Only an import with invalid rows has one (`hasErrorReport`); otherwise 404 IMPORT_REPORT_NONE.',
        params: IdParams,
        response: { ...binary, ...errorResponses },
      },
    },
    async (req, reply) => {
      const report = await svc.getErrorReport(sdeps, req.ctx(), req.params.id);
      return reply
        .type(XLSX)
        .header('content-disposition', attachment(`导入错误报告-${req.params.id}.xlsx`))
        .send(report);
    },
  );

  app.delete(
    '/api/people/imports/:id',
    {
      schema: {
        tags,
        summary: 'Cancel a validated import: it can no longer be committed, and its files are deleted',
        params: IdParams,
        response: { 200: ImportEnvelope, ...errorResponses },
      },
    },
    async (req) => ({ import: await svc.cancelImport(sdeps, req.ctx(), req.params.id) }),
  );

  app.post(
    '/api/people/imports/:id/commit',
    {
      schema: {
        tags,
        summary: 'Load the good rows of a validated import (in the background, atomically)',
        params: IdParams,
        response: { 202: ImportEnvelope, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(202).send({ import: await svc.commitImport(sdeps, req.ctx(), req.params.id) }),
  );
}
