import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditRoutes } from './modules/audit/audit.routes.js';
// cases core (helper A)
import { casesRoutes } from './modules/cases/cases.routes.js';
// Case statistics (helper D)
import { casesStatsRoutes } from './modules/cases/cases.stats.routes.js';
// end cases core
// cases: configuration routes (helper B)
import { casesConfigRoutes } from './modules/cases/cases-config.routes.js';
// cases: phone web [F]
import { casesMapRoutes } from './modules/cases/cases-map.routes.js';
// devices [B]
import { alarmsRoutes } from './modules/devices/alarms.routes.js';
// devices [A]
import { raiseAlarms } from './modules/devices/alarms.service.js';
// devices [C]
import { devicesRoutes } from './modules/devices/devices.routes.js';
import { ingestRoutes } from './modules/devices/ingest.routes.js';
import { createIngest, type Ingest } from './modules/devices/ingest.service.js';
// devices [F]
import { telemetryRoutes } from './modules/devices/telemetry.routes.js';
import { registerModuleHooks } from './modules/index.js';
import { OPEN311_PREFIX, open311ClientRoutes, open311Routes } from './modules/open311/open311.routes.js';
import { orgRoutes } from './modules/org/org.routes.js';
// ---- points [A] ----
import { ledgerRoutes } from './modules/points/ledger.routes.js';
// ---- end points [A] ----
// ---- points [B] ----

import { garbageRoutes } from './modules/points/garbage.routes.js';
import { earningRulesRoutes } from './modules/points/rules.routes.js';

// ---- end points [B] ----
// ---- points [C] ----

// ---- end volunteers [D] ----
// ---- timebank [E] ----
// ---- end timebank [E] ----
// ---- partners [F] ----
import { partnersRoutes } from './modules/partners/partners.routes.js';
import { importRoutes } from './modules/people/import/import.routes.js';
import { peopleRoutes } from './modules/people/people.routes.js';
import { residentFilesRoutes } from './modules/people/resident-files.routes.js';
import { merchantsRoutes } from './modules/points/merchants.routes.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { coverageRoutes } from './modules/visits/coverage.routes.js';
// grid work [D]
import { linksRoutes } from './modules/visits/links.routes.js';
import { patrolsRoutes } from './modules/visits/patrols.routes.js';
// grid work [A]
import { visitRulesRoutes } from './modules/visits/rules.routes.js';
// grid work [B]
import { visitsRoutes } from './modules/visits/visits.routes.js';
// ---- end points [C] ----
// ---- points [G] ----
// ---- end points [G] ----
// ---- volunteers [D] ----
import { volunteersRoutes } from './modules/volunteers/volunteers.routes.js';
// ---- end partners [F] ----
// ---- policies [A2] ----
// ---- end policies [A2] ----
// ---- metrics [B] ----
// ---- end metrics [B] ----
// ---- assessment [C1] ----
// ---- end assessment [C1] ----
// ---- dashboard [D] ----
// ---- end dashboard [D] ----
import { authRoutes } from './platform/auth/auth.routes.js';
import type { Db } from './platform/db/client.js';
import { AppError, formatError } from './platform/errors/errors.js';
import { createLocalFileStore } from './platform/files/file-store.js';
import type { FileLimits } from './platform/files/files.logic.js';
import { filesRoutes } from './platform/files/files.routes.js';
import { createFilesService } from './platform/files/files.service.js';
import { createFileSealer } from './platform/files/sealed-file.js';
import { registerAuth } from './platform/http/auth.plugin.js';
import { registerErrorHandling } from './platform/http/errors.plugin.js';
import { registerInputGuards } from './platform/http/input.plugin.js';
import { ErrorBody, TRIM } from './platform/http/schemas.js';
import type { Jobs } from './platform/jobs/index.js';
import { jobsRoutes } from './platform/jobs/jobs.routes.js';
import { createLiveHub } from './platform/live/live.hub.js';
import { liveRoutes } from './platform/live/live.routes.js';
import { type DeliveryOptions, registerDeliveries } from './platform/notify/notify.deliver.js';
import { notifyRoutes } from './platform/notify/notify.routes.js';
import type { PiiCipher } from './platform/pii/index.js';
import { tasksRoutes } from './platform/tasks/tasks.routes.js';
import { workbenchRoutes } from './platform/workbench/workbench.routes.js';

export type BrokerStatus = { isReady(): boolean };

