/** Pure helpers of the patrol pages: the sampled track and durations. */

export type TrackPoint = [lat: number, lng: number, at: number];

/** A point every ~30 s while the page is open; the server keeps at most 5000. */
export const TRACK_INTERVAL_MS = 30_000;
export const TRACK_MAX_POINTS = 5000;

/** Adds a sampled point unless one was taken less than ~25 s before (watchPosition fires often). */
export function addTrackPoint(track: readonly TrackPoint[], p: TrackPoint): TrackPoint[] {
  const last = track[track.length - 1];
  if (last && p[2] - last[2] < TRACK_INTERVAL_MS - 5_000) return [...track];
  const next = [...track, [round6(p[0]), round6(p[1]), Math.round(p[2])] as TrackPoint];
  return next.length > TRACK_MAX_POINTS ? next.slice(next.length - TRACK_MAX_POINTS) : next;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Where the phone keeps a patrol's track between visits of the page. */
export const trackStorageKey = (patrolId: number) => `linli.patrolTrack.${patrolId}`;

export function readTrack(storage: Pick<Storage, 'getItem'>, patrolId: number): TrackPoint[] {
  try {
    const raw = JSON.parse(storage.getItem(trackStorageKey(patrolId)) ?? '[]') as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (p): p is TrackPoint =>
        Array.isArray(p) &&
        p.length === 3 &&
        p.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
        Math.abs(p[0]) <= 90 &&
        Math.abs(p[1]) <= 180 &&
        p[2] >= 0,
    );
  } catch {
    return [];
  }
}

/** "1 小时 5 分" / "1 h 5 min" from whole minutes; null → "—". */
export function durationText(minutes: number | null, lang: string): string {
  if (minutes === null) return '—';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (lang === 'en') return h > 0 ? `${h} h ${m} min` : `${m} min`;
  return h > 0 ? `${h} 小时 ${m} 分` : `${m} 分钟`;
}

/** "1.2 km" / "350 m"; null → "—". */
export function distanceText(m: number | null): string {
  if (m === null) return '—';
  return m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${m} m`;
}

/** Minutes since the start, for a patrol under way. */
export function minutesSince(startedAt: string, now: number): number {
  return Math.max(0, Math.floor((now - new Date(startedAt).getTime()) / 60_000));
}

/**
 * A clientId (UUID v4) for an idempotent start or finding. `crypto.randomUUID` exists only in secure contexts
 * (HTTPS, localhost); on a plain-HTTP intranet address the same is built from `crypto.getRandomValues`.
 */
export function newClientId(c: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
