import {
  Button,
  ErrorBlock,
  Image,
  type ImageUploadItem,
  ImageViewer,
  List,
  Popup,
  Rate,
  SpinLoading,
  Steps,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { formatTime } from '../../ui/time';
import { placeText, StageTag, SupervisionTag } from './case-list';
import type { CaseDetail, CaseEvent } from './case-types';
import { GridMap } from './grid-map';
import { fileIdsOf, PhotoField } from './photo-field';
import { type PhoneAction, useCase, useCaseAction, useCommunityMap } from './use-phone-cases';

/** The actions the phone offers, in the order its buttons show; the rest (dispatch, whistle …) are the console's. */
const PHONE_ACTIONS: PhoneAction[] = ['accept', 'handle', 'note', 'escalate', 'return', 'verify', 'rate', 'reopen'];

/** A case on the phone: what and where, its photos, its timeline, and exactly the buttons the server allows. */
export function MobileCasePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const detail = useCase(id);
  if (detail.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (!detail.data) {
    return (
      <ErrorBlock status="empty" title={detail.error instanceof Error ? detail.error.message : t('errors.unknown')} />
    );
  }
  const c = detail.data;
  const actions = PHONE_ACTIONS.filter((a) => c.allowedActions.includes(a));
  const reportPhotos = c.timeline.find((e) => e.action === 'report')?.files ?? [];
  return (
    <div className="m-page" data-testid="m-case">
      <div className="m-case-head">
        <div className="m-case-title">
          <span data-testid="m-case-title">{c.title}</span>
          <StageTag summary={c} />
          <SupervisionTag summary={c} />
        </div>
        <div className="m-muted">
          {c.caseNo} · {c.categoryName}
        </div>
      </div>
      <List>
        <List.Item title={t('mobileCases.place')}>
          {placeText(c.place)}
          {c.place.address ? ` · ${c.place.address}` : ''}
          {c.place.lat !== null && c.place.lng !== null ? (
            <div className="m-muted">{`${c.place.lat.toFixed(5)}, ${c.place.lng.toFixed(5)}`}</div>
          ) : null}
        </List.Item>
        <CasePlaceMap detail={c} />
        {c.description ? <List.Item title={t('mobileCases.description')}>{c.description}</List.Item> : null}
        {reportPhotos.length > 0 ? (
          <List.Item title={t('mobileCases.photosShort')}>
            <Photos files={reportPhotos} testId="m-case-photos" />
          </List.Item>
        ) : null}
        {c.reporterName ? <List.Item title={t('mobileCases.reporter')}>{c.reporterName}</List.Item> : null}
        <List.Item title={t('mobileCases.reportedAt')}>{formatTime(c.createdAt)}</List.Item>
        {c.handlerName ? <List.Item title={t('mobileCases.handler')}>{c.handlerName}</List.Item> : null}
        {c.handleDueAt && c.stageType !== 'closed' && c.stageType !== 'fixed' ? (
          <List.Item title={t('mobileCases.handleDue')}>{formatTime(c.handleDueAt)}</List.Item>
        ) : null}
        {c.rating !== null ? (
          <List.Item title={t('mobileCases.rating')} data-testid="m-case-rating">
            <Rate readOnly value={c.rating} />
            {c.ratingComment ? <div>{c.ratingComment}</div> : null}
          </List.Item>
        ) : null}
      </List>
      {actions.length > 0 ? <CaseActions detail={c} actions={actions} /> : null}
      <List header={t('mobileCases.timeline')}>
        <List.Item>
          <Timeline events={c.timeline} />
        </List.Item>
      </List>
    </div>
  );
}

/** Where the case is on the grid map: its pin, or its building; nothing when the community has no map. */
function CasePlaceMap({ detail }: { detail: CaseDetail }) {
  const { place } = detail;
  const hasPoint = place.lat !== null && place.lng !== null;
  const map = useCommunityMap(place.communityId, place.communityId !== null);
  if (!map.data) return null;
  const building = map.data.buildings.find((b) => b.id === place.nodeId);
  if (!hasPoint && !building) return null;
  return (
    <List.Item>
      <GridMap
        map={map.data}
        value={
          hasPoint
            ? { kind: 'point', point: { lat: place.lat!, lng: place.lng! }, gridId: place.gridId }
            : { kind: 'building', id: building!.id }
        }
      />
    </List.Item>
  );
}

function Photos({ files, testId }: { files: CaseEvent['files']; testId?: string }) {
  const images = files.filter((f) => f.mime.startsWith('image/'));
  return (
    <div className="m-file-grid" data-testid={testId}>
      {images.map((f, i) => (
        <Image
          key={f.id}
          src={f.thumbUrl ?? f.url}
          width={72}
          height={72}
          fit="cover"
          alt={f.name}
          onClick={() => ImageViewer.Multi.show({ images: images.map((x) => x.url), defaultIndex: i })}
        />
      ))}
    </div>
  );
}

/** Newest first, each step with who, when, what they wrote and their photos. */
function Timeline({ events }: { events: CaseEvent[] }) {
  const { t } = useTranslation();
  const ordered = [...events].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id));
  return (
    <Steps direction="vertical" current={0} data-testid="m-timeline">
      {ordered.map((e, i) => (
        <Steps.Step
          key={e.id}
          status={i === 0 ? 'process' : 'finish'}
          title={
            <span data-testid="m-event" data-action={e.action}>
              {t(`mobileCases.events.${e.action}`, { defaultValue: e.action })}
              {e.actorName ? <span className="m-muted"> · {e.actorName}</span> : null}
            </span>
          }
          description={
            <div>
              <div className="m-muted">{formatTime(e.at)}</div>
              {e.note ? <div className="m-event-note">{e.note}</div> : null}
              {eventRating(e) ? <Rate readOnly value={eventRating(e)!} style={{ '--star-size': '14px' }} /> : null}
              {e.files.length > 0 ? <Photos files={e.files} /> : null}
            </div>
          }
        />
      ))}
    </Steps>
  );
}

