import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useAccess } from '../features/auth/hooks/use-access';
import { CasesBoard } from '../features/cases/components/cases-board';
import { ReportCaseModal } from '../features/cases/components/report-case-modal';
import { filtersFromParams, filtersToParams } from '../features/cases/utils/case-filters';

/** 事件: the board of the caller's area; workers record hotline and walk-in cases here. */
export function CasesPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [isReporting, setReporting] = useState(false);
  const { filters, view } = filtersFromParams(params);
  return (
    <>
      <CasesBoard
        title={t('cases.title')}
        intro={t('cases.intro')}
        listView="board"
        filters={filters}
        view={view}
        onChange={(f, v) => setParams(filtersToParams(f, v), { replace: true })}
        linkTo={(c) => `/cases/${c.id}`}
        {...(access.canReportCases ? { onReport: () => setReporting(true) } : {})}
      />
      {access.canReportCases ? (
        <ReportCaseModal
          open={isReporting}
          onClose={() => setReporting(false)}
          onReported={(c) => {
            setReporting(false);
            navigate(`/cases/${c.id}`);
          }}
        />
      ) : null}
    </>
  );
}

/** 部门事件: cases whistled or dispatched to the caller's departments. */
export function DepartmentCasesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { filters, view } = filtersFromParams(params);
  return (
    <CasesBoard
      title={t('cases.department.title')}
      intro={t('cases.department.intro')}
      listView="department"
      filters={filters}
      view={view}
      onChange={(f, v) => setParams(filtersToParams(f, v), { replace: true })}
      linkTo={(c) => `/cases/${c.id}`}
    />
  );
}
