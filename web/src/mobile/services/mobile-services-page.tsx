import {
  Button,
  Card,
  Dialog,
  ErrorBlock,
  List,
  Popup,
  Selector,
  SpinLoading,
  Switch,
  Tabs,
  Tag,
  Toast,
} from 'antd-mobile';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { MealOrder, MyCanteen } from '../../api-types';
import { hoursText, REPAIR_CATEGORY_CODE, repairClock, yuan } from '../../features/services/services-logic';
import { useMyCanteen, useMyEntries, useMyOrders, useServicesChange } from '../../features/services/use-services';
import { formatTime } from '../../ui/time';
import { useCaseCategories, useCaseList } from '../cases/use-phone-cases';

const message = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback);
type MenuItem = MyCanteen['menus'][number];
type Payment = 'counter' | 'online' | 'hours';

/**
 * 便民服务 on the phone (/m/services): the elder canteen (this week's menus with my household's prices after
 * subsidies, ordering for me or a family member with delivery and payment in money or time-bank hours, my orders
 * with cancel before the cut-off), the service directory of my community, and property repair (物业报修) with its
 * 15-minute response clock.
 */
export function MobileServicesPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('canteen');
  return (
    <div className="m-page" data-testid="m-services">
      <Tabs activeKey={tab} onChange={setTab}>
        <Tabs.Tab title={t('services.canteen.title')} key="canteen">
          <CanteenTab />
        </Tabs.Tab>
        <Tabs.Tab title={t('services.directory.title')} key="directory">
          <DirectoryTab />
        </Tabs.Tab>
        <Tabs.Tab title={t('services.repair.title')} key="repair">
          <RepairTab />
        </Tabs.Tab>
      </Tabs>
    </div>
  );
}

