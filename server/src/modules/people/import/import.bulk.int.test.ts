/**
 * The bulk load (large imports: indexes built and foreign keys checked once, new people COPYed straight into
 * their tables) must leave exactly what the batch-by-batch upsert leaves. Two databases in the same state take
 * the same file, one each way, and everything they then hold is compared. The bulk load's rows are prepared
 * by two worker threads in tiny chunks (crossing chunk and batch boundaries), the upsert's in the runner's own
 * thread: the threads change nothing either.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoAccounts, loadDemoRegion } from '../../../demo/demo-region.js';
import { systemCtx } from '../../../platform/access/context.js';
import type { Db } from '../../../platform/db/client.js';
import { createPiiCipher } from '../../../platform/pii/index.js';
import { createTestDb, testDbKinds } from '../../../test/test-db.js';
import { registerModuleHooks, seedReferenceData } from '../../index.js';
import { importFile, principalOf } from './import.service.js';
import { csv, FAILING_ROWS, HEADER, newId, whileRefusing } from './import.test-fixtures.js';

/** Everything an import writes, without ids (they may differ between the two ways), in a stable order. */
async function snapshot(db: Db) {
  const residents = await db.query(
    `SELECT r.name, r.node_path, r.relation, r.sex, r.birth_date::text, r.name_pinyin, r.name_initials, r.id_masked,
            r.phone_masked, r.hukou_address, r.current_address, r.status, r.import_id,
            h.room_no, h.node_path AS house_path,
            hh.household_no, hh.node_path AS household_path, hr.name AS head, hh_house.room_no AS household_room,
            ARRAY(SELECT t.code || ':' || rt.source || ':' || rt.node_path FROM resident_tags rt
                    JOIN tags t ON t.id = rt.tag_id WHERE rt.resident_id = r.id ORDER BY t.code) AS tags
       FROM residents r
       LEFT JOIN houses h ON h.id = r.house_id
       LEFT JOIN households hh ON hh.id = r.household_id
       LEFT JOIN residents hr ON hr.id = hh.head_resident_id
       LEFT JOIN houses hh_house ON hh_house.id = hh.house_id
      ORDER BY r.name`,
  );
  const households = await db.query(
    `SELECT hh.household_no, hh.node_path, h.room_no, hr.name AS head,
            (SELECT count(*)::int FROM residents m WHERE m.household_id = hh.id) AS members
       FROM households hh LEFT JOIN houses h ON h.id = hh.house_id LEFT JOIN residents hr ON hr.id = hh.head_resident_id
      ORDER BY hh.household_no NULLS LAST, h.room_no, hr.name`,
  );
  const houses = await db.query('SELECT node_path, room_no FROM houses ORDER BY node_path, room_no');
  return { residents, households, houses };
}

/** The indexes and constraints of the people tables, as the catalogue describes them. */
async function schema(db: Db) {
  return db.query(
    `SELECT 'index' AS kind, indexname AS name, indexdef AS def FROM pg_indexes
      WHERE tablename IN ('houses', 'households', 'residents', 'resident_tags')
     UNION ALL
     SELECT 'constraint', conname, pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END
       FROM pg_constraint WHERE conrelid IN ('houses'::regclass, 'households'::regclass, 'residents'::regclass,
                                             'resident_tags'::regclass)
     ORDER BY 1, 2`,
  );
}

