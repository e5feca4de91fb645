import type { InboxMessage } from '../../../api-types';

/** Where a message's record opens, in the console or on the phone; null when there is nothing to open there. */
export function linkPath(link: InboxMessage['link'], shell: 'console' | 'mobile'): string | null {
  if (!link) return null;
  if (link.type === 'resident') return shell === 'console' ? `/people/residents/${link.id}` : `/m/residents/${link.id}`;
  if (link.type === 'move_in_request') return shell === 'console' ? '/people/move-in' : null;
  // cases [E]: the console's case page (board or department), the phone's case page
  if (link.type === 'case') return shell === 'console' ? `/cases/${link.id}` : `/m/cases/${link.id}`;
  // devices [D]: an alarm opens in the console's alarm centre
  if (link.type === 'alarm' && shell === 'console') return `/alarms/${link.id}`;
  // devices [G]: on the phone the worker's alarm page (a family member lands on their family's alarms there)
  if (link.type === 'alarm') return `/m/alarms/${link.id}`;
  // grid work [B]: a visit task opens on the console's task page, on the phone as the visit form
  if (link.type === 'visit_task') return shell === 'console' ? `/visits/tasks/${link.id}` : `/m/visits/${link.id}`;
  // ---- notices [B] ----
  // a notice: the console's notices page; on the phone the resident's notice
  if (link.type === 'notice') return shell === 'console' ? '/notices' : `/m/notices/${link.id}`;
  // ---- end notices [B] ----
  // ---- privacy [E] ----: a worker's request opens in the console's list or the phone's decision page; the
  // resident's decided request opens their "my data"
  if (link.type === 'privacy_request')
    return shell === 'console' ? `/privacy/requests/${link.id}` : `/m/privacy/requests/${link.id}`;
  if (link.type === 'privacy_mine') return shell === 'mobile' ? '/m/privacy' : null;
  // ---- end privacy [E] ----
  return null;
}
