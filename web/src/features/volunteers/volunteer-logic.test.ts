import { describe, expect, it } from 'vitest';
import { codeFromScan, residentActions, rewardValue } from './volunteer-logic';
import type { MyActivity } from './volunteer-types';

const base: MyActivity = {
  id: 7,
  nodeId: 1,
  nodeName: '东关社区',
  teamId: null,
  title: '健步走',
  description: null,
  activityType: 'health_walk',
  place: '广场',
  startsAt: '2026-12-08T01:00:00Z',
  endsAt: '2026-12-08T03:00:00Z',
  capacity: 10,
  rewardCurrency: 'points',
  rewardAmount: 10,
  status: 'published',
  creditedAt: null,
  signedUp: 3,
  checkedIn: 0,
  placesLeft: 7,
  myStatus: null,
  checkedInAt: null,
  credited: null,
};

describe('volunteer logic (web)', () => {
  it('offers sign-up before the start while places are left, withdrawal and check-in when signed up', () => {
    const before = Date.parse('2026-12-07T10:00:00Z');
    expect(residentActions(base, before)).toEqual({ signUp: true, withdraw: false, checkIn: false });
    expect(residentActions({ ...base, placesLeft: 0 }, before).signUp).toBe(false);
    const signed = { ...base, myStatus: 'signed_up' as const };
    expect(residentActions(signed, before)).toEqual({ signUp: false, withdraw: true, checkIn: false });
    expect(residentActions(signed, Date.parse('2026-12-08T00:40:00Z'))).toEqual({
      signUp: false,
      withdraw: true,
      checkIn: true,
    });
    expect(
      residentActions({ ...signed, checkedInAt: '2026-12-08T00:45:00Z' }, Date.parse('2026-12-08T01:00:00Z')).checkIn,
    ).toBe(false);
    expect(residentActions({ ...signed, status: 'cancelled' }, before).withdraw).toBe(false);
  });

  it('reads the code from a scanned QR value or typed digits', () => {
    expect(codeFromScan('LINLI-ACT:7:012345', 7)).toBe('012345');
    expect(codeFromScan('LINLI-ACT:8:012345', 7)).toBeNull();
    expect(codeFromScan(' 654321 ', 7)).toBe('654321');
    expect(codeFromScan('hello', 7)).toBeNull();
  });

  it('shows hours from minutes', () => {
    expect(rewardValue(90, 'hours')).toBe(1.5);
    expect(rewardValue(10, 'points')).toBe(10);
    expect(rewardValue(null, 'points')).toBeNull();
  });
});
