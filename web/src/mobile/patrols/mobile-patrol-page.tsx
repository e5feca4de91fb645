import {
  Button,
  Card,
  Dialog,
  ErrorBlock,
  type ImageUploadItem,
  List,
  Popup,
  SpinLoading,
  Switch,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { EditSOutline, SearchOutline } from 'antd-mobile-icons';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { PatrolDetail } from '../../api-types';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import {
  addTrackPoint,
  durationText,
  minutesSince,
  newClientId,
  readTrack,
  type TrackPoint,
  trackStorageKey,
} from '../../features/patrols/patrol-logic';
import {
  useAddFinding,
  useCurrentPatrol,
  useEndPatrol,
  useFindingCase,
  useStartPatrol,
} from '../../features/patrols/use-patrols';
import { currentLanguage } from '../../i18n';
import { caseAccess } from '../cases/case-access';
import type { CaseCategory } from '../cases/case-types';
import { fileIdsOf, PhotoField } from '../cases/photo-field';
import { useCaseCategories } from '../cases/use-phone-cases';

const HINT = { color: 'var(--adm-color-weak)', fontSize: 13, marginTop: 8 } as const;

const message = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback);

/**
 * 巡查 on the phone: start a patrol in one tap, record findings (a few words, photos, optionally reported as a case
 * at once), end it with a note. While the page is open and location is allowed, a point is sampled about every 30 s
 * and kept on the phone (localStorage) until the end sends the track. The quick case report stays one tap away.
 */
export function MobilePatrolPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const current = useCurrentPatrol();
  const start = useStartPatrol();

  if (current.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (current.isError) return <ErrorBlock status="default" title={message(current.error, t('errors.unknown'))} />;
  const patrol = current.data ?? null;

  const quickReport = caseAccess(me).canHandle ? (
    <List>
      <List.Item
        prefix={<EditSOutline className="m-entry-icon" />}
        description={t('patrols.quickReportHint')}
        onClick={() => navigate('/m/patrol/report')}
        data-testid="m-patrol-quick-report"
      >
        {t('patrols.quickReport')}
      </List.Item>
    </List>
  ) : null;

  if (!patrol) {
    const onStart = async () => {
      try {
        await start.mutateAsync({ clientId: newClientId() });
      } catch (error) {
        Toast.show({ icon: 'fail', content: message(error, t('errors.unknown')) });
      }
    };
    return (
      <div className="m-page" data-testid="m-patrol">
        <div className="m-actions">
          <Button
            block
            color="primary"
            size="large"
            loading={start.isPending}
            onClick={onStart}
            data-testid="m-patrol-start"
          >
            <SearchOutline /> {t('patrols.start')}
          </Button>
          <p style={HINT}>{t('patrols.startHint')}</p>
        </div>
        {quickReport}
      </div>
    );
  }
  return (
    <div className="m-page" data-testid="m-patrol">
      <ActivePatrol patrol={patrol} />
      {quickReport}
    </div>
  );
}

/** Samples the position about every 30 s while mounted; the track lives in localStorage under the patrol's id. */
function useTrack(patrolId: number): { track: TrackPoint[]; allowed: boolean } {
  const [track, setTrack] = useState<TrackPoint[]>(() => readTrack(window.localStorage, patrolId));
  const [allowed, setAllowed] = useState(true);
  useEffect(() => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      setAllowed(false);
      return;
    }
    const take = () =>
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          setAllowed(true);
          setTrack((prev) => {
            const next = addTrackPoint(prev, [pos.coords.latitude, pos.coords.longitude, Date.now()]);
            window.localStorage.setItem(trackStorageKey(patrolId), JSON.stringify(next));
            return next;
          });
        },
        () => setAllowed(false),
        { enableHighAccuracy: true, maximumAge: 10_000, timeout: 20_000 },
      );
    take();
    const timer = window.setInterval(take, 30_000);
    return () => window.clearInterval(timer);
  }, [patrolId]);
  return { track, allowed };
}

