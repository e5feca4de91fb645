import { Alert, App, Button, Card, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../ui/api';
import { showFieldError, validValues } from '../../../ui/form-errors';
import type { Scheme, Selection, SelectionStatus } from '../assessment-types';
import {
  type SelectionAction,
  useRankings,
  useSchemes,
  useSelectionAction,
  useSelections,
} from '../hooks/use-assessment';
import { formatScore, periodLabel } from '../utils/assessment-format';
import { SchemePeriodPicker } from './scheme-period-picker';

export const STATUS_COLOURS: Record<SelectionStatus, string> = {
  proposed: 'default',
  nominated: 'blue',
  approved: 'green',
  declined: 'red',
  published: 'gold',
};
const STATUS_ORDER: SelectionStatus[] = ['proposed', 'nominated', 'approved', 'published', 'declined'];

/** The approved selections of one level (street), which a publish turns into the notice, grouped for a preview. */
export function publishGroups(
  items: readonly Selection[],
): { levelNodeId: number; levelNodeName: string; items: Selection[] }[] {
  const byLevel = new Map<number, { levelNodeId: number; levelNodeName: string; items: Selection[] }>();
  for (const s of items) {
    if (s.status !== 'approved') continue;
    const group = byLevel.get(s.levelNodeId) ?? {
      levelNodeId: s.levelNodeId,
      levelNodeName: s.levelNodeName,
      items: [],
    };
    group.items.push(s);
    byLevel.set(s.levelNodeId, group);
  }
  return [...byLevel.values()];
}

/** Selections in the order of their flow, best score first within a step. */
export function sortSelections(items: readonly Selection[]): Selection[] {
  return [...items].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      (b.score ?? -1) - (a.score ?? -1) ||
      a.id - b.id,
  );
}

type TextAsk = { kind: 'nominate' | 'decline'; selection: Selection } | null;

