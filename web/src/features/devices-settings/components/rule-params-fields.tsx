import { Col, Form, Input, InputNumber, Row, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import type { EventDef, MetricDef, RuleKind } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { type ParamName, type ParamsForm, paramProblems } from '../utils/rule-params';

/** A metric's or event's name in the console's language. */
export function localName(def: { nameZh: string; nameEn: string }): string {
  return currentLanguage() === 'en' ? def.nameEn : def.nameZh;
}

type Props = {
  kind: RuleKind;
  metrics: readonly MetricDef[];
  events: readonly EventDef[];
  /** The form item path the params live under (['params'] in the rule and override forms). */
  prefix?: string;
  /** An override may leave a value to the rule: nothing is required there. */
  isOverride?: boolean;
};

/**
 * The params of a rule of one kind: threshold (metric, below, above), no_use (metric, window hours, minimum use,
 * quiet hours), high_use (metric, window minutes, maximum use), silent (minutes), event (the events).
 * Server errors on `params.<name>` land on these fields (the form path is [prefix, name]).
 */
export function RuleParamsFields({ kind, metrics, events, prefix = 'params', isOverride = false }: Props) {
  const { t } = useTranslation();
  const label = (name: ParamName) => t(`devicesSettings.params.${name}`);
  // one validator for the whole kind, so that cross-field problems (below < above, both quiet times) show too
  const check =
    (name: ParamName): Rule =>
    ({ getFieldValue }) => ({
      validator: () => {
        const values = (getFieldValue(prefix) ?? {}) as ParamsForm;
        const problem = paramProblems(kind, values).find(
          (p) => p.field === name && !(isOverride && p.problem === 'required'),
        );
        return problem
          ? Promise.reject(new Error(t(`devicesSettings.params.problems.${problem.problem}`, { field: label(name) })))
          : Promise.resolve();
      },
    });
  const item = (name: ParamName, child: React.ReactNode, extra?: string, deps: ParamName[] = []) => (
    <Form.Item
      name={[prefix, name]}
      label={label(name)}
      rules={[check(name)]}
      dependencies={deps.map((d) => [prefix, d])}
      {...(extra ? { extra } : {})}
    >
      {child}
    </Form.Item>
  );
  const metricSelect = (
    <Select
      allowClear={isOverride}
      data-testid="rule-param-metric"
      options={metrics.map((m) => ({
        value: m.key,
        label: `${localName(m)}（${m.key}${m.unit ? ` · ${m.unit}` : ''}）`,
      }))}
    />
  );
  const num = (
    props: { min?: number; max?: number; step?: number; addon?: string; precision?: number },
    testId: string,
  ) => (
    <InputNumber
      style={{ width: '100%' }}
      min={props.min}
      max={props.max}
      step={props.step ?? 1}
      {...(props.precision !== undefined ? { precision: props.precision } : {})}
      {...(props.addon ? { suffix: props.addon } : {})}
      data-testid={testId}
    />
  );

  switch (kind) {
    case 'threshold':
      return (
        <Row gutter={12}>
          <Col span={24}>{item('metric', metricSelect)}</Col>
          <Col span={12}>
            {item('below', num({}, 'rule-param-below'), t('devicesSettings.params.belowHint'), ['above'])}
          </Col>
          <Col span={12}>
            {item('above', num({}, 'rule-param-above'), t('devicesSettings.params.aboveHint'), ['below'])}
          </Col>
        </Row>
      );
    case 'no_use':
      return (
        <Row gutter={12}>
          <Col span={24}>{item('metric', metricSelect)}</Col>
          <Col span={12}>
            {item(
              'windowHours',
              num(
                { min: 0.25, max: 72, step: 0.5, addon: t('devicesSettings.params.hours') },
                'rule-param-window-hours',
              ),
            )}
          </Col>
          <Col span={12}>
            {item('minUse', num({ min: 0, step: 1 }, 'rule-param-min-use'), t('devicesSettings.params.minUseHint'))}
          </Col>
          <Col span={12}>
            {item(
              'quietStart',
              <Input placeholder="22:00" maxLength={5} data-testid="rule-param-quiet-start" />,
              t('devicesSettings.params.quietHint'),
              ['quietEnd'],
            )}
          </Col>
          <Col span={12}>
            {item(
              'quietEnd',
              <Input placeholder="06:00" maxLength={5} data-testid="rule-param-quiet-end" />,
              undefined,
              ['quietStart'],
            )}
          </Col>
        </Row>
      );
    case 'high_use':
      return (
        <Row gutter={12}>
          <Col span={24}>{item('metric', metricSelect)}</Col>
          <Col span={12}>
            {item(
              'windowMinutes',
              num(
                { min: 1, max: 1440, precision: 0, addon: t('devicesSettings.params.minutesUnit') },
                'rule-param-window-minutes',
              ),
            )}
          </Col>
          <Col span={12}>
            {item('maxUse', num({ min: 0, step: 1 }, 'rule-param-max-use'), t('devicesSettings.params.maxUseHint'))}
          </Col>
        </Row>
      );
    case 'silent':
      return (
        <Row gutter={12}>
          <Col span={12}>
            {item(
              'minutes',
              num(
                { min: 1, max: 10080, precision: 0, addon: t('devicesSettings.params.minutesUnit') },
                'rule-param-minutes',
              ),
              t('devicesSettings.params.silentHint'),
            )}
          </Col>
        </Row>
      );
    case 'event':
      return (
        <Row gutter={12}>
          <Col span={24}>
            {item(
              'events',
              <Select
                mode="multiple"
                data-testid="rule-param-events"
                options={events.map((e) => ({ value: e.key, label: `${localName(e)}（${e.key}）` }))}
              />,
            )}
          </Col>
        </Row>
      );
  }
}
