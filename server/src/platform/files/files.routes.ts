import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors/errors.js';
import { replaceUnsafeText } from '../http/input.plugin.js';
import { ErrorBody, errorResponses, Items } from '../http/schemas.js';
import type { Jobs } from '../jobs/index.js';
import { cleanFileName, type FileLimits, formatBytes } from './files.logic.js';
import { processUpload } from './files.process.js';
import { FileParams, FileView } from './files.schemas.js';
import type { FilesService, Upload } from './files.service.js';

/**
 * Reads every file part into memory (each at most `maxBytes`) and checks and re-encodes it as it arrives; only
 * the small results are kept. Nothing is stored here: a refusal anywhere in the request stores none of it.
 */
async function receiveFiles(req: FastifyRequest, limits: FileLimits): Promise<Upload[]> {
  if (!req.isMultipart()) throw new AppError('FILE_REQUIRED', { field: 'file' });
  const uploads: Upload[] = [];
  let name = '';
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file') {
        part.file.resume();
        continue;
      }
      name = replaceUnsafeText(cleanFileName(part.filename));
      const bytes = await part.toBuffer();
      uploads.push({ name, file: await processUpload(bytes, name, limits, 'file') });
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('FILE_TOO_LARGE', { field: 'file', params: { name, limit: formatBytes(limits.maxBytes) } });
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw new AppError('FILE_TOO_MANY', { field: 'file', params: { limit: limits.maxFilesPerRequest } });
    }
    throw err;
  }
  if (uploads.length === 0) throw new AppError('FILE_REQUIRED', { field: 'file' });
  return uploads;
}

function contentDisposition(kind: 'image' | 'document', name: string): string {
  // PDFs are downloaded, never rendered under Linli's origin; images are shown inline.
  const ascii = kind === 'image' ? 'image' : 'document.pdf';
  return `${kind === 'image' ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const FILES_SWEEP_JOB = 'files.sweep';

export async function filesRoutes(fastify: FastifyInstance, deps: { files: FilesService; jobs: Jobs }): Promise<void> {
  const { files } = deps;
  const limits = files.limits;
  // Scoped to this plugin: only the upload route here accepts multipart bodies.
  await fastify.register(multipart, {
    limits: {
      fileSize: limits.maxBytes,
      files: limits.maxFilesPerRequest,
      fields: 4,
      fieldSize: 1024,
      parts: limits.maxFilesPerRequest + 4,
    },
  });
  // Housekeeping, a job every hour (at :17, Asia/Shanghai): uploads never attached within a day go, with their
  // blobs, and so do blobs no row refers to. Any server of the installation may run it; each run is idempotent.
  deps.jobs.register({
    name: FILES_SWEEP_JOB,
    schema: Type.Object({}, { additionalProperties: false }),
    expireInSeconds: 900,
    handler: async () => {
      const r = await files.sweep();
      if (r.removedFiles + r.orphanBlobs > 0) fastify.log.info(r, 'file housekeeping');
    },
  });
  await deps.jobs.schedule(FILES_SWEEP_JOB, '17 * * * *');
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['files'];
  const binary = { 200: Type.Unsafe<Buffer | Readable>(Type.String({ format: 'binary' })) };

  app.post(
    '/api/files',
    {
      config: { uploads: true },
      schema: {
        tags,
        summary: 'Upload photos or PDFs (not yet attached to any record)',
        description:
          `multipart/form-data: one or more \`file\` parts (at most ${limits.maxFilesPerRequest}, each at most ` +
          `${formatBytes(limits.maxBytes)}). Types are judged by content: JPEG, PNG, WebP, GIF, AVIF, PDF. Images are ` +
          're-encoded (orientation applied, metadata such as EXIF and GPS removed, long side at most ' +
          `${limits.maxSide} px) with a ${limits.thumbSide} px thumbnail. A record's save attaches the returned ids; ` +
          `uploads left unattached are deleted after ${limits.unattachedHours} hours. Any bad file refuses the whole ` +
          'request and stores nothing.',
        consumes: ['multipart/form-data'],
        response: { 201: Items(FileView), ...errorResponses, 413: ErrorBody, 415: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      const ctx = req.ctx();
      const uploads = await receiveFiles(req, limits);
      return reply.status(201).send({ items: await files.saveUploads(ctx, uploads) });
    },
  );

  for (const variant of ['main', 'thumb'] as const) {
    app.get(
      variant === 'main' ? '/api/files/:id' : '/api/files/:id/thumb',
      {
        schema: {
          tags,
          summary: variant === 'main' ? 'A file' : 'The 320 px thumbnail of an image',
          description:
            'Served to whoever may read the record the file is attached to, or to its uploader while it is ' +
            'attached to none; anyone else gets 404 FILE_NOT_FOUND.',
          params: FileParams,
          response: { ...binary, ...errorResponses },
        },
      },
      async (req, reply) => {
        const f = await files.readFile(req.ctx(), req.params.id, variant);
        return reply
          .type(f.mime)
          .header('cache-control', 'private, max-age=3600')
          .header('content-disposition', contentDisposition(f.kind, f.name))
          .header('content-security-policy', "default-src 'none'; sandbox")
          .send(f.bytes);
      },
    );
  }
}
