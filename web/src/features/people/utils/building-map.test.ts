import { describe, expect, it } from 'vitest';
import type { BuildingMap } from '../../../api-types';
import { countsByUse, floorsTopDown, maxRoomsPerFloor, roomsOn } from './building-map';

const room = (roomNo: string) => ({
  houseId: Number(roomNo),
  roomNo,
  use: 'owner_occupied' as const,
  residentsCount: 1,
  groups: [],
});

const map: BuildingMap = {
  buildingId: 1,
  name: '3号楼',
  units: [
    {
      nodeId: 2,
      name: '1单元',
      floors: [
        { floor: 2, rooms: [room('202'), room('201')] },
        { floor: 1, rooms: [room('101')] },
      ],
    },
    { nodeId: 3, name: '2单元', floors: [{ floor: 3, rooms: [room('301')] }] },
  ],
  totals: { houses: 4, residents: 4, byUse: { owner_occupied: 3, rented: 1 } },
};

describe('the building map', () => {
  it('lines every unit up on the same floors, top to bottom', () => {
    expect(floorsTopDown(map)).toEqual([3, 2, 1]);
  });

  it('orders a floor by room number', () => {
    const unit = map.units[0];
    if (!unit) throw new Error('no unit');
    expect(roomsOn(unit, 2).map((r) => r.roomNo)).toEqual(['201', '202']);
    expect(roomsOn(unit, 3)).toEqual([]);
    expect(maxRoomsPerFloor(unit)).toBe(2);
  });

  it('counts every use, including those with no house', () => {
    expect(countsByUse(map, ['owner_occupied', 'rented', 'vacant'])).toEqual([
      { use: 'owner_occupied', count: 3 },
      { use: 'rented', count: 1 },
      { use: 'vacant', count: 0 },
    ]);
  });
});
