import type { Queryable } from '../db/client.js';

export type FileRow = {
  id: number;
  public_id: string;
  kind: 'image' | 'document';
  sha256: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  thumb_sha256: string | null;
  thumb_mime: string | null;
  thumb_size: number | null;
  original_name: string;
  uploaded_by: number | null;
  created_at: Date;
  attached_type: string | null;
  attached_id: number | null;
  attached_at: Date | null;
};

const COLS = `id, public_id, kind, sha256, mime, size, width, height, thumb_sha256, thumb_mime, thumb_size,
  original_name, uploaded_by, created_at, attached_type, attached_id, attached_at`;

export type NewFile = Omit<FileRow, 'id' | 'created_at' | 'attached_type' | 'attached_id' | 'attached_at'>;

/** Serialises everything that writes or deletes the blob of `sha256` (until the transaction ends). */
export async function lockBlob(q: Queryable, sha256: string): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtextextended('linli.file:' || $1, 0))`, [sha256]);
}

export async function insertFile(q: Queryable, f: NewFile): Promise<FileRow> {
  const rows = await q.query<FileRow>(
    `INSERT INTO files (public_id, kind, sha256, mime, size, width, height, thumb_sha256, thumb_mime, thumb_size,
       original_name, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLS}`,
    [
      f.public_id,
      f.kind,
      f.sha256,
      f.mime,
      f.size,
      f.width,
      f.height,
      f.thumb_sha256,
      f.thumb_mime,
      f.thumb_size,
      f.original_name,
      f.uploaded_by,
    ],
  );
  return rows[0]!;
}

export async function findFileByPublicId(
  q: Queryable,
  publicId: string,
  forUpdate = false,
): Promise<FileRow | undefined> {
  const rows = await q.query<FileRow>(
    `SELECT ${COLS} FROM files WHERE public_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [publicId],
  );
  return rows[0];
}

export async function findFilesByPublicIds(q: Queryable, publicIds: readonly string[]): Promise<FileRow[]> {
  return q.query<FileRow>(`SELECT ${COLS} FROM files WHERE public_id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [
    publicIds,
  ]);
}

export async function listAttached(q: Queryable, type: string, recordId: number): Promise<FileRow[]> {
  return q.query<FileRow>(`SELECT ${COLS} FROM files WHERE attached_type = $1 AND attached_id = $2 ORDER BY id`, [
    type,
    recordId,
  ]);
}

export async function countAttached(q: Queryable, type: string, recordId: number): Promise<number> {
  const rows = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM files WHERE attached_type = $1 AND attached_id = $2',
    [type, recordId],
  );
  return rows[0]?.n ?? 0;
}

export async function countPending(q: Queryable, userId: number): Promise<number> {
  const rows = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM files WHERE uploaded_by = $1 AND attached_type IS NULL',
    [userId],
  );
  return rows[0]?.n ?? 0;
}

export async function attachFile(q: Queryable, id: number, type: string, recordId: number): Promise<void> {
  await q.query('UPDATE files SET attached_type = $2, attached_id = $3, attached_at = now() WHERE id = $1', [
    id,
    type,
    recordId,
  ]);
}

export async function deleteFile(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM files WHERE id = $1', [id]);
}

/** Whether any row still refers to the blob (as its file or its thumbnail). */
export async function isBlobReferenced(q: Queryable, sha256: string): Promise<boolean> {
  const rows = await q.query<{ n: number }>(
    `SELECT (EXISTS (SELECT 1 FROM files WHERE sha256 = $1) OR EXISTS (SELECT 1 FROM files WHERE thumb_sha256 = $1))::int AS n`,
    [sha256],
  );
  return rows[0]?.n === 1;
}

/** Deletes up to `limit` uploads left unattached for more than `hours`, and returns them. */
export async function deleteStaleUnattached(q: Queryable, hours: number, limit: number): Promise<FileRow[]> {
  return q.query<FileRow>(
    `DELETE FROM files WHERE id IN (
       SELECT id FROM files WHERE attached_type IS NULL AND created_at < now() - make_interval(hours => $1::int)
       ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     AND attached_type IS NULL
     RETURNING ${COLS}`,
    [hours, limit],
  );
}

/** Every hash some row refers to (housekeeping compares it with the store). */
export async function referencedBlobs(q: Queryable): Promise<Set<string>> {
  const rows = await q.query<{ sha: string }>(
    'SELECT sha256 AS sha FROM files UNION SELECT thumb_sha256 FROM files WHERE thumb_sha256 IS NOT NULL',
  );
  return new Set(rows.map((r) => r.sha));
}
