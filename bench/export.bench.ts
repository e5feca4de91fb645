/**
 * One-click report export at county scale: N residents (default 100,000) in a fresh database with the demo
 * region, exported to .xlsx through Linli's real path (template → scope → keyset pages of 2,000 → streaming
 * exceljs WorkbookWriter), against the baseline of one plain SELECT of the same rows written with exceljs's
 * in-memory Workbook, in the same run. Each of the two runs in its own child process, so that its peak RSS
 * is its own (the database is set up once by the parent and reopened by each child).
 *
 *   npm run bench:export -- [--rows 100000] [--keep]
 *
 * DATABASE_URL set: a database linli_bench_<random> is created there and dropped after; otherwise an on-disk
 * PGlite in a temporary directory. The last line is one JSON object.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { loadDemoRegion } from '../server/src/demo/demo-region.js';
import { seedReferenceData } from '../server/src/modules/index.js';
import { ageOn, namePinyin } from '../server/src/modules/people/people.logic.js';
import { dayInShanghai, type PlaceNode, placeOnPath } from '../server/src/modules/reports/reports.logic.js';
import { ensureBuiltinReports, exportTemplate } from '../server/src/modules/reports/reports.service.js';
import { systemCtx } from '../server/src/platform/access/context.js';
import { type Db, openPglite, openPostgres } from '../server/src/platform/db/client.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { createPiiCipher, generateIdNumber, maskIdNumber, maskPhone } from '../server/src/platform/pii/index.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    keep: { type: 'boolean', default: false },
    /** Print the children's memory use twice a second (heap, buffers outside it, RSS). */
    trace: { type: 'boolean', default: false },
    // Internal: a child process running one side of the comparison.
    phase: { type: 'string' },
    target: { type: 'string' },
    out: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const log = (s: string) => process.stderr.write(`${s}\n`);
const KEY = Buffer.alloc(32, 7); // a fixed key: the children open what the parent sealed

const COLUMNS = [
  { field: 'community' },
  { field: 'grid' },
  { field: 'building' },
  { field: 'unit' },
  { field: 'name' },
  { field: 'sex' },
  { field: 'birthDate' },
  { field: 'age' },
  { field: 'idNumber' },
  { field: 'phone' },
  { field: 'currentAddress' },
  { field: 'tags' },
];

type Target = { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string };

async function openTarget(t: Target): Promise<Db> {
  return t.kind === 'pglite' ? openPglite(t.dir) : openPostgres(t.url, { max: 4 });
}

// ---- set-up (parent) -------------------------------------------------------------------------------------

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎';
const GIVEN = '秀英桂兰玉兰建华建国志强明军海燕红梅淑珍丽娟文静德胜永刚宏伟晓东春生家豪子涵浩然欣怡雨轩梓萱';

function pick(s: string, i: number): string {
  return [...s][i % [...s].length]!;
}

