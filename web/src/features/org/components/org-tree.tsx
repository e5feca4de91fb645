import { useQueries, useQueryClient } from '@tanstack/react-query';
import { Empty, Spin, Tag, Tree, type TreeDataNode } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgNode } from '../../../api-types';
import { nodeTypeLabel } from '../../../ui/labels';
import { orgApi } from '../api/org-api';
import { orgKeys, useOrgRoots } from '../hooks/use-org';

type Props = {
  selectedId: number | null;
  expandedIds: number[];
  includeRetired: boolean;
  onSelect: (id: number) => void;
  onExpandedChange: (ids: number[]) => void;
};

type TreeNode = TreeDataNode & { key: number };

function NodeTitle({ node }: { node: OrgNode }) {
  const { t } = useTranslation();
  const isRetired = node.status === 'retired';
  return (
    <span className={isRetired ? 'linli-node linli-node-retired' : 'linli-node'} data-node-id={node.id}>
      <span className="linli-node-name">{node.name}</span>
      <Tag className="linli-node-type" color={isRetired ? 'default' : 'geekblue'} variant="filled">
        {nodeTypeLabel(t, node.type)}
      </Tag>
      {isRetired ? <Tag>{t('org.statusRetired')}</Tag> : null}
    </span>
  );
}

/**
 * The hierarchy as a lazily loaded tree: the children of every expanded node are a query of their own,
 * so any org change (which invalidates the org queries) refreshes exactly what is on screen.
 */
export function OrgTree({ selectedId, expandedIds, includeRetired, onSelect, onExpandedChange }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roots = useOrgRoots();
  const childLists = useQueries({
    queries: expandedIds.map((id) => ({
      queryKey: orgKeys.children(id, includeRetired),
      queryFn: ({ signal }: { signal: AbortSignal }) => orgApi.children(id, includeRetired, signal),
    })),
  });
  const childrenOf = new Map<number, OrgNode[]>();
  expandedIds.forEach((id, i) => {
    const items = childLists[i]?.data?.items;
    if (items) childrenOf.set(id, items);
  });

  const toTreeNode = (node: OrgNode): TreeNode => {
    const children = childrenOf.get(node.id);
    return {
      key: node.id,
      title: <NodeTitle node={node} />,
      isLeaf: node.childCount === 0 && !(children && children.length > 0),
      ...(children ? { children: children.map(toTreeNode) } : {}),
    };
  };

  if (roots.isLoading) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  const rootNodes = roots.data?.items ?? [];
  if (rootNodes.length === 0) return <Empty description={t('org.noRoots')} />;

  return (
    <Tree<TreeNode>
      blockNode
      showLine
      data-testid="org-tree"
      treeData={rootNodes.map(toTreeNode)}
      selectedKeys={selectedId === null ? [] : [selectedId]}
      expandedKeys={expandedIds}
      onSelect={(keys) => {
        const key = keys[0];
        if (typeof key === 'number') onSelect(key);
      }}
      onExpand={(keys) => onExpandedChange(keys.filter((k): k is number => typeof k === 'number'))}
      loadData={(node) =>
        queryClient
          .ensureQueryData({
            queryKey: orgKeys.children(node.key, includeRetired),
            queryFn: ({ signal }) => orgApi.children(node.key, includeRetired, signal),
          })
          .then(() => undefined)
      }
    />
  );
}
