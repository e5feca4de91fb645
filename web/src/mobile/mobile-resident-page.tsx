import {
  Button,
  Dialog,
  ErrorBlock,
  Image,
  ImageViewer,
  List,
  Selector,
  SpinLoading,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { PhoneFill } from 'antd-mobile-icons';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { acceptableReason, REASON_PURPOSES } from '../../../server/src/platform/audit/reason.logic';
import { getAccess } from '../access';
import type { ResidentDetail } from '../api-types';
import { useSignedInUser } from '../features/auth/hooks/use-access';
import { useResident, useRevealResident } from '../features/people/hooks/use-people';
import { FILES_PER_UPLOAD, useAddResidentFiles, useResidentFiles } from '../features/people/hooks/use-resident-files';
import { relationLabel, sexLabel, statusLabel } from '../features/people/utils/labels';
import { tagColor } from '../features/people/utils/tag-style';
import { VisitHouseholdItem } from './visits/visits-entry';

/** One resident on the phone: facts, household, tags, contacts, and a call after saying why. */
export function MobileResidentPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const resident = useResident(Number.isInteger(id) && id > 0 ? id : null);
  if (resident.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (!resident.data) {
    return <ErrorBlock status="empty" title={resident.error?.message ?? t('common.notFound')} description="" />;
  }
  return <ResidentView resident={resident.data} />;
}

function ResidentView({ resident }: { resident: ResidentDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  const canReveal = access?.canRevealResidentPii ?? false;
  const none = t('common.none');
  const members = resident.household?.members.filter((m) => m.id !== resident.id) ?? [];

  return (
    <div className="m-page" data-testid="m-resident">
      <div className="m-profile">
        <div className="m-avatar" aria-hidden="true">
          {resident.name.slice(0, 1)}
        </div>
        <div>
          <div className="m-profile-name" data-testid="m-resident-name">
            {resident.name}
          </div>
          <div className="m-profile-sub">
            {sexLabel(t, resident.sex)} · {t('people.ageYears', { age: resident.age })} ·{' '}
            {statusLabel(t, resident.status)}
          </div>
        </div>
      </div>
      {resident.phoneMasked && canReveal && resident.status === 'active' ? <CallAction resident={resident} /> : null}
      <List header={t('people.facts')}>
        <List.Item extra={<span className="m-mono">{resident.idMasked}</span>}>{t('people.idNumber')}</List.Item>
        <List.Item extra={<span className="m-mono">{resident.phoneMasked ?? none}</span>}>
          {t('people.phone')}
        </List.Item>
        <List.Item extra={resident.roomNo ?? none}>{t('people.room')}</List.Item>
        <List.Item extra={relationLabel(t, resident.relation)}>{t('people.relation')}</List.Item>
        <List.Item description={resident.place}>{t('people.place')}</List.Item>
        <List.Item description={resident.currentAddress ?? none}>{t('people.currentAddress')}</List.Item>
      </List>
      <List header={t('people.tags')}>
        <List.Item>
          {resident.tags.length === 0 ? (
            <span className="m-muted">{t('people.noTags')}</span>
          ) : (
            <span className="m-tags m-tags-wrap">
              {resident.tags.map((tag) => (
                <Tag key={tag.id} fill="outline" color={tagColor(tag.code).hex}>
                  {tag.name}
                </Tag>
              ))}
            </span>
          )}
        </List.Item>
      </List>
      <List header={t('people.household')}>
        {resident.status === 'active' ? (
          <VisitHouseholdItem
            residentId={resident.id}
            householdId={resident.household?.id ?? null}
            label={`${resident.name} · ${resident.household?.place ?? resident.place}`}
          />
        ) : null}
        {members.length === 0 ? <List.Item>{t('mobile.livesAlone')}</List.Item> : null}
        {members.map((m) => (
          <List.Item
            key={m.id}
            onClick={() => navigate(`/m/residents/${m.id}`)}
            extra={`${sexLabel(t, m.sex)} · ${t('people.ageYears', { age: m.age })}`}
            description={relationLabel(t, m.relation)}
          >
            {m.name}
          </List.Item>
        ))}
      </List>
      <List header={t('people.contacts')}>
        {resident.contacts.length === 0 ? <List.Item>{t('people.noContacts')}</List.Item> : null}
        {resident.contacts.map((c) => (
          <List.Item key={c.id} description={c.relation} extra={<span className="m-mono">{c.phoneMasked}</span>}>
            {c.name}
          </List.Item>
        ))}
      </List>
      {access?.canReadResidentFiles ? (
        <ResidentFiles residentId={resident.id} canWrite={access.canWritePeople && resident.status === 'active'} />
      ) : null}
    </div>
  );
}

/**
 * Documents and photos of the resident: thumbnails that open full size, and photos taken or chosen on the phone,
 * shrunk to a 2048 px JPEG before they are sent (an iPhone's HEIC becomes JPEG on the way).
 */
function ResidentFiles({ residentId, canWrite }: { residentId: number; canWrite: boolean }) {
  const { t } = useTranslation();
  const files = useResidentFiles(residentId);
  const add = useAddResidentFiles(residentId);
  const input = useRef<HTMLInputElement>(null);
  const images = (files.data ?? []).filter((f) => f.thumbUrl !== null);
  const documents = (files.data ?? []).filter((f) => f.thumbUrl === null);

  const choose = (list: FileList | null) => {
    const chosen = [...(list ?? [])];
    if (input.current) input.current.value = '';
    if (chosen.length === 0) return;
    if (chosen.length > FILES_PER_UPLOAD) {
      Toast.show({ content: t('files.tooMany', { limit: FILES_PER_UPLOAD }) });
      return;
    }
    Toast.show({ icon: 'loading', content: t('files.uploading'), duration: 0 });
    add.mutateAsync(chosen).then(
      (r) => Toast.show({ icon: 'success', content: t('files.uploaded', { count: r.items.length }) }),
      (error: unknown) =>
        Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') }),
    );
  };

  return (
    <List header={t('files.title')} data-testid="m-resident-files">
      {files.isLoading ? (
        <List.Item>
          <SpinLoading />
        </List.Item>
      ) : null}
      {!files.isLoading && (files.data ?? []).length === 0 ? <List.Item>{t('files.none')}</List.Item> : null}
      {images.length > 0 ? (
        <List.Item>
          <div className="m-file-grid">
            {images.map((f, i) => (
              <Image
                key={f.id}
                src={f.thumbUrl!}
                width={80}
                height={80}
                fit="cover"
                alt={f.name}
                onClick={() => ImageViewer.Multi.show({ images: images.map((x) => x.url), defaultIndex: i })}
              />
            ))}
          </div>
        </List.Item>
      ) : null}
      {documents.map((f) => (
        <List.Item key={f.id} onClick={() => window.open(f.url, '_blank', 'noopener')}>
          {f.name}
        </List.Item>
      ))}
      {canWrite ? (
        <List.Item>
          <input
            ref={input}
            type="file"
            accept="image/*"
            multiple
            hidden
            data-testid="m-file-input"
            onChange={(e) => choose(e.target.files)}
          />
          <Button block color="primary" fill="outline" loading={add.isPending} onClick={() => input.current?.click()}>
            {t('files.addPhoto')}
          </Button>
        </List.Item>
      ) : null}
    </List>
  );
}

/** Calling needs the full number: asked for with a reason (audited), then offered as a tel: link. */
function CallAction({ resident }: { resident: ResidentDetail }) {
  const { t } = useTranslation();
  const reveal = useRevealResident();
  const [isAsking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [phone, setPhone] = useState<string | null>(null);

  const submit = async () => {
    const stated = acceptableReason(reason);
    if (stated === null) {
      Toast.show({ content: t('pii.reasonTooShort') });
      return;
    }
    try {
      const { value } = await reveal.mutateAsync({ id: resident.id, field: 'phone', reason: stated });
      setPhone(value);
      setAsking(false);
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
    }
  };

  return (
    <div className="m-actions m-call">
      {phone ? (
        <a className="m-call-link" href={`tel:${phone.replace(/[^\d+]/g, '')}`} data-testid="m-call-link">
          <PhoneFill /> {t('mobile.callNumber', { phone })}
        </a>
      ) : (
        <Button block color="primary" size="large" onClick={() => setAsking(true)} data-testid="m-call">
          <PhoneFill /> {t('mobile.call')}
        </Button>
      )}
      <Dialog
        visible={isAsking}
        title={t('mobile.callTitle')}
        content={
          <div>
            <p className="m-muted">{t('pii.reasonHelp')}</p>
            <Selector
              columns={2}
              options={REASON_PURPOSES.map((p) => ({ label: t(`pii.purposes.${p}`), value: t(`pii.purposes.${p}`) }))}
              value={[reason.trim()]}
              onChange={(v) => setReason(v[0] ?? '')}
              data-testid="m-reason-purposes"
            />
            <TextArea
              value={reason}
              onChange={setReason}
              placeholder={t('mobile.callReasonPlaceholder')}
              maxLength={200}
              rows={3}
              showCount
              aria-label={t('pii.reason')}
            />
          </div>
        }
        closeOnAction={false}
        onClose={() => setAsking(false)}
        actions={[
          [
            { key: 'cancel', text: t('common.cancel'), onClick: () => setAsking(false) },
            { key: 'ok', text: t('common.confirm'), bold: true, disabled: reveal.isPending, onClick: submit },
          ],
        ]}
      />
    </div>
  );
}
