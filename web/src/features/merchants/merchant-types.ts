/** The merchants API's shapes, from the server's TypeBox schemas (types only). */
import type { Static } from 'typebox';
import type {
  Goods as GoodsSchema,
  MerchantCreate as MerchantCreateSchema,
  MerchantDetail as MerchantDetailSchema,
  MerchantPage as MerchantPageSchema,
  Merchant as MerchantSchema,
  RedemptionPage as RedemptionPageSchema,
  RedemptionRow as RedemptionRowSchema,
} from '../../../../server/src/modules/points/merchants.schemas';
import type {
  SettlementDetail as SettlementDetailSchema,
  Settlement as SettlementSchema,
} from '../../../../server/src/modules/points/settlements.schemas';

export type Merchant = Static<typeof MerchantSchema>;
export type MerchantDetail = Static<typeof MerchantDetailSchema>;
export type MerchantPage = Static<typeof MerchantPageSchema>;
export type MerchantCreate = Static<typeof MerchantCreateSchema>;
export type MerchantStatus = Merchant['status'];
export type Goods = Static<typeof GoodsSchema>;
export type RedemptionRow = Static<typeof RedemptionRowSchema>;
export type RedemptionPage = Static<typeof RedemptionPageSchema>;
export type Settlement = Static<typeof SettlementSchema>;
export type SettlementDetail = Static<typeof SettlementDetailSchema>;

/** '12.34' from fen. */
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** The month before the current one, as 'YYYY-MM' (the default a settlement is asked for). */
export function lastMonth(now: Date = new Date()): string {
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  const y = shanghai.getUTCFullYear();
  const m = shanghai.getUTCMonth(); // 0-based: the month before in 1-based terms
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/** A stock after a stepper's move, never below zero. */
export function steppedStock(stock: number, delta: number): number {
  return Math.max(0, stock + delta);
}
