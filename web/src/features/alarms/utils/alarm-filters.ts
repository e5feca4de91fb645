import type { AlarmListQuery, AlarmOutcome, AlarmStatus, LadderLevel, RuleKind, Severity } from '../../../api-types';
import { shanghaiDayBound } from '../../../ui/time';

// The server's vocabularies, restated as typed lists (the web takes types only from the server; a test checks
// these against the server's own lists).
export const ALARM_STATUSES: readonly AlarmStatus[] = ['active', 'acknowledged', 'resolved'];
export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];
export const RULE_KINDS: readonly RuleKind[] = ['threshold', 'no_use', 'high_use', 'silent', 'event'];
export const LADDER_LEVELS: readonly LadderLevel[] = ['family', 'grid', 'community', 'street'];
/** The outcomes a person may choose on resolving (auto_cleared is the system's own). */
export const RESOLVE_OUTCOMES: readonly Exclude<AlarmOutcome, 'auto_cleared'>[] = [
  'false_alarm',
  'person_safe',
  'help_given',
  'emergency_called',
];

/** The centre's status filter: open (active or acknowledged), one status, or everything ('all'). */
export type StatusFilter = 'open' | AlarmStatus | 'all';
const STATUS_FILTERS: readonly StatusFilter[] = ['open', ...ALARM_STATUSES, 'all'];

/** The alarm centre's filters; kept in the page's address so that Back returns to the same list. */
export type AlarmFilters = {
  status: StatusFilter;
  severity?: Severity;
  kind?: RuleKind;
  typeCode?: string;
  nodeId?: number;
  /** First raised from / to, calendar days (Asia/Shanghai). */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
};

export const DEFAULT_PAGE_SIZE = 20;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TYPE_CODE = /^[a-z][a-z0-9_]{1,39}$/;

function positive(value: string | null, max = 1e15): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && n <= max ? n : undefined;
}

/** The query of GET /api/alarms for filters ('all' sends no status; days become the Shanghai day's bounds). */
export function toAlarmListQuery(f: AlarmFilters, extra: Pick<AlarmListQuery, 'deviceId'> = {}): AlarmListQuery {
  const query: AlarmListQuery = { page: f.page, pageSize: f.pageSize, ...extra };
  if (f.status !== 'all') query.status = f.status;
  if (f.severity) query.severity = f.severity;
  if (f.kind) query.kind = f.kind;
  if (f.typeCode) query.typeCode = f.typeCode;
  if (f.nodeId) query.nodeId = f.nodeId;
  if (f.from) query.from = shanghaiDayBound(f.from, 'start');
  if (f.to) query.to = shanghaiDayBound(f.to, 'end');
  return query;
}

/** Reads filters from the page's address, ignoring anything malformed; the centre opens on open alarms. */
export function alarmFiltersFromParams(params: URLSearchParams): AlarmFilters {
  const status = STATUS_FILTERS.find((s) => s === params.get('status')) ?? 'open';
  const filters: AlarmFilters = {
    status,
    page: positive(params.get('page'), 100000) ?? 1,
    pageSize: positive(params.get('pageSize'), 200) ?? DEFAULT_PAGE_SIZE,
  };
  const severity = SEVERITIES.find((s) => s === params.get('severity'));
  if (severity) filters.severity = severity;
  const kind = RULE_KINDS.find((k) => k === params.get('kind'));
  if (kind) filters.kind = kind;
  const typeCode = params.get('typeCode');
  if (typeCode && TYPE_CODE.test(typeCode)) filters.typeCode = typeCode;
  const nodeId = positive(params.get('nodeId'));
  if (nodeId) filters.nodeId = nodeId;
  const from = params.get('from');
  const to = params.get('to');
  if (from && DAY.test(from)) filters.from = from;
  if (to && DAY.test(to)) filters.to = to;
  return filters;
}

/** The address form of filters: defaults left out, so the plain centre stays a plain `/alarms`. */
export function alarmFiltersToParams(f: AlarmFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.status !== 'open') params.set('status', f.status);
  if (f.severity) params.set('severity', f.severity);
  if (f.kind) params.set('kind', f.kind);
  if (f.typeCode) params.set('typeCode', f.typeCode);
  if (f.nodeId) params.set('nodeId', String(f.nodeId));
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  if (f.page > 1) params.set('page', String(f.page));
  if (f.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(f.pageSize));
  return params;
}

/** A change of any filter but the page goes back to the first page. */
export function withFilter<K extends Exclude<keyof AlarmFilters, 'page' | 'pageSize'>>(
  f: AlarmFilters,
  key: K,
  value: AlarmFilters[K] | null | undefined,
): AlarmFilters {
  const { [key]: _dropped, ...rest } = f;
  const next = { ...rest, page: 1 } as AlarmFilters;
  if (value === undefined || value === null || value === '')
    return key === 'status' ? { ...next, status: 'all' } : next;
  return { ...next, [key]: value };
}

export type CountKey = 'active' | 'acknowledged' | 'critical';

/** The filters a header count opens: its status (critical: open alarms of that severity), other filters kept. */
export function filtersForCount(f: AlarmFilters, count: CountKey): AlarmFilters {
  const { severity: _severity, ...rest } = f;
  if (count === 'critical') return { ...rest, status: 'open', severity: 'critical', page: 1 };
  return { ...rest, status: count, page: 1 };
}
