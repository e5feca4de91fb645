import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { PublicNoticeDetail, PublicNoticePage as PublicNoticeList } from '../api-types';
import { NoticeBody } from '../features/notices/components/notice-body';
import { currentLanguage } from '../i18n';
import { formatTime } from '../ui/time';

/** GET a public notices route without the console's session handling (no login, no redirect on errors). */
async function fetchPublic<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, {
    headers: { Accept: 'application/json', 'Accept-Language': currentLanguage() },
    credentials: 'omit',
    signal: signal ?? null,
  });
  if (!res.ok) throw new Error(String(res.status));
  return (await res.json()) as T;
}

const nodeParam = (raw: string | null) => (raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null);

/**
 * The public notice board (通知公告, /notice/board?node=): public, published notices at, above or under the area,
 * readable without login.
 */
export function NoticeBoardPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const nodeId = nodeParam(params.get('node'));
  const list = useQuery({
    queryKey: ['public-notices', nodeId],
    retry: false,
    queryFn: ({ signal }) =>
      fetchPublic<PublicNoticeList>(`/api/public/notices?pageSize=100${nodeId ? `&nodeId=${nodeId}` : ''}`, signal),
  });
  const suffix = nodeId ? `?node=${nodeId}` : '';
  return (
    <main className="notice-page" data-testid="notice-board" style={{ maxWidth: 880, margin: '0 auto', padding: 16 }}>
      <h1 style={{ color: '#c0392b' }}>{t('notices.board.title')}</h1>
      {list.isError ? <p>{t('notices.board.missing')}</p> : null}
      {list.isLoading ? <p aria-busy="true">…</p> : null}
      {list.data && list.data.items.length === 0 ? <p>{t('notices.board.empty')}</p> : null}
      <ul style={{ listStyle: 'none', padding: 0 }}>
        {(list.data?.items ?? []).map((n) => (
          <li key={n.id} style={{ borderTop: '1px solid #eee', padding: '12px 0' }}>
            <Link to={`/notice/board/${n.id}${suffix}`} style={{ fontSize: 18 }}>
              【{n.categoryLabel}】{n.title}
            </Link>
            <div style={{ color: '#888', fontSize: 13 }}>
              {n.placeName} · {formatTime(n.publishedAt)}
            </div>
            <div>{n.excerpt}</div>
          </li>
        ))}
      </ul>
    </main>
  );
}

/** One public notice (/notice/board/:id): its body as the server sanitized it, its files. */
export function PublicNoticePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [params] = useSearchParams();
  const noticeId = nodeParam(id ?? null);
  const notice = useQuery({
    queryKey: ['public-notice', noticeId],
    enabled: noticeId !== null,
    retry: false,
    queryFn: ({ signal }) => fetchPublic<PublicNoticeDetail>(`/api/public/notices/${noticeId}`, signal),
  });
  const node = nodeParam(params.get('node'));
  const n = notice.data;
  return (
    <main className="notice-page" data-testid="public-notice" style={{ maxWidth: 880, margin: '0 auto', padding: 16 }}>
      <p>
        <Link to={`/notice/board${node ? `?node=${node}` : ''}`}>← {t('notices.board.back')}</Link>
      </p>
      {noticeId === null || notice.isError ? <p>{t('notices.board.missing')}</p> : null}
      {notice.isLoading ? <p aria-busy="true">…</p> : null}
      {n ? (
        <article>
          <h1>{n.title}</h1>
          <div style={{ color: '#888', fontSize: 13 }}>
            {n.categoryLabel} · {n.placeName} · {formatTime(n.publishedAt)}
          </div>
          <NoticeBody html={n.body} testId="public-notice-body" />
          {n.files.some((f) => f.kind === 'document') ? (
            <>
              <h2 style={{ fontSize: 16 }}>{t('notices.board.files')}</h2>
              <ul>
                {n.files
                  .filter((f) => f.kind === 'document')
                  .map((f) => (
                    <li key={f.id}>
                      <a href={f.url} target="_blank" rel="noreferrer">
                        {f.name}
                      </a>
                    </li>
                  ))}
              </ul>
            </>
          ) : null}
        </article>
      ) : null}
    </main>
  );
}
