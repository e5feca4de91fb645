import { ArrowLeftOutlined, EditOutlined, LogoutOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ResidentDetail as Resident } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { RevealValue } from '../../../ui/reveal-value';
import { formatTime } from '../../../ui/time';
import { useAccess } from '../../auth/hooks/use-access'; // devices [E]
import { ResidentDevicesCard } from '../../devices-registry/components/resident-devices-card'; // devices [E]
import { policyFactItems } from '../../policies/components/policy-facts';
import { useResident, useRevealResident } from '../hooks/use-people';
import { relationLabel, sexLabel, statusLabel } from '../utils/labels';
import { HouseDrawer } from './house-drawer';
import { HouseholdCard } from './household-card';
import { ResidentContactsCard } from './resident-contacts-card';
import { EditResidentModal, LeaveModal } from './resident-dialogs';
import { ResidentFilesCard } from './resident-files-card';
import { ResidentHistory } from './resident-history';
import { ResidentTagsCard } from './resident-tags-card';

type Props = { residentId: number; canWrite: boolean; canReveal: boolean; canReadFiles: boolean };

export function ResidentDetailView({ residentId, canWrite, canReveal, canReadFiles }: Props) {
  const { t } = useTranslation();
  const resident = useResident(residentId);
  if (resident.isLoading) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  if (resident.isError) {
    const isMissing = isApiError(resident.error) && resident.error.status === 404;
    return isMissing ? (
      <Result status="404" title={resident.error.message} extra={<Link to="/people">{t('people.backToList')}</Link>} />
    ) : (
      <Alert type="error" showIcon title={resident.error.message} />
    );
  }
  if (!resident.data) return null;
  return (
    <ResidentView resident={resident.data} canWrite={canWrite} canReveal={canReveal} canReadFiles={canReadFiles} />
  );
}

function ResidentView({
  resident,
  canWrite,
  canReveal,
  canReadFiles,
}: {
  resident: Resident;
  canWrite: boolean;
  canReveal: boolean;
  canReadFiles: boolean;
}) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<'edit' | 'leave' | null>(null);
  const [houseId, setHouseId] = useState<number | null>(null);
  const reveal = useRevealResident();
  const revealField = (field: 'idNumber' | 'phone') => (reason: string) =>
    reveal.mutateAsync({ id: resident.id, field, reason }).then((r) => r.value);
  const isActive = resident.status === 'active';
  const none = t('common.none');
  const canSeeDevices = useAccess().canSeeResidentDevices; // devices [E]

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="resident-detail">
      <Card size="small">
        <div className="linli-toolbar">
          <Space size="middle" wrap>
            <Link to="/people" aria-label={t('people.backToList')}>
              <ArrowLeftOutlined />
            </Link>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="resident-name">
              {resident.name}
            </Typography.Title>
            <Typography.Text type="secondary">
              {sexLabel(t, resident.sex)} · {t('people.ageYears', { age: resident.age })}
            </Typography.Text>
            <Tag color={isActive ? 'green' : 'default'}>{statusLabel(t, resident.status)}</Tag>
          </Space>
          {canWrite && isActive ? (
            <Space wrap>
              <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>
                {t('common.edit')}
              </Button>
              <Button danger icon={<LogoutOutlined />} onClick={() => setDialog('leave')}>
                {t('people.leave.action')}
              </Button>
            </Space>
          ) : null}
        </div>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <div className="linli-stack">
            <Card size="small" title={t('people.facts')}>
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2 }}
                items={[
                  { key: 'birthDate', label: t('people.birthDate'), children: resident.birthDate },
                  { key: 'ethnicity', label: t('people.ethnicity'), children: resident.ethnicity ?? none },
                  {
                    key: 'idNumber',
                    label: t('people.idNumber'),
                    span: 2,
                    children: canReveal ? (
                      <RevealValue
                        masked={resident.idMasked}
                        what={t('people.idNumber')}
                        data-testid="resident-id-number"
                        onReveal={revealField('idNumber')}
                      />
                    ) : (
                      <span className="linli-mono">{resident.idMasked}</span>
                    ),
                  },
                  {
                    key: 'phone',
                    label: t('people.phone'),
                    span: 2,
                    children:
                      resident.phoneMasked && canReveal ? (
                        <RevealValue
                          masked={resident.phoneMasked}
                          what={t('people.phone')}
                          data-testid="resident-phone"
                          onReveal={revealField('phone')}
                        />
                      ) : (
                        (resident.phoneMasked ?? none)
                      ),
                  },
                  { key: 'place', label: t('people.place'), span: 2, children: resident.place },
                  {
                    key: 'room',
                    label: t('people.room'),
                    children: resident.houseId ? (
                      <Typography.Link onClick={() => setHouseId(resident.houseId)}>{resident.roomNo}</Typography.Link>
                    ) : (
                      none
                    ),
                  },
                  { key: 'relation', label: t('people.relation'), children: relationLabel(t, resident.relation) },
                  { key: 'hukou', label: t('people.hukouAddress'), span: 2, children: resident.hukouAddress ?? none },
                  {
                    key: 'current',
                    label: t('people.currentAddress'),
                    span: 2,
                    children: resident.currentAddress ?? none,
                  },
                  { key: 'movedInOn', label: t('people.movedInOn'), children: resident.movedInOn ?? none },
                  // policies [A3]: 户籍类型 · 收入档次 · 残疾等级
                  ...policyFactItems(t, resident),
                  ...(resident.leftOn ? [{ key: 'leftOn', label: t('people.leftOn'), children: resident.leftOn }] : []),
                  { key: 'createdAt', label: t('people.createdAt'), children: formatTime(resident.createdAt) },
                  { key: 'updatedAt', label: t('people.updatedAt'), children: formatTime(resident.updatedAt) },
                ]}
              />
            </Card>
            <ResidentTagsCard resident={resident} canWrite={canWrite} />
            <ResidentContactsCard resident={resident} canWrite={canWrite && isActive} />
          </div>
        </Col>
        <Col xs={24} xl={10}>
          <div className="linli-stack">
            <HouseholdCard resident={resident} canWrite={canWrite} onOpenHouse={setHouseId} />
            {canReadFiles ? <ResidentFilesCard residentId={resident.id} canWrite={canWrite && isActive} /> : null}
          </div>
        </Col>
        {/* devices [E]: 设备与预警 */}
        {canSeeDevices ? (
          <Col xs={24}>
            <ResidentDevicesCard residentId={resident.id} />
          </Col>
        ) : null}
        <Col xs={24}>
          <Card size="small" title={t('people.history.title')}>
            <ResidentHistory history={resident.history} />
          </Card>
        </Col>
      </Row>
      {canWrite ? (
        <>
          <EditResidentModal resident={resident} open={dialog === 'edit'} onClose={() => setDialog(null)} />
          <LeaveModal resident={resident} open={dialog === 'leave'} onClose={() => setDialog(null)} />
        </>
      ) : null}
      <HouseDrawer houseId={houseId} canWrite={canWrite} onClose={() => setHouseId(null)} />
    </Space>
  );
}
