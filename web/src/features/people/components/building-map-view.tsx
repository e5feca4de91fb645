import { UserOutlined } from '@ant-design/icons';
import { Empty, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BuildingMap, Tag } from '../../../api-types';
import { countsByUse, floorsTopDown, type MapRoom, maxRoomsPerFloor, roomsOn } from '../utils/building-map';
import { HOUSE_USES, houseUseLabel } from '../utils/labels';
import { shortTagName, tagColor } from '../utils/tag-style';
import { HouseUseSwatch } from './house-use-swatch';

type Props = {
  map: BuildingMap;
  /** The tag dictionary, for the names of the groups living in each room. */
  tags: readonly Tag[];
  onOpenRoom: (houseId: number) => void;
};

/** 楼栋房屋图: one block per unit, floors from the top down, rooms coloured by use with their special groups. */
export function BuildingMapView({ map, tags, onOpenRoom }: Props) {
  const { t } = useTranslation();
  const byCode = new Map(tags.map((tag) => [tag.code, tag]));
  const floors = floorsTopDown(map);

  const roomTitle = (room: MapRoom) =>
    [
      room.roomNo,
      houseUseLabel(t, room.use),
      t('people.residentsCount', { count: room.residentsCount }),
      room.groups.map((code) => byCode.get(code)?.name ?? code).join('、'),
    ]
      .filter(Boolean)
      .join(' · ');

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="building-map">
      <div className="linli-bmap-totals">
        <Typography.Text strong>
          {t('houses.totals', { houses: map.totals.houses, residents: map.totals.residents })}
        </Typography.Text>
        {countsByUse(map, HOUSE_USES)
          .filter(({ use, count }) => use !== 'other' || count > 0)
          .map(({ use, count }) => (
            <span key={use} className="linli-bmap-legend" data-testid={`use-total-${use}`}>
              <HouseUseSwatch use={use} />
              {houseUseLabel(t, use)} <Typography.Text strong>{count}</Typography.Text>
            </span>
          ))}
      </div>
      {map.units.length === 0 ? (
        <Empty description={t('houses.noRooms')} />
      ) : (
        <div className="linli-bmap">
          {map.units.map((unit) => (
            <section key={unit.nodeId} className="linli-bmap-unit" aria-label={unit.name}>
              <div className="linli-bmap-unit-name">{unit.name}</div>
              <div
                className="linli-bmap-grid"
                style={{ gridTemplateColumns: `32px repeat(${maxRoomsPerFloor(unit)}, 80px)` }}
              >
                {floors.map((floor) => (
                  <FloorRow
                    key={floor}
                    floor={floor}
                    rooms={roomsOn(unit, floor)}
                    columns={maxRoomsPerFloor(unit)}
                    byCode={byCode}
                    roomTitle={roomTitle}
                    onOpenRoom={onOpenRoom}
                  />
                ))}
              </div>
            </section>
          ))}
        </div>
      )}
    </Space>
  );
}

type RowProps = {
  floor: number;
  rooms: MapRoom[];
  columns: number;
  byCode: Map<string, Tag>;
  roomTitle: (room: MapRoom) => string;
  onOpenRoom: (houseId: number) => void;
};

function FloorRow({ floor, rooms, columns, byCode, roomTitle, onOpenRoom }: RowProps) {
  const { t } = useTranslation();
  return (
    <>
      <div className="linli-bmap-floor">{floor === 0 ? t('common.none') : t('houses.floorShort', { floor })}</div>
      {rooms.map((room) => (
        <button
          key={room.houseId}
          type="button"
          className={`linli-room linli-use-${room.use}`}
          title={roomTitle(room)}
          onClick={() => onOpenRoom(room.houseId)}
          data-testid={`room-${room.roomNo}`}
        >
          <span className="linli-room-head">
            <span className="linli-room-no">{room.roomNo}</span>
            {room.residentsCount > 0 ? (
              <span className="linli-room-count">
                <UserOutlined /> {room.residentsCount}
              </span>
            ) : null}
          </span>
          <span className="linli-room-groups">
            {room.groups.map((code) => {
              const name = byCode.get(code)?.name ?? code;
              return (
                <span key={code} className="linli-room-badge" style={{ background: tagColor(code).hex }}>
                  {shortTagName(name)}
                </span>
              );
            })}
          </span>
        </button>
      ))}
      {Array.from({ length: columns - rooms.length }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: empty places on a floor have nothing else to tell them apart
        <div key={`empty-${i}`} className="linli-room-none" aria-hidden="true" />
      ))}
    </>
  );
}
