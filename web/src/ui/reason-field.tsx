import { Form, type FormRule, Input, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { acceptableReason, REASON_PURPOSES } from '../../../server/src/platform/audit/reason.logic';

type Props = {
  /** Text shown above the presets (what the reason is for). */
  label: string;
  placeholder?: string;
  'data-testid'?: string;
};

/**
 * The reason for an audited act (revealing personal data, an unmasked export): the common purposes as one-tap
 * choices, plus free text. Checked as the server checks it: invisible characters and spaces are not a reason.
 */
export function ReasonField({ label, placeholder, ...rest }: Props) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<{ reason?: string }>();
  const current = Form.useWatch('reason', form) ?? '';
  return (
    <>
      <Space size={[6, 6]} wrap style={{ marginBottom: 8 }} data-testid="reason-purposes">
        {REASON_PURPOSES.map((purpose) => {
          const text = t(`pii.purposes.${purpose}`);
          return (
            <Tag.CheckableTag
              key={purpose}
              checked={current.trim() === text}
              onChange={() => form.setFieldsValue({ reason: text })}
            >
              {text}
            </Tag.CheckableTag>
          );
        })}
      </Space>
      <Form.Item name="reason" label={label} rules={[reasonRule(t('pii.reasonTooShort'))]}>
        <Input.TextArea
          rows={2}
          maxLength={200}
          showCount
          placeholder={placeholder ?? t('pii.reasonPlaceholder')}
          data-testid={rest['data-testid'] ?? 'reason-input'}
        />
      </Form.Item>
    </>
  );
}

/** A form rule that refuses what the server would refuse: fewer than two visible characters. */
export function reasonRule(message: string): FormRule {
  return {
    validator: async (_rule, value: string | undefined) => {
      if (acceptableReason(value) === null) throw new Error(message);
    },
  };
}
