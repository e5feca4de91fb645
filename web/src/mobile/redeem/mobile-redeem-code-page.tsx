import { Button, ErrorBlock, Result, SpinLoading } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { getAccess } from '../../access';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { QrCode } from '../../ui/qr-code';
import { type CodeIssued, issueCode, useCodeStatus } from './redeem-api';
import { countdown, qrValue, secondsLeft, spaced } from './redeem-logic';

const message = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback);

/**
 * 出示兑换码 (/m/points/redeem): the resident's short-lived code as a QR and 8 large digits, a countdown, a new code
 * when it runs out, the balance; once the merchant has redeemed it, 兑换成功 with what was taken.
 */
export function MobileRedeemCodePage() {
  const { t } = useTranslation();
  const me = useSignedInUser();
  if (me && !getAccess(me).hasResidentRecord) return <ErrorBlock status="empty" title={t('redeem.noResident')} />;
  return <CodeView />;
}

function CodeView() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [code, setCode] = useState<CodeIssued | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(() => Date.now());
  const status = useCodeStatus(code?.id ?? null);

  const renew = useCallback(() => {
    setError(null);
    issueCode().then(setCode, setError);
  }, []);
  useEffect(renew, [renew]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const used = status.data?.state === 'used' ? status.data : null;
  const left = code ? secondsLeft(code.expiresAt, now) : 0;
  // a fresh code when this one runs out (not after it was used)
  useEffect(() => {
    if (code && left === 0 && !used) renew();
  }, [code, left, used, renew]);

  if (error) {
    return (
      <div className="m-page">
        <ErrorBlock status="default" title={message(error, t('errors.unknown'))} />
        <Button block onClick={renew}>
          {t('redeem.retry')}
        </Button>
      </div>
    );
  }
  if (!code) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (used?.redemption) {
    const r = used.redemption;
    return (
      <div className="m-page" data-testid="m-redeem-done">
        <Result
          status="success"
          title={t('redeem.success')}
          description={t('redeem.taken', { merchant: r.merchantName, total: r.total })}
        />
        <div style={{ padding: '0 16px' }}>
          {r.items.map((i) => (
            <div key={i.goodsId}>
              {i.name} × {i.quantity} ({i.price * i.quantity})
            </div>
          ))}
          <p data-testid="m-redeem-balance">{t('redeem.balance', { balance: used.balance })}</p>
          <Button block color="primary" onClick={() => navigate('/m/points')}>
            {t('redeem.backToPassbook')}
          </Button>
          <Button block style={{ marginTop: 8 }} onClick={renew}>
            {t('redeem.another')}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="m-page" style={{ textAlign: 'center', padding: 16 }} data-testid="m-redeem-code">
      <h2>{t('redeem.showTitle')}</h2>
      <p style={{ color: 'var(--adm-color-weak)' }}>{t('redeem.showHint')}</p>
      <div style={{ display: 'flex', justifyContent: 'center' }}>
        <QrCode value={qrValue(code.code)} label={t('redeem.qrLabel')} size={220} />
      </div>
      <div
        style={{ fontSize: 36, fontWeight: 600, letterSpacing: 4, fontFamily: 'monospace', margin: '12px 0' }}
        data-testid="m-redeem-digits"
        data-code={code.code}
      >
        {spaced(code.code)}
      </div>
      <div data-testid="m-redeem-countdown">{t('redeem.expiresIn', { time: countdown(left) })}</div>
      <p data-testid="m-redeem-balance" style={{ fontSize: 18 }}>
        {t('redeem.balance', { balance: status.data?.balance ?? code.balance })}
      </p>
      <Button block onClick={renew}>
        {t('redeem.renew')}
      </Button>
    </div>
  );
}
