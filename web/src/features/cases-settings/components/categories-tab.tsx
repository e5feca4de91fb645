import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseCategory, SlaSpec } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useCaseCategories } from '../../cases/hooks/use-cases';
import { useCreateCategory, useUpdateCategory } from '../hooks/use-cases-settings';
import {
  type CategoryNode,
  categoryTree,
  formToSla,
  type SlaForm,
  selfAndBelow,
  slaToForm,
} from '../utils/settings-utils';

type Mode = { kind: 'create'; parentId: number | null } | { kind: 'edit'; category: CaseCategory };

type Values = {
  code: string;
  parentId: number | null;
  nameZh: string;
  nameEn: string;
  description?: string;
  class: CaseCategory['class'];
  urgent: boolean;
  response: SlaForm;
  handle: SlaForm;
  verify: SlaForm;
  mergeRadiusM: number;
  mergeWindowHours: number;
  public: boolean;
  active: boolean;
  sort: number;
};

const UNITS = ['none', 'minutes', 'working_hours', 'working_days'] as const;
const CODE = /^[A-Za-z0-9_.-]{1,40}$/;

function useSlaText() {
  const { t } = useTranslation();
  return (sla: SlaSpec | null) =>
    sla ? t(`casesSettings.categories.unitAmount.${sla.unit}`, { amount: sla.amount }) : t('common.none');
}

function SlaField({ name, label }: { name: 'response' | 'handle' | 'verify'; label: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={label}>
      <Space.Compact>
        <Form.Item name={[name, 'amount']} noStyle>
          <InputNumber
            min={0.25}
            max={10000}
            step={1}
            style={{ width: 100 }}
            aria-label={`${label} ${t('casesSettings.categories.amount')}`}
          />
        </Form.Item>
        <Form.Item name={[name, 'unit']} noStyle>
          <Select
            style={{ width: 120 }}
            aria-label={`${label} ${t('casesSettings.categories.unit')}`}
            options={UNITS.map((u) => ({ value: u, label: t(`casesSettings.categories.units.${u}`) }))}
          />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  );
}

