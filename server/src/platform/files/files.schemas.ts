import { type Static, Type } from 'typebox';
import { Nullable, Strict, Timestamp } from '../http/schemas.js';

/** A file's id in URLs and bodies: 22 characters of base64url (128 random bits), never the serial id. */
export const FileId = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$', minLength: 22, maxLength: 22 });

export const FileParams = Strict({ id: FileId });

export const FileView = Type.Object({
  id: FileId,
  kind: Type.Union([Type.Literal('image'), Type.Literal('document')]),
  mime: Type.String(),
  size: Type.Integer(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  name: Type.String(),
  createdAt: Timestamp,
  /** The stored file (an image: re-encoded, long side at most 2048 px). */
  url: Type.String(),
  /** The 320 px thumbnail of an image; null for a document. */
  thumbUrl: Nullable(Type.String()),
  /** Whether the file belongs to a record yet (an unattached upload is removed after a day). */
  attached: Type.Boolean(),
});
export type FileView = Static<typeof FileView>;

/** What a record's save sends to attach uploads. */
export const FileIds = Type.Array(FileId, { minItems: 1, maxItems: 50, uniqueItems: true });
