/**
 * Telemetry storage operations and read-back: monthly partitions of `telemetry` kept ahead of time and dropped after
 * the retention period (`devices.retention_months`, default 13), hourly roll-ups and dead letters swept, and a
 * device's series read back for charts (raw readings for short ranges, hourly roll-ups beyond).
 */
import type { Ctx } from '../../platform/access/context.js';
import { can } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { TelemetryQuery, TelemetrySeries } from './devices.schemas.js';
import {
  checkRange,
  chooseResolution,
  DEAD_LETTER_DAYS,
  expiredPartitions,
  MAX_POINTS,
  parseRetention,
  partitionPlan,
  usedBetween,
} from './telemetry.logic.js';
import {
  createMonthPartition,
  deleteDeadLettersBefore,
  deleteDefaultBefore,
  deleteHourlyBefore,
  dropMonthPartition,
  findFirstLast,
  findTelemetryDevice,
  listHourPoints,
  listMonthPartitions,
  listRawPoints,
  lockPartitionMaintenance,
  readRetentionSetting,
} from './telemetry.repo.js';

export type PartitionReport = {
  retentionMonths: number;
  /** Partitions created, oldest first. */
  created: string[];
  /** Readings moved out of the default partition into the months created. */
  moved: number;
  dropped: string[];
  /** Readings older than the retention period found in the default partition and deleted. */
  strays: number;
};

/**
 * Makes `telemetry`'s monthly partitions match the retention setting at `now`: every month from (now − retention)
 * through now + 2 months exists (readings the default partition holds for a month being created are moved into it),
 * and months wholly before that are dropped. Idempotent; one catalog read when nothing is to be done; instances
 * running it at once take turns (an advisory lock) and the second finds the work done. PGlite and PostgreSQL.
 */
export async function ensureTelemetryPartitions(db: Db, now: Date = new Date()): Promise<PartitionReport> {
  const retentionMonths = parseRetention(await readRetentionSetting(db));
  const { wanted, cutoff } = partitionPlan(now, retentionMonths);
  const report: PartitionReport = { retentionMonths, created: [], moved: 0, dropped: [], strays: 0 };
  const existing = new Set(await listMonthPartitions(db));
  const missing = wanted.filter((p) => !existing.has(p.name));
  const expired = expiredPartitions([...existing], cutoff);
  if (missing.length > 0 || expired.length > 0) {
    await db.transaction(async (tx) => {
      await lockPartitionMaintenance(tx);
      // Another instance may have done it while this one waited for the lock.
      const now_ = new Set(await listMonthPartitions(tx));
      for (const p of wanted) {
        if (now_.has(p.name)) continue;
        report.moved += await createMonthPartition(tx, p);
        report.created.push(p.name);
      }
      for (const name of expiredPartitions([...now_], cutoff)) {
        await dropMonthPartition(tx, name);
        report.dropped.push(name);
      }
    });
  }
  report.strays = await deleteDefaultBefore(db, cutoff);
  return report;
}

export type SweepReport = PartitionReport & { hourlyDeleted: number; deadLettersDeleted: number };

/**
 * The daily job's work: partitions as above, hourly roll-ups older than the retention period, and dead letters older
 * than 30 days. The roll-up sweep reads the whole roll-up table (it has no index on the hour), so it runs here and
 * not at start-up.
 */
export async function runTelemetryMaintenance(db: Db, now: Date = new Date()): Promise<SweepReport> {
  const report = await ensureTelemetryPartitions(db, now);
  const { cutoff } = partitionPlan(now, report.retentionMonths);
  const hourlyDeleted = await deleteHourlyBefore(db, cutoff);
  const deadLettersDeleted = await deleteDeadLettersBefore(
    db,
    new Date(now.getTime() - DEAD_LETTER_DAYS * 24 * 3600 * 1000),
  );
  return { ...report, hourlyDeleted, deadLettersDeleted };
}

/**
 * A device's readings of one metric over [from, to) for a chart: raw readings (resolution raw, or auto up to two days)
 * or hourly roll-ups (min / max / avg / last of each hour), at most MAX_POINTS (`truncated` when cut); for a
 * cumulative metric also the use within the range (last − first raw reading).
 * Throws DEVICE_NOT_FOUND (a device the caller may not read: devices.read over its node), TELEMETRY_RANGE_INVALID
 * (field from / to), DEVICE_RULE_METRIC_UNKNOWN (field metric: not one of the type's metrics).
 */
export async function getTelemetry(
  deps: { db: Db },
  ctx: Ctx,
  deviceId: number,
  query: TelemetryQuery,
): Promise<TelemetrySeries> {
  const device = await findTelemetryDevice(deps.db, deviceId);
  if (!device || !can(ctx.principal, 'devices.read', device.node_path)) throw new AppError('DEVICE_NOT_FOUND');
  const range = checkRange(query.from, query.to);
  if (!range.ok) throw new AppError('TELEMETRY_RANGE_INVALID', { field: range.field });
  const def = device.metrics.find((m) => m.key === query.metric);
  if (!def) throw new AppError('DEVICE_RULE_METRIC_UNKNOWN', { field: 'metric', params: { metric: query.metric } });

  const resolution = chooseResolution(query.resolution, range.from, range.to);
  const args = { deviceId, metric: def.key, from: range.from, to: range.to, limit: MAX_POINTS + 1 };
  let points: TelemetrySeries['points'];
  if (resolution === 'raw') {
    const rows = await listRawPoints(deps.db, args);
    points = rows.map((r) => ({ t: new Date(r.ts).toISOString(), value: r.value }));
  } else {
    const rows = await listHourPoints(deps.db, args);
    points = rows.map((r) => ({
      t: new Date(r.hour).toISOString(),
      value: r.last_value,
      min: r.min,
      max: r.max,
      avg: r.n > 0 ? r.sum / r.n : r.last_value,
    }));
  }
  const truncated = points.length > MAX_POINTS;
  if (truncated) points = points.slice(0, MAX_POINTS);
  let used: number | null = null;
  if (def.cumulative) {
    const fl = await findFirstLast(deps.db, { deviceId, metric: def.key, from: range.from, to: range.to });
    used = usedBetween(fl.first, fl.last);
  }
  return { deviceId, metric: def.key, unit: def.unit, resolution, points, used, truncated };
}
