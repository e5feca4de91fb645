import { LockOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldInfo, GroupBy, HouseUse, ReportEntity, ReportTemplate, Sex } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { isApiError } from '../../../ui/api';
import { validValues } from '../../../ui/form-errors';
import { useDebounced } from '../../../ui/use-debounced';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { TagSelect } from '../../people/components/tag-select';
import { useTags } from '../../people/hooks/use-people';
import { HOUSE_USES, houseUseLabel, RESIDENT_STATUSES, SEXES, sexLabel, statusLabel } from '../../people/utils/labels';
import {
  useCreateTemplate,
  useDefinitionPreview,
  useReportFields,
  useReportTemplate,
  useUpdateTemplate,
} from '../hooks/use-reports';
import {
  type ColumnLabels,
  type EditorValues,
  editorField,
  fieldLabel,
  fromTemplate,
  toDefinition,
} from '../utils/definition';
import { ReportPreviewTable } from './report-preview-table';

type Props = {
  /** create: a new template (optionally a copy of `copyOf`); edit: change template `id`. */
  mode: { kind: 'create'; copyOf: number | null } | { kind: 'edit'; id: number };
  onDone: () => void;
};

const DEFAULT_COLUMNS: Record<ReportEntity, { list: string[]; count: string[] }> = {
  resident: { list: ['community', 'grid', 'name', 'sex', 'age', 'phone'], count: ['community', 'grid', 'total'] },
  house: { list: ['community', 'grid', 'building', 'unit', 'room', 'use'], count: ['community', 'grid', 'total'] },
  household: {
    list: ['community', 'grid', 'householdNo', 'headName', 'membersCount'],
    count: ['community', 'grid', 'total'],
  },
};

const NEW_VALUES: EditorValues = {
  name: '',
  description: '',
  entity: 'resident',
  kind: 'list',
  groupBy: null,
  columns: DEFAULT_COLUMNS.resident.list,
  tagCodes: [],
  tagMode: 'any',
  houseUse: [],
  sortDir: 'asc',
};

export function TemplateEditor({ mode, onDone }: Props) {
  const { t } = useTranslation();
  const sourceId = mode.kind === 'edit' ? mode.id : mode.copyOf;
  const source = useReportTemplate(sourceId);
  const fields = useReportFields();
  if ((sourceId !== null && source.isLoading) || fields.isLoading) {
    return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  }
  if (source.isError) return <Alert type="error" showIcon title={source.error.message} />;
  if (fields.isError) return <Alert type="error" showIcon title={fields.error.message} />;
  if (mode.kind === 'edit' && source.data?.builtin) {
    return <Alert type="info" showIcon title={t('reports.builtinReadOnly')} />;
  }
  return <EditorForm mode={mode} source={source.data ?? null} onDone={onDone} />;
}

