import type { CalendarDayView, CaseCategory, SlaSpec } from '../../../api-types';

export type CategoryNode = CaseCategory & { key: number; children?: CategoryNode[] };

/** The categories as a tree (antd's Table shows `children` as expandable rows), siblings by sort then name. */
export function categoryTree(list: readonly CaseCategory[]): CategoryNode[] {
  const nodes = new Map<number, CategoryNode>(list.map((c) => [c.id, { ...c, key: c.id }]));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (!parent) {
      roots.push(node);
      continue;
    }
    parent.children = [...(parent.children ?? []), node];
  }
  const order = (a: CategoryNode, b: CategoryNode) => a.sort - b.sort || a.code.localeCompare(b.code);
  const sortAll = (level: CategoryNode[]) => {
    level.sort(order);
    for (const n of level) if (n.children) sortAll(n.children);
  };
  sortAll(roots);
  return roots;
}

/** Ids of a category and everything below it (none of them may become its parent). */
export function selfAndBelow(list: readonly CaseCategory[], id: number): Set<number> {
  const out = new Set<number>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of list) {
      if (c.parentId !== null && out.has(c.parentId) && !out.has(c.id)) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return out;
}

export type MonthCell = { key: string; date: string | null };

/** The days of a month as weeks, Monday first; cells without a date pad the first and last week. */
export function monthWeeks(year: number, month: number): MonthCell[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const mm = String(month).padStart(2, '0');
  const cells: MonthCell[] = Array.from({ length: lead }, (_, n) => ({ key: `${year}-${mm}-lead${n}`, date: null }));
  for (let d = 1; d <= days; d++) {
    const date = `${year}-${mm}-${String(d).padStart(2, '0')}`;
    cells.push({ key: date, date });
  }
  for (let n = 0; cells.length % 7 !== 0; n++) cells.push({ key: `${year}-${mm}-tail${n}`, date: null });
  const weeks: MonthCell[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export type DayLook = 'holiday' | 'makeup' | 'weekend' | 'workday';

/** How a day shows in the year view: a listed day by its kind (a working weekend day is a make-up day), else by weekday. */
export function dayLook(date: string, listed: CalendarDayView | undefined): DayLook {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (listed) {
    if (listed.kind === 'holiday') return 'holiday';
    return weekend ? 'makeup' : 'workday';
  }
  return weekend ? 'weekend' : 'workday';
}

export type SlaForm = { amount?: number | null; unit?: SlaSpec['unit'] | 'none' };

export function slaToForm(sla: SlaSpec | null): SlaForm {
  return sla ? { amount: sla.amount, unit: sla.unit } : { amount: null, unit: 'none' };
}

/** A form's SLA: null when "none" or without an amount. */
export function formToSla(f: SlaForm | undefined): SlaSpec | null {
  if (!f || f.unit === 'none' || f.unit === undefined || f.amount === null || f.amount === undefined) return null;
  return { amount: f.amount, unit: f.unit };
}
