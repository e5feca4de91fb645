import { Image, List, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { formatTime } from '../../ui/time';
import type { CaseSummary } from './case-types';

const STAGE_COLOURS: Record<CaseSummary['stageType'], string> = {
  open: 'warning',
  in_progress: 'primary',
  fixed: 'success',
  closed: 'default',
};

export function StageTag({ summary }: { summary: Pick<CaseSummary, 'stageName' | 'stageType' | 'stage'> }) {
  return (
    <Tag color={STAGE_COLOURS[summary.stageType]} fill="outline" data-testid="m-case-stage" data-stage={summary.stage}>
      {summary.stageName}
    </Tag>
  );
}

/** Yellow or red supervision (督办), and an overdue mark. */
export function SupervisionTag({ summary }: { summary: Pick<CaseSummary, 'supervision' | 'overdue'> }) {
  const { t } = useTranslation();
  if (summary.supervision === 0 && !summary.overdue) return null;
  return (
    <Tag color={summary.supervision === 2 || summary.overdue ? 'danger' : 'warning'}>
      {summary.overdue ? t('mobileCases.overdue') : t('mobileCases.supervised')}
    </Tag>
  );
}

/** Where a case is, in words: its node ("东关社区 / 第一网格 / 1号楼"), and the room when it is a house. */
export function placeText(place: CaseSummary['place']): string {
  return place.houseLabel ? `${place.nodeLabel} ${place.houseLabel}` : place.nodeLabel;
}

/** Cases as a phone list: title, stage, place and time; a tap opens the case. */
export function CaseItems({ items }: { items: CaseSummary[] }) {
  const navigate = useNavigate();
  return (
    <List data-testid="m-case-list">
      {items.map((c) => (
        <List.Item
          key={c.id}
          onClick={() => navigate(`/m/cases/${c.id}`)}
          prefix={
            c.thumbUrl ? (
              <Image src={c.thumbUrl} width={48} height={48} fit="cover" style={{ borderRadius: 4 }} />
            ) : null
          }
          description={
            <span>
              {placeText(c.place)}
              <br />
              {c.caseNo} · {formatTime(c.createdAt)}
            </span>
          }
          extra={
            <span className="m-case-tags">
              <StageTag summary={c} />
              <SupervisionTag summary={c} />
            </span>
          }
          data-testid="m-case-item"
          data-case-id={c.id}
        >
          {c.urgent ? <Tag color="danger">!</Tag> : null} {c.title}
        </List.Item>
      ))}
    </List>
  );
}
