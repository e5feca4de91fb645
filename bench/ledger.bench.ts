/**
 * bench:ledger — the ledger engine and redemption under concurrency (PostgreSQL):
 *
 * 1. `transfers_per_s`: `postTransfer` (each in its own transaction) by `--workers` concurrent workers over
 *    `--accounts` accounts picked at random (no contention to speak of);
 * 2. `contended_transfers_per_s`: the same workers over 5 accounts (every transfer waits on row locks);
 * 3. `baseline_rows_per_s`: in the same run, a plain INSERT of the same number of rows, one per statement, by the same
 *    workers into a table shaped like ledger_movements; `ratio` = transfers_per_s / baseline_rows_per_s;
 * 4. 1,000 concurrent redemptions through the redemption service (the app's pool, max 20) against balances and stock
 *    that allow 450 of them; then, counted from the database, `negative_balances` (non-issuer accounts below zero)
 *    and `sum_mismatch` (currencies whose balances do not sum to 0, or whose holders do not hold what the issuers
 *    issued, plus accounts whose balance is not the sum of their movements): both must be 0.
 *
 * Progress on stderr; a table, then ONE line holding one JSON object. A fresh database is created and dropped.
 *
 *   npm run bench:ledger [-- --accounts 10000 --workers 20 --transfers 20000]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadDemoAccounts, loadDemoRegion } from '../server/src/demo/demo-region.js';
import { seedReferenceData } from '../server/src/modules/index.js';
import { issuerAccount, postTransfer } from '../server/src/modules/points/ledger.repo.js';
import { redeem } from '../server/src/modules/points/redemption.service.js';
import { type Db, openPostgres } from '../server/src/platform/db/client.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { createPiiCipher } from '../server/src/platform/pii/index.js';
import { ledgerChecks, merchantCtx, prepareRace } from '../server/src/test/redemption-race.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    workers: { type: 'string', default: '20' },
    transfers: { type: 'string', default: '20000' },
  },
});
const ACCOUNTS = Number(values.accounts);
const WORKERS = Number(values.workers);
const TRANSFERS = Number(values.transfers);
const log = (s: string) => process.stderr.write(`${s}\n`);

async function openBenchDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `linli_bench_ledger_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString(), { max: WORKERS });
  return {
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Runs `total` jobs on `workers` concurrent workers; seconds taken and how many threw. */
async function run(total: number, workers: number, job: (i: number) => Promise<unknown>) {
  let next = 0;
  let failed = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < total; i = next++) {
        try {
          await job(i);
        } catch {
          failed++;
        }
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, failed };
}

/** `n` merchant accounts in the demo community, each given `funds` points by its issuer. */
async function openAccounts(db: Db, n: number, funds: number): Promise<number[]> {
  const [c] = await db.query<{ id: number; county_id: number; path: string }>(
    "SELECT id, county_id, path FROM org_nodes WHERE type = 'community' ORDER BY id LIMIT 1",
  );
  await db.query(
    `INSERT INTO merchants (county_id, community_id, node_id, node_path, name)
     SELECT $1, $2, $2, $3, '压测账户' || k FROM generate_series(1, $4) k`,
    [c!.county_id, c!.id, c!.path, n],
  );
  const ids = await db.query<{ id: number }>(
    `INSERT INTO ledger_accounts (county_id, community_id, node_id, node_path, kind, currency, merchant_id)
     SELECT county_id, community_id, node_id, node_path, 'merchant', 'points', id FROM merchants
      WHERE name LIKE '压测账户%' AND id > COALESCE((SELECT max(merchant_id) FROM ledger_accounts), 0)
     RETURNING id`,
  );
  const issuer = await issuerAccount(db, c!.id, 'points');
  const accounts = ids.map((r) => Number(r.id)).slice(-n);
  await run(accounts.length, WORKERS, (i) =>
    db.transaction((tx) =>
      postTransfer(tx, {
        currency: 'points',
        kind: 'adjust',
        amount: funds,
        fromAccountId: issuer.id,
        toAccountId: accounts[i]!,
        reason: '压测充值',
      }),
    ),
  );
  return accounts;
}

function transfersOver(db: Db, accounts: number[]) {
  return (_i: number) => {
    const a = accounts[Math.floor(Math.random() * accounts.length)]!;
    let b = a;
    while (b === a) b = accounts[Math.floor(Math.random() * accounts.length)]!;
    return db.transaction((tx) =>
      postTransfer(tx, {
        currency: 'points',
        kind: 'transfer',
        amount: 1,
        fromAccountId: a,
        toAccountId: b,
        reason: '压测',
      }),
    );
  };
}

