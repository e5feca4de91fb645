import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict, Text, Timestamp } from '../../platform/http/schemas.js';
import { ENTRY_CATEGORIES, MEALS, PAYMENTS } from './services.logic.js';

/** 便民服务: the directory, elder canteens (长者食堂) and their orders. */

const Day = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Clock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
const Opt = (max: number) => Type.Optional(Nullable(Text({ maxLength: max, trim: true })));

// ---- directory -----------------------------------------------------------------------------------------------

export const EntryCategory = Type.Enum([...ENTRY_CATEGORIES]);

export const ServiceEntry = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  name: Type.String(),
  category: EntryCategory,
  provider: Nullable(Type.String()),
  address: Nullable(Type.String()),
  hours: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  description: Nullable(Type.String()),
  sort: Type.Integer(),
  updatedAt: Timestamp,
});
export type ServiceEntry = Static<typeof ServiceEntry>;

export const EntryListQuery = Strict({
  /** A node of the caller's area (default: all of it). */
  nodeId: Type.Optional(Id),
  category: Type.Optional(EntryCategory),
  q: Type.Optional(Text({ maxLength: 50, trim: true })),
});
export type EntryListQuery = Static<typeof EntryListQuery>;

export const EntryCreate = Strict({
  nodeId: Id,
  name: Text({ minLength: 1, maxLength: 100, trim: true }),
  category: EntryCategory,
  provider: Opt(100),
  address: Opt(200),
  hours: Opt(100),
  phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+() -]{3,40}$' }))),
  description: Opt(1000),
  sort: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
});
export type EntryCreate = Static<typeof EntryCreate>;

export const EntryUpdate = Type.Partial(Type.Omit(EntryCreate, ['nodeId']), { additionalProperties: false });
export type EntryUpdate = Static<typeof EntryUpdate>;

// ---- canteens ------------------------------------------------------------------------------------------------

export const SubsidyKind = Type.Enum(['amount', 'percent']);

export const Subsidy = Type.Object({
  id: Type.Integer(),
  tagId: Type.Integer(),
  tagName: Type.String(),
  kind: SubsidyKind,
  value: Type.Integer(),
});
export type Subsidy = Static<typeof Subsidy>;

export const Canteen = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  name: Type.String(),
  address: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  lunchAt: Type.String(),
  dinnerAt: Type.String(),
  cutoffMinutes: Type.Integer(),
  delivers: Type.Boolean(),
  subsidies: Type.Array(Subsidy),
});
export type Canteen = Static<typeof Canteen>;

export const CanteenCreate = Strict({
  nodeId: Id,
  name: Text({ minLength: 1, maxLength: 100, trim: true }),
  address: Opt(200),
  phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+() -]{3,40}$' }))),
  lunchAt: Type.Optional(Clock),
  dinnerAt: Type.Optional(Clock),
  cutoffMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 2880 })),
  delivers: Type.Optional(Type.Boolean()),
});
export type CanteenCreate = Static<typeof CanteenCreate>;

export const SubsidiesPut = Strict({
  rules: Type.Array(
    Strict({
      tagId: Id,
      kind: SubsidyKind,
      /** 分 off (amount, up to 100 yuan) or percent off (1–100). */
      value: Type.Integer({ minimum: 1, maximum: 10000 }),
    }),
    { maxItems: 20 },
  ),
});
export type SubsidiesPut = Static<typeof SubsidiesPut>;

export const Meal = Type.Enum([...MEALS]);

export const Menu = Type.Object({
  id: Type.Integer(),
  canteenId: Type.Integer(),
  day: Type.String(),
  meal: Meal,
  dishes: Type.Array(Type.String()),
  priceCents: Type.Integer(),
  priceMinutes: Nullable(Type.Integer()),
  capacity: Type.Integer(),
  /** Portions ordered so far (live orders). */
  ordered: Type.Integer(),
  /** When orders and cancels close. */
  cutoffAt: Timestamp,
  open: Type.Boolean(),
});
export type Menu = Static<typeof Menu>;

export const MenuQuery = Strict({ from: Type.Optional(Day), to: Type.Optional(Day) });
export type MenuQuery = Static<typeof MenuQuery>;

