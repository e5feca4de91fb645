import { describe, expect, it } from 'vitest';
import {
  bestSubsidy,
  chargeFor,
  countMeals,
  cutoffOf,
  isOpen,
  reaches,
  type SubsidyRule,
  shanghaiDay,
  subsidyValue,
} from './services.logic.js';

const AGED = 10;
const ALONE = 11;
const LOW = 12;
const rules: SubsidyRule[] = [
  { id: 1, tagId: AGED, tagName: '高龄老人', kind: 'amount', value: 300 },
  { id: 2, tagId: ALONE, tagName: '独居老人', kind: 'percent', value: 50 },
  { id: 3, tagId: LOW, tagName: '低保户', kind: 'amount', value: 1500 },
];

describe('subsidyValue', () => {
  it('takes an amount off, never more than the price', () => {
    expect(subsidyValue(1000, { kind: 'amount', value: 300 })).toBe(300);
    expect(subsidyValue(1000, { kind: 'amount', value: 5000 })).toBe(1000);
  });
  it('takes a percentage off, rounded to a whole 分', () => {
    expect(subsidyValue(999, { kind: 'percent', value: 50 })).toBe(500);
    expect(subsidyValue(1000, { kind: 'percent', value: 100 })).toBe(1000);
  });
});

describe('bestSubsidy', () => {
  it('applies nothing to a diner without a subsidised tag', () => {
    expect(bestSubsidy(1000, rules, [99])).toBeNull();
    expect(bestSubsidy(1000, rules, [])).toBeNull();
  });
  it('applies the rule of the tag the diner holds (高龄 pays 3 yuan less)', () => {
    expect(bestSubsidy(1000, rules, [AGED])).toEqual({ rule: rules[0], cents: 300 });
  });
  it('picks the single best rule, not the sum, and the best depends on the price', () => {
    // 10 yuan: 50% (5.00) beats 3.00 off
    expect(bestSubsidy(1000, rules, [AGED, ALONE])?.rule.id).toBe(2);
    // 4 yuan: 3.00 off beats 50% (2.00)
    expect(bestSubsidy(400, rules, [AGED, ALONE])?.rule.id).toBe(1);
    // capped at the price: 15.00 off a 10-yuan meal is worth 10.00
    expect(bestSubsidy(1000, rules, [AGED, ALONE, LOW])).toEqual({ rule: rules[2], cents: 1000 });
  });
  it('breaks a tie by the older rule', () => {
    const tie: SubsidyRule[] = [
      { id: 7, tagId: AGED, tagName: 'b', kind: 'amount', value: 500 },
      { id: 5, tagId: ALONE, tagName: 'a', kind: 'percent', value: 50 },
    ];
    expect(bestSubsidy(1000, tie, [AGED, ALONE])?.rule.id).toBe(5);
  });
  it('applies nothing to a free meal', () => {
    expect(bestSubsidy(0, rules, [AGED])).toBeNull();
  });
});

describe('chargeFor', () => {
  it('charges the list price without a subsidy, in money and in minutes', () => {
    expect(chargeFor({ priceCents: 1200, priceMinutes: 60 }, 2, rules, [])).toEqual({
      listCents: 2400,
      subsidy: null,
      subsidyCents: 0,
      payCents: 2400,
      payMinutes: 120,
    });
  });
  it('lowers money and minutes in proportion, minutes rounded up', () => {
    const c = chargeFor({ priceCents: 1000, priceMinutes: 45 }, 1, rules, [AGED]);
    expect(c).toEqual({
      listCents: 1000,
      subsidy: { id: 1, label: '高龄老人' },
      subsidyCents: 300,
      payCents: 700,
      payMinutes: 32, // 45 × 0.7 = 31.5 → 32
    });
  });
  it('says the menu takes no hours when it has no minutes price', () => {
    expect(chargeFor({ priceCents: 1000, priceMinutes: null }, 1, rules, [AGED]).payMinutes).toBeNull();
  });
  it('charges nothing when a subsidy covers the whole price', () => {
    const c = chargeFor({ priceCents: 1000, priceMinutes: 30 }, 1, rules, [LOW]);
    expect(c.payCents).toBe(0);
    expect(c.payMinutes).toBe(0);
  });
});

describe('cutoffOf', () => {
  it('closes orders the cut-off before the meal, in Asia/Shanghai', () => {
    // lunch 11:30 on 2026-12-08 Shanghai = 03:30 UTC; 120 minutes before = 01:30 UTC
    expect(cutoffOf('2026-12-08', '11:30:00', 120).toISOString()).toBe('2026-12-08T01:30:00.000Z');
    // 17:30 the day before with a cut-off of a day
    expect(cutoffOf('2026-12-08', '17:30', 1440).toISOString()).toBe('2026-12-07T09:30:00.000Z');
  });
  it('is open before the cut-off and closed at it', () => {
    const cut = cutoffOf('2026-12-08', '11:30', 120);
    expect(isOpen(cut, new Date('2026-12-08T01:29:59Z'))).toBe(true);
    expect(isOpen(cut, new Date('2026-12-08T01:30:00Z'))).toBe(false);
  });
  it('knows the Shanghai day around midnight UTC', () => {
    expect(shanghaiDay(new Date('2026-12-07T16:30:00Z'))).toBe('2026-12-08');
    expect(shanghaiDay(new Date('2026-12-07T15:30:00Z'), 1)).toBe('2026-12-08');
  });
});

describe('reaches', () => {
  it('reaches places in the area and the places the area lies in, not siblings', () => {
    expect(reaches(['1/2/3/'], '1/2/3/4/')).toBe(true);
    expect(reaches(['1/2/3/4/'], '1/2/3/')).toBe(true);
    expect(reaches(['1/2/3/4/'], '1/2/5/')).toBe(false);
    expect(reaches([], '1/')).toBe(false);
    expect(reaches(null, '9/')).toBe(true);
  });
});

describe('countMeals', () => {
  it('counts live portions and deliveries per menu, cancelled orders left out, empty menus kept', () => {
    const menus = [
      { id: 2, meal: 'dinner' as const, capacity: 20 },
      { id: 1, meal: 'lunch' as const, capacity: 40 },
    ];
    const orders = [
      { menuId: 1, quantity: 2, delivery: true, status: 'ordered' as const },
      { menuId: 1, quantity: 1, delivery: false, status: 'ordered' as const },
      { menuId: 1, quantity: 3, delivery: true, status: 'cancelled' as const },
    ];
    expect(countMeals(menus, orders)).toEqual([
      { menuId: 1, meal: 'lunch', orders: 2, portions: 3, delivery: 2, capacity: 40 },
      { menuId: 2, meal: 'dinner', orders: 0, portions: 0, delivery: 0, capacity: 20 },
    ]);
  });
});
