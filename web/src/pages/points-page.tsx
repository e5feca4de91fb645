import { Card, Drawer, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { AccountListQuery, TotalsQuery } from '../features/points/points-types';
import { AccountsTable, PassbookDrawer, ResidentPointsView, TotalsView } from '../features/points/points-views';

const num = (v: string | null) => (v && /^\d{1,15}$/.test(v) ? Number(v) : undefined);

/** 积分账户 (/points): accounts with passbooks, a resident's points with awards and reversals, totals. */
export function PointsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'totals' ? 'totals' : 'accounts';
  const [query, setQuery] = useState<AccountListQuery>({});
  const [totals, setTotals] = useState<TotalsQuery>({});
  const [accountId, setAccountId] = useState<number | null>(null);
  const residentId = num(params.get('resident'));
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
  };
  return (
    <Card title={t('pointsLedger.title')} data-testid="points-page">
      <Tabs
        activeKey={tab}
        onChange={(k) => set('tab', k === 'totals' ? 'totals' : null)}
        items={[
          {
            key: 'accounts',
            label: t('pointsLedger.accounts'),
            children: (
              <AccountsTable
                query={query}
                onChange={setQuery}
                onOpen={(a) => setAccountId(a.id)}
                onResident={(id) => set('resident', String(id))}
              />
            ),
          },
          {
            key: 'totals',
            label: t('pointsLedger.totals'),
            children: <TotalsView query={totals} onChange={setTotals} />,
          },
        ]}
      />
      <PassbookDrawer accountId={accountId} onClose={() => setAccountId(null)} />
      <Drawer
        open={residentId !== undefined}
        onClose={() => set('resident', null)}
        width={960}
        title={t('pointsLedger.resident')}
        destroyOnHidden
      >
        {residentId !== undefined ? <ResidentPointsView residentId={residentId} /> : null}
      </Drawer>
    </Card>
  );
}
