import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarDayView, WorkPeriod } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useRemoveOverride, useSetOverride, useSetPeriods, useWorkCalendar } from '../hooks/use-cases-settings';
import { type DayLook, dayLook, monthWeeks } from '../utils/settings-utils';

const HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const LOOK_STYLE: Record<DayLook, React.CSSProperties> = {
  holiday: { background: '#fff1f0', color: '#cf1322', fontWeight: 600 },
  makeup: { background: '#e6f4ff', color: '#0958d9', fontWeight: 600 },
  weekend: { color: '#8c8c8c' },
  workday: {},
};

function thisYear(): number {
  return Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
}

function PeriodsEditor({ periods }: { periods: WorkPeriod[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ periods: WorkPeriod[] }>();
  const save = useSetPeriods();
  useEffect(() => form.setFieldsValue({ periods }), [form, periods]);

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    try {
      await save.mutateAsync(values.periods);
      message.success(t('common.saved'));
    } catch (e) {
      if (!showFieldError(form, e, ['periods'])) message.error(e instanceof Error ? e.message : t('errors.unknown'));
    }
  };

  const rule = { pattern: HHMM, message: t('casesSettings.calendar.hhmm') };
  return (
    <Form form={form} layout="inline" data-testid="working-periods">
      <Form.List name="periods">
        {(fields, { add, remove }) => (
          <Space wrap>
            {fields.map((field, i) => (
              <Space.Compact key={field.key}>
                <Form.Item name={[field.name, 'start']} rules={[{ required: true, ...rule }]} noStyle>
                  <Input
                    style={{ width: 72 }}
                    placeholder="09:00"
                    aria-label={`${t('casesSettings.calendar.start')} ${i + 1}`}
                  />
                </Form.Item>
                <Input style={{ width: 28, pointerEvents: 'none' }} placeholder="–" disabled />
                <Form.Item name={[field.name, 'end']} rules={[{ required: true, ...rule }]} noStyle>
                  <Input
                    style={{ width: 72 }}
                    placeholder="12:00"
                    aria-label={`${t('casesSettings.calendar.end')} ${i + 1}`}
                  />
                </Form.Item>
                {fields.length > 1 && (
                  <Button
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t('common.remove')}
                  />
                )}
              </Space.Compact>
            ))}
            {fields.length < 6 && (
              <Button icon={<PlusOutlined />} onClick={() => add({ start: '', end: '' })}>
                {t('casesSettings.calendar.addPeriod')}
              </Button>
            )}
            <Button type="primary" onClick={submit} loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Space>
        )}
      </Form.List>
    </Form>
  );
}

type Editing = { date: string; listed: CalendarDayView | undefined };

