import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  haversineM,
  normaliseTrack,
  pathIds,
  patrolMinutes,
  type TrackPoint,
  trackDistanceM,
} from './patrols.logic.js';

describe('patrol logic', () => {
  it('measures a walk along a meridian: 0.001° of latitude is about 111 m', () => {
    const track: TrackPoint[] = [
      [35.0, 116.0, 0],
      [35.001, 116.0, 30_000],
      [35.002, 116.0, 60_000],
    ];
    expect(trackDistanceM(track)).toBe(222);
    expect(trackDistanceM([[35, 116, 0]])).toBeNull();
    expect(trackDistanceM([])).toBeNull();
  });

  it('orders the track by time and keeps one point per instant', () => {
    expect(
      normaliseTrack([
        [1, 1, 20],
        [2, 2, 10],
        [3, 3, 20],
      ]),
    ).toEqual([
      [2, 2, 10],
      [1, 1, 20],
    ]);
  });

  it('never measures a negative or asymmetric distance', () => {
    const lat = fc.double({ min: -89, max: 89, noNaN: true });
    const lng = fc.double({ min: -179, max: 179, noNaN: true });
    fc.assert(
      fc.property(lat, lng, lat, lng, (a, b, c, d) => {
        const x = haversineM(a, b, c, d);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(Math.abs(x - haversineM(c, d, a, b))).toBeLessThan(1e-6);
      }),
    );
  });

  it('counts whole minutes and none while under way', () => {
    const start = new Date('2026-01-01T08:00:00Z');
    expect(patrolMinutes(start, new Date('2026-01-01T08:45:59Z'))).toBe(45);
    expect(patrolMinutes(start, null)).toBeNull();
    expect(pathIds('/1/7/42/')).toEqual([1, 7, 42]);
  });
});
