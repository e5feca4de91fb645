/**
 * The device simulator's patterns (pure): how much water a household draws by the hour of the day in Asia/Shanghai
 * (morning and evening peaks, quiet nights), heart rates around 70 with noise, and which simulated devices misbehave
 * in the `anomalies` scenario (a meter with no use, a heart rate of 150, an SOS press). Randomness comes from a seeded
 * generator, so a pattern is a function of its seed and the clock.
 */

export const SIM_SERIAL_PREFIX = 'SIM-';
export const SCENARIOS = ['normal', 'anomalies'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The types the simulator drives, and the share of each in a mix. */
export const SIM_TYPES = ['water_meter', 'bracelet', 'sos_button'] as const;
export type SimType = (typeof SIM_TYPES)[number];

/** normal; no_use: the meter never moves; tachycardia: heart rate about 150; sos: presses SOS once at the start. */
export type SimBehaviour = 'normal' | 'no_use' | 'tachycardia' | 'sos';

export type SimDevicePlan = { index: number; typeCode: SimType; serial: string; behaviour: SimBehaviour };

export type Rng = () => number;

/** mulberry32: small, fast, good enough for simulated noise. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A normally distributed number (Box–Muller). */
export function gaussian(rng: Rng, mean = 0, sd = 1): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The hour of the day in Asia/Shanghai (UTC+8 all year, no daylight saving), with minutes as a fraction. */
export function shanghaiHour(at: Date): number {
  const ms = at.getTime() + 8 * 3600_000;
  return (((ms % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000;
}

const bump = (h: number, centre: number, width: number) => Math.exp(-(((h - centre) / width) ** 2));

/**
 * Expected litres per hour a household of one or two older people draws at local hour `h`: a morning peak around
 * 07:00 (washing, breakfast), a smaller one at noon (cooking), an evening peak around 19:30 (cooking, bathing), and
 * almost nothing between 23:00 and 05:30. Integrates to about 135 L a day.
 */
export function waterRateLph(h: number): number {
  const hour = ((h % 24) + 24) % 24;
  const quiet = hour >= 23 || hour < 5.5;
  const base = quiet ? 0.3 : 2;
  return base + 22 * bump(hour, 7, 1) + 9 * bump(hour, 12, 0.8) + 20 * bump(hour, 19.5, 1.3);
}

/** Litres expected between two instants (the rate integrated in 5-minute steps). */
export function expectedUse(from: Date, to: Date): number {
  const step = 5 * 60_000;
  let total = 0;
  for (let t = from.getTime(); t < to.getTime(); t += step) {
    const end = Math.min(t + step, to.getTime());
    total += waterRateLph(shanghaiHour(new Date((t + end) / 2))) * ((end - t) / 3_600_000);
  }
  return total;
}

/**
 * The meter's register after `from` → `to`: the expected use with noise (use comes in draws, so some intervals see
 * none), never going back; a meter with no use stays where it was. Rounded to 0.1 L as meters report.
 */
export function nextMeterTotal(rng: Rng, total: number, from: Date, to: Date, behaviour: SimBehaviour): number {
  if (behaviour === 'no_use') return total;
  const expected = expectedUse(from, to);
  // Draws are lumpy: a third of the short intervals see nothing at all, the others make up for them on average.
  const isShort = to.getTime() - from.getTime() <= 15 * 60_000;
  if (isShort && rng() < 1 / 3) return total;
  const drawn = expected * (isShort ? 1.5 : 1) * (0.5 + rng());
  return Math.round((total + drawn) * 10) / 10;
}

/** Instant flow (L/min) to report beside the total, from the use over the interval. */
export function flowLpm(used: number, from: Date, to: Date): number {
  const minutes = Math.max((to.getTime() - from.getTime()) / 60_000, 1 / 60);
  return Math.round((used / minutes) * 10) / 10;
}

/**
 * A heart rate: around 70 by day, about 62 asleep (23:00–06:00 local), with noise, kept in [45, 110]; about 150 for
 * the tachycardia anomaly. `prev` makes it wander rather than jump.
 */
export function nextHeartRate(rng: Rng, prev: number | null, at: Date, behaviour: SimBehaviour): number {
  if (behaviour === 'tachycardia') return Math.round(gaussian(rng, 150, 4));
  const h = shanghaiHour(at);
  const target = h >= 23 || h < 6 ? 62 : 70;
  const centre = prev === null ? target : prev + (target - prev) * 0.3;
  return Math.round(Math.min(110, Math.max(45, gaussian(rng, centre, 3))));
}

/** Blood pressure that goes with a heart rate (systolic about 125, diastolic about 80). */
export function nextPressure(rng: Rng): { systolic: number; diastolic: number } {
  return { systolic: Math.round(gaussian(rng, 125, 8)), diastolic: Math.round(gaussian(rng, 80, 5)) };
}

/**
 * The devices of a run of `count`: 60 % water meters, 30 % bracelets, 10 % SOS buttons, interleaved so a small run
 * has each; in the `anomalies` scenario the first meter has no use, the first bracelet races and the first button
 * presses SOS. Serials SIM-<TYPE>-<n> make a later run find and reuse them.
 */
export function planDevices(count: number, scenario: Scenario): SimDevicePlan[] {
  const cycle: SimType[] = ['water_meter', 'bracelet', 'water_meter', 'water_meter', 'bracelet'];
  const plans: SimDevicePlan[] = [];
  const seen = { water_meter: 0, bracelet: 0, sos_button: 0 };
  for (let i = 0; i < count; i++) {
    const typeCode: SimType = i % 10 === 2 ? 'sos_button' : cycle[i % cycle.length]!;
    const n = ++seen[typeCode];
    let behaviour: SimBehaviour = 'normal';
    if (scenario === 'anomalies' && n === 1) {
      behaviour = typeCode === 'water_meter' ? 'no_use' : typeCode === 'bracelet' ? 'tachycardia' : 'sos';
    }
    const tag = { water_meter: 'WM', bracelet: 'BR', sos_button: 'SOS' }[typeCode];
    plans.push({ index: i, typeCode, serial: `${SIM_SERIAL_PREFIX}${tag}-${String(n).padStart(5, '0')}`, behaviour });
  }
  return plans;
}

/** Milliseconds between one device's messages at `rate` messages a minute, jittered ±20 % so devices spread out. */
export function nextDelayMs(rng: Rng, ratePerMinute: number): number {
  const mean = 60_000 / ratePerMinute;
  return Math.max(1, Math.round(mean * (0.8 + 0.4 * rng())));
}
