import { describe, expect, it } from 'vitest';
import {
  RULE_KINDS as SERVER_KINDS,
  LADDER_LEVELS as SERVER_LEVELS,
  ALARM_OUTCOMES as SERVER_OUTCOMES,
  SEVERITIES as SERVER_SEVERITIES,
  ALARM_STATUSES as SERVER_STATUSES,
} from '../../../../../server/src/modules/devices/devices.schemas';
import {
  ALARM_STATUSES,
  type AlarmFilters,
  alarmFiltersFromParams,
  alarmFiltersToParams,
  filtersForCount,
  LADDER_LEVELS,
  RESOLVE_OUTCOMES,
  RULE_KINDS,
  SEVERITIES,
  toAlarmListQuery,
  withFilter,
} from './alarm-filters';

const base: AlarmFilters = { status: 'open', page: 1, pageSize: 20 };

describe('the console vocabularies', () => {
  it('match the server lists they restate', () => {
    expect(ALARM_STATUSES).toEqual(SERVER_STATUSES);
    expect(SEVERITIES).toEqual(SERVER_SEVERITIES);
    expect(RULE_KINDS).toEqual(SERVER_KINDS);
    expect(LADDER_LEVELS).toEqual(SERVER_LEVELS);
    expect(RESOLVE_OUTCOMES).toEqual(SERVER_OUTCOMES);
  });
});

describe('toAlarmListQuery', () => {
  it('asks for open alarms by default, with the page', () => {
    expect(toAlarmListQuery(base)).toEqual({ status: 'open', page: 1, pageSize: 20 });
  });

  it('sends no status for all, and every chosen filter, days as the Shanghai day bounds', () => {
    const query = toAlarmListQuery({
      status: 'all',
      severity: 'critical',
      kind: 'no_use',
      typeCode: 'water_meter',
      nodeId: 7,
      from: '2026-12-01',
      to: '2026-12-07',
      page: 3,
      pageSize: 50,
    });
    expect(query).toEqual({
      severity: 'critical',
      kind: 'no_use',
      typeCode: 'water_meter',
      nodeId: 7,
      from: '2026-11-30T16:00:00.000Z',
      to: '2026-12-07T15:59:59.999Z',
      page: 3,
      pageSize: 50,
    });
    expect(query).not.toHaveProperty('status');
  });

  it('adds a device for a device page history', () => {
    expect(toAlarmListQuery({ ...base, status: 'resolved' }, { deviceId: 9 })).toEqual({
      status: 'resolved',
      deviceId: 9,
      page: 1,
      pageSize: 20,
    });
  });
});

describe('alarm filters in the address', () => {
  it('round-trip, leaving defaults out so the plain centre stays /alarms', () => {
    expect(alarmFiltersToParams(base).toString()).toBe('');
    const filters: AlarmFilters = {
      status: 'acknowledged',
      severity: 'major',
      kind: 'silent',
      typeCode: 'bracelet',
      nodeId: 12,
      from: '2026-12-01',
      to: '2026-12-02',
      page: 2,
      pageSize: 50,
    };
    expect(alarmFiltersFromParams(alarmFiltersToParams(filters))).toEqual(filters);
  });

  it('ignores anything malformed and falls back to open alarms', () => {
    const params = new URLSearchParams(
      'status=burning&severity=huge&kind=x&typeCode=Bad Code&nodeId=-3&from=yesterday&to=2026-1-1&page=0&pageSize=999',
    );
    expect(alarmFiltersFromParams(params)).toEqual(base);
  });

  it('reads a workbench link to one status', () => {
    expect(alarmFiltersFromParams(new URLSearchParams('status=active')).status).toBe('active');
    expect(alarmFiltersFromParams(new URLSearchParams('status=all')).status).toBe('all');
  });
});

describe('withFilter', () => {
  it('goes back to the first page on any change and drops a cleared filter', () => {
    const f: AlarmFilters = { ...base, severity: 'minor', page: 4 };
    expect(withFilter(f, 'kind', 'event')).toEqual({ ...base, severity: 'minor', kind: 'event', page: 1 });
    expect(withFilter(f, 'severity', undefined)).toEqual({ ...base, page: 1 });
  });
});

describe('filtersForCount', () => {
  it('opens a header count as its status, keeping the area and type; critical as open critical alarms', () => {
    const f: AlarmFilters = {
      ...base,
      status: 'resolved',
      severity: 'minor',
      nodeId: 3,
      typeCode: 'bracelet',
      page: 4,
    };
    expect(filtersForCount(f, 'active')).toEqual({ ...base, status: 'active', nodeId: 3, typeCode: 'bracelet' });
    expect(filtersForCount(f, 'acknowledged').status).toBe('acknowledged');
    expect(filtersForCount(f, 'critical')).toEqual({
      ...base,
      status: 'open',
      severity: 'critical',
      nodeId: 3,
      typeCode: 'bracelet',
    });
  });
});