export type AppDeps = {
  db: Db;
  pii: PiiCipher;
  broker: BrokerStatus | null;
  /** Background jobs: modules register their handlers while the app is built; started after (main, test env). */
  jobs: Jobs;
  sessionHours?: number;
  trustProxy?: boolean;
  /** Origins besides Linli's own whose pages may send state-changing requests with the session cookie. */
  allowedOrigins?: readonly string[];
  /** Minutes a password entered at a session allows creating API tokens (default 10). */
  passwordConfirmMinutes?: number;
  /** Built console to serve (web/dist); null serves the API only. */
  webDir?: string | null;
  /** A pino logger to use (the server's); none in tests. */
  logger?: FastifyBaseLogger;
  /** Login attempts per IP and minute. */
  loginRateLimit?: number;
  version?: string;
  /** Uploaded files (imports) and their reports: <LINLI_DATA_DIR>/uploads; default a private directory under the OS temp dir. */
  uploads?: { dir: string; maxBytes?: number };
  /**
   * Photos and attachments: <LINLI_DATA_DIR>/files (blobs by content hash, sealed); default a private directory
   * under the OS temp dir, removed on close. `limits` overrides DEFAULT_FILE_LIMITS (tests).
   */
  files?: { dir: string; limits?: Partial<FileLimits> };
  /** ID clashes outside the user's area (move-in requests) a user may cause per day; default 20. */
  idClashDailyLimit?: number;
  /** Milliseconds between the comments that keep live-update streams open through proxies (default 25 s). */
  liveHeartbeatMs?: number;
  /** Retries of notification deliveries through external channels (default 5, the first after 30 s). */
  notifyDelivery?: DeliveryOptions;
  /** Phone web (cases): the map tile URL template (LINLI_MAP_TILES); null or absent: no tiles, nothing fetched. */
  mapTiles?: string | null;
  // devices [A]
  /** Device ingest (shared with the MQTT broker in main.ts); absent: the app makes its own, closed with it. */
  ingest?: Ingest;
};

/** The origin a tile URL template fetches from ({x}, {y}, {z} filled in), for the page's img-src. */
function tileOrigins(template: string | null | undefined): string[] {
  if (!template) return [];
  try {
    return [new URL(template.replace(/\{[xyzs]\}/g, '0')).origin];
  } catch {
    return [];
  }
}

export const BODY_LIMIT = 1024 * 1024;

const routeTables = new WeakMap<FastifyInstance, string[]>();

/** Every route of a built app as 'METHOD /url' (the permission-matrix test checks it covers them all). */
export function listRoutes(app: FastifyInstance): string[] {
  return [...(routeTables.get(app) ?? [])].sort();
}

