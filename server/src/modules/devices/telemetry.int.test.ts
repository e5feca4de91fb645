import { expect, it } from 'vitest';
import type { Queryable } from '../../platform/db/client.js';
import { describeEachDb } from '../../test/test-app.js';
import type { TelemetrySeries } from './devices.schemas.js';
import { RETENTION_SETTING } from './telemetry.logic.js';
import { ensureTelemetryPartitions, runTelemetryMaintenance } from './telemetry.service.js';

/** The attached partitions of telemetry with their bounds, as the catalog has them. */
async function partitions(q: Queryable): Promise<Map<string, string>> {
  const rows = await q.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'telemetry'::regclass ORDER BY c.relname`,
  );
  return new Map(rows.map((r) => [r.name, r.bound]));
}

/** FOR VALUES FROM ('2026-11-01 08:00:00+08') TO (…), in the session's time zone, as UTC instants. */
function boundsOf(bound: string): string[] {
  const stamps = [...bound.matchAll(/'([^']+)'/g)].map((m) => {
    const [, date, time, zone] = /^(\S+) (\S+?)([+-]\d{2}(?::?\d{2})?)$/.exec(m[1]!)!;
    return new Date(`${date}T${time}${zone!.length === 3 ? `${zone}:00` : zone}`).toISOString();
  });
  return stamps;
}

const countIn = async (q: Queryable, table: string) =>
  (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ONLY ${table}`))[0]!.n;

const months = (from: string, n: number) => {
  const [y, m] = from.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const k = y * 12 + m - 1 + i;
    return `telemetry_y${Math.floor(k / 12)}m${String((k % 12) + 1).padStart(2, '0')}`;
  });
};

