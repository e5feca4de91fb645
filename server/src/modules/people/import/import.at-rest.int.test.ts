/**
 * Personal data at rest, after an import cut short: every file under the data directory (the embedded
 * database's own files, the key file, uploads and error reports, and the temporary directory the import may
 * use) is scanned for the ID and phone numbers of the imported file, in ASCII and in UTF-16. None may be there;
 * the upload directory holds only sealed files of mode 0600.
 *
 * Not describeEachDb: that runs PGlite in memory, and this test needs its files on disk (a data directory as
 * production has it). On PostgreSQL the database's files are the server's; the rest is scanned the same way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { DEMO_PASSWORD, loadDemoAccounts, loadDemoRegion } from '../../../demo/demo-region.js';
import type { Db } from '../../../platform/db/client.js';
import { openPglite } from '../../../platform/db/client.js';
import { migrate } from '../../../platform/db/migrate.js';
import { createJobs } from '../../../platform/jobs/index.js';
import { createPiiCipher, loadOrCreateKeyFile } from '../../../platform/pii/index.js';
import { login } from '../../../test/test-app.js';
import { createTestDb, testDbKinds } from '../../../test/test-db.js';
import { seedReferenceData } from '../../index.js';
import type { ImportView } from './import.schemas.js';
import { whenImportSettled } from './import.service.js';
import { csv, HEADER, newId, whileRefusing } from './import.test-fixtures.js';

function form(fileName: string, content: Buffer) {
  const boundary = 'atrestboundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: 'http://localhost' },
  };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

for (const kind of testDbKinds()) {
  describe(`personal data at rest after an interrupted import [${kind}]`, () => {
    let dataDir: string;
    let db: Db;
    let drop: () => Promise<void>;
    let app: FastifyInstance;
    let cookie: string;
    const savedTmp = process.env.TMPDIR;

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-at-rest-'));
      // Whatever the import (or a library it uses) writes to "the temporary directory" lands here and is scanned.
      fs.mkdirSync(path.join(dataDir, 'tmp'));
      process.env.TMPDIR = path.join(dataDir, 'tmp');
      if (kind === 'pglite') {
        db = await openPglite(path.join(dataDir, 'pglite'));
        await migrate(db);
        drop = () => db.close();
      } else ({ db, drop } = await createTestDb('postgres'));
      const pii = createPiiCipher(loadOrCreateKeyFile(path.join(dataDir, 'linli.key')).key);
      await seedReferenceData(db);
      await loadDemoRegion(db);
      await loadDemoAccounts(db, pii);
      app = await buildApp({
        jobs: createJobs(db),
        db,
        pii,
        broker: null,
        loginRateLimit: 1000,
        uploads: { dir: path.join(dataDir, 'uploads') },
      });
      await app.ready();
      cookie = await login(app, 'shequ', DEMO_PASSWORD);
    });

    let stopped: Promise<void> | null = null;
    const stop = () => {
      stopped ??= (async () => {
        await app?.close();
        await drop?.();
      })();
      return stopped;
    };

    afterAll(async () => {
      await stop();
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const upload = async (fileName: string, content: Buffer): Promise<ImportView> => {
      const body = form(fileName, content);
      const res = await app.inject({
        method: 'POST',
        url: '/api/people/imports',
        payload: body.payload,
        headers: { ...body.headers, cookie },
      });
      expect(res.statusCode, res.body).toBe(202);
      const id = (res.json() as { import: ImportView }).import.id;
      await whenImportSettled(id);
      return (
        (await app.inject({ method: 'GET', url: `/api/people/imports/${id}`, headers: { cookie } })).json() as {
          import: ImportView;
        }
      ).import;
    };

    it('leaves no ID or phone number in plain text anywhere in the data directory', async () => {
      const [goodId, otherId, thirdId] = [newId('1971-03-05'), newId('1982-04-06', 'female'), newId('1993-05-07')];
      const wrongCheck = `${otherId.slice(0, 17)}${otherId.endsWith('1') ? '2' : '1'}`;
      const [phone1, phone2, badPhone] = ['13905378642', '15805379753', '1370537246'];
      const secrets = [goodId, otherId, thirdId, wrongCheck, phone1, phone2, badPhone];

      // A CSV (plain text, as offices export it): good rows, bad rows, and one the database refuses mid-commit.
      const rows = [
        HEADER,
        ['静息甲', goodId, phone1, '', '', '东关社区', '第一网格', '', '', '11号', 'R-1', '户主', ''],
        ['静息乙', wrongCheck, phone2, '', '', '东关社区', '第一网格', '', '', '12号', 'R-2', '户主', ''],
        ['静息丙', thirdId, badPhone, '', '', '东关社区', '第一网格', '', '', '13号', 'R-3', '户主', ''],
        ['失败', otherId, '', '', '', '东关社区', '第一网格', '', '', '14号', 'R-4', '户主', ''],
      ];
      await whileRefusing(db, async () => {
        const checked = await upload('静息.csv', Buffer.from(csv(rows)));
        expect(checked).toMatchObject({ status: 'validated', rowsValid: 2, rowsInvalid: 2, hasErrorReport: true });
        const res = await app.inject({
          method: 'POST',
          url: `/api/people/imports/${checked.id}/commit`,
          headers: { cookie, origin: 'http://localhost' },
        });
        expect(res.statusCode, res.body).toBe(202);
        await whenImportSettled(checked.id);
        const done = (
          (
            await app.inject({ method: 'GET', url: `/api/people/imports/${checked.id}`, headers: { cookie } })
          ).json() as {
            import: ImportView;
          }
        ).import;
        expect(done).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
      });

      // The same file checked again and left waiting for its commit: its upload stays, sealed.
      const waiting = await upload('待提交.csv', Buffer.from(csv(rows)));
      expect(waiting).toMatchObject({ status: 'validated', rowsValid: 2, rowsInvalid: 2 });

      // An .xlsx as Excel lays it out (worksheets before the shared strings), phone numbers stored as numbers:
      // its worksheet is parked while the file is read, and the upload stays, validated, waiting for its commit.
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('居民');
      ws.addRow(['姓名', '身份证号', '联系电话', '社区', '网格']);
      ws.addRow(['表格甲', goodId, Number(phone1), '东关社区', '第一网格']);
      ws.addRow(['表格乙', wrongCheck, Number(badPhone), '东关社区', '第一网格']);
      const xlsx = await upload('静息.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      expect(xlsx).toMatchObject({ status: 'validated', rowsValid: 1, rowsInvalid: 1, hasErrorReport: true });

      // Positive control: the error report, decrypted on download, holds the bad rows (masked).
      const report = await app.inject({
        method: 'GET',
        url: `/api/people/imports/${xlsx.id}/errors.xlsx`,
        headers: { cookie },
      });
      expect(report.statusCode).toBe(200);
      const read = new ExcelJS.Workbook();
      await read.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
      const bad = read.worksheets[0]?.getRow(2).values as unknown[];
      expect(bad.slice(1, 6)).toEqual([
        3,
        '表格乙',
        `${wrongCheck.slice(0, 6)}********${wrongCheck.slice(14)}`,
        '137*****46（10 位）',
        '东关社区',
      ]);

      await stop();
      const files = walk(dataDir);
      const uploads = files.filter((f) => f.startsWith(path.join(dataDir, 'uploads') + path.sep));
      // The validated uploads with their sidecars and error reports; the CSV whose commit failed left nothing.
      expect(uploads.map((f) => path.basename(f)).sort()).toEqual(
        [waiting.id, xlsx.id]
          .flatMap((id) => [`import-${id}.errors.json`, `import-${id}.errors.xlsx`, `import-${id}.json`])
          .concat([`import-${waiting.id}.csv`, `import-${xlsx.id}.xlsx`])
          .sort(),
      );
      if (kind === 'pglite') expect(files.some((f) => f.includes(`${path.sep}pglite${path.sep}`))).toBe(true);
      const found: string[] = [];
      for (const f of files) {
        const raw = fs.readFileSync(f);
        for (const s of secrets) {
          if (raw.includes(Buffer.from(s, 'latin1'))) found.push(`${path.relative(dataDir, f)}: ${s} (ASCII)`);
          if (raw.includes(Buffer.from(s, 'utf16le'))) found.push(`${path.relative(dataDir, f)}: ${s} (UTF-16)`);
        }
      }
      expect(found).toEqual([]);
      for (const f of uploads) {
        expect(fs.statSync(f).mode & 0o777, f).toBe(0o600);
        expect(fs.readFileSync(f).subarray(0, 7).toString(), f).toBe('LNLSEAL');
      }
      expect(fs.statSync(path.join(dataDir, 'linli.key')).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
    });
  });
}
