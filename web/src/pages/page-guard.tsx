import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router-dom';
import { canOpenPage, firstAllowedPath, type PageKey } from '../access';
import { useMe } from '../features/auth/hooks/use-auth';

/**
 * Renders a console page only for a user whose access includes it (the server checks again). A route several
 * pages share (a case, opened from the board or from a department's list) names them all.
 */
export function PageGuard({ page, children }: { page: PageKey | readonly PageKey[]; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe().data;
  if (!me) return null;
  const pages: readonly PageKey[] = typeof page === 'string' ? [page] : page;
  if (!pages.some((p) => canOpenPage(me, p)))
    return <Result status="403" title="403" subTitle={t('common.forbiddenPage')} />;
  return <>{children}</>;
}

/**
 * `/` opens the first page the user may see; someone with no console page at all (a resident, a volunteer, a
 * merchant who signed in at the desktop) goes to the phone view, which is theirs.
 */
export function HomeRedirect() {
  const me = useMe().data;
  if (!me) return null;
  return <Navigate to={firstAllowedPath(me) ?? '/m'} replace />;
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('common.notFound')} />;
}
