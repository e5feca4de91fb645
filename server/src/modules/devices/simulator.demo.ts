/**
 * The demo start's small simulation (main.ts, demo mode only): twelve simulated devices with the demo community's
 * oldest residents, a day of history the first time, then a reading from each every 30–60 s over MQTT. The anomalies
 * scenario makes the alarm centre come alive: a meter with no use (its flat day of history lets the no-use rule fire
 * at the next timed evaluation), a racing heart rate, and an SOS press at each start.
 */
import { systemCtx } from '../../platform/access/context.js';
import type { Db } from '../../platform/db/client.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { type SimDevice, type Simulation, startSimulation } from './simulator.js';
import { nextHeartRate, nextMeterTotal, planDevices, seededRng } from './simulator.logic.js';
import { registerSimDevices } from './simulator.register.js';
import {
  findDemoCommunityId,
  findDevicesWithReadings,
  findLastValues,
  type HistoryRow,
  insertHistory,
} from './simulator.repo.js';

export const DEMO_SIM_DEVICES = 12;
/** 1.33 a minute: one reading every 45 s on average, 36–54 s with the jitter. */
const DEMO_RATE_PER_MINUTE = 4 / 3;
const HISTORY_HOURS = 24;
const HISTORY_STEP_MIN = 10;

/** A day of readings ending at `now` for a device, from the same patterns the live simulation uses. */
export function demoHistory(d: SimDevice, now: Date): HistoryRow[] {
  const rng = seededRng(d.deviceId);
  const rows: HistoryRow[] = [];
  let total = Math.round(1000 + rng() * 50_000);
  let heart: number | null = null;
  const start = now.getTime() - HISTORY_HOURS * 3600_000;
  for (let t = start; t < now.getTime() - 60_000; t += HISTORY_STEP_MIN * 60_000) {
    const at = new Date(t);
    if (d.typeCode === 'water_meter') {
      total = nextMeterTotal(rng, total, new Date(t - HISTORY_STEP_MIN * 60_000), at, d.behaviour);
      rows.push({ deviceId: d.deviceId, metric: 'total_l', ts: at, value: total });
    } else if (d.typeCode === 'bracelet') {
      // The racing heart belongs to now, not to the whole day.
      heart = nextHeartRate(rng, heart, at, 'normal');
      rows.push({ deviceId: d.deviceId, metric: 'heart_rate', ts: at, value: heart });
    }
  }
  return rows.filter((r) => d.metrics.includes(r.metric));
}

/**
 * Registers (or reuses) the demo's devices, fills their first day of history once, and starts publishing to `url`.
 * Returns null without the demo region.
 */
export async function startDemoSimulation(
  deps: { db: Db; pii: PiiCipher },
  url: string,
  onError: (err: Error) => void,
): Promise<{ simulation: Simulation; devices: number; historyFilled: number } | null> {
  const community = await findDemoCommunityId(deps.db);
  if (community === null) return null;
  const plans = planDevices(DEMO_SIM_DEVICES, 'anomalies');
  const { devices } = await registerSimDevices(deps, systemCtx('demo'), plans, { nodeId: community });
  const ids = devices.map((d) => d.deviceId);
  const withReadings = await findDevicesWithReadings(deps.db, ids);
  const now = new Date();
  const fresh = devices.filter((d) => !withReadings.has(d.deviceId));
  await insertHistory(
    deps.db,
    fresh.flatMap((d) => demoHistory(d, now)),
  );
  const totals = await findLastValues(deps.db, ids, 'total_l');
  const simulation = startSimulation({
    url,
    devices,
    ratePerMinute: DEMO_RATE_PER_MINUTE,
    initialTotals: totals,
    onError,
  });
  return { simulation, devices: devices.length, historyFilled: fresh.length };
}
