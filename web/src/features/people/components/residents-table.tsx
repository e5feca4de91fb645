import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Input, InputNumber, Segmented, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { ResidentSummary, Sex } from '../../../api-types';
import { useDebounced } from '../../../ui/use-debounced';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { useResidents } from '../hooks/use-people';
import { RESIDENT_STATUSES, relationLabel, SEXES, sexLabel, statusLabel } from '../utils/labels';
import { COUNT_CAP, PAGE_SIZES, type ResidentFilters, totalLabel } from '../utils/resident-filters';
import { TagChips } from './tag-chips';
import { TagSelect } from './tag-select';

type Props = {
  filters: ResidentFilters;
  onChange: (filters: ResidentFilters) => void;
  canWrite: boolean;
  onRegister: () => void;
};

/** Text typed into a box reaches the filters (and the server) once typing pauses. */
function useTypedText(value: string | undefined, onSettled: (text: string | undefined) => void) {
  const [text, setText] = useState(value ?? '');
  const settled = useDebounced(text, 300);
  // a change from outside (Back, Reset) replaces what is in the box
  useEffect(() => setText(value ?? ''), [value]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only newly settled text searches, not a new callback
  useEffect(() => {
    const next = settled.trim() || undefined;
    if (next !== (value?.trim() || undefined)) onSettled(next);
  }, [settled]);
  return [text, setText] as const;
}

const PLACE_PREFIX = /^[^/]+\//;

export function ResidentsTable({ filters, onChange, canWrite, onRegister }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const residents = useResidents(filters);
  const patch = (next: Partial<ResidentFilters>) => onChange({ ...filters, ...next, page: next.page ?? 1 });
  const [q, setQ] = useTypedText(filters.q, (text) => patch({ q: text }));
  const [address, setAddress] = useTypedText(filters.address, (text) => patch({ address: text }));
  const status = filters.status ?? 'active';
  const total = residents.data?.total ?? 0;

  const columns: ColumnsType<ResidentSummary> = [
    {
      title: t('people.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 96,
      render: (name: string, r) => (
        <Link to={`/people/residents/${r.id}`} data-testid={`resident-${r.id}`} onClick={(e) => e.stopPropagation()}>
          {name}
        </Link>
      ),
    },
    { title: t('people.sex'), dataIndex: 'sex', width: 56, render: (sex: Sex) => sexLabel(t, sex) },
    { title: t('people.age'), dataIndex: 'age', width: 56 },
    {
      title: t('people.idNumber'),
      dataIndex: 'idMasked',
      width: 184,
      render: (v: string) => <span className="linli-mono">{v}</span>,
    },
    {
      title: t('people.phone'),
      dataIndex: 'phoneMasked',
      width: 116,
      render: (v: string | null) => (v ? <span className="linli-mono">{v}</span> : t('common.none')),
    },
    {
      title: t('people.place'),
      dataIndex: 'place',
      width: 200,
      ellipsis: { showTitle: false },
      render: (place: string) => (
        <Tooltip title={place} placement="topLeft">
          {/* the community is the same for most lists; the grid and building are what tell rows apart */}
          {place.replace(PLACE_PREFIX, '')}
        </Tooltip>
      ),
    },
    { title: t('people.room'), dataIndex: 'roomNo', width: 72, render: (v: string | null) => v ?? t('common.none') },
    {
      title: t('people.relation'),
      dataIndex: 'relation',
      width: 96,
      render: (v: ResidentSummary['relation']) => relationLabel(t, v),
    },
    {
      title: t('people.tags'),
      dataIndex: 'tags',
      // "computed" is said on the resident's page; a list has no room for it
      render: (v: ResidentSummary['tags']) => <TagChips tags={v} />,
    },
    ...(status === 'active'
      ? []
      : [
          {
            title: t('people.status'),
            dataIndex: 'status',
            width: 80,
            render: (v: ResidentSummary['status']) => statusLabel(t, v),
          },
        ]),
  ];

  const hasFilters =
    Boolean(filters.q || filters.address || filters.sex || filters.nodeId || filters.status) ||
    (filters.tags?.length ?? 0) > 0 ||
    filters.ageMin !== undefined ||
    filters.ageMax !== undefined;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="linli-toolbar">
        <Input
          allowClear
          size="large"
          prefix={<SearchOutlined />}
          placeholder={t('people.searchPlaceholder')}
          aria-label={t('people.searchLabel')}
          className="linli-people-search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onPressEnter={() => patch({ q: q.trim() || undefined })}
          data-testid="resident-search"
        />
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={onRegister} data-testid="register-resident">
            {t('people.register')}
          </Button>
        ) : null}
      </div>
      <Space wrap size={[8, 8]} data-testid="resident-filters">
        <TagSelect
          mode="multiple"
          valueOf={(tag) => tag.code}
          style={{ minWidth: 200, maxWidth: 360 }}
          value={filters.tags ?? []}
          onChange={(codes) => patch({ tags: codes })}
        />
        {(filters.tags?.length ?? 0) > 1 ? (
          <Segmented<'any' | 'all'>
            value={filters.tagMode ?? 'any'}
            options={[
              { value: 'any', label: t('people.filters.tagAny') },
              { value: 'all', label: t('people.filters.tagAll') },
            ]}
            onChange={(mode) => patch({ tagMode: mode === 'all' ? 'all' : undefined })}
          />
        ) : null}
        <Space.Compact>
          <InputNumber<number>
            min={0}
            max={150}
            precision={0}
            placeholder={t('people.filters.ageMin')}
            aria-label={t('people.filters.ageMin')}
            style={{ width: 104 }}
            value={filters.ageMin ?? null}
            onChange={(v) => patch({ ageMin: v ?? undefined })}
          />
          <InputNumber<number>
            min={0}
            max={150}
            precision={0}
            placeholder={t('people.filters.ageMax')}
            aria-label={t('people.filters.ageMax')}
            style={{ width: 104 }}
            value={filters.ageMax ?? null}
            onChange={(v) => patch({ ageMax: v ?? undefined })}
          />
        </Space.Compact>
        <Select<Sex>
          allowClear
          placeholder={t('people.sex')}
          style={{ width: 96 }}
          value={filters.sex}
          options={SEXES.map((sex) => ({ value: sex, label: sexLabel(t, sex) }))}
          onChange={(sex) => patch({ sex: sex ?? undefined })}
        />
        <Select<NonNullable<ResidentFilters['status']>>
          style={{ width: 112 }}
          aria-label={t('people.status')}
          value={status}
          options={[
            ...RESIDENT_STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) })),
            { value: 'all' as const, label: t('people.filters.statusAll') },
          ]}
          onChange={(s) => patch({ status: s === 'active' ? undefined : s })}
        />
        <NodeSearchSelect
          allowClear
          placeholder={t('people.filters.place')}
          style={{ width: 200 }}
          value={filters.nodeId ?? null}
          onChange={(nodeId) => patch({ nodeId: nodeId ?? undefined })}
        />
        <Input
          allowClear
          placeholder={t('people.filters.address')}
          aria-label={t('people.filters.address')}
          style={{ width: 160 }}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
        {hasFilters ? (
          <Button type="link" onClick={() => onChange({ page: 1, pageSize: filters.pageSize })}>
            {t('common.reset')}
          </Button>
        ) : null}
      </Space>
      {residents.isError ? <Alert type="error" showIcon title={residents.error.message} /> : null}
      <Table<ResidentSummary>
        rowKey="id"
        size="middle"
        loading={residents.isFetching}
        columns={columns}
        dataSource={residents.data?.items ?? []}
        // fits a 1366-pixel screen beside the menu without scrolling sideways
        scroll={{ x: 1040 }}
        tableLayout="fixed"
        rowClassName="linli-clickable"
        onRow={(r) => ({ onClick: () => navigate(`/people/residents/${r.id}`) })}
        data-testid="residents-table"
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: Math.min(total, COUNT_CAP),
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES.map(String),
          showTotal: () => (
            <Typography.Text type="secondary" data-testid="residents-total">
              {t('people.total', { count: totalLabel(total) })}
            </Typography.Text>
          ),
          onChange: (page, pageSize) => patch({ page, pageSize }),
        }}
      />
    </Space>
  );
}
