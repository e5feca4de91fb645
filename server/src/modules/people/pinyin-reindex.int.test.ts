import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { systemCtx } from '../../platform/access/context.js';
import { describeEachDb } from '../../test/test-app.js';
import { importFile } from './import/import.service.js';
import { csv, HEADER, newId } from './import/import.test-fixtures.js';
import { type ReindexProgress, reindexPinyin } from './pinyin-reindex.js';

describeEachDb('reindex pinyin', (env) => {
  it('rewrites stale pinyin in batches by id, with progress, and changes nothing the second time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-reindex-'));
    try {
      const file = path.join(dir, 'names.csv');
      const g = ['东关社区', '第一网格', '', ''];
      const names = ['曾小华', '单田芳', '王建国', '乐嘉', '张三'];
      fs.writeFileSync(
        file,
        csv([HEADER, ...names.map((n) => [n, newId('1970-01-01'), '', '', '', ...g, '', '', '', ''])]),
      );
      await importFile({ db: env.db, pii: env.pii }, systemCtx('test'), { filePath: file, commit: true });
      const stored = async () =>
        Object.fromEntries(
          (
            await env.db.query<{ name: string; p: string; i: string }>(
              'SELECT name, name_pinyin AS p, name_initials AS i FROM residents WHERE name = ANY($1)',
              [names],
            )
          ).map((r) => [r.name, `${r.p}/${r.i}`]),
        );
      const right = await stored();
      expect(right.曾小华).toBe('zengxiaohua/zxh');
      expect(right.单田芳).toBe('shantianfang/stf');
      // As an older pinyin table wrote them: the surname's other reading.
      await env.db.query(
        `UPDATE residents SET name_pinyin = CASE name WHEN '曾小华' THEN 'cengxiaohua' ELSE 'dantianfang' END,
                              name_initials = CASE name WHEN '曾小华' THEN 'cxh' ELSE 'dtf' END
          WHERE name IN ('曾小华', '单田芳')`,
      );
      const [{ total } = { total: 0 }] = await env.db.query<{ total: number }>(
        'SELECT count(*)::int AS total FROM residents',
      );
      const seen: ReindexProgress[] = [];
      const r = await reindexPinyin(env.db, { batchSize: 2, onProgress: (p) => seen.push(p) });
      expect(r).toMatchObject({ done: total, total, changed: 2 });
      expect(seen).toHaveLength(Math.ceil(total / 2));
      expect(seen.map((p) => p.done)).toEqual(seen.map((_, i) => Math.min(total, (i + 1) * 2)));
      expect(seen.every((p, i) => i === 0 || p.lastId > (seen[i - 1] as ReindexProgress).lastId)).toBe(true);
      expect(await stored()).toEqual(right);
      const again = await reindexPinyin(env.db, { batchSize: 5000 });
      expect(again).toMatchObject({ done: total, changed: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
