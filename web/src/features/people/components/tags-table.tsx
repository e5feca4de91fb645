import { DeleteOutlined, EditOutlined, LockOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, Tag as AntTag, App, Button, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tag } from '../../../api-types';
import { useTags } from '../hooks/use-people';
import { useDeleteTag, useRefreshTags } from '../hooks/use-tag-dictionary';
import { describeRule } from '../utils/labels';
import { tagColor } from '../utils/tag-style';
import { TagFormModal, type TagFormMode } from './tag-form-modal';

type Row = Tag & { children?: Row[] };

/** The dictionary as a tree: top-level tags with their children. */
function toTree(tags: readonly Tag[]): Row[] {
  const ids = new Set(tags.map((tag) => tag.id));
  const childrenOf = (id: number): Row[] => tags.filter((tag) => tag.parentId === id).map((tag) => withChildren(tag));
  const withChildren = (tag: Tag): Row => {
    const children = childrenOf(tag.id);
    return children.length > 0 ? { ...tag, children } : { ...tag };
  };
  return tags.filter((tag) => tag.parentId === null || !ids.has(tag.parentId)).map(withChildren);
}

/** The tag dictionary for system administrators: add, edit, delete, recompute derived tags. */
export function TagsTable() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const tags = useTags();
  const remove = useDeleteTag();
  const refresh = useRefreshTags();
  const [mode, setMode] = useState<TagFormMode | null>(null);
  const all = tags.data?.items ?? [];

  const fail = (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown'));

  const confirmDelete = (tag: Tag) =>
    modal.confirm({
      title: t('tags.deleteTitle', { name: tag.name }),
      content: tag.rule ? t('tags.deleteDerivedContent') : t('tags.deleteContent'),
      okText: t('tags.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => remove.mutateAsync(tag.id).then(() => message.success(t('tags.deleted')), fail),
    });

  const confirmRefresh = () =>
    modal.confirm({
      title: t('tags.refresh'),
      content: t('tags.refreshContent'),
      okText: t('tags.refresh'),
      cancelText: t('common.cancel'),
      onOk: () =>
        refresh
          .mutateAsync()
          .then((r) => message.success(t('tags.refreshed', { added: r.added, removed: r.removed })), fail),
    });

  const columns: ColumnsType<Row> = [
    {
      title: t('tags.name'),
      dataIndex: 'name',
      render: (name: string, tag) => (
        <AntTag color={tagColor(tag.code).preset} icon={tag.sensitive ? <LockOutlined /> : undefined}>
          {name}
        </AntTag>
      ),
    },
    {
      title: t('tags.code'),
      dataIndex: 'code',
      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
    },
    {
      title: t('tags.sensitive'),
      dataIndex: 'sensitive',
      width: 90,
      render: (v: boolean) => (v ? <AntTag color="red">{t('common.yes')}</AntTag> : t('common.no')),
    },
    {
      title: t('tags.rule'),
      dataIndex: 'rule',
      render: (rule: Tag['rule']) =>
        rule ? (
          <Space size={4}>
            <SyncOutlined style={{ color: '#1677ff' }} />
            <span data-testid="tag-rule">{describeRule(t, rule)}</span>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('tags.manual')}</Typography.Text>
        ),
    },
    {
      title: t('tags.holders'),
      dataIndex: 'holders',
      width: 100,
      align: 'right',
      render: (v: number | null) => v ?? t('common.none'),
    },
    { title: t('tags.description'), dataIndex: 'description', ellipsis: true, render: (v: string | null) => v ?? '' },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, tag) => (
        <Space size={0}>
          <Button
            type="link"
            size="small"
            icon={<EditOutlined />}
            aria-label={t('common.edit')}
            onClick={() => setMode({ kind: 'edit', tag })}
          />
          <Button
            type="link"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('tags.delete')}
            onClick={() => confirmDelete(tag)}
          />
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="linli-toolbar">
        <Typography.Text type="secondary">{t('tags.intro')}</Typography.Text>
        <Space>
          <Button icon={<SyncOutlined />} loading={refresh.isPending} onClick={confirmRefresh}>
            {t('tags.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setMode({ kind: 'create' })}>
            {t('tags.create')}
          </Button>
        </Space>
      </div>
      {tags.isError ? <Alert type="error" showIcon title={tags.error.message} /> : null}
      <Table<Row>
        // remounted once the dictionary arrives, so that every branch starts open
        key={tags.isSuccess ? 'loaded' : 'loading'}
        rowKey="id"
        size="middle"
        loading={tags.isFetching}
        columns={columns}
        dataSource={toTree(all)}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        scroll={{ x: 960 }}
        data-testid="tags-table"
      />
      <TagFormModal mode={mode} tags={all} onClose={() => setMode(null)} />
    </Space>
  );
}
