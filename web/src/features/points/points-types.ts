/** The ledger statements' shapes, taken from the server's TypeBox schemas as types only. */
import type { Static } from 'typebox';
import type {
  AccountItem as AccountItemSchema,
  AccountListQuery as AccountListQuerySchema,
  AccountPage as AccountPageSchema,
  AwardInput as AwardInputSchema,
  AwardResult as AwardResultSchema,
  MovementPage as MovementPageSchema,
  Movement as MovementSchema,
  MyMovementPage as MyMovementPageSchema,
  MyPoints as MyPointsSchema,
  ResidentPoints as ResidentPointsSchema,
  TotalsQuery as TotalsQuerySchema,
  Totals as TotalsSchema,
} from '../../../../server/src/modules/points/ledger.schemas';

export type AccountItem = Static<typeof AccountItemSchema>;
export type AccountListQuery = Static<typeof AccountListQuerySchema>;
export type AccountPage = Static<typeof AccountPageSchema>;
export type AwardInput = Static<typeof AwardInputSchema>;
export type AwardResult = Static<typeof AwardResultSchema>;
export type Movement = Static<typeof MovementSchema>;
export type MovementPage = Static<typeof MovementPageSchema>;
export type MyMovementPage = Static<typeof MyMovementPageSchema>;
export type MyPoints = Static<typeof MyPointsSchema>;
export type ResidentPoints = Static<typeof ResidentPointsSchema>;
export type Totals = Static<typeof TotalsSchema>;
export type TotalsQuery = Static<typeof TotalsQuerySchema>;
export type Currency = AccountItem['currency'];
