import { getAccess } from '../access';
import { useSignedInUser } from '../features/auth/hooks/use-access';
import { MeetingsView, TopicsView, VerificationsView } from '../features/deliberation/components/deliberation-views';

/** 议事协商 (/deliberation): topics of the area with votes and moderation; `?id=` opens one. */
export function DeliberationPage() {
  const me = useSignedInUser();
  return <TopicsView canManage={Boolean(me && getAccess(me).canManageDeliberation)} />;
}

/** 三方会议 (/deliberation/meetings): agenda, attendance, minutes, decisions tracked to closure. */
export function MeetingsPage() {
  const me = useSignedInUser();
  return <MeetingsView canManage={Boolean(me && getAccess(me).canManageDeliberation)} />;
}

/** 居民认证 (/deliberation/verifications): requests in the caller's area (the my-tasks link). */
export function VerificationsPage() {
  return <VerificationsView />;
}
