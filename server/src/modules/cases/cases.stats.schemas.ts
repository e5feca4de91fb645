import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict } from '../../platform/http/schemas.js';
import { STATS_GROUP_BYS } from './cases.stats.logic.js';

/** GET /api/cases/stats and /api/cases/stats.xlsx (事件统计). Definitions: docs/architecture.md, “Case statistics”. */

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, Asia/Shanghai' });

export const CaseStatsQuery = Strict({
  groupBy: Type.Optional(Type.Enum([...STATS_GROUP_BYS], { default: 'grid' })),
  /** First day counted (default: the first day of the month eleven months before `to`). */
  from: Type.Optional(Day),
  /** Last day counted, inclusive (default: today). */
  to: Type.Optional(Day),
  /** Narrows to a node's subtree (a street, community, grid) inside the caller's cases.stats scope. */
  nodeId: Type.Optional(Id),
});
export type CaseStatsQuery = Static<typeof CaseStatsQuery>;

const Figures = {
  /** 受理: cases reported in the period. */
  received: Type.Integer(),
  /** 立案: of those, dispatched (the clock started) and not cancelled or merged. */
  opened: Type.Integer(),
  /** 应结案: cases whose handling deadline fell in the period (not cancelled or merged). */
  due: Type.Integer(),
  /** 结案: cases closed in the period. */
  closed: Type.Integer(),
  /** 按期结案: of the due ones, closed and handled by the deadline. */
  closedOnTime: Type.Integer(),
  /** 按期结案率 closedOnTime / due (0–1); null when nothing was due. */
  onTimeRate: Nullable(Type.Number()),
  /** 返工: of the closed ones, those sent back at least once (verify failed or reopened). */
  rework: Type.Integer(),
  /** 超期: of the due ones, handled after the deadline or still not handled past it. */
  overdue: Type.Integer(),
  /** 督办: of the received ones, those that got a yellow or red supervision mark. */
  supervised: Type.Integer(),
  /** Ratings given in the period. */
  ratingCount: Type.Integer(),
  /** 满意度: mean rating 1–5 of those; null when none. */
  satisfaction: Nullable(Type.Number()),
};

export const CaseStatsItem = Type.Object({
  /** A node, department or category id, a month 'YYYY-MM', or 'none' for cases outside every group. */
  key: Type.String(),
  label: Type.String(),
  ...Figures,
});
export type CaseStatsItem = Static<typeof CaseStatsItem>;

export const CaseStats = Type.Object({
  groupBy: Type.Enum([...STATS_GROUP_BYS]),
  from: Type.String(),
  to: Type.String(),
  items: Type.Array(CaseStatsItem),
  totals: Type.Object(Figures),
});
export type CaseStats = Static<typeof CaseStats>;
