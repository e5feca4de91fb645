import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict } from '../../platform/http/schemas.js';

/** GET /api/dashboard (驾驶舱). Definitions of every figure: docs/architecture.md, “Dashboards”. */

export const DashboardQuery = Strict({
  /** The node to show (default: the caller's highest post node; a system administrator's first county). */
  nodeId: Type.Optional(Id),
});
export type DashboardQuery = Static<typeof DashboardQuery>;

/** A figure and the console path of the list behind it (null: no list shows it). */
const Figure = Type.Object({ value: Nullable(Type.Number()), link: Nullable(Type.String()) });
/** A rate 0–1 and where it came from: metric_values of the last full month, computed now, or none. */
const Rate = Type.Object({
  value: Nullable(Type.Number()),
  source: Type.Enum(['metric', 'computed', 'none']),
  link: Nullable(Type.String()),
});

const NodeType = Type.String();

export const Dashboard = Type.Object({
  node: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    type: NodeType,
    /** Root first, the node last; `clickable` when the caller may open that level's dashboard. */
    crumbs: Type.Array(
      Type.Object({ id: Type.Integer(), name: Type.String(), type: NodeType, clickable: Type.Boolean() }),
    ),
  }),
  /** Today (Asia/Shanghai) and the last full month 'YYYY-MM' the monthly figures are of. */
  today: Type.String(),
  lastMonth: Type.String(),
  population: Type.Object({
    residents: Figure,
    households: Figure,
    houses: Figure,
    ageBands: Type.Array(
      Type.Object({
        band: Type.String(),
        min: Type.Integer(),
        max: Nullable(Type.Integer()),
        male: Figure,
        female: Figure,
      }),
    ),
    /** The tags under 特殊人群; sensitive ones only for callers with people.sensitive. */
    groups: Type.Array(
      Type.Object({ code: Type.String(), name: Type.String(), sensitive: Type.Boolean(), ...Figure.properties }),
    ),
  }),
  cases: Type.Object({
    open: Figure,
    overdue: Figure,
    byStage: Type.Array(Type.Object({ stage: Type.String(), name: Type.String(), ...Figure.properties })),
    byCategory: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), ...Figure.properties })),
    months: Type.Array(Type.Object({ month: Type.String(), created: Type.Integer(), closed: Type.Integer() })),
    onTimeRate: Rate,
  }),
  visits: Type.Object({ coverage: Rate, tasksOverdue: Figure }),
  alarms: Type.Object({
    open: Figure,
    byKind: Type.Array(Type.Object({ kind: Type.String(), ...Figure.properties })),
    raised30d: Figure,
    ackRate: Rate,
  }),
  points: Type.Object({ issued: Rate }),
  volunteerHours: Rate,
  rankings: Nullable(
    Type.Object({
      scheme: Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        subject: Type.String(),
        periodStart: Type.String(),
      }),
      top: Type.Array(
        Type.Object({ name: Type.String(), total: Type.Number(), rank: Type.Integer(), groupSize: Type.Integer() }),
      ),
      bottom: Type.Array(
        Type.Object({ name: Type.String(), total: Type.Number(), rank: Type.Integer(), groupSize: Type.Integer() }),
      ),
    }),
  ),
  children: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      type: NodeType,
      population: Type.Integer(),
      openCases: Type.Integer(),
      overdue: Type.Integer(),
      coverage: Nullable(Type.Number()),
      alarmsOpen: Type.Integer(),
    }),
  ),
});
export type Dashboard = Static<typeof Dashboard>;
