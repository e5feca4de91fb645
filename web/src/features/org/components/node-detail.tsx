import { DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgNodeDetail } from '../../../api-types';
import { nodeTypeLabel } from '../../../ui/labels';
import { formatTime } from '../../../ui/time';
import { childTypesOf, parentTypesOf } from '../utils/child-types';

type Props = {
  node: OrgNodeDetail;
  canWrite: boolean;
  onSelect: (id: number) => void;
  onAddChild: () => void;
  onEdit: () => void;
  onMove: () => void;
  onRetire: () => void;
};

export function NodeDetail({ node, canWrite, onSelect, onAddChild, onEdit, onMove, onRetire }: Props) {
  const { t } = useTranslation();
  const isActive = node.status === 'active';
  const canHaveChildren = childTypesOf(node.type).length > 0;
  const canMove = parentTypesOf(node.type).length > 0 && node.parentId !== null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="node-detail">
      <Breadcrumb
        items={[
          ...node.ancestors.map((a) => ({
            key: a.id,
            title: <Typography.Link onClick={() => onSelect(a.id)}>{a.name}</Typography.Link>,
          })),
          { key: node.id, title: node.name },
        ]}
      />
      <Space align="center" wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {node.name}
        </Typography.Title>
        <Tag color="geekblue">{nodeTypeLabel(t, node.type)}</Tag>
        <Tag color={isActive ? 'green' : 'default'}>{isActive ? t('org.statusActive') : t('org.statusRetired')}</Tag>
      </Space>
      {canWrite && isActive ? (
        <Space wrap>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={onAddChild}
            disabled={!canHaveChildren}
            title={canHaveChildren ? undefined : t('org.noChildTypes')}
          >
            {t('org.addChild')}
          </Button>
          <Button icon={<EditOutlined />} onClick={onEdit}>
            {t('common.edit')}
          </Button>
          {canMove ? (
            <Button icon={<DragOutlined />} onClick={onMove}>
              {t('org.move')}
            </Button>
          ) : null}
          <Button danger icon={<DeleteOutlined />} onClick={onRetire}>
            {t('org.retire')}
          </Button>
        </Space>
      ) : null}
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 2 }}
        items={[
          { key: 'type', label: t('org.type'), children: nodeTypeLabel(t, node.type) },
          { key: 'code', label: t('org.code'), children: node.code ?? t('common.none') },
          {
            key: 'path',
            label: t('org.path'),
            span: 'filled',
            children: [...node.ancestors.map((a) => a.name), node.name].join(' / '),
          },
          {
            key: 'status',
            label: t('org.status'),
            children: isActive ? t('org.statusActive') : t('org.statusRetired'),
          },
          { key: 'childCount', label: t('org.childCount'), children: node.childCount },
          {
            key: 'boundary',
            label: t('org.boundary'),
            children: node.boundary ? t('org.hasBoundary') : t('org.noBoundary'),
          },
          { key: 'id', label: 'ID', children: node.id },
          { key: 'createdAt', label: t('org.createdAt'), children: formatTime(node.createdAt) },
          { key: 'updatedAt', label: t('org.updatedAt'), children: formatTime(node.updatedAt) },
        ]}
      />
    </Space>
  );
}
