import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleFact, RuleOp, Tag, TagRule } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { fieldPath, showFieldError, validValues } from '../../../ui/form-errors';
import { useCreateTag, useUpdateTag } from '../hooks/use-tag-dictionary';
import {
  describeRule,
  EQUALITY_OPS,
  NUMERIC_FACTS,
  opSymbol,
  RESIDENT_STATUSES,
  RULE_FACTS,
  RULE_OPS,
  SEXES,
  sexLabel,
  statusLabel,
} from '../utils/labels';

export type TagFormMode = { kind: 'create' } | { kind: 'edit'; tag: Tag };

type Condition = { fact?: RuleFact; op?: RuleOp; value?: string | number | null };

type Values = {
  parentId?: number | null;
  code: string;
  name: string;
  sensitive: boolean;
  description?: string;
  isDerived: boolean;
  conditions?: Condition[];
};

type Props = { mode: TagFormMode | null; tags: readonly Tag[]; onClose: () => void };

/** As the server's TagBody.code. */
const CODE = /^[a-z0-9_]{2,40}$/;

function toRule(conditions: Condition[] | undefined): TagRule | null {
  const all = (conditions ?? []).flatMap((c) =>
    c.fact && c.op && c.value !== undefined && c.value !== null ? [{ fact: c.fact, op: c.op, value: c.value }] : [],
  );
  return all.length > 0 ? { all } : null;
}

function opsFor(fact: RuleFact | undefined): readonly RuleOp[] {
  return fact && !NUMERIC_FACTS.includes(fact) ? EQUALITY_OPS : RULE_OPS;
}

