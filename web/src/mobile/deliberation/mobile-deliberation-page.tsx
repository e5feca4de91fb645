import {
  Button,
  Card,
  Dialog,
  ErrorBlock,
  Form,
  Input,
  List,
  ProgressBar,
  Radio,
  Space,
  SpinLoading,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { DelibTopicDetail, DelibVoteView } from '../../api-types';
import {
  useBallot,
  useComment,
  useDecideVerification,
  useMyTopic,
  useMyTopics,
  useMyVerification,
  usePropose,
  useReport,
  useRequestVerification,
  useSupport,
  useVerifications,
} from '../../features/deliberation/use-deliberation';
import { formatTime } from '../../ui/time';

const failed = (e: unknown) => Toast.show({ icon: 'fail', content: e instanceof Error ? e.message : String(e) });

const STATUS_COLOR = { pending: 'warning', open: 'success', closed: 'default', rejected: 'danger' } as const;

/** /m/deliberation: my verification and the topics above my house (议事协商). */
export function MobileDeliberationPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const topics = useMyTopics();
  const mine = useMyVerification();
  if (topics.isLoading || mine.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (topics.isError) return <ErrorBlock status="default" description={topics.error.message} />;
  const v = mine.data;
  return (
    <div className="m-page" data-testid="m-deliberation">
      <List header={t('deliberation.mobile.title')}>
        <List.Item
          onClick={() => navigate('/m/deliberation/verify')}
          description={v?.verified ? t('deliberation.verify.verifiedHint') : t('deliberation.verify.needHint')}
          extra={
            <Tag color={v?.verified ? 'success' : 'warning'} data-testid="m-verify-state">
              {v?.verified
                ? t('deliberation.verify.verified')
                : v?.request?.status === 'pending'
                  ? t('deliberation.verify.pending')
                  : t('deliberation.verify.notVerified')}
            </Tag>
          }
        >
          {t('deliberation.verify.title')}
        </List.Item>
      </List>
      <List header={t('deliberation.mobile.topics')}>
        {(topics.data?.items ?? []).length === 0 ? (
          <List.Item>{t('deliberation.mobile.empty')}</List.Item>
        ) : (
          topics.data!.items.map((tp) => (
            <List.Item
              key={tp.id}
              onClick={() => navigate(`/m/deliberation/topics/${tp.id}`)}
              description={`${tp.nodeName} · ${t('deliberation.mobile.counts', { comments: tp.comments, votes: tp.openVotes })}`}
              extra={<Tag color={STATUS_COLOR[tp.status]}>{t(`deliberation.topicStatus.${tp.status}`)}</Tag>}
              data-testid={`m-topic-${tp.id}`}
            >
              {tp.title}
            </List.Item>
          ))
        )}
      </List>
    </div>
  );
}

/** /m/deliberation/verify: ask to be bound to my record by ID number + phone. */
export function MobileVerifyPage() {
  const { t } = useTranslation();
  const mine = useMyVerification();
  const ask = useRequestVerification();
  const [idNumber, setIdNumber] = useState('');
  const [phone, setPhone] = useState('');
  if (mine.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  const v = mine.data;
  return (
    <div className="m-page" data-testid="m-verify">
      <Card title={t('deliberation.verify.title')}>
        {v?.verified ? (
          <p data-testid="m-verified">{t('deliberation.verify.verifiedHint')}</p>
        ) : v?.request?.status === 'pending' ? (
          <p>{t('deliberation.verify.pendingHint')}</p>
        ) : (
          <>
            {v?.request?.status === 'rejected' ? (
              <p>{t('deliberation.verify.rejected', { note: v.request.note ?? '' })}</p>
            ) : null}
            <p>{t('deliberation.verify.explain')}</p>
            <Form layout="vertical">
              <Form.Item label={t('deliberation.verify.idNumber')}>
                <Input value={idNumber} onChange={setIdNumber} maxLength={18} clearable />
              </Form.Item>
              <Form.Item label={t('deliberation.verify.phone')}>
                <Input value={phone} onChange={setPhone} type="tel" maxLength={11} clearable />
              </Form.Item>
            </Form>
            <Button
              block
              color="primary"
              loading={ask.isPending}
              disabled={!idNumber || !phone}
              onClick={() =>
                ask.mutate(
                  { idNumber, phone },
                  { onSuccess: () => Toast.show(t('deliberation.verify.sent')), onError: failed },
                )
              }
            >
              {t('deliberation.verify.submit')}
            </Button>
          </>
        )}
      </Card>
    </div>
  );
}

export function VoteCard({ vote, canVote }: { vote: DelibVoteView; canVote: boolean }) {
  const { t } = useTranslation();
  const ballot = useBallot();
  const [choice, setChoice] = useState<number | null>(null);
  const r = vote.results;
  return (
    <Card
      title={vote.question}
      extra={
        <Tag color={vote.over ? 'default' : 'success'}>
          {vote.over ? t('deliberation.vote.over') : t('deliberation.vote.open')}
        </Tag>
      }
      data-testid={`m-vote-${vote.id}`}
    >
      <div className="m-hint">
        {t(`deliberation.vote.rule.${vote.rule}`)} · {t(`deliberation.vote.secrecy.${vote.secrecy}`)} ·{' '}
        {t('deliberation.vote.deadline', { at: formatTime(vote.deadline) })}
      </div>
      {vote.myBallot.voted ? (
        <p data-testid="m-voted">{t('deliberation.vote.voted')}</p>
      ) : canVote && !vote.over ? (
        <Space direction="vertical" block>
          <Radio.Group value={choice} onChange={(v) => setChoice(Number(v))}>
            <Space direction="vertical">
              {vote.options.map((o) => (
                <Radio key={o.id} value={o.id}>
                  {o.label}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
          <Button
            color="primary"
            block
            disabled={choice === null}
            loading={ballot.isPending}
            data-testid="m-cast"
            onClick={() =>
              ballot.mutate(
                { voteId: vote.id, optionId: choice as number },
                {
                  onSuccess: () => Toast.show({ icon: 'success', content: t('deliberation.vote.thanks') }),
                  onError: failed,
                },
              )
            }
          >
            {t('deliberation.vote.cast')}
          </Button>
        </Space>
      ) : null}
      {r ? (
        <div data-testid="m-results">
          {r.counts.map((c) => (
            <div key={c.optionId} style={{ margin: '6px 0' }}>
              {c.label}：{c.count}
              <ProgressBar percent={r.turnout ? (c.count / r.turnout) * 100 : 0} />
            </div>
          ))}
          <div className="m-hint">
            {t('deliberation.vote.turnout', { turnout: r.turnout, eligible: r.eligible, required: r.required })} ·{' '}
            {r.quorumMet ? t('deliberation.vote.quorumMet') : t('deliberation.vote.quorumNotMet')}
          </div>
        </div>
      ) : (
        <div className="m-hint">{t('deliberation.vote.secretHint')}</div>
      )}
    </Card>
  );
}

function Discussion({ topic }: { topic: DelibTopicDetail }) {
  const { t } = useTranslation();
  const comment = useComment(topic.id);
  const report = useReport();
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<number | null>(null);
  const byParent = (pid: number | null) => topic.comments.filter((c) => c.parentId === pid);
  const render = (pid: number | null, depth: number): React.ReactNode =>
    byParent(pid).map((c) => (
      <div key={c.id} style={{ marginLeft: depth * 16, padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
        <div className="m-hint">
          {c.authorName} · {formatTime(c.createdAt)}
        </div>
        <div>{c.status === 'visible' ? c.body : t(`deliberation.comment.${c.status}`)}</div>
        {topic.can.take_part && c.status === 'visible' ? (
          <Space>
            <Button size="mini" fill="none" onClick={() => setReplyTo(c.id)}>
              {t('deliberation.comment.reply')}
            </Button>
            {!c.mine ? (
              <Button
                size="mini"
                fill="none"
                onClick={() =>
                  report.mutate(c.id, {
                    onSuccess: () => Toast.show(t('deliberation.comment.reported')),
                    onError: failed,
                  })
                }
              >
                {t('deliberation.comment.report')}
              </Button>
            ) : null}
          </Space>
        ) : null}
        {render(c.id, depth + 1)}
      </div>
    ));
  return (
    <Card title={t('deliberation.comment.title', { count: topic.comments.length })}>
      {render(null, 0)}
      {topic.can.take_part ? (
        <Space direction="vertical" block>
          {replyTo !== null ? <Tag onClick={() => setReplyTo(null)}>{t('deliberation.comment.replying')} ✕</Tag> : null}
          <TextArea
            value={text}
            onChange={setText}
            placeholder={t('deliberation.comment.placeholder')}
            rows={2}
            maxLength={1000}
          />
          <Button
            size="small"
            color="primary"
            disabled={!text.trim()}
            loading={comment.isPending}
            onClick={() =>
              comment.mutate(replyTo ? { body: text, parentId: replyTo } : { body: text }, {
                onSuccess: () => {
                  setText('');
                  setReplyTo(null);
                },
                onError: failed,
              })
            }
          >
            {t('deliberation.comment.send')}
          </Button>
        </Space>
      ) : null}
    </Card>
  );
}

/** /m/deliberation/topics/:id: the topic, its votes, proposals with supports, discussion and published decisions. */
export function MobileTopicPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id) || null;
  const q = useMyTopic(id);
  const support = useSupport();
  const propose = usePropose(id ?? 0);
  if (q.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (q.isError || !q.data) return <ErrorBlock status="empty" description={q.error?.message} />;
  const tp = q.data;
  return (
    <div className="m-page" data-testid="m-topic">
      <Card
        title={tp.title}
        extra={<Tag color={STATUS_COLOR[tp.status]}>{t(`deliberation.topicStatus.${tp.status}`)}</Tag>}
      >
        <div className="m-hint">
          {tp.nodeName} · {tp.authorName}
        </div>
        <p style={{ whiteSpace: 'pre-wrap' }}>{tp.body}</p>
        {tp.outcome ? <p data-testid="m-outcome">{t('deliberation.topic.outcome', { outcome: tp.outcome })}</p> : null}
        {!tp.can.take_part && tp.status === 'open' ? (
          <p className="m-hint">{t('deliberation.verify.needHint')}</p>
        ) : null}
      </Card>
      {tp.votes.map((v) => (
        <VoteCard key={v.id} vote={v} canVote={tp.can.take_part} />
      ))}
      <Card title={t('deliberation.proposal.title')}>
        {tp.proposals.map((p) => (
          <div key={p.id} style={{ padding: '6px 0' }}>
            <b>{p.title}</b>
            <div>{p.body}</div>
            <Space>
              <span className="m-hint">{t('deliberation.proposal.supports', { count: p.supports })}</span>
              {tp.can.take_part && !p.supportedByMe ? (
                <Button
                  size="mini"
                  color="primary"
                  fill="outline"
                  onClick={() => support.mutate(p.id, { onError: failed })}
                >
                  {t('deliberation.proposal.support')}
                </Button>
              ) : p.supportedByMe ? (
                <Tag color="success">{t('deliberation.proposal.supported')}</Tag>
              ) : null}
            </Space>
          </div>
        ))}
        {tp.can.take_part ? (
          <Button
            size="small"
            onClick={async () => {
              let title = '';
              const ok = await Dialog.confirm({
                title: t('deliberation.proposal.new'),
                content: <Input placeholder={t('deliberation.proposal.titleField')} onChange={(v) => (title = v)} />,
              });
              if (ok && title.trim()) propose.mutate({ title: title.trim() }, { onError: failed });
            }}
          >
            {t('deliberation.proposal.new')}
          </Button>
        ) : null}
      </Card>
      <Discussion topic={tp} />
      {tp.decisions.length > 0 ? (
        <List header={t('deliberation.decision.published')}>
          {tp.decisions.map((d) => (
            <List.Item
              key={d.id}
              description={d.outcome ?? d.meetingTitle}
              extra={<Tag>{t(`deliberation.decision.status.${d.status}`)}</Tag>}
            >
              {d.title}
            </List.Item>
          ))}
        </List>
      ) : null}
    </div>
  );
}

/** /m/deliberation/verifications(/:id): a building leader's or grid worker's requests to decide. */
export function MobileVerificationsPage() {
  const { t } = useTranslation();
  const list = useVerifications('pending');
  const decide = useDecideVerification();
  if (list.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (list.isError) return <ErrorBlock status="default" description={list.error.message} />;
  return (
    <div className="m-page" data-testid="m-verifications">
      <List header={t('deliberation.verifications.title')}>
        {(list.data?.items ?? []).length === 0 ? <List.Item>{t('deliberation.verifications.empty')}</List.Item> : null}
        {(list.data?.items ?? []).map((v) => (
          <List.Item key={v.id} description={`${v.place} · ${v.accountName}`}>
            {v.residentName}
            <Space style={{ marginTop: 6 }}>
              <Button
                size="mini"
                color="primary"
                onClick={() => decide.mutate({ id: v.id, decision: 'approve' }, { onError: failed })}
              >
                {t('deliberation.verifications.approve')}
              </Button>
              <Button size="mini" onClick={() => decide.mutate({ id: v.id, decision: 'reject' }, { onError: failed })}>
                {t('deliberation.verifications.reject')}
              </Button>
            </Space>
          </List.Item>
        ))}
      </List>
    </div>
  );
}
