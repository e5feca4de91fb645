const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises a text cell that a spreadsheet could read as a formula (CSV/formula injection): a value
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP's list) gets a leading single quote,
 * which Excel shows as text. Every workbook Linli writes (reports, import error reports) passes its text
 * through it.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
