import { Alert, App, Button, Col, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitRule, VisitRuleKind, VisitTrigger } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { RESOLVE_OUTCOMES } from '../../alarms/utils/alarm-filters';
import { CategorySelect } from '../../cases/components/category-select';
import { TagSelect } from '../../people/components/tag-select';
import { useCreateVisitRule, useUpdateVisitRule } from '../hooks/use-visits';
import {
  newRuleValues,
  RULE_CODE,
  RULE_FIELDS,
  type RuleFormValues,
  ruleProblems,
  ruleToValues,
  TRIGGER_FIELDS,
  valuesToCreate,
  valuesToPatch,
} from '../utils/rule-form';
import {
  ASSIGNEE_KINDS,
  PERIOD_UNITS,
  RULE_CATEGORIES,
  RULE_KINDS,
  RULE_TARGETS,
  TRIGGERS,
  VISIT_OUTCOMES,
} from '../utils/visit-labels';

export type RuleDrawerMode = { kind: 'create' } | { kind: 'edit'; rule: VisitRule };

type Props = { mode: RuleDrawerMode | null; rules: readonly VisitRule[]; onClose: () => void };

/** The event parameters of a trigger: the tag, the case category, the alarm outcome, or the rule and its outcome. */
function TriggerFields({
  trigger,
  rules,
  editingId,
}: {
  trigger: VisitTrigger;
  rules: readonly VisitRule[];
  editingId: number | null;
}) {
  const { t } = useTranslation();
  const fields = TRIGGER_FIELDS[trigger];
  const required = (field: string) => [{ required: true, message: t('common.selectRequired', { field }) }];
  return (
    <Row gutter={12}>
      {fields.includes('triggerTagId') ? (
        <Col span={12}>
          <Form.Item
            name="triggerTagId"
            label={t('visits.rules.triggerTag')}
            rules={required(t('visits.rules.triggerTag'))}
          >
            <TagSelect
              valueOf={(tag) => tag.id}
              placeholder={t('visits.rules.triggerTag')}
              data-testid="rule-trigger-tag"
            />
          </Form.Item>
        </Col>
      ) : null}
      {fields.includes('triggerCategoryId') ? (
        <Col span={12}>
          <Form.Item
            name="triggerCategoryId"
            label={t('visits.rules.triggerCategory')}
            rules={required(t('visits.rules.triggerCategory'))}
          >
            <CategorySelect placeholder={t('visits.rules.triggerCategory')} data-testid="rule-trigger-category" />
          </Form.Item>
        </Col>
      ) : null}
      {fields.includes('triggerRuleId') ? (
        <Col span={12}>
          <Form.Item
            name="triggerRuleId"
            label={t('visits.rules.triggerRule')}
            rules={required(t('visits.rules.triggerRule'))}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="rule-trigger-rule"
              options={rules.filter((r) => r.id !== editingId).map((r) => ({ value: r.id, label: r.name }))}
            />
          </Form.Item>
        </Col>
      ) : null}
      {fields.includes('triggerOutcome') ? (
        <Col span={12}>
          <Form.Item
            name="triggerOutcome"
            label={t(trigger === 'alarm_outcome' ? 'visits.rules.alarmOutcome' : 'visits.rules.visitOutcome')}
            rules={required(t('visits.rules.outcome'))}
          >
            <Select<string>
              data-testid="rule-trigger-outcome"
              options={
                trigger === 'alarm_outcome'
                  ? RESOLVE_OUTCOMES.map((o) => ({ value: o, label: t(`alarms.outcome.${o}`) }))
                  : VISIT_OUTCOMES.map((o) => ({ value: o, label: t(`visits.outcome.${o}`) }))
              }
            />
          </Form.Item>
        </Col>
      ) : null}
    </Row>
  );
}

type FieldsProps = {
  editing: VisitRule | null;
  kind: VisitRuleKind;
  trigger: VisitTrigger | null;
  rules: readonly VisitRule[];
  onKindChange: (kind: VisitRuleKind) => void;
};

