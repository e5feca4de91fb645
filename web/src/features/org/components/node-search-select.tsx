import { Select, Spin, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NodeType, OrgNode, OrgSearchHit } from '../../../api-types';
import { nodeTypeLabel } from '../../../ui/labels';
import { useDebounced } from '../../../ui/use-debounced';
import { useOrgNode, useOrgSearch } from '../hooks/use-org';

type Props = {
  value?: number | null;
  onChange?: (value: number | null, node: OrgNode | null) => void;
  /** Only offer nodes of these types. */
  types?: readonly NodeType[];
  /** Never offer this node (e.g. the node being moved). */
  excludeId?: number;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
  'data-testid'?: string;
};

/** Picks an org node by typing part of its name or code (GET /api/org/search). */
export function NodeSearchSelect({
  value,
  onChange,
  types,
  excludeId,
  placeholder,
  allowClear,
  style,
  id,
  ...rest
}: Props) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const debounced = useDebounced(term, 250);
  // the server filters by one type; with several allowed types we filter here
  const singleType = types?.length === 1 ? types[0] : undefined;
  const search = useOrgSearch(debounced, singleType);
  // remember the chosen node so its label survives a new search
  const [chosen, setChosen] = useState<OrgNode | null>(null);

  // a value given from outside (an address, a saved form) is labelled by reading its node once
  const isUnlabelled = value != null && chosen?.id !== value;
  const given = useOrgNode(isUnlabelled ? value : null).data;

  const nodes = useMemo((): (OrgNode & Partial<Pick<OrgSearchHit, 'parentNames'>>)[] => {
    const found: (OrgNode & Partial<Pick<OrgSearchHit, 'parentNames'>>)[] = (search.data?.items ?? []).filter(
      (node) => node.id !== excludeId && (!types || types.includes(node.type)),
    );
    const current = chosen?.id === value ? chosen : given?.id === value ? given : null;
    if (current && !found.some((n) => n.id === current.id)) found.unshift(current);
    return found;
  }, [search.data, excludeId, types, chosen, given, value]);

  return (
    <Select<number>
      id={id}
      data-testid={rest['data-testid']}
      value={value ?? undefined}
      style={style}
      allowClear={allowClear}
      placeholder={placeholder ?? t('org.searchPlaceholder')}
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      notFoundContent={search.isFetching ? <Spin size="small" /> : null}
      options={nodes.map((node) => ({
        value: node.id,
        label: (
          <span>
            {node.name} <Tag style={{ marginInlineStart: 4 }}>{nodeTypeLabel(t, node.type)}</Tag>
            {node.code ? <span style={{ color: '#8c8c8c' }}>{node.code}</span> : null}
            {node.parentNames?.length ? (
              <div style={{ color: '#8c8c8c', fontSize: 12 }}>{node.parentNames.join(' / ')}</div>
            ) : null}
          </span>
        ),
      }))}
      onChange={(next) => {
        const node = nodes.find((n) => n.id === next) ?? null;
        setChosen(node);
        onChange?.(next ?? null, node);
      }}
    />
  );
}
