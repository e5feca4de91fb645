import { CHILD_TYPES, type NodeType } from '../../platform/access/roles.js';
import { AppError } from '../../platform/errors/errors.js';
import { isValidDivisionCode } from '../../platform/pii/id-number.logic.js';

/** Pure rules of the hierarchy. */

export function assertChildType(parentType: NodeType | null, type: NodeType): void {
  if (parentType === null) {
    if (type !== 'county') throw new AppError('ORG_ROOT_TYPE_INVALID', { field: 'type' });
    return;
  }
  if (!CHILD_TYPES[parentType].includes(type)) {
    throw new AppError('ORG_CHILD_TYPE_INVALID', { field: 'type', params: { type, parentType } });
  }
}

export function assertCode(type: NodeType, code: string | null | undefined): void {
  if (type === 'county' && (!code || !isValidDivisionCode(code))) {
    throw new AppError('ORG_CODE_INVALID', { field: 'code' });
  }
}

/** A path is the parent's path plus the node's own id: '/1/7/42/'. */
export function childPath(parentPath: string | null, id: number): string {
  return `${parentPath ?? '/'}${id}/`;
}

export function parentPathOf(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  if (parts.length <= 1) return null;
  return `/${parts.slice(0, -1).join('/')}/`;
}

export function idsOfPath(path: string): number[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => Number(s));
}

/** Moving a node under itself or its own subtree would make a cycle. */
export function isCycle(nodePath: string, newParentPath: string): boolean {
  return newParentPath.startsWith(nodePath);
}

type Position = number[];

function isPosition(p: unknown): p is Position {
  return (
    Array.isArray(p) && p.length >= 2 && p.length <= 3 && p.every((x) => typeof x === 'number' && Number.isFinite(x))
  );
}

function isRing(r: unknown): boolean {
  if (!Array.isArray(r) || r.length < 4 || !r.every(isPosition)) return false;
  const first = r[0] as Position;
  const last = r[r.length - 1] as Position;
  return first[0] === last[0] && first[1] === last[1];
}

function isPolygonCoords(c: unknown): boolean {
  return Array.isArray(c) && c.length >= 1 && c.every(isRing);
}

/** Accepts a GeoJSON Polygon or MultiPolygon geometry (or a Feature holding one) with closed rings. */
export function normalizeBoundary(b: unknown): Record<string, unknown> | null {
  if (b === null || b === undefined) return null;
  const geom = (b as { type?: string }).type === 'Feature' ? (b as { geometry?: unknown }).geometry : b;
  const g = geom as { type?: unknown; coordinates?: unknown } | undefined;
  const ok =
    (g?.type === 'Polygon' && isPolygonCoords(g.coordinates)) ||
    (g?.type === 'MultiPolygon' &&
      Array.isArray(g.coordinates) &&
      g.coordinates.length >= 1 &&
      g.coordinates.every(isPolygonCoords));
  if (!ok) throw new AppError('ORG_BOUNDARY_INVALID', { field: 'boundary' });
  return { type: g!.type, coordinates: g!.coordinates };
}
