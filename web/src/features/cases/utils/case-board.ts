import type { CaseStage, CaseStageInfo, CaseSummary } from '../../../api-types';
import { STAGES } from './case-filters';

export type KanbanColumn = {
  stage: CaseStage;
  name: string;
  /** Every case in the stage for the board's filters (the server's stageCounts), not only those loaded. */
  count: number;
  items: CaseSummary[];
};

/**
 * The kanban's columns: the stages in their configured order (stage names are data), each with the loaded cases
 * of that stage. Terminal stages (merged, cancelled) only show when they have cases or were asked for.
 */
export function kanbanColumns(
  items: readonly CaseSummary[],
  stageCounts: Readonly<Record<string, number>>,
  stages: readonly CaseStageInfo[],
  wanted?: readonly CaseStage[],
): KanbanColumn[] {
  const known = new Map(stages.map((s) => [s.code, s]));
  const order = [...STAGES].sort((a, b) => (known.get(a)?.sort ?? 99) - (known.get(b)?.sort ?? 99));
  return order
    .filter((stage) => (wanted && wanted.length > 0 ? wanted.includes(stage) : true))
    .map((stage) => ({
      stage,
      name: known.get(stage)?.name ?? stage,
      count: stageCounts[stage] ?? 0,
      items: items.filter((c) => c.stage === stage),
    }))
    .filter(
      (col) => !(col.stage === 'merged' || col.stage === 'cancelled') || col.count > 0 || wanted?.includes(col.stage),
    );
}

export type DueState =
  | { kind: 'none' }
  | { kind: 'due'; at: string; minutesLeft: number }
  | { kind: 'late'; at: string; minutesLate: number };

/**
 * The deadline that matters now for a case: responding while it waits to be taken, handling while in hand,
 * verifying once handled; none for a parked or finished case.
 */
export function currentDue(
  c: Pick<CaseSummary, 'stage' | 'responseDueAt' | 'handleDueAt' | 'verifyDueAt'>,
  now: Date,
): DueState {
  const at =
    c.stage === 'dispatched'
      ? (c.responseDueAt ?? c.handleDueAt)
      : c.stage === 'handling' || c.stage === 'whistled' || c.stage === 'escalated'
        ? c.handleDueAt
        : c.stage === 'handled'
          ? c.verifyDueAt
          : null;
  if (!at) return { kind: 'none' };
  const minutes = Math.round((new Date(at).getTime() - now.getTime()) / 60_000);
  return minutes >= 0 ? { kind: 'due', at, minutesLeft: minutes } : { kind: 'late', at, minutesLate: -minutes };
}

/** A span of minutes as the board shows it: "45分钟", "3小时20分", "2天4小时" (or the English short form). */
export function formatSpan(minutes: number, lang: 'zh-CN' | 'en'): string {
  const m = Math.max(0, Math.round(minutes));
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const mins = m % 60;
  if (lang === 'en') {
    if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
    if (hours > 0) return mins > 0 ? `${hours}h ${mins}m` : `${hours}h`;
    return `${mins}m`;
  }
  if (days > 0) return hours > 0 ? `${days}天${hours}小时` : `${days}天`;
  if (hours > 0) return mins > 0 ? `${hours}小时${mins}分` : `${hours}小时`;
  return `${mins}分钟`;
}

/** Whether a live payload is a case change (`{ id, stage, supervision }`). */
export function isCaseChange(data: unknown): data is { id: number; stage: CaseStage; supervision: number } {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return (
    typeof d.id === 'number' &&
    typeof d.stage === 'string' &&
    (STAGES as readonly string[]).includes(d.stage) &&
    typeof d.supervision === 'number'
  );
}
