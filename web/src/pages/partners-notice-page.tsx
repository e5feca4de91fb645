import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { PartnerNotice } from '../features/partners/partner-types';
import { currentLanguage } from '../i18n';

/** GET /api/public/partners without the console's session handling (no login, no redirect on errors). */
export async function fetchNotice(nodeId: number, signal?: AbortSignal): Promise<PartnerNotice> {
  const res = await fetch(`/api/public/partners?nodeId=${nodeId}`, {
    headers: { Accept: 'application/json', 'Accept-Language': currentLanguage() },
    credentials: 'omit',
    signal: signal ?? null,
  });
  if (!res.ok) throw new Error(String(res.status));
  return (await res.json()) as PartnerNotice;
}

/**
 * The public notice of partners (红色合伙人公示, /notice/partners?node=): outside the console and the phone shells,
 * readable without login; the organisations serving the area and their confirmed work. Nothing personal is sent.
 */
export function PartnersNoticePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const raw = params.get('node');
  const nodeId = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  const notice = useQuery({
    queryKey: ['public-partners', nodeId],
    enabled: nodeId !== null,
    retry: false,
    queryFn: ({ signal }) => fetchNotice(nodeId!, signal),
  });
  return (
    <main
      className="notice-page"
      data-testid="partners-notice"
      style={{ maxWidth: 880, margin: '0 auto', padding: 16 }}
    >
      <h1 style={{ color: '#c0392b' }}>
        {notice.data ? `${notice.data.node.name} · ` : ''}
        {t('partners.noticeTitle')}
      </h1>
      {nodeId === null || notice.isError ? <p>{t('partners.noticeMissing')}</p> : null}
      {notice.isLoading ? <p aria-busy="true">…</p> : null}
      {notice.data && notice.data.partners.length === 0 ? <p>{t('partners.noticeEmpty')}</p> : null}
      {notice.data?.partners.map((p) => (
        <section key={p.name} style={{ borderTop: '1px solid #eee', padding: '12px 0' }}>
          <h2 style={{ fontSize: 18, margin: '4px 0' }}>
            {p.name} <small style={{ color: '#888' }}>{t(`partners.kinds.${p.kind}`)}</small>
          </h2>
          {p.deliveries.length === 0 ? (
            <p style={{ color: '#888' }}>{t('partners.noticeNoWork')}</p>
          ) : (
            <table style={{ width: '100%', borderCollapse: 'collapse' }}>
              <thead>
                <tr>
                  <th align="left">{t('partners.deliveredOn')}</th>
                  <th align="left">{t('partners.projectTitle')}</th>
                  <th align="left">{t('partners.summary')}</th>
                  <th align="right">{t('partners.peopleServed')}</th>
                </tr>
              </thead>
              <tbody>
                {p.deliveries.map((d) => (
                  <tr key={`${d.deliveredOn}-${d.projectTitle}-${d.summary}`}>
                    <td>{d.deliveredOn}</td>
                    <td>
                      {d.projectTitle}（{t(`partners.categories.${d.category}`, { defaultValue: d.category })}）
                    </td>
                    <td>{d.summary}</td>
                    <td align="right">{d.peopleServed ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </main>
  );
}