for (const kind of testDbKinds()) {
  describe(`people import, bulk load against batch by batch [${kind}]`, () => {
    const pii = createPiiCipher(Buffer.alloc(32, 7));
    const dbs: { db: Db; drop: () => Promise<void> }[] = [];
    let dir: string;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bulk-test-'));
      for (let i = 0; i < 2; i++) {
        // The import files move-in requests, which notify: the kinds modules declare, as in the server.
        registerModuleHooks();
        const t = await createTestDb(kind);
        await seedReferenceData(t.db);
        await loadDemoRegion(t.db);
        await loadDemoAccounts(t.db, pii);
        dbs.push(t);
      }
    }, 60_000);

    afterAll(async () => {
      for (const t of dbs) await t.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const write = (name: string, rows: string[][]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, csv(rows));
      return file;
    };

    it('streams into an empty database and leaves what the batch upsert leaves', async () => {
      const g = ['东关社区', '第二网格', '', ''];
      const dup = newId('1977-01-01');
      const file = write('empty.csv', [
        HEADER,
        ['流甲', newId('1979-02-02', 'female'), '13905371111', '女', '', ...g, '21号', 'S-1', '配偶', '党员'],
        ['流乙', dup, '', '', '', ...g, '22号', '', '户主', '低保户，残疾人'],
        ['坏行', '123', '', '', '', ...g, '', '', '', ''],
        ['流丙', newId('2018-03-03'), '', '', '', ...g, '21号', 'S-1', '子女', ''],
        ['流丁', newId('1976-04-04'), '', '', '', ...g, '23号', 'S-1', '户主', ''],
        ['流戊', dup, '', '', '', ...g, '24号', '', '户主', ''],
        ['流己', newId('1938-05-05'), '', '', '', ...g, '22号', '', '配偶', ''],
        ['流庚', newId('1950-06-06'), '', '', '', ...g, '', '', '', ''],
      ]);
      const results = [];
      for (const [i, t] of dbs.entries()) {
        const schemaBefore = await schema(t.db);
        const r = await importFile({ db: t.db, pii }, systemCtx('test'), {
          filePath: file,
          commit: true,
          batchRows: 2,
          bulkMinRows: i === 1 ? 1 : 1_000_000,
          prepWorkers: i === 1 ? 2 : 0,
          prepChunkRows: 3,
        });
        expect(r.bulk).toBe(i === 1);
        expect(await schema(t.db)).toEqual(schemaBefore);
        results.push({ ...r, bulk: undefined, importId: undefined, timings: undefined });
      }
      expect(results[1]).toEqual(results[0]);
      expect(results[0]).toMatchObject({ rowsRead: 8, rowsValid: 6, rowsInvalid: 2, rowsInserted: 6, houses: 3 });
      const [a, b] = [await snapshot(dbs[0]!.db), await snapshot(dbs[1]!.db)];
      expect(b).toEqual(a);
      const byName = new Map(a.residents.map((r) => [r.name as string, r]));
      expect(byName.get('流甲')).toMatchObject({ household_no: 'S-1', head: '流丁', room_no: '21号' });
      expect(byName.get('流己')).toMatchObject({ head: '流乙', room_no: '22号' });
      expect(byName.get('流庚')).toMatchObject({ room_no: null, household_no: null, head: null });
    });

    it('leaves the same people, houses, households, heads and tags, and the tables as they were', async () => {
      const place = ['东关社区', '第一网格', '5号楼', '1单元'];
      const [stays, moves, inOldHouse] = [newId('1950-01-01'), newId('1988-02-02', 'female'), newId('1990-03-03')];
      const outside = newId('1970-04-04');
      // What both databases hold before: a numbered household, a house with a household, someone outside
      // 东关社区 (a move-in request when its community worker imports them), and a person who will move.
      const before = write('before.csv', [
        HEADER,
        ['旧户主', stays, '13805370001', '男', '', ...place, '101', 'OLD-1', '户主', ''],
        ['将搬走', moves, '', '女', '', ...place, '102', '', '户主', '党员'],
        ['老房客', newId('1960-05-05'), '', '', '', ...place, '103', '', '户主', ''],
        ['外社区', outside, '', '', '', '西关社区', '第二网格', '', '', '', '', '', ''],
      ]);
      const later = newId('1941-06-06');
      const file = write('main.csv', [
        HEADER,
        // A new household whose head comes two batches later; its first row's facts until then.
        ['新户甲', newId('1983-07-07', 'female'), '13905370002', '女', '', ...place, '201', 'NEW-1', '配偶', '低保户'],
        ['新户乙', newId('2016-08-08'), '', '', '', ...place, '201', 'NEW-1', '子女', ''],
        ['加入旧户', newId('2010-09-09'), '', '', '', ...place, '101', 'OLD-1', '孙子女', ''],
        ['旧户主', stays, '13805370009', '', '', ...place, '101', 'OLD-1', '户主', '党员'],
        ['住旧房', inOldHouse, '', '', '', ...place, '103', '', '子女', ''],
        ['将搬走', moves, '', '', '', '东关社区', '第二网格', '', '', '7号', '', '户主', ''],
        ['新户主', later, '', '', '', '东关社区', '第一网格', '4号楼', '2单元', '202', 'NEW-1', '户主', ''],
        ['独居', newId('1945-10-10'), '', '', '', ...place, '301', '', '户主', ''],
        ['重复', stays, '', '', '', ...place, '302', '', '', ''],
        ['外社区', outside, '', '', '', ...place, '303', '', '', ''],
        ['无房', newId('1999-11-11'), '', '', '', '东关社区', '第三网格', '', '', '', '', '', ''],
        ['坏行', '123', '', '', '', ...place, '', '', '', ''],
      ]);

      const shequ = { ...systemCtx('test'), principal: await principalOf(dbs[0]!.db, 'shequ') };
      const results = [];
      for (const [i, t] of dbs.entries()) {
        await importFile({ db: t.db, pii }, systemCtx('test'), { filePath: before, commit: true });
        const schemaBefore = await schema(t.db);
        const bulk = i === 1;
        const r = await importFile({ db: t.db, pii }, shequ, {
          filePath: file,
          commit: true,
          batchRows: 3,
          bulkMinRows: bulk ? 1 : 1_000_000,
          prepWorkers: bulk ? 2 : 0,
          prepChunkRows: 2,
        });
        expect(r.bulk).toBe(bulk);
        results.push(r);
        expect(await schema(t.db)).toEqual(schemaBefore);
      }
      const [normal, bulk] = results as [(typeof results)[0], (typeof results)[0]];
      const pick = (r: typeof normal) => ({
        rowsRead: r.rowsRead,
        rowsValid: r.rowsValid,
        rowsInvalid: r.rowsInvalid,
        rowsInserted: r.rowsInserted,
        rowsUpdated: r.rowsUpdated,
        rowsReview: r.rowsReview,
        houses: r.houses,
        households: r.households,
      });
      expect(pick(bulk)).toEqual(pick(normal));
      expect(pick(normal)).toEqual({
        rowsRead: 12,
        rowsValid: 10,
        rowsInvalid: 2,
        rowsInserted: 7,
        rowsUpdated: 2,
        rowsReview: 1,
        houses: 4,
        households: 3,
      });

      const [a, b] = [await snapshot(dbs[0]!.db), await snapshot(dbs[1]!.db)];
      expect(b).toEqual(a);
      // The person registered in 西关社区 became a move-in request in either load, and was not moved.
      for (const t of dbs) {
        const requests = await t.db.query<{ name: string; room_no: string }>(
          `SELECT name, room_no FROM move_in_requests WHERE source = 'import'`,
        );
        expect(requests).toEqual([{ name: '外社区', room_no: '303' }]);
      }
      expect(a.residents.filter((r) => r.name === '外社区')).toHaveLength(1);
      // Spot checks that the comparison is about something.
      const byName = new Map(a.residents.map((r) => [r.name as string, r]));
      expect(byName.get('新户甲')).toMatchObject({ household_no: 'NEW-1', head: '新户主', room_no: '201' });
      expect(byName.get('加入旧户')).toMatchObject({ household_no: 'OLD-1', head: '旧户主' });
      expect(byName.get('住旧房')).toMatchObject({ head: '老房客', room_no: '103' });
      expect(byName.get('将搬走')).toMatchObject({ room_no: '7号', phone_masked: null });
      expect(byName.get('旧户主')).toMatchObject({ phone_masked: '138****0009' });
      expect((byName.get('旧户主')!.tags as string[]).map((t) => t.split(':').slice(0, 2).join(':'))).toEqual([
        'party_member:import',
      ]);
      expect((byName.get('独居')!.tags as string[]).map((t) => t.split(':')[0])).toEqual(['aged_80', 'elderly_alone']);

      // Ids carry on from where the bulk load stopped: the blocks it reserved and did not use are given back.
      for (const table of ['houses', 'households', 'residents']) {
        const [s] = await dbs[1]!.db.query<{ max: number; next: number }>(
          `SELECT (SELECT max(id) FROM ${table})::int AS max, nextval(pg_get_serial_sequence('${table}', 'id'))::int AS next`,
        );
        expect(s!.next).toBe(s!.max + 1);
      }
    });

    it('writes nothing, and keeps every index and foreign key, when a bulk load fails part-way', async () => {
      const { db } = dbs[1]!;
      await whileRefusing(db, async () => {
        const schemaBefore = await schema(db);
        const before = await snapshot(db);
        const file = write('fails.csv', FAILING_ROWS());
        await expect(
          importFile({ db, pii }, systemCtx('test'), {
            filePath: file,
            commit: true,
            batchRows: 1,
            bulkMinRows: 1,
            prepWorkers: 1,
            prepChunkRows: 1,
          }),
        ).rejects.toThrow(/refused by test/);
        expect(await schema(db)).toEqual(schemaBefore);
        expect(await snapshot(db)).toEqual(before);
      });
    });
  });
}
