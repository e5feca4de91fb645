import { VolunteerTeamsView } from '../features/volunteers/volunteer-views';

/** 志愿队伍 (/volunteers): teams, members, volunteers with skills and kind filters, enrolment. */
export function VolunteerTeamsPage() {
  return <VolunteerTeamsView />;
}
