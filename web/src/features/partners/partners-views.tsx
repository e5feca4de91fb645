import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Image,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NodeSearchSelect } from '../org/components/node-search-select';
import {
  ORG_STATUS_COLORS,
  type PartnerDelivery,
  type PartnerOrg,
  type PartnerProject,
  type PartnerProjectCreate,
  PROJECT_CATEGORIES,
} from './partner-types';
import {
  useCloseProject,
  useCreateProject,
  usePartnerDeliveries,
  usePartnerOrgs,
  usePartnerProject,
  usePartnerProjects,
  useReviewDelivery,
  useReviewOrg,
  useSuspendOrg,
} from './use-partners';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

/** The photos of a delivery (thumbnails; a click shows the whole photo). */
export function DeliveryPhotos({ files }: { files: PartnerDelivery['files'] }) {
  if (files.length === 0) return null;
  return (
    <Image.PreviewGroup>
      <Space wrap>
        {files.map((f) => (
          <Image
            key={f.id}
            width={64}
            height={64}
            style={{ objectFit: 'cover' }}
            src={`/api/files/${f.id}/thumb`}
            preview={{ src: `/api/files/${f.id}` }}
            alt={f.name}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** 合伙人: the area's organisations, applications first, with review and suspension. */
function OrgsTab({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const list = usePartnerOrgs({ status, page });
  const review = useReviewOrg();
  const suspend = useSuspendOrg();
  const columns: ColumnsType<PartnerOrg> = [
    { title: t('partners.orgName'), dataIndex: 'name', key: 'name' },
    { title: t('partners.kind'), key: 'kind', render: (_, r) => t(`partners.kinds.${r.kind}`) },
    { title: t('partners.creditCode'), dataIndex: 'creditCode', key: 'code' },
    { title: t('partners.contact'), key: 'contact', render: (_, r) => `${r.contactName ?? ''} ${r.phoneMasked ?? ''}` },
    { title: t('partners.area'), dataIndex: 'nodeName', key: 'node' },
    {
      title: t('partners.status'),
      key: 'status',
      render: (_, r) => <Tag color={ORG_STATUS_COLORS[r.status]}>{t(`partners.orgStatus.${r.status}`)}</Tag>,
    },
    { title: t('partners.claims'), dataIndex: 'claims', key: 'claims', align: 'right' },
    { title: t('partners.points'), dataIndex: 'pointsBalance', key: 'points', align: 'right' },
    {
      title: t('partners.actions'),
      key: 'actions',
      render: (_, r) =>
        canManage ? (
          <Space>
            {r.status === 'applied' || r.status === 'suspended' ? (
              <Button
                size="small"
                type="primary"
                data-testid={`org-approve-${r.id}`}
                onClick={() => review.mutate({ id: r.id, decision: 'approve' })}
              >
                {t('partners.approve')}
              </Button>
            ) : null}
            {r.status === 'applied' ? (
              <Button size="small" danger onClick={() => review.mutate({ id: r.id, decision: 'reject' })}>
                {t('partners.reject')}
              </Button>
            ) : null}
            {r.status === 'approved' ? (
              <Popconfirm title={t('partners.suspendConfirm')} onConfirm={() => suspend.mutate(r.id)}>
                <Button size="small">{t('partners.suspend')}</Button>
              </Popconfirm>
            ) : null}
          </Space>
        ) : null,
    },
  ];
  const error = list.error ?? review.error ?? suspend.error;
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('partners.status')}
          value={status}
          onChange={(s?: string) => {
            setStatus(s);
            setPage(1);
          }}
          options={(['applied', 'approved', 'rejected', 'suspended'] as const).map((s) => ({
            value: s,
            label: t(`partners.orgStatus.${s}`),
          }))}
        />
      </Space>
      {error ? <Alert type="error" showIcon message={error.message} style={{ marginBottom: 12 }} /> : null}
      <Table<PartnerOrg>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        locale={{ emptyText: <Empty description={t('partners.noOrgs')} /> }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
      />
    </>
  );
}

function ProjectClaims({ id }: { id: number }) {
  const { t } = useTranslation();
  const detail = usePartnerProject(id);
  if (detail.isLoading) return null;
  const claims = detail.data?.claims ?? [];
  if (claims.length === 0) return <Typography.Text type="secondary">{t('partners.noClaims')}</Typography.Text>;
  return (
    <Space direction="vertical">
      {claims.map((c) => (
        <div key={c.id}>
          <Typography.Text strong>{c.orgName}</Typography.Text> · {t(`partners.claimStatus.${c.status}`)} ·{' '}
          {day(c.claimedAt)}
          {c.plan ? <div>{c.plan}</div> : null}
        </div>
      ))}
    </Space>
  );
}

function NewProject({ open, onClose, nodeId }: { open: boolean; onClose: () => void; nodeId: number | null }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const create = useCreateProject();
  const submit = async () => {
    const v = (await form.validateFields()) as Omit<PartnerProjectCreate, 'closesOn'> & {
      closesOn?: { format(f: string): string };
    };
    await create.mutateAsync({
      title: v.title,
      category: v.category,
      nodeId: v.nodeId,
      ...(v.description ? { description: v.description } : {}),
      ...(v.maxClaims ? { maxClaims: v.maxClaims } : {}),
      ...(v.rewardPoints ? { rewardPoints: v.rewardPoints } : {}),
      ...(v.closesOn ? { closesOn: v.closesOn.format('YYYY-MM-DD') } : {}),
    });
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('partners.newProject')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={create.isPending}
    >
      {create.error ? <Alert type="error" showIcon message={create.error.message} /> : null}
      <Form form={form} layout="vertical" initialValues={{ nodeId: nodeId ?? undefined, maxClaims: 1 }}>
        <Form.Item name="title" label={t('partners.projectTitle')} rules={[{ required: true, max: 80 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="category" label={t('partners.category')} rules={[{ required: true }]}>
          <Select options={PROJECT_CATEGORIES.map((c) => ({ value: c, label: t(`partners.categories.${c}`) }))} />
        </Form.Item>
        <Form.Item name="nodeId" label={t('partners.nodeId')} rules={[{ required: true }]}>
          <NodeSearchSelect types={['community', 'village', 'grid', 'micro_grid']} />
        </Form.Item>
        <Form.Item name="description" label={t('partners.description')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Space>
          <Form.Item name="maxClaims" label={t('partners.maxClaims')}>
            <InputNumber min={1} max={100} />
          </Form.Item>
          <Form.Item name="rewardPoints" label={t('partners.rewardPoints')}>
            <InputNumber min={1} max={1000000} />
          </Form.Item>
          <Form.Item name="closesOn" label={t('partners.closesOn')}>
            <DatePicker />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** 项目: the area's projects, with their claims; publish and close. */
function ProjectsTab({ canManage, nodeId }: { canManage: boolean; nodeId: number | null }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const list = usePartnerProjects({ page });
  const close = useCloseProject();
  const columns: ColumnsType<PartnerProject> = [
    { title: t('partners.projectTitle'), dataIndex: 'title', key: 'title' },
    {
      title: t('partners.category'),
      key: 'cat',
      render: (_, r) => t(`partners.categories.${r.category as (typeof PROJECT_CATEGORIES)[number]}`),
    },
    { title: t('partners.area'), dataIndex: 'nodeName', key: 'node' },
    { title: t('partners.claimsOf'), key: 'claims', render: (_, r) => `${r.activeClaims} / ${r.maxClaims}` },
    { title: t('partners.rewardPoints'), key: 'reward', render: (_, r) => r.rewardPoints ?? '—' },
    {
      title: t('partners.status'),
      key: 'status',
      render: (_, r) => (
        <Tag color={r.status === 'open' ? 'success' : 'default'}>{t(`partners.projectStatus.${r.status}`)}</Tag>
      ),
    },
    {
      title: t('partners.actions'),
      key: 'actions',
      render: (_, r) =>
        canManage && r.status === 'open' ? (
          <Popconfirm title={t('partners.closeConfirm')} onConfirm={() => close.mutate(r.id)}>
            <Button size="small">{t('partners.close')}</Button>
          </Popconfirm>
        ) : null,
    },
  ];
  return (
    <>
      {canManage ? (
        <Button type="primary" style={{ marginBottom: 16 }} onClick={() => setCreating(true)} data-testid="project-new">
          {t('partners.newProject')}
        </Button>
      ) : null}
      {(list.error ?? close.error) ? (
        <Alert type="error" showIcon message={(list.error ?? close.error)!.message} style={{ marginBottom: 12 }} />
      ) : null}
      <Table<PartnerProject>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        expandable={{ expandedRowRender: (r) => <ProjectClaims id={r.id} /> }}
        locale={{ emptyText: <Empty description={t('partners.noProjects')} /> }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
      />
      <NewProject open={creating} onClose={() => setCreating(false)} nodeId={nodeId} />
    </>
  );
}

/** 成果: deliveries with photos; confirm (crediting the project's reward) or reject. */
function DeliveriesTab({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | undefined>('submitted');
  const [page, setPage] = useState(1);
  const list = usePartnerDeliveries({ status, page });
  const review = useReviewDelivery();
  const columns: ColumnsType<PartnerDelivery> = [
    { title: t('partners.orgName'), dataIndex: 'orgName', key: 'org' },
    { title: t('partners.projectTitle'), dataIndex: 'projectTitle', key: 'project' },
    { title: t('partners.deliveredOn'), dataIndex: 'deliveredOn', key: 'on' },
    { title: t('partners.summary'), dataIndex: 'summary', key: 'summary' },
    { title: t('partners.peopleServed'), dataIndex: 'peopleServed', key: 'people', align: 'right' },
    { title: t('partners.photos'), key: 'photos', render: (_, r) => <DeliveryPhotos files={r.files} /> },
    {
      title: t('partners.status'),
      key: 'status',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Tag>{t(`partners.deliveryStatus.${r.status}`)}</Tag>
          {r.rewardPoints ? <span>{t('partners.credited', { points: r.rewardPoints })}</span> : null}
        </Space>
      ),
    },
    {
      title: t('partners.actions'),
      key: 'actions',
      render: (_, r) =>
        canManage && r.status === 'submitted' ? (
          <Space>
            <Popconfirm
              title={t('partners.confirmConfirm')}
              onConfirm={() => review.mutate({ id: r.id, decision: 'confirm' })}
            >
              <Button size="small" type="primary" data-testid={`delivery-confirm-${r.id}`}>
                {t('partners.confirm')}
              </Button>
            </Popconfirm>
            <Button size="small" danger onClick={() => review.mutate({ id: r.id, decision: 'reject' })}>
              {t('partners.reject')}
            </Button>
          </Space>
        ) : null,
    },
  ];
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('partners.status')}
          value={status}
          onChange={(s?: string) => {
            setStatus(s);
            setPage(1);
          }}
          options={(['submitted', 'confirmed', 'rejected'] as const).map((s) => ({
            value: s,
            label: t(`partners.deliveryStatus.${s}`),
          }))}
        />
      </Space>
      {(list.error ?? review.error) ? (
        <Alert type="error" showIcon message={(list.error ?? review.error)!.message} style={{ marginBottom: 12 }} />
      ) : null}
      <Table<PartnerDelivery>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        locale={{ emptyText: <Empty description={t('partners.noDeliveries')} /> }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
      />
    </>
  );
}

/** 红色合伙人 (/volunteers/partners): 合伙人 · 项目 · 成果, and a link to the public notice. */
export function PartnersConsole({ canManage, nodeId }: { canManage: boolean; nodeId: number | null }) {
  const { t } = useTranslation();
  return (
    <Card
      title={t('partners.title')}
      data-testid="partners-console"
      extra={
        nodeId ? (
          <a href={`/notice/partners?node=${nodeId}`} target="_blank" rel="noreferrer">
            {t('partners.noticeLink')}
          </a>
        ) : null
      }
    >
      <Tabs
        items={[
          { key: 'orgs', label: t('partners.tabOrgs'), children: <OrgsTab canManage={canManage} /> },
          {
            key: 'projects',
            label: t('partners.tabProjects'),
            children: <ProjectsTab canManage={canManage} nodeId={nodeId} />,
          },
          { key: 'deliveries', label: t('partners.tabDeliveries'), children: <DeliveriesTab canManage={canManage} /> },
        ]}
      />
    </Card>
  );
}
