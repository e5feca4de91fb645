import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { whenImportSettled } from '../../modules/people/import/import.service.js';
import { csv, HEADER, newId } from '../../modules/people/import/import.test-fixtures.js';
import { describeEachDb } from '../../test/test-app.js';
import { generateIdNumber } from '../pii/index.js';

/** A multipart/form-data upload of one file, its name written raw into the part header. */
function upload(fileName: string, content: string) {
  const boundary = '----linlifuzz';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`),
    Buffer.from(fileName, 'utf8'),
    Buffer.from(`"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(content, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * Hostile input that used to reach the database and come back as a 500: NUL characters, lone surrogates,
 * ids beyond the bigint range, whitespace-only names. Each is refused with a 400 that names the field, beside
 * a positive control showing the same request with a fair value succeeds.
 */
describeEachDb('hostile input', (env) => {
  const NUL = 'a\u0000b';
  const LONE = 'a\uD800b';
  let seq = 0;
  const idNumber = () => generateIdNumber({ areaCode: '370902', birthDate: '1990-01-01', sequence: 700 + ++seq });

  const json = (body: unknown) => JSON.parse(body as string) as { code: string; field?: string; message: string };

  it('refuses a NUL or a lone surrogate in the login form with a 400 naming the field', async () => {
    for (const [username, password, field] of [
      [NUL, 'x', 'username'],
      [LONE, 'x', 'username'],
      ['nobody', NUL, 'password'],
      ['nobody', LONE, 'password'],
    ] as const) {
      const res = await env.as(null, { method: 'POST', url: '/api/auth/login', payload: { username, password } });
      expect(res.statusCode, `${JSON.stringify(username)} ${JSON.stringify(password)}`).toBe(400);
      expect(json(res.body)).toMatchObject({ code: 'VALIDATION', field });
    }
    const ok = await env.as(null, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: 'x' },
    });
    expect(ok.statusCode).toBe(401);
  });

  it('refuses a NUL or a lone surrogate in search parameters', async () => {
    for (const url of [
      '/api/people/residents?q=%00',
      '/api/people/residents?address=a%00',
      '/api/users?q=%00',
      '/api/org/search?q=%00',
      '/api/audit?actor=%00',
    ]) {
      const res = await env.as('admin', { method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      const field = new URL(url, 'http://x').searchParams.keys().next().value;
      expect(json(res.body), url).toMatchObject({ code: 'VALIDATION', field });
    }
    const ok = await env.as('admin', { method: 'GET', url: '/api/people/residents?q=%E5%BC%A0' });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a NUL or a lone surrogate in names and addresses of a new resident', async () => {
    const base = { name: '王五', idNumber: idNumber(), nodeId: env.ids.unit };
    for (const [key, value] of [
      ['name', NUL],
      ['name', LONE],
      ['currentAddress', NUL],
      ['hukouAddress', LONE],
    ] as const) {
      const res = await env.as('admin', {
        method: 'POST',
        url: '/api/people/residents',
        payload: { ...base, [key]: value },
      });
      expect(res.statusCode, `${key}=${JSON.stringify(value)}`).toBe(400);
      expect(json(res.body)).toMatchObject({ code: 'VALIDATION', field: key });
    }
    const ok = await env.as('admin', {
      method: 'POST',
      url: '/api/people/residents',
      payload: { ...base, name: '  王五  ', currentAddress: '  东关路 1 号 ' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(JSON.parse(ok.body)).toMatchObject({ name: '王五', currentAddress: '东关路 1 号' });
  });

  it('refuses a whitespace-only name with a 400 naming the field', async () => {
    const node = await env.as('admin', {
      method: 'POST',
      url: '/api/org/nodes',
      payload: { parentId: env.ids.community, type: 'grid', name: ' \t\n ' },
    });
    expect(node.statusCode).toBe(400);
    expect(json(node.body)).toMatchObject({ code: 'VALIDATION', field: 'name' });
    const resident = await env.as('admin', {
      method: 'POST',
      url: '/api/people/residents',
      payload: { name: '   ', idNumber: idNumber(), nodeId: env.ids.unit },
    });
    expect(resident.statusCode).toBe(400);
    expect(json(resident.body)).toMatchObject({ code: 'VALIDATION', field: 'name' });
    const ok = await env.as('admin', {
      method: 'POST',
      url: '/api/org/nodes',
      payload: { parentId: env.ids.community, type: 'grid', name: ' 第九网格 ' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(JSON.parse(ok.body)).toMatchObject({ name: '第九网格' });
  });

  it('refuses ids beyond the bigint range in paths, queries and bodies', async () => {
    for (const [method, url, payload, field] of [
      ['GET', '/api/people/residents/99999999999999999999', undefined, 'id'],
      ['GET', '/api/people/residents/1e20', undefined, 'id'],
      ['GET', '/api/org/nodes/9223372036854775808', undefined, 'id'],
      ['GET', '/api/people/residents?nodeId=1e20', undefined, 'nodeId'],
      ['GET', '/api/org/nodes?parentId=99999999999999999999', undefined, 'parentId'],
      ['POST', '/api/people/households', { nodeId: 1e20 }, 'nodeId'],
      ['POST', '/api/org/nodes', { parentId: 1e20, type: 'grid', name: 'x' }, 'parentId'],
    ] as const) {
      const res = await env.as('admin', { method, url, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(json(res.body), `${method} ${url}`).toMatchObject({ code: 'VALIDATION', field });
    }
    const missing = await env.as('admin', { method: 'GET', url: '/api/people/residents/9007199254740991' });
    expect(missing.statusCode).toBe(404);
  });

  it('names the field in English too', async () => {
    const res = await env.as('admin', {
      method: 'GET',
      url: '/api/people/residents?q=%00',
      headers: { 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res.body)).toEqual({
      code: 'VALIDATION',
      field: 'q',
      message: expect.stringMatching(/^q: .*character/),
    });
  });

  it('reports NUL in an imported cell as a row error naming row and column, and strips it from the file name', async () => {
    // A byte-order mark makes the file UTF-8 at once; without one, NUL bytes in its head make it unreadable.
    const rows = [
      HEADER,
      ['张\u0000三', newId(), '', '', '', '东关社区', '第一网格', '', '', '501', '', '户主', ''],
      ['李四', newId(), '', '', '', '东关社区', '第一网格', '', '', '5\u000002', '', '户主', ''],
      ['王五', newId(), '', '', '', '东关社区', '第一网格', '', '', '503', '', '户主', ''],
    ];
    const res = await env.as('shequ', {
      method: 'POST',
      url: '/api/people/imports',
      ...upload('坏\u0000名.csv', `\uFEFF${csv(rows)}`),
    });
    expect(res.statusCode, res.body).toBe(202);
    const id = (JSON.parse(res.body) as { import: { id: number } }).import.id;
    await whenImportSettled(id);
    const view = await env.as('shequ', { method: 'GET', url: `/api/people/imports/${id}` });
    expect(JSON.parse(view.body)).toMatchObject({
      import: { status: 'validated', fileName: '坏\uFFFD名.csv', rowsValid: 1, rowsInvalid: 2 },
    });
    const report = await env.as('shequ', { method: 'GET', url: `/api/people/imports/${id}/errors.xlsx` });
    expect(report.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const errors = [2, 3].map((r) => ({
      row: sheet.getRow(r).getCell(1).value,
      error: String(sheet.getRow(r).getCell(HEADER.length + 2).value),
    }));
    expect(errors).toEqual([
      { row: 2, error: expect.stringMatching(/^姓名：含有无法识别的字符/) },
      { row: 3, error: expect.stringMatching(/^房号：含有无法识别的字符/) },
    ]);
    const commit = await env.as('shequ', { method: 'POST', url: `/api/people/imports/${id}/commit` });
    expect(commit.statusCode, commit.body).toBe(202);
    await whenImportSettled(id);
    const done = await env.as('shequ', { method: 'GET', url: `/api/people/imports/${id}` });
    expect(JSON.parse(done.body)).toMatchObject({ import: { status: 'committed', rowsInserted: 1 } });
  });

  it('keeps NUL in headers from the database: user agent, session cookie, API token, request id', async () => {
    const login = await env.as(null, {
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': 'evil\u0000agent' },
      payload: { username: 'wangge', password: 'Linli@2026' },
    });
    expect(login.statusCode).toBe(400);
    expect(json(login.body)).toMatchObject({ code: 'VALIDATION', field: 'user-agent' });
    const fine = await env.as(null, {
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': 'fine agent' },
      payload: { username: 'wangge', password: 'Linli@2026' },
    });
    expect(fine.statusCode).toBe(200);

    for (const [headers, code] of [
      [{ cookie: 'linli_session=abc%00def' }, 'AUTH_SESSION_INVALID'],
      [{ cookie: `linli_session=${'a'.repeat(42)}%00` }, 'AUTH_SESSION_INVALID'],
      [{ authorization: 'Bearer lnl_\u0000' }, 'AUTH_TOKEN_INVALID'],
    ] as const) {
      const res = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(json(res.body).code).toBe(code);
    }
    const badId = await env.as('admin', {
      method: 'GET',
      url: '/api/auth/me',
      headers: { 'x-request-id': 'abcdefgh\u0000' },
    });
    expect(badId.statusCode).toBe(400);
    expect(json(badId.body)).toMatchObject({ code: 'VALIDATION', field: 'x-request-id' });
    const goodId = await env.as('admin', {
      method: 'GET',
      url: '/api/auth/me',
      headers: { 'x-request-id': 'abcdefgh-1' },
    });
    expect(goodId.statusCode).toBe(200);
    expect(goodId.headers['x-request-id']).toBe('abcdefgh-1');
  });
});
