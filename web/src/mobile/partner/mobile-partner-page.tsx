import {
  Button,
  Card,
  Dialog,
  ErrorBlock,
  Form,
  type ImageUploadItem,
  Input,
  List,
  Popup,
  Selector,
  SpinLoading,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getAccess } from '../../access';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { ORG_KINDS, type PartnerClaim, type PartnerMe } from '../../features/partners/partner-types';
import {
  useAddDelivery,
  useApplyOrg,
  useClaimProject,
  useOpenProjects,
  usePartnerMe,
  useWithdrawClaim,
} from '../../features/partners/use-partners';
import { fileIdsOf, PhotoField } from '../cases/photo-field';
import { MobileHomePage } from '../mobile-home-page';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const failed = (e: unknown) => Toast.show({ icon: 'fail', content: e instanceof Error ? e.message : String(e) });

/** The application form (申请加入), when the account has no organisation applied for or approved. */
function ApplyForm({ nodes }: { nodes: PartnerMe['nodes'] }) {
  const { t } = useTranslation();
  const apply = useApplyOrg();
  const [kind, setKind] = useState<string>('social_org');
  const [nodeId, setNodeId] = useState<number | undefined>(nodes[0]?.id);
  const onFinish = async (v: Record<string, string>) => {
    if (nodeId === undefined) return;
    try {
      await apply.mutateAsync({
        name: v.name ?? '',
        kind: kind as (typeof ORG_KINDS)[number],
        creditCode: v.creditCode ?? '',
        contact: v.contact ?? '',
        phone: v.phone ?? '',
        ...(v.description ? { description: v.description } : {}),
        nodeId,
      });
      Toast.show({ icon: 'success', content: t('partners.applied') });
    } catch (e) {
      failed(e);
    }
  };
  return (
    <Form
      layout="vertical"
      onFinish={onFinish}
      data-testid="m-partner-apply"
      footer={
        <Button block type="submit" color="primary" loading={apply.isPending}>
          {t('partners.apply')}
        </Button>
      }
    >
      <Form.Header>{t('partners.applyTitle')}</Form.Header>
      <Form.Item name="name" label={t('partners.orgName')} rules={[{ required: true }]}>
        <Input maxLength={80} />
      </Form.Item>
      <Form.Item label={t('partners.kind')}>
        <Selector
          options={ORG_KINDS.map((k) => ({ value: k, label: t(`partners.kinds.${k}`) }))}
          value={[kind]}
          onChange={(v) => v[0] && setKind(v[0])}
        />
      </Form.Item>
      <Form.Item name="creditCode" label={t('partners.creditCode')} rules={[{ required: true, len: 18 }]}>
        <Input maxLength={18} placeholder="91xxxxxxxxxxxxxxxx" />
      </Form.Item>
      <Form.Item name="contact" label={t('partners.contact')} rules={[{ required: true }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="phone" label={t('partners.phone')} rules={[{ required: true }]}>
        <Input type="tel" maxLength={20} />
      </Form.Item>
      <Form.Item label={t('partners.area')}>
        <Selector
          options={nodes.map((n) => ({ value: String(n.id), label: n.name }))}
          value={nodeId === undefined ? [] : [String(nodeId)]}
          onChange={(v) => v[0] && setNodeId(Number(v[0]))}
        />
      </Form.Item>
      <Form.Item name="description" label={t('partners.description')}>
        <TextArea maxLength={1000} rows={3} />
      </Form.Item>
    </Form>
  );
}

/** Records a delivery of a claim: the day, what was done, people served, photos. */
function DeliveryPopup({ claim, onClose }: { claim: PartnerClaim | null; onClose: () => void }) {
  const { t } = useTranslation();
  const add = useAddDelivery();
  const [on, setOn] = useState(today());
  const [summary, setSummary] = useState('');
  const [people, setPeople] = useState('');
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [uploading, setUploading] = useState(false);
  const submit = async () => {
    if (!claim) return;
    try {
      await add.mutateAsync({
        claimId: claim.id,
        body: {
          deliveredOn: on,
          summary,
          ...(people ? { peopleServed: Number(people) } : {}),
          ...(photos.length ? { photos: fileIdsOf(photos) } : {}),
        },
      });
      Toast.show({ icon: 'success', content: t('partners.delivered') });
      setSummary('');
      setPeople('');
      setPhotos([]);
      onClose();
    } catch (e) {
      failed(e);
    }
  };
  return (
    <Popup
      visible={claim !== null}
      onMaskClick={onClose}
      bodyStyle={{ padding: 12, maxHeight: '90vh', overflow: 'auto' }}
    >
      <List header={claim ? `${t('partners.recordDelivery')} · ${claim.projectTitle}` : ''}>
        <List.Item title={t('partners.deliveredOn')}>
          <Input type="date" value={on} onChange={setOn} />
        </List.Item>
        <List.Item title={t('partners.summary')}>
          <TextArea value={summary} onChange={setSummary} maxLength={1000} rows={3} data-testid="m-delivery-summary" />
        </List.Item>
        <List.Item title={t('partners.peopleServed')}>
          <Input type="number" value={people} onChange={setPeople} />
        </List.Item>
        <List.Item title={t('partners.photos')}>
          <PhotoField value={photos} onChange={setPhotos} onBusy={setUploading} testId="m-delivery-photos" />
        </List.Item>
      </List>
      <Button
        block
        color="primary"
        disabled={!summary.trim() || uploading}
        loading={add.isPending}
        onClick={submit}
        data-testid="m-delivery-submit"
      >
        {t('partners.submit')}
      </Button>
    </Popup>
  );
}

/** 合伙人 on the phone (/m/partner): apply, status, open projects to claim, my claims and their deliveries. */
export function MobilePartnerPage() {
  const user = useSignedInUser();
  // the page is for partner accounts (partners.act); anyone else lands on the home page
  if (!user || !getAccess(user).canActAsPartner) return <MobileHomePage />;
  return <PartnerSide />;
}

function PartnerSide() {
  const { t } = useTranslation();
  const me = usePartnerMe();
  const active = me.data?.orgs.find((o) => o.status === 'approved' || o.status === 'applied') ?? null;
  const approved = active?.status === 'approved';
  const projects = useOpenProjects(approved);
  const claim = useClaimProject();
  const withdraw = useWithdrawClaim();
  const [delivering, setDelivering] = useState<PartnerClaim | null>(null);
  if (me.isLoading) return <SpinLoading />;
  if (me.isError) return <ErrorBlock status="default" description={me.error.message} />;
  const data = me.data!;
  const doClaim = async (id: number, title: string) => {
    let plan = '';
    const ok = await Dialog.confirm({
      title: `${t('partners.claim')} · ${title}`,
      content: <TextArea placeholder={t('partners.plan')} onChange={(v) => (plan = v)} rows={3} />,
    });
    if (!ok) return;
    try {
      await claim.mutateAsync({ id, ...(plan ? { plan } : {}) });
      Toast.show({ icon: 'success', content: t('partners.claimed') });
    } catch (e) {
      failed(e);
    }
  };
  return (
    <div className="m-page" data-testid="m-partner">
      {data.orgs.map((o) => (
        <Card key={o.id} title={o.name}>
          <Tag color={o.status === 'approved' ? 'success' : o.status === 'applied' ? 'primary' : 'danger'}>
            {t(`partners.orgStatus.${o.status}`)}
          </Tag>{' '}
          {o.nodeName} · {t('partners.pointsOf', { points: o.pointsBalance })}
          {o.reviewNote ? <div>{o.reviewNote}</div> : null}
        </Card>
      ))}
      {active === null ? <ApplyForm nodes={data.nodes} /> : null}
      {approved ? (
        <List header={t('partners.openProjects')} data-testid="m-partner-projects">
          {(projects.data?.items ?? []).map((p) => (
            <List.Item
              key={p.id}
              description={`${t(`partners.categories.${p.category}`, { defaultValue: p.category })} · ${p.nodeName}${
                p.rewardPoints ? ` · ${t('partners.pointsOf', { points: p.rewardPoints })}` : ''
              }`}
              extra={
                p.claimedByMe ? (
                  <Tag>{t('partners.claimedByMe')}</Tag>
                ) : p.full ? (
                  <Tag>{t('partners.full')}</Tag>
                ) : (
                  <Button size="small" color="primary" onClick={() => doClaim(p.id, p.title)}>
                    {t('partners.claim')}
                  </Button>
                )
              }
            >
              {p.title}
            </List.Item>
          ))}
          {projects.data?.items.length === 0 ? <List.Item>{t('partners.noProjects')}</List.Item> : null}
        </List>
      ) : null}
      {data.claims.length > 0 ? (
        <List header={t('partners.myClaims')} data-testid="m-partner-claims">
          {data.claims.map((c) => (
            <List.Item
              key={c.id}
              description={
                <>
                  {t(`partners.claimStatus.${c.status}`)}
                  {c.deliveries.map((d) => (
                    <div key={d.id}>
                      {d.deliveredOn} · {t(`partners.deliveryStatus.${d.status}`)} · {d.summary}
                    </div>
                  ))}
                </>
              }
              extra={
                <>
                  {c.can.deliver ? (
                    <Button size="mini" color="primary" onClick={() => setDelivering(c)}>
                      {t('partners.recordDelivery')}
                    </Button>
                  ) : null}
                  {c.can.withdraw ? (
                    <Button
                      size="mini"
                      onClick={async () => {
                        if (await Dialog.confirm({ content: t('partners.withdrawConfirm') })) {
                          withdraw.mutate(c.id, { onError: failed });
                        }
                      }}
                    >
                      {t('partners.withdraw')}
                    </Button>
                  ) : null}
                </>
              }
            >
              {c.projectTitle}
            </List.Item>
          ))}
        </List>
      ) : null}
      <DeliveryPopup claim={delivering} onClose={() => setDelivering(null)} />
    </div>
  );
}
