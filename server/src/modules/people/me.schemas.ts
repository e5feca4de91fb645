import { type Static, Type } from 'typebox';
import { Nullable } from '../../platform/http/schemas.js';
import { RelationSchema, SexSchema } from './people.schemas.js';

/**
 * A resident's own household and house, as their own account sees them: their own ID and phone numbers in full,
 * the members of their household by name and relation (no numbers of others).
 */
export const MyHousehold = Type.Object({
  /** False when the account is linked to no resident record (ask the community to link it). */
  linked: Type.Boolean(),
  self: Nullable(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      sex: SexSchema,
      birthDate: Type.String(),
      idNumber: Type.String(),
      phone: Nullable(Type.String()),
      ethnicity: Nullable(Type.String()),
      relation: Nullable(RelationSchema),
      status: Type.String(),
      place: Type.String(),
      hukouAddress: Nullable(Type.String()),
      currentAddress: Nullable(Type.String()),
    }),
  ),
  household: Nullable(
    Type.Object({
      id: Type.Integer(),
      householdNo: Nullable(Type.String()),
      members: Type.Array(
        Type.Object({
          id: Type.Integer(),
          name: Type.String(),
          relation: Nullable(RelationSchema),
          sex: SexSchema,
          age: Type.Integer(),
          isSelf: Type.Boolean(),
        }),
      ),
    }),
  ),
  house: Nullable(
    Type.Object({
      id: Type.Integer(),
      roomNo: Type.String(),
      floor: Nullable(Type.Integer()),
      use: Type.String(),
      area: Nullable(Type.String()),
      place: Type.String(),
      address: Nullable(Type.String()),
    }),
  ),
});
export type MyHousehold = Static<typeof MyHousehold>;
