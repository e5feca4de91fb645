/**
 * Photos and files: uploads checked and re-encoded (files.process.ts), kept by content hash in a FileStore,
 * and attached to records of the kinds modules register. A file is served only to whoever may read the record
 * it belongs to — decided by that kind at every request — or, until it belongs to one, to its uploader.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../access/context.js';
import type { Db, Queryable } from '../db/client.js';
import { AppError } from '../errors/errors.js';
import type { FileStore } from './file-store.js';
import { DEFAULT_FILE_LIMITS, type FileLimits } from './files.logic.js';
import type { ProcessedFile } from './files.process.js';
import * as repo from './files.repo.js';
import type { FileView } from './files.schemas.js';

export type AttachmentKind = {
  /** A stable name stored with each file ('resident', 'case', …). */
  kind: string;
  /** Whether the caller may read the record (and so its files). A record that does not exist is false. */
  canRead(ctx: Ctx, recordId: number, db: Queryable): Promise<boolean>;
  /** Whether the caller may add files to the record (and remove them). */
  canAttach(ctx: Ctx, recordId: number, db: Queryable): Promise<boolean>;
  /** Files one record may hold. */
  maxFiles: number;
};

const KINDS = new Map<string, AttachmentKind>();

/** Declares a kind of record files can be attached to; registering a kind again replaces it. */
export function registerAttachmentKind(kind: AttachmentKind): void {
  KINDS.set(kind.kind, kind);
}

export function attachmentKind(kind: string): AttachmentKind {
  const k = KINDS.get(kind);
  if (!k) throw new Error(`no attachment kind ${kind}`);
  return k;
}

export type Upload = { name: string; file: ProcessedFile };

export type FilesService = ReturnType<typeof createFilesService>;

export function toFileView(f: repo.FileRow): FileView {
  return {
    id: f.public_id,
    kind: f.kind,
    mime: f.mime,
    size: f.size,
    width: f.width,
    height: f.height,
    name: f.original_name,
    createdAt: f.created_at.toISOString(),
    url: `/api/files/${f.public_id}`,
    thumbUrl: f.thumb_sha256 ? `/api/files/${f.public_id}/thumb` : null,
    attached: f.attached_type !== null,
  };
}

const newPublicId = () => randomBytes(16).toString('base64url');

