import { ErrorBlock, InfiniteScroll, List, SearchBar, Tag } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useResidentPages } from '../features/people/hooks/use-people';
import { sexLabel } from '../features/people/utils/labels';
import { totalLabel } from '../features/people/utils/resident-filters';
import { tagColor } from '../features/people/utils/tag-style';
import { useDebounced } from '../ui/use-debounced';

const PAGE_SIZE = 20;

/** Residents of the worker's area: one search box for name, pinyin, initials, ID or phone. */
export function MobileResidentsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 300);
  // the search stays in the address, so coming Back from a resident shows the same list
  useEffect(() => {
    // not once a resident has been opened (the list stays on screen while their page loads)
    if (window.location.pathname !== '/m/residents') return;
    setParams(q ? { q } : {}, { replace: true });
  }, [q, setParams]);
  const residents = useResidentPages({ q: q || undefined, pageSize: PAGE_SIZE });
  const items = residents.data?.pages.flatMap((page) => page.items) ?? [];
  const total = residents.data?.pages[0]?.total ?? 0;

  return (
    <div className="m-page" data-testid="m-residents">
      <div className="m-search">
        <SearchBar
          placeholder={t('mobile.residentSearch')}
          value={text}
          onChange={setText}
          onClear={() => setText('')}
          aria-label={t('people.searchLabel')}
        />
        {residents.data ? (
          <div className="m-search-total">{t('people.total', { count: totalLabel(total) })}</div>
        ) : null}
      </div>
      {residents.isError ? <ErrorBlock status="default" title={residents.error.message} description="" /> : null}
      {residents.isSuccess && items.length === 0 ? (
        <ErrorBlock status="empty" title={t('mobile.noResidents')} description={t('mobile.noResidentsHint')} />
      ) : null}
      {items.length > 0 ? (
        <List>
          {items.map((r) => (
            <List.Item
              key={r.id}
              onClick={() => navigate(`/m/residents/${r.id}`)}
              description={
                <span className="m-resident-sub">
                  {r.place.split('/').slice(1).join(' / ')}
                  {r.roomNo ? ` · ${r.roomNo}` : ''}
                </span>
              }
              extra={
                <span className="m-tags">
                  {r.tags.slice(0, 3).map((tag) => (
                    <Tag key={tag.id} fill="outline" color={tagColor(tag.code).hex}>
                      {tag.name}
                    </Tag>
                  ))}
                </span>
              }
              data-testid={`m-resident-${r.id}`}
            >
              <span className="m-resident-name">{r.name}</span>
              <span className="m-resident-meta">
                {sexLabel(t, r.sex)} · {t('people.ageYears', { age: r.age })}
              </span>
            </List.Item>
          ))}
        </List>
      ) : null}
      <InfiniteScroll
        loadMore={async () => {
          await residents.fetchNextPage();
        }}
        hasMore={Boolean(residents.hasNextPage) && !residents.isFetchingNextPage}
      >
        {residents.isFetching
          ? t('common.loading')
          : items.length > 0 && !residents.hasNextPage
            ? t('mobile.listEnd')
            : ''}
      </InfiniteScroll>
    </div>
  );
}
