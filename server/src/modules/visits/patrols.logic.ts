/** Pure rules of the patrol log (巡查). */

/** The clock skew a phone may have: a start, a finding or an end later than this beyond now is refused. */
export const PATROL_FUTURE_SKEW_MS = 5 * 60_000;

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres between two points (haversine). */
export function haversineM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export type TrackPoint = [lat: number, lng: number, at: number];

/**
 * The track as stored: points in time order (a phone's queue may replay them out of order), one per instant.
 */
export function normaliseTrack(track: readonly TrackPoint[]): TrackPoint[] {
  const sorted = [...track].sort((a, b) => a[2] - b[2]);
  const out: TrackPoint[] = [];
  for (const p of sorted) if (out.length === 0 || out[out.length - 1]![2] !== p[2]) out.push([p[0], p[1], p[2]]);
  return out;
}

/** The length of the walk in whole metres; null without at least two points. */
export function trackDistanceM(track: readonly TrackPoint[]): number | null {
  if (track.length < 2) return null;
  let sum = 0;
  for (let i = 1; i < track.length; i++) {
    const a = track[i - 1]!;
    const b = track[i]!;
    sum += haversineM(a[0], a[1], b[0], b[1]);
  }
  return Math.round(sum);
}

/** Whole minutes from start to end (null while under way). */
export function patrolMinutes(startedAt: Date, endedAt: Date | null): number | null {
  if (!endedAt) return null;
  return Math.max(0, Math.floor((endedAt.getTime() - startedAt.getTime()) / 60_000));
}

/** The node's path and its ids, for the place label: "/1/7/42/" → [1, 7, 42]. */
export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}
