import { Select, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebounced } from '../../../ui/use-debounced';
import { useResidents } from '../hooks/use-people';

type Props = {
  value?: number | null;
  onChange?: (residentId: number | null) => void;
  excludeIds?: readonly number[];
  id?: string;
  style?: React.CSSProperties;
  'data-testid'?: string;
};

/** Picks a living resident by name, pinyin, initials, ID or phone (the residents search). */
export function ResidentSearchSelect({ value, onChange, excludeIds, id, style, ...rest }: Props) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const found = useResidents({ q, page: 1, pageSize: 10 }, q.length > 0);
  const items = q ? (found.data?.items ?? []).filter((r) => !(excludeIds ?? []).includes(r.id)) : [];
  return (
    <Select<number>
      id={id}
      data-testid={rest['data-testid']}
      style={style}
      allowClear
      value={value ?? undefined}
      placeholder={t('people.searchPlaceholder')}
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      notFoundContent={found.isFetching ? <Spin size="small" /> : null}
      onChange={(v) => onChange?.(v ?? null)}
      options={items.map((r) => ({
        value: r.id,
        label: `${r.name} · ${t('people.ageYears', { age: r.age })} · ${r.idMasked} · ${r.place}${r.roomNo ? ` ${r.roomNo}` : ''}`,
      }))}
    />
  );
}
