import { Card } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useAccess } from '../features/auth/hooks/use-access';
import { RegisterResidentModal } from '../features/people/components/register-resident-modal';
import { ResidentsTable } from '../features/people/components/residents-table';
import { filtersFromParams, filtersToParams } from '../features/people/utils/resident-filters';

export function ResidentsPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [isRegistering, setRegistering] = useState(false);
  return (
    <Card title={t('people.title')}>
      <ResidentsTable
        filters={filtersFromParams(params)}
        onChange={(filters) => {
          // text typed just before a resident was opened settles after the address has moved on: drop it,
          // or it would bring the list back while the resident's page is loading
          if (window.location.pathname !== '/people') return;
          setParams(filtersToParams(filters), { replace: true });
        }}
        canWrite={access.canWritePeople}
        onRegister={() => setRegistering(true)}
      />
      {access.canWritePeople ? (
        <RegisterResidentModal
          open={isRegistering}
          onClose={() => setRegistering(false)}
          onRegistered={(resident) => {
            setRegistering(false);
            navigate(`/people/residents/${resident.id}`);
          }}
        />
      ) : null}
    </Card>
  );
}
