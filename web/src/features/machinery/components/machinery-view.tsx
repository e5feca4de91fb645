import {
  App,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import type { Booking, Demand, Machine, MachineType, Owner, StatsRowView } from '../machinery-types';
import { MACHINE_TYPES } from '../machinery-types';
import {
  downloadStats,
  useBookings,
  useDemands,
  useMachineryActions,
  useMachines,
  useMatches,
  useOwners,
  useStats,
} from '../use-machinery';

const DAY = 'YYYY-MM-DD';
const STATUS_COLORS: Record<string, string> = {
  open: 'orange',
  booked: 'blue',
  done: 'green',
  cancelled: 'default',
  available: 'green',
  maintenance: 'orange',
  retired: 'default',
};

type Props = { canManage: boolean };

/** 农机共享 in the console: demands (match, book, dispatch), machines and owners, the schedule, monthly figures. */
export function MachineryView({ canManage }: Props) {
  const { t } = useTranslation();
  return (
    <Tabs
      data-testid="machinery-tabs"
      items={[
        { key: 'demands', label: t('machinery.tabs.demands'), children: <DemandsTab canManage={canManage} /> },
        { key: 'schedule', label: t('machinery.tabs.schedule'), children: <ScheduleTab canManage={canManage} /> },
        { key: 'machines', label: t('machinery.tabs.machines'), children: <MachinesTab canManage={canManage} /> },
        { key: 'stats', label: t('machinery.tabs.stats'), children: <StatsTab /> },
      ]}
    />
  );
}

function useFail() {
  const { message } = App.useApp();
  return (e: unknown) => message.error(e instanceof Error ? e.message : String(e));
}

// ---- demands ---------------------------------------------------------------------------------------------------

function DemandsTab({ canManage }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fail = useFail();
  const [status, setStatus] = useState<Demand['status'] | undefined>('open');
  const [page, setPage] = useState(1);
  const [matching, setMatching] = useState<Demand | null>(null);
  const [posting, setPosting] = useState(false);
  const list = useDemands(status, page);
  const act = useMachineryActions();
  const dispatch = () =>
    act.dispatch.mutate(undefined, {
      onSuccess: (r) =>
        message.success(t('machinery.dispatched', { booked: r.booked.length, left: r.unassigned.length })),
      onError: fail,
    });
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          style={{ width: 140 }}
          allowClear
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          placeholder={t('machinery.demandStatus.all')}
          options={(['open', 'booked', 'done', 'cancelled'] as const).map((s) => ({
            value: s,
            label: t(`machinery.demandStatus.${s}`),
          }))}
          data-testid="machinery-demand-status"
        />
        {canManage && (
          <>
            <Button onClick={() => setPosting(true)} data-testid="machinery-new-demand">
              {t('machinery.newDemand')}
            </Button>
            <Button type="primary" loading={act.dispatch.isPending} onClick={dispatch} data-testid="machinery-dispatch">
              {t('machinery.dispatch')}
            </Button>
          </>
        )}
      </Space>
      <Table<Demand>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t('machinery.village'), dataIndex: 'nodeName' },
          { title: t('machinery.farmer'), dataIndex: 'farmerName' },
          { title: t('machinery.place'), dataIndex: 'place' },
          { title: t('machinery.crop'), dataIndex: 'crop' },
          {
            title: t('machinery.type'),
            dataIndex: 'machineType',
            render: (v: MachineType) => t(`machinery.types.${v}`),
          },
          { title: t('machinery.area'), dataIndex: 'areaMu' },
          { title: t('machinery.window'), render: (_, d) => `${d.windowStart} ~ ${d.windowEnd}` },
          {
            title: t('machinery.status'),
            dataIndex: 'status',
            render: (v: Demand['status']) => <Tag color={STATUS_COLORS[v]}>{t(`machinery.demandStatus.${v}`)}</Tag>,
          },
          {
            title: t('machinery.booking'),
            render: (_, d) => (d.booking ? `${d.booking.machineName} ${d.booking.start} ~ ${d.booking.end}` : null),
          },
          {
            title: '',
            render: (_, d) =>
              canManage && d.status === 'open' ? (
                <Button size="small" onClick={() => setMatching(d)} data-testid={`machinery-match-${d.id}`}>
                  {t('machinery.match')}
                </Button>
              ) : null,
          },
        ]}
      />
      {matching && <MatchModal demand={matching} onClose={() => setMatching(null)} />}
      {posting && <DemandModal onClose={() => setPosting(false)} />}
    </>
  );
}

