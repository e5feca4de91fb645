import type { TFunction } from 'i18next';
import type { HouseUse, Relation, ResidentStatus, RuleFact, RuleOp, Sex, TagRule } from '../../../api-types';

// Records over the server's unions: adding a value on the server fails the type check here until it is named.
const RELATION_SET: Record<Relation, true> = {
  head: true,
  spouse: true,
  child: true,
  parent: true,
  grandchild: true,
  grandparent: true,
  sibling: true,
  child_in_law: true,
  other: true,
};
export const RELATIONS = Object.keys(RELATION_SET) as Relation[];

const HOUSE_USE_SET: Record<HouseUse, true> = {
  owner_occupied: true,
  rented: true,
  vacant: true,
  commercial: true,
  other: true,
};
export const HOUSE_USES = Object.keys(HOUSE_USE_SET) as HouseUse[];

const RULE_FACT_SET: Record<RuleFact, true> = { age: true, household_size: true, sex: true, status: true };
export const RULE_FACTS = Object.keys(RULE_FACT_SET) as RuleFact[];
const RULE_OP_SET: Record<RuleOp, string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<', '=': '=', '!=': '≠' };
export const RULE_OPS = Object.keys(RULE_OP_SET) as RuleOp[];

/** Facts compared as numbers; the others (sex, status) only with = and ≠. */
export const NUMERIC_FACTS: readonly RuleFact[] = ['age', 'household_size'];
export const EQUALITY_OPS: readonly RuleOp[] = ['=', '!='];

export const SEXES: readonly Sex[] = ['male', 'female'];
export const RESIDENT_STATUSES: readonly ResidentStatus[] = ['active', 'moved_out', 'deceased'];

export function relationLabel(t: TFunction, relation: Relation | null | undefined): string {
  return relation ? t(`relations.${relation}`) : t('common.none');
}

export function sexLabel(t: TFunction, sex: Sex): string {
  return t(`sex.${sex}`);
}

export function statusLabel(t: TFunction, status: ResidentStatus): string {
  return t(`residentStatus.${status}`);
}

export function houseUseLabel(t: TFunction, use: HouseUse): string {
  return t(`houseUse.${use}`);
}

export function opSymbol(op: RuleOp): string {
  return RULE_OP_SET[op];
}

function isFact(fact: string): fact is RuleFact {
  return fact in RULE_FACT_SET;
}

function isOp(op: string): op is RuleOp {
  return op in RULE_OP_SET;
}

function valueLabel(t: TFunction, fact: RuleFact, value: string | number): string {
  if (fact === 'sex' && (value === 'male' || value === 'female')) return sexLabel(t, value);
  if (fact === 'status' && (RESIDENT_STATUSES as readonly unknown[]).includes(value)) {
    return statusLabel(t, value as ResidentStatus);
  }
  return String(value);
}

type LooseRule = { all: { fact: string; op: string; value: string | number }[] };

/** A derived tag's rule as a person reads it: 年龄 ≥ 80 且 户内人数 = 1. */
export function describeRule(t: TFunction, rule: TagRule | LooseRule): string {
  return rule.all
    .map((c) => {
      const fact = isFact(c.fact) ? t(`ruleFacts.${c.fact}`) : c.fact;
      const op = isOp(c.op) ? opSymbol(c.op) : c.op;
      const value = isFact(c.fact) ? valueLabel(t, c.fact, c.value) : String(c.value);
      return `${fact} ${op} ${value}`;
    })
    .join(t('tags.ruleAnd'));
}
