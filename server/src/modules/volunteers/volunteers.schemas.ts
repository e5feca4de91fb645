import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/** Volunteer teams, enrolled volunteers, activities with sign-up, check-in and crediting. */

export const TEAM_KINDS = ['volunteer', 'service', 'mobile_grid'] as const;
export const VOLUNTEER_KINDS = ['resident', 'rider', 'courier', 'party_member'] as const;
export const SELF_KINDS = ['resident', 'rider', 'courier'] as const;
export const MEMBER_ROLES = ['leader', 'member'] as const;
export const REWARD_CURRENCIES = ['points', 'hours', 'conduct'] as const;
export const ACTIVITY_STATUSES = ['published', 'ended', 'cancelled'] as const;
export const SIGNUP_STATUSES = ['signed_up', 'cancelled', 'attended', 'no_show'] as const;

const SkillCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const Skills = Type.Array(SkillCode, { maxItems: 20, uniqueItems: true });

export const ResidentIdParams = Strict({ residentId: Id });
export const MemberParams = Strict({ id: Id, residentId: Id });

// ---- teams ----------------------------------------------------------------------------------------------------

export const TeamMember = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  role: Type.Enum([...MEMBER_ROLES]),
  kind: Type.Enum([...VOLUNTEER_KINDS]),
  joinedAt: Timestamp,
});
export type TeamMember = Static<typeof TeamMember>;

export const Team = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  name: Type.String(),
  kind: Type.Enum([...TEAM_KINDS]),
  description: Nullable(Type.String()),
  leaderUserId: Nullable(Type.Integer()),
  leaderName: Nullable(Type.String()),
  active: Type.Boolean(),
  members: Type.Integer(),
  createdAt: Timestamp,
});
export type Team = Static<typeof Team>;
export const TeamDetail = Type.Object({ ...Team.properties, items: Type.Array(TeamMember) });
export type TeamDetail = Static<typeof TeamDetail>;

export const TeamListQuery = Strict({
  nodeId: Type.Optional(Id),
  kind: Type.Optional(Type.Enum([...TEAM_KINDS])),
  active: Type.Optional(Type.Boolean()),
});
export type TeamListQuery = Static<typeof TeamListQuery>;

export const TeamCreate = Strict({
  nodeId: Id,
  name: Text({ minLength: 1, maxLength: 60, trim: true }),
  kind: Type.Optional(Type.Enum([...TEAM_KINDS])),
  description: Type.Optional(Nullable(Text({ maxLength: 500, trim: true }))),
  leaderUserId: Type.Optional(Nullable(Id)),
});
export type TeamCreate = Static<typeof TeamCreate>;

export const TeamPatch = Strict({
  name: Type.Optional(Text({ minLength: 1, maxLength: 60, trim: true })),
  kind: Type.Optional(Type.Enum([...TEAM_KINDS])),
  description: Type.Optional(Nullable(Text({ maxLength: 500, trim: true }))),
  leaderUserId: Type.Optional(Nullable(Id)),
  active: Type.Optional(Type.Boolean()),
});
export type TeamPatch = Static<typeof TeamPatch>;

export const MemberAdd = Strict({ residentId: Id, role: Type.Optional(Type.Enum([...MEMBER_ROLES])) });
export type MemberAdd = Static<typeof MemberAdd>;

// ---- volunteers -----------------------------------------------------------------------------------------------

export const Volunteer = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  userId: Nullable(Type.Integer()),
  kind: Type.Enum([...VOLUNTEER_KINDS]),
  skills: Type.Array(Type.String()),
  available: Type.Boolean(),
  enrolledAt: Timestamp,
  leftAt: Nullable(Timestamp),
  teams: Type.Array(Type.String()),
  attended: Type.Integer(),
  noShows: Type.Integer(),
});
export type Volunteer = Static<typeof Volunteer>;
export const VolunteerPage = Type.Object({ items: Type.Array(Volunteer), total: Type.Integer() });
export type VolunteerPage = Static<typeof VolunteerPage>;

export const VolunteerListQuery = Strict({
  nodeId: Type.Optional(Id),
  kind: Type.Optional(Type.Enum([...VOLUNTEER_KINDS])),
  skill: Type.Optional(SkillCode),
  q: Type.Optional(Text({ maxLength: 50, trim: true })),
  includeLeft: Type.Optional(Type.Boolean()),
  ...Paging,
});
export type VolunteerListQuery = Static<typeof VolunteerListQuery>;

