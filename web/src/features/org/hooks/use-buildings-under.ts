import { useQuery } from '@tanstack/react-query';
import type { OrgNode } from '../../../api-types';
import { orgApi } from '../api/org-api';

/**
 * The buildings at or under a grid, micro-grid or building (a grid holds buildings directly or through its
 * micro-grids), in tree order; for the grid worker's and building leader's phone home.
 */
export function useBuildingsUnder(nodeId: number | null, nodeType: string | null) {
  return useQuery({
    queryKey: ['org', 'buildings-under', nodeId],
    enabled: nodeId !== null,
    queryFn: async ({ signal }): Promise<Pick<OrgNode, 'id' | 'name'>[]> => {
      if (nodeId === null) return [];
      if (nodeType === 'building') {
        const node = await orgApi.node(nodeId, signal);
        return [{ id: node.id, name: node.name }];
      }
      const found: Pick<OrgNode, 'id' | 'name'>[] = [];
      let level = [nodeId];
      // grid → micro-grid → building: at most two levels down
      for (let depth = 0; depth < 2 && level.length > 0; depth++) {
        const next: number[] = [];
        for (const id of level) {
          const children = await orgApi.children(id, false, signal);
          for (const child of children.items) {
            if (child.type === 'building') found.push({ id: child.id, name: child.name });
            else if (child.type === 'micro_grid') next.push(child.id);
          }
        }
        level = next;
      }
      return found;
    },
  });
}