function MatchModal({ demand, onClose }: { demand: Demand; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fail = useFail();
  const matches = useMatches(demand.id);
  const act = useMachineryActions();
  return (
    <Modal open title={t('machinery.matchTitle', { place: demand.place })} onCancel={onClose} footer={null} width={820}>
      <Table
        rowKey="machineId"
        size="small"
        loading={matches.isLoading}
        dataSource={matches.data?.items ?? []}
        locale={{ emptyText: t('machinery.noMatch') }}
        pagination={false}
        columns={[
          { title: t('machinery.machine'), dataIndex: 'machineName' },
          { title: t('machinery.owner'), dataIndex: 'ownerName' },
          {
            title: t('machinery.where'),
            render: (_, m) => `${m.nodeName}（${t(`machinery.placeRank.${m.place}`)}）`,
          },
          { title: t('machinery.days'), render: (_, m) => `${m.start} ~ ${m.end}（${m.days}）` },
          { title: t('machinery.cost'), dataIndex: 'costYuan' },
          {
            title: '',
            render: (_, m) => (
              <Button
                size="small"
                type="primary"
                loading={act.book.isPending}
                data-testid={`machinery-book-${m.machineId}`}
                onClick={() =>
                  act.book.mutate(
                    { demandId: demand.id, machineId: m.machineId, start: m.start, end: m.end },
                    {
                      onSuccess: () => {
                        message.success(t('machinery.booked'));
                        onClose();
                      },
                      onError: fail,
                    },
                  )
                }
              >
                {t('machinery.book')}
              </Button>
            ),
          },
        ]}
      />
    </Modal>
  );
}

type DemandForm = {
  nodeId: number;
  farmerName: string;
  place: string;
  crop: string;
  machineType: MachineType;
  areaMu: number;
  window: [Dayjs, Dayjs];
};

function DemandModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const fail = useFail();
  const [form] = Form.useForm<DemandForm>();
  const act = useMachineryActions();
  const submit = (v: DemandForm) =>
    act.createDemand.mutate(
      {
        nodeId: v.nodeId,
        farmerName: v.farmerName,
        place: v.place,
        crop: v.crop,
        machineType: v.machineType,
        areaMu: v.areaMu,
        windowStart: v.window[0].format(DAY),
        windowEnd: v.window[1].format(DAY),
      },
      { onSuccess: onClose, onError: fail },
    );
  return (
    <Modal
      open
      title={t('machinery.newDemand')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={act.createDemand.isPending}
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="nodeId" label={t('machinery.village')} rules={[{ required: true }]}>
          <NodeSearchSelect types={['village']} />
        </Form.Item>
        <Form.Item name="farmerName" label={t('machinery.farmer')} rules={[{ required: true, max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="place" label={t('machinery.place')} rules={[{ required: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="crop" label={t('machinery.crop')} rules={[{ required: true, max: 30 }]}>
          <Input />
        </Form.Item>
        <TypeField />
        <Form.Item name="areaMu" label={t('machinery.area')} rules={[{ required: true }]}>
          <InputNumber min={0.1} step={0.1} precision={1} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="window" label={t('machinery.window')} rules={[{ required: true }]}>
          <DatePicker.RangePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TypeField({ name = 'machineType' }: { name?: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item name={name} label={t('machinery.type')} rules={[{ required: true }]}>
      <Select options={MACHINE_TYPES.map((v) => ({ value: v, label: t(`machinery.types.${v}`) }))} />
    </Form.Item>
  );
}

// ---- schedule --------------------------------------------------------------------------------------------------

function ScheduleTab({ canManage }: Props) {
  const { t } = useTranslation();
  const fail = useFail();
  const [from, setFrom] = useState(dayjs().subtract(7, 'day').format(DAY));
  const list = useBookings({ from });
  const act = useMachineryActions();
  const [completing, setCompleting] = useState<Booking | null>(null);
  const [area, setArea] = useState<number | null>(null);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text>{t('machinery.from')}</Typography.Text>
        <DatePicker value={dayjs(from)} allowClear={false} onChange={(d) => d && setFrom(d.format(DAY))} />
      </Space>
      <Table<Booking>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          {
            title: t('machinery.machine'),
            render: (_, b) => `${b.machineName}（${t(`machinery.types.${b.machineType}`)}）`,
          },
          { title: t('machinery.owner'), dataIndex: 'ownerName' },
          { title: t('machinery.days'), render: (_, b) => `${b.start} ~ ${b.end}` },
          { title: t('machinery.village'), dataIndex: 'villageName' },
          { title: t('machinery.farmer'), dataIndex: 'farmerName' },
          { title: t('machinery.place'), render: (_, b) => `${b.place} · ${b.crop}` },
          {
            title: t('machinery.area'),
            render: (_, b) => (b.areaDoneMu === null ? b.areaMu : `${b.areaDoneMu} / ${b.areaMu}`),
          },
          {
            title: t('machinery.status'),
            dataIndex: 'status',
            render: (v: Booking['status']) => <Tag color={STATUS_COLORS[v]}>{t(`machinery.bookingStatus.${v}`)}</Tag>,
          },
          {
            title: '',
            render: (_, b) =>
              canManage && b.status === 'booked' ? (
                <Space>
                  <Button
                    size="small"
                    onClick={() => {
                      setCompleting(b);
                      setArea(b.areaMu);
                    }}
                    data-testid={`machinery-complete-${b.id}`}
                  >
                    {t('machinery.complete')}
                  </Button>
                  <Button size="small" danger onClick={() => act.cancel.mutate(b.id, { onError: fail })}>
                    {t('machinery.cancel')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      {completing && (
        <Modal
          open
          title={t('machinery.completeTitle', { machine: completing.machineName })}
          onCancel={() => setCompleting(null)}
          confirmLoading={act.complete.isPending}
          onOk={() =>
            act.complete.mutate(
              { id: completing.id, areaDoneMu: area ?? 0 },
              { onSuccess: () => setCompleting(null), onError: fail },
            )
          }
        >
          <Typography.Paragraph>{t('machinery.areaDone')}</Typography.Paragraph>
          <InputNumber
            min={0}
            max={completing.areaMu}
            step={0.1}
            precision={1}
            value={area}
            onChange={setArea}
            data-testid="machinery-area-done"
          />
        </Modal>
      )}
    </>
  );
}

// ---- machines and owners -----------------------------------------------------------------------------------------

type MachineForm = {
  ownerId: number;
  nodeId: number;
  machineType: MachineType;
  name: string;
  capacityMu: number;
  pricePerMu: number;
};

function MachinesTab({ canManage }: Props) {
  const { t } = useTranslation();
  const fail = useFail();
  const machines = useMachines();
  const owners = useOwners();
  const act = useMachineryActions();
  const [adding, setAdding] = useState<'machine' | 'owner' | null>(null);
  const [mForm] = Form.useForm<MachineForm>();
  const [oForm] = Form.useForm<{ nodeId: number; name: string; kind: string; contactName?: string; phone?: string }>();
  return (
    <>
      {canManage && (
        <Space style={{ marginBottom: 12 }}>
          <Button onClick={() => setAdding('owner')}>{t('machinery.newOwner')}</Button>
          <Button type="primary" onClick={() => setAdding('machine')} data-testid="machinery-new-machine">
            {t('machinery.newMachine')}
          </Button>
        </Space>
      )}
      <Table<Machine>
        rowKey="id"
        size="small"
        loading={machines.isLoading}
        dataSource={machines.data?.items ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('machinery.machine'), dataIndex: 'name' },
          { title: t('machinery.type'), dataIndex: 'type', render: (v: MachineType) => t(`machinery.types.${v}`) },
          { title: t('machinery.owner'), dataIndex: 'ownerName' },
          { title: t('machinery.village'), dataIndex: 'nodeName' },
          { title: t('machinery.capacity'), dataIndex: 'capacityMu' },
          { title: t('machinery.price'), dataIndex: 'pricePerMu' },
          {
            title: t('machinery.status'),
            dataIndex: 'status',
            render: (v: Machine['status'], m) =>
              canManage ? (
                <Select
                  size="small"
                  value={v}
                  style={{ width: 110 }}
                  onChange={(status) => act.updateMachine.mutate({ id: m.id, body: { status } }, { onError: fail })}
                  options={(['available', 'maintenance', 'retired'] as const).map((s) => ({
                    value: s,
                    label: t(`machinery.machineStatus.${s}`),
                  }))}
                />
              ) : (
                <Tag color={STATUS_COLORS[v]}>{t(`machinery.machineStatus.${v}`)}</Tag>
              ),
          },
        ]}
      />
      <Typography.Title level={5}>{t('machinery.owners')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        loading={owners.isLoading}
        dataSource={owners.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('machinery.owner'), dataIndex: 'name' },
          { title: t('machinery.kind'), dataIndex: 'kind', render: (v: Owner['kind']) => t(`machinery.kinds.${v}`) },
          { title: t('machinery.village'), dataIndex: 'nodeName' },
          { title: t('machinery.contact'), render: (_, o) => [o.contactName, o.phone].filter(Boolean).join(' ') },
          { title: t('machinery.machines'), dataIndex: 'machines' },
        ]}
      />
      <Modal
        open={adding === 'machine'}
        title={t('machinery.newMachine')}
        onCancel={() => setAdding(null)}
        onOk={() => mForm.submit()}
        confirmLoading={act.createMachine.isPending}
      >
        <Form
          form={mForm}
          layout="vertical"
          onFinish={(v) =>
            act.createMachine.mutate(
              {
                ownerId: v.ownerId,
                nodeId: v.nodeId,
                type: v.machineType,
                name: v.name,
                capacityMu: v.capacityMu,
                pricePerMu: v.pricePerMu,
              },
              { onSuccess: () => setAdding(null), onError: fail },
            )
          }
        >
          <Form.Item name="ownerId" label={t('machinery.owner')} rules={[{ required: true }]}>
            <Select options={(owners.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))} />
          </Form.Item>
          <Form.Item name="nodeId" label={t('machinery.keptAt')} rules={[{ required: true }]}>
            <NodeSearchSelect types={['village']} />
          </Form.Item>
          <TypeField />
          <Form.Item name="name" label={t('machinery.machineName')} rules={[{ required: true, max: 80 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="capacityMu" label={t('machinery.capacity')} rules={[{ required: true }]}>
            <InputNumber min={0.1} step={0.1} precision={1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="pricePerMu" label={t('machinery.price')} rules={[{ required: true }]}>
            <InputNumber min={0} step={0.5} precision={2} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={adding === 'owner'}
        title={t('machinery.newOwner')}
        onCancel={() => setAdding(null)}
        onOk={() => oForm.submit()}
        confirmLoading={act.createOwner.isPending}
      >
        <Form
          form={oForm}
          layout="vertical"
          onFinish={(v) =>
            act.createOwner.mutate(
              {
                nodeId: v.nodeId,
                name: v.name,
                kind: v.kind as 'cooperative',
                contactName: v.contactName || null,
                phone: v.phone || null,
              },
              { onSuccess: () => setAdding(null), onError: fail },
            )
          }
        >
          <Form.Item name="name" label={t('machinery.owner')} rules={[{ required: true, max: 80 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('machinery.kind')} rules={[{ required: true }]}>
            <Select
              options={(['cooperative', 'alliance', 'household', 'company'] as const).map((k) => ({
                value: k,
                label: t(`machinery.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="nodeId" label={t('machinery.ownerPlace')} rules={[{ required: true }]}>
            <NodeSearchSelect types={['town', 'street', 'community', 'village']} />
          </Form.Item>
          <Form.Item name="contactName" label={t('machinery.contact')}>
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={t('machinery.phone')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

// ---- statistics ------------------------------------------------------------------------------------------------

function StatsTab() {
  const { t } = useTranslation();
  const fail = useFail();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const stats = useStats(month);
  const [exporting, setExporting] = useState(false);
  const table = (title: string, rows: StatsRowView[] | undefined, testId: string) => (
    <>
      <Typography.Title level={5}>{title}</Typography.Title>
      <Table<StatsRowView>
        rowKey="id"
        size="small"
        data-testid={testId}
        loading={stats.isLoading}
        dataSource={rows ?? []}
        pagination={false}
        columns={[
          { title: title, dataIndex: 'name' },
          { title: t('machinery.jobs'), dataIndex: 'bookings' },
          { title: t('machinery.areaDoneMu'), dataIndex: 'areaDoneMu' },
          { title: t('machinery.revenue'), dataIndex: 'revenueYuan' },
        ]}
      />
    </>
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
        />
        <Button
          loading={exporting}
          data-testid="machinery-export"
          onClick={() => {
            setExporting(true);
            downloadStats(month)
              .catch(fail)
              .finally(() => setExporting(false));
          }}
        >
          {t('machinery.export')}
        </Button>
        {stats.data && (
          <Typography.Text data-testid="machinery-total">
            {t('machinery.total', {
              jobs: stats.data.total.bookings,
              area: stats.data.total.areaDoneMu,
              revenue: stats.data.total.revenueYuan,
            })}
          </Typography.Text>
        )}
      </Space>
      {table(t('machinery.byMachine'), stats.data?.byMachine, 'machinery-by-machine')}
      {table(t('machinery.byOwner'), stats.data?.byOwner, 'machinery-by-owner')}
      {table(t('machinery.byVillage'), stats.data?.byVillage, 'machinery-by-village')}
    </>
  );
}
