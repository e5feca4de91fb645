import { type MouseEvent, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommunityMap } from './case-types';
import {
  asGeometry,
  boundsOf,
  centreOf,
  contains,
  fromView,
  type Geometry,
  type LngLat,
  makeView,
  pad,
  pathOf,
  tilesFor,
  toView,
} from './map-geometry';

export type MapPick = { kind: 'point'; point: LngLat; gridId: number | null } | { kind: 'building'; id: number };

type Outline = { id: number; name: string; geometry: Geometry };

const GRID_COLOURS = ['#e6f4ff', '#f6ffed', '#fff7e6', '#f9f0ff', '#fff0f6', '#e6fffb'];
const WIDTH_PX = 360;

function outlines(nodes: CommunityMap['grids']): Outline[] {
  return nodes.flatMap((n) => {
    const geometry = asGeometry(n.boundary);
    return geometry ? [{ id: n.id, name: n.name, geometry }] : [];
  });
}

/**
 * The community's grid map drawn as SVG from the hierarchy's outlines: grids shaded and named, buildings as blocks
 * (a tap picks the building), and a tap anywhere else drops a pin (the grid it falls in is named). Tiles lie
 * behind only when the server names a tile source; otherwise nothing is fetched.
 */
export function GridMap({
  map,
  value,
  onPick,
}: {
  map: CommunityMap;
  value: MapPick | null;
  /** Without it the map only shows (a case's place). */
  onPick?: (pick: MapPick) => void;
}) {
  const { t } = useTranslation();
  const svg = useRef<SVGSVGElement>(null);
  const { community, grids, buildings, bounds, view, tiles } = useMemo(() => {
    const community = asGeometry(map.community.boundary);
    const grids = outlines(map.grids);
    const buildings = outlines(map.buildings);
    const all = [...(community ? [community] : []), ...grids.map((g) => g.geometry)];
    const bounds = all.length > 0 ? pad(boundsOf(all), 0.06) : null;
    const view = bounds ? makeView(bounds, WIDTH_PX) : null;
    const tiles = map.tiles && bounds ? tilesFor(map.tiles, bounds, WIDTH_PX) : [];
    return { community, grids, buildings, bounds, view, tiles };
  }, [map]);
  if (!bounds || !view) return <div className="m-map-empty">{t('mobileCases.mapNone')}</div>;

  const tap = (e: MouseEvent<SVGSVGElement>) => {
    if (!onPick) return;
    const el = svg.current;
    const ctm = el?.getScreenCTM();
    if (!el || !ctm) return;
    const pt = el.createSVGPoint();
    pt.x = e.clientX;
    pt.y = e.clientY;
    const local = pt.matrixTransform(ctm.inverse());
    const point = fromView(view, { x: local.x, y: local.y });
    const building = buildings.find((b) => contains(b.geometry, point));
    if (building) {
      onPick({ kind: 'building', id: building.id });
      return;
    }
    const grid = grids.find((g) => contains(g.geometry, point));
    onPick({ kind: 'point', point, gridId: grid?.id ?? null });
  };

  const pin = value?.kind === 'point' ? toView(view, value.point) : null;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a point on a map is picked by pointing; the list of buildings beside it is the keyboard's way
    <svg
      ref={svg}
      className="m-map"
      viewBox={`0 0 ${view.width} ${view.height}`}
      preserveAspectRatio="xMidYMid meet"
      onClick={tap}
      role="img"
      aria-label={t('mobileCases.mapLabel', { name: map.community.name })}
      data-testid="m-grid-map"
    >
      {tiles.map((tile) => (
        <image
          key={tile.url}
          href={tile.url}
          x={(tile.x - view.originX) * view.k}
          y={(tile.y - view.originY) * view.k}
          width={tile.size * view.k}
          height={tile.size * view.k}
          preserveAspectRatio="none"
        />
      ))}
      {community ? (
        <path d={pathOf(community, view)} fill={tiles.length ? 'none' : '#fafafa'} stroke="#8c8c8c" strokeWidth={2} />
      ) : null}
      {grids.map((g, i) => (
        <path
          key={g.id}
          d={pathOf(g.geometry, view)}
          fill={GRID_COLOURS[i % GRID_COLOURS.length]}
          fillOpacity={tiles.length ? 0.35 : 1}
          stroke="#1677ff"
          strokeWidth={1.5}
          fillRule="evenodd"
          data-testid={`m-map-grid-${g.id}`}
        />
      ))}
      {buildings.map((b) => {
        const chosen = value?.kind === 'building' && value.id === b.id;
        return (
          <path
            key={b.id}
            d={pathOf(b.geometry, view)}
            fill={chosen ? '#fa8c16' : '#bfbfbf'}
            stroke={chosen ? '#d46b08' : '#8c8c8c'}
            strokeWidth={1}
            data-testid={`m-map-building-${b.id}`}
          />
        );
      })}
      {grids.map((g) => {
        const c = toView(view, centreOf(g.geometry));
        return (
          <text
            key={`label-${g.id}`}
            x={c.x}
            y={c.y}
            fontSize={12}
            textAnchor="middle"
            fill="#1f1f1f"
            pointerEvents="none"
          >
            {g.name}
          </text>
        );
      })}
      {pin ? (
        <g pointerEvents="none" data-testid="m-map-pin">
          <circle cx={pin.x} cy={pin.y} r={7} fill="#f5222d" stroke="#fff" strokeWidth={2} />
        </g>
      ) : null}
    </svg>
  );
}
