import { describe, expect, it } from 'vitest';
import type { Post } from '../../../api-types';
import { exportArea } from './export-area';

const post = (role: Post['role'], nodeId: number | null, nodeName: string | null): Post => ({
  id: nodeId ?? 0,
  role,
  nodeId,
  nodeName,
  nodeType: null,
});

describe('exportArea', () => {
  it('names the nodes of the posts that export, not "all"', () => {
    expect(exportArea({ posts: [post('community_worker', 3, '东关社区')] }, '全部')).toBe('东关社区');
    expect(
      exportArea(
        {
          posts: [post('grid_worker', 7, '第一网格'), post('grid_worker', 8, '第二网格'), post('resident', 9, '1单元')],
        },
        '全部',
      ),
    ).toBe('第一网格、第二网格');
  });

  it('says everywhere for a system administrator, and for nobody at all', () => {
    expect(exportArea({ posts: [post('admin', null, null)] }, '全部')).toBe('全部');
    expect(exportArea(undefined, 'all')).toBe('all');
  });
});
