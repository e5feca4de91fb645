import { SchemesView } from '../features/assessment/components/schemes-view';

/** 考核方案 (/assessment/schemes): installation-wide, for a post over the whole installation. */
export function AssessmentSchemesPage() {
  return <SchemesView />;
}