function CanteenTab() {
  const { t } = useTranslation();
  const data = useMyCanteen();
  const orders = useMyOrders();
  const change = useServicesChange();
  const [diner, setDiner] = useState<number | null>(null);
  const [ordering, setOrdering] = useState<MenuItem | null>(null);

  if (data.isLoading) return <SpinLoading color="primary" />;
  if (data.isError || !data.data) return <ErrorBlock status="default" description={message(data.error, '')} />;
  const d = data.data;
  const dinerId = diner ?? d.resident.id;
  const canteenOf = (id: number) => d.canteens.find((c) => c.id === id);

  const cancel = async (o: MealOrder) => {
    const ok = await Dialog.confirm({ content: t('services.canteen.cancelConfirm') });
    if (!ok) return;
    try {
      await change.mutateAsync({ kind: 'cancelMyOrder', id: o.id });
      Toast.show({ icon: 'success', content: t('services.canteen.cancelled') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: message(e, t('services.failed')) });
    }
  };

  return (
    <div data-testid="m-canteen">
      <Card>
        <div>
          {t('services.canteen.myHours')}{' '}
          <strong data-testid="m-canteen-hours">{hoursText(d.resident.hoursMinutes)}</strong> {t('services.hoursUnit')}
        </div>
        {d.canteens.length === 0 ? <div>{t('services.canteen.none')}</div> : null}
        {d.canteens.map((c) => (
          <div key={c.id} className="m-muted">
            {c.name} · {c.address ?? ''} · {c.phone ?? ''}
          </div>
        ))}
      </Card>
      {d.diners.length > 1 ? (
        <List header={t('services.canteen.orderFor')}>
          <List.Item>
            <Selector
              columns={3}
              value={[dinerId]}
              onChange={(v) => v[0] !== undefined && setDiner(v[0])}
              options={d.diners.map((x) => ({
                label: x.self ? `${x.name}（${t('services.canteen.me')}）` : x.name,
                value: x.residentId,
              }))}
              data-testid="m-canteen-diner"
            />
          </List.Item>
        </List>
      ) : null}
      <List header={t('services.canteen.menus')}>
        {d.menus.length === 0 ? <List.Item>{t('services.canteen.noMenus')}</List.Item> : null}
        {d.menus.map((m) => {
          const price = m.prices.find((p) => p.residentId === dinerId);
          const left = m.capacity - m.ordered;
          return (
            <List.Item
              key={m.id}
              data-testid="m-menu-item"
              data-menu-id={m.id}
              description={
                <span>
                  {m.dishes.join('、')}
                  <br />
                  {canteenOf(m.canteenId)?.name} · {t('services.canteen.left', { n: left })}
                </span>
              }
              extra={
                <Button
                  size="small"
                  color="primary"
                  disabled={!m.open || left <= 0}
                  onClick={() => setOrdering(m)}
                  data-testid="m-order-button"
                >
                  {m.open
                    ? left > 0
                      ? t('services.canteen.order')
                      : t('services.canteen.soldOut')
                    : t('services.canteen.closed')}
                </Button>
              }
            >
              {m.day} {t(`services.meal.${m.meal}`)}{' '}
              {price ? (
                <>
                  <strong>{yuan(price.payCents)}</strong>
                  {price.subsidyLabel ? (
                    <Tag color="success" fill="outline" data-testid="m-menu-subsidy">
                      {price.subsidyLabel} -{yuan(price.subsidyCents)}
                    </Tag>
                  ) : null}
                </>
              ) : null}
            </List.Item>
          );
        })}
      </List>
      <List header={t('services.canteen.myOrders')}>
        {(orders.data ?? []).length === 0 ? <List.Item>{t('services.canteen.noOrders')}</List.Item> : null}
        {(orders.data ?? []).map((o) => (
          <List.Item
            key={o.id}
            data-testid="m-my-order"
            data-order-id={o.id}
            description={
              <span>
                {o.residentName} · {o.quantity} {t('services.canteen.portions')} ·{' '}
                {o.payment === 'hours'
                  ? `${hoursText(o.payMinutes)} ${t('services.hoursUnit')}`
                  : `${yuan(o.payCents)} ${t(`services.payment.${o.payment}`)}`}
                {o.subsidyLabel ? ` · ${o.subsidyLabel}` : ''}
                {o.delivery ? ` · ${t('services.canteen.delivery')}` : ''}
                {o.channel !== 'self' && o.orderedByName
                  ? ` · ${t('services.canteen.orderedBy', { name: o.orderedByName })}`
                  : ''}
              </span>
            }
            extra={
              o.cancellable ? (
                <Button size="mini" onClick={() => cancel(o)} data-testid="m-order-cancel">
                  {t('services.canteen.cancel')}
                </Button>
              ) : (
                <Tag color={o.status === 'cancelled' ? 'default' : 'primary'}>
                  {t(`services.orderStatus.${o.status}`)}
                </Tag>
              )
            }
          >
            {o.day} {t(`services.meal.${o.meal}`)} · {o.canteenName}
          </List.Item>
        ))}
      </List>
      <OrderPopup
        menu={ordering}
        data={d}
        dinerId={dinerId}
        onClose={() => setOrdering(null)}
        onDone={() => setOrdering(null)}
      />
    </div>
  );
}

