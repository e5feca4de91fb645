/**
 * Alarm rules as pure functions (no I/O): which rules apply to a device's watched person, and what a message
 * triggers. The timed rules (no use, high use, silence) and the ladder's timing live beside these.
 */
import type {
  DeviceMessage,
  EffectiveRule,
  RuleKind,
  RuleParams,
  Severity,
  ThresholdParams,
} from './devices.schemas.js';

/** A rule row as stored, before the watched person's override is merged in. */
export type StoredRule = {
  id: number;
  code: string;
  kind: RuleKind;
  params: Record<string, unknown>;
  severity: Severity;
  autoResolve: boolean;
  enabled: boolean;
};

export type StoredOverride = { params: Record<string, unknown>; enabled: boolean };

/**
 * The rule as it applies to one person: the override's params laid over the rule's (shallow; a param set to null in
 * the override falls back to the rule's), or null when the rule or the override switches it off.
 */
export function mergeOverride(rule: StoredRule, override?: StoredOverride | null): EffectiveRule | null {
  if (!rule.enabled || (override && !override.enabled)) return null;
  const params: Record<string, unknown> = { ...rule.params };
  for (const [k, v] of Object.entries(override?.params ?? {})) if (v !== null && v !== undefined) params[k] = v;
  return {
    id: rule.id,
    code: rule.code,
    kind: rule.kind,
    params: params as RuleParams,
    severity: rule.severity,
    autoResolve: rule.autoResolve,
  };
}

/** A message that passed validation: its time resolved, its values known metrics within range. */
export type Reading = Pick<DeviceMessage, 'values' | 'event' | 'data'> & { ts: Date };

export type MessageTrigger = { ruleId: number; at: Date; detail: Record<string, unknown> };

/**
 * What one message triggers at once: threshold rules on its values and event rules on its event. Timed rules
 * (no_use, high_use, silent) are the evaluator's, never a message's.
 */
export function evaluateMessage(rules: readonly EffectiveRule[], reading: Reading): MessageTrigger[] {
  const out: MessageTrigger[] = [];
  for (const rule of rules) {
    if (rule.kind === 'threshold') {
      const p = rule.params as ThresholdParams;
      const value = reading.values?.[p.metric];
      if (value === undefined) continue;
      if (p.below !== undefined && value < p.below) {
        out.push({ ruleId: rule.id, at: reading.ts, detail: { metric: p.metric, value, below: p.below } });
      } else if (p.above !== undefined && value > p.above) {
        out.push({ ruleId: rule.id, at: reading.ts, detail: { metric: p.metric, value, above: p.above } });
      }
    } else if (rule.kind === 'event') {
      const events = (rule.params as { events: string[] }).events;
      if (reading.event && events.includes(reading.event)) {
        out.push({
          ruleId: rule.id,
          at: reading.ts,
          detail: { event: reading.event, ...(reading.data ? { data: reading.data } : {}) },
        });
      }
    }
  }
  return out;
}
