import { AlertFilled, ThunderboltFilled } from '@ant-design/icons';
import { Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseSummary } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { formatTime } from '../../../ui/time';
import { currentDue, formatSpan } from '../utils/case-board';
import { STAGE_TYPE_COLOR, SUPERVISION_COLOR } from '../utils/case-labels';

export function StageTag({ c }: { c: Pick<CaseSummary, 'stage' | 'stageName' | 'stageType'> }) {
  return (
    <Tag color={STAGE_TYPE_COLOR[c.stageType]} data-testid="case-stage" data-stage={c.stage}>
      {c.stageName}
    </Tag>
  );
}

/** 督办 marks: a yellow or red card, and 紧急 for urgent classes. */
export function CaseMarks({ c }: { c: Pick<CaseSummary, 'supervision' | 'urgent' | 'overdue' | 'reworkCount'> }) {
  const { t } = useTranslation();
  const level = c.supervision === 1 || c.supervision === 2 ? c.supervision : null;
  return (
    <Space size={2} wrap>
      {level ? (
        <Tag color={SUPERVISION_COLOR[level]} icon={<AlertFilled />} data-testid="case-supervision" data-level={level}>
          {t(level === 2 ? 'cases.supervision.red' : 'cases.supervision.yellow')}
        </Tag>
      ) : null}
      {c.urgent ? (
        <Tag color="volcano" icon={<ThunderboltFilled />}>
          {t('cases.urgent')}
        </Tag>
      ) : null}
      {c.overdue && !level ? <Tag color="red">{t('cases.overdue')}</Tag> : null}
      {c.reworkCount > 0 ? <Tag>{t('cases.rework', { count: c.reworkCount })}</Tag> : null}
    </Space>
  );
}

/** The deadline that matters now, as time left or time late (red). */
export function DueText({ c, now }: { c: CaseSummary; now: Date }) {
  const { t } = useTranslation();
  const due = currentDue(c, now);
  if (due.kind === 'none') return <Typography.Text type="secondary">{t('cases.noDue')}</Typography.Text>;
  const lang = currentLanguage();
  return (
    <Tooltip title={formatTime(due.at)}>
      {due.kind === 'late' ? (
        <Typography.Text type="danger">
          {t('cases.lateBy', { span: formatSpan(due.minutesLate, lang) })}
        </Typography.Text>
      ) : (
        <Typography.Text type={due.minutesLeft < 60 ? 'warning' : undefined}>
          {t('cases.dueIn', { span: formatSpan(due.minutesLeft, lang) })}
        </Typography.Text>
      )}
    </Tooltip>
  );
}
