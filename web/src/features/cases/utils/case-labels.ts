import type { CaseAction, CaseCategory, CaseWhistle, StageType } from '../../../api-types';

/** Tag colours of the stage types (open / in progress / fixed / closed). */
export const STAGE_TYPE_COLOR: Record<StageType, string> = {
  open: 'blue',
  in_progress: 'processing',
  fixed: 'green',
  closed: 'default',
};

export const SUPERVISION_COLOR = { 1: 'gold', 2: 'red' } as const;

export const WHISTLE_STATUS_COLOR: Record<CaseWhistle['status'], string> = {
  pending: 'orange',
  accepted: 'processing',
  reported: 'green',
  returned: 'default',
};

/** Buttons in the order a worker reads them: the usual next step first, the rarely needed ones last. */
const ACTION_ORDER: readonly CaseAction[] = [
  'accept',
  'dispatch',
  'handle',
  'verify',
  'whistle',
  'note',
  'escalate',
  'return',
  'merge',
  'park',
  'unpark',
  'cancel',
  'rate',
  'reopen',
];

/** The allowed actions in button order (exactly those the server allows, each once). */
export function orderActions(allowed: readonly CaseAction[]): CaseAction[] {
  return ACTION_ORDER.filter((a) => allowed.includes(a));
}

/** Actions whose button is red: they end the case or send it back. */
export function isDangerAction(action: CaseAction): boolean {
  return action === 'cancel' || action === 'return';
}

/** Timeline actions with a message of their own (cases.events.*); anything else shows its code. */
export const EVENT_ACTIONS = [
  'report',
  'accept',
  'dispatch',
  'whistle',
  'whistle_accept',
  'whistle_report',
  'whistle_return',
  'note',
  'handle',
  'escalate',
  'return',
  'verify_pass',
  'verify_fail',
  'park',
  'unpark',
  'cancel',
  'merge',
  'merged_in',
  'rate',
  'reopen',
  'remind',
  'supervise',
] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

export function isEventAction(action: string): action is EventAction {
  return (EVENT_ACTIONS as readonly string[]).includes(action);
}

export type CategoryNode = {
  value: number;
  title: string;
  /** Only leaves are filed under; a branch groups them. */
  selectable: boolean;
  children?: CategoryNode[];
};

/**
 * The category tree for a tree select, in each level's `sort` order. Inactive categories are left out (with their
 * subtree) unless `includeInactive`; only leaves can be chosen when filing a case.
 */
export function categoryTree(
  categories: readonly CaseCategory[],
  opts: { includeInactive?: boolean; leavesOnly?: boolean } = {},
): CategoryNode[] {
  const shown = categories.filter((c) => opts.includeInactive || c.active);
  const ids = new Set(shown.map((c) => c.id));
  const byParent = new Map<number | null, CaseCategory[]>();
  for (const c of shown) {
    // a child of a hidden parent is hidden too
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : c.parentId === null ? null : undefined;
    if (parent === undefined) continue;
    const list = byParent.get(parent) ?? [];
    list.push(c);
    byParent.set(parent, list);
  }
  const build = (parent: number | null): CategoryNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.sort - b.sort || a.id - b.id)
      .map((c) => {
        const children = build(c.id);
        const node: CategoryNode = {
          value: c.id,
          title: c.name,
          selectable: !opts.leavesOnly || children.length === 0,
        };
        if (children.length > 0) node.children = children;
        return node;
      });
  return build(null);
}

/** "15 分钟" / "2 个工作日" style SLA text key and amount, for the category's hint. */
export function slaKey(unit: 'minutes' | 'working_hours' | 'working_days'): 'slaMinutes' | 'slaHours' | 'slaDays' {
  return unit === 'minutes' ? 'slaMinutes' : unit === 'working_hours' ? 'slaHours' : 'slaDays';
}
