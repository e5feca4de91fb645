import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, InputNumber, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { duplicateLadderRows, LADDER_LEVELS, type LadderRow } from '../utils/rule-params';

/**
 * 升级梯队: who is notified, and how many minutes after the alarm was raised if nobody has acknowledged it —
 * family first, then the grid worker, the community, the street on duty. Each level at most once; saved in
 * order of time (normaliseLadder).
 */
export function LadderEditor({ name = 'ladder' }: { name?: string }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  return (
    <Form.List
      name={name}
      rules={[
        {
          validator: async (_, rows: LadderRow[] | undefined) => {
            if (duplicateLadderRows(rows ?? []).length > 0) throw new Error(t('devicesSettings.ladder.duplicate'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <div data-testid="ladder-editor">
          {fields.map((field, i) => (
            <Space key={field.key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
              <Typography.Text type="secondary" style={{ width: 20, display: 'inline-block' }}>
                {i + 1}
              </Typography.Text>
              <Form.Item
                name={[field.name, 'level']}
                rules={[{ required: true, message: t('devicesSettings.ladder.levelRequired') }]}
                style={{ marginBottom: 0 }}
              >
                <Select
                  style={{ width: 140 }}
                  aria-label={t('devicesSettings.ladder.level')}
                  options={LADDER_LEVELS.map((level) => ({
                    value: level,
                    label: t(`devicesSettings.levels.${level}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'afterMin']} style={{ marginBottom: 0 }} initialValue={0}>
                <InputNumber
                  min={0}
                  max={1440}
                  precision={0}
                  style={{ width: 170 }}
                  aria-label={t('devicesSettings.ladder.afterMin')}
                  prefix={t('devicesSettings.ladder.after')}
                  suffix={t('devicesSettings.params.minutesUnit')}
                />
              </Form.Item>
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('common.remove')}
                onClick={() => remove(field.name)}
              />
            </Space>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            disabled={fields.length >= LADDER_LEVELS.length}
            onClick={() => {
              // suggest the first level not yet used, at the usual spacing
              const rows = (form.getFieldValue(name) ?? []) as LadderRow[];
              const level = LADDER_LEVELS.find((l) => !rows.some((r) => r.level === l)) ?? null;
              add({ level, afterMin: level ? [0, 15, 45, 120][LADDER_LEVELS.indexOf(level)] : 0 });
            }}
          >
            {t('devicesSettings.ladder.add')}
          </Button>
          <Form.ErrorList errors={errors} />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('devicesSettings.ladder.hint')}
          </Typography.Paragraph>
        </div>
      )}
    </Form.List>
  );
}
