import {
  Button,
  Card,
  Dialog,
  ErrorBlock,
  Input,
  List,
  Result,
  Selector,
  SpinLoading,
  Stepper,
  Toast,
} from 'antd-mobile';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { QrScanner } from '../../ui/qr-scanner';
import {
  type LookupResult,
  lookupCode,
  type Redemption,
  useCounter,
  useRedeem,
  useRefund,
  useTodayRedemptions,
} from './redeem-api';
import { type Basket, basketItems, basketTotal, parseCode } from './redeem-logic';

const message = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback);

/**
 * 扫码兑换 (/m/merchant): the merchant's counter. Scan the resident's QR (or type the 8 digits: there may be no
 * camera) → the resident (masked) and their balance → goods and quantities from the catalogue, the total live and
 * refused above the balance → 确认兑换 → 兑换成功. Today's redemptions below (a refund the same day); the goods page.
 */
export function MobileCounterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const counter = useCounter();
  const today = useTodayRedemptions(counter.isSuccess);
  const redeem = useRedeem();
  const [merchantId, setMerchantId] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  const [code, setCode] = useState<string | null>(null);
  const [who, setWho] = useState<LookupResult | null>(null);
  const [basket, setBasket] = useState<Basket>({});
  const [clientId, setClientId] = useState(() => crypto.randomUUID());
  const [done, setDone] = useState<Redemption | null>(null);
  const [looking, setLooking] = useState(false);

  const merchants = counter.data?.merchants ?? [];
  const merchant = merchants.find((m) => m.id === merchantId) ?? merchants[0] ?? null;
  const goods = merchant?.goods ?? [];
  const total = useMemo(() => basketTotal(basket, goods), [basket, goods]);
  const over = who !== null && total > who.balance;

  const reset = () => {
    setTyped('');
    setCode(null);
    setWho(null);
    setBasket({});
    setDone(null);
    setClientId(crypto.randomUUID());
  };
  const look = async (raw: string) => {
    const c = parseCode(raw);
    if (!c) {
      Toast.show({ icon: 'fail', content: t('redeem.badCode') });
      return;
    }
    setLooking(true);
    try {
      setWho(await lookupCode(c));
      setCode(c);
    } catch (e) {
      Toast.show({ icon: 'fail', content: message(e, t('errors.unknown')) });
    } finally {
      setLooking(false);
    }
  };
  const confirm = async () => {
    if (!merchant || !code) return;
    try {
      setDone(await redeem.mutateAsync({ code, merchantId: merchant.id, items: basketItems(basket), clientId }));
    } catch (e) {
      Toast.show({ icon: 'fail', content: message(e, t('errors.unknown')) });
    }
  };

  if (counter.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (counter.isError) return <ErrorBlock status="default" title={message(counter.error, t('errors.unknown'))} />;
  if (!merchant) return <ErrorBlock status="empty" title={t('redeem.noMerchant')} />;

  return (
    <div className="m-page" data-testid="m-counter">
      {merchants.length > 1 ? (
        <Selector
          options={merchants.map((m) => ({ label: m.name, value: m.id }))}
          value={[merchant.id]}
          onChange={(v) => {
            if (v[0] !== undefined) setMerchantId(v[0]);
            setBasket({});
          }}
        />
      ) : (
        <h3 style={{ padding: '0 12px' }}>{merchant.name}</h3>
      )}
      {merchant.status !== 'active' ? <ErrorBlock status="disconnected" title={t('redeem.suspended')} /> : null}

      {done ? (
        <Result
          status="success"
          title={t('redeem.success')}
          description={t('redeem.doneDescription', {
            name: done.residentName ?? '—',
            total: done.total,
            balance: done.balanceAfter ?? 0,
          })}
        />
      ) : null}
      {done ? (
        <Button block color="primary" onClick={reset} data-testid="m-counter-next">
          {t('redeem.next')}
        </Button>
      ) : who === null ? (
        <Card title={t('redeem.scanTitle')}>
          <div style={{ display: 'flex', justifyContent: 'center' }}>
            <QrScanner onCode={(text) => void look(text)} />
          </div>
          <Input
            placeholder={t('redeem.typeCode')}
            value={typed}
            onChange={setTyped}
            inputMode="numeric"
            maxLength={12}
            data-testid="m-counter-code"
          />
          <Button
            block
            color="primary"
            loading={looking}
            onClick={() => void look(typed)}
            style={{ marginTop: 8 }}
            data-testid="m-counter-lookup"
          >
            {t('redeem.lookup')}
          </Button>
        </Card>
      ) : (
        <Card title={who.residentName} extra={t('redeem.balance', { balance: who.balance })}>
          <List>
            {goods.map((g) => (
              <List.Item
                key={g.id}
                description={t('redeem.goodsLine', { price: g.price, stock: g.stock })}
                extra={
                  <Stepper
                    min={0}
                    max={g.stock}
                    value={basket[g.id] ?? 0}
                    onChange={(v) => setBasket((b) => ({ ...b, [g.id]: v }))}
                    data-testid={`m-counter-goods-${g.id}`}
                  />
                }
              >
                {g.name}
              </List.Item>
            ))}
          </List>
          <p
            data-testid="m-counter-total"
            style={{ fontSize: 18, color: over ? 'var(--adm-color-danger)' : undefined }}
          >
            {t('redeem.total', { total })}
            {over ? ` · ${t('redeem.overBalance')}` : ''}
          </p>
          <Button
            block
            color="primary"
            disabled={total === 0 || over || merchant.status !== 'active'}
            loading={redeem.isPending}
            onClick={() => void confirm()}
            data-testid="m-counter-confirm"
          >
            {t('redeem.confirm')}
          </Button>
          <Button block style={{ marginTop: 8 }} onClick={reset}>
            {t('redeem.cancel')}
          </Button>
        </Card>
      )}

      <TodayList items={today.data?.items ?? []} total={today.data?.total ?? 0} />
      <List>
        <List.Item onClick={() => navigate('/m/merchant/goods')} data-testid="m-counter-goods-link">
          {t('redeem.goodsPage')}
        </List.Item>
      </List>
    </div>
  );
}

function TodayList({ items, total }: { items: Redemption[]; total: number }) {
  const { t } = useTranslation();
  const refund = useRefund();
  const ask = (r: Redemption) => {
    let reason = '';
    void Dialog.confirm({
      title: t('redeem.refundTitle'),
      content: <Input placeholder={t('redeem.refundReason')} onChange={(v) => (reason = v)} />,
      onConfirm: async () => {
        try {
          await refund.mutateAsync({ id: r.id, reason: reason.trim() || t('redeem.refundDefault') });
          Toast.show({ icon: 'success', content: t('redeem.refunded') });
        } catch (e) {
          Toast.show({ icon: 'fail', content: message(e, t('errors.unknown')) });
        }
      },
    });
  };
  return (
    <List header={t('redeem.today', { count: items.length, total })} data-testid="m-counter-today">
      {items.map((r) => (
        <List.Item
          key={r.id}
          description={`${new Date(r.createdAt).toLocaleTimeString()} · ${r.items.map((i) => `${i.name}×${i.quantity}`).join('、')}`}
          extra={
            r.status === 'reversed' ? (
              t('redeem.reversed')
            ) : r.can?.refund ? (
              <Button size="mini" onClick={() => ask(r)}>
                {t('redeem.refund')}
              </Button>
            ) : null
          }
        >
          {r.residentName ?? '—'} · {r.total}
        </List.Item>
      ))}
    </List>
  );
}
