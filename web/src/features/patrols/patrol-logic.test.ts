import { describe, expect, it } from 'vitest';
import {
  addTrackPoint,
  distanceText,
  durationText,
  minutesSince,
  newClientId,
  readTrack,
  TRACK_MAX_POINTS,
} from './patrol-logic';

describe('patrol logic (web)', () => {
  it('samples a point about every 30 s, rounded to 6 decimals', () => {
    let track = addTrackPoint([], [35.1234567, 116.7654321, 1000]);
    expect(track).toEqual([[35.123457, 116.765432, 1000]]);
    track = addTrackPoint(track, [35.2, 116.8, 11_000]); // 10 s later: skipped
    expect(track).toHaveLength(1);
    track = addTrackPoint(track, [35.2, 116.8, 31_000]);
    expect(track).toHaveLength(2);
  });

  it('keeps the last 5000 points', () => {
    let track = Array.from({ length: TRACK_MAX_POINTS }, (_, i) => [1, 1, i * 30_000] as [number, number, number]);
    track = addTrackPoint(track, [2, 2, TRACK_MAX_POINTS * 30_000]);
    expect(track).toHaveLength(TRACK_MAX_POINTS);
    expect(track[track.length - 1]).toEqual([2, 2, TRACK_MAX_POINTS * 30_000]);
    expect(track[0]![2]).toBe(30_000);
  });

  it('reads a stored track, dropping what is not a point', () => {
    const store = (v: string | null) => ({ getItem: () => v });
    expect(readTrack(store('[[1,2,3],[100,2,3],["a",2,3],[1,2]]'), 1)).toEqual([[1, 2, 3]]);
    expect(readTrack(store('not json'), 1)).toEqual([]);
    expect(readTrack(store(null), 1)).toEqual([]);
  });

  it('writes durations and distances', () => {
    expect(durationText(65, 'zh-CN')).toBe('1 小时 5 分');
    expect(durationText(7, 'en')).toBe('7 min');
    expect(durationText(null, 'en')).toBe('—');
    expect(distanceText(1234)).toBe('1.2 km');
    expect(distanceText(350)).toBe('350 m');
    expect(minutesSince('2026-01-01T08:00:00Z', Date.parse('2026-01-01T08:30:30Z'))).toBe(30);
  });

  it('makes a UUID v4 clientId with or without crypto.randomUUID (plain-HTTP intranet pages lack it)', () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const insecure = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const ids = new Set(Array.from({ length: 50 }, () => newClientId(insecure)));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(v4);
    expect(newClientId()).toMatch(v4);
  });
});
