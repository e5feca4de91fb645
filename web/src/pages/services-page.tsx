import {
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { CaseSummary, Menu, ServiceEntry } from '../api-types';
import { REPAIR_CATEGORY_CODE, repairClock, yuan } from '../features/services/services-logic';
import {
  useCanteens,
  useEntries,
  useMealCounts,
  useMenus,
  useOrders,
  useServicesChange,
} from '../features/services/use-services';
import { useCaseCategories, useCaseList } from '../mobile/cases/use-phone-cases';
import { fetchFile } from '../ui/api';
import { formatTime } from '../ui/time';

type MealKey = 'lunch' | 'dinner';
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const CATEGORIES = ['housekeeping', 'repair', 'medical', 'elderly', 'canteen', 'property', 'other'] as const;

/** Today in Asia/Shanghai as YYYY-MM-DD. */
const shanghaiToday = (plus = 0) => new Date(Date.now() + 8 * 3_600_000 + plus * 86_400_000).toISOString().slice(0, 10);

/** 便民服务 (/services): the elder canteen (kitchen counts, menus, subsidies, orders), the directory, repairs. */
export function ServicesPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('menu.services')} data-testid="services-page">
      <Tabs
        items={[
          { key: 'canteen', label: t('services.console.tabs.canteen'), children: <CanteenTab /> },
          { key: 'directory', label: t('services.console.tabs.directory'), children: <DirectoryTab /> },
          { key: 'repair', label: t('services.console.tabs.repair'), children: <RepairTab /> },
        ]}
      />
    </Card>
  );
}

function CanteenTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canteens = useCanteens();
  const [canteenId, setCanteenId] = useState<number | null>(null);
  const [params] = useSearchParams();
  // ?day=YYYY-MM-DD opens the kitchen's count of that day (a link from elsewhere, or a bookmark for the kitchen)
  const [day, setDay] = useState(() => {
    const d = params.get('day');
    return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : shanghaiToday();
  });
  const [menuOpen, setMenuOpen] = useState(false);
  const [subsidyOpen, setSubsidyOpen] = useState(false);
  useEffect(() => {
    if (canteenId === null && canteens.data?.[0]) setCanteenId(canteens.data[0].id);
  }, [canteenId, canteens.data]);
  const canteen = canteens.data?.find((c) => c.id === canteenId) ?? null;
  const counts = useMealCounts(canteenId, day);
  const menus = useMenus(canteenId, shanghaiToday(), shanghaiToday(6));
  const orders = useOrders({ ...(canteenId ? { canteenId } : {}), day });
  const change = useServicesChange();

  if (canteens.isLoading) return null;
  if ((canteens.data ?? []).length === 0) return <Empty description={t('services.console.noCanteen')} />;

  const download = async () => {
    try {
      const response = await fetchFile(`/api/services/canteens/${canteenId}/counts.csv`, { day });
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `meal-counts-${canteenId}-${day}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Space wrap>
        <Select
          style={{ minWidth: 220 }}
          value={canteenId ?? undefined}
          onChange={setCanteenId}
          options={(canteens.data ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.nodeName}）` }))}
          data-testid="services-canteen-select"
        />
        <DatePicker
          value={dayjs(day)}
          allowClear={false}
          onChange={(d: Dayjs | null) => d && setDay(d.format('YYYY-MM-DD'))}
          data-testid="services-day"
        />
        <Button onClick={() => window.print()}>{t('services.console.print')}</Button>
        <Button onClick={download} data-testid="services-export">
          {t('services.console.exportCsv')}
        </Button>
      </Space>
      <Card size="small" title={`${t('services.console.counts')} · ${counts.data?.canteenName ?? ''} · ${day}`}>
        <Table
          rowKey="menuId"
          size="small"
          pagination={false}
          loading={counts.isLoading}
          dataSource={counts.data?.meals ?? []}
          data-testid="services-counts"
          columns={[
            { title: t('services.console.meal'), dataIndex: 'meal', render: (m: MealKey) => t(`services.meal.${m}`) },
            { title: t('services.console.dishes'), dataIndex: 'dishes', render: (d: string[]) => d.join('、') },
            { title: t('services.console.orders'), dataIndex: 'orders' },
            {
              title: t('services.console.portions'),
              dataIndex: 'portions',
              render: (n: number) => <strong data-testid="services-portions">{n}</strong>,
            },
            { title: t('services.console.deliveries'), dataIndex: 'delivery' },
            { title: t('services.console.capacity'), dataIndex: 'capacity' },
          ]}
        />
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('services.console.deliveryList')}
        </Typography.Title>
        <Table
          rowKey="orderId"
          size="small"
          pagination={false}
          dataSource={counts.data?.deliveries ?? []}
          columns={[
            { title: t('services.console.meal'), dataIndex: 'meal', render: (m: MealKey) => t(`services.meal.${m}`) },
            { title: t('services.console.resident'), dataIndex: 'residentName' },
            { title: t('services.console.address'), dataIndex: 'address' },
            { title: t('services.console.portions'), dataIndex: 'quantity' },
          ]}
        />
      </Card>
      <Card size="small" title={t('services.console.orderList')}>
        <Table
          rowKey="id"
          size="small"
          loading={orders.isLoading}
          dataSource={orders.data ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('services.console.resident'), dataIndex: 'residentName' },
            { title: t('services.console.meal'), dataIndex: 'meal', render: (m: MealKey) => t(`services.meal.${m}`) },
            {
              title: t('services.console.channel'),
              render: (_: unknown, o) => `${t(`services.channel.${o.channel}`)} ${o.orderedByName ?? ''}`,
            },
            {
              title: t('services.console.pay'),
              render: (_: unknown, o) =>
                o.payment === 'hours'
                  ? `${o.payMinutes} min`
                  : `${yuan(o.payCents)} ${o.subsidyLabel ? `(${o.subsidyLabel})` : ''}`,
            },
            {
              title: t('services.console.status'),
              render: (_: unknown, o) => (
                <Tag color={o.status === 'ordered' ? 'blue' : 'default'}>{t(`services.orderStatus.${o.status}`)}</Tag>
              ),
            },
            {
              title: '',
              render: (_: unknown, o) =>
                o.cancellable ? (
                  <Popconfirm
                    title={t('services.canteen.cancelConfirm')}
                    onConfirm={() =>
                      change.mutateAsync({ kind: 'cancelOrder', id: o.id }).catch((e) => message.error(errorText(e)))
                    }
                  >
                    <Button size="small">{t('services.console.cancel')}</Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('services.console.menus')}
        extra={<Button onClick={() => setMenuOpen(true)}>{t('services.console.newMenu')}</Button>}
      >
        <Table<Menu>
          rowKey="id"
          size="small"
          pagination={false}
          loading={menus.isLoading}
          dataSource={menus.data ?? []}
          columns={[
            { title: t('services.console.day'), dataIndex: 'day' },
            { title: t('services.console.meal'), dataIndex: 'meal', render: (m: MealKey) => t(`services.meal.${m}`) },
            { title: t('services.console.dishes'), dataIndex: 'dishes', render: (d: string[]) => d.join('、') },
            { title: t('services.console.price'), dataIndex: 'priceCents', render: (c: number) => yuan(c) },
            { title: t('services.console.ordered'), render: (_: unknown, m) => `${m.ordered} / ${m.capacity}` },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('services.console.subsidies')}
        extra={<Button onClick={() => setSubsidyOpen(true)}>{t('services.console.editSubsidies')}</Button>}
      >
        <Space wrap>
          {(canteen?.subsidies ?? []).map((s) => (
            <Tag key={s.id} color="green">
              {s.tagName}：{s.kind === 'amount' ? `-${yuan(s.value)}` : `-${s.value}%`}
            </Tag>
          ))}
        </Space>
      </Card>
      {canteenId !== null ? (
        <MenuModal open={menuOpen} canteenId={canteenId} onClose={() => setMenuOpen(false)} />
      ) : null}
      {canteen ? (
        <SubsidyModal
          open={subsidyOpen}
          canteenId={canteen.id}
          initial={canteen.subsidies.map((s) => ({
            tagId: s.tagId,
            kind: s.kind,
            value: s.kind === 'amount' ? s.value / 100 : s.value,
          }))}
          onClose={() => setSubsidyOpen(false)}
        />
      ) : null}
    </Space>
  );
}

