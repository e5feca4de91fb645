import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { HonoursNotice, PublicHonour } from '../features/assessment/assessment-types';
import { periodLabel } from '../features/assessment/utils/assessment-format';
import { currentLanguage } from '../i18n';

/** GET /api/public/honours without the console's session handling (no login, no redirect on errors). */
export async function fetchHonours(nodeId: number, signal?: AbortSignal): Promise<HonoursNotice> {
  const res = await fetch(`/api/public/honours?nodeId=${nodeId}`, {
    headers: { Accept: 'application/json', 'Accept-Language': currentLanguage() },
    credentials: 'omit',
    signal: signal ?? null,
  });
  if (!res.ok) throw new Error(String(res.status));
  return (await res.json()) as HonoursNotice;
}

/** Where an honour belongs: a worker's grid and community, a grid's community. */
export function noticePlace(h: PublicHonour): string {
  const parts = [h.gridName !== h.name ? h.gridName : null, h.communityName].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** The honours of a notice by quarter, newest first, then by honour. */
export function byQuarter(honours: HonoursNotice['honours']): [string, HonoursNotice['honours']][] {
  const map = new Map<string, HonoursNotice['honours']>();
  for (const h of honours) map.set(h.periodStart, [...(map.get(h.periodStart) ?? []), h]);
  return [...map.entries()]
    .sort((a, b) => b[0].localeCompare(a[0]))
    .map(([p, list]) => [p, [...list].sort((a, b) => a.honour.localeCompare(b.honour))]);
}

/**
 * The public notice of honours (评优评先公示, /notice/honours?node=): 红旗网格 and 优秀网格员 published under the
 * area, readable without login; names, places, quarters and citations only.
 */
export function HonoursNoticePage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const raw = params.get('node');
  const nodeId = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  const notice = useQuery({
    queryKey: ['public-honours', nodeId],
    enabled: nodeId !== null,
    retry: false,
    queryFn: ({ signal }) => fetchHonours(nodeId!, signal),
  });
  return (
    <main className="notice-page" data-testid="honours-notice" style={{ maxWidth: 880, margin: '0 auto', padding: 16 }}>
      <h1 style={{ color: '#c0392b' }}>
        {notice.data ? `${notice.data.node.name} · ` : ''}
        {t('assessment.noticeTitle')}
      </h1>
      {nodeId === null || notice.isError ? <p>{t('assessment.noticeMissing')}</p> : null}
      {notice.isLoading ? <p aria-busy="true">…</p> : null}
      {notice.data && notice.data.honours.length === 0 ? <p>{t('assessment.noticeEmpty')}</p> : null}
      {notice.data
        ? byQuarter(notice.data.honours).map(([period, list]) => (
            <section key={period} style={{ borderTop: '1px solid #eee', padding: '12px 0' }}>
              <h2 style={{ fontSize: 18, margin: '4px 0' }}>{periodLabel('quarter', period, i18n.language)}</h2>
              <table style={{ width: '100%', borderCollapse: 'collapse' }}>
                <thead>
                  <tr>
                    <th align="left">{t('assessment.honour')}</th>
                    <th align="left">{t('assessment.subject')}</th>
                    <th align="left">{t('assessment.place')}</th>
                    <th align="left">{t('assessment.citation')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((h) => (
                    <tr key={`${h.honour}-${h.name}-${h.gridName ?? ''}`}>
                      <td>{t(`assessment.honours.${h.honour}`)}</td>
                      <td>{h.name}</td>
                      <td>{noticePlace(h)}</td>
                      <td>{h.citation ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))
        : null}
    </main>
  );
}
