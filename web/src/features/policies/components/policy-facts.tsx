import { Col, Form, Select } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { enumLabel, gradeLabel } from '../utils/labels';

/** The facts policies read that the people form holds: 户籍类型, 收入档次, 残疾等级 (null = not recorded). */
export type PolicyFactValues = {
  hukouType?: 'local_urban' | 'local_rural' | 'nonlocal' | null;
  incomeBand?: 'subsistence' | 'low' | 'lower_middle' | 'middle' | 'high' | null;
  disabilityGrade?: number | null;
};

const HUKOU = ['local_urban', 'local_rural', 'nonlocal'] as const;
const INCOME = ['subsistence', 'low', 'lower_middle', 'middle', 'high'] as const;

export const POLICY_FACT_FIELDS = ['hukouType', 'incomeBand', 'disabilityGrade'];

/** The three facts as a request body's part (an empty choice sends null: not recorded). */
export function policyFactsBody(v: PolicyFactValues) {
  return {
    hukouType: v.hukouType ?? null,
    incomeBand: v.incomeBand ?? null,
    disabilityGrade: v.disabilityGrade ?? null,
  };
}

/** The three select boxes of a resident form, each in a half-width column. */
export function PolicyFactFields() {
  const { t } = useTranslation();
  return (
    <>
      <Col xs={24} sm={8}>
        <Form.Item name="hukouType" label={t('policiesUi.facts.hukouType')}>
          <Select
            allowClear
            data-testid="resident-hukou-type"
            options={HUKOU.map((v) => ({ value: v, label: enumLabel(t, 'hukou_type', v) }))}
          />
        </Form.Item>
      </Col>
      <Col xs={24} sm={8}>
        <Form.Item name="incomeBand" label={t('policiesUi.facts.incomeBand')}>
          <Select
            allowClear
            data-testid="resident-income-band"
            options={INCOME.map((v) => ({ value: v, label: enumLabel(t, 'income_band', v) }))}
          />
        </Form.Item>
      </Col>
      <Col xs={24} sm={8}>
        <Form.Item name="disabilityGrade" label={t('policiesUi.facts.disabilityGrade')}>
          <Select
            allowClear
            data-testid="resident-disability-grade"
            options={[1, 2, 3, 4].map((g) => ({ value: g, label: gradeLabel(t, g) }))}
          />
        </Form.Item>
      </Col>
    </>
  );
}

/** The three facts as a resident detail's description items. */
export function policyFactItems(
  t: TFunction,
  r: { hukouType: string | null; incomeBand: string | null; disabilityGrade: number | null },
) {
  const none = t('common.none');
  return [
    {
      key: 'hukouType',
      label: t('policiesUi.facts.hukouType'),
      children: r.hukouType ? enumLabel(t, 'hukou_type', r.hukouType) : none,
    },
    {
      key: 'incomeBand',
      label: t('policiesUi.facts.incomeBand'),
      children: r.incomeBand ? enumLabel(t, 'income_band', r.incomeBand) : none,
    },
    {
      key: 'disabilityGrade',
      label: t('policiesUi.facts.disabilityGrade'),
      children: r.disabilityGrade ? gradeLabel(t, r.disabilityGrade) : none,
    },
  ];
}
