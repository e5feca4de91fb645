/**
 * Files as offices have them, through the HTTP API on both databases: the committed fixtures of several writers
 * uploaded again and again; .xls and WPS .et; yes/no columns; ID numbers Excel stored as numbers; the rule for
 * rows without 户号 at a house that already has a household (no second 户主), on the batch and the bulk path;
 * and the first bad rows shown with the dry run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { DEMO_PASSWORD } from '../../../demo/demo-region.js';
import { systemCtx } from '../../../platform/access/context.js';
import { createJobs } from '../../../platform/jobs/index.js';
import { describeEachDb, login, OWN_ORIGIN } from '../../../test/test-app.js';
import { FIXTURE_IDS } from './fixtures/fixture-rows.js';
import type { ImportView } from './import.schemas.js';
import { importFile, principalOf, whenImportSettled } from './import.service.js';
import { csv, HEADER, newId } from './import.test-fixtures.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name));

function form(fileName: string, content: Buffer | string) {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDb('people import: files as offices have them', (env) => {
  let app: FastifyInstance;
  let dir: string;
  const cookies = new Map<string, string>();
  const logged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-formats-int-'));
    app = await buildApp({
      db: env.db,
      pii: env.pii,
      broker: null,
      jobs: createJobs(env.db),
      loginRateLimit: 1000,
      uploads: { dir, maxBytes: 1024 * 1024 },
      logger: pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) }),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const as = async (user: string, opts: InjectOptions): Promise<LightMyRequestResponse> => {
    let c = cookies.get(user);
    if (!c) {
      c = await login(app, user, DEMO_PASSWORD);
      cookies.set(user, c);
    }
    return app.inject({ ...opts, headers: { origin: OWN_ORIGIN, ...(opts.headers ?? {}), cookie: c } });
  };
  const getImport = async (id: number): Promise<ImportView> => {
    const res = await as('shequ', { method: 'GET', url: `/api/people/imports/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { import: ImportView }).import;
  };
  const check = async (fileName: string, content: Buffer | string): Promise<ImportView> => {
    const res = await as('shequ', { method: 'POST', url: '/api/people/imports', ...form(fileName, content) });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = (res.json() as { import: ImportView }).import;
    await whenImportSettled(id);
    return getImport(id);
  };
  const commit = async (id: number): Promise<ImportView> => {
    const res = await as('shequ', { method: 'POST', url: `/api/people/imports/${id}/commit` });
    expect(res.statusCode, res.body).toBe(202);
    await whenImportSettled(id);
    return getImport(id);
  };
  const tagsOf = async (name: string) =>
    (
      await env.db.query<{ code: string }>(
        `SELECT t.code FROM residents r JOIN resident_tags rt ON rt.resident_id = r.id JOIN tags t ON t.id = rt.tag_id
          WHERE r.name = $1 AND rt.source <> 'rule' ORDER BY t.code`,
        [name],
      )
    ).map((r) => r.code);

  it('reads each writer’s file on every one of 25 uploads', async () => {
    for (const name of [
      'residents.exceljs.xlsx',
      'residents.sheetjs.xlsx',
      'residents.libreoffice.xlsx',
      'residents.quirks.xlsx',
      'residents.sheetjs.xls',
      'residents.libreoffice.xls',
      'residents.et',
    ]) {
      const bytes = fixture(name);
      for (let i = 0; i < 25; i++) {
        const r = await check(name, bytes);
        expect({ name, i, status: r.status, error: r.error, read: r.rowsRead, valid: r.rowsValid }).toEqual({
          name,
          i,
          status: 'validated',
          error: null,
          read: 5,
          valid: 5,
        });
      }
    }
  }, 240_000);

  it('loads a WPS .et with its yes/no columns as tags, 否 and 无 as none', async () => {
    const r = await check('人口管理.et', fixture('residents.et'));
    expect(r).toMatchObject({ status: 'validated', rowsValid: 5, rowsInvalid: 0, errorRows: [] });
    const done = await commit(r.id);
    expect(done).toMatchObject({ status: 'committed', rowsInserted: 5 });
    expect(await tagsOf('王建国')).toEqual(['party_member']);
    expect(await tagsOf('李秀英')).toEqual(['low_income']);
    expect(await tagsOf('王小明')).toEqual(['disabled']);
    expect(await tagsOf('赵桂兰')).toEqual(['entitled_group', 'low_income', 'party_member', 'volunteer']);
    expect(await tagsOf('孙德福')).toEqual(['bereaved_family']);
  });

  it('tells an ID number Excel stored as a number, on screen and in both languages', async () => {
    const r = await check('身份证是数字.xlsx', fixture('id-as-number.xlsx'));
    expect(r).toMatchObject({ status: 'validated', rowsRead: 1, rowsInvalid: 1 });
    expect(r.errorRows).toEqual([
      {
        row: 2,
        column: '身份证号',
        message:
          'Excel 把身份证号存成了数字（如 3.70899E+17），第 15 位以后的数字已丢失，无法还原；请把这一列设为“文本”格式，再重新输入这些号码',
      },
    ]);
    // What the cell held is not repeated: the number is someone's ID number, if mangled.
    expect(JSON.stringify(r)).not.toContain(FIXTURE_IDS.zhou.slice(0, 12));
  });

  it('shows the first 50 issues of the bad rows with the dry run, beside the report', async () => {
    const rows: string[][] = [HEADER];
    for (let i = 0; i < 60; i++)
      rows.push([`坏${i}`, '123', '', '', '', '东关社区', '第四网格', '', '', '', '', '', '']);
    rows.push(['好人', newId('1980-01-01'), '', '', '', '东关社区', '第四网格', '', '', '', '', '', '']);
    const r = await check('坏行.csv', csv(rows));
    expect(r).toMatchObject({ rowsRead: 61, rowsValid: 1, rowsInvalid: 60, hasErrorReport: true });
    expect(r.errorRows).toHaveLength(50);
    expect(r.errorRows?.[0]).toEqual({ row: 2, column: '身份证号', message: '位数不正确（应为 18 位或 15 位）' });
    expect(r.errorRows?.[49]?.row).toBe(51);
    // The list is not given with the import list (only with the import itself).
    const list = await as('shequ', { method: 'GET', url: '/api/people/imports' });
    const listed = (list.json() as { items: ImportView[] }).items.find((i) => i.id === r.id);
    expect(listed?.errorRows).toBeUndefined();
    // A clean file has none.
    const clean = await check('好.csv', csv([HEADER, rows[61] as string[]]));
    expect(clean.errorRows).toEqual([]);
  });

  it('refuses a second 户主 (and a second 配偶) without 户号 at a house that has a household', async () => {
    const g = ['东关社区', '第五网格', '', ''];
    const [headA, spouseA, child] = [newId('1960-02-02'), newId('1962-03-03', 'female'), newId('1995-04-04')];
    const first = await check(
      '第一户.csv',
      csv([
        HEADER,
        ['原户主', headA, '', '', '', ...g, 'TH-1', '', '户主', ''],
        ['原配偶', spouseA, '', '', '', ...g, 'TH-1', '', '配偶', ''],
      ]),
    );
    expect((await commit(first.id)).rowsInserted).toBe(2);

    const [headB, spouseB] = [newId('1970-05-05'), newId('1972-06-06', 'female')];
    const second = csv([
      HEADER,
      ['新户主', headB, '', '', '', ...g, 'TH-1', '', '户主', ''],
      ['新配偶', spouseB, '', '', '', ...g, 'TH-1', '', '配偶', ''],
      // Joining the household is fine.
      ['孩子', child, '', '', '', ...g, 'TH-1', '', '子女', ''],
    ]);
    const dry = await check('第二户.csv', second);
    expect(dry).toMatchObject({ status: 'validated', rowsRead: 3, rowsValid: 1, rowsInvalid: 2 });
    expect(dry.errorRows).toEqual([
      {
        row: 2,
        column: '与户主关系',
        message:
          '没有填写户号，而该房屋已有一户，户主是原户主；一户只能有一个户主。若是另一户，请填写户号；若是同一户，请改为与原户主的关系',
      },
      {
        row: 3,
        column: '与户主关系',
        message: '没有填写户号，而该房屋的户中已有配偶原配偶（户主原户主）；若是另一户，请填写户号',
      },
    ]);
    const done = await commit(dry.id);
    expect(done).toMatchObject({ status: 'committed', rowsInserted: 1, rowsUpdated: 0, rowsInvalid: 2 });
    const heads = await env.db.query<{ name: string; relation: string; head: string }>(
      `SELECT r.name, r.relation, hr.name AS head FROM residents r JOIN households hh ON hh.id = r.household_id
         JOIN residents hr ON hr.id = hh.head_resident_id JOIN houses h ON h.id = hh.house_id
        WHERE h.room_no = 'TH-1' ORDER BY r.name`,
    );
    expect(heads).toEqual([
      { name: '原户主', relation: 'head', head: '原户主' },
      { name: '原配偶', relation: 'spouse', head: '原户主' },
      { name: '孩子', relation: 'child', head: '原户主' },
    ]);

    // The head himself, listed again without 户号, is no second head.
    const again = await check(
      '户主本人.csv',
      csv([HEADER, ['原户主', headA, '', '', '', ...g, 'TH-1', '', '户主', '']]),
    );
    expect(again).toMatchObject({ rowsValid: 1, rowsInvalid: 0 });

    // With a 户号 the rows are another household at the same house.
    const third = await check(
      '第三户.csv',
      csv([
        HEADER,
        ['新户主', headB, '', '', '', ...g, 'TH-1', 'TH-1-B', '户主', ''],
        ['新配偶', spouseB, '', '', '', ...g, 'TH-1', 'TH-1-B', '配偶', ''],
      ]),
    );
    expect(third).toMatchObject({ rowsValid: 2, rowsInvalid: 0 });
  });

  it('refuses the second 户主 on the bulk path too', async () => {
    const g = ['东关社区', '第五网格', '', ''];
    const headA = newId('1958-07-07');
    const file = path.join(dir, 'bulk-first.csv');
    fs.writeFileSync(file, csv([HEADER, ['老住户', headA, '', '', '', ...g, 'TH-9', '', '户主', '']]));
    const shequ = { ...systemCtx('test'), principal: await principalOf(env.db, 'shequ') };
    await importFile({ db: env.db, pii: env.pii }, shequ, { filePath: file, commit: true });
    const second = path.join(dir, 'bulk-second.csv');
    fs.writeFileSync(
      second,
      csv([
        HEADER,
        ['后来者', newId('1966-08-08'), '', '', '', ...g, 'TH-9', '', '户主', ''],
        ['新来的', newId('1967-09-09'), '', '', '', ...g, 'TH-10', '', '户主', ''],
        // Enough rows for a bulk load against the residents already stored.
        ...Array.from({ length: 40 }, (_, i) => [`批量${i}`, newId('1990-01-01'), '', '', '', ...g, '', '', '', '']),
      ]),
    );
    const r = await importFile({ db: env.db, pii: env.pii }, shequ, {
      filePath: second,
      commit: true,
      // One batch of all the rows: the bulk decision weighs them against the residents stored.
      batchRows: 100,
      bulkMinRows: 1,
    });
    expect(r).toMatchObject({ bulk: true, rowsValid: 41, rowsInvalid: 1, rowsInserted: 41 });
    expect(r.errorRows).toEqual([
      expect.objectContaining({ row: 2, column: '与户主关系', message: expect.stringContaining('户主是老住户') }),
    ]);
    const [n] = await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM residents r JOIN houses h ON h.id = r.house_id WHERE h.room_no = 'TH-9'`,
    );
    expect(n?.n).toBe(1);
  });

  it('reads a houses file (房屋档案) as houses with their heads, not as clashing residents columns', async () => {
    const r = await check('房屋档案.xls', fixture('houses.sheetjs.xls'));
    expect(r).toMatchObject({ status: 'validated', error: null, rowsRead: 3, rowsValid: 3, rowsInvalid: 0 });
    expect(await commit(r.id)).toMatchObject({ status: 'committed', rowsInserted: 2 });
    const houses = await env.db.query<{
      room_no: string;
      floor: number;
      area: string;
      use: string;
      head: string | null;
    }>(
      `SELECT h.room_no, h.floor, h.area::text AS area, h.use,
              (SELECT hr.name FROM households hh JOIN residents hr ON hr.id = hh.head_resident_id
                WHERE hh.house_id = h.id) AS head
         FROM houses h JOIN org_nodes u ON u.id = h.node_id JOIN org_nodes b ON b.id = u.parent_id
        WHERE b.name = '19号楼' AND u.name = '1单元' AND h.room_no IN ('101', '102', '201') ORDER BY h.room_no`,
    );
    expect(houses).toEqual([
      { room_no: '101', floor: 1, area: '86.50', use: 'owner_occupied', head: '周志强' },
      { room_no: '102', floor: 1, area: '92.00', use: 'rented', head: '吴丽华' },
      { room_no: '201', floor: 2, area: '120.25', use: 'vacant', head: null },
    ]);
    const [hh] = await env.db.query<{ household_no: string; relation: string }>(
      `SELECT hh.household_no, r.relation FROM residents r JOIN households hh ON hh.id = r.household_id
        WHERE r.name = '周志强'`,
    );
    expect(hh).toEqual({ household_no: 'FWH-1', relation: 'head' });

    // Its errors by row and by the file's own columns.
    const bad = await check(
      '房屋档案.csv',
      csv([
        [
          '房屋编号',
          '社区',
          '网格',
          '楼栋号',
          '单元',
          '所在楼层',
          '门牌号',
          '面积',
          '房屋类型',
          '户主姓名',
          '户主身份证号',
        ],
        ['X1', '东关社区', '第四网格', '19号楼', '1单元', '三楼', '301', '90', '自住', '', ''],
        ['X2', '东关社区', '第四网格', '19号楼', '1单元', '3', '302', '-5', '别墅', '', ''],
        ['X3', '东关社区', '第四网格', '19号楼', '1单元', '3', '', '', '', '', ''],
        ['X4', '东关社区', '第四网格', '19号楼', '1单元', '3', '303', '', '', '郑某', '123'],
      ]),
    );
    expect(bad).toMatchObject({ status: 'validated', rowsRead: 4, rowsValid: 0, rowsInvalid: 4 });
    expect(bad.errorRows?.map((e) => [e.row, e.column])).toEqual([
      [2, '所在楼层'],
      [3, '面积'],
      [3, '房屋类型'],
      [4, '门牌号'],
      [5, '户主身份证号'],
    ]);
  });

  it('logs why a file was refused as unreadable', async () => {
    const whole = fixture('residents.exceljs.xlsx');
    const r = await check('坏.xlsx', whole.subarray(0, 3000));
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('IMPORT_FILE_UNREADABLE');
    const entry = logged.find((l) => l.importId === r.id && l.msg === 'import file refused');
    expect(entry).toMatchObject({ msg: 'import file refused', code: 'IMPORT_FILE_UNREADABLE' });
    expect((entry?.cause as string[] | undefined)?.length ?? 0).toBeGreaterThan(0);
  });
});
