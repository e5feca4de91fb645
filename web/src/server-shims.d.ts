/**
 * `reports.schemas.ts`, read here for its types only, names Node's `Readable` for the body of an export.
 * The console is typed for the browser, without Node's typings; this stands in for that one name.
 * It can go when the server declares the export body next to its route instead of among the schemas.
 */
declare module 'node:stream' {
  export type Readable = unknown;
}
