import type { TFunction } from 'i18next';
import type { NodeType, Post, Role } from '../api-types';

/** Every role, in the order the selects offer them. `satisfies` plus the check below keep it in step with the server. */
export const ROLES = [
  'admin',
  'street_admin',
  'community_worker',
  'grid_worker',
  'building_leader',
  'department',
  'resident',
  'volunteer',
  'partner',
  'merchant',
] as const satisfies readonly Role[];

export const NODE_TYPES = [
  'county',
  'street',
  'town',
  'community',
  'village',
  'grid',
  'micro_grid',
  'building',
  'unit',
] as const satisfies readonly NodeType[];

// Compile-time: a role or node type added on the server without being added here fails the web typecheck.
type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
export const rolesAreExhaustive: Exhaustive<Role, (typeof ROLES)[number]> = true;
export const nodeTypesAreExhaustive: Exhaustive<NodeType, (typeof NODE_TYPES)[number]> = true;

export function roleLabel(t: TFunction, role: Role): string {
  return t(`roles.${role}`);
}

export function nodeTypeLabel(t: TFunction, type: NodeType): string {
  return t(`nodeTypes.${type}`);
}

export function postLabel(t: TFunction, post: Pick<Post, 'role' | 'nodeName'>): string {
  return `${roleLabel(t, post.role)} · ${post.nodeName ?? t('post.global')}`;
}
