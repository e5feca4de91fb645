import { ErrorBlock, List, SpinLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useMyHousehold } from '../features/people/hooks/use-my-household';
import { houseUseLabel, relationLabel, sexLabel } from '../features/people/utils/labels';

/** A resident's own household and house; their own numbers in full (it is their data). */
export function MyHouseholdView() {
  const { t } = useTranslation();
  const mine = useMyHousehold();
  const none = t('common.none');
  if (mine.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  const data = mine.data;
  if (!data?.linked || !data.self) {
    return <ErrorBlock status="empty" title={t('mobile.notLinked')} description={t('mobile.notLinkedHint')} />;
  }
  const { self, household, house } = data;
  return (
    <div data-testid="m-household">
      <List header={t('mobile.myself')}>
        <List.Item extra={self.name}>{t('people.name')}</List.Item>
        <List.Item extra={<span className="m-mono">{self.idNumber}</span>}>{t('people.idNumber')}</List.Item>
        <List.Item extra={<span className="m-mono">{self.phone ?? none}</span>}>{t('people.phone')}</List.Item>
        <List.Item extra={self.currentAddress ?? none}>{t('people.currentAddress')}</List.Item>
        <List.Item extra={self.hukouAddress ?? none}>{t('people.hukouAddress')}</List.Item>
      </List>
      {house ? (
        <List header={t('mobile.myHouse')}>
          <List.Item extra={`${house.place} ${house.roomNo}`}>{t('people.place')}</List.Item>
          <List.Item extra={house.floor ?? none}>{t('houses.floor')}</List.Item>
          <List.Item extra={house.area ? `${house.area} m²` : none}>{t('houses.area')}</List.Item>
          <List.Item extra={houseUseLabel(t, house.use as Parameters<typeof houseUseLabel>[1])}>
            {t('houses.use')}
          </List.Item>
        </List>
      ) : null}
      {household ? (
        <List header={t('mobile.myHousehold', { no: household.householdNo ?? '' })}>
          {household.members.map((m) => (
            <List.Item
              key={m.id}
              description={`${sexLabel(t, m.sex)} · ${t('people.ageYears', { age: m.age })}`}
              extra={relationLabel(t, m.relation)}
            >
              {m.isSelf ? t('mobile.meSuffix', { name: m.name }) : m.name}
            </List.Item>
          ))}
        </List>
      ) : null}
    </div>
  );
}
