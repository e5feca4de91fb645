import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { systemCtx } from '../../platform/access/context.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { FilesService } from '../../platform/files/files.service.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { contentDisposition } from '../reports/reports.logic.js';
import { registerNoticeHooks } from './notices.hooks.js';
import {
  ApproveBody,
  MyNoticeDetail,
  MyNoticePage,
  MyNoticeQuery,
  NoticeIdParams,
  NoticeInput,
  NoticeListQuery,
  NoticeOptions,
  NoticePage,
  NoticeView,
  PublicFileParams,
  PublicNoticeDetail,
  PublicNoticePage,
  PublicNoticesQuery,
  ReasonBody,
  ReceiptPage,
  ReceiptQuery,
} from './notices.schemas.js';
import * as svc from './notices.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: XLSX_TYPE });

/** The job publishing approved notices whose time has come, every minute. */
export async function registerNoticeJobs(jobs: Jobs, db: Db, log: FastifyBaseLogger): Promise<void> {
  jobs.register({
    name: svc.PUBLISH_DUE_JOB,
    schema: Type.Object({}),
    retryLimit: 1,
    concurrency: 1,
    handler: async () => {
      const n = await svc.publishDue(db);
      if (n > 0) log.info({ notices: n }, 'scheduled notices published');
    },
  });
  await jobs.schedule(svc.PUBLISH_DUE_JOB, '* * * * *');
}