async function main() {
  const { db, drop } = await openBenchDb();
  try {
    log('migrating and loading the demo region …');
    await migrate(db);
    await seedReferenceData(db);
    await loadDemoRegion(db);
    const pii = createPiiCipher(randomBytes(32));
    await loadDemoAccounts(db, pii);

    log(`opening ${ACCOUNTS} accounts (and 5 for contention) …`);
    const many = await openAccounts(db, ACCOUNTS, 1_000_000);
    const few = await openAccounts(db, 5, 1_000_000);

    log(`${TRANSFERS} transfers over ${many.length} accounts, ${WORKERS} workers …`);
    const free = await run(TRANSFERS, WORKERS, transfersOver(db, many));
    log(`${TRANSFERS} transfers over 5 accounts …`);
    const hot = await run(TRANSFERS, WORKERS, transfersOver(db, few));

    log(`baseline: ${TRANSFERS} plain INSERTs into a table shaped like ledger_movements …`);
    await db.exec(`CREATE TABLE bench_movements (
      id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, transfer_id bigint NOT NULL, account_id bigint NOT NULL,
      amount bigint NOT NULL CHECK (amount <> 0), balance_after bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now());
      CREATE INDEX bench_movements_account_idx ON bench_movements (account_id, id DESC);
      CREATE INDEX bench_movements_transfer_idx ON bench_movements (transfer_id);`);
    const base = await run(TRANSFERS, WORKERS, (i) =>
      db.query('INSERT INTO bench_movements (transfer_id, account_id, amount, balance_after) VALUES ($1, $2, $3, $4)', [
        i + 1,
        many[i % many.length]!,
        1,
        i,
      ]),
    );

    log('1,000 concurrent redemptions …');
    const uid = async (u: string) =>
      Number((await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [u]))[0]!.id);
    const [unit] = await db.query<{ id: number }>("SELECT id FROM org_nodes WHERE type = 'unit' ORDER BY id LIMIT 1");
    const [community] = await db.query<{ id: number }>(
      "SELECT id FROM org_nodes WHERE type = 'community' ORDER BY id LIMIT 1",
    );
    const race = await prepareRace(
      { db, pii },
      {
        unitId: unit!.id,
        communityId: community!.id,
        staffUserId: await uid('shanghu'),
        codeUserId: await uid('jumin'),
      },
    );
    const ctx = await merchantCtx(db, 'shanghu');
    const started = process.hrtime.bigint();
    const results = await Promise.allSettled(
      race.attempts.map((a) =>
        redeem({ db }, ctx, { code: a.code, items: [{ goodsId: a.goodsId, quantity: 1 }], clientId: randomUUID() }),
      ),
    );
    const redeemSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const redeemed = results.filter((r) => r.status === 'fulfilled').length;
    const [stock] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM merchant_goods WHERE stock < 0 AND id = ANY($1::bigint[])',
      [[race.goodsA, race.goodsB]],
    );
    const checks = await ledgerChecks(db);

    const result = {
      accounts: many.length,
      workers: WORKERS,
      transfers: TRANSFERS,
      transfers_per_s: Math.round((TRANSFERS - free.failed) / free.seconds),
      transfers_failed: free.failed,
      contended_transfers_per_s: Math.round((TRANSFERS - hot.failed) / hot.seconds),
      contended_failed: hot.failed,
      baseline_rows_per_s: Math.round((TRANSFERS - base.failed) / base.seconds),
      ratio: Number(((TRANSFERS - free.failed) / free.seconds / ((TRANSFERS - base.failed) / base.seconds)).toFixed(3)),
      contended_ratio: Number(
        ((TRANSFERS - hot.failed) / hot.seconds / ((TRANSFERS - base.failed) / base.seconds)).toFixed(3),
      ),
      redemptions: race.attempts.length,
      redemptions_ok: redeemed,
      redemptions_expected: 450,
      redemptions_per_s: Math.round(race.attempts.length / redeemSeconds),
      negative_stock: Number(stock!.n),
      negative_balances: checks.negativeBalances,
      sum_mismatch: checks.sumMismatch,
    };
    const rows: [string, string][] = [
      ['transfers/s (10,000 accounts)', String(result.transfers_per_s)],
      ['transfers/s (5 accounts)', String(result.contended_transfers_per_s)],
      ['baseline INSERT rows/s', String(result.baseline_rows_per_s)],
      ['ratio (transfers / baseline)', String(result.ratio)],
      ['redemptions ok / expected', `${redeemed} / 450`],
      ['redemptions/s', String(result.redemptions_per_s)],
      ['negative_balances', String(result.negative_balances)],
      ['sum_mismatch', String(result.sum_mismatch)],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(32)} ${v.padStart(10)}`);
    console.log(JSON.stringify(result));
    if (result.negative_balances !== 0 || result.sum_mismatch !== 0 || redeemed !== 450) process.exitCode = 1;
  } finally {
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
