/**
 * A resident's attachments (材料与照片: a 低保证明 scan, a photo of a disability card): files of the kind
 * 'resident' (platform/files). Reading them needs `people.read` and `people.sensitive` over the resident's place —
 * such a scan says what sensitive tags say, so building leaders, who see neither, see no attachments either;
 * adding or removing one needs `people.write` there. Every change is audited on the resident.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, can } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { FileView } from '../../platform/files/files.schemas.js';
import { type FilesService, registerAttachmentKind } from '../../platform/files/files.service.js';
import { maskName } from '../../platform/pii/index.js';
import * as repo from './people.repo.js';

export const RESIDENT_FILE_KIND = 'resident';
/** Attachments one resident may hold. */
export const RESIDENT_MAX_FILES = 30;

export type ResidentFilesDeps = { db: Db; files: FilesService };

const readsFiles = (ctx: Ctx, path: string) =>
  can(ctx.principal, 'people.read', path) && can(ctx.principal, 'people.sensitive', path);

export function registerResidentAttachments(): void {
  registerAttachmentKind({
    kind: RESIDENT_FILE_KIND,
    maxFiles: RESIDENT_MAX_FILES,
    async canRead(ctx, id, db) {
      const r = await repo.findResident(db, id);
      return r !== undefined && readsFiles(ctx, r.node_path);
    },
    async canAttach(ctx, id, db) {
      const r = await repo.findResident(db, id);
      return r !== undefined && readsFiles(ctx, r.node_path) && can(ctx.principal, 'people.write', r.node_path);
    },
  });
}

/** The resident, if the caller may read their attachments (else not found, or 403 when they may read the person). */
async function residentForFiles(q: Queryable, ctx: Ctx, id: number, forUpdate = false): Promise<repo.ResidentRow> {
  const r = await repo.findResident(q, id, forUpdate);
  if (!r || !can(ctx.principal, 'people.read', r.node_path)) throw new AppError('RESIDENT_NOT_FOUND');
  assertCan(ctx.principal, 'people.sensitive', r.node_path);
  return r;
}

/** @throws RESIDENT_NOT_FOUND, FORBIDDEN (a building leader) */
export async function listResidentFiles(deps: ResidentFilesDeps, ctx: Ctx, id: number): Promise<FileView[]> {
  await residentForFiles(deps.db, ctx, id);
  return deps.files.listAttached(deps.db, RESIDENT_FILE_KIND, id);
}

/**
 * Attaches the caller's uploads (`POST /api/files`) to a resident.
 * @throws RESIDENT_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE, FILE_NOT_FOUND, FILE_ALREADY_ATTACHED, FILE_ATTACH_LIMIT
 */
export async function attachResidentFiles(
  deps: ResidentFilesDeps,
  ctx: Ctx,
  id: number,
  fileIds: readonly string[],
): Promise<FileView[]> {
  return deps.db.transaction(async (tx) => {
    const r = await residentForFiles(tx, ctx, id, true);
    assertCan(ctx.principal, 'people.write', r.node_path);
    const added = await deps.files.attachFiles(tx, ctx, { kind: RESIDENT_FILE_KIND, recordId: id, fileIds });
    if (added.length > 0) {
      await recordAudit(tx, ctx, {
        action: 'resident.file_add',
        targetType: 'resident',
        targetId: id,
        targetLabel: maskName(r.name),
        scopePath: r.node_path,
        countyId: r.county_id,
        diff: { files: [null, added.map((f) => f.name)] },
      });
    }
    return deps.files.listAttached(tx, RESIDENT_FILE_KIND, id);
  });
}

/**
 * Removes one attachment of a resident; its bytes go once no other upload shares them.
 * @throws RESIDENT_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE, FILE_NOT_FOUND
 */
export async function deleteResidentFile(
  deps: ResidentFilesDeps,
  ctx: Ctx,
  id: number,
  fileId: string,
): Promise<FileView[]> {
  const { list, blobs } = await deps.db.transaction(async (tx) => {
    const r = await residentForFiles(tx, ctx, id, true);
    assertCan(ctx.principal, 'people.write', r.node_path);
    const { file, blobs } = await deps.files.detachFile(tx, ctx, { kind: RESIDENT_FILE_KIND, recordId: id, fileId });
    await recordAudit(tx, ctx, {
      action: 'resident.file_remove',
      targetType: 'resident',
      targetId: id,
      targetLabel: maskName(r.name),
      scopePath: r.node_path,
      countyId: r.county_id,
      diff: { files: [file.name, null] },
    });
    return { list: await deps.files.listAttached(tx, RESIDENT_FILE_KIND, id), blobs };
  });
  await deps.files.releaseBlobs(blobs);
  return list;
}
