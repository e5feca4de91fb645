import type { DeviceCredentials, DeviceDetail, DeviceImportResult, DeviceRule, RuleOverride } from '../../../api-types';
import { isApiError } from '../../../ui/api';

// ---- import errors --------------------------------------------------------------------------------------------

export type ImportErrorRow = {
  key: string;
  row: number;
  column: string;
  message: string;
  /** For the table's row cell: the number of lines of this spreadsheet row on its first line, 0 below it. */
  rowSpan: number;
};

/**
 * A refused import's errors as the table shows them: by spreadsheet row, then by column in `columnOrder` when
 * given (columns it does not name after those, in the server's order), each row's cell spanning its lines.
 */
export function importErrorRows(
  errors: DeviceImportResult['errors'],
  columnOrder: readonly string[] = [],
): ImportErrorRow[] {
  const rank = (column: string) => {
    const i = columnOrder.indexOf(column);
    return i === -1 ? columnOrder.length : i;
  };
  const sorted = [...errors].sort((a, b) => a.row - b.row || rank(a.column) - rank(b.column));
  return sorted.map((e, i) => {
    const first = i === 0 || sorted[i - 1]?.row !== e.row;
    let span = 0;
    if (first) {
      span = 1;
      while (sorted[i + span]?.row === e.row) span += 1;
    }
    return { key: `${i}`, row: e.row, column: e.column, message: e.message, rowSpan: span };
  });
}

/** How many spreadsheet rows have at least one error. */
export function rowsWithErrors(errors: DeviceImportResult['errors']): number {
  return new Set(errors.map((e) => e.row)).size;
}

/**
 * The import's answer when the server refused the file (400 DEVICE_IMPORT_INVALID, its body listing the errors by
 * row and column): a result with nothing created. Any other failure is not a refusal (null).
 */
export function refusedImport(error: unknown): DeviceImportResult | null {
  if (!isApiError(error) || error.code !== 'DEVICE_IMPORT_INVALID') return null;
  const body = error.body as { errors?: unknown } | undefined;
  if (!Array.isArray(body?.errors)) return null;
  const errors = body.errors
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({
      row: typeof e.row === 'number' ? e.row : 0,
      column: typeof e.column === 'string' ? e.column : '',
      message: typeof e.message === 'string' ? e.message : error.message,
    }));
  // a refusal always names at least one problem; without any, say the server's own message
  return {
    created: 0,
    errors: errors.length > 0 ? errors : [{ row: 0, column: '', message: error.message }],
    credentials: [],
  };
}

// ---- credentials file ----------------------------------------------------------------------------------------

export type CredentialsLine = DeviceCredentials & { serial?: string };

/** The HTTP ingest address as a device needs it: a path the server gave is completed with the console's origin. */
export function absoluteUrl(url: string, origin: string): string {
  return url.startsWith('/') ? `${origin}${url}` : url;
}

/** Credentials with their HTTP address made absolute (for the screen and the file). */
export function withAbsoluteUrl<T extends DeviceCredentials>(credentials: T, origin: string): T {
  return { ...credentials, httpUrl: absoluteUrl(credentials.httpUrl, origin) };
}
export type CredentialsHeaders = {
  serial: string;
  deviceId: string;
  username: string;
  token: string;
  telemetryTopic: string;
  eventTopic: string;
  httpUrl: string;
};

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * New devices' credentials as a CSV Excel opens in UTF-8 (a byte-order mark first, CRLF line ends). Values are
 * written as they are: a token is used verbatim by the device's installer, so nothing is prefixed to it (the
 * server's tokens, serials, topics and URLs hold no characters that could make a spreadsheet formula run).
 */
export function credentialsCsv(lines: readonly CredentialsLine[], headers: CredentialsHeaders): string {
  const columns = ['serial', 'deviceId', 'username', 'token', 'telemetryTopic', 'eventTopic', 'httpUrl'] as const;
  const head = columns.map((c) => csvField(headers[c])).join(',');
  const body = lines.map((line) =>
    columns.map((c) => csvField(c === 'deviceId' ? String(line.deviceId) : String(line[c] ?? ''))).join(','),
  );
  return `\uFEFF${[head, ...body].join('\r\n')}\r\n`;
}

/** The file name of a credentials download: devices-credentials-20261207-0512.csv (local time). */
export function credentialsFileName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `devices-credentials-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}.csv`;
}

// ---- register form -------------------------------------------------------------------------------------------

export type RegisterForm = {
  typeCode?: string;
  serial?: string;
  name?: string | null;
  nodeId?: number | null;
  houseId?: number | null;
  residentId?: number | null;
  /** YYYY-MM-DD (the form converts the date picker's value). */
  installedOn?: string | null;
  location?: string | null;
};

const blankToNull = (v: string | null | undefined) => {
  const s = v?.trim();
  return s ? s : null;
};

/** The register form as a DeviceCreate body (its required fields checked by the form before). */
export function registerBody(form: RegisterForm) {
  return {
    typeCode: form.typeCode ?? '',
    serial: (form.serial ?? '').trim(),
    name: blankToNull(form.name),
    nodeId: form.nodeId ?? 0,
    houseId: form.houseId ?? null,
    residentId: form.residentId ?? null,
    installedOn: form.installedOn ?? null,
    location: blankToNull(form.location),
  };
}

export const SERIAL_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

// ---- a person's rules ----------------------------------------------------------------------------------------

/** A rule that applies to a person through one of their devices (metrics and events from its type). */
export type PersonRule = { rule: DeviceRule; device: DeviceDetail; override: RuleOverride | null };

/**
 * The rules of a person's devices, each once (two meters of one type share their rules), with the person's
 * override of it when there is one (the overrides list is the fresher source than each device's copy).
 */
export function personRules(details: readonly DeviceDetail[], overrides: readonly RuleOverride[]): PersonRule[] {
  const seen = new Map<number, PersonRule>();
  for (const device of details) {
    for (const { rule } of device.rules) {
      if (seen.has(rule.id)) continue;
      seen.set(rule.id, { rule, device, override: overrides.find((o) => o.ruleId === rule.id) ?? null });
    }
  }
  return [...seen.values()];
}
