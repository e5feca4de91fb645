import {
  Button,
  ErrorBlock,
  Grid,
  type ImageUploadItem,
  List,
  NoticeBar,
  Popup,
  SpinLoading,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { EnvironmentOutline, LeftOutline } from 'antd-mobile-icons';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { useMyHousehold } from '../../features/people/hooks/use-my-household';
import { caseAccess } from './case-access';
import { placeText } from './case-list';
import type { CaseCategory, CommunityMap, PlaceInput, ReportCaseBody } from './case-types';
import { GridMap, type MapPick } from './grid-map';
import { fileIdsOf, PhotoField } from './photo-field';
import {
  type SimilarParams,
  useCaseCategories,
  useCommunityMap,
  useReportCase,
  useSimilarCases,
} from './use-phone-cases';

/** Where the case is: the reporter's own place (default), a building, or a point on the grid map. */
export type PlaceChoice = { kind: 'home' } | { kind: 'building'; id: number } | Extract<MapPick, { kind: 'point' }>;

/** The body's place: omitted for the reporter's own house (the server's default). */
export function placeInput(choice: PlaceChoice): PlaceInput | undefined {
  if (choice.kind === 'home') return undefined;
  if (choice.kind === 'building') return { nodeId: choice.id };
  const { lat, lng } = choice.point;
  return {
    lat: Math.round(lat * 1e6) / 1e6,
    lng: Math.round(lng * 1e6) / 1e6,
    ...(choice.gridId !== null ? { nodeId: choice.gridId } : {}),
  };
}

/** The duplicate search for a category at a place (null: nothing to compare with yet). */
export function similarParams(
  categoryId: number,
  choice: PlaceChoice,
  homeHouseId: number | null,
): SimilarParams | null {
  if (choice.kind === 'building') return { categoryId, nodeId: choice.id };
  if (choice.kind === 'point') return { categoryId, lat: choice.point.lat, lng: choice.point.lng };
  return homeHouseId !== null ? { categoryId, houseId: homeHouseId } : null;
}

/**
 * 我要报事 (a resident) and 巡查上报 (a grid worker on patrol). Three taps at most: a category (one of its
 * sub-categories, if it has some), then 提交 — photos, a few words and another place are optional. Open cases of the
 * same category at the same place are shown before sending, so a resident can follow one instead.
 */
export function MobileReportPage({ patrol = false }: { patrol?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const categories = useCaseCategories();
  const [parent, setParent] = useState<CaseCategory | null>(null);
  const [category, setCategory] = useState<CaseCategory | null>(null);

  if (categories.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  const all = (categories.data ?? []).filter((c) => c.active);
  if (categories.isError || all.length === 0) {
    return <ErrorBlock status="empty" title={t('mobileCases.noCategories')} />;
  }
  if (category) {
    return (
      <ReportForm
        category={category}
        patrol={patrol}
        onChangeCategory={() => setCategory(null)}
        onSent={(id) => navigate(`/m/cases/${id}`, { replace: true })}
      />
    );
  }
  // A resident's own categories (community) before the digital-city event classes, each in its set order.
  const rank = (c: CaseCategory) => (c.class === 'community' ? 0 : 1);
  const children = (id: number | null) =>
    all.filter((c) => c.parentId === id).sort((a, b) => rank(a) - rank(b) || a.sort - b.sort);
  const shown = children(parent?.id ?? null);
  const pick = (c: CaseCategory) => {
    if (children(c.id).length > 0) setParent(c);
    else setCategory(c);
  };
  return (
    <div className="m-page" data-testid={patrol ? 'm-patrol' : 'm-report'}>
      <div className="m-report-head">
        {parent ? (
          <Button size="small" fill="none" onClick={() => setParent(null)} data-testid="m-category-back">
            <LeftOutline /> {t('mobileCases.allCategories')}
          </Button>
        ) : null}
        <span>{parent ? parent.name : t(patrol ? 'mobileCases.patrolPrompt' : 'mobileCases.reportPrompt')}</span>
      </div>
      <Grid columns={3} gap={8} className="m-category-grid" data-testid="m-categories">
        {shown.map((c) => (
          <Grid.Item key={c.id}>
            <button
              type="button"
              className={`m-category${c.urgent ? ' m-category-urgent' : ''}`}
              onClick={() => pick(c)}
            >
              <span className="m-category-name">{c.name}</span>
              {c.urgent ? <span className="m-category-tag">{t('mobileCases.urgent')}</span> : null}
            </button>
          </Grid.Item>
        ))}
      </Grid>
    </div>
  );
}

function ReportForm({
  category,
  patrol,
  onChangeCategory,
  onSent,
}: {
  category: CaseCategory;
  patrol: boolean;
  onChangeCategory: () => void;
  onSent: (id: number) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const { canRead } = caseAccess(me);
  const household = useMyHousehold();
  const map = useCommunityMap();
  const report = useReportCase();
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [isUploading, setUploading] = useState(false);
  const [text, setText] = useState('');
  const [place, setPlace] = useState<PlaceChoice>({ kind: 'home' });
  const [isPicking, setPicking] = useState(false);
  const house = household.data?.house ?? null;
  const similar = useSimilarCases(similarParams(category.id, place, house?.id ?? null));

  const homeLabel = house
    ? t('mobileCases.placeHouse', { place: house.place, room: house.roomNo })
    : t('mobileCases.placeHomeNode', { node: me?.posts.find((p) => p.nodeName)?.nodeName ?? '' });

  const submit = async () => {
    const body: ReportCaseBody = { categoryId: category.id };
    const description = text.trim();
    if (description) body.description = description;
    const where = placeInput(place);
    if (where) body.place = where;
    const fileIds = fileIdsOf(photos);
    if (fileIds.length > 0) body.fileIds = fileIds;
    if (patrol) body.source = 'patrol';
    try {
      const created = await report.mutateAsync(body);
      Toast.show({ icon: 'success', content: t('mobileCases.sent', { no: created.caseNo }) });
      onSent(created.id);
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
    }
  };

  return (
    <div className="m-page" data-testid="m-report-form">
      <List>
        <List.Item
          extra={t('mobileCases.changeCategory')}
          onClick={onChangeCategory}
          data-testid="m-report-category"
          description={category.description ?? undefined}
        >
          {category.name} {category.urgent ? <Tag color="danger">{t('mobileCases.urgent')}</Tag> : null}
        </List.Item>
      </List>
      <List header={t('mobileCases.photos', { limit: 9 })}>
        <List.Item>
          <PhotoField value={photos} onChange={setPhotos} onBusy={setUploading} testId="m-report-photos" />
        </List.Item>
      </List>
      <List header={t('mobileCases.description')}>
        <List.Item>
          <TextArea
            value={text}
            onChange={setText}
            placeholder={t('mobileCases.descriptionPlaceholder')}
            maxLength={2000}
            rows={3}
            showCount
            aria-label={t('mobileCases.description')}
            data-testid="m-report-text"
          />
        </List.Item>
      </List>
      <List header={t('mobileCases.place')}>
        <List.Item
          prefix={<EnvironmentOutline />}
          extra={t('mobileCases.changePlace')}
          onClick={() => setPicking(true)}
          data-testid="m-report-place"
        >
          {place.kind === 'home'
            ? homeLabel
            : place.kind === 'building'
              ? buildingLabel(map.data, place.id)
              : pointLabel(t, map.data, place)}
        </List.Item>
      </List>
      {similar.data && similar.data.length > 0 ? (
        <div data-testid="m-similar">
          <NoticeBar content={t('mobileCases.similarFound', { count: similar.data.length })} color="alert" wrap />
          <List>
            {similar.data.map((c) => (
              <List.Item
                key={c.id}
                description={`${c.caseNo} · ${placeText(c.place)}`}
                extra={<Tag color="primary">{c.stageName}</Tag>}
                // a resident may not open others' cases: the list only tells them it is known
                onClick={canRead ? () => navigate(`/m/cases/${c.id}`) : undefined}
              >
                {c.title}
              </List.Item>
            ))}
          </List>
        </div>
      ) : null}
      <div className="m-actions">
        <Button
          block
          color="primary"
          size="large"
          loading={report.isPending}
          disabled={isUploading}
          onClick={submit}
          data-testid="m-report-submit"
        >
          {isUploading ? t('mobileCases.uploading') : t(patrol ? 'mobileCases.submitPatrol' : 'mobileCases.submit')}
        </Button>
      </div>
      <Popup
        visible={isPicking}
        onMaskClick={() => setPicking(false)}
        bodyStyle={{ maxHeight: '85vh', overflowY: 'auto', borderTopLeftRadius: 8, borderTopRightRadius: 8 }}
      >
        <PlacePicker
          map={map.data ?? null}
          isLoading={map.isLoading}
          homeLabel={homeLabel}
          value={place}
          onChange={(p) => {
            setPlace(p);
            if (p.kind !== 'point') setPicking(false);
          }}
          onDone={() => setPicking(false)}
        />
      </Popup>
    </div>
  );
}

function buildingLabel(map: CommunityMap | undefined, id: number): string {
  const b = map?.buildings.find((x) => x.id === id);
  if (!b) return String(id);
  const grid = map?.grids.find((g) => g.id === b.parentGridId);
  return grid ? `${grid.name} · ${b.name}` : b.name;
}

function pointLabel(t: TFunction, map: CommunityMap | undefined, p: Extract<PlaceChoice, { kind: 'point' }>): string {
  const grid = map?.grids.find((g) => g.id === p.gridId);
  const at = `${p.point.lat.toFixed(5)}, ${p.point.lng.toFixed(5)}`;
  return grid ? t('mobileCases.pointIn', { grid: grid.name, at }) : t('mobileCases.pointAt', { at });
}

/** The place sheet: the reporter's own place, the grid map (tap a building or drop a pin), or a building by name. */
function PlacePicker({
  map,
  isLoading,
  homeLabel,
  value,
  onChange,
  onDone,
}: {
  map: CommunityMap | null;
  isLoading: boolean;
  homeLabel: string;
  value: PlaceChoice;
  onChange: (p: PlaceChoice) => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const byGrid = useMemo(
    () =>
      (map?.grids ?? []).map((g) => ({
        grid: g,
        buildings: (map?.buildings ?? []).filter((b) => b.parentGridId === g.id),
      })),
    [map],
  );
  return (
    <div className="m-place-picker" data-testid="m-place-picker">
      <List>
        <List.Item
          onClick={() => onChange({ kind: 'home' })}
          extra={value.kind === 'home' ? '✓' : null}
          data-testid="m-place-home"
        >
          {homeLabel}
        </List.Item>
      </List>
      <List header={t('mobileCases.onMap', { name: map?.community.name ?? '' })}>
        <List.Item>
          {isLoading ? (
            <SpinLoading />
          ) : map ? (
            <GridMap
              map={map}
              value={value.kind === 'home' ? null : value}
              onPick={(p) => onChange(p.kind === 'building' ? { kind: 'building', id: p.id } : p)}
            />
          ) : (
            t('mobileCases.mapNone')
          )}
          <div className="m-muted">{t('mobileCases.mapHint')}</div>
          {value.kind === 'point' ? (
            <Button block color="primary" onClick={onDone} data-testid="m-place-done">
              {t('mobileCases.usePoint')}
            </Button>
          ) : null}
        </List.Item>
      </List>
      {byGrid.map(({ grid, buildings }) =>
        buildings.length > 0 ? (
          <List key={grid.id} header={grid.name}>
            {buildings.map((b) => (
              <List.Item
                key={b.id}
                onClick={() => onChange({ kind: 'building', id: b.id })}
                extra={value.kind === 'building' && value.id === b.id ? '✓' : null}
              >
                {b.name}
              </List.Item>
            ))}
          </List>
        ) : null,
      )}
    </div>
  );
}
