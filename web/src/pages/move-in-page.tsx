import { MoveInRequests } from '../features/people/components/move-in-requests';

export function MoveInPage() {
  return <MoveInRequests />;
}
