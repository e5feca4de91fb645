/** The on-time rate as a whole percentage for the progress bar, and as text ("—" when nothing was required). */
export function ratePercent(rate: number | null): number {
  return rate === null ? 0 : Math.round(rate * 1000) / 10;
}

export function rateText(rate: number | null): string {
  return rate === null ? '—' : `${ratePercent(rate).toFixed(1)}%`;
}

/** The progress bar's colour: red under 60 %, orange under 90 %, else green. */
export function rateStatus(rate: number | null): 'exception' | 'normal' | 'success' {
  if (rate === null) return 'normal';
  if (rate < 0.6) return 'exception';
  return rate < 0.9 ? 'normal' : 'success';
}

/** The visit-task list of the overdue tasks of an area due in the period shown. */
export function overdueLink(nodeId: number, period: { from: string; to: string }, assigneeId?: number | null): string {
  const q = new URLSearchParams({ status: 'overdue', nodeId: String(nodeId) });
  if (assigneeId) q.set('assigneeId', String(assigneeId));
  q.set('dueFrom', `${period.from}T00:00:00+08:00`);
  q.set('dueTo', `${period.to}T23:59:59+08:00`);
  return `/visits/tasks?${q.toString()}`;
}

/** Node types one may drill into (the table lists children down to grids). */
export function canDrill(nodeType: string): boolean {
  return nodeType !== 'grid';
}
