/**
 * What readers see while an import commits, and the statistics it leaves. A batch-by-batch import takes only row
 * locks (readers go on and see the old data until it commits); a bulk load holds the people tables exclusively
 * (its DROP INDEX / DROP CONSTRAINT need ACCESS EXCLUSIVE, kept to the commit), which is why it is kept for
 * loads that add at least a quarter of the residents. Both refresh the planner's statistics of what they filled.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemCtx } from '../../../platform/access/context.js';
import type { Queryable } from '../../../platform/db/client.js';
import { describeEachDb } from '../../../test/test-app.js';
import { importFile } from './import.service.js';
import { csv, HEADER, newId } from './import.test-fixtures.js';

/** The table locks a transaction holds on the people tables, by table. */
async function locksHeld(q: Queryable): Promise<Record<string, string[]>> {
  const rows = await q.query<{ t: string; mode: string }>(
    `SELECT c.relname AS t, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
      WHERE l.pid = pg_backend_pid() AND l.granted AND c.relname IN ('residents', 'households', 'houses')
      ORDER BY 1, 2`,
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) out[r.t] = [...(out[r.t] ?? []), r.mode];
  return out;
}

describeEachDb('people import: readers during a load, statistics after it', (env) => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-readers-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const g = ['东关社区', '第三网格', '', ''];
  const write = (name: string, rows: string[][]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, csv(rows));
    return file;
  };
  const phoneOf = async (name: string) =>
    (await env.db.query<{ p: string | null }>('SELECT phone_masked AS p FROM residents WHERE name = $1', [name]))[0]?.p;

  it('a small import takes row locks only: readers see the old data until it commits', async () => {
    const id = newId('1971-01-01');
    await importFile({ db: env.db, pii: env.pii }, systemCtx('test'), {
      filePath: write('a.csv', [HEADER, ['读者甲', id, '13905370001', '', '', ...g, '', '', '', '']]),
      commit: true,
    });
    let during: Record<string, string[]> = {};
    let seen: { phone: string | null | undefined; newcomer: number } | null = null;
    const r = await importFile({ db: env.db, pii: env.pii }, systemCtx('test'), {
      filePath: write('b.csv', [
        HEADER,
        ['读者甲', id, '13905370002', '', '', ...g, '', '', '', ''],
        ['新来者', newId('1972-02-02'), '', '', '', ...g, '', '', '', ''],
      ]),
      commit: true,
      onCommit: async (tx) => {
        during = await locksHeld(tx);
        // PGlite has one connection, held by this transaction: only PostgreSQL can have a reader beside it.
        if (env.kind === 'postgres') {
          seen = {
            phone: await phoneOf('读者甲'),
            newcomer: (await env.db.query('SELECT 1 FROM residents WHERE name = $1', ['新来者'])).length,
          };
        }
      },
    });
    expect(r).toMatchObject({ bulk: false, rowsInserted: 1, rowsUpdated: 1 });
    // No lock that keeps a SELECT waiting (ACCESS EXCLUSIVE is the only one that conflicts with ACCESS SHARE).
    expect(during.residents).toContain('RowExclusiveLock');
    for (const modes of Object.values(during)) expect(modes).not.toContain('AccessExclusiveLock');
    if (env.kind === 'postgres') expect(seen).toEqual({ phone: '139****0001', newcomer: 0 });
    expect(await phoneOf('读者甲')).toBe('139****0002');
  });

  it('a small import that wrote many rows refreshes the statistics of the tables it filled', async () => {
    const rows = [HEADER];
    for (let i = 0; i < 30; i++)
      rows.push([`统计${i}`, newId('1980-03-03'), '', '', '', ...g, `S-${i}`, '', '户主', '']);
    const r = await importFile({ db: env.db, pii: env.pii }, systemCtx('test'), {
      filePath: write('c.csv', rows),
      commit: true,
      analyzeMinRows: 10,
    });
    expect(r.bulk).toBe(false);
    const stats = await env.db.query<{ t: string; estimated: number; counted: number }>(
      `SELECT c.relname AS t, c.reltuples::int AS estimated,
              CASE c.relname WHEN 'residents' THEN (SELECT count(*) FROM residents)
                             WHEN 'households' THEN (SELECT count(*) FROM households)
                             ELSE (SELECT count(*) FROM houses) END::int AS counted
         FROM pg_class c WHERE c.relname IN ('residents', 'households', 'houses') ORDER BY 1`,
    );
    for (const s of stats) expect(s.estimated, s.t).toBe(s.counted);
    expect((await env.db.query(`SELECT 1 FROM pg_stats WHERE tablename = 'residents'`)).length).toBeGreaterThan(0);
  });

  it('a bulk load holds the people tables exclusively until it commits, and analyzes them', async () => {
    const rows = [HEADER];
    for (let i = 0; i < 200; i++)
      rows.push([`大批${i}`, newId('1985-04-04'), '', '', '', ...g, `B-${i}`, '', '户主', '']);
    let during: Record<string, string[]> = {};
    let reader: string | null = null;
    const r = await importFile({ db: env.db, pii: env.pii }, systemCtx('test'), {
      filePath: write('d.csv', rows),
      commit: true,
      bulkMinRows: 1,
      onCommit: async (tx) => {
        during = await locksHeld(tx);
        if (env.kind === 'postgres') {
          reader = await env.db
            .transaction(async (t) => {
              await t.exec(`SET LOCAL lock_timeout = '200ms'`);
              await t.query('SELECT count(*) FROM residents');
              return 'read';
            })
            .catch((err: Error) => (/lock timeout/.test(err.message) ? 'waited' : err.message));
        }
      },
    });
    expect(r).toMatchObject({ bulk: true, rowsInserted: 200 });
    expect(during.residents).toContain('AccessExclusiveLock');
    if (env.kind === 'postgres') expect(reader).toBe('waited');
    const [s] = await env.db.query<{ estimated: number; counted: number }>(
      `SELECT (SELECT reltuples::int FROM pg_class WHERE relname = 'residents') AS estimated,
              (SELECT count(*)::int FROM residents) AS counted`,
    );
    expect(s?.estimated).toBe(s?.counted);
  });
});
