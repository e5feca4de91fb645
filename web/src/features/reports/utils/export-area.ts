import type { Me } from '../../../api-types';
import { ROLE_PERMISSIONS } from '../../../roles';

/** Where the caller's exports reach: the nodes of their posts that export reports, or everywhere. */
export function exportArea(me: Pick<Me, 'posts'> | undefined, everywhere: string): string {
  const posts = (me?.posts ?? []).filter((p) =>
    (ROLE_PERMISSIONS[p.role] as readonly string[]).includes('reports.export'),
  );
  if (posts.length === 0 || posts.some((p) => p.nodeId === null)) return everywhere;
  return [...new Set(posts.map((p) => p.nodeName ?? ''))].join('、');
}
