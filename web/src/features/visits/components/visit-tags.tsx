import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { VisitOutcome, VisitRuleCategory, VisitTaskListItem } from '../../../api-types';
import { CATEGORY_COLOR, OUTCOME_COLOR, TASK_STATE_COLOR, taskState } from '../utils/visit-labels';

export function TaskStateTag({ task }: { task: Pick<VisitTaskListItem, 'status' | 'overdue'> }) {
  const { t } = useTranslation();
  const state = taskState(task);
  return (
    <Tag color={TASK_STATE_COLOR[state]} data-testid="visit-task-state" data-state={state}>
      {t(`visits.taskState.${state}`)}
    </Tag>
  );
}

export function OutcomeTag({ outcome }: { outcome: VisitOutcome }) {
  const { t } = useTranslation();
  return (
    <Tag color={OUTCOME_COLOR[outcome]} data-testid="visit-outcome" data-outcome={outcome}>
      {t(`visits.outcome.${outcome}`)}
    </Tag>
  );
}

export function CategoryTag({ category }: { category: VisitRuleCategory }) {
  const { t } = useTranslation();
  return <Tag color={CATEGORY_COLOR[category]}>{t(`visits.category.${category}`)}</Tag>;
}