/** Adds or edits a dictionary tag; a derived tag carries a rule of conditions that must all hold. */
export function TagFormModal({ mode, tags, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateTag();
  const update = useUpdateTag();
  const isDerived = Form.useWatch('isDerived', form) ?? false;
  const conditions = Form.useWatch('conditions', form);
  const editing = mode?.kind === 'edit' ? mode.tag : null;

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode.kind === 'edit') {
      const { tag } = mode;
      form.setFieldsValue({
        parentId: tag.parentId,
        code: tag.code,
        name: tag.name,
        sensitive: tag.sensitive,
        description: tag.description ?? '',
        isDerived: tag.rule !== null,
        conditions: (tag.rule?.all ?? []).map((c) => ({
          fact: c.fact as RuleFact,
          op: c.op as RuleOp,
          value: c.value,
        })),
      });
    } else {
      form.setFieldsValue({ sensitive: false, isDerived: false, conditions: [{ fact: 'age', op: '>=' }] });
    }
  }, [mode, form]);

  const showError = (error: unknown) => {
    // rule errors name a condition: rule.all.2 → the value of the third row
    if (isApiError(error) && error.field?.startsWith('rule')) {
      const index = fieldPath(error.field)[2];
      if (typeof index === 'number') {
        form.setFields([{ name: ['conditions', index, 'value'], errors: [error.message] }]);
        return;
      }
    }
    if (!showFieldError(form, error, ['parentId', 'code', 'name', 'sensitive', 'description'])) {
      message.error(error instanceof Error ? error.message : t('errors.unknown'));
    }
  };

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    const rule = values.isDerived ? toRule(values.conditions) : null;
    const description = values.description?.trim() || null;
    try {
      if (editing) {
        await update.mutateAsync({
          id: editing.id,
          body: { name: values.name.trim(), sensitive: values.sensitive, rule, description },
        });
        message.success(t('common.saved'));
      } else {
        await create.mutateAsync({
          parentId: values.parentId ?? null,
          code: values.code.trim(),
          name: values.name.trim(),
          sensitive: values.sensitive,
          rule,
          description,
        });
        message.success(t('tags.created', { name: values.name.trim() }));
      }
      onClose();
    } catch (error) {
      showError(error);
    }
  };

  const preview = isDerived ? toRule(conditions) : null;
  const parents = tags.filter((tag) => tag.parentId === null && tag.id !== editing?.id);

  return (
    <Modal
      open={mode !== null}
      title={editing ? t('tags.editTitle', { name: editing.name }) : t('tags.create')}
      okText={editing ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      width={680}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" data-testid="tag-form">
        <Space wrap align="start" size="middle">
          <Form.Item
            name="name"
            label={t('tags.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('tags.name') }) }]}
          >
            <Input maxLength={30} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('tags.code')}
            extra={editing ? undefined : t('tags.codeRule')}
            rules={[
              { required: true, message: t('common.required', { field: t('tags.code') }) },
              { pattern: CODE, message: t('tags.codeRule') },
            ]}
          >
            <Input maxLength={40} style={{ width: 200 }} disabled={Boolean(editing)} className="linli-mono" />
          </Form.Item>
          <Form.Item name="parentId" label={t('tags.parent')}>
            <Select<number>
              allowClear
              disabled={Boolean(editing)}
              style={{ width: 180 }}
              placeholder={t('tags.noParent')}
              options={parents.map((tag) => ({ value: tag.id, label: tag.name }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="sensitive" label={t('tags.sensitive')} extra={t('tags.sensitiveHelp')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="description" label={t('tags.description')}>
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
        <Form.Item
          name="isDerived"
          label={t('tags.derivedSwitch')}
          extra={t('tags.derivedHelp')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        {isDerived ? (
          <Form.List name="conditions">
            {(fields, { add, remove }) => (
              <Space orientation="vertical" style={{ width: '100%' }} size={0} data-testid="rule-editor">
                {fields.map((field, index) => (
                  <Space key={field.key} align="start" wrap>
                    <Typography.Text type="secondary" className="linli-rule-joiner">
                      {index === 0 ? t('tags.ruleWhen') : t('tags.ruleAndShort')}
                    </Typography.Text>
                    <Form.Item
                      name={[field.name, 'fact']}
                      rules={[{ required: true, message: t('common.selectRequired', { field: t('tags.ruleFact') }) }]}
                    >
                      <Select<RuleFact>
                        style={{ width: 150 }}
                        aria-label={t('tags.ruleFact')}
                        options={RULE_FACTS.map((fact) => ({ value: fact, label: t(`ruleFacts.${fact}`) }))}
                        onChange={(fact) =>
                          form.setFieldValue(['conditions', field.name], {
                            fact,
                            op: NUMERIC_FACTS.includes(fact) ? '>=' : '=',
                            value: null,
                          })
                        }
                      />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const fact = form.getFieldValue(['conditions', field.name, 'fact']) as RuleFact | undefined;
                        const isNumeric = !fact || NUMERIC_FACTS.includes(fact);
                        const valueOptions: { value: string; label: string }[] =
                          fact === 'sex'
                            ? SEXES.map((s) => ({ value: s, label: sexLabel(t, s) }))
                            : RESIDENT_STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) }));
                        return (
                          <Space align="start">
                            <Form.Item
                              name={[field.name, 'op']}
                              rules={[
                                { required: true, message: t('common.selectRequired', { field: t('tags.ruleOp') }) },
                              ]}
                            >
                              <Select<RuleOp>
                                style={{ width: 80 }}
                                aria-label={t('tags.ruleOp')}
                                options={opsFor(fact).map((op) => ({ value: op, label: opSymbol(op) }))}
                              />
                            </Form.Item>
                            <Form.Item
                              name={[field.name, 'value']}
                              rules={[
                                { required: true, message: t('common.required', { field: t('tags.ruleValue') }) },
                              ]}
                            >
                              {isNumeric ? (
                                <InputNumber<number>
                                  min={0}
                                  max={200}
                                  precision={0}
                                  style={{ width: 120 }}
                                  aria-label={t('tags.ruleValue')}
                                />
                              ) : (
                                <Select
                                  style={{ width: 120 }}
                                  aria-label={t('tags.ruleValue')}
                                  options={valueOptions}
                                />
                              )}
                            </Form.Item>
                          </Space>
                        );
                      }}
                    </Form.Item>
                    {fields.length > 1 ? (
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined />}
                        aria-label={t('common.remove')}
                        onClick={() => remove(field.name)}
                      />
                    ) : null}
                  </Space>
                ))}
                {fields.length < 10 ? (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ fact: 'age', op: '>=' })}>
                    {t('tags.ruleAdd')}
                  </Button>
                ) : null}
              </Space>
            )}
          </Form.List>
        ) : null}
        {preview ? (
          <Alert
            style={{ marginTop: 16 }}
            type="info"
            showIcon
            title={t('tags.rulePreview', { rule: describeRule(t, preview) })}
            data-testid="rule-preview"
          />
        ) : null}
        {editing?.rule && !isDerived ? (
          <Alert style={{ marginTop: 16 }} type="warning" showIcon title={t('tags.ruleDropWarning')} />
        ) : null}
      </Form>
    </Modal>
  );
}
