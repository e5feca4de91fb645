/**
 * CSV as offices produce it: UTF-8 (with or without BOM), GBK/GB18030 from Excel on Chinese Windows, UTF-16
 * "Unicode text"; comma, tab or semicolon separated; RFC 4180 quoting. Pure, streaming, no I/O.
 *
 * The parser is written here rather than taken from csv-parse because the import's throughput hangs on it:
 * most lines of a county register have no quotes at all, and for those a native split is several times
 * faster than a character-by-character state machine (which remains for lines that do have quotes).
 */
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export type Decoder = { write(chunk: Buffer): string; end(): string };

/**
 * Guesses the encoding of a file from its first bytes: a byte-order mark if there is one; otherwise UTF-8 if
 * the sample decodes as UTF-8 (a multi-byte character cut off at the end of the sample is not an error),
 * else GB18030, the superset of GBK and GB2312. Returns null for binary data (NUL bytes without a UTF-16 BOM).
 */
export function detectEncoding(sample: Uint8Array): TextEncoding | null {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  if (sample.includes(0)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** A streaming decoder that drops a leading byte-order mark. */
export function createDecoder(encoding: TextEncoding): Decoder {
  if (encoding === 'utf-8' || encoding === 'utf-16le') {
    const d = new TextDecoder(encoding);
    return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
  }
  const d = iconv.getDecoder(encoding, { stripBOM: true });
  return { write: (b) => d.write(b), end: () => d.end() ?? '' };
}

/** Comma, tab or semicolon: whichever occurs most often outside quotes in the first line (comma on a tie). */
export function detectDelimiter(text: string): ',' | '\t' | ';' {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) break;
    else if (!inQuotes && (c === ',' || c === '\t' || c === ';')) counts[c]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

export class CsvError extends Error {
  constructor(readonly record: number) {
    super(`unterminated quoted field in record ${record}`);
  }
}

/**
 * Incremental CSV parser. `push` returns the records completed by a chunk of text and keeps an incomplete
 * last record for the next chunk; `end` returns the last record of a file without a final newline.
 * A quote inside an unquoted field is kept as text (Excel writes such fields); `\r\n`, `\n` and `\r` end lines.
 */
export class CsvParser {
  private rest = '';
  private records = 0;

  constructor(
    private readonly delimiter: string = ',',
    private readonly maxRecordChars = 1 << 20,
  ) {}

  /** @throws CsvError when one record grows beyond `maxRecordChars` (a quote that is never closed) */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    const text = this.rest === '' ? chunk : this.rest + chunk;
    const pos = this.parse(text, out, false);
    this.rest = pos < text.length ? text.slice(pos) : '';
    // Otherwise an unclosed quote near the top of a 200 MB file would hold the rest of it in memory.
    if (this.rest.length > this.maxRecordChars) throw new CsvError(this.records + 1);
    return out;
  }

  /** @throws CsvError when the file ends inside a quoted field */
  end(): string[][] {
    const out: string[][] = [];
    if (this.rest !== '') this.parse(this.rest, out, true);
    this.rest = '';
    return out;
  }

  private parse(text: string, out: string[][], final: boolean): number {
    const d = this.delimiter;
    const n = text.length;
    let pos = 0;
    // Next \r and next quote at or after pos, searched again only once passed (searching from every line
    // start would scan the rest of the chunk once per line).
    let cr = -2;
    let quote = -2;
    while (pos < n) {
      let nl = text.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
      // Old Mac files end lines with a lone \r; a \r at the very end of a chunk may yet be followed by \n.
      if (cr !== -1 && (nl === -1 || cr < nl - 1)) {
        if (cr === n - 1 && !final) return pos;
        nl = cr;
      }
      if (nl === -1 && !final) return pos;
      const lineEnd = nl === -1 ? n : nl;
      if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
      if (quote === -1 || quote > lineEnd) {
        const stop = lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
        out.push(text.slice(pos, stop).split(d));
        this.records++;
        pos = nl === -1 ? n : nl + 1;
        continue;
      }
      const end = this.parseQuoted(text, pos, out, final);
      if (end === -1) return pos;
      pos = end;
    }
    return pos;
  }

  /** One record that contains a quote; returns the position after it, or -1 when the text ends inside it. */
  private parseQuoted(text: string, start: number, out: string[][], final: boolean): number {
    const d = this.delimiter.charCodeAt(0);
    const n = text.length;
    const fields: string[] = [];
    let i = start;
    for (;;) {
      // At the start of a field.
      let value = '';
      if (i < n && text.charCodeAt(i) === 34) {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) {
            if (final) throw new CsvError(this.records + 1);
            return -1;
          }
          value += text.slice(i, q);
          if (q + 1 < n && text.charCodeAt(q + 1) === 34) {
            value += '"';
            i = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) return -1;
          i = q + 1;
          break;
        }
      }
      // Unquoted text, or whatever follows a closing quote, up to the delimiter or the end of the line.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === d || c === 10 || c === 13) break;
        j++;
      }
      value += text.slice(i, j);
      fields.push(value);
      if (j >= n) {
        if (!final) return -1;
        out.push(fields);
        this.records++;
        return n;
      }
      const c = text.charCodeAt(j);
      if (c === d) {
        i = j + 1;
        continue;
      }
      // End of line: \r\n, \n or \r.
      if (c === 13) {
        if (j + 1 >= n && !final) return -1;
        i = j + 1 < n && text.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
      } else {
        i = j + 1;
      }
      out.push(fields);
      this.records++;
      return i;
    }
  }
}