function ActivePatrol({ patrol }: { patrol: PatrolDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { track, allowed } = useTrack(patrol.id);
  const end = useEndPatrol();
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState(false);
  const [note, setNote] = useState('');
  const [caseFor, setCaseFor] = useState<number | null>(null);
  const findingCase = useFindingCase();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  const last = track[track.length - 1] ?? null;

  const onEnd = async () => {
    try {
      await end.mutateAsync({
        id: patrol.id,
        body: { ...(note.trim() ? { note: note.trim() } : {}), ...(track.length > 0 ? { track } : {}) },
      });
      window.localStorage.removeItem(trackStorageKey(patrol.id));
      setEnding(false);
      Toast.show({ icon: 'success', content: t('patrols.endedToast') });
    } catch (error) {
      Toast.show({ icon: 'fail', content: message(error, t('errors.unknown')) });
    }
  };
  const onCase = async (category: CaseCategory) => {
    if (caseFor === null) return;
    try {
      const f = await findingCase.mutateAsync({ findingId: caseFor, body: { categoryId: category.id } });
      setCaseFor(null);
      Toast.show({ icon: 'success', content: t('patrols.caseOpened', { no: f.caseNo ?? '' }) });
    } catch (error) {
      Toast.show({ icon: 'fail', content: message(error, t('errors.unknown')) });
    }
  };

  return (
    <>
      <Card title={t('patrols.underWay', { place: patrol.placeLabel })} data-testid="m-patrol-active">
        <div>
          {t('patrols.elapsed', {
            duration: durationText(minutesSince(patrol.startedAt, now), currentLanguage()),
            count: patrol.items.length,
          })}
        </div>
        <div style={HINT} data-testid="m-patrol-gps">
          {allowed ? t('patrols.gpsOn', { count: track.length }) : t('patrols.gpsOff')}
        </div>
      </Card>
      <div className="m-actions">
        <Button block color="primary" size="large" onClick={() => setAdding(true)} data-testid="m-finding-add">
          {t('patrols.addFinding')}
        </Button>
      </div>
      {patrol.items.length > 0 ? (
        <List header={t('patrols.findings')} data-testid="m-findings">
          {patrol.items.map((f) => (
            <List.Item
              key={f.id}
              description={`${new Date(f.foundAt).toLocaleTimeString()}${f.files.length ? ` · ${t('patrols.photos')} ${f.files.length}` : ''}`}
              extra={
                f.caseId !== null ? (
                  <Tag color="primary" onClick={() => navigate(`/m/cases/${f.caseId}`)}>
                    {t('patrols.caseLink', { no: f.caseNo ?? '' })}
                  </Tag>
                ) : (
                  <Button size="mini" onClick={() => setCaseFor(f.id)} data-testid={`m-finding-case-${f.id}`}>
                    {t('patrols.reportAsCase')}
                  </Button>
                )
              }
              data-testid={`m-finding-${f.id}`}
            >
              {f.description}
            </List.Item>
          ))}
        </List>
      ) : null}
      <div className="m-actions">
        <Button block color="danger" fill="outline" onClick={() => setEnding(true)} data-testid="m-patrol-end">
          {t('patrols.end')}
        </Button>
      </div>
      <Popup visible={adding} onMaskClick={() => setAdding(false)} bodyStyle={{ maxHeight: '90vh', overflowY: 'auto' }}>
        {adding ? (
          <FindingForm
            patrolId={patrol.id}
            point={last && allowed ? { lat: last[0], lng: last[1] } : null}
            onDone={() => setAdding(false)}
          />
        ) : null}
      </Popup>
      <Popup
        visible={caseFor !== null}
        onMaskClick={() => setCaseFor(null)}
        bodyStyle={{ maxHeight: '80vh', overflowY: 'auto' }}
      >
        {caseFor !== null ? <CategoryList value={null} onPick={onCase} /> : null}
      </Popup>
      <Dialog
        visible={ending}
        title={t('patrols.end')}
        content={
          <TextArea
            value={note}
            onChange={setNote}
            rows={3}
            maxLength={1000}
            placeholder={t('patrols.endNotePlaceholder')}
            data-testid="m-patrol-note"
          />
        }
        actions={[
          [
            { key: 'cancel', text: t('patrols.cancel'), onClick: () => setEnding(false) },
            { key: 'end', text: t('patrols.endConfirm'), bold: true, danger: true, onClick: onEnd },
          ],
        ]}
      />
    </>
  );
}

/** The leaf categories, "大类 · 小类", to report a finding as a case. */
function CategoryList({ value, onPick }: { value: number | null; onPick: (c: CaseCategory) => void }) {
  const { t } = useTranslation();
  const categories = useCaseCategories();
  const leaves = useMemo(() => {
    const all = (categories.data ?? []).filter((c) => c.active);
    const byId = new Map(all.map((c) => [c.id, c]));
    return all
      .filter((c) => !all.some((x) => x.parentId === c.id))
      .map((c) => ({ c, label: c.parentId !== null ? `${byId.get(c.parentId)?.name ?? ''} · ${c.name}` : c.name }));
  }, [categories.data]);
  if (categories.isLoading) return <SpinLoading />;
  return (
    <List header={t('patrols.chooseCategory')} data-testid="m-finding-categories">
      {leaves.map(({ c, label }) => (
        <List.Item key={c.id} onClick={() => onPick(c)} extra={value === c.id ? '✓' : null}>
          {label}
        </List.Item>
      ))}
    </List>
  );
}

function FindingForm({
  patrolId,
  point,
  onDone,
}: {
  patrolId: number;
  point: { lat: number; lng: number } | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const add = useAddFinding();
  const [clientId] = useState(() => newClientId());
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [isUploading, setUploading] = useState(false);
  const [asCase, setAsCase] = useState(false);
  const [category, setCategory] = useState<CaseCategory | null>(null);
  const [picking, setPicking] = useState(false);

  const submit = async () => {
    const description = text.trim();
    if (!description) {
      Toast.show({ content: t('patrols.findingRequired') });
      return;
    }
    if (asCase && !category) {
      setPicking(true);
      return;
    }
    const fileIds = fileIdsOf(photos);
    try {
      const f = await add.mutateAsync({
        patrolId,
        body: {
          clientId,
          description,
          ...(fileIds.length ? { fileIds } : {}),
          ...(point ? { lat: point.lat, lng: point.lng } : {}),
          ...(asCase && category ? { caseCategoryId: category.id } : {}),
        },
      });
      Toast.show({
        icon: 'success',
        content: f.caseNo ? t('patrols.caseOpened', { no: f.caseNo }) : t('patrols.findingSaved'),
      });
      onDone();
    } catch (error) {
      Toast.show({ icon: 'fail', content: message(error, t('errors.unknown')) });
    }
  };

  return (
    <div data-testid="m-finding-form">
      <List header={t('patrols.findingText')}>
        <List.Item>
          <TextArea
            value={text}
            onChange={setText}
            placeholder={t('patrols.findingPlaceholder')}
            maxLength={500}
            rows={3}
            showCount
            aria-label={t('patrols.findingText')}
            data-testid="m-finding-text"
          />
        </List.Item>
      </List>
      <List header={t('mobileCases.photos', { limit: 9 })}>
        <List.Item>
          <PhotoField value={photos} onChange={setPhotos} onBusy={setUploading} testId="m-finding-photos" />
        </List.Item>
      </List>
      <List>
        <List.Item
          extra={<Switch checked={asCase} onChange={setAsCase} data-testid="m-finding-as-case" />}
          description={asCase && category ? category.name : undefined}
          onClick={asCase ? () => setPicking(true) : undefined}
        >
          {t('patrols.reportAsCase')}
        </List.Item>
      </List>
      <div className="m-actions">
        <Button
          block
          color="primary"
          size="large"
          loading={add.isPending}
          disabled={isUploading}
          onClick={submit}
          data-testid="m-finding-submit"
        >
          {isUploading ? t('mobileCases.uploading') : t('patrols.saveFinding')}
        </Button>
      </div>
      <Popup
        visible={picking}
        onMaskClick={() => setPicking(false)}
        bodyStyle={{ maxHeight: '80vh', overflowY: 'auto' }}
      >
        {picking ? (
          <CategoryList
            value={category?.id ?? null}
            onPick={(c) => {
              setCategory(c);
              setPicking(false);
            }}
          />
        ) : null}
      </Popup>
    </div>
  );
}
