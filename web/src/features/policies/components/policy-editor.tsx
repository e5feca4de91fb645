import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Drawer, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../ui/api';
import { formatTime } from '../../../ui/time';
import { useDebounced } from '../../../ui/use-debounced';
import type { LeafView, PolicyFieldsView, PolicyView } from '../policy-types';
import {
  usePolicies,
  usePolicyFields,
  usePolicyVersions,
  useSavePolicy,
  useSetPolicyStatus,
  validateRule,
} from '../use-policies';
import { type DraftRule, errorTarget, toDraft } from '../utils/rule-tree';
import { RuleBuilder, type RuleError } from './rule-builder';

const STATUS_COLORS = { draft: 'default', active: 'green', retired: 'red' } as const;

/** 政策管理 (/policies/manage): the policies, and a drawer to create or edit one with its rule and versions. */
export function PolicyEditorView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const policies = usePolicies();
  const fields = usePolicyFields();
  const setStatus = useSetPolicyStatus();
  const [editing, setEditing] = useState<PolicyView | 'new' | null>(null);

  const changeStatus = (p: PolicyView, status: 'active' | 'retired') =>
    setStatus.mutate(
      { id: p.id, status },
      {
        onSuccess: () => void message.success(t('policiesUi.common.saved')),
        onError: (e) => void message.error(e.message),
      },
    );

  const columns: ColumnsType<PolicyView> = [
    {
      title: t('policiesUi.editor.name'),
      dataIndex: 'name',
      render: (_: unknown, p) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{p.name}</Typography.Text>
          <Typography.Text type="secondary" code>
            {p.code}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('policiesUi.editor.legalRef'), dataIndex: 'legalRef', ellipsis: true },
    {
      title: t('policiesUi.editor.validity'),
      render: (_: unknown, p) => `${p.validFrom} ~ ${p.validTo ?? ''}`,
    },
    {
      title: t('policiesUi.editor.version'),
      render: (_: unknown, p) => t('policiesUi.editor.versionNo', { version: p.version }),
    },
    {
      title: t('policiesUi.editor.status'),
      dataIndex: 'status',
      render: (_: unknown, p) => (
        <Tag color={STATUS_COLORS[p.status]}>{t(`policiesUi.editor.statuses.${p.status}`)}</Tag>
      ),
    },
    {
      key: 'actions',
      render: (_: unknown, p) => (
        <Space size={4}>
          <Button size="small" onClick={() => setEditing(p)} data-testid={`edit-${p.code}`}>
            {t('policiesUi.editor.edit')}
          </Button>
          {p.status === 'draft' ? (
            <Button size="small" type="primary" ghost onClick={() => changeStatus(p, 'active')}>
              {t('policiesUi.editor.activate')}
            </Button>
          ) : null}
          {p.status === 'active' ? (
            <Button size="small" danger onClick={() => changeStatus(p, 'retired')}>
              {t('policiesUi.editor.retire')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('policiesUi.editor.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="policy-create">
          {t('policiesUi.editor.create')}
        </Button>
      </Space>
      {policies.isError ? (
        <Alert type="error" showIcon title={t('policiesUi.common.loadFailed', { message: policies.error.message })} />
      ) : null}
      <Table<PolicyView>
        rowKey="id"
        loading={policies.isLoading}
        dataSource={policies.data?.items ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('policiesUi.editor.noPolicies') }}
      />
      <Drawer
        open={editing !== null}
        size={920}
        destroyOnHidden
        title={editing === 'new' ? t('policiesUi.editor.create') : t('policiesUi.editor.edit')}
        onClose={() => setEditing(null)}
      >
        {editing !== null && fields.data ? (
          <PolicyForm
            policy={editing === 'new' ? null : editing}
            catalogue={fields.data}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Drawer>
    </Space>
  );
}

type FormValues = {
  code: string;
  name: string;
  legalRef: string;
  legalUrl?: string;
  description?: string;
  residentText?: string;
  handledBy?: string;
  validity: [Dayjs | null, Dayjs | null];
  note?: string;
};

/** The server's check of a rule, re-run (debounced) on every change. */
export function useRuleCheck(rule: DraftRule, code: string | undefined) {
  const debounced = useDebounced(rule, 400);
  const [state, setState] = useState<{ leaves: LeafView[] | null; error: RuleError | null; checking: boolean }>({
    leaves: null,
    error: null,
    checking: false,
  });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, checking: true }));
    validateRule(debounced, code).then(
      (result) => live && setState({ leaves: result.leaves, error: null, checking: false }),
      (error: unknown) => {
        if (!live) return;
        const target = isApiError(error) ? errorTarget(debounced, error.field) : null;
        setState({
          leaves: null,
          checking: false,
          error: { path: target?.path ?? '', part: target?.part ?? null, message: (error as Error).message },
        });
      },
    );
    return () => {
      live = false;
    };
  }, [debounced, code]);
  return state;
}

function PolicyForm({
  policy,
  catalogue,
  onDone,
}: {
  policy: PolicyView | null;
  catalogue: PolicyFieldsView;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const save = useSavePolicy();
  const [rule, setRule] = useState<DraftRule>(() => (policy ? toDraft(policy.rule) : { all: [] }));
  const code = Form.useWatch('code', form) as string | undefined;
  const check = useRuleCheck(rule, policy?.code ?? (code || undefined));
  const [saveError, setSaveError] = useState<RuleError | null>(null);
  const shownError = saveError ?? check.error;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const base = {
      name: v.name,
      legalRef: v.legalRef,
      legalUrl: v.legalUrl?.trim() ? v.legalUrl : null,
      description: v.description ?? '',
      residentText: v.residentText ?? '',
      handledBy: v.handledBy?.trim() ? v.handledBy : null,
      validFrom: (v.validity[0] ?? dayjs()).format('YYYY-MM-DD'),
      validTo: v.validity[1] ? v.validity[1].format('YYYY-MM-DD') : null,
      rule: rule as never,
      note: v.note?.trim() ? v.note : null,
    };
    setSaveError(null);
    save.mutate(
      { id: policy?.id ?? null, body: policy ? base : { code: v.code, ...base } },
      {
        onSuccess: () => {
          void message.success(t('policiesUi.common.saved'));
          onDone();
        },
        onError: (error) => {
          const target = isApiError(error) ? errorTarget(rule, error.field) : null;
          if (target) {
            setSaveError({ ...target, message: error.message });
            return;
          }
          const field = isApiError(error) ? error.field : undefined;
          const name = field === 'validFrom' || field === 'validTo' ? 'validity' : field;
          if (name && (form.getFieldsValue(true) as Record<string, unknown>)[name] !== undefined) {
            form.setFields([{ name: name as keyof FormValues, errors: [error.message] }]);
          } else {
            void message.error(error.message);
          }
        },
      },
    );
  };

  const required = [{ required: true, message: t('policiesUi.editor.required') }];
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{
          code: policy?.code ?? '',
          name: policy?.name ?? '',
          legalRef: policy?.legalRef ?? '',
          legalUrl: policy?.legalUrl ?? '',
          description: policy?.description ?? '',
          residentText: policy?.residentText ?? '',
          handledBy: policy?.handledBy ?? '',
          validity: [policy ? dayjs(policy.validFrom) : dayjs(), policy?.validTo ? dayjs(policy.validTo) : null],
        }}
      >
        <Space wrap style={{ width: '100%' }} align="start">
          <Form.Item
            name="code"
            label={t('policiesUi.editor.code')}
            rules={required}
            extra={t('policiesUi.editor.codeHint')}
          >
            <Input disabled={policy !== null} style={{ width: 220 }} data-testid="policy-code" />
          </Form.Item>
          <Form.Item name="name" label={t('policiesUi.editor.name')} rules={required}>
            <Input maxLength={60} style={{ width: 260 }} data-testid="policy-name" />
          </Form.Item>
          <Form.Item name="handledBy" label={t('policiesUi.editor.handledBy')}>
            <Input maxLength={60} style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Form.Item name="legalRef" label={t('policiesUi.editor.legalRef')} rules={required}>
          <Input maxLength={300} data-testid="policy-legal-ref" />
        </Form.Item>
        <Form.Item name="legalUrl" label={t('policiesUi.editor.legalUrl')}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="validity" label={t('policiesUi.editor.validity')} rules={required}>
          <DatePicker.RangePicker allowEmpty={[false, true]} />
        </Form.Item>
        <Form.Item name="description" label={t('policiesUi.editor.description')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="residentText" label={t('policiesUi.editor.residentText')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Typography.Title level={5}>{t('policiesUi.editor.rule')}</Typography.Title>
        <RuleBuilder
          value={rule}
          onChange={(next) => {
            setSaveError(null);
            setRule(next);
          }}
          catalogue={catalogue}
          error={shownError}
          leaves={check.leaves}
          checking={check.checking}
        />
        <Form.Item name="note" label={t('policiesUi.editor.note')} style={{ marginTop: 16 }}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
      <Space>
        <Button type="primary" loading={save.isPending} onClick={submit} data-testid="policy-save">
          {t('policiesUi.common.save')}
        </Button>
        <Button onClick={onDone}>{t('policiesUi.common.cancel')}</Button>
      </Space>
      {policy ? <VersionList policyId={policy.id} /> : null}
    </Space>
  );
}

function VersionList({ policyId }: { policyId: number }) {
  const { t } = useTranslation();
  const versions = usePolicyVersions(policyId);
  return (
    <div>
      <Typography.Title level={5}>{t('policiesUi.editor.versions')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={versions.isLoading}
        dataSource={versions.data?.items ?? []}
        columns={[
          {
            title: t('policiesUi.editor.version'),
            render: (_: unknown, v) => (
              <Space size={4}>
                {t('policiesUi.editor.versionNo', { version: v.version })}
                {v.current ? <Tag color="green">{t('policiesUi.editor.current')}</Tag> : null}
              </Space>
            ),
          },
          { title: t('policiesUi.editor.at'), render: (_: unknown, v) => formatTime(v.createdAt) },
          { title: t('policiesUi.editor.author'), render: (_: unknown, v) => v.createdByName ?? '—' },
          {
            title: t('policiesUi.editor.ruleText'),
            render: (_: unknown, v) => (
              <Space orientation="vertical" size={0}>
                {v.leaves.map((l) => (
                  <Typography.Text key={l.index}>{l.label}</Typography.Text>
                ))}
                {v.note ? <Typography.Text type="secondary">{v.note}</Typography.Text> : null}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
