import type { Ctx } from '../access/context.js';
import type { Permission } from '../access/roles.js';
import { hasPermission } from '../access/scope.js';
import type { Db } from '../db/client.js';
import type { MyTask, MyTasks, TaskKind } from './tasks.schemas.js';

/**
 * "My tasks" (我的任务): one list of what waits for the caller, merged from every module that registers a source
 * (visit tasks, cases to accept or handle, alarms to acknowledge, and later other modules'), sorted by deadline.
 * A source answers for the caller alone (its own scoping), at most `limit` items (most urgent first) and its total.
 */
export type TaskSourceDef = {
  /** Unique and stable: `<module>.<name>`. */
  id: string;
  kind: TaskKind;
  /** The permission the caller needs anywhere for the source to be asked; null: anyone signed in (own tasks). */
  permission: Permission | null;
  load(
    ctx: Ctx,
    db: Db,
    opts: { limit: number; now: Date },
  ): Promise<{ items: MyTask[]; total: number; overdue: number }>;
};

const sources = new Map<string, TaskSourceDef>();

/** Registers (or replaces, so building several apps in one process is harmless) a source. */
export function registerTaskSource(def: TaskSourceDef): void {
  sources.set(def.id, def);
}

/** Due first (overdue ones are the earliest due), no due time last; then urgent; then oldest. Pure. */
export function compareTasks(a: MyTask, b: MyTask): number {
  if (a.dueAt !== b.dueAt) {
    if (a.dueAt === null) return 1;
    if (b.dueAt === null) return -1;
    const d = Date.parse(a.dueAt) - Date.parse(b.dueAt);
    if (d !== 0) return d;
  }
  if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
  const c = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  return c !== 0 ? c : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Merges sources' answers: sorted, de-duplicated by key, cut at `limit`. Pure. */
export function mergeTasks(
  answers: { items: MyTask[]; total: number; overdue: number; kind: TaskKind }[],
  limit: number,
): MyTasks {
  const seen = new Set<string>();
  const all: MyTask[] = [];
  const byKind: Record<string, number> = {};
  let total = 0;
  let overdue = 0;
  for (const a of answers) {
    byKind[a.kind] = (byKind[a.kind] ?? 0) + a.total;
    total += a.total;
    overdue += a.overdue;
    for (const t of a.items) {
      if (seen.has(t.key)) continue;
      seen.add(t.key);
      all.push(t);
    }
  }
  all.sort(compareTasks);
  return { items: all.slice(0, limit), counts: { total, overdue, byKind } };
}

export async function loadMyTasks(
  db: Db,
  ctx: Ctx,
  opts: { kind?: TaskKind; limit?: number; now?: Date } = {},
): Promise<MyTasks> {
  const limit = opts.limit ?? 100;
  const now = opts.now ?? new Date();
  const answers: { items: MyTask[]; total: number; overdue: number; kind: TaskKind }[] = [];
  // One after the other: PGlite has one connection, and each source is one indexed query.
  for (const def of [...sources.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (opts.kind && def.kind !== opts.kind) continue;
    if (def.permission && !hasPermission(ctx.principal, def.permission)) continue;
    const r = await def.load(ctx, db, { limit, now });
    answers.push({ ...r, kind: def.kind });
  }
  return mergeTasks(answers, limit);
}
