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
});
