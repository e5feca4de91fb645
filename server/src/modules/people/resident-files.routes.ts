import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { FileId, FileIds, FileView } from '../../platform/files/files.schemas.js';
import { errorResponses, Id, IdParams, Items, Strict } from '../../platform/http/schemas.js';
import * as svc from './resident-files.service.js';

const FileParams = Strict({ id: Id, fileId: FileId });
const AttachBody = Strict({ fileIds: FileIds });

export async function residentFilesRoutes(fastify: FastifyInstance, deps: svc.ResidentFilesDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['people'];
  const list = { 200: Items(FileView), ...errorResponses };

  app.get(
    '/api/people/residents/:id/attachments',
    {
      schema: {
        tags,
        summary: 'A resident’s attachments (scans and photos)',
        params: IdParams,
        response: list,
      },
    },
    async (req) => ({ items: await svc.listResidentFiles(deps, req.ctx(), req.params.id) }),
  );
  app.post(
    '/api/people/residents/:id/attachments',
    {
      schema: {
        tags,
        summary: 'Attach the caller’s uploads (ids from POST /api/files) to a resident',
        params: IdParams,
        body: AttachBody,
        response: list,
      },
    },
    async (req) => ({ items: await svc.attachResidentFiles(deps, req.ctx(), req.params.id, req.body.fileIds) }),
  );
  app.delete(
    '/api/people/residents/:id/attachments/:fileId',
    {
      schema: {
        tags,
        summary: 'Remove an attachment from a resident (audited)',
        params: FileParams,
        response: list,
      },
    },
    async (req) => ({ items: await svc.deleteResidentFile(deps, req.ctx(), req.params.id, req.params.fileId) }),
  );
}
