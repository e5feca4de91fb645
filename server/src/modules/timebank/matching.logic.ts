/**
 * Time-bank matching (时间银行 · 匹配): ranks the available volunteers of a community for a service request. Pure: the
 * repo reads the volunteers; this decides the order and says why.
 *
 * Order: volunteers with recent no-shows go last; before them, a skill that matches the service type first, then the
 * nearest (the deepest node path shared with the request's place: same building before same grid before the
 * community), then the fewest open matches, then the fewest no-shows, then the lowest id (a stable order).
 */

/** A service type or skill code (free codes; labels come from i18n `volunteers.skills.<code>`). */
export const SKILL_CODE_RE = /^[a-z][a-z_]{1,39}$/;

export type Candidate = {
  residentId: number;
  /** The volunteer's node path (where they live). */
  nodePath: string;
  skills: readonly string[];
  /** Requests matched to them and not yet done. */
  openMatches: number;
  /** Activities they signed up for and did not come to, recently (the repo decides the window). */
  recentNoShows: number;
};

export type Place = 'same_building' | 'same_grid' | 'same_community' | 'elsewhere';

export type Reason =
  | { code: 'skill_match'; skill: string }
  | { code: 'no_skill_match' }
  | { code: 'place'; place: Place }
  | { code: 'open_matches'; count: number }
  | { code: 'recent_no_shows'; count: number };

export type Ranked<C extends Candidate> = C & { rank: number; skillMatch: boolean; place: Place; reasons: Reason[] };

/** The segments of a materialized path ('/1/2/3/' → ['1','2','3']). */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** How many leading segments two paths share. */
export function sharedDepth(a: string, b: string): number {
  const x = pathSegments(a);
  const y = pathSegments(b);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * Where a volunteer lives relative to the request's place, given the community's depth (the number of segments of
 * its path): sharing two or more levels below the community is the same building (community/grid/building), one
 * level the same grid, none the same community.
 */
export function placeOf(requestPath: string, volunteerPath: string, communityDepth: number): Place {
  const shared = sharedDepth(requestPath, volunteerPath);
  if (shared < communityDepth) return 'elsewhere';
  const below = shared - communityDepth;
  if (below >= 2) return 'same_building';
  if (below === 1) return 'same_grid';
  return 'same_community';
}

/** Ranks candidates for a request of `serviceType` at `nodePath` in a community `communityDepth` deep. */
export function rankCandidates<C extends Candidate>(
  request: { serviceType: string; nodePath: string; communityDepth: number },
  candidates: readonly C[],
): Ranked<C>[] {
  const scored = candidates.map((c) => {
    const skillMatch = c.skills.includes(request.serviceType);
    const place = placeOf(request.nodePath, c.nodePath, request.communityDepth);
    const shared = sharedDepth(request.nodePath, c.nodePath);
    const reasons: Reason[] = [
      skillMatch ? { code: 'skill_match', skill: request.serviceType } : { code: 'no_skill_match' },
      { code: 'place', place },
      { code: 'open_matches', count: c.openMatches },
    ];
    if (c.recentNoShows > 0) reasons.push({ code: 'recent_no_shows', count: c.recentNoShows });
    return { c, skillMatch, place, shared, reasons };
  });
  scored.sort(
    (a, b) =>
      Number(a.c.recentNoShows > 0) - Number(b.c.recentNoShows > 0) ||
      Number(b.skillMatch) - Number(a.skillMatch) ||
      b.shared - a.shared ||
      a.c.openMatches - b.c.openMatches ||
      a.c.recentNoShows - b.c.recentNoShows ||
      a.c.residentId - b.c.residentId,
  );
  return scored.map((s, i) => ({ ...s.c, rank: i + 1, skillMatch: s.skillMatch, place: s.place, reasons: s.reasons }));
}

/**
 * The minutes a requester may still promise: their hours balance minus the minutes of their open or matched
 * requests paid from their account (never below zero).
 */
export function availableMinutes(balance: number, reservedMinutes: number): number {
  return Math.max(0, balance - reservedMinutes);
}
