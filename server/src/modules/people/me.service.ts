import type { Ctx } from '../../platform/access/context.js';
import type { Db } from '../../platform/db/client.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { linkedResidentOf } from '../users/users.service.js';
import type { MyHousehold } from './me.schemas.js';
import { ageOn } from './people.logic.js';
import * as repo from './people.repo.js';
import { todayShanghai } from './people.service.js';

/**
 * The caller's own household and house, through the resident record their account is linked to: never anyone
 * else's, whatever their posts. Their own numbers are shown in full (it is their data); members of the household
 * by name, relation, sex and age. Moved-out members are left out.
 */
export async function getMyHousehold(deps: { db: Db; pii: PiiCipher }, ctx: Ctx): Promise<MyHousehold> {
  const none: MyHousehold = { linked: false, self: null, household: null, house: null };
  const residentId = await linkedResidentOf(deps.db, ctx.principal.userId);
  if (residentId === null) return none;
  const r = await repo.findResident(deps.db, residentId);
  if (!r) return none;
  const today = todayShanghai();
  const household = r.household_id === null ? undefined : await repo.findHousehold(deps.db, r.household_id);
  const houseId = r.house_id ?? household?.house_id ?? null;
  const house = houseId === null ? undefined : await repo.findHouse(deps.db, houseId);
  return {
    linked: true,
    self: {
      id: r.id,
      name: r.name,
      sex: r.sex,
      birthDate: r.birth_date,
      idNumber: deps.pii.open(r.id_sealed),
      phone: r.phone_sealed ? deps.pii.open(r.phone_sealed) : null,
      ethnicity: r.ethnicity,
      relation: r.relation,
      status: r.status,
      place: r.place,
      hukouAddress: r.hukou_address,
      currentAddress: r.current_address,
    },
    household: household
      ? {
          id: household.id,
          householdNo: household.household_no,
          members: household.members
            .filter((m) => m.status === 'active' || m.id === r.id)
            .map((m) => ({
              id: m.id,
              name: m.name,
              relation: m.relation,
              sex: m.sex,
              age: ageOn(m.birth_date, today),
              isSelf: m.id === r.id,
            })),
        }
      : null,
    house: house
      ? {
          id: house.id,
          roomNo: house.room_no,
          floor: house.floor,
          use: house.use,
          area: house.area,
          place: house.place,
          address: house.address,
        }
      : null,
  };
}
