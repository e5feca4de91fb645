import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useOrgNode } from '../../org/hooks/use-org';
import { useBuildingMap } from '../hooks/use-people';
import { houseUseLabel } from '../utils/labels';

type Props = {
  /** The unit (or building without units) whose rooms are offered. */
  nodeId: number | null;
  value?: number | null;
  onChange?: (houseId: number | null) => void;
  id?: string;
};

/** Picks a room (house) of a unit, read from its building's map; nothing to pick above building level. */
export function RoomSelect({ nodeId, value, onChange, id }: Props) {
  const { t } = useTranslation();
  const node = useOrgNode(nodeId).data;
  const buildingId = node?.type === 'unit' ? node.parentId : node?.type === 'building' ? node.id : null;
  const map = useBuildingMap(buildingId);
  const rooms = (map.data?.units.find((unit) => unit.nodeId === nodeId)?.floors ?? [])
    .flatMap((floor) => floor.rooms)
    .sort((a, b) => a.roomNo.localeCompare(b.roomNo, 'zh-CN', { numeric: true }));
  const hasRooms = buildingId !== null;
  return (
    <Select<number>
      id={id}
      allowClear
      showSearch={{ optionFilterProp: 'searchText' }}
      disabled={!hasRooms}
      loading={map.isLoading}
      placeholder={hasRooms ? t('people.roomPlaceholder') : t('people.roomNeedsUnit')}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={rooms.map((room) => ({
        value: room.houseId,
        searchText: room.roomNo,
        label: `${room.roomNo} · ${houseUseLabel(t, room.use)} · ${t('people.residentsCount', { count: room.residentsCount })}`,
      }))}
    />
  );
}
