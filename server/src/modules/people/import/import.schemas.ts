import { type Static, Type } from 'typebox';
import { ErrorBody, Nullable, Text, Timestamp } from '../../../platform/http/schemas.js';

export const ImportStatus = Type.Union([
  Type.Literal('running'),
  Type.Literal('validated'),
  Type.Literal('committed'),
  Type.Literal('failed'),
]);

/** One import: its progress while it runs, its counts when done, its file error if it failed. */
export const ImportView = Type.Object({
  id: Type.Integer(),
  status: ImportStatus,
  fileName: Type.String(),
  rowsRead: Type.Integer(),
  rowsValid: Type.Integer(),
  rowsInvalid: Type.Integer(),
  rowsInserted: Type.Integer(),
  rowsUpdated: Type.Integer(),
  /** Rows naming people registered outside the importer's area, submitted for review as move-in requests. */
  rowsReview: Type.Integer(),
  /** Why the import failed (a file error such as a missing column), in the caller's language. */
  error: Nullable(ErrorBody),
  hasErrorReport: Type.Boolean(),
  /**
   * The first bad rows' issues (up to 50, in file order), for the screen beside the error report: row number,
   * the file's column header, what is wrong. Given by GET /imports/:id once a pass has found bad rows.
   */
  errorRows: Type.Optional(
    Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() }), {
      maxItems: 50,
    }),
  ),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});
export type ImportView = Static<typeof ImportView>;

export const ImportEnvelope = Type.Object({ import: ImportView });
export type ImportEnvelope = Static<typeof ImportEnvelope>;

/** A parsed upload mapping: header → field ("" ignores the column). */
export const ImportMapping = Type.Record(Text({ minLength: 1, maxLength: 100 }), Text({ maxLength: 50 }), {
  maxProperties: 200,
});
export type ImportMapping = Static<typeof ImportMapping>;
