import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict, Timestamp } from '../../platform/http/schemas.js';
import { RedemptionRow } from './merchants.schemas.js';

const Period = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' });

export const Settlement = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  merchantName: Type.String(),
  communityId: Type.Integer(),
  period: Type.String(),
  redemptions: Type.Integer(),
  /** What moved back to the issuer and is paid for. */
  points: Type.Integer(),
  /** The month's points the merchant no longer held (refunds of redemptions an earlier settlement paid for). */
  deducted: Type.Integer(),
  amountFen: Type.Integer(),
  transferId: Nullable(Type.Integer()),
  status: Type.Enum(['open', 'paid']),
  paidAt: Nullable(Timestamp),
  paidByName: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type Settlement = Static<typeof Settlement>;

export const SettlementDetail = Type.Object({
  ...Settlement.properties,
  items: Type.Array(RedemptionRow),
});
export type SettlementDetail = Static<typeof SettlementDetail>;

export const SettleBody = Strict({ period: Period });
export type SettleBody = Static<typeof SettleBody>;

export const SettlementListQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    merchantId: Type.Optional(Id),
    period: Type.Optional(Period),
  },
  { additionalProperties: false },
);
export type SettlementListQuery = Static<typeof SettlementListQuery>;
export const SettlementList = Type.Object({ items: Type.Array(Settlement) });
export type SettlementList = Static<typeof SettlementList>;
