import { describe, expect, it } from 'vitest';
import type { DeviceDetail, DeviceRule, RuleOverride } from '../../../api-types';
import { ApiError } from '../../../ui/api';
import {
  absoluteUrl,
  credentialsCsv,
  credentialsFileName,
  importErrorRows,
  personRules,
  refusedImport,
  registerBody,
  rowsWithErrors,
} from './registry-utils';

const headers = {
  serial: '序列号',
  deviceId: '设备 ID',
  username: 'MQTT 用户名',
  token: '令牌',
  telemetryTopic: '遥测主题',
  eventTopic: '事件主题',
  httpUrl: 'HTTP 上报地址',
};

describe('importErrorRows', () => {
  const errors = [
    { row: 5, column: '居民', message: '找不到居民' },
    { row: 3, column: '序列号', message: '序列号重复' },
    { row: 5, column: '类型', message: '未知类型' },
    { row: 3, column: '安装位置', message: '不在管辖范围内' },
    { row: 9, column: '序列号', message: '必填' },
  ];

  it("lists errors by row, each row's cell spanning its lines, in the server's column order within a row", () => {
    const rows = importErrorRows(errors);
    expect(rows.map((r) => [r.row, r.column, r.rowSpan])).toEqual([
      [3, '序列号', 2],
      [3, '安装位置', 0],
      [5, '居民', 2],
      [5, '类型', 0],
      [9, '序列号', 1],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it("follows the template's column order when given", () => {
    const rows = importErrorRows(errors, ['类型', '序列号', '安装位置', '居民']);
    expect(rows.map((r) => `${r.row}:${r.column}`)).toEqual(['3:序列号', '3:安装位置', '5:类型', '5:居民', '9:序列号']);
  });

  it('counts the spreadsheet rows with errors', () => {
    expect(rowsWithErrors(errors)).toBe(3);
    expect(rowsWithErrors([])).toBe(0);
    expect(importErrorRows([])).toEqual([]);
  });
});

describe('credentialsCsv', () => {
  const line = {
    deviceId: 42,
    serial: 'WM-0001',
    username: '42',
    token: '-Ab_cd',
    telemetryTopic: 'linli/42/telemetry',
    eventTopic: 'linli/42/event',
    httpUrl: 'https://linli.example/api/ingest/devices/42/messages',
  };

  it('starts with a byte-order mark for Excel and ends every line with CRLF', () => {
    const csv = credentialsCsv([line], headers);
    expect(csv.startsWith('\uFEFF序列号,设备 ID,MQTT 用户名,令牌,遥测主题,事件主题,HTTP 上报地址\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(3);
  });

  it('writes the token exactly as issued', () => {
    const csv = credentialsCsv([line], headers);
    expect(csv.split('\r\n')[1]).toBe(
      'WM-0001,42,42,-Ab_cd,linli/42/telemetry,linli/42/event,https://linli.example/api/ingest/devices/42/messages',
    );
  });

  it('quotes a field with a comma, quote or line break', () => {
    const csv = credentialsCsv([{ ...line, serial: 'a,"b"\nc' }], { ...headers, serial: 'Serial, no.' });
    const [head, body] = csv.slice(1).split('\r\n');
    expect(head?.startsWith('"Serial, no.",')).toBe(true);
    expect(body?.startsWith('"a,""b""\nc",42,')).toBe(true);
  });

  it('has only the header for no credentials', () => {
    expect(credentialsCsv([], headers)).toBe(
      '\uFEFF序列号,设备 ID,MQTT 用户名,令牌,遥测主题,事件主题,HTTP 上报地址\r\n',
    );
  });

  it('names the file by the local date and minute', () => {
    expect(credentialsFileName(new Date(2026, 11, 7, 5, 3))).toBe('devices-credentials-20261207-0503.csv');
  });
});

describe('registerBody', () => {
  it('trims the text, sends blanks as null and keeps the picks', () => {
    expect(
      registerBody({
        typeCode: 'water_meter',
        serial: ' WM-1 ',
        name: '  ',
        nodeId: 7,
        houseId: 12,
        residentId: undefined,
        installedOn: '2026-12-01',
        location: ' 厨房 ',
      }),
    ).toEqual({
      typeCode: 'water_meter',
      serial: 'WM-1',
      name: null,
      nodeId: 7,
      houseId: 12,
      residentId: null,
      installedOn: '2026-12-01',
      location: '厨房',
    });
  });
});

describe('personRules', () => {
  const rule = (id: number): DeviceRule => ({
    id,
    typeCode: 'water_meter',
    code: `r${id}`,
    nameZh: `规则${id}`,
    nameEn: `Rule ${id}`,
    name: `规则${id}`,
    kind: 'no_use',
    params: { metric: 'water_total', windowHours: 8, minUse: 10 },
    severity: 'major',
    ladder: [],
    autoResolve: false,
    builtin: true,
    enabled: true,
    version: 1,
  });
  const device = (id: number, rules: DeviceRule[]) =>
    ({
      id,
      rules: rules.map((r) => ({ rule: r, override: null, effectiveParams: r.params })),
    }) as unknown as DeviceDetail;
  const override: RuleOverride = {
    ruleId: 2,
    residentId: 9,
    params: { windowHours: 12 },
    enabled: true,
    note: null,
    updatedAt: '2026-12-07T00:00:00.000Z',
  };

  it("lists each rule once, from the first device that has it, with the person's override", () => {
    const out = personRules([device(1, [rule(1), rule(2)]), device(5, [rule(2), rule(3)])], [override]);
    expect(out.map((r) => [r.rule.id, r.device.id, r.override?.params ?? null])).toEqual([
      [1, 1, null],
      [2, 1, { windowHours: 12 }],
      [3, 5, null],
    ]);
  });

  it('has nothing for a person without devices', () => {
    expect(personRules([], [override])).toEqual([]);
  });
});

describe('refusedImport', () => {
  it('reads the errors of a refused file from the error body', () => {
    const error = new ApiError(400, 'DEVICE_IMPORT_INVALID', '导入文件有错误', 'file', {
      code: 'DEVICE_IMPORT_INVALID',
      created: 0,
      errors: [
        { row: 3, column: '序列号 Serial', message: '重复' },
        { row: 0, column: '', message: '无法读取' },
      ],
      credentials: [],
    });
    expect(refusedImport(error)).toEqual({
      created: 0,
      errors: [
        { row: 3, column: '序列号 Serial', message: '重复' },
        { row: 0, column: '', message: '无法读取' },
      ],
      credentials: [],
    });
  });

  it('says the server message when a refusal lists no rows', () => {
    const error = new ApiError(400, 'DEVICE_IMPORT_INVALID', '导入文件有错误', 'file', { errors: [] });
    expect(refusedImport(error)?.errors).toEqual([{ row: 0, column: '', message: '导入文件有错误' }]);
  });

  it('is not a refusal for any other failure', () => {
    expect(refusedImport(new ApiError(413, 'IMPORT_FILE_TOO_LARGE', 'too large', 'file', {}))).toBeNull();
    expect(refusedImport(new ApiError(400, 'DEVICE_IMPORT_INVALID', 'x'))).toBeNull();
    expect(refusedImport(new Error('boom'))).toBeNull();
  });
});

describe('absoluteUrl', () => {
  it("completes a path with the console's origin and keeps a full address", () => {
    expect(absoluteUrl('/api/ingest/devices/7/messages', 'https://linli.example')).toBe(
      'https://linli.example/api/ingest/devices/7/messages',
    );
    expect(absoluteUrl('https://iot.example/api/ingest/devices/7/messages', 'https://linli.example')).toBe(
      'https://iot.example/api/ingest/devices/7/messages',
    );
  });
});
