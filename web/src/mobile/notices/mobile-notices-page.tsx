import { Badge, Button, Card, ErrorBlock, List, SpinLoading, Tag, Toast } from 'antd-mobile';
import { SoundOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { getAccess } from '../../access';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { NoticeBody } from '../../features/notices/components/notice-body';
import { useConfirmNotice, useMyNotice, useMyNotices } from '../../features/notices/use-notices';
import { formatTime } from '../../ui/time';

const failed = (e: unknown) => Toast.show({ icon: 'fail', content: e instanceof Error ? e.message : String(e) });

/** The home page's entry: a resident's notices, with the count still unread. */
export function MyNoticesEntry() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const has = me ? getAccess(me).hasResidentRecord : false;
  const list = useMyNotices(has);
  if (!has) return null;
  const unread = list.data?.unread ?? 0;
  const toConfirm = list.data?.unconfirmed ?? 0;
  return (
    <List.Item
      prefix={<SoundOutline className="m-entry-icon" />}
      extra={unread > 0 ? <Badge content={unread} /> : null}
      description={toConfirm > 0 ? `${t('notices.mobile.mustConfirm')} ${toConfirm}` : undefined}
      onClick={() => navigate('/m/notices')}
      data-testid="m-entry-notices"
    >
      {t('notices.mobile.title')}
    </List.Item>
  );
}

/** /m/notices: the published notices for the resident, newest first; unread and to-confirm marked. */
export function MobileNoticesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useMyNotices(true);
  if (list.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (list.isError) return <ErrorBlock status="default" description={list.error.message} />;
  const items = list.data?.items ?? [];
  return (
    <div className="m-page" data-testid="m-notices">
      <List header={t('notices.mobile.title')}>
        {items.length === 0 ? (
          <List.Item>{t('notices.mobile.empty')}</List.Item>
        ) : (
          items.map((n) => (
            <List.Item
              key={n.id}
              description={`${n.categoryLabel} · ${n.placeName} · ${formatTime(n.publishedAt)}`}
              extra={
                n.isImportant && !n.confirmedAt ? (
                  <Tag color="danger">{t('notices.mobile.mustConfirm')}</Tag>
                ) : n.readAt === null ? (
                  <Tag color="primary">{t('notices.mobile.unread')}</Tag>
                ) : null
              }
              onClick={() => navigate(`/m/notices/${n.id}`)}
              data-testid={`m-notice-${n.id}`}
            >
              <span style={{ fontWeight: n.readAt === null ? 600 : 400 }}>{n.title}</span>
            </List.Item>
          ))
        )}
      </List>
    </div>
  );
}

/** /m/notices/:id: the notice (opening it records it as read); an important one asks for 我已阅读并知晓. */
export function MobileNoticePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const noticeId = Number(id);
  const notice = useMyNotice(noticeId);
  const confirm = useConfirmNotice();
  if (notice.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (notice.isError) return <ErrorBlock status="default" description={notice.error.message} />;
  const n = notice.data!;
  return (
    <div className="m-page" data-testid="m-notice">
      <Card title={n.title}>
        <div style={{ color: '#888', fontSize: 13, marginBottom: 8 }}>
          {n.categoryLabel} · {n.placeName} · {formatTime(n.publishedAt)}
        </div>
        <NoticeBody html={n.body} testId="m-notice-body" />
        {n.files.filter((f) => f.kind === 'document').length > 0 ? (
          <List header={t('notices.mobile.files')}>
            {n.files
              .filter((f) => f.kind === 'document')
              .map((f) => (
                <List.Item key={f.id} onClick={() => window.open(f.url, '_blank', 'noopener')}>
                  {f.name}
                </List.Item>
              ))}
          </List>
        ) : null}
        {n.isImportant ? (
          n.confirmedAt ? (
            <p style={{ color: '#00b578' }} data-testid="m-notice-confirmed">
              {t('notices.mobile.confirmedAt', { time: formatTime(n.confirmedAt) })}
            </p>
          ) : (
            <Button
              block
              color="primary"
              style={{ marginTop: 16 }}
              loading={confirm.isPending}
              onClick={() =>
                confirm.mutate(noticeId, {
                  onSuccess: () => {
                    Toast.show({ icon: 'success', content: t('notices.mobile.confirmed') });
                    void notice.refetch();
                  },
                  onError: failed,
                })
              }
              data-testid="m-notice-confirm"
            >
              {t('notices.mobile.confirm')}
            </Button>
          )
        ) : null}
      </Card>
    </div>
  );
}
