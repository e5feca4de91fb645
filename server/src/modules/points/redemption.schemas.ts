import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/** Redemption at a merchant's counter: the resident's short-lived code, the counter's lookup and basket, refunds. */

export const CodeIssued = Type.Object({
  id: Type.Integer(),
  /** 8 digits, shown once (only its sha256 is kept). */
  code: Type.String(),
  expiresAt: Timestamp,
  /** What the resident may spend (points). */
  balance: Type.Integer(),
});
export type CodeIssued = Static<typeof CodeIssued>;

export const RedemptionItem = Type.Object({
  goodsId: Type.Integer(),
  name: Type.String(),
  price: Type.Integer(),
  quantity: Type.Integer(),
});

export const Redemption = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  merchantName: Type.String(),
  /** The resident's name, masked (张*明). */
  residentName: Nullable(Type.String()),
  items: Type.Array(RedemptionItem),
  total: Type.Integer(),
  status: Type.Union([Type.Literal('done'), Type.Literal('reversed')]),
  operatorName: Type.String(),
  createdAt: Timestamp,
  /** The resident's balance right after (only on the answer to the redemption itself). */
  balanceAfter: Type.Optional(Type.Integer()),
  can: Type.Optional(Type.Object({ refund: Type.Boolean() })),
});
export type Redemption = Static<typeof Redemption>;

export const CodeStatus = Type.Object({
  id: Type.Integer(),
  state: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('used')]),
  expiresAt: Timestamp,
  balance: Type.Integer(),
  redemption: Nullable(Redemption),
});
export type CodeStatus = Static<typeof CodeStatus>;

export const CounterGoods = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  price: Type.Integer(),
  stock: Type.Integer(),
});
export const CounterMerchant = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  status: Type.String(),
  /** The caller is on its staff (else they act as a points manager of its area). */
  member: Type.Boolean(),
  goods: Type.Array(CounterGoods),
});
export const Counter = Type.Object({ merchants: Type.Array(CounterMerchant) });
export type Counter = Static<typeof Counter>;

const CodeText = Text({ minLength: 1, maxLength: 40, trim: true });

export const LookupBody = Strict({ code: CodeText });
export type LookupBody = Static<typeof LookupBody>;
export const LookupResult = Type.Object({
  residentName: Type.String(),
  balance: Type.Integer(),
  expiresAt: Timestamp,
});
export type LookupResult = Static<typeof LookupResult>;

export const RedeemBody = Strict({
  code: CodeText,
  /** The merchant acted for (default: the merchant of the goods). */
  merchantId: Type.Optional(Id),
  items: Type.Array(Strict({ goodsId: Id, quantity: Type.Integer({ minimum: 1, maximum: 99 }) }), {
    minItems: 1,
    maxItems: 30,
  }),
  clientId: Type.String({ format: 'uuid' }),
});
export type RedeemBody = Static<typeof RedeemBody>;

export const RedemptionsQuery = Strict({
  /** A Shanghai day (default today). */
  day: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' })),
  merchantId: Type.Optional(Id),
});
export type RedemptionsQuery = Static<typeof RedemptionsQuery>;
export const RedemptionList = Type.Object({ day: Type.String(), items: Type.Array(Redemption), total: Type.Integer() });
export type RedemptionList = Static<typeof RedemptionList>;

export const RefundBody = Strict({ reason: Text({ minLength: 2, maxLength: 200, trim: true }) });
export type RefundBody = Static<typeof RefundBody>;
