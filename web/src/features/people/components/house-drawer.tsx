import { Alert, App, Card, Descriptions, Drawer, Empty, Select, Space, Spin, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { HouseDetail, HouseUse, ResidentSummary } from '../../../api-types';
import { useHouse, useTags, useUpdateHouse } from '../hooks/use-people';
import { HOUSE_USES, houseUseLabel, relationLabel, sexLabel } from '../utils/labels';
import { HouseUseSwatch } from './house-use-swatch';
import { TagChips } from './tag-chips';

type Props = { houseId: number | null; canWrite: boolean; onClose: () => void };

/** A room: its use, the households in it and everyone living there. */
export function HouseDrawer({ houseId, canWrite, onClose }: Props) {
  const { t } = useTranslation();
  const house = useHouse(houseId);
  return (
    <Drawer
      open={houseId !== null}
      onClose={onClose}
      size={640}
      title={house.data ? t('houses.houseTitle', { room: house.data.roomNo }) : t('common.details')}
      destroyOnHidden
    >
      {house.isLoading ? <Spin style={{ display: 'block', margin: '64px auto' }} /> : null}
      {house.isError ? <Alert type="error" showIcon title={house.error.message} /> : null}
      {house.data ? <HouseBody house={house.data} canWrite={canWrite} /> : null}
    </Drawer>
  );
}

function HouseBody({ house, canWrite }: { house: HouseDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateHouse();
  const tags = useTags();
  const derivedIds = new Set((tags.data?.items ?? []).filter((tag) => tag.rule !== null).map((tag) => tag.id));
  const inHousehold = new Set(house.households.flatMap((hh) => hh.members.map((m) => m.id)));
  const others = house.residents.filter((r) => !inHousehold.has(r.id));

  const setUse = (use: HouseUse) =>
    update.mutateAsync({ id: house.id, body: { use } }).then(
      () => message.success(t('common.saved')),
      (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown')),
    );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="house-detail">
      <Descriptions
        bordered
        size="small"
        column={2}
        items={[
          { key: 'place', label: t('people.place'), span: 2, children: house.place },
          { key: 'room', label: t('people.room'), children: house.roomNo },
          { key: 'floor', label: t('houses.floor'), children: house.floor ?? t('common.none') },
          {
            key: 'use',
            label: t('houses.use'),
            children: canWrite ? (
              <Select<HouseUse>
                size="small"
                value={house.use}
                loading={update.isPending}
                style={{ width: 140 }}
                aria-label={t('houses.use')}
                onChange={setUse}
                options={HOUSE_USES.map((use) => ({
                  value: use,
                  label: (
                    <Space size={6}>
                      <HouseUseSwatch use={use} />
                      {houseUseLabel(t, use)}
                    </Space>
                  ),
                }))}
              />
            ) : (
              <Space size={6}>
                <HouseUseSwatch use={house.use} />
                {houseUseLabel(t, house.use)}
              </Space>
            ),
          },
          {
            key: 'area',
            label: t('houses.area'),
            children: house.area ? `${Number(house.area)} ㎡` : t('common.none'),
          },
          { key: 'address', label: t('houses.address'), span: 2, children: house.address ?? t('common.none') },
          { key: 'count', label: t('houses.residentsCount'), span: 2, children: house.residentsCount },
        ]}
      />
      {house.households.length === 0 && house.residents.length === 0 ? (
        <Empty description={t('houses.nobody')} />
      ) : null}
      {house.households.map((hh) => (
        <Card
          key={hh.id}
          size="small"
          title={
            <Space>
              {t('people.household')}
              {hh.householdNo ? <Typography.Text type="secondary">{hh.householdNo}</Typography.Text> : null}
            </Space>
          }
        >
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={hh.members}
            columns={[
              {
                title: t('people.name'),
                dataIndex: 'name',
                render: (name: string, m) => <Link to={`/people/residents/${m.id}`}>{name}</Link>,
              },
              {
                title: t('people.relation'),
                dataIndex: 'relation',
                render: (r: ResidentSummary['relation']) => relationLabel(t, r),
              },
              { title: t('people.sex'), dataIndex: 'sex', render: (s: ResidentSummary['sex']) => sexLabel(t, s) },
              { title: t('people.age'), dataIndex: 'age' },
              {
                title: t('people.tags'),
                key: 'tags',
                render: (_, m) => (
                  <TagChips tags={house.residents.find((r) => r.id === m.id)?.tags ?? []} derivedIds={derivedIds} />
                ),
              },
            ]}
          />
        </Card>
      ))}
      {others.length > 0 ? (
        <Card size="small" title={t('houses.otherResidents')}>
          <Table<ResidentSummary>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={others}
            columns={[
              {
                title: t('people.name'),
                dataIndex: 'name',
                render: (name: string, r) => <Link to={`/people/residents/${r.id}`}>{name}</Link>,
              },
              { title: t('people.sex'), dataIndex: 'sex', render: (s: ResidentSummary['sex']) => sexLabel(t, s) },
              { title: t('people.age'), dataIndex: 'age' },
              {
                title: t('people.tags'),
                dataIndex: 'tags',
                render: (v: ResidentSummary['tags']) => <TagChips tags={v} derivedIds={derivedIds} />,
              },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  );
}
