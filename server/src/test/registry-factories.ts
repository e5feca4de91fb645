/** Fixtures of the device registry's tests: xlsx files and devices made through the API. */
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import type { TestEnv } from './test-app.js';

/** An .xlsx whose first sheet holds `rows` (the first being the header row). */
export async function xlsxOf(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('设备 Devices');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A multipart/form-data body holding one file field `file`, as a browser sends it. */
export function multipartFile(name: string, data: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

let serialSeq = 0;

/** A unique serial for a test device. */
export function nextSerial(prefix = 'T'): string {
  serialSeq++;
  return `${prefix}${Date.now().toString(36)}${serialSeq}`;
}

export type RegisteredDevice = { id: number; token: string; version: number };

/** Registers a device as `username` through the API; fails unless 201. */
export async function registerDevice(
  env: TestEnv,
  username: string,
  body: { typeCode?: string; serial?: string; nodeId: number; houseId?: number; residentId?: number; name?: string },
): Promise<RegisteredDevice> {
  const res: LightMyRequestResponse = await env.as(username, {
    method: 'POST',
    url: '/api/devices',
    payload: { typeCode: 'water_meter', serial: nextSerial(), ...body },
  });
  if (res.statusCode !== 201) throw new Error(`registerDevice: ${res.statusCode} ${res.body}`);
  const out = res.json() as { device: { id: number; version: number }; credentials: { token: string } };
  return { id: out.device.id, token: out.credentials.token, version: out.device.version };
}
