/** Households (户): read one, create one, add a member (moving them from another household if asked). */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, can } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskName } from '../../platform/pii/index.js';
import * as repo from './people.repo.js';
import type { AddMemberBody, CreateHouseholdBody, Household } from './people.schemas.js';
import {
  houseInScope,
  type PeopleDeps,
  placeNode,
  todayShanghai,
  toHousehold,
  writableResident,
} from './people.service.js';
import { refreshDerivedTags } from './tags.service.js';

export async function getHousehold(deps: PeopleDeps, ctx: Ctx, id: number): Promise<Household> {
  const hh = await repo.findHousehold(deps.db, id);
  if (!hh || !can(ctx.principal, 'people.read', hh.node_path)) throw new AppError('HOUSEHOLD_NOT_FOUND');
  return (await toHousehold(deps.db, ctx, id, todayShanghai()))!;
}

export async function createHousehold(deps: PeopleDeps, ctx: Ctx, body: CreateHouseholdBody): Promise<Household> {
  const id = await deps.db.transaction(async (tx) => {
    const house = body.houseId ? await houseInScope(tx, ctx, body.houseId, 'houseId') : null;
    const node = house ? await placeNode(tx, ctx, house.node_id, 'houseId') : await placeNode(tx, ctx, body.nodeId);
    const newId = await repo.insertHousehold(tx, {
      countyId: node.county_id,
      nodeId: node.id,
      nodePath: node.path,
      houseId: house?.id ?? null,
      householdNo: body.householdNo?.trim() || null,
    });
    await recordAudit(tx, ctx, {
      action: 'household.create',
      targetType: 'household',
      targetId: newId,
      targetLabel: body.householdNo ?? null,
      scopePath: node.path,
      countyId: node.county_id,
      after: { nodeId: node.id, houseId: house?.id ?? null, householdNo: body.householdNo ?? null },
    });
    return newId;
  });
  return getHousehold(deps, ctx, id);
}

/**
 * Adds a person to a household (a birth is a new resident created into it). A person belongs to one
 * household: moving them from another needs `moveFromOther`.
 * @throws HOUSEHOLD_NOT_FOUND, RESIDENT_NOT_FOUND, RESIDENT_IN_OTHER_HOUSEHOLD, HOUSEHOLD_HAS_HEAD
 */
export async function addHouseholdMember(
  deps: PeopleDeps,
  ctx: Ctx,
  householdId: number,
  body: AddMemberBody,
): Promise<Household> {
  await deps.db.transaction(async (tx) => {
    const hh = await repo.findHousehold(tx, householdId);
    if (!hh || !can(ctx.principal, 'people.read', hh.node_path)) throw new AppError('HOUSEHOLD_NOT_FOUND');
    assertCan(ctx.principal, 'people.write', hh.node_path);
    const r = await writableResident(tx, ctx, body.residentId);
    if (r.status !== 'active') throw new AppError('RESIDENT_NOT_ACTIVE', { field: 'residentId' });
    if (r.household_id === householdId && r.relation === body.relation) return;
    if (r.household_id && r.household_id !== householdId && !body.moveFromOther)
      throw new AppError('RESIDENT_IN_OTHER_HOUSEHOLD', { field: 'residentId' });
    if (body.relation === 'head' && hh.head_resident_id && hh.head_resident_id !== r.id)
      throw new AppError('HOUSEHOLD_HAS_HEAD', { field: 'relation' });
    const previous = r.household_id;
    if (previous && previous !== householdId && r.relation === 'head') await repo.setHouseholdHead(tx, previous, null);
    await repo.setHousehold(tx, r.id, householdId, body.relation);
    if (body.relation === 'head') await repo.setHouseholdHead(tx, householdId, r.id);
    const affected = [householdId, previous].filter((x): x is number => x !== null);
    await refreshDerivedTags(tx, { where: 'r.household_id = ANY($1::bigint[])', params: [affected] });
    await recordAudit(tx, ctx, {
      action: 'resident.household',
      targetType: 'resident',
      targetId: r.id,
      targetLabel: maskName(r.name),
      scopePath: r.node_path,
      countyId: r.county_id,
      diff: { householdId: [previous, householdId], relation: [r.relation, body.relation] },
    });
  });
  return getHousehold(deps, ctx, householdId);
}
