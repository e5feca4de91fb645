import { LockOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Tag } from '../../../api-types';
import { useTags } from '../hooks/use-people';
import { tagColor } from '../utils/tag-style';

type CommonProps = {
  /** Only tags a person may set by hand (no rule). */
  isManualOnly?: boolean;
  /** Leave these tags out (e.g. the ones a resident already holds). */
  excludeIds?: readonly number[];
  placeholder?: string;
  style?: React.CSSProperties;
  id?: string;
  'data-testid'?: string;
};

type Props<V extends string | number> = CommonProps & {
  /** Which property of a tag is the value: its code (search filters, reports) or its id (assignments). */
  valueOf: (tag: Tag) => V;
} & (
    | { mode: 'multiple'; value?: V[]; onChange?: (value: V[]) => void }
    | { mode?: undefined; value?: V | null; onChange?: (value: V | null) => void }
  );

/** Name of a tag with its parent, for a flat list: 特殊人群 / 高龄老人. */
function fullName(tag: Tag, byId: Map<number, Tag>): string {
  const parent = tag.parentId === null ? undefined : byId.get(tag.parentId);
  return parent ? `${parent.name} / ${tag.name}` : tag.name;
}

/** Picks tags from the dictionary (GET /api/people/tags), searchable by name or code. */
export function TagSelect<V extends string | number>(props: Props<V>) {
  const { t } = useTranslation();
  const tags = useTags();
  const all = tags.data?.items ?? [];
  const byId = new Map(all.map((tag) => [tag.id, tag]));
  const shown = all.filter(
    (tag) => (!props.isManualOnly || tag.rule === null) && !(props.excludeIds ?? []).includes(tag.id),
  );
  // the chosen tags show their short name; the list shows where each sits and what kind it is
  const options = shown.map((tag) => ({
    value: props.valueOf(tag),
    searchText: `${tag.name} ${tag.code}`,
    label: tag.name,
  }));
  const byValue = new Map<string | number, Tag>(shown.map((tag) => [props.valueOf(tag), tag]));
  const renderOption = (tag: Tag) => (
    <span className="linli-tag-option">
      <span className="linli-dot" style={{ background: tagColor(tag.code).hex }} />
      {fullName(tag, byId)}
      {tag.sensitive ? <LockOutlined title={t('tags.sensitive')} /> : null}
      {tag.rule ? <span className="linli-muted">· {t('tags.derived')}</span> : null}
    </span>
  );
  const common = {
    id: props.id,
    'data-testid': props['data-testid'],
    style: props.style,
    allowClear: true,
    loading: tags.isLoading,
    placeholder: props.placeholder ?? t('people.filters.tags'),
    options,
    optionRender: (option: { value?: string | number | null; label?: React.ReactNode }) => {
      const tag = option.value == null ? undefined : byValue.get(option.value);
      return tag ? renderOption(tag) : option.label;
    },
    showSearch: { optionFilterProp: 'searchText' },
    maxTagCount: 'responsive' as const,
    // the list names each tag with its parent: let it be wider than the box
    popupMatchSelectWidth: false,
  };
  if (props.mode === 'multiple') {
    const { onChange } = props;
    return <Select<V[]> {...common} mode="multiple" value={props.value} onChange={(v) => onChange?.(v ?? [])} />;
  }
  const { onChange } = props;
  return <Select<V> {...common} value={props.value ?? undefined} onChange={(v) => onChange?.(v ?? null)} />;
}
