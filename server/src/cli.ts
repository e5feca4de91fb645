import { parseArgs } from 'node:util';
import { loadDemoLinks } from './demo/demo-links.js';
import { isDemoPeopleLoaded, loadDemoPeople } from './demo/demo-people.js';
import { isDemoLoaded, loadDemoAccounts, loadDemoRegion } from './demo/demo-region.js';
// devices [F]
import { parseSimulateArgs, SIMULATE_USAGE, simulateCommand } from './modules/devices/simulator.cli.js';
import { registerModuleHooks, seedReferenceData } from './modules/index.js';
import { IMPORT_USAGE, importCommand } from './modules/people/import/import.cli.js';
import { reindexPinyin } from './modules/people/pinyin-reindex.js';
// points [A]
import { formatLedgerCheck, ledgerCheckOk } from './modules/points/ledger.logic.js';
import { checkLedger } from './modules/points/ledger.service.js';
import { createSystemAdmin, resetPasswordByUsername } from './modules/users/users.service.js';
import { loadConfig } from './platform/config.js';
import { type Db, openDb } from './platform/db/client.js';
import { lockDataDir } from './platform/db/data-lock.js';
import { migrate } from './platform/db/migrate.js';
import { AppError, formatError } from './platform/errors/errors.js';
import { openPiiCipher } from './platform/pii/key-store.js';

/** `npm run linli -- <command>`: operators' work on the configured database. */

const HELP = `Linli 邻里 — operators' commands

  npm run linli -- migrate                      apply pending database migrations
  npm run linli -- create-admin [--username U] [--password P]
                                                 add a system administrator (password generated if not given)
  npm run linli -- reset-password <username> [--password P]
                                                 set a temporary password (must be changed at next login)
  npm run linli -- demo                         load the demo region and demo accounts (once)
  ${IMPORT_USAGE}
                                                 check a residents file (dry run), or load it with --commit;
                                                 acts as a system administrator unless --as names an account
  npm run linli -- reindex pinyin [--batch N]  recompute the stored pinyin and initials of every resident (after
                                                 the pinyin library or its polyphone table changed), N a batch
  ${SIMULATE_USAGE}
                                                 simulated water meters, bracelets and SOS buttons publishing over
                                                 MQTT (registered once, serials SIM-…; anomalies: no use, heart rate
                                                 150, an SOS press); with --api and an API token through a running
                                                 server (the embedded database stays with it), else the database
  npm run linli -- ledger check                 compare every points/hours balance with its movements, every
                                                 transfer with its two movements, each currency's sum with 0
                                                 (exit code 1 on any mismatch)
  npm run linli -- metrics refresh --period month|week|quarter --start YYYY-MM-DD [--county ID]
                                                 compute every metric of the period into metric_values (what the
                                                 nightly job metrics.refresh does), showing progress per metric family
  npm run linli -- help

The database is DATABASE_URL, or the embedded PGlite in LINLI_DATA_DIR (default ./data); stop a
running server first when using the embedded database.`;

type Opened = { db: Db; close: () => Promise<void> };

async function open(): Promise<Opened & { config: ReturnType<typeof loadConfig> }> {
  const config = loadConfig();
  const unlock = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir);
  const db = await openDb(config);
  return {
    db,
    config,
    close: async () => {
      await db.close();
      unlock();
    },
  };
}

