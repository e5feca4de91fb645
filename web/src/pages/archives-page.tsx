import { useSearchParams } from 'react-router-dom';
import { ArchivesView } from '../features/assessment/components/archive-view';

/** 一人一档 (/assessment/archives[?user=|?node=]): a grid worker's or a grid's record over time. */
export function ArchivesPage() {
  const [params] = useSearchParams();
  const user = params.get('user');
  const node = params.get('node');
  const initial =
    user && /^\d{1,15}$/.test(user)
      ? { kind: 'user' as const, id: Number(user) }
      : node && /^\d{1,15}$/.test(node)
        ? { kind: 'node' as const, id: Number(node) }
        : null;
  return <ArchivesView initial={initial} />;
}