/** The drawer's fields (inside its form): the common ones, then the kind's own, then who visits whom. */
export function RuleFormFields({ editing, kind, trigger, rules, onKindChange }: FieldsProps) {
  const { t } = useTranslation();
  return (
    <>
      {editing?.builtin ? (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('visits.rules.builtinHint')} />
      ) : null}
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="code"
            label={t('visits.rules.code')}
            rules={editing ? [] : [{ required: true, pattern: RULE_CODE, message: t('visits.rules.codeRule') }]}
          >
            <Input disabled={!!editing} maxLength={40} data-testid="rule-code" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="name"
            label={t('visits.rules.name')}
            rules={[{ required: true, whitespace: true, max: 50, message: t('visits.rules.nameRule') }]}
          >
            <Input maxLength={50} data-testid="rule-name" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="kind"
            label={t('visits.rules.kind')}
            extra={editing ? t('visits.rules.kindFixed') : undefined}
          >
            <Select
              disabled={!!editing}
              data-testid="rule-kind"
              onChange={onKindChange}
              options={RULE_KINDS.map((k) => ({ value: k, label: t(`visits.kind.${k}`) }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="category" label={t('visits.rules.category')}>
            <Select options={RULE_CATEGORIES.map((c) => ({ value: c, label: t(`visits.category.${c}`) }))} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="description" label={t('visits.rules.description')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start" plain>
        {t(kind === 'periodic' ? 'visits.rules.periodicTitle' : 'visits.rules.eventTitle')}
      </Divider>
      {kind === 'periodic' ? (
        <Row gutter={12} data-testid="rule-periodic-fields">
          <Col span={12}>
            <Form.Item
              name="tagId"
              label={t('visits.rules.tag')}
              rules={[{ required: true, message: t('common.selectRequired', { field: t('visits.rules.tag') }) }]}
            >
              <TagSelect valueOf={(tag) => tag.id} placeholder={t('visits.rules.tag')} data-testid="rule-tag" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="every"
              label={t('visits.rules.every')}
              rules={[{ required: true, message: t('visits.rules.frequencyInvalid') }]}
            >
              <InputNumber min={0} max={366} precision={0} style={{ width: '100%' }} data-testid="rule-every" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="unit"
              label={t('visits.rules.unit')}
              rules={[{ required: true, message: t('visits.rules.required') }]}
            >
              <Select
                data-testid="rule-unit"
                options={PERIOD_UNITS.map((u) => ({ value: u, label: t(`visits.unit.${u}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
      ) : (
        <div data-testid="rule-event-fields">
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="trigger"
                label={t('visits.rules.trigger')}
                rules={[{ required: true, message: t('visits.rules.required') }]}
              >
                <Select
                  data-testid="rule-trigger"
                  options={TRIGGERS.map((tr) => ({ value: tr, label: t(`visits.trigger.${tr}`) }))}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="dueHours"
                label={t('visits.rules.dueHours')}
                rules={[{ required: true, message: t('visits.rules.required') }]}
              >
                <InputNumber min={1} max={8784} precision={0} style={{ width: '100%' }} data-testid="rule-due-hours" />
              </Form.Item>
            </Col>
          </Row>
          {trigger ? <TriggerFields trigger={trigger} rules={rules} editingId={editing?.id ?? null} /> : null}
        </div>
      )}
      <Divider titlePlacement="start" plain>
        {t('visits.rules.whoTitle')}
      </Divider>
      <Row gutter={12}>
        <Col span={9}>
          <Form.Item name="assignee" label={t('visits.rules.assignee')}>
            <Select options={ASSIGNEE_KINDS.map((a) => ({ value: a, label: t(`visits.assigneeKind.${a}`) }))} />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item name="target" label={t('visits.rules.target')}>
            <Select options={RULE_TARGETS.map((x) => ({ value: x, label: t(`visits.target.${x}`) }))} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="sort" label={t('visits.rules.sort')}>
            <InputNumber min={-1000} max={1000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="enabled" label={t('visits.rules.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

/**
 * A visit rule's drawer: the form follows the kind (periodic: a tag and how often; event: a trigger, its parameter
 * and the hours allowed). What the server would refuse is checked first (a frequency below once a period, a cycle
 * of follow-ups); the server's own refusal is shown on the field it names.
 */
export function RuleDrawer({ mode, rules, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleFormValues>();
  const create = useCreateVisitRule();
  const update = useUpdateVisitRule();
  const editing = mode?.kind === 'edit' ? mode.rule : null;
  const kind: VisitRuleKind = Form.useWatch('kind', form) ?? editing?.kind ?? 'periodic';
  const trigger: VisitTrigger | null | undefined = Form.useWatch('trigger', form);

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    form.setFieldsValue(mode.kind === 'edit' ? ruleToValues(mode.rule) : newRuleValues('periodic'));
  }, [mode, form]);

  const switchKind = (next: VisitRuleKind) => {
    const { code, name, description } = form.getFieldsValue();
    form.setFieldsValue({ ...newRuleValues(next), code, name, description });
  };

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    const problems = ruleProblems(values, rules, editing ? { id: editing.id, code: editing.code } : null);
    if (problems.length > 0) {
      form.setFields(
        problems.map((p) => ({
          name: p.field,
          errors: [
            p.key === 'cycle'
              ? t('visits.rules.cycle', { chain: p.chain })
              : p.key === 'frequencyInvalid'
                ? t('visits.rules.frequencyInvalid')
                : t('visits.rules.required'),
          ],
        })),
      );
      return;
    }
    try {
      if (editing) await update.mutateAsync({ id: editing.id, body: valuesToPatch(editing, values) });
      else await create.mutateAsync(valuesToCreate(values));
      message.success(t('common.saved'));
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, RULE_FIELDS)) message.error(e instanceof Error ? e.message : t('errors.unknown'));
    }
  };

  return (
    <Drawer
      open={mode !== null}
      title={editing ? t('visits.rules.editTitle', { name: editing.name }) : t('visits.rules.createTitle')}
      size={640}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={submit}
            data-testid="rule-save"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        data-testid="visit-rule-form"
        // another trigger takes other parameters: an outcome of an alarm is no outcome of a visit
        onValuesChange={(changed: Partial<RuleFormValues>) => {
          if ('trigger' in changed)
            form.setFieldsValue({
              triggerTagId: null,
              triggerCategoryId: null,
              triggerOutcome: null,
              triggerRuleId: null,
            });
        }}
      >
        <RuleFormFields
          editing={editing}
          kind={kind}
          trigger={trigger ?? null}
          rules={rules}
          onKindChange={switchKind}
        />
      </Form>
    </Drawer>
  );
}