function DayDialog({ editing, onClose }: { editing: Editing | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: 'workday' | 'holiday'; name?: string }>();
  const setOverride = useSetOverride();
  const removeOverride = useRemoveOverride();
  useEffect(() => {
    if (!editing) return;
    const look = dayLook(editing.date, editing.listed);
    // Offer the opposite of what the day is now.
    form.setFieldsValue({
      kind: look === 'holiday' || look === 'weekend' ? 'workday' : 'holiday',
      name: editing.listed?.source === 'local' ? editing.listed.name : '',
    });
  }, [editing, form]);
  if (!editing) return null;
  const isLocal = editing.listed?.source === 'local';

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    try {
      await setOverride.mutateAsync({
        date: editing.date,
        body: { kind: values.kind, name: values.name?.trim() ? values.name.trim() : null },
      });
      message.success(t('common.saved'));
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, ['kind', 'name']))
        message.error(e instanceof Error ? e.message : t('errors.unknown'));
    }
  };
  const remove = async () => {
    try {
      await removeOverride.mutateAsync(editing.date);
      message.success(t('casesSettings.calendar.removed'));
      onClose();
    } catch (e) {
      message.error(e instanceof Error ? e.message : t('errors.unknown'));
    }
  };

  return (
    <Modal
      open
      title={t('casesSettings.calendar.dayTitle', { date: editing.date })}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      confirmLoading={setOverride.isPending}
      footer={(_, { OkBtn, CancelBtn }) => (
        <Space>
          {isLocal && (
            <Popconfirm title={t('casesSettings.calendar.removeConfirm')} onConfirm={remove}>
              <Button danger loading={removeOverride.isPending}>
                {t('casesSettings.calendar.removeOverride')}
              </Button>
            </Popconfirm>
          )}
          <CancelBtn />
          <OkBtn />
        </Space>
      )}
    >
      {editing.listed && (
        <Typography.Paragraph type="secondary">
          {t(`casesSettings.calendar.source.${editing.listed.source}`)}：{editing.listed.name || t('common.none')}（
          {t(`casesSettings.calendar.kind.${editing.listed.kind}`)}）
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical">
        <Form.Item name="kind" label={t('casesSettings.calendar.makeIt')} rules={[{ required: true }]}>
          <Radio.Group>
            <Radio.Button value="workday">{t('casesSettings.calendar.kind.workday')}</Radio.Button>
            <Radio.Button value="holiday">{t('casesSettings.calendar.kind.holiday')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="name" label={t('casesSettings.calendar.name')} rules={[{ max: 40 }]}>
          <Input placeholder={t('casesSettings.calendar.namePlaceholder')} maxLength={40} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MonthCard({
  year,
  month,
  listed,
  onPick,
}: {
  year: number;
  month: number;
  listed: Map<string, CalendarDayView>;
  onPick: (e: Editing) => void;
}) {
  const { t } = useTranslation();
  const weekdays = t('casesSettings.calendar.weekdays').split(',');
  return (
    <Card size="small" title={t('casesSettings.calendar.month', { month })}>
      <table style={{ width: '100%', borderCollapse: 'collapse', textAlign: 'center', fontSize: 12 }}>
        <thead>
          <tr>
            {weekdays.map((w) => (
              <th key={w} style={{ fontWeight: 400, color: '#8c8c8c' }}>
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthWeeks(year, month).map((week) => (
            <tr key={week[0]!.key}>
              {week.map(({ key, date }) => {
                if (!date) return <td key={key} />;
                const day = listed.get(date);
                const look = dayLook(date, day);
                const label = day ? `${date} ${day.name}（${t(`casesSettings.calendar.kind.${day.kind}`)}）` : date;
                return (
                  <td key={date} style={{ padding: 1 }}>
                    <Tooltip title={label}>
                      <button
                        type="button"
                        data-date={date}
                        data-look={look}
                        aria-label={label}
                        onClick={() => onPick({ date, listed: day })}
                        style={{
                          width: '100%',
                          border: day?.source === 'local' ? '1px dashed #d46b08' : '1px solid transparent',
                          borderRadius: 4,
                          cursor: 'pointer',
                          background: 'transparent',
                          padding: '2px 0',
                          ...LOOK_STYLE[look],
                        }}
                      >
                        {Number(date.slice(8))}
                      </button>
                    </Tooltip>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** 工作日历: a year of holidays and make-up days (official, from chinese-days, and local), and the working periods. */
export function CalendarTab() {
  const { t } = useTranslation();
  const now = thisYear();
  const [year, setYear] = useState(now);
  const [editing, setEditing] = useState<Editing | null>(null);
  const calendar = useWorkCalendar(year);
  const listed = useMemo(() => new Map((calendar.data?.days ?? []).map((d) => [d.date, d])), [calendar.data]);
  const locals = (calendar.data?.days ?? []).filter((d) => d.source === 'local');

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {calendar.data?.warning === 'NEXT_YEAR_EMPTY' && (
        <Alert
          type="warning"
          showIcon
          data-testid="next-year-warning"
          message={t('casesSettings.calendar.nextYearEmpty', { year: now + 1 })}
          description={t('casesSettings.calendar.nextYearEmptyHint')}
          action={
            year !== now + 1 ? (
              <Button size="small" onClick={() => setYear(now + 1)}>
                {t('casesSettings.calendar.openYear', { year: now + 1 })}
              </Button>
            ) : undefined
          }
        />
      )}
      <Space wrap>
        <Typography.Text strong>{t('casesSettings.calendar.periods')}</Typography.Text>
        {calendar.data && <PeriodsEditor periods={calendar.data.periods} />}
      </Space>
      <Space wrap>
        <Select
          value={year}
          onChange={setYear}
          aria-label={t('casesSettings.calendar.year')}
          options={[now - 1, now, now + 1, now + 2].map((y) => ({ value: y, label: String(y) }))}
          style={{ width: 100 }}
        />
        <Tag color="red">{t('casesSettings.calendar.legend.holiday')}</Tag>
        <Tag color="blue">{t('casesSettings.calendar.legend.makeup')}</Tag>
        <Tag>{t('casesSettings.calendar.legend.weekend')}</Tag>
        <Tag color="orange" style={{ borderStyle: 'dashed' }}>
          {t('casesSettings.calendar.legend.local')}
        </Tag>
        <Typography.Text type="secondary">{t('casesSettings.calendar.clickHint')}</Typography.Text>
      </Space>
      {calendar.isLoading ? (
        <Spin />
      ) : calendar.isError ? (
        <Alert type="error" message={calendar.error.message} />
      ) : (
        <Row gutter={[12, 12]}>
          {Array.from({ length: 12 }, (_, i) => i + 1).map((month) => (
            <Col key={month} xs={24} sm={12} lg={8} xl={6}>
              <MonthCard year={year} month={month} listed={listed} onPick={setEditing} />
            </Col>
          ))}
        </Row>
      )}
      {locals.length > 0 && (
        <Typography.Paragraph type="secondary">
          {t('casesSettings.calendar.localList')}：
          {locals.map((d) => `${d.date} ${d.name || ''}（${t(`casesSettings.calendar.kind.${d.kind}`)}）`).join('；')}
        </Typography.Paragraph>
      )}
      <DayDialog editing={editing} onClose={() => setEditing(null)} />
    </Space>
  );
}
