import { type Static, type TSchema, Type } from 'typebox';

/** Schemas every module's routes share. */
export const ErrorBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/**
 * Every id of the API: a positive integer a JavaScript number holds exactly. Ids are `bigint` in the database;
 * a larger number (`1e20`, a 20-digit path segment) is refused here instead of overflowing in SQL.
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });

/**
 * What no text field accepts: NUL (PostgreSQL text cannot hold it) and UTF-16 surrogates that are not part of
 * a pair (not Unicode). Ajv and TypeBox compile patterns with the `u` flag, so a paired surrogate (an emoji)
 * is one code point and passes.
 */
export const SAFE_TEXT_PATTERN = '^[^\\u0000\\uD800-\\uDFFF]*$';

/** The schema annotation that asks for a string to be trimmed before it is validated (see input.plugin.ts). */
export const TRIM = 'x-trim';

export type TextOptions = {
  minLength?: number;
  maxLength: number;
  /** Trim surrounding whitespace before the length check: names and addresses (a name of spaces is empty). */
  trim?: boolean;
  description?: string;
};

/** Free text: bounded, free of NUL and lone surrogates, trimmed when the field says so. */
export function Text(opts: TextOptions) {
  const { trim, ...rest } = opts;
  return Type.String({ ...rest, pattern: SAFE_TEXT_PATTERN, ...(trim ? { [TRIM]: true } : {}) });
}

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};

export function Paged<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() });
}

export function Items<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item) });
}

/** Objects that refuse fields they do not know. */
export function Strict<P extends Record<string, TSchema>>(props: P) {
  return Type.Object(props, { additionalProperties: false });
}

/** Error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
};

export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
