import type { InboxMessage } from '../../../api-types';

/** The console page of the record a message is about (null when the console has no page for it). */
export function messageLink(link: InboxMessage['link']): string | null {
  if (!link) return null;
  switch (link.type) {
    case 'resident':
      return `/people/residents/${link.id}`;
    case 'move_in_request':
      return '/people/move-in';
    default:
      return null;
  }
}
