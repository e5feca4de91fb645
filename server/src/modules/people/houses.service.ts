/** Houses (rooms): read, create, edit, and the building map (楼栋房屋图). */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors/errors.js';
import { findNodeById } from '../org/org.service.js';
import { inferFloor } from './people.logic.js';
import * as repo from './people.repo.js';
import type {
  BuildingMap,
  CreateHouseBody,
  HouseDetail,
  Household,
  HouseSummary,
  UpdateHouseBody,
} from './people.schemas.js';
import {
  houseInScope,
  type PeopleDeps,
  placeNode,
  seesSensitive,
  todayShanghai,
  toHousehold,
  toSummary,
} from './people.service.js';
import * as searchRepo from './resident-search.repo.js';

function toHouse(h: repo.HouseRow): HouseSummary {
  return {
    id: h.id,
    nodeId: h.node_id,
    place: h.place ?? '',
    roomNo: h.room_no,
    floor: h.floor,
    use: h.use,
    area: h.area,
    address: h.address,
    residentsCount: h.residents_count,
  };
}

export async function getHouse(deps: PeopleDeps, ctx: Ctx, id: number): Promise<HouseDetail> {
  const h = await houseInScope(deps.db, ctx, id);
  const today = todayShanghai();
  const householdIds = await repo.listHouseholdsOfHouse(deps.db, id);
  const households = (await Promise.all(householdIds.map((hid) => toHousehold(deps.db, ctx, hid, today)))).filter(
    (x): x is Household => x !== null,
  );
  // Only the people the caller may read: a house's rooms are in scope, but not always everyone in them.
  const residents = await searchRepo.searchResidents(
    deps.db,
    { areas: [scopeFor(ctx.principal, 'people.read')], houseId: id, status: 'active', limit: 200, offset: 0 },
    200,
  );
  return { ...toHouse(h), households, residents: residents.rows.map((r) => toSummary(ctx, r, today)) };
}

/** @throws HOUSE_ROOM_DUPLICATE, ORG_NODE_NOT_FOUND, RESIDENT_NODE_INVALID */
export async function createHouse(deps: PeopleDeps, ctx: Ctx, body: CreateHouseBody): Promise<HouseDetail> {
  let id: number;
  try {
    id = await deps.db.transaction(async (tx) => {
      const node = await placeNode(tx, ctx, body.nodeId);
      const newId = await repo.insertHouse(tx, {
        countyId: node.county_id,
        nodeId: node.id,
        nodePath: node.path,
        roomNo: body.roomNo.trim(),
        floor: body.floor ?? inferFloor(body.roomNo),
        use: body.use ?? 'owner_occupied',
        area: body.area ?? null,
        address: body.address?.trim() || null,
      });
      await recordAudit(tx, ctx, {
        action: 'house.create',
        targetType: 'house',
        targetId: newId,
        targetLabel: body.roomNo,
        scopePath: node.path,
        countyId: node.county_id,
        after: { nodeId: node.id, roomNo: body.roomNo, use: body.use ?? 'owner_occupied', area: body.area ?? null },
      });
      return newId;
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new AppError('HOUSE_ROOM_DUPLICATE', { field: 'roomNo', params: { room: body.roomNo } });
    throw err;
  }
  return getHouse(deps, ctx, id);
}

export async function updateHouse(deps: PeopleDeps, ctx: Ctx, id: number, body: UpdateHouseBody): Promise<HouseDetail> {
  await deps.db.transaction(async (tx) => {
    const h = await houseInScope(tx, ctx, id);
    assertCan(ctx.principal, 'people.write', h.node_path);
    const next = {
      floor: body.floor === undefined ? h.floor : body.floor,
      use: body.use ?? h.use,
      area: body.area === undefined ? h.area : body.area,
      address: body.address === undefined ? h.address : body.address?.trim() || null,
    };
    await repo.updateHouse(tx, id, next);
    await recordAudit(tx, ctx, {
      action: 'house.update',
      targetType: 'house',
      targetId: id,
      targetLabel: h.room_no,
      scopePath: h.node_path,
      countyId: h.county_id,
      before: { floor: h.floor, use: h.use, area: h.area === null ? null : Number(h.area), address: h.address },
      after: { ...next, area: next.area === null ? null : Number(next.area) },
    });
  });
  return getHouse(deps, ctx, id);
}

/** 楼栋房屋图: a building's units × floors × rooms, coloured by use and the groups living there. */
export async function getBuildingMap(deps: PeopleDeps, ctx: Ctx, buildingId: number): Promise<BuildingMap> {
  assertPermission(ctx.principal, 'people.read');
  const building = await findNodeById(deps.db, buildingId);
  if (!building || building.type !== 'building' || !can(ctx.principal, 'people.read', building.path))
    throw new AppError('ORG_NODE_NOT_FOUND');
  const rooms = await repo.listBuildingRooms(deps.db, building.path, seesSensitive(ctx, building.path));
  const units = new Map<
    number,
    { nodeId: number; name: string; floors: Map<number, BuildingMap['units'][number]['floors'][number]> }
  >();
  const unitNodes = await Promise.all(
    [...new Set(rooms.map((r) => r.node_id))].map((nid) => findNodeById(deps.db, nid)),
  );
  const names = new Map(
    unitNodes.filter((n) => n).map((n) => [n!.id, n!.id === building.id ? building.name : n!.name]),
  );
  const byUse: Record<string, number> = {};
  let residents = 0;
  for (const r of rooms) {
    let unit = units.get(r.node_id);
    if (!unit) {
      unit = { nodeId: r.node_id, name: names.get(r.node_id) ?? '', floors: new Map() };
      units.set(r.node_id, unit);
    }
    const floorNo = r.floor ?? 0;
    let floor = unit.floors.get(floorNo);
    if (!floor) {
      floor = { floor: floorNo, rooms: [] };
      unit.floors.set(floorNo, floor);
    }
    floor.rooms.push({
      houseId: r.house_id,
      roomNo: r.room_no,
      use: r.use,
      residentsCount: r.residents_count,
      groups: r.groups ?? [],
    });
    byUse[r.use] = (byUse[r.use] ?? 0) + 1;
    residents += r.residents_count;
  }
  return {
    buildingId: building.id,
    name: building.name,
    units: [...units.values()]
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }))
      .map((u) => ({
        nodeId: u.nodeId,
        name: u.name,
        floors: [...u.floors.values()].sort((a, b) => b.floor - a.floor),
      })),
    totals: { houses: rooms.length, residents, byUse },
  };
}
