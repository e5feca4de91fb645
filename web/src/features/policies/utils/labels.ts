import type { TFunction } from 'i18next';

/** An enum value of a policy field in the reader's language (本地城镇, 低保 …); the raw value when unknown. */
export function enumLabel(t: TFunction, field: string, value: string): string {
  return t(`policiesUi.values.${field}.${value}` as 'policiesUi.values.sex.male', { defaultValue: value });
}

/** An operator in words (大于等于, 属于 …). */
export function opLabel(t: TFunction, op: string): string {
  return t(`policiesUi.ops.${op}` as 'policiesUi.ops.between', { defaultValue: op });
}

/** A disability grade (1–4) as 一级 … 四级. */
export function gradeLabel(t: TFunction, grade: number | null | undefined): string {
  if (grade === null || grade === undefined) return '—';
  return t(`policiesUi.disabilityGrades.${grade}` as 'policiesUi.disabilityGrades.1', { defaultValue: String(grade) });
}