function OrderPopup({
  menu,
  data,
  dinerId,
  onClose,
  onDone,
}: {
  menu: MenuItem | null;
  data: MyCanteen;
  dinerId: number;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const change = useServicesChange();
  const [delivery, setDelivery] = useState(false);
  const [payment, setPayment] = useState<Payment>('counter');
  const price = menu?.prices.find((p) => p.residentId === dinerId);
  const canteen = menu ? data.canteens.find((c) => c.id === menu.canteenId) : undefined;
  const diner = data.diners.find((x) => x.residentId === dinerId);
  const payments = useMemo(() => {
    const list: { label: string; value: Payment }[] = [
      { label: t('services.payment.counter'), value: 'counter' },
      { label: t('services.payment.online'), value: 'online' },
    ];
    if (price?.payMinutes !== null && price?.payMinutes !== undefined)
      list.push({
        label: `${t('services.payment.hours')}（${hoursText(price.payMinutes)} ${t('services.hoursUnit')}）`,
        value: 'hours',
      });
    return list;
  }, [price, t]);

  const submit = async () => {
    if (!menu) return;
    try {
      await change.mutateAsync({
        kind: 'createMyOrder',
        body: {
          menuId: menu.id,
          payment,
          delivery,
          ...(dinerId !== data.resident.id ? { residentId: dinerId } : {}),
        },
      });
      Toast.show({ icon: 'success', content: t('services.canteen.ordered') });
      setDelivery(false);
      setPayment('counter');
      onDone();
    } catch (e) {
      Toast.show({ icon: 'fail', content: message(e, t('services.failed')) });
    }
  };

  return (
    <Popup visible={menu !== null} onMaskClick={onClose} bodyStyle={{ padding: 16 }}>
      {menu ? (
        <div data-testid="m-order-popup">
          <h3>
            {menu.day} {t(`services.meal.${menu.meal}`)} · {diner?.name}
          </h3>
          <p>{menu.dishes.join('、')}</p>
          <p>
            {t('services.canteen.price')} {yuan(menu.priceCents)}
            {price?.subsidyLabel ? ` − ${price.subsidyLabel} ${yuan(price.subsidyCents)}` : ''} ={' '}
            <strong data-testid="m-order-pay">{yuan(price?.payCents ?? menu.priceCents)}</strong>
          </p>
          {canteen?.delivers ? (
            <p>
              {t('services.canteen.delivery')}{' '}
              <Switch checked={delivery} onChange={setDelivery} data-testid="m-order-delivery" />
              {delivery ? <span className="m-muted"> {diner?.address ?? t('services.canteen.noAddress')}</span> : null}
            </p>
          ) : null}
          <Selector
            columns={1}
            value={[payment]}
            onChange={(v) => v[0] && setPayment(v[0])}
            options={payments}
            data-testid="m-order-payment"
          />
          <Button
            block
            color="primary"
            loading={change.isPending}
            onClick={submit}
            style={{ marginTop: 12 }}
            data-testid="m-order-confirm"
          >
            {t('services.canteen.confirm')}
          </Button>
        </div>
      ) : null}
    </Popup>
  );
}

function DirectoryTab() {
  const { t } = useTranslation();
  const entries = useMyEntries();
  if (entries.isLoading) return <SpinLoading color="primary" />;
  if (entries.isError) return <ErrorBlock status="default" description={message(entries.error, '')} />;
  return (
    <List data-testid="m-directory">
      {(entries.data ?? []).length === 0 ? <List.Item>{t('services.directory.empty')}</List.Item> : null}
      {(entries.data ?? []).map((e) => (
        <List.Item
          key={e.id}
          description={
            <span>
              {[e.provider, e.address, e.hours].filter(Boolean).join(' · ')}
              {e.description ? (
                <>
                  <br />
                  {e.description}
                </>
              ) : null}
            </span>
          }
          extra={e.phone ? <a href={`tel:${e.phone}`}>{e.phone}</a> : null}
        >
          <Tag fill="outline">{t(`services.category.${e.category}`)}</Tag> {e.name}
        </List.Item>
      ))}
    </List>
  );
}

function RepairTab() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const categories = useCaseCategories();
  const repair = (categories.data ?? []).find((c) => c.code === REPAIR_CATEGORY_CODE);
  const list = useCaseList({ view: 'reported', categoryId: repair?.id }, repair !== undefined);
  const now = new Date();
  return (
    <div data-testid="m-repair">
      <Card>
        <p>{t('services.repair.hint')}</p>
        <Button block color="primary" onClick={() => navigate('/m/report')} data-testid="m-repair-report">
          {t('services.repair.report')}
        </Button>
      </Card>
      <List header={t('services.repair.mine')}>
        {(list.data?.items ?? []).length === 0 ? <List.Item>{t('services.repair.none')}</List.Item> : null}
        {(list.data?.items ?? []).map((c) => {
          const clock = repairClock(c, now);
          return (
            <List.Item
              key={c.id}
              onClick={() => navigate(`/m/cases/${c.id}`)}
              description={`${c.caseNo} · ${formatTime(c.createdAt)} · ${c.stageName}`}
              extra={<ClockTag clock={clock} />}
            >
              {c.title}
            </List.Item>
          );
        })}
      </List>
    </div>
  );
}

export function ClockTag({ clock }: { clock: ReturnType<typeof repairClock> }) {
  const { t } = useTranslation();
  if (clock.state === 'waiting')
    return <Tag color="warning">{t('services.repair.waiting', { n: clock.minutesLeft })}</Tag>;
  if (clock.state === 'late') return <Tag color="danger">{t('services.repair.late', { n: clock.minutesLate })}</Tag>;
  if (clock.state === 'responded') return <Tag color="success">{t('services.repair.responded')}</Tag>;
  return null;
}
