import { Button, Empty, Select, Space, Switch, Table, Tabs, Tag, Tree } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getAccess } from '../../../access';
import { useMe } from '../../auth/hooks/use-auth';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import type { GridLink, LinkKind } from '../api/grid-links-api';
import { useGridLinkGaps, useGridLinks, useGridLinkTree } from '../hooks/use-grid-links';
import { CreateLinkModal, EndLinkModal, LINK_KINDS, LinkerPicker, ValidityModal } from './link-dialogs';

const KIND_COLORS: Record<LinkKind, string> = {
  party_household: 'red',
  cadre_group: 'blue',
  leader_building: 'orange',
};

/** 一网三联 (/visits/links): the links as a list, as a tree (linker → targets), and the households nobody reaches. */
export function GridLinksView() {
  const { t } = useTranslation();
  const me = useMe().data;
  const canManage = me ? getAccess(me).canManageVisits : false;
  const [tab, setTab] = useState('list');
  const [nodeId, setNodeId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <NodeSearchSelect
          value={nodeId}
          onChange={(v) => setNodeId(v)}
          allowClear
          placeholder={t('gridLinks.node')}
          style={{ width: 240 }}
          data-testid="grid-links-node"
        />
        {canManage && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="grid-link-create">
            {t('gridLinks.create')}
          </Button>
        )}
      </Space>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'list',
            label: t('gridLinks.tabs.list'),
            children: <LinksList nodeId={nodeId} canManage={canManage} />,
          },
          { key: 'tree', label: t('gridLinks.tabs.tree'), children: <LinksTree nodeId={nodeId} /> },
          { key: 'gaps', label: t('gridLinks.tabs.gaps'), children: <GapsList nodeId={nodeId} /> },
        ]}
      />
      <CreateLinkModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function KindTag({ kind }: { kind: LinkKind }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLORS[kind]}>{t(`gridLinks.kinds.${kind}`)}</Tag>;
}

function LinksList({ nodeId, canManage }: { nodeId: number | null; canManage: boolean }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<LinkKind | null>(null);
  const [userId, setUserId] = useState<number | null>(null);
  const [activeOnly, setActiveOnly] = useState(true);
  const [page, setPage] = useState(1);
  const [changing, setChanging] = useState<GridLink | null>(null);
  const [ending, setEnding] = useState<GridLink | null>(null);
  const links = useGridLinks({ nodeId, kind, userId, activeOnly, page, pageSize: 20 });
  const columns: ColumnsType<GridLink> = [
    { title: t('gridLinks.linker'), dataIndex: 'userName', key: 'user' },
    { title: t('gridLinks.kind'), dataIndex: 'kind', key: 'kind', render: (k: LinkKind) => <KindTag kind={k} /> },
    { title: t('gridLinks.target'), dataIndex: 'targetLabel', key: 'target' },
    { title: t('gridLinks.community'), dataIndex: 'communityName', key: 'community' },
    {
      title: t('gridLinks.validity'),
      key: 'validity',
      render: (_: unknown, l) => `${l.validFrom} ~ ${l.validTo ?? t('gridLinks.open')}`,
    },
    {
      title: t('gridLinks.status'),
      key: 'status',
      render: (_: unknown, l) =>
        l.endedAt ? (
          <Tag>{t('gridLinks.statusEnded')}</Tag>
        ) : l.active ? (
          <Tag color="green">{t('gridLinks.statusActive')}</Tag>
        ) : (
          <Tag color="default">{t('gridLinks.statusInactive')}</Tag>
        ),
    },
    { title: t('gridLinks.note'), dataIndex: 'note', key: 'note', render: (n: string | null) => n ?? '' },
    ...(canManage
      ? [
          {
            title: t('gridLinks.actions'),
            key: 'actions',
            render: (_: unknown, l: GridLink) =>
              l.endedAt ? null : (
                <Space>
                  <Button size="small" onClick={() => setChanging(l)} data-testid={`grid-link-change-${l.id}`}>
                    {t('gridLinks.changeValidity')}
                  </Button>
                  <Button size="small" danger onClick={() => setEnding(l)} data-testid={`grid-link-end-${l.id}`}>
                    {t('gridLinks.end')}
                  </Button>
                </Space>
              ),
          },
        ]
      : []),
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<LinkKind>
          allowClear
          placeholder={t('gridLinks.kind')}
          style={{ width: 160 }}
          value={kind ?? undefined}
          onChange={(v) => {
            setKind(v ?? null);
            setPage(1);
          }}
          options={LINK_KINDS.map((k) => ({ value: k, label: t(`gridLinks.kinds.${k}`) }))}
        />
        <LinkerPicker
          value={userId}
          onChange={(v) => {
            setUserId(v);
            setPage(1);
          }}
        />
        <Space>
          <Switch
            checked={activeOnly}
            onChange={(v) => {
              setActiveOnly(v);
              setPage(1);
            }}
          />
          {t('gridLinks.activeOnly')}
        </Space>
      </Space>
      <Table<GridLink>
        rowKey="id"
        size="middle"
        loading={links.isFetching}
        columns={columns}
        dataSource={links.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: links.data?.total ?? 0, onChange: setPage }}
        data-testid="grid-links-table"
      />
      <ValidityModal link={changing} onClose={() => setChanging(null)} />
      <EndLinkModal link={ending} onClose={() => setEnding(null)} />
    </>
  );
}

export function LinksTree({ nodeId }: { nodeId: number | null }) {
  const { t } = useTranslation();
  const tree = useGridLinkTree(nodeId);
  const linkers = tree.data?.linkers ?? [];
  if (!tree.isLoading && linkers.length === 0) return <Empty description={t('gridLinks.noLinks')} />;
  return (
    <Tree
      defaultExpandAll
      selectable={false}
      data-testid="grid-links-tree"
      treeData={linkers.map((l) => ({
        key: `u${l.userId}`,
        title: (
          <Space>
            <strong>{l.userName}</strong>
            {l.kinds.map((k) => (
              <KindTag key={k} kind={k} />
            ))}
            <span>{t('gridLinks.householdCount', { count: l.households })}</span>
          </Space>
        ),
        children: l.links.map((k) => ({ key: `l${k.id}`, title: k.targetLabel, isLeaf: true })),
      }))}
    />
  );
}

export function GapsList({ nodeId }: { nodeId: number | null }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const gaps = useGridLinkGaps(nodeId, false, page);
  return (
    <>
      <p>{t('gridLinks.gapsHint', { count: gaps.data?.total ?? 0 })}</p>
      <Table
        rowKey="householdId"
        size="middle"
        loading={gaps.isFetching}
        dataSource={gaps.data?.items ?? []}
        columns={[
          { title: t('gridLinks.place'), dataIndex: 'placeLabel', key: 'place' },
          { title: t('gridLinks.head'), dataIndex: 'headName', key: 'head', render: (n: string | null) => n ?? '' },
          { title: t('gridLinks.memberCount'), dataIndex: 'members', key: 'members' },
        ]}
        pagination={{ current: page, pageSize: 50, total: gaps.data?.total ?? 0, onChange: setPage }}
        data-testid="grid-links-gaps"
      />
    </>
  );
}
