import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { DEMO_PASSWORD } from '../../../demo/demo-region.js';
import { systemCtx } from '../../../platform/access/context.js';
import { isPartialName } from '../../../platform/files/sealed-file.js';
import { createJobs } from '../../../platform/jobs/index.js';
import { maskIdNumber, parseIdNumber } from '../../../platform/pii/index.js';
import { buildUser, nodeIdByName } from '../../../test/factories.js';
import { ADMIN_PASSWORD, describeEachDb, login, OWN_ORIGIN } from '../../../test/test-app.js';
import { importCommand } from './import.cli.js';
import type { ImportView } from './import.schemas.js';
import { importFile, principalOf, whenImportSettled } from './import.service.js';
import { csv, FAILING_ROWS, HEADER, newId, whileRefusing } from './import.test-fixtures.js';

const MAX_UPLOAD = 256 * 1024;
/** A multipart/form-data body, as a browser sends it. */
function form(parts: { name: string; value: string | Buffer; filename?: string }[]) {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    const type = p.filename ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function readSheet(buf: Buffer, sheet = 0): Promise<(string | number | null)[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[sheet]!;
  const rows: (string | number | null)[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values = (row.values as unknown[]).slice(1);
    rows.push(values.map((v) => (v === undefined || v === null ? null : (v as string | number))));
  });
  return rows;
}

