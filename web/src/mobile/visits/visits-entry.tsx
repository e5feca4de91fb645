import { Badge, List } from 'antd-mobile';
import { LocationOutline, UserContactOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { getAccess } from '../../access';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { useMyLinks, useMyVisitCounts, useVisitQueue } from './use-phone-visits';

/**
 * The phone home's entries for grid work [H]: 走访 (with the open tasks, the overdue ones and the visits waiting to
 * be sent) for those who record visits or are linked to households, and 我的联户 for the linked (一网三联).
 */
export function VisitsEntries() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const canDo = me ? getAccess(me).canDoVisits : false;
  const links = useMyLinks(Boolean(me));
  const isLinked = (links.data?.items.length ?? 0) > 0;
  const counts = useMyVisitCounts(canDo || isLinked).data?.counts;
  const queued = useVisitQueue(me?.user.id ?? null).length;
  if (!canDo && !isLinked) return null;
  const open = counts?.open ?? 0;
  const overdue = counts?.overdue ?? 0;
  const description =
    queued > 0
      ? t('mobileVisits.queue.pending', { count: queued })
      : open === 0
        ? t('mobileVisits.hint')
        : overdue > 0
          ? t('mobileVisits.overdueWaiting', { count: open, overdue })
          : t('mobileVisits.waiting', { count: open });
  return (
    <>
      <List.Item
        prefix={<LocationOutline className="m-entry-icon" />}
        description={description}
        extra={open > 0 ? <Badge content={open} color={overdue > 0 ? undefined : 'var(--adm-color-primary)'} /> : null}
        onClick={() => navigate('/m/visits')}
        data-testid="m-entry-visits"
      >
        {t('mobileVisits.title')}
      </List.Item>
      {isLinked ? (
        <List.Item
          prefix={<UserContactOutline className="m-entry-icon" />}
          description={t('mobileVisits.links.hint')}
          onClick={() => navigate('/m/links')}
          data-testid="m-entry-links"
        >
          {t('mobileVisits.links.title')}
        </List.Item>
      ) : null}
    </>
  );
}

/**
 * 入户走访 on a resident's page (户户到): a visit to their household without a task, for those who record visits;
 * without a household, a visit to the resident.
 */
export function VisitHouseholdItem({
  residentId,
  householdId,
  label,
}: {
  residentId: number;
  householdId: number | null;
  label: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  if (!me || !getAccess(me).canDoVisits) return null;
  const to = householdId !== null ? `/m/visit/new?householdId=${householdId}` : `/m/visit/new?residentId=${residentId}`;
  return (
    <List.Item
      prefix={<LocationOutline />}
      onClick={() => navigate(to, { state: { label } })}
      data-testid="m-visit-household"
    >
      {t('mobileVisits.adhocTitle')}
    </List.Item>
  );
}
