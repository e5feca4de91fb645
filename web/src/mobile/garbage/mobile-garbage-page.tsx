import { Button, ErrorBlock, List, Result, SearchBar, Space, Tag } from 'antd-mobile';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useResidentPages } from '../../features/people/hooks/use-people';
import {
  type GarbageCheckin,
  useGarbageCheckins,
  useRecordCheckin,
} from '../../features/points-rules/use-points-rules';
import { isApiError } from '../../ui/api';
import { useDebounced } from '../../ui/use-debounced';

type Picked = { id: number; name: string; place: string };

/** What the answer says: 已记 2 积分 / 今日已达上限 / 规则未启用 / 未达标，不计分. */
export function checkinResultText(t: TFunction, c: GarbageCheckin): string {
  if (c.outcome === 'credited') return t('earning.garbage.credited', { amount: c.credited });
  if (c.outcome === 'capped')
    return c.credited > 0 ? t('earning.garbage.cappedSome', { amount: c.credited }) : t('earning.garbage.capped');
  if (c.outcome === 'rule_off') return t('earning.garbage.ruleOff');
  return t('earning.garbage.notGood');
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * 垃圾分类打卡 (the station's supervisor): find a resident of one's area by name or house (the residents search),
 * tap the quality, done — the answer says what was credited, or why nothing was. Each tap has its own id, so a
 * retry after a lost answer is the same check-in.
 */
export function MobileGarbagePage() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const residents = useResidentPages({ q: q || undefined, pageSize: 10 });
  const [picked, setPicked] = useState<Picked | null>(null);
  const [clientId, setClientId] = useState(() => crypto.randomUUID());
  const [done, setDone] = useState<GarbageCheckin | null>(null);
  const record = useRecordCheckin();
  const recent = useGarbageCheckins({ from: today() });
  const items = residents.data?.pages.flatMap((p) => p.items) ?? [];

  const pick = (r: Picked) => {
    setPicked(r);
    setDone(null);
    setClientId(crypto.randomUUID());
  };
  const submit = (quality: 'good' | 'fair' | 'poor') => {
    if (!picked) return;
    record.mutate({ residentId: picked.id, quality, clientId }, { onSuccess: (c) => setDone(c) });
  };

  return (
    <div className="m-page" data-testid="m-garbage">
      {picked ? (
        <Space direction="vertical" block style={{ padding: 12 }}>
          <List header={t('earning.garbage.resident')}>
            <List.Item
              description={picked.place}
              extra={
                <Button size="mini" fill="none" color="primary" onClick={() => setPicked(null)}>
                  {t('earning.garbage.change')}
                </Button>
              }
            >
              {picked.name}
            </List.Item>
          </List>
          {done ? (
            <Result
              status={done.credited > 0 ? 'success' : 'info'}
              title={checkinResultText(t, done)}
              description={
                <Button
                  color="primary"
                  fill="outline"
                  onClick={() => {
                    setPicked(null);
                    setDone(null);
                    setText('');
                  }}
                  data-testid="m-garbage-next"
                >
                  {t('earning.garbage.next')}
                </Button>
              }
              data-testid="m-garbage-result"
            />
          ) : (
            <Space direction="vertical" block>
              {(['good', 'fair', 'poor'] as const).map((quality) => (
                <Button
                  key={quality}
                  block
                  size="large"
                  color={quality === 'good' ? 'success' : quality === 'fair' ? 'warning' : 'danger'}
                  loading={record.isPending}
                  onClick={() => submit(quality)}
                  data-testid={`m-garbage-${quality}`}
                >
                  {t(`earning.garbage.quality.${quality}`)}
                </Button>
              ))}
              {record.isError ? (
                <ErrorBlock
                  status="default"
                  title={isApiError(record.error) ? record.error.message : String(record.error)}
                  description=""
                />
              ) : null}
            </Space>
          )}
        </Space>
      ) : (
        <>
          <div className="m-search">
            <SearchBar
              placeholder={t('earning.garbage.search')}
              value={text}
              onChange={setText}
              onClear={() => setText('')}
              aria-label={t('earning.garbage.search')}
            />
          </div>
          {items.length > 0 ? (
            <List>
              {items.map((r) => (
                <List.Item
                  key={r.id}
                  onClick={() =>
                    pick({ id: r.id, name: r.name, place: `${r.place}${r.roomNo ? ` · ${r.roomNo}` : ''}` })
                  }
                  description={`${r.place.split('/').slice(1).join(' / ')}${r.roomNo ? ` · ${r.roomNo}` : ''}`}
                  data-testid={`m-garbage-resident-${r.id}`}
                >
                  {r.name}
                </List.Item>
              ))}
            </List>
          ) : residents.isSuccess ? (
            <ErrorBlock status="empty" title={t('mobile.noResidents')} description="" />
          ) : null}
          {(recent.data ?? []).length > 0 ? (
            <List header={t('earning.garbage.today')}>
              {(recent.data ?? []).slice(0, 20).map((c) => (
                <List.Item
                  key={c.id}
                  extra={<Tag color={c.credited > 0 ? 'success' : 'default'}>{checkinResultText(t, c)}</Tag>}
                >
                  {c.residentName} · {t(`earning.garbage.quality.${c.quality as 'good'}`)}
                </List.Item>
              ))}
            </List>
          ) : null}
        </>
      )}
    </div>
  );
}
