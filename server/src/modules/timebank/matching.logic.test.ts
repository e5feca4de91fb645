import { describe, expect, it } from 'vitest';
import { availableMinutes, placeOf, rankCandidates, sharedDepth } from './matching.logic.js';

// county 1 / street 2 / community 3 / grid 4 / building 5 / unit 6
const REQ = { serviceType: 'elder_care', nodePath: '/1/2/3/4/5/6/', communityDepth: 3 };

const vol = (
  residentId: number,
  o: Partial<{ nodePath: string; skills: string[]; open: number; noShows: number }>,
) => ({
  residentId,
  nodePath: o.nodePath ?? '/1/2/3/9/',
  skills: o.skills ?? [],
  openMatches: o.open ?? 0,
  recentNoShows: o.noShows ?? 0,
});

describe('time-bank matching', () => {
  it('measures places by the shared path below the community', () => {
    expect(sharedDepth('/1/2/3/4/', '/1/2/3/5/')).toBe(3);
    expect(sharedDepth('/1/2/', '/7/')).toBe(0);
    expect(placeOf(REQ.nodePath, '/1/2/3/4/5/7/', 3)).toBe('same_building');
    expect(placeOf(REQ.nodePath, '/1/2/3/4/8/', 3)).toBe('same_grid');
    expect(placeOf(REQ.nodePath, '/1/2/3/9/', 3)).toBe('same_community');
    expect(placeOf(REQ.nodePath, '/1/2/30/', 3)).toBe('elsewhere');
  });

  it('puts a matching skill first, then the nearest, then the fewest open matches', () => {
    const ranked = rankCandidates(REQ, [
      vol(1, { nodePath: '/1/2/3/4/5/6/' }), // same building, no skill
      vol(2, { skills: ['elder_care'], nodePath: '/1/2/3/9/' }), // skill, same community
      vol(3, { skills: ['elder_care', 'cooking'], nodePath: '/1/2/3/4/8/' }), // skill, same grid
      vol(4, { skills: ['elder_care'], nodePath: '/1/2/3/4/8/', open: 2 }), // skill, same grid, busy
    ]);
    expect(ranked.map((r) => r.residentId)).toEqual([3, 4, 2, 1]);
    expect(ranked[0]).toMatchObject({
      rank: 1,
      skillMatch: true,
      place: 'same_grid',
      reasons: [
        { code: 'skill_match', skill: 'elder_care' },
        { code: 'place', place: 'same_grid' },
        { code: 'open_matches', count: 0 },
      ],
    });
    expect(ranked[3]).toMatchObject({ skillMatch: false, place: 'same_building' });
    expect(ranked[3]!.reasons[0]).toEqual({ code: 'no_skill_match' });
  });

  it('puts volunteers with recent no-shows last, whatever their skill and place', () => {
    const ranked = rankCandidates(REQ, [
      vol(1, { skills: ['elder_care'], nodePath: '/1/2/3/4/5/6/', noShows: 1 }),
      vol(2, { nodePath: '/1/2/3/9/' }),
      vol(3, { skills: ['elder_care'], noShows: 3 }),
    ]);
    expect(ranked.map((r) => r.residentId)).toEqual([2, 1, 3]);
    expect(ranked[1]!.reasons).toContainEqual({ code: 'recent_no_shows', count: 1 });
    expect(ranked[0]!.reasons.some((r) => r.code === 'recent_no_shows')).toBe(false);
  });

  it('breaks ties by id, and ranks nobody when there is nobody', () => {
    expect(rankCandidates(REQ, [vol(9, {}), vol(5, {})]).map((r) => r.residentId)).toEqual([5, 9]);
    expect(rankCandidates(REQ, [])).toEqual([]);
  });

  it('counts what a requester may still promise', () => {
    expect(availableMinutes(120, 60)).toBe(60);
    expect(availableMinutes(60, 90)).toBe(0);
  });
});
