import { ErrorBlock, SpinLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { useBuildingMap } from '../features/people/hooks/use-people';
import { floorsTopDown, roomsOn } from '../features/people/utils/building-map';
import { houseUseLabel } from '../features/people/utils/labels';

/** A building's houses by floor and unit on the phone: each room with its use and how many live there. */
export function MobileBuildingPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const map = useBuildingMap(Number.isInteger(id) && id > 0 ? id : null);
  if (map.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (!map.data) return <ErrorBlock status="empty" title={map.error?.message ?? t('common.notFound')} description="" />;
  const floors = floorsTopDown(map.data);
  return (
    <div className="m-page" data-testid="m-building">
      <div className="m-building-head">
        <strong>{map.data.name}</strong>
        <span>{t('houses.totals', { houses: map.data.totals.houses, residents: map.data.totals.residents })}</span>
      </div>
      {map.data.totals.houses === 0 ? <ErrorBlock status="empty" title={t('houses.noRooms')} description="" /> : null}
      {map.data.units.map((unit) => (
        <section key={unit.nodeId} className="m-building-unit">
          <h3>{unit.name}</h3>
          {floors.map((floor) => {
            const rooms = roomsOn(unit, floor);
            if (rooms.length === 0) return null;
            return (
              <div key={floor} className="m-building-floor">
                <span className="m-building-floor-no">{t('houses.floorShort', { floor })}</span>
                {rooms.map((room) => (
                  <span key={room.houseId} className={`m-room m-room-${room.use}`}>
                    <b>{room.roomNo}</b>
                    <small>
                      {houseUseLabel(t, room.use)} · {room.residentsCount}
                    </small>
                  </span>
                ))}
              </div>
            );
          })}
        </section>
      ))}
    </div>
  );
}
