import {
  Button,
  Card,
  DatePicker,
  ErrorBlock,
  Form,
  Input,
  List,
  Selector,
  SpinLoading,
  Stepper,
  Tag,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccess } from '../../features/auth/hooks/use-access';
import { MACHINE_TYPES, type MachineType } from '../../features/machinery/machinery-types';
import { useMachineryActions, useMyDemands, useMySchedule } from '../../features/machinery/use-machinery';

const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const failed = (e: unknown) => Toast.show({ icon: 'fail', content: e instanceof Error ? e.message : String(e) });
const COLORS = { open: 'warning', booked: 'primary', done: 'success', cancelled: 'default' } as const;

/**
 * /m/machinery (农机共享): a farmer (an account linked to a villager) posts demand for a field and follows it to
 * its booking; a member of an owner's organisation (a partner account) sees the owner's schedule.
 */
export function MobileMachineryPage() {
  const { t } = useTranslation();
  const access = useAccess();
  return (
    <div className="m-page" data-testid="m-machinery">
      {access.hasResidentRecord ? <FarmerSection /> : null}
      {access.canActAsPartner ? <ScheduleSection /> : null}
      {!access.hasResidentRecord && !access.canActAsPartner ? (
        <ErrorBlock status="empty" description={t('machinery.mobile.empty')} />
      ) : null}
    </div>
  );
}

type PostForm = { place: string; crop: string; machineType: MachineType[]; areaMu: number };

function FarmerSection() {
  const { t } = useTranslation();
  const mine = useMyDemands();
  const act = useMachineryActions();
  const [form] = Form.useForm<PostForm>();
  const [start, setStart] = useState<Date | null>(null);
  const [end, setEnd] = useState<Date | null>(null);
  const [picking, setPicking] = useState<'start' | 'end' | null>(null);
  const submit = (v: PostForm) => {
    if (!start || !end) return failed(t('machinery.window'));
    act.postMine.mutate(
      {
        place: v.place,
        crop: v.crop,
        machineType: v.machineType[0] as MachineType,
        areaMu: v.areaMu,
        windowStart: day(start),
        windowEnd: day(end),
      },
      {
        onSuccess: () => {
          Toast.show({ icon: 'success', content: t('machinery.mobile.posted') });
          form.resetFields();
          setStart(null);
          setEnd(null);
        },
        onError: failed,
      },
    );
  };
  return (
    <>
      <Card title={t('machinery.mobile.post')}>
        <Form
          form={form}
          onFinish={submit}
          initialValues={{ areaMu: 10 }}
          footer={
            <Button
              block
              type="submit"
              color="primary"
              loading={act.postMine.isPending}
              data-testid="m-machinery-submit"
            >
              {t('machinery.mobile.submit')}
            </Button>
          }
        >
          <Form.Item name="machineType" label={t('machinery.type')} rules={[{ required: true }]}>
            <Selector
              columns={3}
              options={MACHINE_TYPES.map((v) => ({ value: v, label: t(`machinery.types.${v}`) }))}
            />
          </Form.Item>
          <Form.Item name="place" label={t('machinery.place')} rules={[{ required: true, max: 100 }]}>
            <Input placeholder={t('machinery.place')} data-testid="m-machinery-place" />
          </Form.Item>
          <Form.Item name="crop" label={t('machinery.crop')} rules={[{ required: true, max: 30 }]}>
            <Input placeholder={t('machinery.crop')} data-testid="m-machinery-crop" />
          </Form.Item>
          <Form.Item name="areaMu" label={t('machinery.area')} rules={[{ required: true }]}>
            <Stepper min={0.1} step={1} digits={1} />
          </Form.Item>
          <Form.Item label={t('machinery.mobile.start')} onClick={() => setPicking('start')}>
            {start ? day(start) : '—'}
          </Form.Item>
          <Form.Item label={t('machinery.mobile.end')} onClick={() => setPicking('end')}>
            {end ? day(end) : '—'}
          </Form.Item>
        </Form>
        <DatePicker
          visible={picking !== null}
          min={picking === 'end' && start ? start : new Date()}
          onClose={() => setPicking(null)}
          onConfirm={(d) => (picking === 'start' ? setStart(d) : setEnd(d))}
        />
      </Card>
      <List header={t('machinery.mobile.mine')} data-testid="m-machinery-mine">
        {mine.isLoading ? (
          <SpinLoading style={{ margin: '16px auto' }} />
        ) : (mine.data?.items ?? []).length === 0 ? (
          <List.Item>{t('machinery.mobile.empty')}</List.Item>
        ) : (
          (mine.data?.items ?? []).map((d) => (
            <List.Item
              key={d.id}
              extra={<Tag color={COLORS[d.status]}>{t(`machinery.demandStatus.${d.status}`)}</Tag>}
              description={
                d.booking
                  ? `${d.booking.machineName}（${d.booking.ownerName}）${d.booking.start} ~ ${d.booking.end} · ${t('machinery.mobile.costYuan', { cost: d.booking.costYuan })}`
                  : `${d.windowStart} ~ ${d.windowEnd} · ${t('machinery.mobile.waiting')}`
              }
            >
              {d.place} · {d.crop} · {t(`machinery.types.${d.machineType}`)} · {d.areaMu} 亩
            </List.Item>
          ))
        )}
      </List>
    </>
  );
}

function ScheduleSection() {
  const { t } = useTranslation();
  const schedule = useMySchedule();
  if (schedule.isError) return <ErrorBlock status="default" description={schedule.error.message} />;
  return (
    <List header={t('machinery.mobile.schedule')} data-testid="m-machinery-schedule">
      {schedule.isLoading ? (
        <SpinLoading style={{ margin: '16px auto' }} />
      ) : (schedule.data?.items ?? []).length === 0 ? (
        <List.Item>{t('machinery.mobile.scheduleEmpty')}</List.Item>
      ) : (
        (schedule.data?.items ?? []).map((b) => (
          <List.Item
            key={b.id}
            extra={<Tag color={COLORS[b.status]}>{t(`machinery.bookingStatus.${b.status}`)}</Tag>}
            description={`${b.villageName} · ${b.place} · ${b.crop} · ${b.farmerName} · ${b.areaMu} 亩`}
          >
            {b.start} ~ {b.end} · {b.machineName}
          </List.Item>
        ))
      )}
    </List>
  );
}