export function createFilesService(deps: { db: Db; store: FileStore; limits?: Partial<FileLimits> }) {
  const { db, store } = deps;
  const limits: FileLimits = { ...DEFAULT_FILE_LIMITS, ...deps.limits };

  /** Deletes blobs no row refers to any more, each under its lock (an upload of the same content waits or wins). */
  async function releaseBlobs(shas: Iterable<string>): Promise<void> {
    for (const sha of new Set(shas)) {
      await db.transaction(async (tx) => {
        await repo.lockBlob(tx, sha);
        if (!(await repo.isBlobReferenced(tx, sha))) await store.delete(sha);
      });
    }
  }

  const blobsOf = (rows: readonly repo.FileRow[]) =>
    rows.flatMap((r) => (r.thumb_sha256 ? [r.sha256, r.thumb_sha256] : [r.sha256]));

  return {
    limits,
    store,
    releaseBlobs,

    /**
     * Keeps checked uploads as files of the caller, not yet attached to any record: all of them or, on any
     * failure, none (rows and blobs).
     * @throws FILE_TOO_MANY, FILE_PENDING_LIMIT
     */
    async saveUploads(ctx: Ctx, uploads: readonly Upload[]): Promise<FileView[]> {
      if (uploads.length === 0) throw new AppError('FILE_REQUIRED', { field: 'file' });
      if (uploads.length > limits.maxFilesPerRequest) {
        throw new AppError('FILE_TOO_MANY', { field: 'file', params: { limit: limits.maxFilesPerRequest } });
      }
      const userId = ctx.principal.userId > 0 ? ctx.principal.userId : null;
      const variants = new Map<string, Buffer>();
      for (const u of uploads) {
        variants.set(u.file.main.sha256, u.file.main.bytes);
        if (u.file.thumb) variants.set(u.file.thumb.sha256, u.file.thumb.bytes);
      }
      const written: string[] = [];
      try {
        return await db.transaction(async (tx) => {
          if (userId !== null && (await repo.countPending(tx, userId)) + uploads.length > limits.maxPendingPerUser) {
            throw new AppError('FILE_PENDING_LIMIT', { field: 'file', params: { limit: limits.maxPendingPerUser } });
          }
          // Sorted, so two uploads sharing blobs never wait on each other in opposite orders.
          for (const sha of [...variants.keys()].sort()) {
            await repo.lockBlob(tx, sha);
            if (!(await store.exists(sha))) {
              written.push(sha);
              await store.put(sha, variants.get(sha)!);
            }
          }
          const views: FileView[] = [];
          for (const u of uploads) {
            const { main, thumb } = u.file;
            const row = await repo.insertFile(tx, {
              public_id: newPublicId(),
              kind: u.file.kind,
              sha256: main.sha256,
              mime: main.mime,
              size: main.bytes.length,
              width: main.width,
              height: main.height,
              thumb_sha256: thumb?.sha256 ?? null,
              thumb_mime: thumb?.mime ?? null,
              thumb_size: thumb?.bytes.length ?? null,
              original_name: u.name,
              uploaded_by: userId,
            });
            views.push(toFileView(row));
          }
          return views;
        });
      } catch (err) {
        // Blobs this call wrote and no row took up.
        await releaseBlobs(written).catch(() => undefined);
        throw err;
      }
    },

    /**
     * The bytes of a file (or its thumbnail) for a caller who may read the record it belongs to, or who uploaded
     * it while it belongs to none. Anyone else learns nothing, not even that it exists.
     * @throws FILE_NOT_FOUND
     */
    async readFile(
      ctx: Ctx,
      publicId: string,
      variant: 'main' | 'thumb',
    ): Promise<{ bytes: Buffer; mime: string; name: string; kind: 'image' | 'document' }> {
      const f = await repo.findFileByPublicId(db, publicId);
      const notFound = new AppError('FILE_NOT_FOUND');
      if (!f) throw notFound;
      if (f.attached_type === null || f.attached_id === null) {
        if (f.uploaded_by === null || f.uploaded_by !== ctx.principal.userId) throw notFound;
      } else {
        const kind = KINDS.get(f.attached_type);
        if (!kind || !(await kind.canRead(ctx, f.attached_id, db))) throw notFound;
      }
      const sha = variant === 'main' ? f.sha256 : f.thumb_sha256;
      const mime = variant === 'main' ? f.mime : f.thumb_mime;
      if (!sha || !mime) throw notFound;
      const bytes = await store.get(sha);
      if (!bytes) throw notFound;
      return { bytes, mime, name: f.original_name, kind: f.kind };
    },

    /**
     * Attaches uploads of the caller to a record, inside the transaction that saves the record. Files already on
     * this record are left as they are.
     * @throws FILE_NOT_FOUND (not an upload of the caller; `field` names which), FILE_ALREADY_ATTACHED,
     *   FILE_ATTACH_LIMIT, FORBIDDEN (the kind refuses the caller)
     */
    async attachFiles(
      tx: Queryable,
      ctx: Ctx,
      opts: { kind: string; recordId: number; fileIds: readonly string[]; field?: string },
    ): Promise<FileView[]> {
      const kind = attachmentKind(opts.kind);
      const field = opts.field ?? 'fileIds';
      if (!(await kind.canAttach(ctx, opts.recordId, tx))) throw new AppError('FORBIDDEN');
      const rows = await repo.findFilesByPublicIds(tx, opts.fileIds);
      const byId = new Map(rows.map((r) => [r.public_id, r]));
      const fresh: repo.FileRow[] = [];
      opts.fileIds.forEach((id, i) => {
        const f = byId.get(id);
        const mine = f && f.uploaded_by !== null && f.uploaded_by === ctx.principal.userId;
        const here = f && f.attached_type === kind.kind && f.attached_id === opts.recordId;
        if (!f || (!mine && !here)) throw new AppError('FILE_NOT_FOUND', { field: `${field}.${i}` });
        if (here) return;
        if (f.attached_type !== null) throw new AppError('FILE_ALREADY_ATTACHED', { field: `${field}.${i}` });
        fresh.push(f);
      });
      const count = await repo.countAttached(tx, kind.kind, opts.recordId);
      if (count + fresh.length > kind.maxFiles) {
        throw new AppError('FILE_ATTACH_LIMIT', { field, params: { limit: kind.maxFiles, count } });
      }
      for (const f of fresh) await repo.attachFile(tx, f.id, kind.kind, opts.recordId);
      return fresh.map((f) => toFileView({ ...f, attached_type: kind.kind, attached_id: opts.recordId }));
    },

    /**
     * Removes a file from a record inside the record's transaction; call `releaseBlobs(blobs)` after it commits.
     * @throws FILE_NOT_FOUND (not a file of this record), FORBIDDEN
     */
    async detachFile(
      tx: Queryable,
      ctx: Ctx,
      opts: { kind: string; recordId: number; fileId: string },
    ): Promise<{ file: FileView; blobs: string[] }> {
      const kind = attachmentKind(opts.kind);
      const f = await repo.findFileByPublicId(tx, opts.fileId, true);
      if (!f || f.attached_type !== kind.kind || f.attached_id !== opts.recordId) throw new AppError('FILE_NOT_FOUND');
      if (!(await kind.canAttach(ctx, opts.recordId, tx))) throw new AppError('FORBIDDEN');
      await repo.deleteFile(tx, f.id);
      return { file: toFileView(f), blobs: blobsOf([f]) };
    },

    /** The files of a record, in upload order (the caller has checked it may read the record). */
    async listAttached(q: Queryable, kind: string, recordId: number): Promise<FileView[]> {
      return (await repo.listAttached(q, attachmentKind(kind).kind, recordId)).map(toFileView);
    },

    /**
     * Housekeeping: uploads never attached within `unattachedHours` are deleted with their blobs, and blobs no
     * row refers to (a crash between writing a blob and committing its row) are removed.
     */
    async sweep(): Promise<{ removedFiles: number; orphanBlobs: number }> {
      let removedFiles = 0;
      for (;;) {
        const stale = await repo.deleteStaleUnattached(db, limits.unattachedHours, 500);
        if (stale.length === 0) break;
        removedFiles += stale.length;
        await releaseBlobs(blobsOf(stale));
        if (stale.length < 500) break;
      }
      const referenced = await repo.referencedBlobs(db);
      const orphans = (await store.list()).filter((sha) => !referenced.has(sha));
      await releaseBlobs(orphans);
      return { removedFiles, orphanBlobs: orphans.length };
    },
  };
}
