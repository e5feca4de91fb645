import { Button, Card, ErrorBlock, Input, List, Popup, Space, SpinLoading, Tag, TextArea, Toast } from 'antd-mobile';
import { CheckCircleFill, CloseCircleFill, FileOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { getAccess } from '../../access';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import type { CandidateDetail, Explanation } from '../../features/policies/policy-types';
import {
  type CandidateAction,
  useCandidate,
  useCandidateAction,
  useCandidates,
} from '../../features/policies/use-policies';
import { actionsFor } from '../../features/policies/utils/candidates';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const failed = (e: unknown) => Toast.show({ icon: 'fail', content: e instanceof Error ? e.message : String(e) });

const STATUS_COLORS = {
  pending: 'warning',
  confirmed: 'primary',
  rejected: 'default',
  receiving: 'success',
  ended: 'default',
  lapsed: 'default',
} as const;

/** /m/policies: the worker's candidates still to verify (政策待办). */
export function MobilePoliciesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useCandidates({ status: 'pending', page: 1, pageSize: 50 });
  if (list.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (list.isError) return <ErrorBlock status="default" description={list.error.message} />;
  const items = list.data?.items ?? [];
  return (
    <div className="m-page" data-testid="m-policies">
      <List header={t('policiesUi.mobile.title')}>
        {items.length === 0 ? (
          <List.Item>{t('policiesUi.mobile.empty')}</List.Item>
        ) : (
          items.map((c) => (
            <List.Item
              key={c.id}
              description={`${c.policyName} · ${c.place}`}
              extra={<Tag color={STATUS_COLORS[c.status]}>{t(`policiesUi.candidateStatus.${c.status}`)}</Tag>}
              onClick={() => navigate(`/m/policies/candidates/${c.id}`)}
              data-testid={`m-candidate-${c.id}`}
            >
              {c.name}（{t(`sex.${c.sex}`)}，{c.age}）
            </List.Item>
          ))
        )}
      </List>
    </div>
  );
}

/** /m/policies/candidates/:id (the task's link): who, which policy, why, the notice, and the worker's decision. */
export function MobileCandidatePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id) || null;
  const candidate = useCandidate(id);
  if (candidate.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (candidate.isError || !candidate.data) {
    return <ErrorBlock status="empty" description={candidate.error?.message ?? t('policiesUi.candidates.notFound')} />;
  }
  return <MobileCandidateView candidate={candidate.data} />;
}

export function MobileCandidateView({ candidate: c }: { candidate: CandidateDetail }) {
  const { t } = useTranslation();
  const me = useSignedInUser();
  const canConfirm = Boolean(me && getAccess(me).canConfirmPolicies);
  return (
    <div className="m-page" data-testid="m-candidate">
      <List header={t('policiesUi.mobile.detail')}>
        <List.Item description={`${c.idMasked} · ${c.place}`}>
          {c.name}（{t(`sex.${c.sex}`)}，{c.age}）
        </List.Item>
        <List.Item description={`${t('policiesUi.candidates.legalRef')}：${c.legalRef}`}>{c.policyName}</List.Item>
        <List.Item extra={<Tag color={STATUS_COLORS[c.status]}>{t(`policiesUi.candidateStatus.${c.status}`)}</Tag>}>
          {t('policiesUi.candidates.status')}
        </List.Item>
      </List>
      <Card title={t('policiesUi.mobile.why')} style={{ margin: '12px 0' }}>
        <MobileExplanation explanation={c.explanation} />
      </Card>
      <Card title={t('policiesUi.candidates.residentText')} style={{ marginBottom: 12 }}>
        <div style={{ whiteSpace: 'pre-wrap' }} data-testid="m-resident-text">
          {c.residentText}
        </div>
      </Card>
      {canConfirm ? <MobileCandidateActions candidate={c} /> : null}
    </div>
  );
}

function MobileExplanation({ explanation }: { explanation: Explanation | null }) {
  const { t } = useTranslation();
  if (!explanation) return <span>{t('policiesUi.results.noExplanation')}</span>;
  return (
    <Space direction="vertical" data-testid="m-explanation">
      {explanation.met.map((c) => (
        <span key={`m${c.index}`}>
          <CheckCircleFill color="var(--adm-color-success)" /> {c.label}
          {c.valueText ? `（${c.valueText}）` : ''}
        </span>
      ))}
      {explanation.failed.map((c) => (
        <span key={`f${c.index}`} style={{ color: 'var(--adm-color-danger)' }}>
          <CloseCircleFill /> {c.label}
          {c.valueText ? `（${c.valueText}）` : ''}
        </span>
      ))}
    </Space>
  );
}

function MobileCandidateActions({ candidate }: { candidate: CandidateDetail }) {
  const { t } = useTranslation();
  const act = useCandidateAction();
  const [asking, setAsking] = useState<CandidateAction | null>(null);
  const [reason, setReason] = useState('');
  const [since, setSince] = useState(today());
  const actions = actionsFor(candidate.status);
  if (actions.length === 0) return null;
  const base = { id: candidate.id, version: candidate.version };
  const submit = async (action: CandidateAction) => {
    try {
      if (action === 'confirm') await act.mutateAsync({ ...base, action });
      else if (action === 'receiving') await act.mutateAsync({ ...base, action, since });
      else await act.mutateAsync({ ...base, action, reason });
      Toast.show({ icon: 'success', content: t('policiesUi.candidates.done') });
      setAsking(null);
      setReason('');
    } catch (e) {
      failed(e);
    }
  };
  return (
    <>
      <Space direction="vertical" block data-testid="m-candidate-actions">
        {actions.map((a) => (
          <Button
            key={a}
            block
            color={a === 'confirm' ? 'primary' : a === 'receiving' ? 'success' : 'danger'}
            fill={a === 'confirm' ? 'solid' : 'outline'}
            loading={act.isPending && asking === null && a === 'confirm'}
            onClick={() => (a === 'confirm' ? void submit(a) : setAsking(a))}
            data-testid={`m-candidate-${a}`}
          >
            {t(`policiesUi.candidates.${a}`)}
          </Button>
        ))}
      </Space>
      <Popup visible={asking !== null} onMaskClick={() => setAsking(null)} bodyStyle={{ padding: 16 }}>
        <Space direction="vertical" block>
          <strong>{asking ? t(`policiesUi.candidates.${asking}`) : ''}</strong>
          {asking === 'receiving' ? (
            <Input
              type="date"
              value={since}
              onChange={setSince}
              aria-label={t('policiesUi.candidates.since')}
              data-testid="m-candidate-since"
            />
          ) : (
            <TextArea
              placeholder={t('policiesUi.candidates.reason')}
              value={reason}
              onChange={setReason}
              maxLength={500}
              rows={3}
              data-testid="m-candidate-reason"
            />
          )}
          <Button
            block
            color="primary"
            loading={act.isPending}
            disabled={asking === 'receiving' ? !since : reason.trim() === ''}
            onClick={() => {
              if (asking) void submit(asking);
            }}
            data-testid="m-candidate-submit"
          >
            {t('policiesUi.common.save')}
          </Button>
        </Space>
      </Popup>
    </>
  );
}

/** The worker's phone home entry (政策待办), for those who verify candidates. */
export function PoliciesEntry() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  if (!me || !getAccess(me).canConfirmPolicies) return null;
  return (
    <List.Item
      prefix={<FileOutline className="m-entry-icon" />}
      description={t('policiesUi.mobile.entryHint')}
      onClick={() => navigate('/m/policies')}
      data-testid="m-entry-policies"
    >
      {t('policiesUi.mobile.entry')}
    </List.Item>
  );
}
