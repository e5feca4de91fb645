import { useParams } from 'react-router-dom';
import { useAccess } from '../features/auth/hooks/use-access';
import { CaseDetailView } from '../features/cases/components/case-detail-view';
import { DepartmentsTable } from '../features/cases/components/departments-table';
import { NotFoundPage } from './page-guard';

function caseId(raw: string | undefined): number | null {
  return raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

/** A case (/cases/:id), from the board or from a department's list: back goes to the list the reader has. */
export function CasePage() {
  const id = caseId(useParams().id);
  const access = useAccess();
  if (id === null) return <NotFoundPage />;
  return <CaseDetailView key={id} id={id} backTo={access.canReadCases ? '/cases' : '/cases/department'} />;
}

/** 职能部门. */
export function DepartmentsPage() {
  return <DepartmentsTable />;
}
