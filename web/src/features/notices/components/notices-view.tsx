import { DownloadOutlined, PictureOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoticeInput, NoticeSummary, NoticeView } from '../../../api-types';
import { showFieldError } from '../../../ui/form-errors';
import { formatTime } from '../../../ui/time';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import {
  type NoticeAction,
  uploadNoticeFiles,
  useExportReceipts,
  useNotice,
  useNoticeAction,
  useNoticeOptions,
  useNotices,
  useReceipts,
  useSaveNotice,
} from '../use-notices';
import { NoticeBody } from './notice-body';

const STATUS_COLORS: Record<NoticeSummary['status'], string> = {
  draft: 'default',
  submitted: 'orange',
  approved: 'blue',
  published: 'green',
  withdrawn: 'red',
};

type Tab = 'all' | 'toReview' | NoticeSummary['status'];

/** 信息发布: the notices of the caller's area, drafts, the review queue, receipts. */
export function NoticesView({ canWrite, canReview }: { canWrite: boolean; canReview: boolean }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('all');
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [editing, setEditing] = useState<NoticeView | 'new' | null>(null);
  const list = useNotices({
    page,
    pageSize: 20,
    ...(q ? { q } : {}),
    ...(tab === 'toReview' ? { toReview: '1' as const } : tab === 'all' ? {} : { status: tab }),
  });
  const columns: ColumnsType<NoticeSummary> = [
    {
      title: t('notices.title'),
      dataIndex: 'title',
      render: (v: string, r) => (
        <Space>
          <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(r.id)}>
            {v}
          </Button>
          {r.isImportant ? <Tag color="red">{t('notices.important')}</Tag> : null}
          {r.isPublic ? <Tag color="cyan">{t('notices.public')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('notices.category'), dataIndex: 'categoryLabel', width: 90 },
    {
      title: t('notices.target'),
      render: (_: unknown, r) => (
        <span>
          {r.nodeName}
          {r.tags.map((tg) => (
            <Tag key={tg.id} style={{ marginLeft: 4 }}>
              {tg.name}
            </Tag>
          ))}
        </span>
      ),
    },
    {
      title: t('notices.status'),
      dataIndex: 'status',
      width: 110,
      render: (s: NoticeSummary['status']) => <Tag color={STATUS_COLORS[s]}>{t(`notices.statuses.${s}`)}</Tag>,
    },
    {
      title: t('notices.receipts'),
      width: 160,
      render: (_: unknown, r) =>
        r.stats ? `${r.stats.read}/${r.stats.targeted}${r.isImportant ? ` · ✓${r.stats.confirmed}` : ''}` : '—',
    },
    { title: t('notices.author'), dataIndex: 'authorName', width: 110 },
    {
      title: t('notices.time'),
      width: 170,
      render: (_: unknown, r) => formatTime(r.publishedAt ?? r.publishAt ?? r.updatedAt),
    },
  ];
  return (
    <div data-testid="notices-view">
      <Space style={{ marginBottom: 12 }} wrap>
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            setTab(k as Tab);
            setPage(1);
          }}
          items={[
            { key: 'all', label: t('notices.tabs.all') },
            ...(canReview ? [{ key: 'toReview', label: t('notices.tabs.toReview') }] : []),
            ...(['draft', 'submitted', 'approved', 'published', 'withdrawn'] as const).map((s) => ({
              key: s,
              label: t(`notices.statuses.${s}`),
            })),
          ]}
        />
        <Input.Search allowClear placeholder={t('notices.search')} onSearch={(v) => setQ(v.trim())} />
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="notice-new">
            {t('notices.new')}
          </Button>
        ) : null}
      </Space>
      <Table
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
      />
      {open !== null ? (
        <NoticeDrawer
          id={open}
          onClose={() => setOpen(null)}
          onEdit={(n) => {
            setOpen(null);
            setEditing(n);
          }}
        />
      ) : null}
      {editing !== null ? (
        <NoticeEditor notice={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </div>
  );
}

type FormValues = {
  title: string;
  category: NoticeInput['category'];
  nodeId: number | null;
  tagIds: number[];
  body: string;
  isPublic: boolean;
  isImportant: boolean;
};

/** Writes or changes a draft: the body is HTML the server sanitizes; images are uploads placed in it. */
function NoticeEditor({ notice, onClose }: { notice: NoticeView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const options = useNoticeOptions();
  const save = useSaveNotice();
  const [fileIds, setFileIds] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const insertImage = async (file: File) => {
    setUploading(true);
    try {
      const [f] = await uploadNoticeFiles([file]);
      if (!f) return;
      if (f.kind === 'image') {
        form.setFieldValue('body', `${form.getFieldValue('body') ?? ''}\n<p><img src="${f.url}" alt=""></p>`);
      } else {
        setFileIds((ids) => [...ids, f.id]);
        message.success(t('notices.attached', { name: f.name }));
      }
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setUploading(false);
    }
  };
  const submit = async (v: FormValues) => {
    try {
      await save.mutateAsync({
        id: notice?.id ?? null,
        body: {
          title: v.title,
          category: v.category,
          nodeId: v.nodeId ?? 0,
          tagIds: v.tagIds ?? [],
          body: v.body,
          isPublic: v.isPublic ?? false,
          isImportant: v.isImportant ?? false,
          ...(fileIds.length > 0 ? { fileIds } : {}),
        },
      });
      message.success(t('notices.saved'));
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, ['title', 'category', 'nodeId', 'body'])) message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open
      width={760}
      title={notice ? t('notices.edit') : t('notices.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          notice
            ? {
                title: notice.title,
                category: notice.category,
                nodeId: notice.nodeId,
                tagIds: notice.tags.map((x) => x.id),
                body: notice.body,
                isPublic: notice.isPublic,
                isImportant: notice.isImportant,
              }
            : { category: 'announcement', tagIds: [], isPublic: false, isImportant: false, body: '' }
        }
      >
        <Form.Item name="title" label={t('notices.title')} rules={[{ required: true, max: 120 }]}>
          <Input maxLength={120} data-testid="notice-title" />
        </Form.Item>
        <Form.Item name="category" label={t('notices.category')} rules={[{ required: true }]}>
          <Radio.Group
            options={(options.data?.categories ?? []).map((c) => ({ value: c.code, label: c.label }))}
            optionType="button"
          />
        </Form.Item>
        <Form.Item name="nodeId" label={t('notices.area')} rules={[{ required: true }]} extra={t('notices.areaHelp')}>
          <NodeSearchSelect data-testid="notice-node" />
        </Form.Item>
        <Form.Item name="tagIds" label={t('notices.tags')} extra={t('notices.tagsHelp')}>
          <Select
            mode="multiple"
            allowClear
            options={(options.data?.tags ?? []).map((x) => ({ value: x.id, label: x.name }))}
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item
          name="body"
          label={
            <Space>
              {t('notices.body')}
              <Upload
                showUploadList={false}
                accept="image/*,application/pdf"
                beforeUpload={(file) => {
                  void insertImage(file);
                  return false;
                }}
              >
                <Button size="small" icon={<PictureOutlined />} loading={uploading}>
                  {t('notices.insertFile')}
                </Button>
              </Upload>
            </Space>
          }
          extra={t('notices.bodyHelp')}
          rules={[{ required: true }]}
        >
          <Input.TextArea rows={10} data-testid="notice-body" />
        </Form.Item>
        <Space>
          <Form.Item name="isImportant" valuePropName="checked" noStyle>
            <Checkbox>{t('notices.importantHelp')}</Checkbox>
          </Form.Item>
          <Form.Item name="isPublic" valuePropName="checked" noStyle>
            <Checkbox>{t('notices.publicHelp')}</Checkbox>
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** One notice: its body (sanitized by the server), the workflow's buttons, receipts. */
function NoticeDrawer({ id, onClose, onEdit }: { id: number; onClose: () => void; onEdit: (n: NoticeView) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notice = useNotice(id);
  const act = useNoticeAction();
  const [reasonFor, setReasonFor] = useState<'reject' | 'withdraw' | null>(null);
  const [reason, setReason] = useState('');
  const [publishAt, setPublishAt] = useState<Dayjs | null>(null);
  const n = notice.data;
  const run = async (action: NoticeAction, body?: Record<string, unknown>) => {
    try {
      await act.mutateAsync({ id, action, ...(body ? { body } : {}) });
      message.success(t(`notices.done.${action}`));
      await notice.refetch();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Drawer open width={820} onClose={onClose} title={n?.title ?? ''} data-testid="notice-drawer">
      {n ? (
        <>
          <Space style={{ marginBottom: 12 }} wrap>
            <Tag color={STATUS_COLORS[n.status]}>{t(`notices.statuses.${n.status}`)}</Tag>
            {n.can.edit ? <Button onClick={() => onEdit(n)}>{t('notices.edit')}</Button> : null}
            {n.can.submit ? (
              <Button type="primary" onClick={() => run('submit')} data-testid="notice-submit">
                {t('notices.submit')}
              </Button>
            ) : null}
            {n.can.review ? (
              <>
                <DatePicker
                  showTime
                  placeholder={t('notices.publishAt')}
                  value={publishAt}
                  onChange={(v) => setPublishAt(v)}
                />
                <Popconfirm
                  title={publishAt ? t('notices.approveAt') : t('notices.approveNow')}
                  onConfirm={() => run('approve', publishAt ? { publishAt: publishAt.toISOString() } : {})}
                >
                  <Button type="primary" data-testid="notice-approve">
                    {t('notices.approve')}
                  </Button>
                </Popconfirm>
                <Button danger onClick={() => setReasonFor('reject')}>
                  {t('notices.reject')}
                </Button>
              </>
            ) : null}
            {n.can.withdraw ? (
              <Button danger onClick={() => setReasonFor('withdraw')}>
                {t('notices.withdraw')}
              </Button>
            ) : null}
          </Space>
          <Tabs
            items={[
              {
                key: 'content',
                label: t('notices.content'),
                children: <NoticeContent notice={n} />,
              },
              ...(n.stats
                ? [{ key: 'receipts', label: t('notices.receipts'), children: <ReceiptsTab notice={n} /> }]
                : []),
            ]}
          />
          <Modal
            open={reasonFor !== null}
            title={reasonFor ? t(`notices.${reasonFor}`) : ''}
            onCancel={() => setReasonFor(null)}
            okButtonProps={{ disabled: reason.trim() === '' }}
            onOk={async () => {
              if (reasonFor) await run(reasonFor, { reason: reason.trim() });
              setReasonFor(null);
              setReason('');
            }}
          >
            <Input.TextArea
              rows={3}
              maxLength={500}
              value={reason}
              placeholder={t('notices.reason')}
              onChange={(e) => setReason(e.target.value)}
            />
          </Modal>
        </>
      ) : null}
    </Drawer>
  );
}

function NoticeContent({ notice: n }: { notice: NoticeView }) {
  const { t } = useTranslation();
  return (
    <>
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('notices.category')}>{n.categoryLabel}</Descriptions.Item>
        <Descriptions.Item label={t('notices.target')}>
          {n.nodeName}
          {n.tags.length > 0 ? ` · ${n.tags.map((x) => x.name).join('、')}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('notices.author')}>{n.authorName}</Descriptions.Item>
        <Descriptions.Item label={t('notices.reviewer')}>{n.reviewerName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('notices.publishAt')}>{formatTime(n.publishAt) || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('notices.publishedAt')}>{formatTime(n.publishedAt) || '—'}</Descriptions.Item>
        {n.rejectReason ? (
          <Descriptions.Item label={t('notices.rejectReason')} span={2}>
            <Typography.Text type="danger">{n.rejectReason}</Typography.Text>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <NoticeBody html={n.body} />
      {n.files.length > 0 ? (
        <ul>
          {n.files.map((f) => (
            <li key={f.id}>
              <a href={f.url} target="_blank" rel="noreferrer">
                {f.name}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function ReceiptsTab({ notice: n }: { notice: NoticeView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<'unconfirmed' | 'unread' | 'all'>(n.isImportant ? 'unconfirmed' : 'unread');
  const [page, setPage] = useState(1);
  const receipts = useReceipts(n.id, { filter, page, pageSize: 20 });
  const exp = useExportReceipts();
  const s = receipts.data?.stats ?? n.stats;
  return (
    <>
      <Space size="large" style={{ marginBottom: 12 }}>
        <Statistic title={t('notices.targeted')} value={s?.targeted ?? 0} />
        <Statistic title={t('notices.read')} value={s?.read ?? 0} />
        {n.isImportant ? <Statistic title={t('notices.confirmed')} value={s?.confirmed ?? 0} /> : null}
      </Space>
      <Space style={{ marginBottom: 12 }}>
        <Radio.Group
          value={filter}
          optionType="button"
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(1);
          }}
          options={[
            ...(n.isImportant ? [{ value: 'unconfirmed', label: t('notices.filters.unconfirmed') }] : []),
            { value: 'unread', label: t('notices.filters.unread') },
            { value: 'all', label: t('notices.filters.all') },
          ]}
        />
        <Button
          icon={<DownloadOutlined />}
          loading={exp.isPending}
          onClick={() => exp.mutate({ id: n.id, filter }, { onError: (e) => message.error(e.message) })}
        >
          {t('notices.export')}
        </Button>
      </Space>
      <Table
        rowKey="residentId"
        size="small"
        loading={receipts.isFetching}
        dataSource={receipts.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: receipts.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t('notices.name'), dataIndex: 'name' },
          { title: t('notices.place'), dataIndex: 'place' },
          { title: t('notices.readAt'), dataIndex: 'readAt', render: (v: string | null) => formatTime(v) || '—' },
          ...(n.isImportant
            ? [
                {
                  title: t('notices.confirmedAt'),
                  dataIndex: 'confirmedAt',
                  render: (v: string | null) => formatTime(v) || '—',
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
