import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { DelibTopicDetail, DelibTopicSummary, DelibVoteView } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import {
  useAddDecision,
  useCloseTopic,
  useCloseVote,
  useCreateMeeting,
  useCreateTopic,
  useCreateVote,
  useDecideVerification,
  useDecisionCase,
  useMeeting,
  useMeetings,
  useModerate,
  useModerationQueue,
  useReviewTopic,
  useTopic,
  useTopics,
  useUpdateDecision,
  useUpdateMeeting,
  useVerifications,
} from '../use-deliberation';

const STATUS_COLOR: Record<string, string> = {
  pending: 'orange',
  open: 'green',
  closed: 'default',
  rejected: 'red',
  in_progress: 'blue',
  done: 'green',
  approved: 'green',
};

function useFail() {
  const { message } = App.useApp();
  return (e: unknown) => message.error(e instanceof Error ? e.message : String(e));
}

function VoteBlock({ vote, manage }: { vote: DelibVoteView; manage: boolean }) {
  const { t } = useTranslation();
  const close = useCloseVote();
  const fail = useFail();
  const r = vote.results;
  return (
    <Card
      size="small"
      title={vote.question}
      data-testid={`vote-${vote.id}`}
      extra={
        <Space>
          <Tag>{t(`deliberation.vote.rule.${vote.rule}`)}</Tag>
          <Tag>{t(`deliberation.vote.secrecy.${vote.secrecy}`)}</Tag>
          <Tag color={vote.over ? 'default' : 'green'}>
            {vote.over ? t('deliberation.vote.over') : t('deliberation.vote.open')}
          </Tag>
          {manage && vote.status === 'open' ? (
            <Button size="small" onClick={() => close.mutate(vote.id, { onError: fail })} data-testid="close-vote">
              {t('deliberation.vote.close')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <div>{t('deliberation.vote.deadline', { at: formatTime(vote.deadline) })}</div>
      {r ? (
        <>
          {r.counts.map((c) => (
            <div key={c.optionId}>
              {c.label}：{c.count}
              <Progress percent={r.turnout ? Math.round((c.count / r.turnout) * 100) : 0} size="small" />
            </div>
          ))}
          <div>
            {t('deliberation.vote.turnout', { turnout: r.turnout, eligible: r.eligible, required: r.required })} ·{' '}
            {r.quorumMet ? t('deliberation.vote.quorumMet') : t('deliberation.vote.quorumNotMet')}
          </div>
        </>
      ) : (
        <div>{t('deliberation.vote.secretHint')}</div>
      )}
    </Card>
  );
}

function NewVoteForm({ topicId, onDone }: { topicId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const create = useCreateVote();
  const fail = useFail();
  const [form] = Form.useForm();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ rule: 'per_household', secrecy: 'secret', quorumKind: 'share', quorumValue: 0.5 }}
      onFinish={(v: {
        question: string;
        options: string;
        rule: 'per_resident' | 'per_household';
        secrecy: 'secret' | 'open';
        quorumKind: 'share' | 'count';
        quorumValue: number;
        deadline: { toISOString(): string };
      }) =>
        create.mutate(
          {
            topicId,
            body: {
              question: v.question,
              options: v.options
                .split('\n')
                .map((o) => o.trim())
                .filter(Boolean),
              rule: v.rule,
              secrecy: v.secrecy,
              quorumKind: v.quorumKind,
              quorumValue: v.quorumValue,
              deadline: v.deadline.toISOString(),
            },
          },
          { onSuccess: onDone, onError: fail },
        )
      }
    >
      <Form.Item name="question" label={t('deliberation.vote.question')} rules={[{ required: true }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="options" label={t('deliberation.vote.options')} rules={[{ required: true }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="rule">
          <Select
            style={{ width: 160 }}
            options={(['per_household', 'per_resident'] as const).map((r) => ({
              value: r,
              label: t(`deliberation.vote.rule.${r}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="secrecy">
          <Select
            style={{ width: 120 }}
            options={(['secret', 'open'] as const).map((r) => ({
              value: r,
              label: t(`deliberation.vote.secrecy.${r}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="quorumKind">
          <Select
            style={{ width: 110 }}
            options={(['share', 'count'] as const).map((r) => ({
              value: r,
              label: t(`deliberation.vote.quorumKind.${r}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="quorumValue" label={t('deliberation.vote.quorumValue')}>
          <InputNumber min={0} step={0.1} />
        </Form.Item>
        <Form.Item name="deadline" rules={[{ required: true }]}>
          <DatePicker showTime />
        </Form.Item>
      </Space>
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t('deliberation.vote.create')}
      </Button>
    </Form>
  );
}

function TopicDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useTopic(id);
  const review = useReviewTopic();
  const close = useCloseTopic();
  const moderate = useModerate();
  const fail = useFail();
  const [outcome, setOutcome] = useState('');
  const [voting, setVoting] = useState(false);
  const tp: DelibTopicDetail | undefined = q.data;
  return (
    <Drawer open={id !== null} onClose={onClose} width={720} title={tp?.title ?? t('deliberation.topic.detail')}>
      {tp ? (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="topic-detail">
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t('deliberation.topic.status')}>
              <Tag color={STATUS_COLOR[tp.status]}>{t(`deliberation.topicStatus.${tp.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('deliberation.topic.place')}>{tp.nodeName}</Descriptions.Item>
            <Descriptions.Item label={t('deliberation.topic.author')}>
              {tp.authorName}（{t(`deliberation.origin.${tp.origin}`)}）
            </Descriptions.Item>
            <Descriptions.Item label={t('deliberation.topic.createdAt')}>{formatTime(tp.createdAt)}</Descriptions.Item>
          </Descriptions>
          <p style={{ whiteSpace: 'pre-wrap' }}>{tp.body}</p>
          {tp.outcome ? <p>{t('deliberation.topic.outcome', { outcome: tp.outcome })}</p> : null}
          {tp.can.manage && tp.status === 'pending' ? (
            <Space>
              <Button
                type="primary"
                onClick={() => review.mutate({ id: tp.id, decision: 'approve' }, { onError: fail })}
              >
                {t('deliberation.topic.approve')}
              </Button>
              <Button danger onClick={() => review.mutate({ id: tp.id, decision: 'reject' }, { onError: fail })}>
                {t('deliberation.topic.reject')}
              </Button>
            </Space>
          ) : null}
          {tp.votes.map((v) => (
            <VoteBlock key={v.id} vote={v} manage={tp.can.manage} />
          ))}
          {tp.can.manage && tp.status === 'open' ? (
            voting ? (
              <NewVoteForm topicId={tp.id} onDone={() => setVoting(false)} />
            ) : (
              <Space>
                <Button onClick={() => setVoting(true)}>{t('deliberation.vote.create')}</Button>
                <Input
                  placeholder={t('deliberation.topic.outcomeField')}
                  value={outcome}
                  onChange={(e) => setOutcome(e.target.value)}
                  style={{ width: 280 }}
                />
                <Button onClick={() => close.mutate({ id: tp.id, outcome: outcome || undefined }, { onError: fail })}>
                  {t('deliberation.topic.close')}
                </Button>
              </Space>
            )
          ) : null}
          <Card size="small" title={t('deliberation.proposal.title')}>
            {tp.proposals.length === 0 ? <Empty /> : null}
            {tp.proposals.map((p) => (
              <div key={p.id}>
                <b>{p.title}</b> · {p.authorName} · {t('deliberation.proposal.supports', { count: p.supports })}
                <div>{p.body}</div>
              </div>
            ))}
          </Card>
          <Card size="small" title={t('deliberation.comment.title', { count: tp.comments.length })}>
            <List
              dataSource={tp.comments}
              renderItem={(c) => (
                <List.Item
                  style={{ paddingLeft: c.parentId ? 24 : 0 }}
                  actions={
                    tp.can.manage
                      ? [
                          c.status === 'visible' ? (
                            <Button
                              type="link"
                              size="small"
                              key="h"
                              onClick={() => moderate.mutate({ id: c.id, action: 'hide' }, { onError: fail })}
                            >
                              {t('deliberation.moderation.hide')}
                            </Button>
                          ) : null,
                          c.status === 'hidden' ? (
                            <Button
                              type="link"
                              size="small"
                              key="r"
                              onClick={() => moderate.mutate({ id: c.id, action: 'restore' }, { onError: fail })}
                            >
                              {t('deliberation.moderation.restore')}
                            </Button>
                          ) : null,
                          c.status !== 'removed' ? (
                            <Button
                              type="link"
                              size="small"
                              key="x"
                              onClick={() => moderate.mutate({ id: c.id, action: 'remove' }, { onError: fail })}
                            >
                              {t('deliberation.moderation.remove')}
                            </Button>
                          ) : null,
                        ].filter(Boolean)
                      : []
                  }
                >
                  <List.Item.Meta
                    title={`${c.authorName} · ${formatTime(c.createdAt)}`}
                    description={
                      <>
                        {c.status !== 'visible' ? <Tag>{t(`deliberation.comment.${c.status}`)}</Tag> : null}
                        {c.body}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
          {tp.decisions.length > 0 ? (
            <Card size="small" title={t('deliberation.decision.published')}>
              {tp.decisions.map((d) => (
                <div key={d.id}>
                  <Tag color={STATUS_COLOR[d.status]}>{t(`deliberation.decision.status.${d.status}`)}</Tag>
                  {d.title} {d.outcome ? `— ${d.outcome}` : ''}
                </div>
              ))}
            </Card>
          ) : null}
        </Space>
      ) : null}
    </Drawer>
  );
}

function ModerationQueue() {
  const { t } = useTranslation();
  const q = useModerationQueue();
  const moderate = useModerate();
  const fail = useFail();
  return (
    <Table
      rowKey="id"
      size="small"
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      locale={{ emptyText: t('deliberation.moderation.empty') }}
      columns={[
        { title: t('deliberation.topic.title'), dataIndex: 'topicTitle' },
        { title: t('deliberation.topic.author'), dataIndex: 'authorName' },
        { title: t('deliberation.comment.title', { count: '' }), dataIndex: 'body' },
        {
          title: t('deliberation.topic.status'),
          render: (_, c) => (
            <Space>
              <Tag>{t(`deliberation.comment.${c.status === 'visible' ? 'report' : c.status}`)}</Tag>
              {t('deliberation.moderation.reports', { count: c.reports })}
            </Space>
          ),
        },
        {
          title: '',
          render: (_, c) => (
            <Space>
              {c.status === 'hidden' ? (
                <Button
                  size="small"
                  onClick={() => moderate.mutate({ id: c.id, action: 'restore' }, { onError: fail })}
                >
                  {t('deliberation.moderation.restore')}
                </Button>
              ) : (
                <Button size="small" onClick={() => moderate.mutate({ id: c.id, action: 'hide' }, { onError: fail })}>
                  {t('deliberation.moderation.hide')}
                </Button>
              )}
              <Button
                size="small"
                danger
                onClick={() => moderate.mutate({ id: c.id, action: 'remove' }, { onError: fail })}
              >
                {t('deliberation.moderation.remove')}
              </Button>
            </Space>
          ),
        },
      ]}
    />
  );
}

/** 议事协商 (/deliberation): topics of the area (`?id=` opens one), the moderation queue, a new topic. */
export function TopicsView({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<string | undefined>();
  const topics = useTopics(status);
  const create = useCreateTopic();
  const fail = useFail();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const openId = Number(params.get('id')) || null;
  const table = (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 140 }}
          value={status}
          onChange={setStatus}
          placeholder={t('deliberation.topic.status')}
          options={(['pending', 'open', 'closed', 'rejected'] as const).map((s) => ({
            value: s,
            label: t(`deliberation.topicStatus.${s}`),
          }))}
        />
        {canManage ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('deliberation.topic.create')}
          </Button>
        ) : null}
      </Space>
      <Table<DelibTopicSummary>
        rowKey="id"
        size="small"
        loading={topics.isLoading}
        dataSource={topics.data?.items ?? []}
        onRow={(r) => ({ onClick: () => setParams({ id: String(r.id) }), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('deliberation.topic.title'), dataIndex: 'title' },
          { title: t('deliberation.topic.place'), dataIndex: 'nodeName' },
          {
            title: t('deliberation.topic.status'),
            render: (_, r) => <Tag color={STATUS_COLOR[r.status]}>{t(`deliberation.topicStatus.${r.status}`)}</Tag>,
          },
          {
            title: t('deliberation.topic.author'),
            render: (_, r) => `${r.authorName}（${t(`deliberation.origin.${r.origin}`)}）`,
          },
          { title: t('deliberation.topic.votes'), dataIndex: 'votes' },
          { title: t('deliberation.topic.createdAt'), render: (_, r) => formatTime(r.createdAt) },
        ]}
      />
    </>
  );
  return (
    <Card title={t('menu.deliberation')} data-testid="deliberation-page">
      {canManage ? (
        <Tabs
          items={[
            { key: 'topics', label: t('deliberation.mobile.topics'), children: table },
            { key: 'moderation', label: t('deliberation.moderation.title'), children: <ModerationQueue /> },
          ]}
        />
      ) : (
        table
      )}
      <TopicDrawer id={openId} onClose={() => setParams({})} />
      <Modal
        open={creating}
        title={t('deliberation.topic.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v: { nodeId: number; title: string; body?: string }) =>
            create.mutate(v, {
              onSuccess: (tp) => {
                setCreating(false);
                form.resetFields();
                setParams({ id: String(tp.id) });
              },
              onError: fail,
            })
          }
        >
          <Form.Item name="nodeId" label={t('deliberation.topic.place')} rules={[{ required: true }]}>
            <NodeSearchSelect types={['community', 'village', 'grid', 'micro_grid', 'building']} />
          </Form.Item>
          <Form.Item name="title" label={t('deliberation.topic.title')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="body" label={t('deliberation.topic.body')}>
            <Input.TextArea rows={4} maxLength={4000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function MeetingDrawer({ id, canManage, onClose }: { id: number | null; canManage: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useMeeting(id);
  const save = useUpdateMeeting();
  const add = useAddDecision();
  const update = useUpdateDecision();
  const toCase = useDecisionCase();
  const fail = useFail();
  const [minutes, setMinutes] = useState<string | null>(null);
  const [decision, setDecision] = useState('');
  const m = q.data;
  return (
    <Drawer open={id !== null} onClose={onClose} width={720} title={m?.title}>
      {m ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t('deliberation.meeting.heldAt')}>{formatTime(m.heldAt)}</Descriptions.Item>
            <Descriptions.Item label={t('deliberation.meeting.place')}>{m.place ?? ''}</Descriptions.Item>
            <Descriptions.Item label={t('deliberation.topic.place')}>{m.nodeName}</Descriptions.Item>
            <Descriptions.Item label={t('deliberation.meeting.topic')}>{m.topicTitle ?? ''}</Descriptions.Item>
          </Descriptions>
          <Card size="small" title={t('deliberation.meeting.agenda')}>
            <div style={{ whiteSpace: 'pre-wrap' }}>{m.agenda}</div>
          </Card>
          <Card size="small" title={t('deliberation.meeting.attendance')}>
            {m.attendance.map((a) => (
              <Tag key={`${a.party}-${a.name}`} color={a.present ? 'green' : 'default'}>
                {t(`deliberation.meeting.party.${a.party}`)}：{a.name}（
                {a.present ? t('deliberation.meeting.present') : t('deliberation.meeting.absent')}）
              </Tag>
            ))}
          </Card>
          <Card size="small" title={t('deliberation.meeting.minutes')}>
            {canManage ? (
              <>
                <Input.TextArea rows={4} value={minutes ?? m.minutes} onChange={(e) => setMinutes(e.target.value)} />
                <Button
                  style={{ marginTop: 8 }}
                  onClick={() => save.mutate({ id: m.id, minutes: minutes ?? m.minutes }, { onError: fail })}
                >
                  {t('deliberation.meeting.save')}
                </Button>
              </>
            ) : (
              <div style={{ whiteSpace: 'pre-wrap' }}>{m.minutes}</div>
            )}
          </Card>
          <Card size="small" title={t('deliberation.meeting.decisions')}>
            {m.decisionList.map((d) => (
              <div key={d.id} style={{ padding: '4px 0' }}>
                <Tag color={STATUS_COLOR[d.status]}>{t(`deliberation.decision.status.${d.status}`)}</Tag>
                {d.title} {d.owner ? `（${d.owner}）` : ''} {d.caseNo ? <Tag>{d.caseNo}</Tag> : null}
                {d.outcome ? <div>{d.outcome}</div> : null}
                {canManage && d.status !== 'done' ? (
                  <Space>
                    {d.status === 'open' ? (
                      <Button
                        size="small"
                        onClick={() => update.mutate({ id: d.id, status: 'in_progress' }, { onError: fail })}
                      >
                        {t('deliberation.decision.start')}
                      </Button>
                    ) : null}
                    <Button
                      size="small"
                      onClick={() => {
                        let outcome = '';
                        Modal.confirm({
                          title: t('deliberation.decision.outcome'),
                          content: <Input.TextArea onChange={(e) => (outcome = e.target.value)} />,
                          onOk: () =>
                            update.mutateAsync({ id: d.id, status: 'done', outcome: outcome || undefined }).catch(fail),
                        });
                      }}
                    >
                      {t('deliberation.decision.done')}
                    </Button>
                    {d.caseId === null ? (
                      <Button
                        size="small"
                        onClick={() => {
                          let categoryId = 0;
                          let nodeId: number | undefined;
                          Modal.confirm({
                            title: t('deliberation.decision.openCase'),
                            content: (
                              <Space direction="vertical">
                                <InputNumber
                                  placeholder={t('deliberation.decision.category')}
                                  onChange={(v) => (categoryId = Number(v))}
                                />
                                <NodeSearchSelect
                                  types={['grid', 'micro_grid', 'building', 'unit']}
                                  onChange={(v) => (nodeId = v ?? undefined)}
                                  style={{ width: 260 }}
                                />
                              </Space>
                            ),
                            onOk: () => toCase.mutateAsync({ id: d.id, categoryId, nodeId }).catch(fail),
                          });
                        }}
                      >
                        {t('deliberation.decision.openCase')}
                      </Button>
                    ) : null}
                  </Space>
                ) : null}
              </div>
            ))}
            {canManage ? (
              <Space style={{ marginTop: 8 }}>
                <Input value={decision} onChange={(e) => setDecision(e.target.value)} style={{ width: 320 }} />
                <Button
                  disabled={!decision.trim()}
                  onClick={() =>
                    add.mutate(
                      { meetingId: m.id, title: decision.trim() },
                      { onSuccess: () => setDecision(''), onError: fail },
                    )
                  }
                >
                  {t('deliberation.decision.add')}
                </Button>
              </Space>
            ) : null}
          </Card>
        </Space>
      ) : null}
    </Drawer>
  );
}

/** 三方会议 (/deliberation/meetings): meetings of the area; `?id=` opens one. */
export function MeetingsView({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const meetings = useMeetings();
  const create = useCreateMeeting();
  const fail = useFail();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const openId = Number(params.get('id')) || null;
  const parties = ['committee', 'property', 'owners'] as const;
  return (
    <Card
      title={t('menu.meetings')}
      data-testid="meetings-page"
      extra={
        canManage ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('deliberation.meeting.create')}
          </Button>
        ) : null
      }
    >
      <Table
        rowKey="id"
        size="small"
        loading={meetings.isLoading}
        dataSource={meetings.data?.items ?? []}
        onRow={(r) => ({ onClick: () => setParams({ id: String(r.id) }), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('deliberation.topic.title'), dataIndex: 'title' },
          { title: t('deliberation.topic.place'), dataIndex: 'nodeName' },
          { title: t('deliberation.meeting.heldAt'), render: (_, r) => formatTime(r.heldAt) },
          { title: t('deliberation.meeting.topic'), dataIndex: 'topicTitle' },
          { title: t('deliberation.meeting.decisions'), render: (_, r) => `${r.decisionsDone} / ${r.decisions}` },
        ]}
      />
      <MeetingDrawer id={openId} canManage={canManage} onClose={() => setParams({})} />
      <Modal
        open={creating}
        title={t('deliberation.meeting.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v: {
            nodeId: number;
            title: string;
            heldAt: { toISOString(): string };
            place?: string;
            agenda?: string;
            names?: Record<string, string>;
          }) =>
            create.mutate(
              {
                nodeId: v.nodeId,
                title: v.title,
                heldAt: v.heldAt.toISOString(),
                ...(v.place ? { place: v.place } : {}),
                ...(v.agenda ? { agenda: v.agenda } : {}),
                attendance: parties
                  .filter((p) => v.names?.[p]?.trim())
                  .map((p) => ({ party: p, name: (v.names?.[p] ?? '').trim(), present: true })),
              },
              {
                onSuccess: (m) => {
                  setCreating(false);
                  form.resetFields();
                  setParams({ id: String(m.id) });
                },
                onError: fail,
              },
            )
          }
        >
          <Form.Item name="nodeId" label={t('deliberation.topic.place')} rules={[{ required: true }]}>
            <NodeSearchSelect types={['community', 'village', 'grid', 'micro_grid', 'building']} />
          </Form.Item>
          <Form.Item name="title" label={t('deliberation.topic.title')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="heldAt" label={t('deliberation.meeting.heldAt')} rules={[{ required: true }]}>
            <DatePicker showTime />
          </Form.Item>
          <Form.Item name="place" label={t('deliberation.meeting.place')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="agenda" label={t('deliberation.meeting.agenda')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          {parties.map((p) => (
            <Form.Item key={p} name={['names', p]} label={t(`deliberation.meeting.party.${p}`)}>
              <Input maxLength={60} />
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </Card>
  );
}

/** 居民认证 (/deliberation/verifications): requests to bind resident accounts to their records. */
export function VerificationsView() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'pending' | 'approved' | 'rejected'>('pending');
  const list = useVerifications(status);
  const decide = useDecideVerification();
  const fail = useFail();
  return (
    <Card title={t('menu.verifications')} data-testid="verifications-page">
      <Select
        style={{ width: 140, marginBottom: 12 }}
        value={status}
        onChange={setStatus}
        options={(['pending', 'approved', 'rejected'] as const).map((s) => ({
          value: s,
          label: t(`deliberation.verifications.status.${s}`),
        }))}
      />
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('deliberation.verifications.empty') }}
        columns={[
          { title: t('deliberation.verifications.resident'), dataIndex: 'residentName' },
          { title: t('deliberation.verifications.place'), dataIndex: 'place' },
          { title: t('deliberation.verifications.account'), dataIndex: 'accountName' },
          { title: t('deliberation.verifications.requestedAt'), render: (_, r) => formatTime(r.requestedAt) },
          {
            title: '',
            render: (_, r) =>
              r.status === 'pending' ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => decide.mutate({ id: r.id, decision: 'approve' }, { onError: fail })}
                  >
                    {t('deliberation.verifications.approve')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => decide.mutate({ id: r.id, decision: 'reject' }, { onError: fail })}
                  >
                    {t('deliberation.verifications.reject')}
                  </Button>
                </Space>
              ) : (
                <Tag color={STATUS_COLOR[r.status]}>{t(`deliberation.verifications.status.${r.status}`)}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}
