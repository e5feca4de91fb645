/**
 * Pure rules of the services module (no I/O): canteen subsidies and prices, the ordering cut-off, and which
 * places a caller's area reaches.
 */

export const ENTRY_CATEGORIES = [
  'housekeeping',
  'repair',
  'medical',
  'elderly',
  'canteen',
  'property',
  'other',
] as const;
export type EntryCategory = (typeof ENTRY_CATEGORIES)[number];

export const MEALS = ['lunch', 'dinner'] as const;
export type Meal = (typeof MEALS)[number];

export const PAYMENTS = ['counter', 'online', 'hours'] as const;
export type Payment = (typeof PAYMENTS)[number];

export type SubsidyRule = {
  id: number;
  tagId: number;
  tagName: string;
  kind: 'amount' | 'percent';
  /** 分 off one portion (amount), or the percentage off (1–100). */
  value: number;
};

/** What one portion's subsidy under a rule is worth, in 分 (never more than the price). */
export function subsidyValue(priceCents: number, rule: Pick<SubsidyRule, 'kind' | 'value'>): number {
  const off = rule.kind === 'amount' ? rule.value : Math.round((priceCents * rule.value) / 100);
  return Math.max(0, Math.min(priceCents, off));
}

/**
 * The best single subsidy for a diner: among the rules whose tag the diner holds, the one worth most on this price
 * (subsidies do not add up); on a tie the older rule (lower id). Null when no rule applies or none is worth anything.
 */
export function bestSubsidy(
  priceCents: number,
  rules: readonly SubsidyRule[],
  tagIds: readonly number[],
): { rule: SubsidyRule; cents: number } | null {
  const held = new Set(tagIds);
  let best: { rule: SubsidyRule; cents: number } | null = null;
  for (const rule of rules) {
    if (!held.has(rule.tagId)) continue;
    const cents = subsidyValue(priceCents, rule);
    if (cents <= 0) continue;
    if (!best || cents > best.cents || (cents === best.cents && rule.id < best.rule.id)) best = { rule, cents };
  }
  return best;
}

export type Charge = {
  listCents: number;
  subsidy: { id: number; label: string } | null;
  subsidyCents: number;
  payCents: number;
  /**
   * What the order costs in time-bank minutes (null: the menu takes no hours). The subsidy lowers it in the same
   * proportion as the money price, rounded up to a whole minute, so a subsidised diner never pays more in hours.
   */
  payMinutes: number | null;
};

/** The price of `quantity` portions of a menu for a diner holding `tagIds`, after the best subsidy. */
export function chargeFor(
  menu: { priceCents: number; priceMinutes: number | null },
  quantity: number,
  rules: readonly SubsidyRule[],
  tagIds: readonly number[],
): Charge {
  const best = bestSubsidy(menu.priceCents, rules, tagIds);
  const each = menu.priceCents - (best?.cents ?? 0);
  let minutes: number | null = null;
  if (menu.priceMinutes !== null) {
    minutes = menu.priceCents === 0 ? 0 : Math.ceil((menu.priceMinutes * each) / menu.priceCents) * quantity;
  }
  return {
    listCents: menu.priceCents * quantity,
    subsidy: best ? { id: best.rule.id, label: best.rule.tagName } : null,
    subsidyCents: (best?.cents ?? 0) * quantity,
    payCents: each * quantity,
    payMinutes: minutes,
  };
}

/** Asia/Shanghai has no daylight saving: UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * When orders for a meal close: `cutoffMinutes` before the meal's time on its day, in Asia/Shanghai.
 * `day` is 'YYYY-MM-DD', `mealAt` 'HH:MM' or 'HH:MM:SS'.
 */
export function cutoffOf(day: string, mealAt: string, cutoffMinutes: number): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [hh, mm] = mealAt.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, d, hh, mm) - SHANGHAI_OFFSET_MS - cutoffMinutes * 60_000);
}

/** Whether orders for the meal are still open at `now`. */
export function isOpen(cutoff: Date, now: Date): boolean {
  return now.getTime() < cutoff.getTime();
}

/** Today in Asia/Shanghai, 'YYYY-MM-DD'. */
export function shanghaiDay(now: Date, plusDays = 0): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS + plusDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Whether a place at `path` is within reach of a caller whose area is `paths` (null: everywhere): it lies in the
 * area, or the area lies in it — a grid worker sees their community's canteens and directory, not only what is
 * filed under their own grid.
 */
export function reaches(paths: readonly string[] | null, path: string): boolean {
  if (paths === null) return true;
  return paths.some((p) => path.startsWith(p) || p.startsWith(path));
}

/** The kitchen's count of a day: portions per canteen, menu and meal, and how many of them go out for delivery. */
export type MealCountRow = {
  menuId: number;
  meal: Meal;
  orders: number;
  portions: number;
  delivery: number;
  capacity: number;
};

/** Sums orders (live ones only) into per-menu counts, menus without orders included with zeros. */
export function countMeals(
  menus: readonly { id: number; meal: Meal; capacity: number }[],
  orders: readonly { menuId: number; quantity: number; delivery: boolean; status: 'ordered' | 'cancelled' }[],
): MealCountRow[] {
  const rows = new Map<number, MealCountRow>();
  for (const m of menus)
    rows.set(m.id, { menuId: m.id, meal: m.meal, orders: 0, portions: 0, delivery: 0, capacity: m.capacity });
  for (const o of orders) {
    if (o.status !== 'ordered') continue;
    const r = rows.get(o.menuId);
    if (!r) continue;
    r.orders += 1;
    r.portions += o.quantity;
    if (o.delivery) r.delivery += o.quantity;
  }
  return [...rows.values()].sort((a, b) => MEALS.indexOf(a.meal) - MEALS.indexOf(b.meal) || a.menuId - b.menuId);
}
