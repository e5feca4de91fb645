import { type Static, Type } from 'typebox';
import { Id, Nullable, SAFE_TEXT_PATTERN, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/**
 * Earning rules (积分规则) and the installation's points settings. Triggers, amounts and caps are checked by the
 * service (EARNING_RULE_INVALID naming the field), so the schema only bounds their shape.
 */

const code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const triggerText = Type.String({ minLength: 1, maxLength: 40 });
/** `type: [x, 'null']`, not a union: Ajv's type coercion would turn a null into 0 or '' in a union's first branch. */
const activityType = Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 40 });
const amount = Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000 });
const cap = Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: -1_000_000_000, maximum: 1_000_000_000 });
const description = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  maxLength: 500,
  pattern: SAFE_TEXT_PATTERN,
});

export const EarningRuleView = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  trigger: Type.String(),
  activityType: Nullable(Type.String()),
  currency: Type.Union([Type.Literal('points'), Type.Literal('hours'), Type.Literal('conduct')]),
  amount: Type.Integer(),
  dailyCap: Nullable(Type.Integer()),
  monthlyCap: Nullable(Type.Integer()),
  enabled: Type.Boolean(),
  builtin: Type.Boolean(),
  version: Type.Integer(),
  /** What the rule has credited (reversals excluded), all time. */
  credited: Type.Integer(),
  updatedAt: Timestamp,
});
export type EarningRuleView = Static<typeof EarningRuleView>;

export const EarningRuleCreate = Strict({
  code,
  name: Text({ minLength: 1, maxLength: 50, trim: true }),
  description: Type.Optional(description),
  trigger: triggerText,
  activityType: Type.Optional(activityType),
  currency: Type.Optional(Type.Union([Type.Literal('points'), Type.Literal('hours'), Type.Literal('conduct')])),
  amount,
  dailyCap: Type.Optional(cap),
  monthlyCap: Type.Optional(cap),
  enabled: Type.Optional(Type.Boolean()),
});
export type EarningRuleCreate = Static<typeof EarningRuleCreate>;

export const EarningRulePatch = Strict({
  version: Type.Integer({ minimum: 1 }),
  name: Type.Optional(Text({ minLength: 1, maxLength: 50, trim: true })),
  description: Type.Optional(description),
  trigger: Type.Optional(triggerText),
  activityType: Type.Optional(activityType),
  amount: Type.Optional(amount),
  dailyCap: Type.Optional(cap),
  monthlyCap: Type.Optional(cap),
  enabled: Type.Optional(Type.Boolean()),
});
export type EarningRulePatch = Static<typeof EarningRulePatch>;

export const EnabledBody = Strict({ version: Type.Integer({ minimum: 1 }) });
export type EnabledBody = Static<typeof EnabledBody>;

export const PointsSettingsView = Type.Object({
  householdMode: Type.Union([Type.Literal('sum'), Type.Literal('own')]),
  expiryPolicy: Type.Union([Type.Literal('none'), Type.Literal('yearly')]),
  expiryYears: Type.Integer(),
  conductEnabled: Type.Boolean(),
  pointsPerYuan: Type.Integer(),
  version: Type.Integer(),
  updatedAt: Timestamp,
});
export type PointsSettingsView = Static<typeof PointsSettingsView>;

export const PointsSettingsPut = Strict({
  version: Type.Integer({ minimum: 1 }),
  householdMode: Type.Union([Type.Literal('sum'), Type.Literal('own')]),
  expiryPolicy: Type.Union([Type.Literal('none'), Type.Literal('yearly')]),
  expiryYears: Type.Integer({ minimum: 1, maximum: 5 }),
  conductEnabled: Type.Boolean(),
  pointsPerYuan: Type.Integer({ minimum: 1, maximum: 10000 }),
});
export type PointsSettingsPut = Static<typeof PointsSettingsPut>;

export { Id };
