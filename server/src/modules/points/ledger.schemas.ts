import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/** The ledger's statements: accounts, passbooks, a resident's balances, totals, awards and reversals. */

export const CurrencyT = Type.Union([Type.Literal('points'), Type.Literal('hours'), Type.Literal('conduct')]);
export const AccountKindT = Type.Union([
  Type.Literal('issuer'),
  Type.Literal('resident'),
  Type.Literal('household'),
  Type.Literal('merchant'),
  Type.Literal('organisation'),
]);
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Cursor = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });

export const AccountListQuery = Strict({
  nodeId: Type.Optional(Id),
  kind: Type.Optional(AccountKindT),
  currency: Type.Optional(CurrencyT),
  q: Type.Optional(Text({ maxLength: 50, trim: true })),
  /** The last id of the previous page. */
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Limit),
});
export type AccountListQuery = Static<typeof AccountListQuery>;

export const AccountItem = Type.Object({
  id: Type.Integer(),
  kind: AccountKindT,
  currency: CurrencyT,
  balance: Type.Integer(),
  /** The resident's name, the household's address, the merchant's or organisation's name, the community's name. */
  label: Type.String(),
  residentId: Nullable(Type.Integer()),
  householdId: Nullable(Type.Integer()),
  merchantId: Nullable(Type.Integer()),
  communityId: Type.Integer(),
  communityName: Type.String(),
});
export type AccountItem = Static<typeof AccountItem>;

export const AccountPage = Type.Object({ items: Type.Array(AccountItem), nextCursor: Nullable(Type.Integer()) });
export type AccountPage = Static<typeof AccountPage>;

export const MovementQuery = Strict({
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Limit),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
});
export type MovementQuery = Static<typeof MovementQuery>;

export const MeMovementQuery = Strict({
  currency: Type.Optional(CurrencyT),
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Limit),
});
export type MeMovementQuery = Static<typeof MeMovementQuery>;

export const Movement = Type.Object({
  id: Type.Integer(),
  transferId: Type.Integer(),
  kind: Type.String(),
  reason: Type.String(),
  /** Signed: positive in, negative out. */
  amount: Type.Integer(),
  balanceAfter: Type.Integer(),
  at: Timestamp,
  counterpart: Type.Object({ accountId: Type.Integer(), kind: AccountKindT, label: Type.String() }),
  /** The transfer this one reverses, or the reversal that undid this one. */
  reversesId: Nullable(Type.Integer()),
  reversedById: Nullable(Type.Integer()),
});
export type Movement = Static<typeof Movement>;

export const MovementPage = Type.Object({
  account: AccountItem,
  items: Type.Array(Movement),
  nextCursor: Nullable(Type.Integer()),
});
export type MovementPage = Static<typeof MovementPage>;

export const Balance = Type.Object({
  currency: CurrencyT,
  accountId: Nullable(Type.Integer()),
  balance: Type.Integer(),
});

export const ResidentPoints = Type.Object({
  resident: Type.Object({ id: Type.Integer(), name: Type.String() }),
  balances: Type.Array(Balance),
  household: Nullable(
    Type.Object({
      id: Type.Integer(),
      label: Type.String(),
      /** 'sum': the members' points added; 'own': the household's own account. */
      mode: Type.Union([Type.Literal('sum'), Type.Literal('own')]),
      points: Type.Integer(),
      accountId: Nullable(Type.Integer()),
    }),
  ),
  /** Recent movements of the points account the resident earns into and spends from. */
  recent: Type.Array(Movement),
});
export type ResidentPoints = Static<typeof ResidentPoints>;

export const TotalsQuery = Strict({ nodeId: Type.Optional(Id), from: Type.Optional(Day), to: Type.Optional(Day) });
export type TotalsQuery = Static<typeof TotalsQuery>;

export const TotalsFigures = Type.Object({
  currency: CurrencyT,
  issued: Type.Integer(),
  redeemed: Type.Integer(),
  settled: Type.Integer(),
  expired: Type.Integer(),
  reversed: Type.Integer(),
  heldByResidents: Type.Integer(),
  heldByMerchants: Type.Integer(),
  heldByOthers: Type.Integer(),
  issuerBalance: Type.Integer(),
  /** The sum of every account's balance (0 when consistent). */
  sum: Type.Integer(),
});
export type TotalsFigures = Static<typeof TotalsFigures>;

export const Totals = Type.Object({
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  from: Nullable(Day),
  to: Nullable(Day),
  rows: Type.Array(Type.Intersect([Type.Object({ communityId: Type.Integer(), name: Type.String() }), TotalsFigures])),
  total: Type.Array(TotalsFigures),
  consistent: Type.Boolean(),
});
export type Totals = Static<typeof Totals>;

export const AwardInput = Strict({
  residentId: Id,
  currency: CurrencyT,
  /** Signed whole number: positive awards from the issuer, negative deducts back to it. */
  amount: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }),
  reason: Text({ minLength: 2, maxLength: 200, trim: true }),
  /** A 'manual' earning rule: its caps apply (positive amounts only). */
  ruleCode: Type.Optional(Text({ minLength: 1, maxLength: 40, trim: true })),
});
export type AwardInput = Static<typeof AwardInput>;

export const AwardResult = Type.Object({
  transferId: Type.Integer(),
  amount: Type.Integer(),
  balance: Type.Integer(),
  capped: Type.Boolean(),
});
export type AwardResult = Static<typeof AwardResult>;

export const ReverseInput = Strict({ reason: Text({ minLength: 2, maxLength: 200, trim: true }) });
export type ReverseInput = Static<typeof ReverseInput>;

export const ReverseResult = Type.Object({ transferId: Type.Integer(), reversesId: Type.Integer() });
export type ReverseResult = Static<typeof ReverseResult>;

export const MyPoints = Type.Object({
  resident: Type.Object({ id: Type.Integer(), name: Type.String() }),
  balances: Type.Array(Balance),
  household: ResidentPoints.properties.household,
});
export type MyPoints = Static<typeof MyPoints>;

export const MyMovementPage = Type.Object({
  currency: CurrencyT,
  balance: Type.Integer(),
  items: Type.Array(Movement),
  nextCursor: Nullable(Type.Integer()),
});
export type MyMovementPage = Static<typeof MyMovementPage>;