const eventRating = (e: CaseEvent): number | null =>
  e.action === 'rate' && typeof e.data?.rating === 'number' ? e.data.rating : null;

type Form = { action: PhoneAction; passed?: boolean };

/** One button per allowed action; 接单 is one tap, the others open a short form. */
function CaseActions({ detail, actions }: { detail: CaseDetail; actions: PhoneAction[] }) {
  const { t } = useTranslation();
  const act = useCaseAction(detail.id);
  const [form, setForm] = useState<Form | null>(null);

  const accept = async () => {
    try {
      await act.mutateAsync({ action: 'accept', body: {} });
      Toast.show({ icon: 'success', content: t('mobileCases.done.accept') });
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
    }
  };
  const buttons = actions.flatMap((a) =>
    a === 'verify'
      ? [
          {
            key: 'verify-pass',
            label: t('mobileCases.actions.verifyPass'),
            primary: true,
            open: () => setForm({ action: a, passed: true }),
          },
          {
            key: 'verify-fail',
            label: t('mobileCases.actions.verifyFail'),
            primary: false,
            open: () => setForm({ action: a, passed: false }),
          },
        ]
      : [
          {
            key: a,
            label: t(`mobileCases.actions.${a}`),
            primary: a === 'accept' || a === 'handle' || a === 'rate',
            open: a === 'accept' ? accept : () => setForm({ action: a }),
          },
        ],
  );
  return (
    <div className="m-case-actions" data-testid="m-case-actions">
      {buttons.map((b) => (
        <Button
          key={b.key}
          color={b.primary ? 'primary' : 'default'}
          fill={b.primary ? 'solid' : 'outline'}
          loading={b.key === 'accept' && act.isPending}
          onClick={b.open}
          data-testid={`m-action-${b.key}`}
        >
          {b.label}
        </Button>
      ))}
      <Popup
        visible={form !== null}
        onMaskClick={() => setForm(null)}
        destroyOnClose
        bodyStyle={{ maxHeight: '85vh', overflowY: 'auto', borderTopLeftRadius: 8, borderTopRightRadius: 8 }}
      >
        {form ? <ActionForm detail={detail} form={form} onDone={() => setForm(null)} /> : null}
      </Popup>
    </div>
  );
}