function EditorForm({ mode, source, onDone }: Props & { source: ReportTemplate | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const lang = currentLanguage();
  const [form] = Form.useForm<EditorValues>();
  const catalogue = useReportFields().data;
  const tags = useTags();
  const create = useCreateTemplate();
  const update = useUpdateTemplate();

  const initial = useMemo(() => {
    if (!source) return { values: NEW_VALUES, labels: {} as ColumnLabels };
    const loaded = fromTemplate(source);
    return mode.kind === 'create'
      ? { ...loaded, values: { ...loaded.values, name: t('reports.copyName', { name: source.name }) } }
      : loaded;
  }, [source, mode.kind, t]);
  const [labels] = useState<ColumnLabels>(initial.labels);

  const values = Form.useWatch((all: EditorValues) => all, form) as EditorValues | undefined;
  const entity = values?.entity ?? initial.values.entity;
  const kind = values?.kind ?? initial.values.kind;
  const entityInfo = catalogue?.entities.find((e) => e.entity === entity);
  const applicable = entityInfo?.filters ?? [];
  const takes = (key: string) => applicable.includes(key);

  const columnOptions = useMemo(() => {
    const info = (f: FieldInfo) => ({
      value: f.field,
      searchText: `${f.label} ${f.labelEn} ${f.field}`,
      label: (
        <Space size={4}>
          {fieldLabel(f, lang)}
          {f.pii ? <LockOutlined title={t('reports.piiField')} /> : null}
        </Space>
      ),
    });
    if (kind === 'list') return (entityInfo?.fields ?? []).map(info);
    const tagCounts =
      entity === 'resident'
        ? (tags.data?.items ?? []).map((tag) => ({
            value: `tag:${tag.code}`,
            searchText: `${tag.name} ${tag.code}`,
            label: t('reports.tagCount', { name: tag.name }),
          }))
        : [];
    return [...(entityInfo?.measures ?? []).map(info), ...tagCounts];
  }, [kind, entity, entityInfo, tags.data, lang, t]);

  const sortOptions = (entityInfo?.fields ?? [])
    .filter((f) => f.sortable)
    .map((f) => ({ value: f.field, label: fieldLabel(f, lang) }));

  // the live preview follows the form once typing pauses
  const settled = useDebounced(values, 600);
  const definition = useMemo(
    () => (settled && settled.columns?.length > 0 ? toDefinition(settled, applicable, labels) : null),
    [settled, applicable, labels],
  );
  const preview = useDefinitionPreview(definition, null);

  const resetColumns = (next: Partial<Pick<EditorValues, 'entity' | 'kind'>>) => {
    const e = next.entity ?? entity;
    const k = next.kind ?? kind;
    form.setFieldsValue({
      columns: DEFAULT_COLUMNS[e][k],
      sortField: null,
      ...(k === 'count' && !form.getFieldValue('groupBy') ? { groupBy: 'grid' as GroupBy } : {}),
    });
  };

  const save = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    const body = {
      name: valid.name.trim(),
      description: valid.description?.trim() || null,
      definition: toDefinition(valid, applicable, labels),
    };
    try {
      if (mode.kind === 'edit') await update.mutateAsync({ id: mode.id, body });
      else await create.mutateAsync(body);
      message.success(t('common.saved'));
      onDone();
    } catch (error) {
      const field = isApiError(error) ? editorField(error.field) : null;
      if (field && isApiError(error)) form.setFields([{ name: field, errors: [error.message] }]);
      else message.error(error instanceof Error ? error.message : t('errors.unknown'));
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={10}>
        <Card
          size="small"
          title={mode.kind === 'edit' ? t('reports.editTitle') : t('reports.create')}
          actions={[
            <Space key="actions" style={{ padding: '0 16px', width: '100%', justifyContent: 'flex-end' }}>
              <Button onClick={onDone}>{t('common.cancel')}</Button>
              <Button type="primary" loading={create.isPending || update.isPending} onClick={save}>
                {t('common.save')}
              </Button>
            </Space>,
          ]}
        >
          <Form<EditorValues> form={form} layout="vertical" initialValues={initial.values} data-testid="template-form">
            <Form.Item
              name="name"
              label={t('reports.name')}
              rules={[
                { required: true, whitespace: true, message: t('common.required', { field: t('reports.name') }) },
              ]}
            >
              <Input maxLength={60} />
            </Form.Item>
            <Form.Item name="description" label={t('reports.description')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
            <Space wrap size="large" align="start">
              <Form.Item name="entity" label={t('reports.entity')}>
                <Radio.Group
                  optionType="button"
                  options={(catalogue?.entities ?? []).map((e) => ({ value: e.entity, label: fieldLabel(e, lang) }))}
                  onChange={(e) => resetColumns({ entity: e.target.value as ReportEntity })}
                />
              </Form.Item>
              <Form.Item name="kind" label={t('reports.kind')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'list', label: t('reports.kindList') },
                    { value: 'count', label: t('reports.kindCount') },
                  ]}
                  onChange={(e) => resetColumns({ kind: e.target.value as EditorValues['kind'] })}
                />
              </Form.Item>
              <Form.Item
                name="groupBy"
                label={t('reports.groupBy')}
                rules={
                  kind === 'count'
                    ? [{ required: true, message: t('common.selectRequired', { field: t('reports.groupBy') }) }]
                    : []
                }
              >
                <Select<GroupBy>
                  allowClear={kind === 'list'}
                  style={{ width: 130 }}
                  placeholder={t('reports.noGroup')}
                  options={(catalogue?.groupBy ?? []).map((g) => ({ value: g, label: t(`reports.groupBys.${g}`) }))}
                />
              </Form.Item>
            </Space>
            <Form.Item
              name="columns"
              label={t('reports.columns')}
              extra={t('reports.columnsHelp')}
              rules={[{ required: true, message: t('common.selectRequired', { field: t('reports.columns') }) }]}
            >
              <Select<string[]>
                mode="multiple"
                options={columnOptions}
                showSearch={{ optionFilterProp: 'searchText' }}
                data-testid="template-columns"
              />
            </Form.Item>
            <Typography.Title level={5}>{t('reports.filters')}</Typography.Title>
            {takes('tagCodes') ? (
              <Space.Compact block>
                <Form.Item name="tagCodes" label={t('people.tags')} style={{ flex: 1 }}>
                  <TagSelect mode="multiple" valueOf={(tag) => tag.code} />
                </Form.Item>
                <Form.Item name="tagMode" label={t('reports.tagMode')}>
                  <Select
                    style={{ width: 110 }}
                    options={[
                      { value: 'any', label: t('people.filters.tagAny') },
                      { value: 'all', label: t('people.filters.tagAll') },
                    ]}
                  />
                </Form.Item>
              </Space.Compact>
            ) : null}
            <Space wrap align="start">
              {takes('ageMin') ? (
                <Form.Item name="ageMin" label={t('people.filters.ageMin')}>
                  <InputNumber<number> min={0} max={150} precision={0} style={{ width: 100 }} />
                </Form.Item>
              ) : null}
              {takes('ageMax') ? (
                <Form.Item name="ageMax" label={t('people.filters.ageMax')}>
                  <InputNumber<number> min={0} max={150} precision={0} style={{ width: 100 }} />
                </Form.Item>
              ) : null}
              {takes('sex') ? (
                <Form.Item name="sex" label={t('people.sex')}>
                  <Select<Sex>
                    allowClear
                    style={{ width: 100 }}
                    options={SEXES.map((s) => ({ value: s, label: sexLabel(t, s) }))}
                  />
                </Form.Item>
              ) : null}
              {takes('status') ? (
                <Form.Item name="status" label={t('people.status')}>
                  <Select
                    allowClear
                    style={{ width: 120 }}
                    placeholder={t('reports.statusDefault')}
                    options={[
                      ...(entity === 'household' ? (['active'] as const) : RESIDENT_STATUSES).map((s) => ({
                        value: s,
                        label: statusLabel(t, s),
                      })),
                      { value: 'all', label: t('people.filters.statusAll') },
                    ]}
                  />
                </Form.Item>
              ) : null}
            </Space>
            {takes('houseUse') ? (
              <Form.Item name="houseUse" label={t('houses.use')}>
                <Select<HouseUse[]>
                  mode="multiple"
                  allowClear
                  options={HOUSE_USES.map((u) => ({ value: u, label: houseUseLabel(t, u) }))}
                />
              </Form.Item>
            ) : null}
            {takes('nodeId') ? (
              <Form.Item name="nodeId" label={t('reports.fixedScope')} extra={t('reports.fixedScopeHelp')}>
                <NodeSearchSelect allowClear />
              </Form.Item>
            ) : null}
            {kind === 'list' ? (
              <Space wrap align="start">
                <Form.Item name="sortField" label={t('reports.sort')}>
                  <Select
                    allowClear
                    style={{ width: 160 }}
                    placeholder={t('reports.sortDefault')}
                    options={sortOptions}
                  />
                </Form.Item>
                <Form.Item name="sortDir" label={t('reports.sortDir')}>
                  <Radio.Group
                    optionType="button"
                    options={[
                      { value: 'asc', label: t('reports.asc') },
                      { value: 'desc', label: t('reports.desc') },
                    ]}
                  />
                </Form.Item>
              </Space>
            ) : null}
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <Card size="small" title={t('reports.livePreview')}>
          {preview.isError ? (
            <Alert type="error" showIcon title={preview.error.message} style={{ marginBottom: 12 }} />
          ) : null}
          {definition === null ? (
            <Typography.Text type="secondary">{t('reports.pickColumns')}</Typography.Text>
          ) : (
            <ReportPreviewTable
              result={preview.isError ? undefined : preview.data}
              entity={definition.entity}
              loading={preview.isFetching}
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}
