import { useParams } from 'react-router-dom';
import { CaseDetailView } from '../features/cases/components/case-detail-view';
import { DepartmentsTable } from '../features/cases/components/departments-table';
import { NotFoundPage } from './page-guard';

function caseId(raw: string | undefined): number | null {
  return raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

/** A case from the board (/cases/:id). */
export function CasePage() {
  const id = caseId(useParams().id);
  return id === null ? <NotFoundPage /> : <CaseDetailView key={id} id={id} backTo="/cases" />;
}

/** A case from a department's list (/cases/department/:id): the same view, back to the department's list. */
export function DepartmentCasePage() {
  const id = caseId(useParams().id);
  return id === null ? <NotFoundPage /> : <CaseDetailView key={id} id={id} backTo="/cases/department" />;
}

/** 职能部门. */
export function DepartmentsPage() {
  return <DepartmentsTable />;
}