export const VolunteerEnrol = Strict({
  residentId: Id,
  kind: Type.Optional(Type.Enum([...VOLUNTEER_KINDS])),
  skills: Type.Optional(Skills),
  userId: Type.Optional(Nullable(Id)),
});
export type VolunteerEnrol = Static<typeof VolunteerEnrol>;

export const VolunteerPatch = Strict({
  kind: Type.Optional(Type.Enum([...VOLUNTEER_KINDS])),
  skills: Type.Optional(Skills),
  available: Type.Optional(Type.Boolean()),
  /** true: the volunteer leaves (left_at now); false: back again. */
  left: Type.Optional(Type.Boolean()),
});
export type VolunteerPatch = Static<typeof VolunteerPatch>;

export const SelfEnrol = Strict({ kind: Type.Optional(Type.Enum([...SELF_KINDS])), skills: Skills });
export type SelfEnrol = Static<typeof SelfEnrol>;

// ---- activities -----------------------------------------------------------------------------------------------

export const Activity = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  teamId: Nullable(Type.Integer()),
  title: Type.String(),
  description: Nullable(Type.String()),
  activityType: Type.String(),
  place: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  capacity: Nullable(Type.Integer()),
  rewardCurrency: Type.Enum([...REWARD_CURRENCIES]),
  /** null: the earning rule of the activity type. */
  rewardAmount: Nullable(Type.Integer()),
  status: Type.Enum([...ACTIVITY_STATUSES]),
  creditedAt: Nullable(Timestamp),
  signedUp: Type.Integer(),
  checkedIn: Type.Integer(),
  placesLeft: Nullable(Type.Integer()),
});
export type Activity = Static<typeof Activity>;
export const ActivityPage = Type.Object({ items: Type.Array(Activity), total: Type.Integer() });
export type ActivityPage = Static<typeof ActivityPage>;

export const ActivityListQuery = Strict({
  nodeId: Type.Optional(Id),
  status: Type.Optional(Type.Enum([...ACTIVITY_STATUSES])),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  ...Paging,
});
export type ActivityListQuery = Static<typeof ActivityListQuery>;

const activityFields = {
  title: Text({ minLength: 1, maxLength: 60, trim: true }),
  description: Type.Optional(Nullable(Text({ maxLength: 2000, trim: true }))),
  activityType: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
  place: Text({ minLength: 1, maxLength: 100, trim: true }),
  startsAt: Timestamp,
  endsAt: Timestamp,
  capacity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10000 }))),
  rewardCurrency: Type.Optional(Type.Enum([...REWARD_CURRENCIES])),
  /** null or absent: by the earning rule of the type. Hours are in minutes. */
  rewardAmount: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100000 }))),
  teamId: Type.Optional(Nullable(Id)),
};
export const ActivityCreate = Strict({ nodeId: Id, ...activityFields });
export type ActivityCreate = Static<typeof ActivityCreate>;
export const ActivityPatch = Type.Partial(Strict(activityFields), { additionalProperties: false });
export type ActivityPatch = Static<typeof ActivityPatch>;

export const Signup = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  status: Type.Enum([...SIGNUP_STATUSES]),
  signedUpAt: Timestamp,
  checkedInAt: Nullable(Timestamp),
  checkinMethod: Nullable(Type.Enum(['qr', 'organiser'])),
  credited: Nullable(Type.Integer()),
});
export type Signup = Static<typeof Signup>;

export const Attendance = Strict({ residentId: Id, attended: Type.Boolean() });
export type Attendance = Static<typeof Attendance>;

export const CheckinCode = Type.Object({ code: Type.String(), qr: Type.String(), expiresAt: Timestamp });
export type CheckinCode = Static<typeof CheckinCode>;

// ---- the resident's own -----------------------------------------------------------------------------------------

export const MyActivitiesQuery = Strict({ scope: Type.Optional(Type.Enum(['open', 'mine'])) });
export type MyActivitiesQuery = Static<typeof MyActivitiesQuery>;

export const MyActivity = Type.Object({
  ...Activity.properties,
  myStatus: Nullable(Type.Enum([...SIGNUP_STATUSES])),
  checkedInAt: Nullable(Timestamp),
  /** What was credited for it (points, or minutes for hours), once ended. */
  credited: Nullable(Type.Integer()),
});
export type MyActivity = Static<typeof MyActivity>;

export const CheckinBody = Strict({ code: Text({ minLength: 1, maxLength: 100, trim: true }) });
export type CheckinBody = Static<typeof CheckinBody>;
