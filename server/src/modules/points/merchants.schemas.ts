import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/** Merchants (兑换商户), their staff and their catalogue of goods. */

export const MERCHANT_STATUSES = ['active', 'suspended', 'closed'] as const;
export type MerchantStatus = (typeof MERCHANT_STATUSES)[number];

export const MerchantMember = Type.Object({
  userId: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  createdAt: Timestamp,
});
export type MerchantMember = Static<typeof MerchantMember>;

export const Merchant = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  communityId: Type.Integer(),
  communityName: Type.String(),
  name: Type.String(),
  address: Nullable(Type.String()),
  contactName: Nullable(Type.String()),
  /** Masked (138****5678); the number itself is sealed. */
  phone: Nullable(Type.String()),
  status: Type.Enum([...MERCHANT_STATUSES]),
  /** Points on the merchant's account (taken and not yet settled). */
  balance: Type.Integer(),
  goods: Type.Integer(),
  members: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Merchant = Static<typeof Merchant>;

export const MerchantDetail = Type.Object({
  ...Merchant.properties,
  staff: Type.Array(MerchantMember),
  can: Type.Object({ manage: Type.Boolean() }),
});
export type MerchantDetail = Static<typeof MerchantDetail>;

export const MerchantCreate = Strict({
  nodeId: Id,
  name: Text({ minLength: 1, maxLength: 60, trim: true }),
  address: Type.Optional(Nullable(Text({ maxLength: 200, trim: true }))),
  contactName: Type.Optional(Nullable(Text({ maxLength: 50, trim: true }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
});
export type MerchantCreate = Static<typeof MerchantCreate>;

export const MerchantPatch = Strict({
  name: Type.Optional(Text({ minLength: 1, maxLength: 60, trim: true })),
  address: Type.Optional(Nullable(Text({ maxLength: 200, trim: true }))),
  contactName: Type.Optional(Nullable(Text({ maxLength: 50, trim: true }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  status: Type.Optional(Type.Enum([...MERCHANT_STATUSES])),
});
export type MerchantPatch = Static<typeof MerchantPatch>;

export const MerchantListQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    status: Type.Optional(Type.Enum([...MERCHANT_STATUSES])),
    q: Type.Optional(Type.String({ maxLength: 60 })),
    ...Paging,
  },
  { additionalProperties: false },
);
export type MerchantListQuery = Static<typeof MerchantListQuery>;
export const MerchantPage = Type.Object({ items: Type.Array(Merchant), total: Type.Integer() });
export type MerchantPage = Static<typeof MerchantPage>;

export const MemberAdd = Strict({ userId: Id });
export type MemberAdd = Static<typeof MemberAdd>;
export const MemberParams = Type.Object({ id: Id, userId: Id }, { additionalProperties: false });

export const Goods = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  merchantName: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  price: Type.Integer(),
  stock: Type.Integer(),
  active: Type.Boolean(),
  sort: Type.Integer(),
  version: Type.Integer(),
  updatedAt: Timestamp,
});
export type Goods = Static<typeof Goods>;
export const GoodsList = Type.Object({ items: Type.Array(Goods) });
export type GoodsList = Static<typeof GoodsList>;

const Price = Type.Integer({ minimum: 1, maximum: 10000000 });
const Stock = Type.Integer({ minimum: 0, maximum: 1000000 });

export const GoodsCreate = Strict({
  name: Text({ minLength: 1, maxLength: 60, trim: true }),
  description: Type.Optional(Nullable(Text({ maxLength: 300, trim: true }))),
  price: Price,
  stock: Type.Optional(Stock),
  active: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Integer({ minimum: -10000, maximum: 10000 })),
});
export type GoodsCreate = Static<typeof GoodsCreate>;

export const GoodsPatch = Strict({
  version: Type.Integer({ minimum: 1 }),
  name: Type.Optional(Text({ minLength: 1, maxLength: 60, trim: true })),
  description: Type.Optional(Nullable(Text({ maxLength: 300, trim: true }))),
  price: Type.Optional(Price),
  stock: Type.Optional(Stock),
  active: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Integer({ minimum: -10000, maximum: 10000 })),
});
export type GoodsPatch = Static<typeof GoodsPatch>;

/** The merchant's phone: a price, the stock (set, or moved by the steppers' ±), on sale or not. */
export const StaffGoodsPatch = Strict({
  price: Type.Optional(Price),
  stock: Type.Optional(Stock),
  stockDelta: Type.Optional(Type.Integer({ minimum: -1000000, maximum: 1000000 })),
  active: Type.Optional(Type.Boolean()),
});
export type StaffGoodsPatch = Static<typeof StaffGoodsPatch>;

export const RedemptionItem = Type.Object({
  goodsId: Nullable(Type.Integer()),
  name: Type.String(),
  price: Type.Integer(),
  quantity: Type.Integer(),
});

export const RedemptionRow = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  merchantName: Type.String(),
  residentId: Nullable(Type.Integer()),
  /** Masked (张*三). */
  residentName: Nullable(Type.String()),
  items: Type.Array(RedemptionItem),
  total: Type.Integer(),
  operatorId: Type.Integer(),
  operatorName: Type.String(),
  status: Type.Enum(['done', 'reversed']),
  createdAt: Timestamp,
});
export type RedemptionRow = Static<typeof RedemptionRow>;

export const RedemptionListQuery = Type.Object(
  {
    merchantId: Type.Optional(Id),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    /** The id of the last row of the previous page (newest first). */
    cursor: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type RedemptionListQuery = Static<typeof RedemptionListQuery>;
export const RedemptionPage = Type.Object({ items: Type.Array(RedemptionRow), nextCursor: Nullable(Type.Integer()) });
export type RedemptionPage = Static<typeof RedemptionPage>;