export const MenuCreate = Strict({
  day: Day,
  meal: Meal,
  dishes: Type.Array(Text({ minLength: 1, maxLength: 40, trim: true }), { minItems: 1, maxItems: 12 }),
  priceCents: Type.Integer({ minimum: 0, maximum: 100000 }),
  priceMinutes: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 600 }))),
  capacity: Type.Integer({ minimum: 1, maximum: 10000 }),
});
export type MenuCreate = Static<typeof MenuCreate>;

// ---- orders --------------------------------------------------------------------------------------------------

export const PaymentSchema = Type.Enum([...PAYMENTS]);

export const Order = Type.Object({
  id: Type.Integer(),
  canteenId: Type.Integer(),
  canteenName: Type.String(),
  menuId: Type.Integer(),
  day: Type.String(),
  meal: Meal,
  dishes: Type.Array(Type.String()),
  residentId: Type.Integer(),
  /** Masked for a resident looking at someone else's order; in full for workers and the diner. */
  residentName: Type.String(),
  quantity: Type.Integer(),
  channel: Type.Enum(['self', 'family', 'worker']),
  orderedByName: Nullable(Type.String()),
  delivery: Type.Boolean(),
  deliveryAddress: Nullable(Type.String()),
  listCents: Type.Integer(),
  subsidyLabel: Nullable(Type.String()),
  subsidyCents: Type.Integer(),
  payCents: Type.Integer(),
  payMinutes: Type.Integer(),
  payment: PaymentSchema,
  transferId: Nullable(Type.Integer()),
  status: Type.Enum(['ordered', 'cancelled']),
  refundTransferId: Nullable(Type.Integer()),
  cutoffAt: Timestamp,
  cancellable: Type.Boolean(),
  note: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type Order = Static<typeof Order>;

const OrderFields = {
  menuId: Id,
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  /** 送餐上门: to the diner's house (its address is taken from the people database). */
  delivery: Type.Optional(Type.Boolean()),
  payment: PaymentSchema,
  note: Opt(200),
};

export const OrderCreate = Strict({ ...OrderFields, residentId: Id });
export type OrderCreate = Static<typeof OrderCreate>;

export const MyOrderCreate = Strict({
  ...OrderFields,
  /** A member of the caller's household (default: the caller). */
  residentId: Type.Optional(Id),
});
export type MyOrderCreate = Static<typeof MyOrderCreate>;

export const OrderListQuery = Strict({
  canteenId: Type.Optional(Id),
  day: Type.Optional(Day),
  status: Type.Optional(Type.Enum(['ordered', 'cancelled'])),
});
export type OrderListQuery = Static<typeof OrderListQuery>;

export const CountsQuery = Strict({ day: Day });
export type CountsQuery = Static<typeof CountsQuery>;

export const MealCounts = Type.Object({
  canteenId: Type.Integer(),
  canteenName: Type.String(),
  day: Type.String(),
  meals: Type.Array(
    Type.Object({
      menuId: Type.Integer(),
      meal: Meal,
      dishes: Type.Array(Type.String()),
      orders: Type.Integer(),
      portions: Type.Integer(),
      delivery: Type.Integer(),
      capacity: Type.Integer(),
    }),
  ),
  /** Where the deliveries go (names and addresses in the caller's area only). */
  deliveries: Type.Array(
    Type.Object({
      orderId: Type.Integer(),
      meal: Meal,
      residentName: Type.String(),
      address: Nullable(Type.String()),
      quantity: Type.Integer(),
    }),
  ),
});
export type MealCounts = Static<typeof MealCounts>;

// ---- the phone -----------------------------------------------------------------------------------------------

export const MyCanteen = Type.Object({
  resident: Type.Object({ id: Type.Integer(), name: Type.String(), hoursMinutes: Type.Integer() }),
  /** The caller and the members of their household they may order for, with the subsidy each would get. */
  diners: Type.Array(
    Type.Object({
      residentId: Type.Integer(),
      name: Type.String(),
      self: Type.Boolean(),
      address: Nullable(Type.String()),
    }),
  ),
  canteens: Type.Array(Canteen),
  menus: Type.Array(
    Type.Object({
      ...Menu.properties,
      /** The price for each diner after their best subsidy. */
      prices: Type.Array(
        Type.Object({
          residentId: Type.Integer(),
          payCents: Type.Integer(),
          payMinutes: Nullable(Type.Integer()),
          subsidyLabel: Nullable(Type.String()),
          subsidyCents: Type.Integer(),
        }),
      ),
    }),
  ),
});
export type MyCanteen = Static<typeof MyCanteen>;
