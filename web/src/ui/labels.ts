import type { TFunction } from 'i18next';
import type { NodeType, Post, Role } from '../api-types';

export { NODE_TYPES, ROLES } from '../roles';

export function roleLabel(t: TFunction, role: Role): string {
  return t(`roles.${role}`);
}

export function nodeTypeLabel(t: TFunction, type: NodeType): string {
  return t(`nodeTypes.${type}`);
}

export function postLabel(t: TFunction, post: Pick<Post, 'role' | 'nodeName'>): string {
  return `${roleLabel(t, post.role)} · ${post.nodeName ?? t('post.global')}`;
}