/** Builds the whole HTTP application without listening, so tests can use `app.inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const sessionHours = deps.sessionHours ?? 12;
  registerModuleHooks();
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    trustProxy: deps.trustProxy ?? false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: true,
        useDefaults: true,
        allErrors: false,
        // An annotation for the input guard (trim before validating), not a rule Ajv checks.
        keywords: [TRIM],
      },
    },
    routerOptions: { maxParamLength: 200 },
  });

  const routes: string[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push(`${m} ${r.url}`);
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // Map tiles, only when an installation configures a tile source (phone web, cases).
        imgSrc: ["'self'", 'data:', 'blob:', ...tileOrigins(deps.mapTiles)],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false,
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Linli 邻里 API',
        description: 'Grid-based community governance. Errors are `{ code, message, field? }`.',
        version: deps.version ?? '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'linli_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.addSchema(ErrorBody);
  registerErrorHandling(app);
  registerInputGuards(app);
  registerAuth(app, { db: deps.db, sessionHours, allowedOrigins: deps.allowedOrigins ?? [] });

  app.get(
    '/health',
    {
      config: { public: true },
      schema: { tags: ['ops'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/ready',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        summary: 'Readiness: database and message broker reachable',
        response: {
          200: Type.Object({ status: Type.String(), db: Type.String(), broker: Type.String() }),
          503: Type.Object({ status: Type.String(), db: Type.String(), broker: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      const db = await deps.db
        .query('SELECT 1')
        .then(() => 'ok')
        .catch(() => 'down');
      const broker = deps.broker === null ? 'disabled' : deps.broker.isReady() ? 'ok' : 'down';
      const ready = db === 'ok' && broker !== 'down';
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', db, broker });
    },
  );

  await app.register(authRoutes, {
    db: deps.db,
    sessionHours,
    loginRateLimit: deps.loginRateLimit ?? 20,
    passwordConfirmMinutes: deps.passwordConfirmMinutes ?? 10,
  });
  await app.register(orgRoutes, { db: deps.db });
  await app.register(usersRoutes, { db: deps.db, pii: deps.pii });
  await app.register(auditRoutes, { db: deps.db });
  const idClashDailyLimit = deps.idClashDailyLimit ?? 20;
  await app.register(peopleRoutes, { db: deps.db, pii: deps.pii, idClashDailyLimit, log: app.log, jobs: deps.jobs });
  await app.register(importRoutes, {
    db: deps.db,
    pii: deps.pii,
    uploads: deps.uploads,
    idClashDailyLimit,
    jobs: deps.jobs,
  });
  await app.register(reportsRoutes, { db: deps.db, pii: deps.pii });
  // Case statistics (helper D): GET /api/cases/stats, /api/cases/stats.xlsx
  await app.register(casesStatsRoutes, { db: deps.db });
  await app.register(workbenchRoutes, { db: deps.db });
  await app.register(tasksRoutes, { db: deps.db });
  // grid work [C]: coverage — GET /api/visits/coverage, /api/visits/coverage/export, /api/visits/unvisited
  await app.register(coverageRoutes, { db: deps.db });
  await app.register(notifyRoutes, { db: deps.db, pii: deps.pii });
  const deliveries = registerDeliveries({
    db: deps.db,
    pii: deps.pii,
    jobs: deps.jobs,
    log: app.log,
    options: deps.notifyDelivery,
  });
  await deliveries.start();
  app.addHook('onClose', () => deliveries.stop());
  const hub = createLiveHub({ db: deps.db, log: app.log, heartbeatMs: deps.liveHeartbeatMs });
  await hub.start();
  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', () => hub.stop());
  await app.register(liveRoutes, { hub });
  const filesDir = deps.files?.dir ?? (await fs.promises.mkdtemp(path.join(os.tmpdir(), 'linli-files-')));
  await fs.promises.mkdir(filesDir, { recursive: true, mode: 0o700 });
  if (!deps.files?.dir) app.addHook('onClose', () => fs.promises.rm(filesDir, { recursive: true, force: true }));
  const files = createFilesService({
    db: deps.db,
    store: createLocalFileStore({ dir: filesDir, sealer: createFileSealer(deps.pii.fileKeys) }),
    limits: deps.files?.limits,
  });
  await app.register(filesRoutes, { files, jobs: deps.jobs });
  await app.register(residentFilesRoutes, { db: deps.db, files });
  // cases core (helper A)
  await app.register(casesRoutes, { db: deps.db, pii: deps.pii, jobs: deps.jobs, files });
  // end cases core
  await app.register(jobsRoutes, { db: deps.db });
  // Open311 (helper C): key management under /api, GeoReport v2 outside it (api_key per request, no session).
  await app.register(open311ClientRoutes, { db: deps.db });
  await app.register(open311Routes, { prefix: OPEN311_PREFIX, db: deps.db, pii: deps.pii, jobs: deps.jobs });
  // cases: calendar, categories and stage names (helper B)
  await app.register(casesConfigRoutes, { db: deps.db });
  // ---- cases: phone web [F] (the grid map) ----
  await app.register(casesMapRoutes, { db: deps.db, mapTiles: deps.mapTiles ?? null });
  // ---- end cases: phone web [F] ----
  // devices [C]
  await app.register(devicesRoutes, { db: deps.db, pii: deps.pii });
  // devices [F]: GET /api/devices/:id/telemetry; job devices.partitions (daily)
  await app.register(telemetryRoutes, { db: deps.db, jobs: deps.jobs });
  // devices [A]
  const ingest =
    deps.ingest ??
    createIngest({
      db: deps.db,
      log: app.log,
      raise: (tx, triggers) => raiseAlarms({ db: deps.db, pii: deps.pii, jobs: deps.jobs }, tx, triggers),
    });
  if (!deps.ingest) app.addHook('onClose', () => ingest.close());
  await app.register(ingestRoutes, { db: deps.db, ingest });
  // devices [B]: the alarm centre, the family's alarms, the ladder and timed-rule jobs
  await app.register(alarmsRoutes, { db: deps.db, pii: deps.pii, jobs: deps.jobs });
  // grid work [A]: visit rules, "generate now", the jobs visits.generate and visits.events
  await app.register(visitRulesRoutes, { db: deps.db, jobs: deps.jobs });
  // grid work [B]: visit tasks and visits (the daily reminder job visits.remind)
  await app.register(visitsRoutes, { db: deps.db, pii: deps.pii, jobs: deps.jobs, files });
  // grid work [D]: 一网三联 links (/api/grid-links)
  await app.register(linksRoutes, { db: deps.db });
  // grid work [E]: the patrol log (巡查)
  await app.register(patrolsRoutes, { db: deps.db, pii: deps.pii, jobs: deps.jobs, files });
  // ---- points [A] ----
  await app.register(ledgerRoutes, { db: deps.db, jobs: deps.jobs });
  // ---- end points [A] ----
  // ---- points [B] ----
  // earning rules, points settings, the job points.earn; garbage-sorting check-ins
  await app.register(earningRulesRoutes, { db: deps.db, jobs: deps.jobs });
  await app.register(garbageRoutes, { db: deps.db });
  // ---- end points [B] ----
  // ---- points [C] ----
  // merchants, goods, the redemptions list, monthly settlements and the job points.settle
  await app.register(merchantsRoutes, { db: deps.db, pii: deps.pii, jobs: deps.jobs });
  // ---- end points [C] ----
  // ---- points [G] ----
  // redemption codes, the merchant's counter, refunds (a dynamic import: biome would sort a static one out of
  // this block)
  await app.register((await import('./modules/points/redemption.routes.js')).redemptionRoutes, { db: deps.db });
  // ---- end points [G] ----
  // ---- volunteers [D] ----
  // teams, volunteers, activities, /api/me/volunteer and /api/me/activities; job volunteers.credit
  await app.register(volunteersRoutes, { db: deps.db, jobs: deps.jobs });
  // ---- end volunteers [D] ----
  // ---- timebank [E] ----
  // services (存时间), requests (取时间), matching, my hours, statistics; imported here to keep the import list sorted
  await app.register(import('./modules/timebank/timebank.routes.js'), { db: deps.db });
  // ---- end timebank [E] ----
  // ---- partners [F] ----
  // 红色合伙人: /api/partner/…, /api/partners/…, the public notice /api/public/partners
  await app.register(partnersRoutes, { db: deps.db, pii: deps.pii, files });
  // ---- end partners [F] ----
  // ---- policies [A2] ----
  // 政策找人: policies and versions, runs (jobs policies.run, policies.nightly, policies.prune), results, candidates
  await app.register((await import('./modules/policies/policies.routes.js')).policiesRoutes, {
    db: deps.db,
    jobs: deps.jobs,
    pii: deps.pii,
  });
  // ---- end policies [A2] ----
  // ---- metrics [B] ----
  // 考核指标: /api/metrics… (catalogue, figures, history, refreshes, export) and the job metrics.refresh
  await app.register((await import('./modules/metrics/metrics.routes.js')).metricsRoutes, {
    db: deps.db,
    jobs: deps.jobs,
  });
  // ---- end metrics [B] ----
  // ---- assessment [C1] ----
  // 考核排名: /api/assessment/… and the public honours notice /api/public/honours; job assessment.score
  await app.register((await import('./modules/assessment/assessment.routes.js')).assessmentRoutes, {
    db: deps.db,
    files,
    jobs: deps.jobs,
  });
  // ---- end assessment [C1] ----
  // ---- dashboard [D] ----
  // 驾驶舱: GET /api/dashboard
  await app.register((await import('./modules/dashboard/dashboard.routes.js')).dashboardRoutes, { db: deps.db });
  // ---- end dashboard [D] ----
  // ---- deliberation [A] ----
  // 议事协商: /api/me/verification, /api/me/deliberation/… (residents), /api/deliberation/… (console)
  await app.register((await import('./modules/deliberation/deliberation.routes.js')).deliberationRoutes, {
    db: deps.db,
    pii: deps.pii,
    jobs: deps.jobs,
    files,
  });
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  // 信息发布: /api/notices/…, /api/me/notices/…, the public /api/public/notices/…; job notices.publish_due
  await app.register((await import('./modules/notices/notices.routes.js')).noticesRoutes, {
    db: deps.db,
    jobs: deps.jobs,
    files,
  });
  // ---- end notices [B] ----
  // ---- services [C] ----
  // 便民服务: /api/services/… (directory, elder canteens, orders, kitchen counts) and /api/me/services/…
  await app.register((await import('./modules/services/services.routes.js')).servicesRoutes, { db: deps.db });
  // ---- end services [C] ----
  // ---- privacy [E] ----
  // 个人信息权利: /api/me/privacy (my data, a copy, requests) and /api/privacy/requests… (the area's, privacy.handle)
  await app.register((await import('./modules/privacy/privacy.routes.js')).privacyRoutes, {
    db: deps.db,
    pii: deps.pii,
  });
  // ---- end privacy [E] ----
  // ---- machinery [D] ----
  // 农机共享: /api/machinery/… and the phones' /api/me/machinery/…
  await app.register((await import('./modules/machinery/machinery.routes.js')).machineryRoutes, {
    db: deps.db,
    pii: deps.pii,
  });
  // ---- end machinery [D] ----

  const webDir = deps.webDir && fs.existsSync(path.join(deps.webDir, 'index.html')) ? deps.webDir : null;
  if (webDir) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      setHeaders: (res, file) => {
        res.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !/^\/(api|docs|health|ready)(\/|$)/.test(request.url);
    if (webDir && isPage && !path.extname(request.url.split('?')[0] ?? '')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send({ code: 'NOT_FOUND', message: formatError('NOT_FOUND', request.locale) });
  });

  return app;
}
