import type { NodeType } from '../../platform/access/roles.js';
import { AppError, type Locale } from '../../platform/errors/errors.js';
import type { LinkKind } from './links.schemas.js';
import { shanghaiDay } from './rules.logic.js';

/** The pure rules of 一网三联's links: what each kind links to, the community of a place, validity dates. */

/** Today in Asia/Shanghai, YYYY-MM-DD (validity dates are days there). */
export function shanghaiToday(now: Date = new Date()): string {
  return shanghaiDay(now);
}

/**
 * The path of the community or village a path lies in: its first three levels (county, street or town, community
 * or village); null for a place above communities.
 */
export function communityPathOf(path: string): string | null {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length < 3) return null;
  return `/${parts.slice(0, 3).join('/')}/`;
}

/** The id of the community a path lies in (its third level), or null. */
export function communityIdOf(path: string): number | null {
  const c = communityPathOf(path);
  if (c === null) return null;
  return Number(c.split('/')[3]);
}

/** The communities a linker belongs to: those of their posts, else of their own resident record(s). */
export function linkerCommunities(postPaths: readonly string[], residentPaths: readonly (string | null)[]): string[] {
  const out = new Set<string>();
  for (const p of postPaths) {
    const c = communityPathOf(p);
    if (c !== null) out.add(c);
  }
  for (const p of residentPaths) {
    const c = p === null ? null : communityPathOf(p);
    if (c !== null) out.add(c);
  }
  return [...out];
}

const NODE_KINDS: Record<Exclude<LinkKind, 'party_household'>, readonly NodeType[]> = {
  cadre_group: ['grid', 'micro_grid'],
  leader_building: ['building'],
};

const EXPECTED: Record<LinkKind, Record<Locale, string>> = {
  cadre_group: { 'zh-CN': '网格或微网格（村民小组）', en: 'a grid or micro-grid (village group)' },
  leader_building: { 'zh-CN': '楼栋', en: 'a building' },
  party_household: { 'zh-CN': '户', en: 'households' },
};

/**
 * The shape of a link's target for its kind: party_household names households and no node; the other kinds name
 * one node and no households. Throws GRID_LINK_TARGET_INVALID naming the field.
 */
export function checkTargetShape(
  kind: LinkKind,
  body: { nodeId?: number; householdIds?: number[] },
  locale: Locale,
): void {
  const params = { expected: EXPECTED[kind][locale] };
  if (kind === 'party_household') {
    if (body.nodeId !== undefined) throw new AppError('GRID_LINK_TARGET_INVALID', { field: 'nodeId', params });
    if (!body.householdIds || body.householdIds.length === 0)
      throw new AppError('GRID_LINK_TARGET_INVALID', { field: 'householdIds', params });
    return;
  }
  if (body.householdIds !== undefined)
    throw new AppError('GRID_LINK_TARGET_INVALID', { field: 'householdIds', params });
  if (body.nodeId === undefined) throw new AppError('GRID_LINK_TARGET_INVALID', { field: 'nodeId', params });
}

/** Whether a node of this type may be the target of this kind; throws GRID_LINK_TARGET_INVALID (field nodeId). */
export function checkNodeType(kind: LinkKind, type: NodeType, locale: Locale): void {
  if (kind === 'party_household' || !NODE_KINDS[kind].includes(type))
    throw new AppError('GRID_LINK_TARGET_INVALID', { field: 'nodeId', params: { expected: EXPECTED[kind][locale] } });
}

/** A validity ending before it starts is GRID_LINK_DATES_INVALID (field validTo). */
export function checkDates(validFrom: string, validTo: string | null | undefined): void {
  if (validTo !== null && validTo !== undefined && validTo < validFrom)
    throw new AppError('GRID_LINK_DATES_INVALID', { field: 'validTo' });
}

/** In force on `day`: not ended and the day within the validity. */
export function isActive(link: { endedAt: unknown; validFrom: string; validTo: string | null }, day: string): boolean {
  return link.endedAt === null && link.validFrom <= day && (link.validTo === null || link.validTo >= day);
}