describeEachDb('people import', (env) => {
  let app: FastifyInstance;
  let dir: string;
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-import-test-'));
    app = await buildApp({
      jobs: createJobs(env.db),
      db: env.db,
      pii: env.pii,
      broker: null,
      loginRateLimit: 1000,
      uploads: { dir, maxBytes: MAX_UPLOAD },
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
      c = await login(app, user, user === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
      cookies.set(user, c);
    }
    return app.inject({ ...opts, headers: { origin: OWN_ORIGIN, ...(opts.headers ?? {}), cookie: c } });
  };

  const upload = (user: string, fileName: string, content: string | Buffer, fields: Record<string, string> = {}) =>
    as(user, {
      method: 'POST',
      url: '/api/people/imports',
      ...form([
        ...Object.entries(fields).map(([name, value]) => ({ name, value })),
        { name: 'file', value: content, filename: fileName },
      ]),
    });

  const getImport = async (user: string, id: number): Promise<ImportView> => {
    const res = await as(user, { method: 'GET', url: `/api/people/imports/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { import: ImportView }).import;
  };

  /** Uploads and waits for the check to finish. */
  const check = async (user: string, fileName: string, content: string | Buffer, fields?: Record<string, string>) => {
    const res = await upload(user, fileName, content, fields);
    expect(res.statusCode, res.body).toBe(202);
    const started = (res.json() as { import: ImportView }).import;
    expect(started.status).toBe('running');
    await whenImportSettled(started.id);
    return getImport(user, started.id);
  };

  const commit = async (user: string, id: number) => {
    const res = await as(user, { method: 'POST', url: `/api/people/imports/${id}/commit` });
    expect(res.statusCode, res.body).toBe(202);
    await whenImportSettled(id);
    return getImport(user, id);
  };

  const errorRows = async (user: string, id: number) => {
    const res = await as(user, { method: 'GET', url: `/api/people/imports/${id}/errors.xlsx` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    return readSheet(res.rawPayload);
  };

  const writeFile = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  const counts = async () =>
    (
      await env.db.query<{ residents: number; houses: number; households: number; tags: number }>(
        `SELECT (SELECT count(*)::int FROM residents) AS residents, (SELECT count(*)::int FROM houses) AS houses,
                (SELECT count(*)::int FROM households) AS households, (SELECT count(*)::int FROM resident_tags) AS tags`,
      )
    )[0]!;

  it('serves a template whose example row imports cleanly into the caller’s own area', async () => {
    const res = await as('shequ', { method: 'GET', url: '/api/people/imports/template' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['居民信息', '说明']);
    const rows = await readSheet(res.rawPayload);
    expect(rows[0]).toEqual(
      expect.arrayContaining(['姓名', '身份证号', '联系电话', '网格', '楼栋', '房号', '户号', '标签']),
    );
    const example = Object.fromEntries((rows[0] as string[]).map((h, i) => [h, rows[1]![i]]));
    expect(parseIdNumber(String(example.身份证号)).ok).toBe(true);
    expect(example.社区).toBe('东关社区');
    const notes = await readSheet(res.rawPayload, 1);
    expect(notes.map((r) => r[0])).toEqual(expect.arrayContaining(['姓名', '身份证号', '网格']));

    const before = await counts();
    const checked = await check('shequ', '模板.xlsx', res.rawPayload);
    expect(checked).toMatchObject({ status: 'validated', rowsRead: 1, rowsValid: 1, rowsInvalid: 0 });
    expect(await counts()).toEqual(before);
  });

  it('fails a file that cannot be imported with a file error, and writes nothing', async () => {
    const before = await counts();
    const cases: [string, string | Buffer, string, string?][] = [
      ['empty.csv', '', 'IMPORT_FILE_EMPTY'],
      ['header.csv', csv([HEADER]), 'IMPORT_FILE_EMPTY'],
      ['blank.csv', '\n\n \n', 'IMPORT_FILE_EMPTY'],
      ['fake.xlsx', 'this is not a spreadsheet', 'IMPORT_FILE_UNREADABLE'],
      ['broken.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]), 'IMPORT_FILE_UNREADABLE'],
      ['binary.csv', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]), 'IMPORT_FILE_UNREADABLE'],
      [
        'missing.csv',
        csv([
          ['姓名', '网格'],
          ['张三', '第一网格'],
        ]),
        'IMPORT_COLUMN_MISSING',
        '身份证号',
      ],
      ['quote.csv', `${csv([HEADER])}"张三,${newId()}\n`, 'IMPORT_CSV_MALFORMED', '第 2 行'],
    ];
    for (const [name, content, code, inMessage] of cases) {
      const r = await check('shequ', name, content);
      expect(r.status, name).toBe('failed');
      expect(r.error?.code, name).toBe(code);
      if (inMessage) expect(r.error?.message, name).toContain(inMessage);
      expect(r.hasErrorReport, name).toBe(false);
      const report = await as('shequ', { method: 'GET', url: `/api/people/imports/${r.id}/errors.xlsx` });
      expect(report.statusCode, name).toBe(404);
    }
    expect(await counts()).toEqual(before);
  });

  it('reads CSV in GBK and in UTF-8 with a byte-order mark alike', async () => {
    const ids = [newId(), newId('1990-02-03', 'female')];
    const rows = [
      HEADER,
      ['王小明', ids[0]!, '13805370001', '男', '', '东关社区', '第一网格', '2号楼', '1单元', '301', '', '户主', ''],
    ];
    const gbk = await check('shequ', 'gbk.csv', iconv.encode(csv(rows), 'gbk'));
    expect(gbk).toMatchObject({ status: 'validated', rowsValid: 1, rowsInvalid: 0 });
    const committed = await commit('shequ', gbk.id);
    expect(committed).toMatchObject({ status: 'committed', rowsInserted: 1 });
    const stored = await env.db.query<{ name: string; name_pinyin: string }>(
      `SELECT name, name_pinyin FROM residents WHERE import_id = $1`,
      [gbk.id],
    );
    expect(stored).toEqual([{ name: '王小明', name_pinyin: 'wangxiaoming' }]);

    const bomRows = [
      HEADER,
      ['李 丽', ids[1]!, '', '女', '1990/2/3', '东关社区', '第一网格', '2号楼', '1单元', '302', '', '', ''],
    ];
    const bom = await check(
      'shequ',
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(bomRows))]),
    );
    expect(bom).toMatchObject({ status: 'validated', rowsValid: 1, rowsInvalid: 0 });
  });

  it('maps columns by common aliases, or by an explicit mapping', async () => {
    const id = newId();
    const aliased = csv([
      ['居民姓名', '公民身份号码', '手机号码', '村（社区）', '所属网格'],
      ['赵四', id, '138-0537-0002', '东关社区', '第二网格'],
    ]);
    expect(await check('shequ', 'aliases.csv', aliased)).toMatchObject({ status: 'validated', rowsValid: 1 });

    const odd = csv([
      ['人名', '证件', '格子', '备注'],
      ['赵四', id, '第二网格', '随便写的'],
    ]);
    expect(await check('shequ', 'odd.csv', odd)).toMatchObject({
      status: 'failed',
      error: { code: 'IMPORT_COLUMN_MISSING' },
    });
    const mapping = JSON.stringify({ 人名: 'name', 证件: '身份证号', 格子: 'grid', 备注: '' });
    expect(await check('shequ', 'odd.csv', odd, { mapping })).toMatchObject({ status: 'validated', rowsValid: 1 });

    const unknownField = await check('shequ', 'odd.csv', odd, { mapping: JSON.stringify({ 人名: '昵称' }) });
    expect(unknownField.error).toMatchObject({ code: 'IMPORT_MAPPING_FIELD_UNKNOWN', field: 'mapping' });
    expect(unknownField.error?.message).toContain('昵称');

    const bad = await upload('shequ', 'odd.csv', odd, { mapping: '{人名: name' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'IMPORT_MAPPING_INVALID', field: 'mapping' });
  });

  it('reads .xlsx: the data sheet after a 说明 sheet, merged cells, dates as serial numbers and as text', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['请在第二个工作表填写']);
    const ws = wb.addWorksheet('居民');
    ws.addRow(['泗源县东关社区居民信息表']);
    ws.addRow(['姓名', '身份证号', '出生日期', '社区', '网格', '楼栋', '单元', '房号', '与户主关系']);
    const a = newId('1985-06-15');
    const b = newId('1960-01-02', 'female');
    const c = newId('2001-12-31');
    const d = newId('1975-03-04');
    ws.addRow(['周一', a, new Date(Date.UTC(1985, 5, 15)), '东关社区', '第一网格', '3号楼', '2单元', 502, '户主']);
    ws.addRow(['周二', b, 21917, '东关社区', '第一网格', '3号楼', '2单元', 502, '配偶']);
    ws.addRow(['周三', c, '2001年12月31日', '东关社区', '第三网格', '', '', '', '']);
    ws.addRow(['周四', d, '1975-03-04', '东关社区', '', '', '', '', '']);
    // The grid of 周三's row is merged down over 周四's: the value belongs to the first cell only.
    ws.mergeCells('E5:E6');
    const buf = Buffer.from(await wb.xlsx.writeBuffer());

    const r = await check('shequ', '居民.xlsx', buf);
    expect(r).toMatchObject({ status: 'validated', rowsRead: 4, rowsValid: 3, rowsInvalid: 1 });
    const report = await errorRows('shequ', r.id);
    expect(report[0]).toEqual([
      '行号',
      '姓名',
      '身份证号',
      '出生日期',
      '社区',
      '网格',
      '楼栋',
      '单元',
      '房号',
      '与户主关系',
      '错误',
    ]);
    expect(report).toHaveLength(2);
    expect(report[1]![0]).toBe(6);
    expect(report[1]![1]).toBe('周四');
    expect(report[1]!.at(-1)).toBe('网格：必填，不能为空');
  });

  it('checks every row and lists the bad ones in the error report, saying what is wrong', async () => {
    const good = newId();
    const wrongCheck = `${good.slice(0, 17)}${good[17] === '1' ? '2' : '1'}`;
    const wide = newId('1970-07-07').replace(/\d/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    const withX = (() => {
      for (;;) {
        const id = newId('1980-01-01');
        if (id.endsWith('X')) return id;
      }
    })();
    const old18 = newId('1955-05-05');
    const old15 = old18.slice(0, 6) + old18.slice(8, 17);
    const twice = newId('1992-09-09');
    const rows = [
      HEADER,
      [
        '甲',
        good,
        '13805371111',
        '男',
        '1985-06-15',
        '东关社区',
        '第一网格',
        '1号楼',
        '1单元',
        '101',
        '',
        '户主',
        '党员',
      ],
      ['乙', wrongCheck, '', '', '', '东关社区', '第一网格', '1号楼', '1单元', '102', '', '', ''],
      [
        '丙',
        ` ${wide.slice(0, 6)} ${wide.slice(6)}　`,
        '',
        '',
        '',
        '东关社区',
        '第一网格',
        '1号楼',
        '1单元',
        '103',
        '',
        '',
        '',
      ],
      ['丁', withX.toLowerCase(), '', '', '1980/1/1', '东关社区', '第一网格', '1号楼', '1单元', '104', '', '', ''],
      ['戊', old15, '', '', '', '东关社区', '第一网格', '1号楼', '1单元', '105', '', '', ''],
      ['己', newId('1990-01-01'), '', '女', '', '东关社区', '第一网格', '1号楼', '1单元', '106', '', '', ''],
      ['庚', newId('1990-01-01'), '', '', '1990-01-02', '东关社区', '第一网格', '1号楼', '1单元', '107', '', '', ''],
      ['辛', newId(), '12345', '', '', '东关社区', '第一网格', '1号楼', '1单元', '108', '', '', ''],
      ['壬', newId(), '', '', '', '东关社区', '第九网格', '', '', '', '', '', ''],
      ['癸', newId(), '', '', '', '东关社区', '第一网格', '99号楼', '', '', '', '', ''],
      ['子', newId(), '', '', '', '东关社区', '第一网格', '1号楼', '1单元', '109', '', '', '不存在的标签'],
      ['丑', twice, '', '', '', '东关社区', '第一网格', '1号楼', '1单元', '110', 'H-1', '户主', ''],
      ['寅', twice, '', '', '', '东关社区', '第二网格', '', '', '', 'H-2', '户主', ''],
    ];
    const r = await check('shequ', 'mixed.csv', csv(rows));
    expect(r).toMatchObject({ status: 'validated', rowsRead: 13, rowsValid: 5, rowsInvalid: 8 });
    const report = await errorRows('shequ', r.id);
    const byRow = new Map(report.slice(1).map((row) => [row[0], String(row.at(-1))]));
    expect([...byRow.keys()]).toEqual([3, 7, 8, 9, 10, 11, 12, 14]);
    expect(byRow.get(3)).toBe('身份证号：校验位不正确，请核对号码');
    expect(byRow.get(7)).toContain('性别：与身份证号不一致');
    expect(byRow.get(8)).toContain('出生日期：与身份证号中的出生日期 1990-01-01 不一致');
    // The bad phone number is masked in the message too, with its length.
    expect(byRow.get(9)).toContain('联系电话：“***45（5 位）”不是有效的手机或固定电话号码');
    expect(byRow.get(10)).toContain('网格：找不到“第九网格”');
    expect(byRow.get(11)).toContain('楼栋：找不到“99号楼”');
    expect(byRow.get(12)).toContain('标签：没有名为“不存在的标签”的标签');
    // The same person in two households: the second row is refused.
    expect(byRow.get(14)).toBe('身份证号：与第 13 行是同一人，同一人只能出现一次');
    // The report keeps each bad row's cells as they were, but ID and phone numbers masked: the wrong check
    // digit (the last character) stays visible.
    expect(report.find((row) => row[0] === 3)?.slice(1, 3)).toEqual(['乙', maskIdNumber(wrongCheck)]);
    expect(report.find((row) => row[0] === 3)?.[2]).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(report.find((row) => row[0] === 9)?.slice(1, 4)).toEqual([
      '辛',
      expect.stringMatching(/^\d{6}\*{8}/),
      '***45（5 位）',
    ]);
    expect(JSON.stringify(report)).not.toContain(wrongCheck);
    expect(JSON.stringify(report)).not.toContain(twice);
  });

  it('a dry run leaves the database as it was', async () => {
    const before = await counts();
    const rows = [HEADER, ['试运行', newId(), '', '', '', '东关社区', '第四网格', '', '', '9号', '', '户主', '党员']];
    const r = await check('shequ', 'dry.csv', csv(rows));
    expect(r).toMatchObject({ status: 'validated', rowsValid: 1, rowsInserted: 0 });
    expect(await counts()).toEqual(before);
  });

  it('commits the good rows with their houses, households, heads and tags; again, it creates nothing new', async () => {
    const head = newId('1940-03-03');
    const wife = newId('1942-04-04', 'female');
    const child = newId('2015-05-05');
    const single = newId('1970-01-01');
    const rows = [
      HEADER,
      [
        '钱老汉',
        head,
        '13805372222',
        '男',
        '',
        '东关社区',
        '第一网格',
        '4号楼',
        '2单元',
        '601',
        'HH-601',
        '户主',
        '党员，高龄老人',
      ],
      ['孙老太', wife, '', '女', '', '东关社区', '第一网格', '4号楼', '2单元', '601', 'HH-601', '配偶', '低保户'],
      ['钱小', child, '', '', '', '东关社区', '第一网格', '4号楼', '2单元', '602', 'HH-601', '孙子女', ''],
      ['李单', single, '', '', '', '东关社区', '第一网格', '4号楼', '2单元', '603', '', '户主', ''],
      ['坏行', '123', '', '', '', '东关社区', '第一网格', '', '', '', '', '', ''],
    ];
    const file = csv(rows);
    const before = await counts();
    const checked = await check('shequ', 'family.csv', file);
    expect(checked).toMatchObject({ status: 'validated', rowsValid: 4, rowsInvalid: 1 });
    const done = await commit('shequ', checked.id);
    expect(done).toMatchObject({ status: 'committed', rowsValid: 4, rowsInvalid: 1, rowsInserted: 4, rowsUpdated: 0 });
    const after = await counts();
    expect(after.residents - before.residents).toBe(4);
    expect(after.houses - before.houses).toBe(3);
    expect(after.households - before.households).toBe(2);

    const people = await env.db.query<{
      name: string;
      relation: string | null;
      room_no: string | null;
      household_no: string | null;
      is_head: boolean;
      unit: string;
      id_masked: string;
      phone_masked: string | null;
      tags: string[];
    }>(
      `SELECT r.name, r.relation, h.room_no, hh.household_no, hh.head_resident_id = r.id AS is_head, n.name AS unit,
              r.id_masked, r.phone_masked,
              ARRAY(SELECT t.code || ':' || rt.source FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
                     WHERE rt.resident_id = r.id ORDER BY t.code) AS tags
         FROM residents r JOIN org_nodes n ON n.id = r.node_id
         LEFT JOIN houses h ON h.id = r.house_id LEFT JOIN households hh ON hh.id = r.household_id
        WHERE r.import_id = $1 ORDER BY r.id`,
      [checked.id],
    );
    expect(people).toEqual([
      {
        name: '钱老汉',
        relation: 'head',
        room_no: '601',
        household_no: 'HH-601',
        is_head: true,
        unit: '2单元',
        id_masked: `${head.slice(0, 6)}********${head.slice(14)}`,
        phone_masked: '138****2222',
        tags: ['aged_80:rule', 'party_member:import'],
      },
      {
        name: '孙老太',
        relation: 'spouse',
        room_no: '601',
        household_no: 'HH-601',
        is_head: false,
        unit: '2单元',
        id_masked: `${wife.slice(0, 6)}********${wife.slice(14)}`,
        phone_masked: null,
        tags: ['aged_80:rule', 'low_income:import'],
      },
      {
        name: '钱小',
        relation: 'grandchild',
        room_no: '602',
        household_no: 'HH-601',
        is_head: false,
        unit: '2单元',
        id_masked: `${child.slice(0, 6)}********${child.slice(14)}`,
        phone_masked: null,
        tags: ['minor:rule'],
      },
      {
        name: '李单',
        relation: 'head',
        room_no: '603',
        household_no: null,
        is_head: true,
        unit: '2单元',
        id_masked: `${single.slice(0, 6)}********${single.slice(14)}`,
        phone_masked: null,
        tags: [],
      },
    ]);
    const audit = await env.db.query<{ diff: Record<string, [unknown, unknown]> }>(
      `SELECT diff FROM audit_log WHERE action = 'people.import' AND target_id = $1`,
      [String(checked.id)],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.diff.rowsInserted).toEqual([null, 4]);

    // The same file again: everyone is found by their ID number and updated; nothing is created.
    const again = await check('shequ', 'family.csv', file);
    const second = await commit('shequ', again.id);
    expect(second).toMatchObject({ status: 'committed', rowsInserted: 0, rowsUpdated: 4 });
    expect(await counts()).toEqual(after);

    // A changed fact is updated in place.
    const moved = await check(
      'shequ',
      'moved.csv',
      csv([
        HEADER,
        ['李单', single, '13905379999', '', '', '东关社区', '第一网格', '4号楼', '2单元', '603', '', '户主', ''],
      ]),
    );
    expect(await commit('shequ', moved.id)).toMatchObject({ rowsInserted: 0, rowsUpdated: 1 });
    const phone = await env.db.query<{ phone_masked: string }>(
      'SELECT phone_masked FROM residents WHERE import_id = $1',
      [moved.id],
    );
    expect(phone).toEqual([{ phone_masked: '139****9999' }]);

    const twice = await as('shequ', { method: 'POST', url: `/api/people/imports/${moved.id}/commit` });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'IMPORT_NOT_VALIDATED' });
  });

  it('keeps households, duplicates and refusals right across batch boundaries', async () => {
    const elsewhere = newId('1961-01-01');
    await importFile({ db: env.db, pii: env.pii }, systemCtx('test'), {
      filePath: writeFile(
        'elsewhere.csv',
        csv([HEADER, ['外地', elsewhere, '', '', '', '西关社区', '第二网格', '', '', '', '', '', '']]),
      ),
      commit: true,
    });
    const [a, b, c, f] = [newId('1980-02-02', 'female'), newId('2005-03-03'), newId('1979-04-04'), newId('1990-05-05')];
    const place = ['东关社区', '第一网格', '5号楼', '1单元'];
    const rows = [
      HEADER,
      ['分批甲', a, '', '', '', ...place, '801', 'MB-1', '配偶', ''],
      ['分批乙', b, '', '', '', ...place, '801', 'MB-1', '子女', ''],
      ['分批丙', c, '', '', '', ...place, '801', 'MB-1', '户主', '党员'],
      ['分批丁', a, '', '', '', ...place, '805', '', '户主', ''],
      ['分批戊', elsewhere, '', '', '', ...place, '806', '', '', ''],
      ['分批己', f, '', '', '', ...place, '802', '', '户主', ''],
    ];
    const ctx = { ...systemCtx('test'), principal: await principalOf(env.db, 'shequ') };
    const result = await importFile({ db: env.db, pii: env.pii }, ctx, {
      filePath: writeFile('batches.csv', csv(rows)),
      commit: true,
      batchRows: 2,
    });
    // 分批戊, registered in 西关社区, is submitted for review (a move-in request) rather than loaded.
    expect(result).toMatchObject({
      rowsRead: 6,
      rowsValid: 5,
      rowsInvalid: 1,
      rowsInserted: 4,
      rowsUpdated: 0,
      rowsReview: 1,
    });
    const people = await env.db.query<{ name: string; household_no: string | null; head: string | null }>(
      `SELECT r.name, hh.household_no, (SELECT name FROM residents x WHERE x.id = hh.head_resident_id) AS head
         FROM residents r JOIN households hh ON hh.id = r.household_id
        WHERE r.import_id = $1 ORDER BY r.id`,
      [result.importId],
    );
    expect(people).toEqual([
      { name: '分批甲', household_no: 'MB-1', head: '分批丙' },
      { name: '分批乙', household_no: 'MB-1', head: '分批丙' },
      { name: '分批丙', household_no: 'MB-1', head: '分批丙' },
      { name: '分批己', household_no: null, head: '分批己' },
    ]);
    const tags = await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM resident_tags rt JOIN residents r ON r.id = rt.resident_id
        WHERE r.import_id = $1 AND rt.source = 'import'`,
      [result.importId],
    );
    expect(tags[0]!.n).toBe(1);
  });

  it('refuses rows outside the importer’s area; people registered outside it become move-in requests', async () => {
    const elsewhere = newId('1966-06-06');
    const placed = await check(
      'admin',
      'xiguan.csv',
      csv([HEADER, ['外社区', elsewhere, '', '', '', '西关社区', '第一网格', '', '', '', '', '', '']]),
    );
    expect((await commit('admin', placed.id)).rowsInserted).toBe(1);

    const rows = [
      HEADER,
      ['越界甲', newId(), '', '', '', '西关社区', '第一网格', '1号楼', '1单元', '101', '', '', ''],
      ['越界乙', newId(), '', '', '', '白石村', '第一网格', '', '', '8号', '', '', ''],
      ['外社区', elsewhere, '', '', '', '东关社区', '第二网格', '', '', '', '', '', ''],
      ['本社区', newId(), '', '', '', '', '第五网格', '', '', '', '', '', ''],
    ];
    const before = await counts();
    const r = await check('shequ', 'outside.csv', csv(rows));
    // The dry run cannot tell the person registered in 西关社区 from a new one: both are good rows.
    expect(r).toMatchObject({ status: 'validated', rowsValid: 2, rowsInvalid: 2, rowsReview: 0 });
    const report = new Map((await errorRows('shequ', r.id)).slice(1).map((row) => [row[0], String(row.at(-1))]));
    expect(report.get(2)).toBe('社区：“西关社区”不在您的管辖范围内，不能导入');
    expect(report.get(3)).toBe('社区：“白石村”不在您的管辖范围内，不能导入');
    expect(report.has(4)).toBe(false);
    const done = await commit('shequ', r.id);
    expect(done).toMatchObject({ status: 'committed', rowsInserted: 1, rowsValid: 2, rowsInvalid: 2, rowsReview: 1 });
    expect((await counts()).residents - before.residents).toBe(1);
    const requests = await env.db.query<{ name: string; source: string; import_id: number }>(
      'SELECT name, source, import_id::int AS import_id FROM move_in_requests WHERE import_id = $1',
      [r.id],
    );
    expect(requests).toEqual([{ name: '外社区', source: 'import', import_id: r.id }]);
    const stillThere = await env.db.query<{ name: string }>(
      `SELECT n.name FROM residents r JOIN org_nodes n ON n.id = r.node_id WHERE r.import_id = $1`,
      [placed.id],
    );
    expect(stillThere).toEqual([{ name: '第一网格' }]);

    // A node outside the caller's area cannot be chosen for an import either.
    const xiguan = await env.db.query<{ id: number }>(`SELECT id FROM org_nodes WHERE name = '西关社区'`);
    const refused = await upload('shequ', 'x.csv', csv(rows), { nodeId: String(xiguan[0]!.id) });
    expect(refused.statusCode).toBe(404);
  });

  it('shows an import to its creator and to those whose area covers theirs', async () => {
    const r = await check(
      'shequ',
      'visible.csv',
      csv([HEADER, ['可见', newId(), '', '', '', '东关社区', '第一网格', '', '', '', '', '', '']]),
    );
    expect((await as('jiedao', { method: 'GET', url: `/api/people/imports/${r.id}` })).statusCode).toBe(200);
    expect((await as('admin', { method: 'GET', url: `/api/people/imports/${r.id}` })).statusCode).toBe(200);
    expect((await as('wangge', { method: 'GET', url: `/api/people/imports/${r.id}` })).statusCode).toBe(403);
    const mine = (await as('shequ', { method: 'GET', url: '/api/people/imports' })).json() as { items: ImportView[] };
    expect(mine.items.map((i) => i.id)).toContain(r.id);
    expect(mine.items[0]!.fileName).toBe('visible.csv');
    const theirs = (await as('jiedao', { method: 'GET', url: '/api/people/imports' })).json() as {
      items: ImportView[];
    };
    expect(theirs.items.map((i) => i.id)).not.toContain(r.id);
  });

  it('no longer shows an import to its creator once they work elsewhere; the street above still sees it', async () => {
    const mover = await buildUser(env, { role: 'community_worker', nodeId: env.ids.community! });
    cookies.set(mover.username, await login(app, mover.username, mover.password));
    const r = await check(
      mover.username,
      'moved.csv',
      csv([HEADER, ['搬走', newId(), '', '', '', '东关社区', '第一网格', '', '', '', '', '', '']]),
    );
    expect(r.status).toBe('validated');
    // The worker is moved to 西关社区: the 东关 post goes, a 西关 post comes.
    const xiguan = await nodeIdByName(env.db, '西关社区');
    const gone = await env.as('admin', { method: 'DELETE', url: `/api/users/${mover.id}/posts/${mover.postIds[0]}` });
    expect(gone.statusCode, gone.body).toBe(200);
    const moved = await env.as('admin', {
      method: 'POST',
      url: `/api/users/${mover.id}/posts`,
      payload: { nodeId: xiguan, role: 'community_worker' },
    });
    expect(moved.statusCode, moved.body).toBe(200);

    const res = await as(mover.username, { method: 'GET', url: `/api/people/imports/${r.id}` });
    expect([res.statusCode, res.json().code]).toEqual([404, 'IMPORT_NOT_FOUND']);
    const report = await as(mover.username, { method: 'GET', url: `/api/people/imports/${r.id}/errors.xlsx` });
    expect(report.statusCode).toBe(404);
    const commitRes = await as(mover.username, { method: 'POST', url: `/api/people/imports/${r.id}/commit` });
    expect([commitRes.statusCode, commitRes.json().code]).toEqual([404, 'IMPORT_NOT_FOUND']);
    const list = (await as(mover.username, { method: 'GET', url: '/api/people/imports' })).json() as {
      items: ImportView[];
    };
    expect(list.items.map((i) => i.id)).not.toContain(r.id);
    // The positive control: the street above both communities still reaches it, unchanged.
    expect((await getImport('jiedao', r.id)).status).toBe('validated');
  });

  it('refuses an upload over the size limit with 413, and one without a file', async () => {
    const big = Buffer.alloc(MAX_UPLOAD + 10_000, 'a');
    const res = await upload('shequ', 'big.csv', big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', field: 'file' });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('incoming-'))).toEqual([]);

    const none = await as('shequ', {
      method: 'POST',
      url: '/api/people/imports',
      ...form([{ name: 'mapping', value: '{}' }]),
    });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'IMPORT_FILE_REQUIRED' });
    const json = await as('shequ', { method: 'POST', url: '/api/people/imports', payload: { file: 'x' } });
    expect(json.statusCode).toBe(400);
  });

  it('writes nothing when a commit fails part-way', async () => {
    await whileRefusing(env.db, async () => {
      const r = await check('shequ', 'fails.csv', csv(FAILING_ROWS()));
      expect(r.status).toBe('validated');
      const before = await counts();
      const done = await commit('shequ', r.id);
      expect(done.status).toBe('failed');
      expect(done.error?.code).toBe('INTERNAL');
      expect(await counts()).toEqual(before);
      const audit = await env.db.query(`SELECT 1 FROM audit_log WHERE action = 'people.import' AND target_id = $1`, [
        String(r.id),
      ]);
      expect(audit).toEqual([]);
    });
  });

  it('runs from the command line: a dry run with an error report, then a commit, as an administrator or a user', async () => {
    const file = path.join(dir, 'cli.csv');
    const report = path.join(dir, 'cli-errors.xlsx');
    const ids = [newId(), newId('1999-09-09', 'female')];
    fs.writeFileSync(
      file,
      csv([
        HEADER,
        ['命令行甲', ids[0]!, '', '', '', '西关社区', '第二网格', '', '', '', '', '', ''],
        ['命令行乙', ids[1]!, '', '', '', '东关社区', '第二网格', '', '', '', '', '', ''],
        ['命令行丙', '370899', '', '', '', '东关社区', '第二网格', '', '', '', '', '', ''],
      ]),
    );
    const run = async (args: { commit: boolean; as?: string; errorReport?: string }) => {
      const out: string[] = [];
      let err = '';
      const code = await importCommand(
        { db: env.db, pii: env.pii },
        { kind: 'residents', file, ...args },
        { out: (l) => out.push(l), err: (t) => (err += t), isTTY: false },
      );
      return { code, out: out.join('\n'), err };
    };
    const before = await counts();
    const dry = await run({ commit: false, errorReport: report });
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/rows read\s+3/);
    expect(dry.out).toMatch(/valid\s+2/);
    expect(dry.out).toMatch(/invalid\s+1/);
    expect(dry.err).toContain('rows/s');
    expect(await counts()).toEqual(before);
    const reported = await readSheet(fs.readFileSync(report));
    expect(reported.slice(1).map((r) => r[0])).toEqual([4]);

    const asShequ = await run({ commit: true, as: 'shequ' });
    expect(asShequ.code).toBe(0);
    expect(asShequ.out).toMatch(/inserted\s+1/);
    expect(asShequ.out).toMatch(/invalid\s+2/);

    const asAdmin = await run({ commit: true });
    expect(asAdmin.out).toMatch(/inserted\s+1/);
    expect(asAdmin.out).toMatch(/updated\s+1/);
    expect((await counts()).residents - before.residents).toBe(2);

    const wrong = await importCommand(
      { db: env.db, pii: env.pii },
      { kind: 'houses', file, commit: false },
      { out: () => undefined, err: () => undefined, isTTY: false },
    );
    expect(wrong).toBe(2);
  });
  /** The files the upload directory holds for one import. */
  const filesOf = (id: number) => fs.readdirSync(dir).filter((n) => n.startsWith(`import-${id}.`));

  it('claims an error report only for an import with invalid rows, and answers 404 without one', async () => {
    const clean = await check(
      'shequ',
      'clean.csv',
      csv([HEADER, ['干净', newId(), '13805370009', '', '', '东关社区', '第一网格', '', '', '', '', '', '']]),
    );
    expect(clean).toMatchObject({ status: 'validated', rowsValid: 1, rowsInvalid: 0, hasErrorReport: false });
    const none = await as('shequ', { method: 'GET', url: `/api/people/imports/${clean.id}/errors.xlsx` });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'IMPORT_REPORT_NONE', message: '该导入没有错误行，因此没有错误报告' });
    expect(filesOf(clean.id).filter((n) => n.includes('errors'))).toEqual([]);
    const listed = (await as('shequ', { method: 'GET', url: '/api/people/imports' })).json() as { items: ImportView[] };
    expect(listed.items.find((i) => i.id === clean.id)?.hasErrorReport).toBe(false);
    expect(await commit('shequ', clean.id)).toMatchObject({ status: 'committed', hasErrorReport: false });

    // Positive control: a bad row makes a report, listed and downloadable.
    const dirty = await check(
      'shequ',
      'dirty.csv',
      csv([HEADER, ['脏', '370899', '', '', '', '东关社区', '第一网格', '', '', '', '', '', '']]),
    );
    expect(dirty).toMatchObject({ status: 'validated', rowsInvalid: 1, hasErrorReport: true });
    expect((await errorRows('shequ', dirty.id)).slice(1).map((r) => r[0])).toEqual([2]);
  });

  it('keeps uploads and reports sealed (0600), and deletes the upload once the import is committed or failed', async () => {
    const id = newId('1979-09-19');
    const phone = '13905371357';
    const bad = newId('1981-01-21');
    const content = csv([
      HEADER,
      ['封存甲', id, phone, '', '', '东关社区', '第一网格', '', '', '', '', '', ''],
      ['封存乙', bad, '', '', '', '东关社区', '第九网格', '', '', '', '', '', ''],
    ]);
    const r = await check('shequ', 'sealed.csv', content);
    expect(r).toMatchObject({ status: 'validated', rowsValid: 1, rowsInvalid: 1, hasErrorReport: true });
    const names = filesOf(r.id).sort();
    expect(names).toEqual([
      `import-${r.id}.csv`,
      `import-${r.id}.errors.json`,
      `import-${r.id}.errors.xlsx`,
      `import-${r.id}.json`,
    ]);
    for (const name of names) {
      const raw = fs.readFileSync(path.join(dir, name));
      for (const secret of [id, phone, bad, '封存甲']) {
        expect(raw.includes(Buffer.from(secret)), `${name}: ${secret}`).toBe(false);
        expect(raw.includes(Buffer.from(secret, 'utf16le')), `${name}: ${secret}`).toBe(false);
      }
      expect(raw.subarray(0, 7).toString(), name).toBe('LNLSEAL');
      expect(fs.statSync(path.join(dir, name)).mode & 0o777, name).toBe(0o600);
    }
    expect(await commit('shequ', r.id)).toMatchObject({ status: 'committed', hasErrorReport: true });
    expect(filesOf(r.id).sort()).toEqual([`import-${r.id}.errors.json`, `import-${r.id}.errors.xlsx`]);

    const failed = await check('shequ', 'failed.csv', csv([HEADER]));
    expect(failed.status).toBe('failed');
    expect(filesOf(failed.id)).toEqual([]);
    expect(fs.readdirSync(dir).filter((n) => isPartialName(n) || n.startsWith('incoming-'))).toEqual([]);
  });

  it('cancels a validated import: audited, its files deleted, no commit after; refused to others and twice', async () => {
    const r = await check(
      'shequ',
      'cancel.csv',
      csv([
        HEADER,
        ['取消甲', newId(), '', '', '', '东关社区', '第一网格', '', '', '', '', '', ''],
        ['取消乙', '1234', '', '', '', '东关社区', '第一网格', '', '', '', '', '', ''],
      ]),
    );
    expect(r.status).toBe('validated');
    // The upload, its sidecar, the error report and the bad rows for the screen.
    expect(filesOf(r.id)).toHaveLength(4);
    const refused = await as('wangge', { method: 'DELETE', url: `/api/people/imports/${r.id}` });
    expect(refused.statusCode).toBe(403);
    expect(await getImport('shequ', r.id)).toMatchObject({ status: 'validated' });
    expect(filesOf(r.id)).toHaveLength(4);

    const res = await as('shequ', { method: 'DELETE', url: `/api/people/imports/${r.id}` });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { import: ImportView }).import).toMatchObject({
      id: r.id,
      status: 'failed',
      hasErrorReport: false,
      error: { code: 'IMPORT_CANCELLED', message: '导入已取消，上传的文件已删除' },
    });
    expect(filesOf(r.id)).toEqual([]);
    const audit = await env.db.query<{ target_label: string }>(
      `SELECT target_label FROM audit_log WHERE action = 'people.import.cancel' AND target_id = $1`,
      [String(r.id)],
    );
    expect(audit).toEqual([{ target_label: 'cancel.csv' }]);
    const again = await as('shequ', { method: 'DELETE', url: `/api/people/imports/${r.id}` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'IMPORT_NOT_CANCELLABLE' });
    const late = await as('shequ', { method: 'POST', url: `/api/people/imports/${r.id}/commit` });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'IMPORT_NOT_VALIDATED' });
  });
});
