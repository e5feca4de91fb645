import './visits.css';
import { Button, ErrorBlock, List, SpinLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { formatTime } from '../../ui/time';
import { VisitQueueView } from './mobile-visits-page';
import { useMyLinks, useVisitQueue } from './use-phone-visits';
import type { MyLinks } from './visit-types';

type LinkedHousehold = MyLinks['items'][number]['households'][number];

/** The label a linked household's visit carries: its head and place. */
export const householdLabel = (h: Pick<LinkedHousehold, 'headName' | 'placeLabel'>) =>
  h.headName ? `${h.headName} · ${h.placeLabel}` : h.placeLabel;

/**
 * 我的联户 (一网三联): the households the caller is linked to — a party member's 10–15 households, a building
 * leader's building, a cadre's group — each with 走访, which records a visit without a task.
 */
export function MobileLinksPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const queue = useVisitQueue(me?.user.id ?? null);
  const links = useMyLinks();
  if (links.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (links.error && !links.data) {
    return <ErrorBlock status="default" title={links.error instanceof Error ? links.error.message : ''} />;
  }
  const items = links.data?.items ?? [];
  return (
    <div className="m-page" data-testid="m-links">
      <VisitQueueView queue={queue} />
      {items.length === 0 ? (
        <ErrorBlock
          status="empty"
          title={t('mobileVisits.links.none')}
          description={t('mobileVisits.links.noneHint')}
        />
      ) : (
        items.map(({ link, households }) => (
          <List
            key={link.id}
            header={`${t(`mobileVisits.links.kinds.${link.kind}`)} · ${link.targetLabel}`}
            data-testid="m-link"
            data-link-id={link.id}
          >
            {households.length === 0 ? <List.Item>{t('mobileVisits.links.noHouseholds')}</List.Item> : null}
            {households.map((h) => (
              <List.Item
                key={h.householdId}
                data-testid="m-link-household"
                data-household-id={h.householdId}
                description={`${t('mobileVisits.links.members', { count: h.members })} · ${
                  h.lastVisitedAt
                    ? t('mobileVisits.links.lastVisited', { time: formatTime(h.lastVisitedAt).slice(0, 10) })
                    : t('mobileVisits.links.never')
                }`}
                extra={
                  <Button
                    size="small"
                    color="primary"
                    onClick={() =>
                      navigate(`/m/visit/new?householdId=${h.householdId}`, { state: { label: householdLabel(h) } })
                    }
                    data-testid="m-link-visit"
                  >
                    {t('mobileVisits.links.visit')}
                  </Button>
                }
              >
                {h.headName ?? t('mobileVisits.householdNo', { id: h.householdId })}
                <div className="m-visit-place">{h.placeLabel}</div>
              </List.Item>
            ))}
          </List>
        ))
      )}
    </div>
  );
}
