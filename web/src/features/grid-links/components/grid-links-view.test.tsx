import type { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Me } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import type { GridLink, GridLinkGapPage, GridLinkPage, GridLinkTree } from '../api/grid-links-api';
import { gridLinkKeys } from '../hooks/use-grid-links';
import { GapsList, GridLinksView, LinksTree } from './grid-links-view';

const manager = {
  permissions: ['visits.read', 'visits.do', 'visits.manage', 'people.read'],
  modules: ['visits', 'people'],
  posts: [{ nodeId: 3 }],
} as unknown as Me;
const reader = { ...manager, permissions: ['visits.read', 'visits.do'] } as unknown as Me;

const link = (over: Partial<GridLink>): GridLink => ({
  id: 1,
  kind: 'party_household',
  communityId: 3,
  communityName: '东关社区',
  userId: 20,
  userName: '王党员',
  residentId: null,
  nodeId: null,
  householdId: 301,
  targetLabel: '1号楼 1单元 0101 张*明户',
  validFrom: '2026-01-01',
  validTo: null,
  active: true,
  note: '党员联户',
  createdAt: '2026-01-01T00:00:00.000Z',
  endedAt: null,
  ...over,
});

const page: GridLinkPage = {
  items: [
    link({}),
    link({
      id: 2,
      kind: 'leader_building',
      userId: 21,
      userName: '赵楼长',
      householdId: null,
      nodeId: 9,
      targetLabel: '1号楼',
    }),
    link({ id: 3, active: false, endedAt: '2026-03-01T00:00:00.000Z', targetLabel: '1号楼 1单元 0102 李*英户' }),
  ],
  total: 3,
};
const tree: GridLinkTree = {
  nodeId: 3,
  linkers: [
    { userId: 20, userName: '王党员', kinds: ['party_household'], links: [page.items[0]!], households: 12 },
    { userId: 21, userName: '赵楼长', kinds: ['leader_building'], links: [page.items[1]!], households: 24 },
  ],
};
const gaps: GridLinkGapPage = {
  items: [{ householdId: 305, headName: '钱*', placeLabel: '2号楼 1单元 0301', members: 3 }],
  total: 1,
};

const fill = (c: QueryClient) => {
  c.setQueryData(
    gridLinkKeys.list({ nodeId: null, kind: null, userId: null, activeOnly: true, page: 1, pageSize: 20 }),
    page,
  );
  c.setQueryData(gridLinkKeys.tree(null), tree);
  c.setQueryData(gridLinkKeys.gaps(null, false, 1), gaps);
};

failOnRenderWarnings();

describe('GridLinksView', () => {
  it('lists the links with kind, target, validity and status; a manager may create, change and end', () => {
    const html = renderView(manager, <GridLinksView />, fill);
    expect(html).toContain('联系列表');
    expect(html).toContain('王党员');
    expect(html).toContain('1号楼 1单元 0101 张*明户');
    expect(html).toContain('党员联户');
    expect(html).toContain('楼长联楼');
    expect(html).toContain('2026-01-01 ~ 长期');
    expect(html).toContain('生效中');
    expect(html).toContain('已结束');
    expect(html).toContain('data-testid="grid-link-create"');
    expect(html).toContain('data-testid="grid-link-change-1"');
    expect(html).toContain('data-testid="grid-link-end-2"');
    // an ended link offers no more changes
    expect(html).not.toContain('data-testid="grid-link-end-3"');
  });

  it('a reader without visits.manage sees the links but no buttons to change them', () => {
    const html = renderView(reader, <GridLinksView />, fill);
    expect(html).toContain('1号楼 1单元 0101 张*明户');
    expect(html).not.toContain('data-testid="grid-link-create"');
    expect(html).not.toContain('data-testid="grid-link-end-1"');
  });

  it('shows the tree: each linker with their kinds, household count and targets', () => {
    const html = renderView(manager, <LinksTree nodeId={null} />, fill);
    expect(html).toContain('data-testid="grid-links-tree"');
    expect(html).toContain('王党员');
    expect(html).toContain('联系 12 户');
    expect(html).toContain('联系 24 户');
    expect(html).toContain('1号楼 1单元 0101 张*明户');
  });

  it('lists the households nobody is linked to', () => {
    const html = renderView(manager, <GapsList nodeId={null} />, fill);
    expect(html).toContain('以下 1 户既无党员联系，也无楼长联系。');
    expect(html).toContain('2号楼 1单元 0301');
    expect(html).toContain('钱*');
  });
});