describeEachDb('telemetry partitions', (env) => {
  const setRetention = (months: number) =>
    env.db.query(
      `INSERT INTO system_settings (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [RETENTION_SETTING, JSON.stringify(months)],
    );

  it('creates the months from now − retention to now + 2, moving what the default partition held for them', async () => {
    // Before any month exists every reading lands in the default partition.
    await env.db.query(
      `INSERT INTO telemetry (device_id, metric, ts, value) VALUES
         (900001, 'total_l', '2026-11-15T08:00:00Z', 10),
         (900001, 'total_l', '2026-11-15T09:00:00Z', 12),
         (900001, 'total_l', '2026-12-01T00:00:00Z', 13),
         (900001, 'total_l', '2025-01-10T00:00:00Z', 1),
         (900001, 'total_l', '2027-06-01T00:00:00Z', 99)`,
    );
    expect(await countIn(env.db, 'telemetry_default')).toBe(5);

    const r = await ensureTelemetryPartitions(env.db, new Date('2026-12-07T05:00:00Z'));
    const expected = months('2025-11', 16); // 2025-11 … 2027-02: 13 months back, this one, 2 ahead
    expect(r).toEqual({ retentionMonths: 13, created: expected, moved: 3, dropped: [], strays: 1 });
    const attached = await partitions(env.db);
    expect([...attached.keys()]).toEqual(['telemetry_default', ...expected].sort());
    expect(boundsOf(attached.get('telemetry_y2026m11')!)).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
    expect(boundsOf(attached.get('telemetry_y2027m02')!)).toEqual([
      '2027-02-01T00:00:00.000Z',
      '2027-03-01T00:00:00.000Z',
    ]);
    expect(await countIn(env.db, 'telemetry_y2026m11')).toBe(2);
    expect(await countIn(env.db, 'telemetry_y2026m12')).toBe(1);
    // The far-future reading waits in the default partition for its month; the one older than retention is gone.
    const left = await env.db.query<{ ts: Date }>('SELECT ts FROM ONLY telemetry_default');
    expect(left.map((x) => new Date(x.ts).toISOString())).toEqual(['2027-06-01T00:00:00.000Z']);
    // The moved month keeps the primary key: a redelivered reading is still a no-op.
    const again = await env.db.query(
      `INSERT INTO telemetry (device_id, metric, ts, value) VALUES (900001, 'total_l', '2026-11-15T08:00:00Z', 10)
       ON CONFLICT DO NOTHING RETURNING 1`,
    );
    expect(again).toHaveLength(0);
  });

  it('does nothing the second time', async () => {
    const before = await partitions(env.db);
    const r = await ensureTelemetryPartitions(env.db, new Date('2026-12-20T00:00:00Z'));
    expect(r).toEqual({ retentionMonths: 13, created: [], moved: 0, dropped: [], strays: 0 });
    expect(await partitions(env.db)).toEqual(before);
  });

  it('drops months past a shorter retention and creates the months ahead as time moves on', async () => {
    await setRetention(3);
    const r = await ensureTelemetryPartitions(env.db, new Date('2027-04-05T00:00:00Z'));
    // Kept: 2027-01 … 2027-06 (3 back, this one, 2 ahead); 2027-06 takes the reading that waited in the default.
    expect(r.created).toEqual(months('2027-03', 4));
    expect(r.moved).toBe(1);
    expect(r.dropped).toEqual(months('2025-11', 14));
    expect([...(await partitions(env.db)).keys()]).toEqual(['telemetry_default', ...months('2027-01', 6)]);
    expect(await countIn(env.db, 'telemetry_default')).toBe(0);
    expect(await countIn(env.db, 'telemetry_y2027m06')).toBe(1);
    // The dropped months' readings are gone with them.
    const all = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM telemetry');
    expect(all[0]!.n).toBe(1);
  });

  it('sweeps hourly roll-ups past retention and dead letters older than 30 days in the daily job', async () => {
    await env.db.query(
      `INSERT INTO telemetry_hourly (device_id, metric, hour, n, sum, min, max, first_ts, first_value, last_ts, last_value)
       VALUES (900001, 'total_l', '2026-12-31T23:00:00Z', 1, 5, 5, 5, '2026-12-31T23:10:00Z', 5, '2026-12-31T23:10:00Z', 5),
              (900001, 'total_l', '2027-01-01T00:00:00Z', 1, 6, 6, 6, '2027-01-01T00:10:00Z', 6, '2027-01-01T00:10:00Z', 6)`,
    );
    await env.db.query(
      `INSERT INTO device_dead_letters (received_at, device_id, via, reason) VALUES
         ('2027-03-01T00:00:00Z', 900001, 'mqtt', 'invalid_json'),
         ('2027-03-10T00:00:00Z', 900001, 'mqtt', 'invalid_json')`,
    );
    const r = await runTelemetryMaintenance(env.db, new Date('2027-04-05T00:00:00Z'));
    expect(r).toMatchObject({ created: [], dropped: [], hourlyDeleted: 1, deadLettersDeleted: 1 });
    const hours = await env.db.query<{ hour: Date }>('SELECT hour FROM telemetry_hourly WHERE device_id = 900001');
    expect(hours.map((h) => new Date(h.hour).toISOString())).toEqual(['2027-01-01T00:00:00.000Z']);
    const letters = await env.db.query<{ received_at: Date }>(
      'SELECT received_at FROM device_dead_letters WHERE device_id = 900001',
    );
    expect(letters.map((h) => new Date(h.received_at).toISOString())).toEqual(['2027-03-10T00:00:00.000Z']);
    await setRetention(13);
  });
});

describeEachDb('GET /api/devices/:id/telemetry', (env) => {
  const ids = { meter: 0, band: 0, otherGrid: 0 };
  const t0 = Date.parse('2026-11-02T00:00:00Z');

  const device = async (type: string, serial: string, nodeId: number) => {
    const rows = await env.db.query<{ id: number }>(
      `INSERT INTO devices (county_id, node_id, node_path, type_code, serial, secret_hash, secret_prefix)
       SELECT county_id, id, path, $2, $3, '\\x00'::bytea, 'tmtest' FROM org_nodes WHERE id = $1 RETURNING id`,
      [nodeId, type, serial],
    );
    return rows[0]!.id;
  };

  const get = async (user: string, id: number, query: string) => {
    const res = await env.as(user, { method: 'GET', url: `/api/devices/${id}/telemetry?${query}` });
    return { status: res.statusCode, body: res.json() as TelemetrySeries & { code?: string; field?: string } };
  };
  const q = (metric: string, from: number, to: number, extra = '') =>
    `metric=${metric}&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}${extra}`;
  const H = 3600_000;

  it('is set up with a water meter and a bracelet in 第一网格 and a meter in 第二网格', async () => {
    await env.db.query(
      `INSERT INTO device_types (code, name_zh, name_en, metrics, report_interval_s) VALUES
         ('tm_meter', '测试水表', 'Test meter',
          '[{"key":"total_l","nameZh":"累计用水量","nameEn":"Water used (total)","unit":"L","min":0,"max":100000000,"cumulative":true}]', 600),
         ('tm_band', '测试手环', 'Test band',
          '[{"key":"heart_rate","nameZh":"心率","nameEn":"Heart rate","unit":"bpm","min":20,"max":250}]', 60)
       ON CONFLICT (code) DO NOTHING`,
    );
    const [second] = await env.db.query<{ id: number }>(
      `SELECT b.id FROM org_nodes b JOIN org_nodes g ON b.path LIKE g.path || '%'
        WHERE g.name = '第二网格' AND g.path LIKE (SELECT path FROM org_nodes WHERE id = $1) || '%' AND b.type = 'building'
        ORDER BY b.id LIMIT 1`,
      [env.ids.community],
    );
    ids.meter = await device('tm_meter', 'TM-1', env.ids.building!);
    ids.band = await device('tm_band', 'TM-2', env.ids.building!);
    ids.otherGrid = await device('tm_meter', 'TM-3', second!.id);
    // Three days of the meter every 10 minutes, 2 L a reading from 1000 L; the bracelet every minute for a week.
    for (const id of [ids.meter, ids.otherGrid]) {
      await env.db.query(
        `INSERT INTO telemetry (device_id, metric, ts, value)
         SELECT $1, 'total_l', $2::timestamptz + i * interval '10 minutes', 1000 + 2 * i FROM generate_series(0, 431) i`,
        [id, new Date(t0)],
      );
    }
    await env.db.query(
      `INSERT INTO telemetry (device_id, metric, ts, value)
       SELECT $1, 'heart_rate', $2::timestamptz + i * interval '1 minute', 60 + i % 30 FROM generate_series(0, 10079) i`,
      [ids.band, new Date(t0)],
    );
    // Hourly roll-ups as ingest keeps them, computed from the same readings.
    await env.db.query(
      `INSERT INTO telemetry_hourly (device_id, metric, hour, n, sum, min, max, first_ts, first_value, last_ts, last_value)
       SELECT device_id, metric, date_trunc('hour', ts), count(*), sum(value), min(value), max(value),
              min(ts), (array_agg(value ORDER BY ts))[1], max(ts), (array_agg(value ORDER BY ts DESC))[1]
         FROM telemetry WHERE device_id = ANY($1) GROUP BY device_id, metric, date_trunc('hour', ts)`,
      [[ids.meter, ids.band, ids.otherGrid]],
    );
  });

  it('gives raw readings up to two days, with the use over the range for a running total', async () => {
    const { status, body } = await get('wangge', ids.meter, q('total_l', t0, t0 + 24 * H));
    expect(status).toBe(200);
    expect(body).toMatchObject({ deviceId: ids.meter, metric: 'total_l', unit: 'L', resolution: 'raw' });
    expect(body.truncated).toBe(false);
    expect(body.points).toHaveLength(144);
    expect(body.points[0]).toEqual({ t: new Date(t0).toISOString(), value: 1000 });
    expect(body.points[143]).toEqual({ t: new Date(t0 + 143 * 600_000).toISOString(), value: 1286 });
    expect(body.used).toBe(286);
  });

  it('gives hourly min / max / avg / last beyond two days, and raw when asked', async () => {
    const hourly = await get('shequ', ids.meter, q('total_l', t0, t0 + 3 * 24 * H));
    expect(hourly.status).toBe(200);
    expect(hourly.body.resolution).toBe('hour');
    expect(hourly.body.points).toHaveLength(72);
    // The first hour: readings 1000, 1002 … 1010 at :00 … :50.
    expect(hourly.body.points[0]).toEqual({
      t: new Date(t0).toISOString(),
      value: 1010,
      min: 1000,
      max: 1010,
      avg: 1005,
    });
    expect(hourly.body.used).toBe(862);
    const raw = await get('shequ', ids.meter, q('total_l', t0, t0 + 3 * 24 * H, '&resolution=raw'));
    expect([raw.body.resolution, raw.body.points.length, raw.body.used]).toEqual(['raw', 432, 862]);
    // A metric that is not a running total has no use figure.
    const band = await get('shequ', ids.band, q('heart_rate', t0, t0 + 6 * H));
    expect([band.body.resolution, band.body.points.length, band.body.used]).toEqual(['raw', 360, null]);
  });

  it('cuts raw readings at 10,000 points and says so', async () => {
    const { status, body } = await get('wangge', ids.band, q('heart_rate', t0, t0 + 7 * 24 * H, '&resolution=raw'));
    expect(status).toBe(200);
    expect([body.points.length, body.truncated]).toEqual([10_000, true]);
    expect(body.points.at(-1)!.t).toBe(new Date(t0 + 9_999 * 60_000).toISOString());
    const hourly = await get('wangge', ids.band, q('heart_rate', t0, t0 + 7 * 24 * H));
    expect([hourly.body.resolution, hourly.body.points.length, hourly.body.truncated]).toEqual(['hour', 168, false]);
  });

  it('refuses a backwards or too long range and a metric the type does not have', async () => {
    const back = await get('wangge', ids.meter, q('total_l', t0, t0 - H));
    expect([back.status, back.body.code, back.body.field]).toEqual([400, 'TELEMETRY_RANGE_INVALID', 'to']);
    const long = await get('wangge', ids.meter, q('total_l', t0, t0 + 401 * 24 * H));
    expect([long.status, long.body.code, long.body.field]).toEqual([400, 'TELEMETRY_RANGE_INVALID', 'to']);
    const metric = await get('wangge', ids.meter, q('heart_rate', t0, t0 + H));
    expect([metric.status, metric.body.code, metric.body.field]).toEqual([400, 'DEVICE_RULE_METRIC_UNKNOWN', 'metric']);
  });

  it('refuses a device outside the caller’s devices.read area as not found, beside one inside', async () => {
    const inside = await get('wangge', ids.meter, q('total_l', t0, t0 + H));
    expect([inside.status, inside.body.points.length]).toEqual([200, 6]);
    const outside = await get('wangge', ids.otherGrid, q('total_l', t0, t0 + H));
    expect([outside.status, outside.body.code]).toEqual([404, 'DEVICE_NOT_FOUND']);
    // The community worker reads both grids.
    const community = await get('shequ', ids.otherGrid, q('total_l', t0, t0 + H));
    expect([community.status, community.body.points.length]).toEqual([200, 6]);
    // A building leader and a resident hold no devices.read at all, even at their own building.
    for (const user of ['louzhang', 'jumin']) {
      const res = await get(user, ids.meter, q('total_l', t0, t0 + H));
      expect([res.status, res.body.code]).toEqual([404, 'DEVICE_NOT_FOUND']);
    }
    const none = await get('admin', 987654321, q('total_l', t0, t0 + H));
    expect([none.status, none.body.code]).toEqual([404, 'DEVICE_NOT_FOUND']);
  });
});
