import type {
  AssigneeKind,
  PeriodUnit,
  RuleTarget,
  TaskStatus,
  VisitOutcome,
  VisitRule,
  VisitRuleCategory,
  VisitRuleKind,
  VisitTaskListItem,
  VisitTrigger,
  WithdrawReason,
} from '../../../api-types';

// The server's vocabularies, restated as typed lists (the web takes types only from the server; a test checks
// these against the server's own lists).
export const RULE_KINDS: readonly VisitRuleKind[] = ['periodic', 'event'];
/** In the settings' order: 必到, 必访, then routine visits. */
export const RULE_CATEGORIES: readonly VisitRuleCategory[] = ['must_go', 'must_visit', 'routine'];
export const PERIOD_UNITS: readonly PeriodUnit[] = ['day', 'week', 'month', 'quarter', 'year'];
export const TRIGGERS: readonly VisitTrigger[] = [
  'tag_added',
  'resident_deceased',
  'case_category',
  'alarm_outcome',
  'visit_outcome',
];
export const ASSIGNEE_KINDS: readonly AssigneeKind[] = ['grid_worker', 'party_member', 'building_leader'];
export const RULE_TARGETS: readonly RuleTarget[] = ['resident', 'household'];
export const TASK_STATUSES: readonly TaskStatus[] = ['open', 'done', 'withdrawn'];
export const WITHDRAW_REASONS: readonly WithdrawReason[] = [
  'tag_removed',
  'moved_out',
  'deceased',
  'household_dissolved',
  'rule_disabled',
  'manual',
];
export const VISIT_OUTCOMES: readonly VisitOutcome[] = ['well', 'needs_help', 'not_home'];

/** What a task's row shows as its state: overdue is an open task past its due time. */
export type TaskState = TaskStatus | 'overdue';

export function taskState(task: Pick<VisitTaskListItem, 'status' | 'overdue'>): TaskState {
  return task.status === 'open' && task.overdue ? 'overdue' : task.status;
}

export const TASK_STATE_COLOR: Record<TaskState, string> = {
  open: 'processing',
  overdue: 'error',
  done: 'success',
  withdrawn: 'default',
};

export const OUTCOME_COLOR: Record<VisitOutcome, string> = {
  well: 'green',
  needs_help: 'red',
  not_home: 'orange',
};

export const CATEGORY_COLOR: Record<VisitRuleCategory, string> = {
  must_go: 'volcano',
  must_visit: 'gold',
  routine: 'blue',
};

/** Rules in the settings' groups (必到, 必访, 例行), each group by its sort order, then by id. */
export function groupRules(rules: readonly VisitRule[]): { category: VisitRuleCategory; rules: VisitRule[] }[] {
  return RULE_CATEGORIES.map((category) => ({
    category,
    rules: rules.filter((r) => r.category === category).sort((a, b) => a.sort - b.sort || a.id - b.id),
  })).filter((group) => group.rules.length > 0);
}

/** A file of a visit as the files API serves it: the picture, and a thumbnail for images only. */
export function fileUrls(file: { id: string; mime: string }): { url: string; thumbUrl: string | null } {
  const url = `/api/files/${file.id}`;
  return { url, thumbUrl: file.mime.startsWith('image/') ? `${url}/thumb` : null };
}
