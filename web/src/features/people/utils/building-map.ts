import type { BuildingMap, HouseUse } from '../../../api-types';

export type MapRoom = BuildingMap['units'][number]['floors'][number]['rooms'][number];

/** Every floor of any unit, top to bottom, so that the units' rows line up side by side. */
export function floorsTopDown(map: BuildingMap): number[] {
  const floors = new Set(map.units.flatMap((unit) => unit.floors.map((f) => f.floor)));
  return [...floors].sort((a, b) => b - a);
}

/** The rooms of a unit on one floor, in room order (0301 before 0302). */
export function roomsOn(unit: BuildingMap['units'][number], floor: number): MapRoom[] {
  const rooms = unit.floors.find((f) => f.floor === floor)?.rooms ?? [];
  return [...rooms].sort((a, b) => a.roomNo.localeCompare(b.roomNo, 'zh-CN', { numeric: true }));
}

/** The widest floor of a unit, for its column count. */
export function maxRoomsPerFloor(unit: BuildingMap['units'][number]): number {
  return Math.max(1, ...unit.floors.map((f) => f.rooms.length));
}

/** Houses per use, every use present (0 when none), in the legend's order. */
export function countsByUse(map: BuildingMap, uses: readonly HouseUse[]): { use: HouseUse; count: number }[] {
  return uses.map((use) => ({ use, count: map.totals.byUse[use] ?? 0 }));
}
