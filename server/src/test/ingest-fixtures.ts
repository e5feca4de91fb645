import type { Queryable } from '../platform/db/client.js';
import { type BuiltDevice, buildDevice } from './devices-factories.js';

/**
 * Device types, rules and devices for the ingest tests, written straight to the tables of migration 015 (the
 * registry's service is another module's; these tests exercise what ingest does with what is stored).
 */
export const T_BRACELET = 'ingest_bracelet';
export const T_METER = 'ingest_meter';

export async function ensureIngestTypes(db: Queryable): Promise<{ hrHigh: number; sos: number }> {
  await db.query(
    `INSERT INTO device_types (code, name_zh, name_en, metrics, events, report_interval_s)
     VALUES ($1, '测试手环', 'Test bracelet', $2, $3, 60), ($4, '测试水表', 'Test meter', $5, '[]', 60)
     ON CONFLICT (code) DO NOTHING`,
    [
      T_BRACELET,
      JSON.stringify([
        { key: 'heart_rate', nameZh: '心率', nameEn: 'Heart rate', unit: 'bpm', min: 20, max: 250 },
        { key: 'systolic', nameZh: '收缩压', nameEn: 'Systolic', unit: 'mmHg', min: 40, max: 300 },
      ]),
      JSON.stringify([{ key: 'sos', nameZh: 'SOS 呼救', nameEn: 'SOS pressed' }]),
      T_METER,
      JSON.stringify([
        { key: 'total_l', nameZh: '累计用水量', nameEn: 'Water used', unit: 'L', min: 0, max: 1e8, cumulative: true },
      ]),
    ],
  );
  await db.query(
    `INSERT INTO device_rules (type_code, code, name_zh, name_en, kind, params, severity, ladder)
     VALUES ($1, 'hr_high', '心率过高', 'Heart rate high', 'threshold', '{"metric":"heart_rate","above":120}',
             'major', '[]'),
            ($1, 'sos', 'SOS', 'SOS', 'event', '{"events":["sos"]}', 'critical', '[]')
     ON CONFLICT (type_code, code) DO NOTHING`,
    [T_BRACELET],
  );
  const rules = await db.query<{ id: number; code: string }>('SELECT id, code FROM device_rules WHERE type_code = $1', [
    T_BRACELET,
  ]);
  const id = (code: string) => rules.find((r) => r.code === code)?.id ?? 0;
  return { hrHigh: id('hr_high'), sos: id('sos') };
}

export type TestDevice = BuiltDevice;

/** A device at `nodeId` with a fresh token (stored as its SHA-256, as the registry does); a test bracelet by default. */
export function buildTestDevice(
  db: Queryable,
  o: { nodeId: number; typeCode?: string; status?: 'active' | 'disabled' | 'retired' },
): Promise<TestDevice> {
  return buildDevice(db, { nodeId: o.nodeId, typeCode: o.typeCode ?? T_BRACELET, status: o.status ?? 'active' });
}