function MenuModal({ open, canteenId, onClose }: { open: boolean; canteenId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const change = useServicesChange();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await change.mutateAsync({
        kind: 'createMenu',
        id: canteenId,
        body: {
          day: (v.day as Dayjs).format('YYYY-MM-DD'),
          meal: v.meal,
          dishes: String(v.dishes)
            .split(/[、,，\s]+/)
            .filter(Boolean),
          priceCents: Math.round(Number(v.price) * 100),
          priceMinutes: v.minutes ? Number(v.minutes) : null,
          capacity: Number(v.capacity),
        },
      });
      form.resetFields();
      onClose();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Modal open={open} title={t('services.console.newMenu')} onOk={submit} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ meal: 'lunch', capacity: 50 }}>
        <Form.Item name="day" label={t('services.console.day')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="meal" label={t('services.console.meal')} rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'lunch', label: t('services.meal.lunch') },
              { value: 'dinner', label: t('services.meal.dinner') },
            ]}
          />
        </Form.Item>
        <Form.Item name="dishes" label={t('services.console.dishes')} rules={[{ required: true }]}>
          <Input placeholder="红烧肉、清炒时蔬、米饭" />
        </Form.Item>
        <Form.Item name="price" label={t('services.console.price')} rules={[{ required: true }]}>
          <InputNumber min={0} max={1000} step={0.5} />
        </Form.Item>
        <Form.Item name="minutes" label={t('services.console.priceHours')}>
          <InputNumber min={1} max={600} />
        </Form.Item>
        <Form.Item name="capacity" label={t('services.console.capacity')} rules={[{ required: true }]}>
          <InputNumber min={1} max={10000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type RuleRow = { tagId: number; kind: 'amount' | 'percent'; value: number };

function SubsidyModal({
  open,
  canteenId,
  initial,
  onClose,
}: {
  open: boolean;
  canteenId: number;
  initial: RuleRow[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ rules: RuleRow[] }>();
  const change = useServicesChange();
  const [tags, setTags] = useState<{ value: number; label: string }[]>([]);
  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({ rules: initial });
    fetch('/api/people/tags', { credentials: 'same-origin' })
      .then((r) => r.json())
      .then((b: { items?: { id: number; name: string }[] }) =>
        setTags((b.items ?? []).map((x) => ({ value: x.id, label: x.name }))),
      )
      .catch(() => setTags([]));
  }, [open, form, initial]);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await change.mutateAsync({
        kind: 'putSubsidies',
        id: canteenId,
        body: {
          rules: (v.rules ?? []).map((r) => ({
            tagId: r.tagId,
            kind: r.kind,
            value: r.kind === 'amount' ? Math.round(r.value * 100) : Math.round(r.value),
          })),
        },
      });
      onClose();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Modal open={open} title={t('services.console.editSubsidies')} onOk={submit} onCancel={onClose} width={640}>
      <Form form={form} layout="vertical">
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'tagId']} rules={[{ required: true }]}>
                    <Select style={{ width: 180 }} options={tags} placeholder={t('services.console.tagId')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'kind']} rules={[{ required: true }]}>
                    <Select
                      style={{ width: 160 }}
                      options={[
                        { value: 'amount', label: t('services.console.amount') },
                        { value: 'percent', label: t('services.console.percent') },
                      ]}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'value']} rules={[{ required: true }]}>
                    <InputNumber min={0.01} max={100} placeholder={t('services.console.value')} />
                  </Form.Item>
                  <Button onClick={() => remove(f.name)}>{t('services.console.delete')}</Button>
                </Space>
              ))}
              <Button onClick={() => add({ kind: 'amount', value: 3 })}>{t('services.console.addRule')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function DirectoryTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const entries = useEntries();
  const change = useServicesChange();
  const canteens = useCanteens();
  const [editing, setEditing] = useState<ServiceEntry | 'new' | null>(null);
  const [form] = Form.useForm();
  useEffect(() => {
    if (editing === null) return;
    form.resetFields();
    if (editing !== 'new') form.setFieldsValue(editing);
  }, [editing, form]);
  const nodes = new Map<number, string>();
  for (const e of entries.data ?? []) nodes.set(e.nodeId, e.nodeName);
  for (const c of canteens.data ?? []) nodes.set(c.nodeId, c.nodeName);
  const submit = async () => {
    const v = await form.validateFields();
    const body = {
      name: v.name,
      category: v.category,
      provider: v.provider || null,
      address: v.address || null,
      hours: v.hours || null,
      phone: v.phone || null,
      description: v.description || null,
    };
    try {
      if (editing === 'new') await change.mutateAsync({ kind: 'createEntry', body: { ...body, nodeId: v.nodeId } });
      else if (editing) await change.mutateAsync({ kind: 'updateEntry', id: editing.id, body });
      setEditing(null);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <>
      <Button type="primary" onClick={() => setEditing('new')} style={{ marginBottom: 12 }}>
        {t('services.console.newEntry')}
      </Button>
      <Table<ServiceEntry>
        rowKey="id"
        size="small"
        loading={entries.isLoading}
        dataSource={entries.data ?? []}
        data-testid="services-entries"
        columns={[
          { title: t('services.console.name'), dataIndex: 'name' },
          {
            title: t('services.console.category'),
            dataIndex: 'category',
            render: (c: ServiceEntry['category']) => <Tag>{t(`services.category.${c}`)}</Tag>,
          },
          { title: t('services.console.provider'), dataIndex: 'provider' },
          { title: t('services.console.address'), dataIndex: 'address' },
          { title: t('services.console.hours'), dataIndex: 'hours' },
          { title: t('services.console.phone'), dataIndex: 'phone' },
          { title: t('services.console.node'), dataIndex: 'nodeName' },
          {
            title: '',
            render: (_: unknown, e) => (
              <Space>
                <Button size="small" onClick={() => setEditing(e)}>
                  {t('services.console.edit')}
                </Button>
                <Popconfirm
                  title={t('services.console.deleteConfirm')}
                  onConfirm={() =>
                    change.mutateAsync({ kind: 'deleteEntry', id: e.id }).catch((err) => message.error(errorText(err)))
                  }
                >
                  <Button size="small" danger>
                    {t('services.console.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('services.console.newEntry') : t('services.console.edit')}
        onOk={submit}
        onCancel={() => setEditing(null)}
      >
        <Form form={form} layout="vertical" initialValues={{ category: 'other' }}>
          {editing === 'new' ? (
            <Form.Item name="nodeId" label={t('services.console.node')} rules={[{ required: true }]}>
              <Select options={[...nodes].map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          ) : null}
          <Form.Item name="name" label={t('services.console.name')} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="category" label={t('services.console.category')} rules={[{ required: true }]}>
            <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`services.category.${c}`) }))} />
          </Form.Item>
          <Form.Item name="provider" label={t('services.console.provider')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="address" label={t('services.console.address')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="hours" label={t('services.console.hours')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="phone" label={t('services.console.phone')}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="description" label={t('services.console.description')}>
            <Input.TextArea maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function RepairTab() {
  const { t } = useTranslation();
  const categories = useCaseCategories();
  const repair = (categories.data ?? []).find((c) => c.code === REPAIR_CATEGORY_CODE);
  const list = useCaseList({ view: 'board', categoryId: repair?.id, limit: 100 }, repair !== undefined);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <Table<CaseSummary>
      rowKey="id"
      size="small"
      loading={list.isLoading}
      dataSource={list.data?.items ?? []}
      data-testid="services-repairs"
      columns={[
        {
          title: t('services.console.caseNo'),
          dataIndex: 'caseNo',
          render: (no: string, c) => <Link to={`/cases/${c.id}`}>{no}</Link>,
        },
        { title: t('services.console.caseTitle'), dataIndex: 'title' },
        { title: t('services.console.place'), render: (_: unknown, c) => c.place.nodeLabel },
        { title: t('services.console.stage'), dataIndex: 'stageName' },
        {
          title: t('services.console.clock'),
          render: (_: unknown, c) => {
            const clock = repairClock(c, now);
            if (clock.state === 'waiting')
              return <Tag color="orange">{t('services.repair.waiting', { n: clock.minutesLeft })}</Tag>;
            if (clock.state === 'late')
              return <Tag color="red">{t('services.repair.late', { n: clock.minutesLate })}</Tag>;
            if (clock.state === 'responded') return <Tag color="green">{t('services.repair.responded')}</Tag>;
            return null;
          },
        },
        { title: t('services.console.reportedAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
      ]}
    />
  );
}
