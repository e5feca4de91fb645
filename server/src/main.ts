import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildApp } from './app.js';
import { isDemoCasesLoaded, loadDemoCases } from './demo/demo-cases.js';
import { loadDemoLinks } from './demo/demo-links.js';
import { isDemoPeopleLoaded, loadDemoPeople } from './demo/demo-people.js';
import { isDemoLoaded, linkDemoResident, loadDemoAccounts, loadDemoRegion } from './demo/demo-region.js';
// devices [A]
import { raiseAlarms } from './modules/devices/alarms.service.js';
import { createIngest } from './modules/devices/ingest.service.js';
// devices [F]
import { startDemoSimulation } from './modules/devices/simulator.demo.js';
import { ensureTelemetryPartitions } from './modules/devices/telemetry.service.js';
import { seedReferenceData } from './modules/index.js';
import { redactApiKey } from './modules/open311/open311.logic.js';
import { refreshDerivedTagsDaily } from './modules/people/tags.service.js';
import { ensureSystemAdmin } from './modules/users/users.service.js';
// grid work [A]
import { generateVisitTasks } from './modules/visits/generation.service.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { type Db, openDb } from './platform/db/client.js';
import { DataLockError, lockDataDir } from './platform/db/data-lock.js';
import { MigrationError, migrate } from './platform/db/migrate.js';
import { createJobs } from './platform/jobs/index.js';
import { startBroker } from './platform/mqtt/broker.js';
import { KeyError, openPiiCipher } from './platform/pii/key-store.js';
import { startOfWait } from './platform/startup.logic.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** config → database → migrations → keys → broker → demo data → HTTP. */
async function main(): Promise<void> {
  // this process began before its modules loaded: count from there, or from the command that launched it
  const processStartedAt = Math.round(performance.timeOrigin);
  const config = loadConfig();
  const startedAt = startOfWait(config.commandStartedAt, processStartedAt);
  const pretty = process.stdout.isTTY && !process.env.CI;
  const log = pino({
    level: config.logLevel,
    // Open311 (helper C): GET requests carry their api_key in the URL.
    redact: { paths: ['req.url'], censor: redactApiKey },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });

  const unlock = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir);
  let db: Db | undefined;
  const closers: (() => Promise<void>)[] = [];
  const shutdown = async (signal: string, code = 0) => {
    log.info({ signal }, 'shutting down: no new requests, finishing running ones');
    for (const close of closers.reverse()) await close().catch((err) => log.error({ err }, 'close failed'));
    unlock();
    log.info('stopped');
    process.exit(code);
  };

  try {
    db = await openDb(config);
    const openedDb = db;
    closers.push(() => openedDb.close());
    log.info({ db: db.kind, where: config.databaseUrl ? 'DATABASE_URL' : config.pgliteDir }, 'database open');

    const applied = await migrate(db, {
      onApply: (m) => log.info({ migration: `${m.version}_${m.name}` }, 'migration applied'),
    });
    if (applied.length === 0) log.info('database schema up to date');

    await seedReferenceData(db);
    // devices [F]: telemetry's monthly partitions, ahead of ingest (idempotent; one catalog read when all exist).
    const partitions = await ensureTelemetryPartitions(db);
    if (partitions.created.length + partitions.dropped.length > 0) log.info(partitions, 'telemetry partitions');
    const { cipher: pii, source } = await openPiiCipher(db, { secret: config.secret, keyFile: config.keyFile });
    if (source === 'new-file')
      log.warn({ keyFile: config.keyFile }, 'created a new personal-data key: back it up (docs/operations.md)');

    // Jobs stop after the HTTP server (requests may still queue jobs) and before the database closes.
    const jobs = createJobs(db, { concurrency: config.jobsConcurrency, log: log.child({ part: 'jobs' }) });
    closers.push(() => jobs.stop());
    // devices [A]: ingest authenticates devices on the embedded broker and stores what they send (acknowledged
    // only once committed); it writes what is queued after the broker has stopped.
    const ingest = createIngest({
      db,
      log: log.child({ part: 'ingest' }),
      raise: (tx, triggers) => raiseAlarms({ db: openedDb, pii, jobs }, tx, triggers),
    });
    closers.push(() => ingest.close());
    const broker = await startBroker({
      mqttUrl: config.mqttUrl,
      embeddedPort: config.mqttPort,
      gate: ingest,
      onError: (err) => log.warn({ err }, 'message from the broker not stored; not acknowledged'),
    });
    if (broker) closers.push(() => broker.close());
    log.info({ broker: broker ? broker.url : 'disabled', ready: broker?.isReady() ?? false }, 'message broker');

    if (config.loadDemo && !(await isDemoLoaded(db))) {
      const t = Date.now();
      const { nodes } = await loadDemoRegion(db);
      log.info({ nodes, ms: Date.now() - t }, 'demo region loaded');
    }
    if (config.loadDemo) {
      const created = await loadDemoAccounts(db, pii);
      if (created > 0) log.info({ accounts: created }, 'demo accounts created');
      if (!(await isDemoPeopleLoaded(db))) {
        const r = await loadDemoPeople(db, pii);
        log.info(r, 'demo residents, households and houses loaded');
      }
      if (await linkDemoResident(db)) log.info('demo resident account linked to its household');
      // grid work [D]: 一网三联 links of the demo community (two party members, the building leader), once.
      await loadDemoLinks(db, pii);
      // ---- points [A] demo ----
      const pointsHistory = await (await import('./demo/demo-points-a.js')).loadDemoPointsHistory(db);
      if (pointsHistory > 0) log.info({ transfers: pointsHistory }, 'demo points history loaded');
      // ---- end points [A] demo ----
      // ---- points [B] demo ----
      // jumin's garbage check-ins and a run of the automatic earners (the job points.earn credits the demo cases)
      {
        const { loadDemoPointsEarning } = await import('./demo/demo-points-earning.js');
        const earned = await loadDemoPointsEarning(db);
        if (earned) log.info(earned, 'demo points earned');
      }
      // ---- end points [B] demo ----
      // ---- points [C] demo ----
      {
        const { loadDemoMerchants } = await import('./demo/demo-merchants.js');
        const r = await loadDemoMerchants(db, pii);
        if (r && (r.created || r.goods > 0)) log.info(r, 'demo merchant 东关便民超市 loaded');
      }
      // ---- end points [C] demo ----
      // ---- points [G] demo ----
      {
        const { loadDemoRedeem } = await import('./demo/demo-redeem.js');
        const r = await loadDemoRedeem(db);
        if (r.merchant || r.funded) log.info(r, 'demo merchant counter and resident points loaded');
      }
      // ---- end points [G] demo ----
      // ---- volunteers [D] demo ----
      // teams, volunteers (zhiyuan linked and enrolled, two riders), three activities (one ended and credited), once
      {
        const { loadDemoVolunteers } = await import('./demo/demo-volunteers.js');
        const r = await loadDemoVolunteers(db);
        if (r) log.info(r, 'demo volunteers and activities loaded');
      }
      // ---- end volunteers [D] demo ----
      // ---- timebank [E] demo ----
      {
        const { loadDemoTimebank } = await import('./demo/demo-timebank.js');
        const tb = await loadDemoTimebank(db);
        if (tb) log.info(tb, 'demo time bank loaded');
      }
      // ---- end timebank [E] demo ----
      // ---- partners [F] demo ----
      const { loadDemoPartners } = await import('./demo/demo-partners.js');
      const partners = await loadDemoPartners(db, pii);
      if (partners) log.info(partners, 'demo partners and projects loaded');
      // ---- end partners [F] demo ----
      // ---- policies [A2] demo ----
      // resident facts (户籍类型, 收入档次, 残疾等级), five policies and one finished run over the county, once
      {
        const { loadDemoPolicies } = await import('./demo/demo-policies.js');
        const r = await loadDemoPolicies(db);
        if (r) log.info(r, 'demo policies and their first run loaded');
      }
      // ---- end policies [A2] demo ----
      // ---- metrics [B] demo ----
      // the figures of the last 3 months, this month and this quarter, once (before the assessment demo scores them)
      {
        const { loadDemoMetrics } = await import('./modules/metrics/metrics.demo.js');
        const m = await loadDemoMetrics(db);
        if (m) log.info(m, 'demo metrics computed');
      }
      // ---- end metrics [B] demo ----
      // ---- assessment [C1] demo ----
      // three schemes, scores for the current and previous month and quarter, proposals for last quarter; once
      {
        const { loadDemoAssessment } = await import('./demo/demo-assessment.js');
        const r = await loadDemoAssessment(db);
        if (r) log.info(r, 'demo assessment loaded');
      }
      // ---- end assessment [C1] demo ----
      // ---- deliberation [A] demo ----
      // jumin verified; topics at 东关社区 and 1号楼 with votes, comments (one in moderation), a proposal; a closed topic
      // with its three-party meeting and decisions; jumin's own topic waiting for approval; once
      {
        const { loadDemoDeliberation } = await import('./demo/demo-deliberation.js');
        const r = await loadDemoDeliberation(db);
        if (r) log.info(r, 'demo deliberation loaded');
      }
      // ---- end deliberation [A] demo ----
      // ---- notices [B] demo ----
      // five notices of 东关社区 (public, important for 高龄老人, a reminder, one to review, a draft); once
      {
        const { loadDemoNotices } = await import('./demo/demo-notices.js');
        const r = await loadDemoNotices(db);
        if (r) log.info(r, 'demo notices loaded');
      }
      // ---- end notices [B] demo ----
      // ---- services [C] demo ----
      // 东关社区's directory and elder canteen with subsidies by tag, once; this week's menus at every start
      {
        const { loadDemoServices } = await import('./demo/demo-services.js');
        const r = await loadDemoServices(db);
        if (r) log.info(r, 'demo services (directory, elder canteen, menus) loaded');
      }
      // ---- end services [C] demo ----
      // ---- privacy [E] demo ----
      // the demo resident's decided objection and pending correction (wangge's task), once
      {
        const { loadDemoPrivacy } = await import('./demo/demo-privacy.js');
        const r = await loadDemoPrivacy(db, pii);
        if (r) log.info(r, 'demo privacy requests loaded');
      }
      // ---- end privacy [E] demo ----
      // ---- machinery [D] demo ----
      // 农机共享 in 白石镇: owners, machines, demands, bookings and one finished job; once
      {
        const { loadDemoMachinery } = await import('./demo/demo-machinery.js');
        const r = await loadDemoMachinery(db, pii);
        if (r) log.info(r, 'demo farm machinery loaded');
      }
      // ---- end machinery [D] demo ----
    }
    const admin = await ensureSystemAdmin({ db, pii }, { password: config.adminPassword });

    const app = await buildApp({
      ingest,
      db,
      pii,
      broker,
      jobs,
      sessionHours: config.sessionHours,
      trustProxy: config.trustProxy,
      allowedOrigins: config.allowedOrigins,
      passwordConfirmMinutes: config.passwordConfirmMinutes,
      webDir: path.join(ROOT, 'web', 'dist'),
      logger: log,
      uploads: { dir: path.join(config.dataDir, 'uploads') },
      files: { dir: path.join(config.dataDir, 'files') },
      idClashDailyLimit: config.idClashDailyLimit,
      mapTiles: config.mapTiles,
    });
    closers.push(() => app.close());
    await jobs.start();
    // cases core (helper A): demo departments and cases go through the cases service, whose steps queue SLA timers.
    if (config.loadDemo && !(await isDemoCasesLoaded(db))) {
      await loadDemoCases({ db, pii, jobs })
        .then(async (r) => {
          log.info(r, 'demo departments and cases loaded');
          // metrics [B]: the demo's figures were computed before its cases existed: count them now (in the
          // background; the job then rescores the assessment schemes), as the nightly run would
          await jobs.send('metrics.refresh', {});
        })
        .catch((err) => log.error({ err }, 'demo cases not loaded'));
    }
    // end cases core
    // grid work [A]: visits.generate's run at start (then daily at 00:20). The demo waits for it, so the demo grid
    // worker has visit tasks as soon as the server answers; otherwise it runs beside the start.
    const generation = generateVisitTasks(db)
      .then((r) => log.info(r, 'visit tasks generated'))
      .catch((err) => log.error({ err }, 'visit task generation failed'));
    if (config.loadDemo) await generation;
    await app.listen({ port: config.port, host: config.host });
    // devices [F]: in demo mode a dozen simulated devices publish (one every 30–60 s each) so the alarm centre is alive.
    if (config.loadDemo && broker) {
      const simLog = log.child({ part: 'demo-simulator' });
      await startDemoSimulation({ db, pii }, broker.url, (err) => simLog.warn({ err: err.message }, 'simulated device'))
        .then((demo) => {
          if (!demo) return;
          closers.push(() => demo.simulation.stop());
          simLog.info({ devices: demo.devices, historyFilled: demo.historyFilled }, 'demo devices publishing');
        })
        .catch((err) => simLog.error({ err }, 'demo simulation not started'));
    }
    // Ages move with the calendar: derived tags (高龄, 未成年人 …) are recomputed once a day; checked at start, and
    // hourly by the job people.refresh_derived_tags.
    void refreshDerivedTagsDaily(openedDb)
      .then((r) => r && log.info(r, 'derived tags refreshed for the day'))
      .catch((err) => log.error({ err }, 'derived tag refresh failed'));
    const port = (app.server.address() as { port: number }).port;

    const lines = [
      '',
      `  Linli 邻里 is running: http://localhost:${port}`,
      `  Phone view:            http://localhost:${port}/m`,
      `  API documentation:     http://localhost:${port}/docs`,
    ];
    if (admin.created) {
      lines.push(
        admin.generated
          ? `  First administrator:   ${admin.username} / ${admin.password}   (shown once; change it after logging in)`
          : `  First administrator:   ${admin.username} / (the password in LINLI_ADMIN_PASSWORD)`,
      );
    } else {
      lines.push(
        '  Administrator:         log in with your existing account (create another: npm run linli -- create-admin)',
      );
    }
    if (config.loadDemo)
      lines.push('  Demo accounts:         jiedao, shequ, wangge, … password Linli@2026 (README, "Demo accounts")');
    lines.push(`  Started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`, '');
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (err) {
    if ([ConfigError, KeyError, DataLockError, MigrationError].some((E) => err instanceof E)) {
      log.fatal((err as Error).message);
    } else {
      log.fatal({ err }, 'start failed');
    }
    await shutdown('start-failure', 1);
    return;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(signal));
  }
}

void main();
