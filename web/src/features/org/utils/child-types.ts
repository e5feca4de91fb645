import type { NodeType } from '../../../api-types';
import { CHILD_TYPES, NODE_TYPES } from '../../../roles';

export function childTypesOf(type: NodeType): readonly NodeType[] {
  return CHILD_TYPES[type];
}

/** The types a node of `type` may be moved under. */
export function parentTypesOf(type: NodeType): NodeType[] {
  return NODE_TYPES.filter((parent) => CHILD_TYPES[parent].includes(type));
}

/** A county's code is its 6-digit GB/T 2260 division code; other codes are free text checked by the server. */
export function isCodeRequired(type: NodeType): boolean {
  return type === 'county';
}

export const COUNTY_CODE = /^\d{6}$/;
/** What the server accepts for any code (org.schemas.ts `Code`). */
export const NODE_CODE = /^[0-9A-Za-z_-]+$/;

/** Parses the boundary textarea: '' is no boundary; anything else must be a JSON object. */
export function parseBoundary(text: string | undefined): { ok: true; value: object | null } | { ok: false } {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { ok: true, value: null };
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
}