async function setUp(db: Db): Promise<number> {
  await migrate(db);
  await seedReferenceData(db);
  await ensureBuiltinReports(db);
  await loadDemoRegion(db);
  const places = await db.query<{ id: number; path: string }>(
    `SELECT id, path FROM org_nodes WHERE type IN ('unit', 'micro_grid') AND status = 'active'
        AND NOT EXISTS (SELECT 1 FROM org_nodes c WHERE c.parent_id = org_nodes.id) ORDER BY id`,
  );
  const pii = createPiiCipher(KEY);
  const hex = (b: Buffer) => `\\x${b.toString('hex')}`;
  const started = Date.now();
  await db.transaction(async (tx) => {
    const CHUNK = 10_000;
    for (let from = 0; from < ROWS; from += CHUNK) {
      const lines: string[] = [];
      for (let i = from; i < Math.min(ROWS, from + CHUNK); i++) {
        const place = places[i % places.length]!;
        const sex = i % 2 === 0 ? 'male' : 'female';
        const birth = new Date(Date.UTC(1925, 0, 1) + ((i * 7919) % 36_500) * 86_400_000).toISOString().slice(0, 10);
        const id = generateIdNumber({
          areaCode: ['370323', '370829', '110105', '440305', '510104'][Math.floor(i / 1000) % 5]!,
          birthDate: birth,
          sequence: i % 1000,
          sex,
        });
        const name = pick(SURNAMES, i) + pick(GIVEN, i * 7) + (i % 3 === 0 ? '' : pick(GIVEN, i * 13 + 5));
        const py = namePinyin(name);
        const phone = i % 4 === 0 ? null : `13${String(100_000_000 + ((i * 104_729) % 900_000_000)).slice(-9)}`;
        lines.push(
          [
            place.path.split('/')[1],
            place.id,
            place.path,
            name,
            py.full,
            py.initials,
            hex(pii.seal(id)),
            hex(pii.hash(id, 'id')),
            maskIdNumber(id),
            sex,
            birth,
            phone ? hex(pii.seal(phone)) : '',
            phone ? hex(pii.hash(phone, 'phone')) : '',
            phone ? maskPhone(phone) : '',
            `泗源县幸福路${i % 500}号`,
          ].join(','),
        );
      }
      await tx.copyFrom(
        `COPY residents (county_id, node_id, node_path, name, name_pinyin, name_initials, id_sealed, id_hash, id_masked,
           sex, birth_date, phone_sealed, phone_hash, phone_masked, current_address) FROM STDIN WITH (FORMAT csv)`,
        `${lines.join('\n')}\n`,
      );
    }
    // Tags as the rules would set them, plus party members: so the tags column has something to join.
    await tx.query(
      `INSERT INTO resident_tags (resident_id, tag_id, county_id, source)
       SELECT r.id, t.id, r.county_id, 'rule' FROM residents r JOIN tags t ON t.code = 'aged_80'
        WHERE r.birth_date <= (current_date - interval '80 years')`,
    );
    await tx.query(
      `INSERT INTO resident_tags (resident_id, tag_id, county_id, source)
       SELECT r.id, t.id, r.county_id, 'manual' FROM residents r JOIN tags t ON t.code = 'party_member' WHERE r.id % 9 = 0`,
    );
  });
  await db.exec('ANALYZE');
  log(`inserted ${ROWS} residents into ${places.length} places in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const rows = await db.query<{ id: number }>(
    `INSERT INTO report_templates (name, definition) VALUES ('全部人口花名册', $1) RETURNING id`,
    [JSON.stringify({ entity: 'resident', columns: COLUMNS })],
  );
  return rows[0]!.id;
}

// ---- the two sides (children) ------------------------------------------------------------------------------

type PhaseResult = { seconds: number; rows: number; peakRssMb: number; openRssMb: number; fileMb: number };

function rssSampler(label: string): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)}`;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const tracer = args.trace
    ? setInterval(() => {
        const m = process.memoryUsage();
        log(
          `  ${label}: heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, external ${mb(m.external)} MB, rss ${mb(m.rss)} MB`,
        );
      }, 500)
    : undefined;
  return {
    stop: () => {
      clearInterval(timer);
      clearInterval(tracer);
      // maxRSS (KiB) also catches peaks between samples (the process is this phase alone).
      return Math.max(peak, process.resourceUsage().maxRSS * 1024) / 1024 / 1024;
    },
  };
}

async function countRows(file: string): Promise<number> {
  let rows = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {});
  for await (const sheet of reader) for await (const _row of sheet) rows++;
  return rows;
}

type Measured = Omit<PhaseResult, 'peakRssMb' | 'openRssMb'>;

async function runStreaming(db: Db, templateId: number, file: string): Promise<Measured> {
  const started = process.hrtime.bigint();
  const out = await exportTemplate({ db, pii: createPiiCipher(KEY) }, systemCtx('bench'), templateId, {});
  await pipeline(out.stream, fs.createWriteStream(file));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, rows: out.totalRows, fileMb: fs.statSync(file).size / 1024 / 1024 };
}