/** Notices (信息发布): /api/notices/…, the resident's /api/me/notices/…, the public /api/public/notices/… */
export async function noticesRoutes(
  fastify: FastifyInstance,
  deps: { db: Db; jobs: Jobs; files: FilesService },
): Promise<void> {
  registerNoticeHooks();
  await registerNoticeJobs(deps.jobs, deps.db, fastify.log);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notices'];
  const d = { db: deps.db, files: deps.files };

  // ---- the console ----
  app.get(
    '/api/notices/options',
    {
      schema: {
        tags,
        summary: 'The editor’s choices: categories and targetable tags',
        response: { 200: NoticeOptions, ...errorResponses },
      },
    },
    async (req) => svc.options(d, req.ctx()),
  );
  app.get(
    '/api/notices',
    {
      schema: {
        tags,
        summary: 'Notices of the caller’s area (toReview=1: waiting for the caller’s review)',
        querystring: NoticeListQuery,
        response: { 200: NoticePage, ...errorResponses },
      },
    },
    async (req) => svc.listNotices(d, req.ctx(), req.query),
  );
  app.post(
    '/api/notices',
    {
      schema: {
        tags,
        summary: 'Write a draft (the body is sanitized HTML; images must be uploads of the caller)',
        body: NoticeInput,
        response: { 201: NoticeView, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createNotice(d, req.ctx(), req.body)),
  );
  app.get(
    '/api/notices/:id',
    {
      schema: { tags, summary: 'A notice', params: NoticeIdParams, response: { 200: NoticeView, ...errorResponses } },
    },
    async (req) => svc.getNotice(d, req.ctx(), req.params.id),
  );
  app.put(
    '/api/notices/:id',
    {
      schema: {
        tags,
        summary: 'Change a draft',
        params: NoticeIdParams,
        body: NoticeInput,
        response: { 200: NoticeView, ...errorResponses },
      },
    },
    async (req) => svc.updateNotice(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/notices/:id/submit',
    {
      schema: {
        tags,
        summary: 'Send a draft for review (审核)',
        params: NoticeIdParams,
        response: { 200: NoticeView, ...errorResponses },
      },
    },
    async (req) => svc.submitNotice(d, req.ctx(), req.params.id),
  );
  app.post(
    '/api/notices/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve someone else’s notice: published at publishAt, or at once',
        params: NoticeIdParams,
        body: ApproveBody,
        response: { 200: NoticeView, ...errorResponses },
      },
    },
    async (req) => svc.approveNotice(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/notices/:id/reject',
    {
      schema: {
        tags,
        summary: 'Return someone else’s notice to its author as a draft, with the reason',
        params: NoticeIdParams,
        body: ReasonBody,
        response: { 200: NoticeView, ...errorResponses },
      },
    },
    async (req) => svc.rejectNotice(d, req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/notices/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Take a notice down, with the reason',
        params: NoticeIdParams,
        body: ReasonBody,
        response: { 200: NoticeView, ...errorResponses },
      },
    },
    async (req) => svc.withdrawNotice(d, req.ctx(), req.params.id, req.body),
  );
  app.get(
    '/api/notices/:id/receipts',
    {
      schema: {
        tags,
        summary: 'Targeted, read and confirmed counts, and who has not confirmed (names masked)',
        params: NoticeIdParams,
        querystring: ReceiptQuery,
        response: { 200: ReceiptPage, ...errorResponses },
      },
    },
    async (req) => svc.listReceipts(d, req.ctx(), req.params.id, req.query),
  );
  app.get(
    '/api/notices/:id/receipts.xlsx',
    {
      schema: {
        tags,
        summary: 'The receipts list as a spreadsheet (names masked; audited)',
        params: NoticeIdParams,
        querystring: Type.Object(
          { filter: Type.Optional(Type.Enum(['unconfirmed', 'unread', 'all'])) },
          { additionalProperties: false },
        ),
        response: { 200: XlsxBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await svc.exportReceipts(d, req.ctx(), req.params.id, req.query);
      return reply.type(XLSX_TYPE).header('content-disposition', contentDisposition(out.fileName)).send(out.body);
    },
  );

  // ---- the resident's own ----
  app.get(
    '/api/me/notices',
    {
      schema: {
        tags,
        summary: 'Published notices for the caller’s resident record, with read and confirm state',
        querystring: MyNoticeQuery,
        response: { 200: MyNoticePage, ...errorResponses },
      },
    },
    async (req) => svc.myNotices(d, req.ctx(), req.query),
  );
  app.get(
    '/api/me/notices/:id',
    {
      schema: {
        tags,
        summary: 'Open one of the caller’s notices (recorded as read)',
        params: NoticeIdParams,
        response: { 200: MyNoticeDetail, ...errorResponses },
      },
    },
    async (req) => svc.openMyNotice(d, req.ctx(), req.params.id),
  );
  app.post(
    '/api/me/notices/:id/confirm',
    {
      schema: {
        tags,
        summary: '我已阅读并知晓: confirm an important notice',
        params: NoticeIdParams,
        response: { 200: MyNoticeDetail, ...errorResponses },
      },
    },
    async (req) => svc.confirmMyNotice(d, req.ctx(), req.params.id),
  );

  // ---- the public page ----
  const publicConfig = { public: true, rateLimit: { max: 120, timeWindow: '1 minute' } };
  app.get(
    '/api/public/notices',
    {
      config: publicConfig,
      schema: {
        tags,
        summary: 'Public, published notices at, above or under a node (no login)',
        querystring: PublicNoticesQuery,
        response: { 200: PublicNoticePage, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return svc.publicNotices(deps.db, req.query);
    },
  );
  app.get(
    '/api/public/notices/:id',
    {
      config: publicConfig,
      schema: {
        tags,
        summary: 'A public, published notice (no login)',
        params: NoticeIdParams,
        response: { 200: PublicNoticeDetail, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return svc.publicNotice(d, req.params.id);
    },
  );
  for (const variant of ['main', 'thumb'] as const) {
    app.get(
      variant === 'main' ? '/api/public/notices/:id/files/:fileId' : '/api/public/notices/:id/files/:fileId/thumb',
      {
        config: publicConfig,
        schema: {
          tags,
          summary: 'An image or file of a public, published notice (no login)',
          params: PublicFileParams,
          response: { 200: Type.Unsafe<Buffer>(Type.String({ format: 'binary' })), ...errorResponses },
        },
      },
      async (req, reply) => {
        if (!(await svc.isPublicFile(deps.db, req.params.id, req.params.fileId))) throw new AppError('FILE_NOT_FOUND');
        const f = await deps.files.readFile(systemCtx('public'), req.params.fileId, variant);
        return reply
          .type(f.mime)
          .header('cache-control', 'public, max-age=300')
          .header('content-disposition', f.kind === 'image' ? 'inline' : contentDisposition(f.name))
          .header('content-security-policy', "default-src 'none'; sandbox")
          .send(f.bytes);
      },
    );
  }
}