function CategoryModal({ mode, all, onClose }: { mode: Mode | null; all: CaseCategory[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateCategory();
  const update = useUpdateCategory();
  const editing = mode?.kind === 'edit' ? mode.category : null;

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode.kind === 'edit') {
      const c = mode.category;
      form.setFieldsValue({
        ...c,
        description: c.description ?? '',
        response: slaToForm(c.responseSla),
        handle: slaToForm(c.handleSla),
        verify: slaToForm(c.verifySla),
      });
    } else {
      form.setFieldsValue({
        parentId: mode.parentId,
        class: 'community',
        urgent: false,
        response: { amount: 2, unit: 'working_hours' },
        handle: { amount: 3, unit: 'working_days' },
        verify: { amount: 1, unit: 'working_days' },
        mergeRadiusM: 50,
        mergeWindowHours: 72,
        public: true,
        active: true,
        sort: 0,
      });
    }
  }, [mode, form]);

  const blocked = useMemo(() => (editing ? selfAndBelow(all, editing.id) : new Set<number>()), [all, editing]);
  const treeData = useMemo(() => {
    const toTree = (nodes: CategoryNode[]): object[] =>
      nodes.map((n) => ({
        value: n.id,
        title: `${n.name}（${n.code}）`,
        disabled: blocked.has(n.id),
        ...(n.children ? { children: toTree(n.children) } : {}),
      }));
    return toTree(categoryTree(all));
  }, [all, blocked]);

  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    const body = {
      parentId: v.parentId ?? null,
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim(),
      description: v.description?.trim() ? v.description.trim() : null,
      class: v.class,
      urgent: v.urgent,
      responseSla: formToSla(v.response),
      handleSla: formToSla(v.handle),
      verifySla: formToSla(v.verify),
      mergeRadiusM: v.mergeRadiusM,
      mergeWindowHours: v.mergeWindowHours,
      public: v.public,
      active: v.active,
      sort: v.sort,
    };
    try {
      if (editing) await update.mutateAsync({ id: editing.id, body });
      else await create.mutateAsync({ ...body, code: v.code.trim() });
      message.success(t('common.saved'));
      onClose();
    } catch (e) {
      const known = ['code', 'parentId', 'nameZh', 'nameEn', 'description', 'mergeRadiusM', 'mergeWindowHours', 'sort'];
      if (!showFieldError(form, e, known)) message.error(e instanceof Error ? e.message : t('errors.unknown'));
    }
  };

  return (
    <Modal
      open={mode !== null}
      title={
        editing
          ? t('casesSettings.categories.editTitle', { name: editing.name })
          : t('casesSettings.categories.createTitle')
      }
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      width={720}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="code"
              label={t('casesSettings.categories.code')}
              extra={t('casesSettings.categories.codeHint')}
              rules={[{ required: !editing, pattern: CODE, message: t('casesSettings.categories.codeRule') }]}
            >
              <Input disabled={!!editing} maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="parentId" label={t('casesSettings.categories.parent')}>
              <TreeSelect
                allowClear
                treeData={treeData}
                treeDefaultExpandAll
                placeholder={t('casesSettings.categories.root')}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="nameZh" label={t('casesSettings.categories.nameZh')} rules={[{ required: true, max: 40 }]}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="nameEn" label={t('casesSettings.categories.nameEn')} rules={[{ required: true, max: 80 }]}>
              <Input maxLength={80} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="description" label={t('casesSettings.categories.description')} rules={[{ max: 500 }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="class" label={t('casesSettings.categories.class')}>
              <Select
                options={(['community', 'event', 'component'] as const).map((c) => ({
                  value: c,
                  label: t(`casesSettings.categories.classes.${c}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="urgent" label={t('casesSettings.categories.urgent')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="sort" label={t('casesSettings.categories.sort')}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <SlaField name="response" label={t('casesSettings.categories.responseSla')} />
          </Col>
          <Col span={8}>
            <SlaField name="handle" label={t('casesSettings.categories.handleSla')} />
          </Col>
          <Col span={8}>
            <SlaField name="verify" label={t('casesSettings.categories.verifySla')} />
          </Col>
          <Col span={8}>
            <Form.Item name="mergeRadiusM" label={t('casesSettings.categories.mergeRadius')}>
              <InputNumber min={0} max={5000} style={{ width: '100%' }} addonAfter="m" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="mergeWindowHours" label={t('casesSettings.categories.mergeWindow')}>
              <InputNumber min={0} max={2160} style={{ width: '100%' }} addonAfter="h" />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="public" label={t('casesSettings.categories.public')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="active" label={t('casesSettings.categories.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text type="secondary">{t('casesSettings.categories.slaHint')}</Typography.Text>
      </Form>
    </Modal>
  );
}

/** 分类与时限: the category tree with each category's response, handling and verification deadlines. */
export function CategoriesTab() {
  const { t } = useTranslation();
  const categories = useCaseCategories();
  const [mode, setMode] = useState<Mode | null>(null);
  const slaText = useSlaText();
  const all = categories.data ?? [];
  const tree = useMemo(() => categoryTree(all), [all]);
  // Every branch open unless the reader folded it (the tree arrives after the first render).
  const [folded, setFolded] = useState<ReadonlySet<number>>(new Set());
  const expanded = all.filter((c) => !folded.has(c.id)).map((c) => c.id);

  const columns: ColumnsType<CategoryNode> = [
    {
      title: t('casesSettings.categories.name'),
      dataIndex: 'name',
      render: (name: string, c) => (
        <Space size={4}>
          <span>{name}</span>
          {c.urgent && <Tag color="red">{t('casesSettings.categories.urgent')}</Tag>}
          {!c.active && <Tag>{t('casesSettings.categories.inactive')}</Tag>}
          {!c.public && <Tag color="purple">{t('casesSettings.categories.internal')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('casesSettings.categories.code'),
      dataIndex: 'code',
      width: 150,
      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
    },
    {
      title: t('casesSettings.categories.class'),
      dataIndex: 'class',
      width: 110,
      render: (c: CaseCategory['class']) => t(`casesSettings.categories.classes.${c}`),
    },
    { title: t('casesSettings.categories.responseSla'), dataIndex: 'responseSla', width: 120, render: slaText },
    { title: t('casesSettings.categories.handleSla'), dataIndex: 'handleSla', width: 120, render: slaText },
    { title: t('casesSettings.categories.verifySla'), dataIndex: 'verifySla', width: 120, render: slaText },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_, c) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setMode({ kind: 'edit', category: c })}>
            {t('common.edit')}
          </Button>
          <Button type="link" size="small" onClick={() => setMode({ kind: 'create', parentId: c.id })}>
            {t('casesSettings.categories.addChild')}
          </Button>
        </Space>
      ),
    },
  ];

  if (categories.isError) return <Alert type="error" message={categories.error.message} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setMode({ kind: 'create', parentId: null })}>
          {t('casesSettings.categories.create')}
        </Button>
        <Typography.Text type="secondary">{t('casesSettings.categories.hint')}</Typography.Text>
      </Space>
      <Table<CategoryNode>
        rowKey="id"
        size="small"
        loading={categories.isLoading}
        columns={columns}
        dataSource={tree}
        pagination={false}
        expandable={{
          expandedRowKeys: expanded,
          onExpand: (open, c) =>
            setFolded((f) => {
              const next = new Set(f);
              if (open) next.delete(c.id);
              else next.add(c.id);
              return next;
            }),
        }}
        data-testid="categories-table"
      />
      <CategoryModal mode={mode} all={all} onClose={() => setMode(null)} />
    </Space>
  );
}