/** Asks for the citation (nominate) or the reason (decline) and sends it. */
function TextActionModal({ ask, onClose }: { ask: TextAsk; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text: string }>();
  const act = useSelectionAction();
  const submit = async () => {
    if (!ask) return;
    const values = await validValues(form);
    if (!values) return;
    const text = values.text.trim();
    const action: SelectionAction =
      ask.kind === 'nominate'
        ? { kind: 'nominate', id: ask.selection.id, citation: text, version: ask.selection.version }
        : { kind: 'decline', id: ask.selection.id, reason: text, version: ask.selection.version };
    try {
      await act.mutateAsync(action);
      message.success(t(ask.kind === 'nominate' ? 'assessment.nominated' : 'assessment.declined'));
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, [])) {
        form.setFields([{ name: 'text', errors: [isApiError(error) ? error.message : t('errors.unknown')] }]);
      }
    }
  };
  return (
    <Modal
      open={ask !== null}
      title={
        ask
          ? t(ask.kind === 'nominate' ? 'assessment.nominateTitle' : 'assessment.declineTitle', {
              name: ask.selection.subjectName,
            })
          : ''
      }
      confirmLoading={act.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ text: ask?.selection.citation ?? '' }}>
        <Form.Item
          name="text"
          label={t(ask?.kind === 'decline' ? 'assessment.declineReason' : 'assessment.citation')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('assessment.reasonHint') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="selection-text" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 推荐: a subject of the scheme's ranking for the quarter, nominated by hand with a citation. */
function AddModal({
  open,
  scheme,
  periodStart,
  onClose,
}: {
  open: boolean;
  scheme: Scheme | null;
  periodStart: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ subject: string; citation: string }>();
  const rankings = useRankings({ schemeId: open ? (scheme?.id ?? null) : null, periodStart, nodeId: null });
  const act = useSelectionAction();
  const options = (rankings.data?.groups ?? []).flatMap((g) =>
    g.subjects.map((r) => ({
      value: `${r.subjectKind}:${r.subjectId}`,
      label: `${r.name}（${g.groupName} · ${formatScore(r.total)}）`,
    })),
  );
  const submit = async () => {
    if (!scheme || !periodStart) return;
    const values = await validValues(form);
    if (!values) return;
    const [kind, id] = values.subject.split(':');
    try {
      await act.mutateAsync({
        kind: 'add',
        schemeId: scheme.id,
        periodStart,
        subjectKind: kind === 'user' ? 'user' : 'node',
        subjectId: Number(id),
        citation: values.citation.trim(),
      });
      message.success(t('assessment.nominated'));
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, ['citation'])) {
        form.setFields([{ name: 'subject', errors: [isApiError(error) ? error.message : t('errors.unknown')] }]);
      }
    }
  };
  return (
    <Modal
      open={open}
      title={t('assessment.addSelection')}
      confirmLoading={act.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="subject"
          label={t('assessment.subject')}
          rules={[{ required: true, message: t('common.selectRequired', { field: t('assessment.subject') }) }]}
        >
          <Select showSearch optionFilterProp="label" options={options} loading={rankings.isLoading} />
        </Form.Item>
        <Form.Item
          name="citation"
          label={t('assessment.citation')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('assessment.reasonHint') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** What the notice will say: the honours of one level and quarter, as the public page shows them. */
export function NoticePreview({ items, period }: { items: readonly Selection[]; period: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="notice-preview">
      <Typography.Title level={5} style={{ color: '#c0392b' }}>
        {t('assessment.noticeHeading', { period })}
      </Typography.Title>
      <ul>
        {items.map((s) => (
          <li key={s.id}>
            <b>{t(`assessment.honours.${s.honour}`)}</b>：{s.subjectName}
            {s.gridName && s.gridName !== s.subjectName ? `（${s.gridName}）` : ''}
            {s.citation ? ` — ${s.citation}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** 评优评先: proposals, nominations, approvals and the published notice of a quarter, with the steps the caller may take. */
export function SelectionsView({
  canManage,
  canApprove,
  initial,
}: {
  canManage: boolean;
  canApprove: boolean;
  /** A scheme and quarter to open with (from the address: ?scheme=&period=). */
  initial?: { schemeId: number | null; periodStart: string | null };
}) {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const schemes = useSchemes();
  const [schemeId, setSchemeId] = useState<number | null>(initial?.schemeId ?? null);
  const [periodStart, setPeriodStart] = useState<string | null>(initial?.periodStart ?? null);
  const [ask, setAsk] = useState<TextAsk>(null);
  const [adding, setAdding] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const onPick = useCallback((s: number | null, p: string | null) => {
    setSchemeId(s);
    setPeriodStart(p);
    setRefusal(null);
  }, []);
  const honoured = useMemo(() => (schemes.data?.items ?? []).filter((s) => s.honour !== null), [schemes.data]);
  const scheme = honoured.find((s) => s.id === schemeId) ?? null;
  const selections = useSelections({ schemeId, periodStart });
  const act = useSelectionAction();
  const items = sortSelections(selections.data?.items ?? []);
  const period = scheme && periodStart ? periodLabel(scheme.periodKind, periodStart, i18n.language) : '';

  const run = async (action: SelectionAction, done: string) => {
    setRefusal(null);
    try {
      await act.mutateAsync(action);
      message.success(done);
    } catch (error) {
      // the server names the level when the caller's post may not decide (ASSESSMENT_SELECTION_LEVEL)
      setRefusal(isApiError(error) ? error.message : t('errors.unknown'));
    }
  };

  const publish = (group: { levelNodeId: number; levelNodeName: string; items: Selection[] }) => {
    if (!scheme || !periodStart) return;
    modal.confirm({
      title: t('assessment.publishTitle', { level: group.levelNodeName }),
      width: 560,
      content: <NoticePreview items={group.items} period={period} />,
      okText: t('assessment.publish'),
      onOk: () =>
        run(
          { kind: 'publish', schemeId: scheme.id, periodStart, levelNodeId: group.levelNodeId },
          t('assessment.published'),
        ),
    });
  };

  const columns: ColumnsType<Selection> = [
    { title: t('assessment.honour'), key: 'honour', render: (_, s) => t(`assessment.honours.${s.honour}`) },
    { title: t('assessment.subject'), dataIndex: 'subjectName' },
    { title: t('assessment.place'), key: 'grid', render: (_, s) => s.gridName ?? '—' },
    { title: t('assessment.level'), dataIndex: 'levelNodeName' },
    { title: t('assessment.score'), key: 'score', align: 'right', render: (_, s) => formatScore(s.score) },
    {
      title: t('assessment.status'),
      key: 'status',
      render: (_, s) => <Tag color={STATUS_COLOURS[s.status]}>{t(`assessment.statuses.${s.status}`)}</Tag>,
    },
    {
      title: t('assessment.citation'),
      key: 'citation',
      render: (_, s) => (
        <>
          {s.citation ?? '—'}
          {s.decisionReason ? (
            <Typography.Text type="danger" style={{ display: 'block' }}>
              {t('assessment.declineReason')}：{s.decisionReason}
            </Typography.Text>
          ) : null}
        </>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, s) => (
        <Space size={4} wrap>
          {canManage && s.can.nominate ? (
            <Button size="small" onClick={() => setAsk({ kind: 'nominate', selection: s })}>
              {t(s.status === 'proposed' ? 'assessment.nominate' : 'assessment.editCitation')}
            </Button>
          ) : null}
          {canApprove && s.status === 'nominated' ? (
            <>
              <Button
                size="small"
                type={s.can.approve ? 'primary' : 'default'}
                title={s.can.approve ? undefined : t('assessment.notYourLevel', { level: s.levelNodeName })}
                onClick={() => run({ kind: 'approve', id: s.id, version: s.version }, t('assessment.approved'))}
              >
                {t('assessment.approve')}
              </Button>
              <Button size="small" danger onClick={() => setAsk({ kind: 'decline', selection: s })}>
                {t('assessment.decline')}
              </Button>
            </>
          ) : null}
        </Space>
      ),
    },
  ];

  const groups = publishGroups(items);
  const publishedLevels = [
    ...new Map(items.filter((s) => s.status === 'published').map((s) => [s.levelNodeId, s.levelNodeName])),
  ];

  return (
    <div data-testid="assessment-selections">
      <Space wrap style={{ marginBottom: 16 }}>
        <SchemePeriodPicker
          schemes={honoured}
          schemeId={schemeId}
          periodStart={periodStart}
          onChange={onPick}
          onlyKind="quarter"
          count={8}
        />
        {canManage && scheme && periodStart ? (
          <>
            <Button
              onClick={() => run({ kind: 'propose', schemeId: scheme.id, periodStart }, t('assessment.proposedDone'))}
              loading={act.isPending}
            >
              {t('assessment.propose')}
            </Button>
            <Button onClick={() => setAdding(true)}>{t('assessment.addSelection')}</Button>
          </>
        ) : null}
      </Space>
      {schemes.data && honoured.length === 0 ? <Empty description={t('assessment.noHonourSchemes')} /> : null}
      {refusal ? (
        <Alert
          type="error"
          showIcon
          closable
          message={refusal}
          onClose={() => setRefusal(null)}
          style={{ marginBottom: 16 }}
          data-testid="selection-refusal"
        />
      ) : null}
      {selections.isError ? <Alert type="error" showIcon message={selections.error.message} /> : null}
      {canApprove && groups.length > 0 ? (
        <Card size="small" title={t('assessment.toPublish')} style={{ marginBottom: 16 }}>
          <Space wrap>
            {groups.map((g) => (
              <Button key={g.levelNodeId} type="primary" onClick={() => publish(g)}>
                {t('assessment.publishAt', { level: g.levelNodeName, count: g.items.length })}
              </Button>
            ))}
          </Space>
        </Card>
      ) : null}
      {publishedLevels.length > 0 ? (
        <Space wrap style={{ marginBottom: 16 }}>
          {publishedLevels.map(([id, name]) => (
            <a key={id} href={`/notice/honours?node=${id}`} target="_blank" rel="noreferrer" data-testid="notice-link">
              {t('assessment.noticeLink', { level: name })}
            </a>
          ))}
        </Space>
      ) : null}
      <Table<Selection>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={items}
        columns={columns}
        locale={{ emptyText: t('assessment.noSelections') }}
      />
      <TextActionModal ask={ask} onClose={() => setAsk(null)} />
      <AddModal open={adding} scheme={scheme} periodStart={periodStart} onClose={() => setAdding(false)} />
    </div>
  );
}
