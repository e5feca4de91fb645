/** What the volunteers API answers (server/src/modules/volunteers/volunteers.schemas.ts). */

export type TeamKind = 'volunteer' | 'service' | 'mobile_grid';
export type VolunteerKind = 'resident' | 'rider' | 'courier' | 'party_member';
export type ActivityStatus = 'published' | 'ended' | 'cancelled';
export type SignupStatus = 'signed_up' | 'cancelled' | 'attended' | 'no_show';
export type RewardCurrency = 'points' | 'hours' | 'conduct';

export type TeamMember = {
  residentId: number;
  name: string;
  role: 'leader' | 'member';
  kind: VolunteerKind;
  joinedAt: string;
};
export type Team = {
  id: number;
  nodeId: number;
  nodeName: string;
  name: string;
  kind: TeamKind;
  description: string | null;
  leaderUserId: number | null;
  leaderName: string | null;
  active: boolean;
  members: number;
  createdAt: string;
};
export type TeamDetail = Team & { items: TeamMember[] };

export type Volunteer = {
  residentId: number;
  name: string;
  nodeId: number;
  nodeName: string;
  userId: number | null;
  kind: VolunteerKind;
  skills: string[];
  available: boolean;
  enrolledAt: string;
  leftAt: string | null;
  teams: string[];
  attended: number;
  noShows: number;
};

export type Activity = {
  id: number;
  nodeId: number;
  nodeName: string;
  teamId: number | null;
  title: string;
  description: string | null;
  activityType: string;
  place: string;
  startsAt: string;
  endsAt: string;
  capacity: number | null;
  rewardCurrency: RewardCurrency;
  rewardAmount: number | null;
  status: ActivityStatus;
  creditedAt: string | null;
  signedUp: number;
  checkedIn: number;
  placesLeft: number | null;
};
export type MyActivity = Activity & {
  myStatus: SignupStatus | null;
  checkedInAt: string | null;
  credited: number | null;
};

export type Signup = {
  residentId: number;
  name: string;
  status: SignupStatus;
  signedUpAt: string;
  checkedInAt: string | null;
  checkinMethod: 'qr' | 'organiser' | null;
  credited: number | null;
};

export type CheckinCode = { code: string; qr: string; expiresAt: string };

export type ActivityInput = {
  nodeId?: number;
  title: string;
  description?: string | null;
  activityType: string;
  place: string;
  startsAt: string;
  endsAt: string;
  capacity?: number | null;
  rewardCurrency?: RewardCurrency;
  rewardAmount?: number | null;
};