async function runBaseline(db: Db, file: string): Promise<Measured> {
  const started = process.hrtime.bigint();
  const nodes = new Map(
    (await db.query<PlaceNode>('SELECT id, type, name, path FROM org_nodes')).map((n) => [n.id, n]),
  );
  const rows = await db.query<{
    node_path: string;
    name: string;
    sex: string;
    birth_date: string;
    id_masked: string;
    phone_masked: string | null;
    current_address: string | null;
    tags: string | null;
  }>(
    `SELECT r.node_path, r.name, r.sex, to_char(r.birth_date, 'YYYY-MM-DD') AS birth_date, r.id_masked, r.phone_masked,
       r.current_address,
       (SELECT string_agg(t.name, '、' ORDER BY t.sort, t.id) FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
         WHERE rt.resident_id = r.id) AS tags
       FROM residents r WHERE r.status = 'active' ORDER BY r.node_path, r.id`,
  );
  const today = dayInShanghai(new Date());
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('全部人口花名册');
  ws.addRow(['全部人口花名册']);
  ws.addRow([
    '社区（村）',
    '网格',
    '楼栋',
    '单元',
    '姓名',
    '性别',
    '出生日期',
    '年龄',
    '身份证号',
    '联系电话',
    '现住址',
    '人员标签',
  ]);
  for (const r of rows) {
    ws.addRow([
      placeOnPath(r.node_path, 'community', nodes)?.name ?? null,
      placeOnPath(r.node_path, 'grid', nodes)?.name ?? null,
      placeOnPath(r.node_path, 'building', nodes)?.name ?? null,
      placeOnPath(r.node_path, 'unit', nodes)?.name ?? null,
      r.name,
      r.sex === 'male' ? '男' : '女',
      r.birth_date,
      ageOn(r.birth_date, today),
      r.id_masked,
      r.phone_masked,
      r.current_address,
      r.tags ?? '',
    ]);
  }
  await wb.xlsx.writeFile(file);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, rows: rows.length, fileMb: fs.statSync(file).size / 1024 / 1024 };
}

async function child(phase: string, target: Target, file: string): Promise<void> {
  const db = await openTarget(target);
  const templateId = (
    await db.query<{ id: number }>(`SELECT id FROM report_templates WHERE name = '全部人口花名册'`)
  )[0]!.id;
  // Opening the database is the same for both sides and not part of the measurement's time.
  const openRssMb = process.memoryUsage.rss() / 1024 / 1024;
  const sampler = rssSampler(phase);
  const r = phase === 'stream' ? await runStreaming(db, templateId, file) : await runBaseline(db, file);
  const peakRssMb = sampler.stop();
  await db.close();
  process.send!({ ...r, peakRssMb, openRssMb } satisfies PhaseResult);
}

function runChild(phase: 'stream' | 'baseline', target: Target, file: string): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const flags = [
      '--phase',
      phase,
      '--target',
      JSON.stringify(target),
      '--out',
      file,
      ...(args.trace ? ['--trace'] : []),
    ];
    const c = fork(script, flags, {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: PhaseResult | undefined;
    c.on('message', (m) => {
      result = m as PhaseResult;
    });
    c.on('error', reject);
    c.on('exit', (code) =>
      result && code === 0 ? resolve(result) : reject(new Error(`${phase} exited with ${code}`)),
    );
  });
}

// ---- main ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (args.phase) {
    await child(args.phase, JSON.parse(args.target!) as Target, args.out!);
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-export-bench-'));
  let target: Target;
  let drop = async () => {};
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `linli_bench_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    target = { kind: 'postgres', url: url.toString() };
    drop = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    target = { kind: 'pglite', dir: path.join(work, 'pgdata') };
  }
  try {
    log(`setting up ${ROWS} residents on ${target.kind} …`);
    const db = await openTarget(target);
    await setUp(db);
    await db.close();

    const streamFile = path.join(work, 'export.xlsx');
    const baselineFile = path.join(work, 'baseline.xlsx');
    log('streaming export (Linli) …');
    const s = await runChild('stream', target, streamFile);
    log('baseline (one SELECT, in-memory Workbook) …');
    const b = await runChild('baseline', target, baselineFile);

    const written = await countRows(streamFile);
    if (written !== ROWS + 2) throw new Error(`export wrote ${written} rows, expected ${ROWS} + title + header`);
    const rate = (r: PhaseResult) => r.rows / r.seconds;
    const line = (label: string, r: PhaseResult) =>
      `${label.padEnd(10)} ${r.rows} rows in ${r.seconds.toFixed(2)} s = ${Math.round(rate(r))} rows/s, ` +
      `peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.openRssMb.toFixed(0)} MB with the database open), file ${r.fileMb.toFixed(1)} MB`;
    log(line('streaming', s));
    log(line('baseline', b));
    log(
      `ratio: ${(rate(s) / rate(b)).toFixed(2)}× the baseline's speed, ${(s.peakRssMb / b.peakRssMb).toFixed(2)}× its peak RSS`,
    );
    console.log(
      JSON.stringify({
        bench: 'export',
        db: target.kind,
        rows: s.rows,
        rows_per_s: Math.round(rate(s)),
        peak_rss_mb: Math.round(s.peakRssMb),
        baseline_rows_per_s: Math.round(rate(b)),
        baseline_peak_rss_mb: Math.round(b.peakRssMb),
      }),
    );
  } finally {
    if (args.keep) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
    await drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
