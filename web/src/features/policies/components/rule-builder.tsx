import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleOp, Scalar } from '../../../../../server/src/modules/policies/rules.logic';
import type { FieldView, LeafView, PolicyFieldsView } from '../policy-types';
import { enumLabel, opLabel } from '../utils/labels';
import {
  addChild,
  childPath,
  childrenOf,
  type DraftField,
  type DraftPolicy,
  type DraftRule,
  type DraftTag,
  describeRule,
  type GroupKind,
  isGroup,
  moveAt,
  newGroup,
  newLeaf,
  nodeKind,
  removeAt,
  setGroupKind,
  updateAt,
  withField,
  withOp,
  wrapAt,
} from '../utils/rule-tree';

/** Where the server's last check put its error (already mapped to a node of the tree). */
export type RuleError = { path: string; part: string | null; message: string };

type Props = {
  value: DraftRule;
  onChange: (next: DraftRule) => void;
  catalogue: PolicyFieldsView;
  /** The server's error at a node, or null. */
  error: RuleError | null;
  /** The leaves the server read (labels by path), from the last successful check. */
  leaves: readonly LeafView[] | null;
  checking?: boolean;
};

/** The rule builder (条件构建): a tree of groups and leaves, a readable sentence, and a JSON view for experts. */
export function RuleBuilder({ value, onChange, catalogue, error, leaves, checking }: Props) {
  const { t } = useTranslation();
  const [json, setJson] = useState(() => JSON.stringify(value, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [tab, setTab] = useState('visual');
  useEffect(() => {
    if (tab !== 'json') setJson(JSON.stringify(value, null, 2));
  }, [value, tab]);

  const sentence = describeRule(value, {
    all: t('policiesUi.builder.all'),
    any: t('policiesUi.builder.any'),
    not: t('policiesUi.builder.not'),
    and: t('policiesUi.builder.and'),
    or: t('policiesUi.builder.or'),
    empty: t('policiesUi.builder.empty'),
    leaf: (leaf, path) => leaves?.find((l) => l.path === path)?.label ?? localLeafText(t, leaf, catalogue),
  });

  return (
    <div data-testid="rule-builder">
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'visual',
            label: t('policiesUi.builder.visual'),
            children: (
              <NodeEditor node={value} path="" root={value} onChange={onChange} catalogue={catalogue} error={error} />
            ),
          },
          {
            key: 'json',
            label: t('policiesUi.builder.json'),
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Input.TextArea
                  value={json}
                  rows={12}
                  style={{ fontFamily: 'monospace' }}
                  data-testid="rule-json"
                  onChange={(e) => {
                    setJson(e.target.value);
                    try {
                      const parsed = JSON.parse(e.target.value) as unknown;
                      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('{ }');
                      setJsonError(null);
                      onChange(parsed as DraftRule);
                    } catch (err) {
                      setJsonError((err as Error).message);
                    }
                  }}
                />
                {jsonError ? (
                  <Alert type="error" showIcon title={t('policiesUi.builder.jsonInvalid', { message: jsonError })} />
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <Space orientation="vertical" size={4} style={{ width: '100%', marginTop: 8 }}>
        <Typography.Text type="secondary">{t('policiesUi.builder.sentence')}</Typography.Text>
        <Typography.Paragraph data-testid="rule-sentence" style={{ marginBottom: 4 }}>
          {sentence}
        </Typography.Paragraph>
        {checking ? (
          <Typography.Text type="secondary">{t('policiesUi.builder.checking')}</Typography.Text>
        ) : error ? (
          <Alert type="error" showIcon title={error.message} data-testid="rule-error" />
        ) : leaves ? (
          <Typography.Text type="success" data-testid="rule-valid">
            {t('policiesUi.builder.valid', { count: leaves.length })}
          </Typography.Text>
        ) : null}
      </Space>
    </div>
  );
}

/** How a leaf reads before the server has labelled it ("年龄 大于等于 80"). */
export function localLeafText(
  t: TFunction,
  leaf: DraftField | DraftTag | DraftPolicy,
  catalogue: PolicyFieldsView,
): string {
  if ('tag' in leaf) {
    const name = catalogue.tags.find((x) => x.code === leaf.tag)?.name ?? leaf.tag;
    return t('policiesUi.builder.leafTag', { tag: name || '?' });
  }
  if ('policy' in leaf) {
    const name = catalogue.policies.find((x) => x.code === leaf.policy)?.name ?? leaf.policy;
    return t('policiesUi.builder.leafPolicy', {
      state: t(`policiesUi.builder.${leaf.state === 'receiving' ? 'receiving' : 'eligible'}`),
      policy: name || '?',
    });
  }
  const field = catalogue.fields.find((f) => f.code === leaf.field);
  if (!field || leaf.op === '') return `${field?.label ?? (leaf.field || '?')} ${t('policiesUi.builder.incomplete')}`;
  const show = (v: Scalar) => (field.type === 'enum' ? enumLabel(t, field.code, String(v)) : String(v));
  const value = leaf.value;
  const text =
    value === undefined
      ? ''
      : Array.isArray(value)
        ? leaf.op === 'between'
          ? value.map(show).join(' – ')
          : value.map(show).join('、')
        : typeof value === 'boolean'
          ? t(value ? 'policiesUi.common.yes' : 'policiesUi.common.no')
          : show(value);
  return `${field.label} ${opLabel(t, leaf.op)}${text ? ` ${text}` : ''}`;
}

type NodeProps = {
  node: DraftRule;
  path: string;
  root: DraftRule;
  onChange: (next: DraftRule) => void;
  catalogue: PolicyFieldsView;
  error: RuleError | null;
};

function NodeEditor({ node, path, root, onChange, catalogue, error }: NodeProps) {
  const { t } = useTranslation();
  const hasError = error !== null && error.path === path;
  const tools = path === '' ? null : <NodeTools path={path} root={root} onChange={onChange} />;
  if (isGroup(node)) {
    const kind = nodeKind(node) as GroupKind;
    const add = (child: DraftRule) => onChange(addChild(root, path, child));
    return (
      <Card
        size="small"
        data-testid={`rule-node-${path || 'root'}`}
        style={hasError ? { borderColor: '#ff4d4f' } : undefined}
        title={
          <Select<GroupKind>
            size="small"
            value={kind}
            style={{ width: 130 }}
            aria-label={`group-${path || 'root'}`}
            onChange={(k) => onChange(setGroupKind(root, path, k))}
            options={(['all', 'any', 'not'] as const).map((k) => ({ value: k, label: t(`policiesUi.builder.${k}`) }))}
          />
        }
        extra={tools}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          {childrenOf(node).map((c) => {
            const p = childPath(path, c.segments);
            return (
              <NodeEditor
                key={p}
                node={c.node}
                path={p}
                root={root}
                onChange={onChange}
                catalogue={catalogue}
                error={error}
              />
            );
          })}
          {kind !== 'not' ? (
            <Space wrap size={4}>
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => add(newLeaf('field'))}
                data-testid={`add-field-${path || 'root'}`}
              >
                {t('policiesUi.builder.addField')}
              </Button>
              <Button size="small" icon={<PlusOutlined />} onClick={() => add(newLeaf('tag'))}>
                {t('policiesUi.builder.addTag')}
              </Button>
              <Button size="small" icon={<PlusOutlined />} onClick={() => add(newLeaf('policy'))}>
                {t('policiesUi.builder.addPolicy')}
              </Button>
              <Button size="small" icon={<PlusOutlined />} onClick={() => add(newGroup('any'))}>
                {t('policiesUi.builder.addGroup')}
              </Button>
            </Space>
          ) : null}
          {hasError ? <Typography.Text type="danger">{error.message}</Typography.Text> : null}
        </Space>
      </Card>
    );
  }
  const set = (next: DraftRule) => onChange(updateAt(root, path, () => next));
  return (
    <div
      data-testid={`rule-node-${path || 'root'}`}
      style={{
        border: `1px solid ${hasError ? '#ff4d4f' : '#f0f0f0'}`,
        borderRadius: 6,
        padding: 8,
      }}
    >
      <Space wrap align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          {'tag' in node ? (
            <Select
              showSearch
              optionFilterProp="label"
              style={{ minWidth: 200 }}
              placeholder={t('policiesUi.builder.tag')}
              status={hasError ? 'error' : undefined}
              value={node.tag || undefined}
              onChange={(tag: string) => set({ tag })}
              options={catalogue.tags.map((x) => ({ value: x.code, label: x.name }))}
            />
          ) : 'policy' in node ? (
            <>
              <Radio.Group
                size="small"
                value={node.state}
                onChange={(e) => set({ policy: node.policy, state: e.target.value as DraftPolicy['state'] })}
                options={[
                  { value: 'eligible', label: t('policiesUi.builder.eligible') },
                  { value: 'receiving', label: t('policiesUi.builder.receiving') },
                ]}
                optionType="button"
              />
              <Select
                showSearch
                optionFilterProp="label"
                style={{ minWidth: 200 }}
                placeholder={t('policiesUi.builder.policy')}
                status={hasError ? 'error' : undefined}
                value={node.policy || undefined}
                onChange={(policy: string) => set({ policy, state: node.state })}
                options={catalogue.policies.map((x) => ({ value: x.code, label: x.name }))}
              />
            </>
          ) : (
            <FieldLeafEditor leaf={node} onChange={set} catalogue={catalogue} error={hasError ? error : null} />
          )}
        </Space>
        {tools}
      </Space>
      {hasError ? (
        <Typography.Text type="danger" data-testid="rule-node-error">
          {error.message}
        </Typography.Text>
      ) : null}
    </div>
  );
}

function NodeTools({ path, root, onChange }: { path: string; root: DraftRule; onChange: (next: DraftRule) => void }) {
  const { t } = useTranslation();
  return (
    <Space size={0}>
      <Tooltip title={t('policiesUi.builder.up')}>
        <Button
          size="small"
          type="text"
          icon={<ArrowUpOutlined />}
          onClick={() => onChange(moveAt(root, path, -1))}
          aria-label={t('policiesUi.builder.up')}
        />
      </Tooltip>
      <Tooltip title={t('policiesUi.builder.down')}>
        <Button
          size="small"
          type="text"
          icon={<ArrowDownOutlined />}
          onClick={() => onChange(moveAt(root, path, 1))}
          aria-label={t('policiesUi.builder.down')}
        />
      </Tooltip>
      <Button size="small" type="text" onClick={() => onChange(wrapAt(root, path, 'not'))}>
        {t('policiesUi.builder.wrapNot')}
      </Button>
      <Tooltip title={t('policiesUi.builder.remove')}>
        <Button
          size="small"
          type="text"
          danger
          icon={<DeleteOutlined />}
          onClick={() => onChange(removeAt(root, path))}
          aria-label={t('policiesUi.builder.remove')}
          data-testid={`remove-${path}`}
        />
      </Tooltip>
    </Space>
  );
}

function FieldLeafEditor({
  leaf,
  onChange,
  catalogue,
  error,
}: {
  leaf: DraftField;
  onChange: (next: DraftField) => void;
  catalogue: PolicyFieldsView;
  error: RuleError | null;
}) {
  const { t } = useTranslation();
  const field = catalogue.fields.find((f) => f.code === leaf.field);
  const ops = (field?.ops ?? []) as RuleOp[];
  const bad = (part: string) => (error && (error.part === null || error.part.startsWith(part)) ? 'error' : undefined);
  const groups = (['resident', 'household', 'house'] as const).map((source) => ({
    label: t(`policiesUi.sources.${source}`),
    options: catalogue.fields.filter((f) => f.source === source).map((f) => ({ value: f.code, label: f.label })),
  }));
  return (
    <>
      <Select
        showSearch
        optionFilterProp="label"
        style={{ minWidth: 160 }}
        placeholder={t('policiesUi.builder.field')}
        status={bad('field')}
        value={leaf.field || undefined}
        aria-label={t('policiesUi.builder.field')}
        onChange={(code: string) => {
          const next = catalogue.fields.find((f) => f.code === code);
          onChange(withField(leaf, code, next?.type, (next?.ops ?? []) as RuleOp[]));
        }}
        options={groups}
      />
      <Select<RuleOp>
        style={{ minWidth: 120 }}
        placeholder={t('policiesUi.builder.op')}
        status={bad('op')}
        disabled={!field}
        value={leaf.op || undefined}
        aria-label={t('policiesUi.builder.op')}
        onChange={(op) => onChange(withOp(leaf, op, field?.type))}
        options={ops.map((op) => ({ value: op, label: opLabel(t, op) }))}
      />
      {field && leaf.op !== '' ? (
        <ValueInput
          field={field}
          op={leaf.op}
          value={leaf.value}
          status={bad('value')}
          onChange={(value) => onChange({ ...leaf, value })}
        />
      ) : null}
    </>
  );
}

function ValueInput({
  field,
  op,
  value,
  status,
  onChange,
}: {
  field: FieldView;
  op: RuleOp;
  value: DraftField['value'];
  status: 'error' | undefined;
  onChange: (value: Scalar | Scalar[]) => void;
}) {
  const { t } = useTranslation();
  if (op === 'is_null' || op === 'not_null') return null;
  const list = Array.isArray(value) ? value : [];
  const label = t('policiesUi.builder.value');
  if (field.type === 'boolean') {
    return (
      <Select<string>
        style={{ width: 90 }}
        status={status}
        aria-label={label}
        value={value === false ? 'false' : 'true'}
        onChange={(v) => onChange(v === 'true')}
        options={[
          { value: 'true', label: t('policiesUi.common.yes') },
          { value: 'false', label: t('policiesUi.common.no') },
        ]}
      />
    );
  }
  const enumOptions: { value: string | number; label: string }[] | null =
    field.type === 'enum'
      ? (field.values ?? []).map((v) => ({ value: v, label: enumLabel(t, field.code, v) }))
      : field.code === 'disability_grade'
        ? [1, 2, 3, 4].map((g) => ({
            value: g as string | number,
            label: t(`policiesUi.disabilityGrades.${g}` as 'policiesUi.disabilityGrades.1'),
          }))
        : null;
  if (op === 'in' || op === 'not_in') {
    if (enumOptions) {
      return (
        <Select
          mode="multiple"
          style={{ minWidth: 220 }}
          status={status}
          aria-label={label}
          value={list as (string | number)[]}
          onChange={(v: (string | number)[]) => onChange(v)}
          options={enumOptions}
        />
      );
    }
    return (
      <Select
        mode="tags"
        style={{ minWidth: 220 }}
        status={status}
        aria-label={label}
        value={list.map(String)}
        onChange={(v: string[]) =>
          onChange(field.type === 'number' ? v.map(Number).filter((n) => Number.isFinite(n)) : v)
        }
        open={false}
      />
    );
  }
  if (op === 'between') {
    if (field.type === 'date') {
      const [from, to] = list;
      return (
        <DatePicker.RangePicker
          status={status}
          value={[from ? dayjs(String(from)) : null, to ? dayjs(String(to)) : null]}
          onChange={(range) => {
            const a = range?.[0]?.format('YYYY-MM-DD');
            const b = range?.[1]?.format('YYYY-MM-DD');
            onChange(a && b ? [a, b] : []);
          }}
        />
      );
    }
    const [low, high] = list as (number | undefined)[];
    const bounds = {
      ...(field.min !== undefined ? { min: field.min } : {}),
      ...(field.max !== undefined ? { max: field.max } : {}),
    };
    return (
      <Space size={4}>
        <InputNumber
          {...bounds}
          status={status}
          aria-label={t('policiesUi.builder.from')}
          value={typeof low === 'number' ? low : null}
          onChange={(v) => onChange([v ?? 0, typeof high === 'number' ? high : (v ?? 0)])}
        />
        –
        <InputNumber
          {...bounds}
          status={status}
          aria-label={t('policiesUi.builder.to')}
          value={typeof high === 'number' ? high : null}
          onChange={(v) => onChange([typeof low === 'number' ? low : (v ?? 0), v ?? 0])}
        />
      </Space>
    );
  }
  if (enumOptions) {
    return (
      <Select
        style={{ minWidth: 140 }}
        status={status}
        aria-label={label}
        value={Array.isArray(value) || value === undefined ? undefined : (value as string | number)}
        onChange={(v: string | number) => onChange(v)}
        options={enumOptions}
      />
    );
  }
  if (field.type === 'number') {
    return (
      <InputNumber
        status={status}
        aria-label={label}
        {...(field.min !== undefined ? { min: field.min } : {})}
        {...(field.max !== undefined ? { max: field.max } : {})}
        value={typeof value === 'number' ? value : null}
        onChange={(v) => onChange(v ?? 0)}
      />
    );
  }
  if (field.type === 'date') {
    return (
      <DatePicker
        status={status}
        value={typeof value === 'string' && value ? dayjs(value) : null}
        onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : '')}
      />
    );
  }
  return (
    <Input
      style={{ width: 180 }}
      status={status}
      aria-label={label}
      value={typeof value === 'string' ? value : ''}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