const out = (s: string) => process.stdout.write(`${s}\n`);
// devices [F]: the simulator's progress overwrites one line on a terminal.
const simulateIo = {
  out,
  status: (s: string) => {
    if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${s}`);
    else out(s);
  },
};
// What modules offer each other (notification kinds a move-in request sends, hooks), as the server has them.
registerModuleHooks();

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      commit: { type: 'boolean' },
      as: { type: 'string' },
      'error-report': { type: 'string' },
      mapping: { type: 'string' },
      node: { type: 'string' },
      batch: { type: 'string' },
      // devices [F]: simulate
      count: { type: 'string' },
      scenario: { type: 'string' },
      url: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      // ---- metrics [B]: metrics refresh ----
      period: { type: 'string' },
      start: { type: 'string' },
      county: { type: 'string' },
      // ---- end metrics [B] ----
    },
  });
  const [command, ...rest] = positionals;
  if (!command || command === 'help') {
    out(HELP);
    return 0;
  }
  const known = ['migrate', 'create-admin', 'reset-password', 'demo', 'import', 'reindex', 'simulate', 'ledger'];
  // devices [F]
  const simulate =
    command === 'simulate'
      ? parseSimulateArgs({
          what: rest[0],
          count: values.count,
          scenario: values.scenario,
          url: values.url,
          rate: values.rate,
          duration: values.duration,
          node: values.node,
          api: values.api,
          token: values.token,
        })
      : null;
  if (typeof simulate === 'string') {
    out(simulate);
    return 2;
  }
  if (simulate?.api) {
    // Through a running server's API: the database (maybe the embedded one the server holds) is not opened.
    const config = loadConfig();
    const embedded = config.mqttPort > 0 ? `mqtt://127.0.0.1:${config.mqttPort}` : undefined;
    return simulateCommand(null, simulate, { url: config.mqttUrl ?? embedded }, simulateIo);
  }
  if (command === 'reindex' && rest[0] !== 'pinyin') {
    out('reindex needs what to recompute: npm run linli -- reindex pinyin');
    return 2;
  }
  const batch = values.batch === undefined ? 5000 : Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) {
    out('--batch must be a whole number from 1 to 100000');
    return 2;
  }
  // points [A]
  if (command === 'ledger' && rest[0] !== 'check') {
    out('ledger needs what to do: npm run linli -- ledger check');
    return 2;
  }
  // ---- metrics [B]: metrics refresh --period … --start … ----
  known.push('metrics');
  const metricsPeriod = values.period === undefined ? 'month' : values.period;
  if (command === 'metrics') {
    if (rest[0] !== 'refresh') {
      out('metrics needs what to do: npm run linli -- metrics refresh --period month --start 2026-11-01');
      return 2;
    }
    if (!['week', 'month', 'quarter'].includes(metricsPeriod) || !values.start) {
      out('metrics refresh needs --period week|month|quarter and --start YYYY-MM-DD (the period’s first day)');
      return 2;
    }
    if (values.county !== undefined && !/^[1-9]\d{0,14}$/.test(values.county)) {
      out('--county must be a county node id');
      return 2;
    }
  }
  // ---- end metrics [B] ----
  if (!known.includes(command)) {
    out(`Unknown command: ${command}\n\n${HELP}`);
    return 2;
  }
  const o = await open();
  try {
    const applied = await migrate(o.db, {
      onApply: (m) => out(`  applied ${String(m.version).padStart(3, '0')}_${m.name}`),
    });
    if (command === 'migrate') {
      out(applied.length ? `${applied.length} migration(s) applied.` : 'Database schema is up to date.');
      return 0;
    }
    await seedReferenceData(o.db);
    const { cipher: pii } = await openPiiCipher(o.db, { secret: o.config.secret, keyFile: o.config.keyFile });
    if (command === 'import') {
      return await importCommand(
        { db: o.db, pii },
        {
          kind: rest[0],
          file: rest[1],
          commit: values.commit ?? false,
          as: values.as,
          errorReport: values['error-report'],
          mapping: values.mapping,
          node: values.node,
        },
        { out, err: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true },
      );
    }
    // devices [F]
    if (simulate) {
      const embedded = o.config.mqttPort > 0 ? `mqtt://127.0.0.1:${o.config.mqttPort}` : undefined;
      return await simulateCommand(
        { db: o.db, pii },
        simulate,
        { url: o.config.mqttUrl ?? embedded },
        {
          out,
          status: (s) => (process.stdout.isTTY ? process.stdout.write(`\r\x1b[K${s}`) : out(s)),
        },
      );
    }
    // points [A]
    if (command === 'ledger') {
      const check = await checkLedger(o.db);
      for (const line of formatLedgerCheck(check)) out(line);
      return ledgerCheckOk(check) ? 0 : 1;
    }
    // ---- metrics [B]: metrics refresh ----
    if (command === 'metrics') {
      const { refreshMetrics } = await import('./modules/metrics/metrics.service.js');
      out(`Computing ${metricsPeriod} ${values.start} …`);
      const r = await refreshMetrics(o.db, {
        periodKind: metricsPeriod as 'week' | 'month' | 'quarter',
        periodStart: values.start as string,
        countyId: values.county === undefined ? null : Number(values.county),
        onProgress: (family, ms) => out(`  ${family.padEnd(14)} ${ms} ms`),
      });
      out(`${r.rows} figures written in ${(r.millis / 1000).toFixed(1)} s.`);
      return 0;
    }
    // ---- end metrics [B] ----
    if (command === 'reindex') {
      const t = Date.now();
      const r = await reindexPinyin(o.db, {
        batchSize: batch,
        onProgress: (p) =>
          out(`  residents ${p.done} / ${p.total}, pinyin changed ${p.changed} (up to id ${p.lastId})`),
      });
      out(
        `Pinyin recomputed for ${r.done} residents in ${((Date.now() - t) / 1000).toFixed(1)} s: ${r.changed} changed.`,
      );
      return 0;
    }
    if (command === 'create-admin') {
      const r = await createSystemAdmin(
        { db: o.db, pii },
        { username: values.username ?? 'admin', password: values.password },
      );
      out(`System administrator ${r.username} created.`);
      if (r.generated) out(`Password (shown once, must be changed at first login): ${r.password}`);
      return 0;
    }
    if (command === 'reset-password') {
      const username = rest[0];
      if (!username) {
        out('reset-password needs a username: npm run linli -- reset-password <username>');
        return 2;
      }
      const r = await resetPasswordByUsername({ db: o.db, pii }, username, values.password);
      out(`Password of ${username} reset; it must be changed at next login. Their sessions were ended.`);
      if (r.revokedTokens > 0) out(`${r.revokedTokens} API token(s) of ${username} revoked; they are told at login.`);
      if (r.generated) out(`Temporary password (shown once): ${r.password}`);
      return 0;
    }
    // demo
    if (await isDemoLoaded(o.db)) {
      out('The demo region is already loaded.');
    } else {
      const t = Date.now();
      const { nodes } = await loadDemoRegion(o.db);
      out(`Demo region loaded: ${nodes} nodes in ${((Date.now() - t) / 1000).toFixed(1)} s.`);
    }
    const created = await loadDemoAccounts(o.db, pii);
    out(`${created} demo account(s) created.`);
    if (!(await isDemoPeopleLoaded(o.db))) {
      const r = await loadDemoPeople(o.db, pii);
      out(
        `Demo people loaded: ${r.residents} residents, ${r.households} households, ${r.houses} houses in ${(r.ms / 1000).toFixed(1)} s.`,
      );
    }
    // grid work [D]: 一网三联 links of the demo community, once.
    await loadDemoLinks(o.db, pii);
    return 0;
  } finally {
    await o.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    const message =
      err instanceof AppError
        ? `${formatError(err.code, 'en', err.params)}${err.field ? ` (${err.field})` : ''} / ${formatError(err.code, 'zh-CN', err.params)}`
        : err.message;
    process.stderr.write(`Error: ${message}\n`);
    // What lay under a refusal (a damaged zip, an encrypted workbook …): the operator may read it.
    for (let c = err.cause; c; c = (c as { cause?: unknown }).cause) {
      process.stderr.write(`  cause: ${c instanceof Error ? c.message : String(c)}\n`);
    }
    process.exit(1);
  },
);