/** What each form asks: a text (required from `min` characters), photos, a rating. */
const FORMS: Record<Exclude<PhoneAction, 'accept'>, { min: number; photos: boolean; rating?: boolean }> = {
  note: { min: 1, photos: true },
  handle: { min: 2, photos: true },
  escalate: { min: 2, photos: false },
  return: { min: 2, photos: false },
  reopen: { min: 2, photos: false },
  verify: { min: 0, photos: true },
  rate: { min: 0, photos: false, rating: true },
};

function ActionForm({ detail, form, onDone }: { detail: CaseDetail; form: Form; onDone: () => void }) {
  const { t } = useTranslation();
  const act = useCaseAction(detail.id);
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [isUploading, setUploading] = useState(false);
  const [rating, setRating] = useState<1 | 2 | 3 | 4 | 5>(5);
  const action = form.action as Exclude<PhoneAction, 'accept'>;
  const spec = FORMS[action];
  const key = action === 'verify' ? (form.passed ? 'verifyPass' : 'verifyFail') : action;
  const min = action === 'verify' && !form.passed ? 2 : spec.min;

  const submit = async () => {
    const value = text.trim();
    if (value.length < min) {
      Toast.show({ content: t('mobileCases.textTooShort', { min }) });
      return;
    }
    const fileIds = fileIdsOf(photos);
    const files = fileIds.length > 0 ? { fileIds } : {};
    try {
      if (action === 'note') await act.mutateAsync({ action, body: { note: value, ...files } });
      else if (action === 'handle') await act.mutateAsync({ action, body: { note: value, ...files } });
      else if (action === 'verify')
        await act.mutateAsync({
          action,
          body: { passed: Boolean(form.passed), ...(value ? { note: value } : {}), ...files },
        });
      else if (action === 'rate')
        await act.mutateAsync({ action, body: { rating, ...(value ? { comment: value } : {}) } });
      else await act.mutateAsync({ action, body: { reason: value } });
      Toast.show({ icon: 'success', content: t(`mobileCases.done.${key}`) });
      onDone();
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
    }
  };

  return (
    <div className="m-action-form" data-testid={`m-form-${key}`}>
      <div className="m-action-form-title">{t(`mobileCases.actions.${key}`)}</div>
      {spec.rating ? (
        <div className="m-rate">
          <Rate
            value={rating}
            onChange={(v) => setRating(Math.min(5, Math.max(1, Math.round(v))) as 1 | 2 | 3 | 4 | 5)}
            allowClear={false}
            data-testid="m-rate-stars"
          />
          <span className="m-muted">{t(`mobileCases.ratingLabels.${rating}`)}</span>
        </div>
      ) : null}
      <TextArea
        value={text}
        onChange={setText}
        placeholder={t(`mobileCases.placeholders.${key}`)}
        maxLength={action === 'rate' ? 500 : 2000}
        rows={3}
        showCount
        aria-label={t(`mobileCases.actions.${key}`)}
        data-testid="m-form-text"
      />
      {spec.photos ? (
        <PhotoField value={photos} onChange={setPhotos} onBusy={setUploading} testId="m-form-photos" />
      ) : null}
      <Button
        block
        color="primary"
        size="large"
        loading={act.isPending}
        disabled={isUploading}
        onClick={submit}
        data-testid="m-form-submit"
      >
        {isUploading ? t('mobileCases.uploading') : t('common.confirm')}
      </Button>
    </div>
  );
}
