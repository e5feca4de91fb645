import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/errors.js';
import {
  checkDates,
  checkNodeType,
  checkTargetShape,
  communityIdOf,
  communityPathOf,
  isActive,
  linkerCommunities,
  shanghaiToday,
} from './links.logic.js';

const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof AppError ? `${e.code}:${e.field}` : String(e);
  }
};

describe('links.logic', () => {
  it('finds the community of a path (its third level)', () => {
    expect(communityPathOf('/1/7/42/50/61/')).toBe('/1/7/42/');
    expect(communityPathOf('/1/7/42/')).toBe('/1/7/42/');
    expect(communityPathOf('/1/7/')).toBeNull();
    expect(communityIdOf('/1/7/42/50/')).toBe(42);
    expect(communityIdOf('/1/')).toBeNull();
  });

  it('a linker belongs to the communities of their posts and of their own resident record', () => {
    expect(linkerCommunities(['/1/7/42/50/', '/1/7/', '/1/7/43/'], [null, '/1/8/90/91/']).sort()).toEqual([
      '/1/7/42/',
      '/1/7/43/',
      '/1/8/90/',
    ]);
    expect(linkerCommunities([], [null])).toEqual([]);
  });

  it('checks what each kind links to', () => {
    expect(codeOf(() => checkTargetShape('party_household', { householdIds: [1] }, 'zh-CN'))).toBeNull();
    expect(codeOf(() => checkTargetShape('party_household', { nodeId: 1, householdIds: [1] }, 'en'))).toBe(
      'GRID_LINK_TARGET_INVALID:nodeId',
    );
    expect(codeOf(() => checkTargetShape('party_household', {}, 'en'))).toBe('GRID_LINK_TARGET_INVALID:householdIds');
    expect(codeOf(() => checkTargetShape('cadre_group', { householdIds: [1] }, 'en'))).toBe(
      'GRID_LINK_TARGET_INVALID:householdIds',
    );
    expect(codeOf(() => checkTargetShape('leader_building', {}, 'en'))).toBe('GRID_LINK_TARGET_INVALID:nodeId');
    expect(codeOf(() => checkNodeType('cadre_group', 'grid', 'en'))).toBeNull();
    expect(codeOf(() => checkNodeType('cadre_group', 'micro_grid', 'en'))).toBeNull();
    expect(codeOf(() => checkNodeType('cadre_group', 'building', 'en'))).toBe('GRID_LINK_TARGET_INVALID:nodeId');
    expect(codeOf(() => checkNodeType('leader_building', 'building', 'en'))).toBeNull();
    expect(codeOf(() => checkNodeType('leader_building', 'unit', 'en'))).toBe('GRID_LINK_TARGET_INVALID:nodeId');
    try {
      checkNodeType('leader_building', 'grid', 'zh-CN');
    } catch (e) {
      expect((e as AppError).params).toEqual({ expected: '楼栋' });
    }
  });

  it('checks dates and whether a link is in force', () => {
    expect(codeOf(() => checkDates('2026-01-01', '2025-12-31'))).toBe('GRID_LINK_DATES_INVALID:validTo');
    expect(codeOf(() => checkDates('2026-01-01', '2026-01-01'))).toBeNull();
    expect(codeOf(() => checkDates('2026-01-01', null))).toBeNull();
    const l = { endedAt: null, validFrom: '2026-01-01', validTo: '2026-06-30' };
    expect(isActive(l, '2025-12-31')).toBe(false);
    expect(isActive(l, '2026-01-01')).toBe(true);
    expect(isActive(l, '2026-06-30')).toBe(true);
    expect(isActive(l, '2026-07-01')).toBe(false);
    expect(isActive({ ...l, endedAt: new Date() }, '2026-03-01')).toBe(false);
  });

  it('today is the day in Asia/Shanghai', () => {
    expect(shanghaiToday(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(shanghaiToday(new Date('2026-03-01T15:59:00Z'))).toBe('2026-03-01');
  });
});
