import { describe, expect, it } from 'vitest';
import {
  expectedUse,
  nextDelayMs,
  nextHeartRate,
  nextMeterTotal,
  planDevices,
  seededRng,
  shanghaiHour,
  waterRateLph,
} from './simulator.logic.js';

/** 2026-12-07 at a local (Asia/Shanghai) hour. */
const local = (h: number, m = 0) => new Date(Date.UTC(2026, 11, 7, h - 8, m));

describe('water use by the hour in Asia/Shanghai', () => {
  it('reads the local hour as UTC+8, across midnight', () => {
    expect(shanghaiHour(new Date('2026-12-07T23:30:00Z'))).toBe(7.5);
    expect(shanghaiHour(new Date('2026-12-07T16:00:00Z'))).toBe(0);
    expect(shanghaiHour(local(19, 45))).toBe(19.75);
  });

  it('peaks in the morning and the evening and is quiet at night', () => {
    const night = waterRateLph(3);
    expect(night).toBeLessThan(1);
    expect(waterRateLph(7)).toBeGreaterThan(20);
    expect(waterRateLph(19.5)).toBeGreaterThan(20);
    // The afternoon lull sits between the peaks.
    expect(waterRateLph(15)).toBeLessThan(waterRateLph(12));
    expect(waterRateLph(15)).toBeGreaterThan(night);
  });

  it('adds up to a plausible household’s day, almost none of it between midnight and five', () => {
    const day = expectedUse(local(0), local(24));
    expect(day).toBeGreaterThan(100);
    expect(day).toBeLessThan(200);
    expect(expectedUse(local(0), local(5))).toBeLessThan(2);
  });

  it('never runs a meter backwards, and over a day draws about the expected use', () => {
    const rng = seededRng(7);
    let total = 1000;
    let prev = local(0);
    for (let m = 10; m <= 24 * 60; m += 10) {
      const at = new Date(local(0).getTime() + m * 60_000);
      const next = nextMeterTotal(rng, total, prev, at, 'normal');
      expect(next).toBeGreaterThanOrEqual(total);
      total = next;
      prev = at;
    }
    expect(total - 1000).toBeGreaterThan(70);
    expect(total - 1000).toBeLessThan(260);
  });

  it('keeps the no-use meter where it is through the morning peak', () => {
    expect(nextMeterTotal(seededRng(1), 1234.5, local(6), local(9), 'no_use')).toBe(1234.5);
  });
});

describe('heart rates', () => {
  it('wander around 70 by day and lower at night, within bounds', () => {
    const rng = seededRng(3);
    const day: number[] = [];
    let prev: number | null = null;
    for (let i = 0; i < 200; i++) {
      prev = nextHeartRate(rng, prev, local(10), 'normal');
      day.push(prev);
    }
    const mean = day.reduce((a, b) => a + b, 0) / day.length;
    expect(mean).toBeGreaterThan(66);
    expect(mean).toBeLessThan(74);
    expect(Math.min(...day)).toBeGreaterThanOrEqual(45);
    expect(Math.max(...day)).toBeLessThanOrEqual(110);
    let night: number | null = 70;
    for (let i = 0; i < 50; i++) night = nextHeartRate(rng, night, local(3), 'normal');
    expect(night).toBeLessThan(68);
  });

  it('races at about 150 for the anomaly (above the 120 threshold)', () => {
    const rng = seededRng(5);
    for (let i = 0; i < 20; i++) expect(nextHeartRate(rng, 70, local(10), 'tachycardia')).toBeGreaterThan(135);
  });
});

describe('planDevices', () => {
  it('mixes meters, bracelets and SOS buttons with stable serials', () => {
    const plans = planDevices(10, 'normal');
    expect(plans.map((p) => p.typeCode)).toEqual([
      'water_meter',
      'bracelet',
      'sos_button',
      'water_meter',
      'bracelet',
      'water_meter',
      'bracelet',
      'water_meter',
      'water_meter',
      'bracelet',
    ]);
    expect(plans[0]!.serial).toBe('SIM-WM-00001');
    expect(plans[2]!.serial).toBe('SIM-SOS-00001');
    expect(new Set(plans.map((p) => p.serial)).size).toBe(10);
    expect(plans.every((p) => p.behaviour === 'normal')).toBe(true);
    // A larger run starts with the same devices, so it reuses them.
    expect(planDevices(40, 'normal').slice(0, 10)).toEqual(plans);
  });

  it('makes one of each misbehave in the anomalies scenario', () => {
    const odd = planDevices(12, 'anomalies').filter((p) => p.behaviour !== 'normal');
    expect(odd.map((p) => [p.serial, p.behaviour])).toEqual([
      ['SIM-WM-00001', 'no_use'],
      ['SIM-BR-00001', 'tachycardia'],
      ['SIM-SOS-00001', 'sos'],
    ]);
  });

  it('spreads messages around the rate', () => {
    const rng = seededRng(9);
    const delays = Array.from({ length: 100 }, () => nextDelayMs(rng, 2));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(24_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(36_000);
  });
});
