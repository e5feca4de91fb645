import { Alert, App, Button, DatePicker, Drawer, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ResidentSearchSelect } from '../people/components/resident-search-select';
import { SKILL_CODES } from '../volunteers/volunteer-logic';
import { MAX_MINUTES, MIN_MINUTES, requestBody, serviceBody, totalMinutes } from './timebank-forms-logic';
import { skillLabel } from './timebank-labels';
import { useTimebankAction } from './use-timebank';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

type DurationFields = { hours?: number | null; minutes?: number | null };

/** Hours plus minutes side by side; the total is checked against the API's bounds (15 min … 24 h). */
function DurationItems() {
  const { t } = useTranslation();
  const check = ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
    validator: () => {
      const total = totalMinutes({
        hours: getFieldValue('hours') as number | null,
        minutes: getFieldValue('minutes') as number | null,
      });
      return total >= MIN_MINUTES && total <= MAX_MINUTES
        ? Promise.resolve()
        : Promise.reject(new Error(t('timebank.durationInvalid')));
    },
  });
  return (
    <Form.Item label={t('timebank.duration')} extra={t('timebank.durationHint')} required>
      <Space>
        <Form.Item name="hours" noStyle>
          <InputNumber
            min={0}
            max={24}
            precision={0}
            aria-label={t('timebank.durationHours')}
            suffix={t('timebank.unitHours')}
          />
        </Form.Item>
        <Form.Item name="minutes" dependencies={['hours']} rules={[check]} noStyle>
          <InputNumber
            min={0}
            max={59}
            step={15}
            precision={0}
            aria-label={t('timebank.durationMinutes')}
            suffix={t('timebank.unitMinutes')}
          />
        </Form.Item>
      </Space>
    </Form.Item>
  );
}

const serviceTypeOptions = () => SKILL_CODES.map((c) => ({ value: c, label: skillLabel(c) }));

type ServiceForm = DurationFields & {
  volunteerResidentId: number;
  recipientResidentId: number;
  serviceType: string;
  servedAt: Dayjs;
  note?: string;
};

/** 登记服务: a worker records a service a volunteer gave (POST /api/timebank/services), to be confirmed. */
export function NewServiceDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open={open} onClose={onClose} title={t('timebank.newService')} size={460} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('timebank.newServiceHint')}</Typography.Paragraph>
      <NewServiceForm onDone={onClose} />
    </Drawer>
  );
}

/** The form of {@link NewServiceDrawer}. */
export function NewServiceForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const action = useTimebankAction();
  return (
    <Form<ServiceForm>
      layout="vertical"
      data-testid="timebank-new-service"
      initialValues={{ hours: 1, minutes: 0, servedAt: dayjs().startOf('minute') }}
      onFinish={(v) =>
        action.mutate(
          { path: '/api/timebank/services', body: serviceBody({ ...v, servedAt: v.servedAt.toDate() }) },
          {
            onSuccess: () => {
              message.success(t('timebank.serviceSaved'));
              onDone();
            },
          },
        )
      }
    >
      <Form.Item name="volunteerResidentId" label={t('timebank.volunteer')} rules={[{ required: true }]}>
        <ResidentSearchSelect data-testid="timebank-volunteer" />
      </Form.Item>
      <Form.Item name="recipientResidentId" label={t('timebank.recipient')} rules={[{ required: true }]}>
        <ResidentSearchSelect data-testid="timebank-recipient" />
      </Form.Item>
      <Form.Item name="serviceType" label={t('timebank.serviceType')} rules={[{ required: true }]}>
        <Select
          data-testid="timebank-service-type"
          showSearch={{ optionFilterProp: 'label' }}
          options={serviceTypeOptions()}
        />
      </Form.Item>
      <Form.Item name="servedAt" label={t('timebank.servedAt')} rules={[{ required: true }]}>
        <DatePicker
          showTime
          format="YYYY-MM-DD HH:mm"
          disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          style={{ width: '100%' }}
        />
      </Form.Item>
      <DurationItems />
      <Form.Item name="note" label={t('timebank.note')}>
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
      {action.isError ? <Alert type="error" showIcon message={errorText(action.error)} /> : null}
      <Button type="primary" htmlType="submit" loading={action.isPending} style={{ marginTop: 12 }}>
        {t('timebank.save')}
      </Button>
    </Form>
  );
}

type RequestForm = DurationFields & {
  beneficiaryResidentId: number;
  serviceType: string;
  wantedAt: Dayjs;
  place?: string;
  description?: string;
};

/** 代居民发布需求: a worker files a request the community pays for (POST /api/timebank/requests). */
export function NewRequestDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open={open} onClose={onClose} title={t('timebank.newRequest')} size={460} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('timebank.newRequestHint')}</Typography.Paragraph>
      <NewRequestForm onDone={onClose} />
    </Drawer>
  );
}

/** The form of {@link NewRequestDrawer}. */
export function NewRequestForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const action = useTimebankAction();
  return (
    <Form<RequestForm>
      layout="vertical"
      data-testid="timebank-new-request"
      initialValues={{ hours: 1, minutes: 0, wantedAt: dayjs().add(1, 'day').startOf('hour') }}
      onFinish={(v) =>
        action.mutate(
          { path: '/api/timebank/requests', body: requestBody({ ...v, wantedAt: v.wantedAt.toDate() }) },
          {
            onSuccess: () => {
              message.success(t('timebank.requestSaved'));
              onDone();
            },
          },
        )
      }
    >
      <Form.Item name="beneficiaryResidentId" label={t('timebank.beneficiary')} rules={[{ required: true }]}>
        <ResidentSearchSelect data-testid="timebank-beneficiary" />
      </Form.Item>
      <Form.Item name="serviceType" label={t('timebank.serviceType')} rules={[{ required: true }]}>
        <Select
          data-testid="timebank-service-type"
          showSearch={{ optionFilterProp: 'label' }}
          options={serviceTypeOptions()}
        />
      </Form.Item>
      <Form.Item name="wantedAt" label={t('timebank.wantedAt')} rules={[{ required: true }]}>
        <DatePicker showTime format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <DurationItems />
      <Form.Item name="place" label={t('timebank.place')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="description" label={t('timebank.description')}>
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
      {action.isError ? <Alert type="error" showIcon message={errorText(action.error)} /> : null}
      <Button type="primary" htmlType="submit" loading={action.isPending} style={{ marginTop: 12 }}>
        {t('timebank.save')}
      </Button>
    </Form>
  );
}
