import { PointsRulesView } from '../features/points-rules/points-rules-views';

/** 积分规则: the installation's earning rules and points settings (system administrators). */
export function PointsRulesPage() {
  return <PointsRulesView />;
}
