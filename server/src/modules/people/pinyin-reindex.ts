/**
 * `npm run linli -- reindex pinyin`: recomputes the stored pinyin and initials of every resident (the only
 * records that store pinyin) after the pinyin library or its polyphone table changed (曾 zeng/ceng). Residents are
 * walked by id in batches (default 5,000), each batch in its own short transaction, only rows whose pinyin differs
 * rewritten; running it again changes nothing. Safe while the server runs: a batch holds row locks only.
 */
import type { Db } from '../../platform/db/client.js';
import { createNamePinyin } from './import/import.pinyin.js';
import * as repo from './pinyin-reindex.repo.js';

export type ReindexProgress = { done: number; total: number; changed: number; lastId: number };

export async function reindexPinyin(
  db: Db,
  o: { batchSize?: number; onProgress?: (p: ReindexProgress) => void } = {},
): Promise<ReindexProgress> {
  const batchSize = o.batchSize ?? 5000;
  const pinyinOf = createNamePinyin();
  const progress: ReindexProgress = { done: 0, total: await repo.countResidents(db), changed: 0, lastId: 0 };
  for (;;) {
    const rows = await repo.residentNamesAfter(db, progress.lastId, batchSize);
    if (rows.length === 0) break;
    const changed = rows.flatMap((r) => {
      const p = pinyinOf(r.name);
      return p.full === r.name_pinyin && p.initials === r.name_initials
        ? []
        : [{ id: r.id, pinyin: p.full, initials: p.initials }];
    });
    progress.changed += await db.transaction((tx) => repo.updateNamePinyin(tx, changed));
    progress.done += rows.length;
    progress.lastId = (rows[rows.length - 1] as repo.NameRow).id;
    o.onProgress?.({ ...progress });
  }
  return progress;
}
