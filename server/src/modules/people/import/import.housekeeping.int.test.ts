/** Imports left running by a stopped process, and uploaded files and error reports past their retention. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/test-app.js';
import * as repo from './import.repo.js';
import { IMPORT_FILE_RETENTION_DAYS, sweepImports } from './import.service.js';

describeEachDb('import housekeeping', (env) => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-sweep-test-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const record = async (status: repo.ImportStatus, heartbeatMinutesAgo: number) => {
    const r = await repo.insertImport(env.db, { countyId: null, fileName: `${status}.csv`, createdBy: null });
    await env.db.query(
      `UPDATE imports SET status = $2, heartbeat_at = now() - make_interval(mins => $3) WHERE id = $1`,
      [r.id, status, heartbeatMinutesAgo],
    );
    return r.id;
  };
  const file = (name: string, daysAgo: number) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, 'x');
    const t = new Date(Date.now() - daysAgo * 86_400_000);
    fs.utimesSync(p, t, t);
    return p;
  };
  const statusOf = async (id: number) =>
    (
      await env.db.query<{ status: string; error: string | null }>('SELECT status, error FROM imports WHERE id = $1', [
        id,
      ])
    )[0]!;

  it('fails imports nobody is running any more, and deletes files past their retention', async () => {
    const stale = await record('running', 45);
    const fresh = await record('running', 1);
    const waiting = await record('validated', 0);
    const recent = await record('validated', 0);
    const old = IMPORT_FILE_RETENTION_DAYS + 1;
    const gone = [
      file(`import-${waiting}.csv`, old),
      file(`import-${waiting}.json`, old),
      file(`import-9999.errors.xlsx`, old),
    ];
    const kept = [file(`import-${recent}.csv`, 1), file(`import-${recent}.json`, 1), file('notes.txt', old)];

    const later = await sweepImports({ db: env.db, pii: env.pii, uploadDir: dir }, { atStart: false });
    expect(later.interrupted).toEqual([stale]);
    expect(later.expired).toEqual([waiting]);
    expect(later.filesRemoved).toBe(3);
    for (const p of gone) expect(fs.existsSync(p), p).toBe(false);
    for (const p of kept) expect(fs.existsSync(p), p).toBe(true);
    expect(await statusOf(stale)).toMatchObject({
      status: 'failed',
      error: JSON.stringify({ code: 'IMPORT_INTERRUPTED' }),
    });
    expect((await statusOf(waiting)).status).toBe('failed');
    expect(JSON.parse((await statusOf(waiting)).error!)).toEqual({ code: 'IMPORT_EXPIRED', params: { days: 7 } });
    expect((await statusOf(fresh)).status).toBe('running');
    expect((await statusOf(recent)).status).toBe('validated');

    // At the start of the only process that may use an embedded database, whatever is running was cut short.
    const atStart = await sweepImports({ db: env.db, pii: env.pii, uploadDir: dir }, { atStart: true });
    expect(atStart.interrupted).toEqual(env.kind === 'pglite' ? [fresh] : []);
  });
  it('deletes uploads of imports that are over or unknown, and files a crash left half-written', async () => {
    const committed = await record('committed', 0);
    const failed = await record('failed', 0);
    const waiting = await record('validated', 0);
    const gone = [
      file(`import-${committed}.csv`, 0),
      file(`import-${committed}.json`, 0),
      file(`import-${failed}.xlsx`, 0),
      file(`import-${failed}.json`, 0),
      file(`import-${failed}.errors.xlsx`, 0),
      // No import row owns these (a database restored from an older backup, a row deleted by hand).
      file('import-987654.csv', 0),
      file('import-987654.errors.xlsx', 0),
      // Left by a crash: a sealed file never completed, an upload never finished, a parked worksheet.
      file(`import-${waiting}.errors.xlsx.0a1b2c3d4e5f.partial`, 1 / 24),
      file('incoming-0b6e1c1e-0000-4000-8000-000000000000.9f8e7d6c5b4a.partial', 1 / 24),
      file('incoming-0b6e1c1e-0000-4000-8000-000000000001', 1 / 24),
      file('scratch-0b6e1c1e-0000-4000-8000-000000000002', 2),
    ];
    const kept = [
      // The report of a committed import stays until it expires; a validated import keeps its upload.
      file(`import-${committed}.errors.xlsx`, 0),
      file(`import-${waiting}.csv`, 0),
      file(`import-${waiting}.json`, 0),
      // Being written right now (an upload arriving, a worksheet being read).
      file('incoming-0b6e1c1e-0000-4000-8000-000000000003.0a0a0a0a0a0a.partial', 0),
      file('scratch-0b6e1c1e-0000-4000-8000-000000000004', 0),
    ];
    const r = await sweepImports({ db: env.db, pii: env.pii, uploadDir: dir }, { atStart: false });
    expect(r.filesRemoved).toBe(gone.length);
    for (const p of gone) expect(fs.existsSync(p), p).toBe(false);
    for (const p of kept) expect(fs.existsSync(p), p).toBe(true);
    expect((await statusOf(waiting)).status).toBe('validated');
  });
});
