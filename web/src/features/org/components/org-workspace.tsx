import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Space, Spin, Switch, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgNodeDetail } from '../../../api-types';
import { orgApi } from '../api/org-api';
import { orgKeys, useOrgNode, useOrgRoots, useRetireOrgNode } from '../hooks/use-org';
import { MoveNodeModal } from './move-node-modal';
import { NodeDetail } from './node-detail';
import { NodeFormModal, type NodeFormMode } from './node-form-modal';
import { OrgTree } from './org-tree';

type Props = {
  canWrite: boolean;
  canCreateRoot: boolean;
  selectedId: number | null;
  onSelect: (id: number | null) => void;
};

/** Tree on the left, the selected node and its actions on the right. */
export function OrgWorkspace({ canWrite, canCreateRoot, selectedId, onSelect }: Props) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [includeRetired, setIncludeRetired] = useState(false);
  const [expandedIds, setExpandedIds] = useState<number[]>([]);
  const [formMode, setFormMode] = useState<NodeFormMode | null>(null);
  const [moving, setMoving] = useState<OrgNodeDetail | null>(null);
  const roots = useOrgRoots();
  const detail = useOrgNode(selectedId);
  const retire = useRetireOrgNode();

  /** Opens the tree down to a node, from the first ancestor the user can see as a root. */
  const reveal = (node: OrgNodeDetail) => {
    const rootIds = new Set((roots.data?.items ?? []).map((r) => r.id));
    const path = [...node.ancestors.map((a) => a.id), node.id];
    const from = path.findIndex((id) => rootIds.has(id));
    if (from < 0) return;
    const open = path.slice(from, node.childCount > 0 ? path.length : path.length - 1);
    setExpandedIds((current) => [...new Set([...current, ...open])]);
  };

  // a node opened from the address bar: unfold the tree down to it once
  const hasRevealedInitial = useRef(false);
  useEffect(() => {
    if (hasRevealedInitial.current || !detail.data || !roots.data) return;
    hasRevealedInitial.current = true;
    reveal(detail.data);
  });

  const select = (id: number) => {
    onSelect(id);
    void queryClient
      .ensureQueryData({ queryKey: orgKeys.node(id), queryFn: ({ signal }) => orgApi.node(id, signal) })
      .then(reveal, () => undefined);
  };

  const confirmRetire = (node: OrgNodeDetail) => {
    modal.confirm({
      title: t('org.retireTitle', { name: node.name }),
      content: t('org.retireContent'),
      okText: t('org.retire'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        retire.mutateAsync(node.id).then(
          () => {
            message.success(t('org.retired'));
            if (!includeRetired && node.parentId !== null) onSelect(node.parentId);
          },
          (error: unknown) => {
            message.error(error instanceof Error ? error.message : t('errors.unknown'));
          },
        ),
    });
  };

  return (
    <div className="linli-org">
      <Card
        className="linli-org-tree"
        title={t('org.title')}
        size="small"
        extra={
          <Space>
            <Switch size="small" checked={includeRetired} onChange={setIncludeRetired} id="show-retired" />
            <label htmlFor="show-retired">
              <Typography.Text type="secondary">{t('org.showRetired')}</Typography.Text>
            </label>
            {canCreateRoot ? (
              <Button
                size="small"
                type="text"
                icon={<PlusOutlined />}
                aria-label={t('org.addRoot')}
                title={t('org.addRoot')}
                onClick={() => setFormMode({ kind: 'root' })}
              />
            ) : null}
            <Button
              size="small"
              type="text"
              icon={<ReloadOutlined />}
              aria-label={t('common.refresh')}
              onClick={() => queryClient.invalidateQueries({ queryKey: orgKeys.all })}
            />
          </Space>
        }
      >
        {roots.isError ? (
          <Alert type="error" showIcon title={roots.error.message} />
        ) : (
          <OrgTree
            selectedId={selectedId}
            expandedIds={expandedIds}
            includeRetired={includeRetired}
            onSelect={select}
            onExpandedChange={setExpandedIds}
          />
        )}
      </Card>
      <Card className="linli-org-detail" size="small">
        {selectedId === null ? (
          <Empty description={t('org.selectNode')} style={{ margin: '64px 0' }} />
        ) : detail.isLoading ? (
          <Spin style={{ display: 'block', margin: '64px auto' }} />
        ) : detail.isError ? (
          <Alert type="error" showIcon title={detail.error.message} />
        ) : detail.data ? (
          <NodeDetail
            node={detail.data}
            canWrite={canWrite}
            onSelect={select}
            onAddChild={() => setFormMode({ kind: 'create', parent: detail.data })}
            onEdit={() => setFormMode({ kind: 'edit', node: detail.data })}
            onMove={() => setMoving(detail.data)}
            onRetire={() => confirmRetire(detail.data)}
          />
        ) : null}
      </Card>
      <NodeFormModal
        mode={formMode}
        onClose={() => setFormMode(null)}
        onSaved={(saved) => {
          if (formMode?.kind === 'create') {
            setExpandedIds((ids) => [...new Set([...ids, formMode.parent.id])]);
          }
          setFormMode(null);
          select(saved.id);
        }}
      />
      <MoveNodeModal
        node={moving}
        onClose={() => setMoving(null)}
        onMoved={(moved) => {
          setMoving(null);
          select(moved.id);
        }}
      />
    </div>
  );
}
