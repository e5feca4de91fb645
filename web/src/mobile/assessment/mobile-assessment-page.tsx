import { ErrorBlock, List, SpinLoading, Tag } from 'antd-mobile';
import { FlagOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { getAccess } from '../../access';
import type { Archive, ArchiveScore } from '../../features/assessment/assessment-types';
import { useArchive } from '../../features/assessment/hooks/use-assessment';
import {
  formatScore,
  formatValueOf,
  metricLabel,
  periodLabel,
  rankTrend,
} from '../../features/assessment/utils/assessment-format';
import { useSignedInUser } from '../../features/auth/hooks/use-access';

/** Per scheme, the latest period's score and the one before (for the trend), newest scheme period first. */
export function latestByScheme(
  scores: readonly ArchiveScore[],
): { latest: ArchiveScore; previous: ArchiveScore | null }[] {
  const bySchemes = new Map<number, ArchiveScore[]>();
  for (const s of scores) bySchemes.set(s.schemeId, [...(bySchemes.get(s.schemeId) ?? []), s]);
  return [...bySchemes.values()]
    .map((list) => {
      const sorted = [...list].sort((a, b) => b.periodStart.localeCompare(a.periodStart));
      return { latest: sorted[0]!, previous: sorted[1] ?? null };
    })
    .sort((a, b) => b.latest.periodStart.localeCompare(a.latest.periodStart) || a.latest.schemeId - b.latest.schemeId);
}

/** My latest scores and ranks per scheme, with the trend, and my honours. */
export function MyAssessmentView({ archive }: { archive: Archive }) {
  const { t, i18n } = useTranslation();
  const latest = latestByScheme(archive.scores);
  const honours = archive.honours.filter((h) => h.status === 'approved' || h.status === 'published');
  return (
    <>
      {latest.length === 0 ? <ErrorBlock status="empty" title={t('assessment.noScores')} description="" /> : null}
      {latest.map(({ latest: s, previous }) => {
        const trend = rankTrend(s.rank, previous?.rank);
        return (
          <div
            key={s.schemeId}
            className="m-card"
            style={{ background: '#fff', margin: '12px 0', padding: 16 }}
            data-testid="m-assessment-score"
          >
            <div style={{ color: 'var(--adm-color-weak)' }}>
              {s.schemeName} · {periodLabel(s.periodKind, s.periodStart, i18n.language)}
            </div>
            <div style={{ display: 'flex', alignItems: 'baseline', gap: 16 }}>
              <span style={{ fontSize: 36, fontWeight: 600 }}>{formatScore(s.total)}</span>
              <span>{t('assessment.rankOf', { rank: s.rank, size: s.groupSize })}</span>
              {trend.text ? (
                <Tag color={trend.colour === 'green' ? 'success' : trend.colour === 'red' ? 'danger' : 'default'}>
                  {trend.text}
                </Tag>
              ) : null}
            </div>
            {s.items.map((i) => (
              <div
                key={i.metric}
                style={{ display: 'flex', justifyContent: 'space-between', fontSize: 14, marginTop: 4 }}
                data-testid="m-assessment-item"
              >
                <span>{metricLabel(i.metric, i18n.language)}</span>
                <span>
                  {formatValueOf(i.metric, i.value)}
                  <span style={{ color: 'var(--adm-color-weak)', marginLeft: 8 }}>
                    {formatScore(i.marks)}/{formatScore(i.weight)}
                  </span>
                </span>
              </div>
            ))}
          </div>
        );
      })}
      <List header={t('assessment.myHonours')} data-testid="m-assessment-honours">
        {honours.length === 0 ? (
          <List.Item>{t('assessment.noHonours')}</List.Item>
        ) : (
          honours.map((h) => (
            <List.Item key={h.id} description={h.citation ?? undefined}>
              {periodLabel('quarter', h.periodStart, i18n.language)} {t(`assessment.honours.${h.honour}`)}
            </List.Item>
          ))
        )}
      </List>
      {archive.adjustments.length > 0 ? (
        <List header={t('assessment.adjustmentsTitle')}>
          {archive.adjustments
            .filter((a) => a.withdrawnAt === null)
            .map((a) => (
              <List.Item
                key={a.id}
                extra={a.points > 0 ? `+${formatScore(a.points)}` : `−${formatScore(-a.points)}`}
                description={a.reason}
              >
                {a.periodStart}
              </List.Item>
            ))}
        </List>
      ) : null}
    </>
  );
}

/** 我的考核 (/m/assessment): a grid worker's own scores, ranks and honours (their archive). */
export function MobileAssessmentPage() {
  const { t } = useTranslation();
  const me = useSignedInUser();
  const archive = useArchive(me ? { kind: 'user', id: me.user.id } : null);
  return (
    <div className="m-page" data-testid="m-assessment">
      <h2 style={{ padding: '0 12px' }}>{t('assessment.mineTitle')}</h2>
      {archive.isLoading ? <SpinLoading /> : null}
      {archive.isError ? (
        <ErrorBlock status="default" title={t('common.loadFailed')} description={archive.error.message} />
      ) : null}
      {archive.data ? <MyAssessmentView archive={archive.data} /> : null}
    </div>
  );
}

/** The phone home's entry for those who read assessment (a grid worker's own scores). */
export function MyAssessmentEntry() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  if (!me || !getAccess(me).canReadAssessment) return null;
  return (
    <List.Item
      prefix={<FlagOutline className="m-entry-icon" />}
      description={t('assessment.mineHint')}
      onClick={() => navigate('/m/assessment')}
      data-testid="m-entry-assessment"
    >
      {t('assessment.mineTitle')}
    </List.Item>
  );
}
