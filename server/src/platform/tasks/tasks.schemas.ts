import { type Static, Type } from 'typebox';
import { Nullable, Timestamp } from '../http/schemas.js';

/** Kinds of task "my tasks" merges; a module adds its own (later: activities, requests …). */
export const TASK_KINDS = ['visit', 'case', 'alarm', 'policy', 'verification', 'privacy'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** One thing waiting for the caller, from any module, in the caller's language. */
export const MyTask = Type.Object({
  /** `<kind>:<id>`, unique in the list. */
  key: Type.String(),
  kind: Type.Enum([...TASK_KINDS]),
  id: Type.Integer(),
  /** "走访 张*明（独居老人 · 每周）" / "受理事件：楼道堆物" / "确认预警：12小时未用水". */
  title: Type.String(),
  /** The place or the person, one line. */
  detail: Nullable(Type.String()),
  /** What is to be done now, as a short verb: 走访 / 受理 / 处理 / 确认. */
  action: Type.String(),
  dueAt: Nullable(Timestamp),
  overdue: Type.Boolean(),
  urgent: Type.Boolean(),
  /** Console path, and phone path (under /m). */
  link: Type.String(),
  mobileLink: Type.String(),
  createdAt: Timestamp,
});
export type MyTask = Static<typeof MyTask>;

export const MyTasksQuery = Type.Object(
  {
    kind: Type.Optional(Type.Enum([...TASK_KINDS])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
);
export type MyTasksQuery = Static<typeof MyTasksQuery>;

export const MyTasks = Type.Object({
  /** Sorted by due time (overdue first, then soonest; without a due time last), then urgent, then oldest. */
  items: Type.Array(MyTask),
  /** All the caller's open tasks per kind (beyond `limit` too), and how many are overdue. */
  counts: Type.Object({
    total: Type.Integer(),
    overdue: Type.Integer(),
    byKind: Type.Record(Type.String(), Type.Integer()),
  }),
});
export type MyTasks = Static<typeof MyTasks>;
