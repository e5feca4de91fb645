import { Button, ErrorBlock, List, SpinLoading } from 'antd-mobile';
import { GiftOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { getAccess } from '../../access';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { amountText, signedText } from '../../features/points/points-logic';
import type { Movement, MyPoints } from '../../features/points/points-types';
import { useMyMovements, useMyPoints } from '../../features/points/use-points';
import { currentLanguage } from '../../i18n';
import { isApiError } from '../../ui/api';

const day = (iso: string) => new Date(iso).toLocaleString();

/** The balances in big numbers, the household line, and the links onward (redeem, activities, time bank). */
export function MyPointsSummary({ data }: { data: MyPoints }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lang = currentLanguage() === 'en' ? 'en' : 'zh-CN';
  const bal = (c: 'points' | 'hours' | 'conduct') => data.balances.find((b) => b.currency === c)?.balance ?? 0;
  return (
    <>
      <div
        style={{ textAlign: 'center', padding: '20px 12px', background: '#fff', margin: '12px 0' }}
        data-testid="m-points-balance"
      >
        <div style={{ color: 'var(--adm-color-weak)' }}>{t('myPoints.balance')}</div>
        <div style={{ fontSize: 40, fontWeight: 600, lineHeight: 1.3 }}>{bal('points')}</div>
        <div style={{ display: 'flex', justifyContent: 'center', gap: 24, color: 'var(--adm-color-weak)' }}>
          <span>
            {t('myPoints.hours')} {amountText(bal('hours'), 'hours', lang)}
          </span>
          {bal('conduct') !== 0 ? (
            <span>
              {t('myPoints.conduct')} {bal('conduct')}
            </span>
          ) : null}
        </div>
        {data.household ? (
          <div style={{ marginTop: 8 }} data-testid="m-points-household">
            {t('myPoints.household', {
              points: data.household.points,
              mode: t(`pointsLedger.householdModes.${data.household.mode}`),
            })}
          </div>
        ) : null}
        <Button
          color="primary"
          style={{ marginTop: 16 }}
          onClick={() => navigate('/m/points/redeem')}
          data-testid="m-points-show-code"
        >
          {t('myPoints.showCode')}
        </Button>
      </div>
      <List>
        <List.Item onClick={() => navigate('/m/activities')}>{t('myPoints.activities')}</List.Item>
        <List.Item onClick={() => navigate('/m/timebank')}>{t('myPoints.timebank')}</List.Item>
      </List>
    </>
  );
}

/** The passbook: each movement with its reason, kind, signed amount and balance after. */
export function PassbookList({ items }: { items: readonly Movement[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <ErrorBlock status="empty" title={t('myPoints.empty')} description="" />;
  return (
    <>
      {items.map((m) => (
        <List.Item
          key={m.id}
          description={`${t(`pointsLedger.transferKinds.${m.kind}`, { defaultValue: m.kind })} · ${day(m.at)}`}
          extra={
            <div style={{ textAlign: 'right' }}>
              <div style={{ color: m.amount > 0 ? 'var(--adm-color-success)' : 'var(--adm-color-danger)' }}>
                {signedText(m.amount, 'points')}
              </div>
              <div style={{ fontSize: 12, color: 'var(--adm-color-weak)' }}>{m.balanceAfter}</div>
            </div>
          }
          data-testid={`m-movement-${m.id}`}
        >
          {m.reason}
        </List.Item>
      ))}
    </>
  );
}

function Passbook() {
  const { t } = useTranslation();
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  return (
    <List header={t('myPoints.passbook')}>
      {cursors.map((c, i) => (
        <PassbookPage
          key={c ?? 0}
          cursor={c}
          last={i === cursors.length - 1}
          onMore={(next) => setCursors([...cursors, next])}
        />
      ))}
    </List>
  );
}

function PassbookPage({
  cursor,
  last,
  onMore,
}: {
  cursor: number | undefined;
  last: boolean;
  onMore: (cursor: number) => void;
}) {
  const { t } = useTranslation();
  const page = useMyMovements('points', cursor);
  if (page.isLoading) return <SpinLoading />;
  if (!page.data) return null;
  const next = page.data.nextCursor;
  return (
    <>
      <PassbookList items={page.data.items} />
      {last && next !== null ? (
        <List.Item onClick={() => onMore(next)} data-testid="m-points-more">
          {t('myPoints.more')}
        </List.Item>
      ) : null}
    </>
  );
}

/** 我的积分 (/m/points): a resident's balances, household and passbook. */
export function MobilePointsPage() {
  const { t } = useTranslation();
  const mine = useMyPoints();
  if (mine.isLoading)
    return (
      <div className="m-page">
        <SpinLoading />
      </div>
    );
  if (mine.isError)
    return (
      <div className="m-page">
        <ErrorBlock
          status="default"
          title={t('myPoints.title')}
          description={
            isApiError(mine.error) && mine.error.code === 'LEDGER_NO_RESIDENT'
              ? t('myPoints.noResident')
              : mine.error.message
          }
        />
      </div>
    );
  return (
    <div className="m-page" data-testid="m-points">
      {mine.data ? <MyPointsSummary data={mine.data} /> : null}
      <Passbook />
    </div>
  );
}

/** The phone home's 我的积分 entry with the balance, for residents with a record. */
export function MyPointsEntry() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const has = me ? getAccess(me).hasResidentRecord : false;
  const mine = useMyPoints(has);
  if (!has) return null;
  const balance = mine.data?.balances.find((b) => b.currency === 'points')?.balance;
  return (
    <List.Item
      prefix={<GiftOutline className="m-entry-icon" />}
      description={balance === undefined ? null : t('myPoints.entryHint', { balance })}
      onClick={() => navigate('/m/points')}
      data-testid="m-entry-points"
    >
      {t('myPoints.title')}
    </List.Item>
  );
}
