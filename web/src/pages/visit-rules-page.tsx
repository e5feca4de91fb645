import { VisitRulesSettings } from '../features/visits/components/visit-rules-settings';

/** 走访规则 (三到六访): the installation's visit rules (system administrators). */
export function VisitRulesPage() {
  return <VisitRulesSettings />;
}
