import { Button, ErrorBlock, Input, List, SpinLoading, Stepper, Switch, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Goods } from '../../features/merchants/merchant-types';
import { useStaffGoods, useUpdateStaffGoods } from '../../features/merchants/use-merchants';

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** One goods row: a stepper for the stock (each step sent as ±1), a price field, on sale or not. */
function GoodsRow({ goods }: { goods: Goods }) {
  const { t } = useTranslation();
  const update = useUpdateStaffGoods();
  const [price, setPrice] = useState(String(goods.price));
  const send = (body: { price?: number; stockDelta?: number; active?: boolean }) =>
    update.mutate({ id: goods.id, ...body }, { onError: (e) => Toast.show({ icon: 'fail', content: errText(e) }) });
  const priceValue = Number(price);
  const priceOk = /^\d{1,8}$/.test(price) && priceValue > 0;
  return (
    <List.Item
      data-testid="m-goods"
      data-goods-id={goods.id}
      description={
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', marginTop: 6 }}>
          <span>{t('merchants.goods.stock')}</span>
          <Stepper
            min={0}
            value={goods.stock}
            disabled={update.isPending}
            onChange={(v) => {
              const delta = (v ?? 0) - goods.stock;
              if (delta !== 0) send({ stockDelta: delta });
            }}
            data-testid="m-goods-stock"
          />
          <span>{t('merchants.goods.price')}</span>
          <Input
            style={{ width: 80, '--text-align': 'right' } as React.CSSProperties}
            type="number"
            value={price}
            onChange={setPrice}
            data-testid="m-goods-price"
          />
          <Button
            size="mini"
            color="primary"
            disabled={!priceOk || priceValue === goods.price || update.isPending}
            onClick={() => send({ price: priceValue })}
            data-testid="m-goods-price-save"
          >
            {t('merchants.mobile.savePrice')}
          </Button>
        </div>
      }
      extra={
        <Switch
          checked={goods.active}
          onChange={(active) => send({ active })}
          aria-label={t('merchants.goods.active')}
          data-testid="m-goods-active"
        />
      }
    >
      {goods.name}
      {goods.stock === 0 ? (
        <span style={{ color: 'var(--adm-color-danger)', marginLeft: 8 }}>{t('merchants.mobile.soldOut')}</span>
      ) : null}
    </List.Item>
  );
}

/** 商品管理 (/m/merchant/goods): the merchant's staff keep their goods' stock, price and sale state. */
export function MobileMerchantGoodsPage() {
  const { t } = useTranslation();
  const goods = useStaffGoods();
  if (goods.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (goods.error && !goods.data) return <ErrorBlock status="default" title={errText(goods.error)} />;
  const items = goods.data?.items ?? [];
  const byMerchant = new Map<string, Goods[]>();
  for (const g of items) byMerchant.set(g.merchantName, [...(byMerchant.get(g.merchantName) ?? []), g]);
  return (
    <div className="m-page" data-testid="m-merchant-goods">
      {items.length === 0 ? (
        <ErrorBlock status="empty" title={t('merchants.mobile.none')} description={t('merchants.mobile.noneHint')} />
      ) : (
        [...byMerchant.entries()].map(([name, list]) => (
          <List key={name} header={name}>
            {list.map((g) => (
              <GoodsRow key={g.id} goods={g} />
            ))}
          </List>
        ))
      )}
    </div>
  );
}
