/**
 * Finding the place a row names (社区 / 网格 / 微网格 / 楼栋 / 单元, optionally 街道) in the hierarchy, the
 * way people write it: "1号楼", "1栋" or just "1"; "第一网格" or "1网格"; full-width digits, stray spaces.
 * Pure: the caller loads the nodes once per import; answers are cached per distinct place.
 */
import type { NodeType } from '../../../platform/access/roles.js';
import { toHalfWidth } from '../../../platform/pii/index.js';
import type { ImportField, RowIssue } from './import.logic.js';

export type PlaceNode = {
  id: number;
  parentId: number | null;
  type: NodeType;
  name: string;
  path: string;
  countyId: number;
};

export type PlaceQuery = {
  street: string;
  community: string;
  grid: string;
  microGrid: string;
  building: string;
  unit: string;
};

export type PlaceResult = { ok: true; node: PlaceNode } | { ok: false; issue: RowIssue };

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 1..999 written as Chinese numerals (一, 十二, 二十, 一百零五) or digits; null otherwise. */
export function parseOrdinal(s: string): number | null {
  if (/^\d{1,4}$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(s)) return null;
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else {
      digit = CN_DIGITS[ch] ?? 0;
    }
  }
  total += digit;
  return total > 0 ? total : null;
}

const NUMBERED: Partial<Record<NodeType, RegExp>> = {
  grid: /^第?([零〇一二两三四五六七八九十百\d]+)(?:号)?(?:网格)?$/,
  micro_grid: /^第?([零〇一二两三四五六七八九十百\d]+)(?:号)?(?:微网格)?$/,
  building: /^第?([零〇一二两三四五六七八九十百\d]+)(?:号楼|号|栋|幢|座|楼|号院)?$/,
  unit: /^第?([零〇一二两三四五六七八九十百\d]+)(?:单元|单)?$/,
};

/** Exact form of a name for comparison: full-width made ASCII, spaces removed. */
export function placeKey(name: string): string {
  return toHalfWidth(name).replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '');
}

/** The number a grid, micro-grid, building or unit name carries ("3号楼" → 3), as a secondary key. */
export function placeNumber(type: NodeType, name: string): number | null {
  const re = NUMBERED[type];
  const m = re ? re.exec(placeKey(name)) : null;
  return m ? parseOrdinal(m[1] as string) : null;
}

type Lookup = Map<string, PlaceNode[]>;

function add(map: Lookup, key: string, node: PlaceNode): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(node)) list.push(node);
  } else map.set(key, [node]);
}

const TOP_TYPES: readonly NodeType[] = ['street', 'town', 'community', 'village', 'grid'];

/**
 * Resolves places against a set of active nodes. `inScope` decides whether a node may receive rows (the
 * importer's `people.import` scope, possibly narrowed to the node chosen for the import); nodes outside it
 * are still found, so the row can say "outside your area" rather than "not found".
 */
export class PlaceIndex {
  private readonly byId = new Map<number, PlaceNode>();
  private readonly children = new Map<number, Lookup>();
  private readonly kids = new Map<number, PlaceNode[]>();
  private readonly top = new Map<NodeType, Lookup>();
  private readonly cache = new Map<string, PlaceResult>();
  private last: (PlaceQuery & { result: PlaceResult }) | null = null;

  constructor(
    nodes: readonly PlaceNode[],
    private readonly inScope: (path: string) => boolean,
  ) {
    for (const n of nodes) this.byId.set(n.id, n);
    for (const n of nodes) {
      const keys = [placeKey(n.name)];
      const num = placeNumber(n.type, n.name);
      if (num !== null) keys.push(`#${num}`);
      if (n.parentId !== null) {
        const siblings = this.kids.get(n.parentId);
        if (siblings) siblings.push(n);
        else this.kids.set(n.parentId, [n]);
        let lookup = this.children.get(n.parentId);
        if (!lookup) {
          lookup = new Map();
          this.children.set(n.parentId, lookup);
        }
        for (const k of keys) add(lookup, `${n.type}:${k}`, n);
      }
      if (TOP_TYPES.includes(n.type)) {
        let lookup = this.top.get(n.type);
        if (!lookup) {
          lookup = new Map();
          this.top.set(n.type, lookup);
        }
        for (const k of keys) add(lookup, k, n);
      }
    }
  }

  node(id: number): PlaceNode | undefined {
    return this.byId.get(id);
  }

  /** The nodes a value may name among `types`: exact names first, then by number ("3" for 3号楼). */
  private find(types: readonly NodeType[], value: string, parents: readonly PlaceNode[] | null): PlaceNode[] {
    const exact = placeKey(value);
    const search = (key: (t: NodeType) => string): PlaceNode[] => {
      const found: PlaceNode[] = [];
      for (const t of types) {
        if (parents === null) found.push(...(this.top.get(t)?.get(key(t)) ?? []));
        else for (const p of parents) found.push(...(this.children.get(p.id)?.get(`${t}:${key(t)}`) ?? []));
      }
      return found;
    };
    const byName = search(() => exact);
    if (byName.length > 0) return byName;
    const byNumber = search((t) => {
      const num = placeNumber(t, value);
      return num === null ? '\u0000' : `#${num}`;
    });
    return byNumber;
  }

  private childrenOf(parent: PlaceNode, type: NodeType): PlaceNode[] {
    return (this.kids.get(parent.id) ?? []).filter((n) => n.type === type);
  }

  /** The deepest node a row names, or the issue with the first column that does not resolve. */
  resolve(
    street: string,
    community: string,
    grid: string,
    microGrid: string,
    building: string,
    unit: string,
  ): PlaceResult {
    // Registers list a household's members one after another, so a row usually names the previous row's place:
    // comparing six short strings is cheaper than building the cache key.
    const last = this.last;
    if (
      last !== null &&
      grid === last.grid &&
      building === last.building &&
      unit === last.unit &&
      community === last.community &&
      microGrid === last.microGrid &&
      street === last.street
    ) {
      return last.result;
    }
    const key = `${street}\u0001${community}\u0001${grid}\u0001${microGrid}\u0001${building}\u0001${unit}`;
    let r = this.cache.get(key);
    if (!r) {
      r = this.resolveUncached({ street, community, grid, microGrid, building, unit });
      // Distinct places are bounded by the region's units, plus the typos of one file; cap it anyway.
      if (this.cache.size < 200_000) this.cache.set(key, r);
    }
    this.last = { street, community, grid, microGrid, building, unit, result: r };
    return r;
  }

  private resolveUncached(q: PlaceQuery): PlaceResult {
    const fail = (field: ImportField, code: RowIssue['code'], params: Record<string, string | number>) =>
      ({ ok: false, issue: { field, code, params } }) as const;
    const under = (n: PlaceNode) => `（${n.name}下）`;

    let community: PlaceNode | null = null;
    if (q.community !== '') {
      let found = this.find(['community', 'village'], q.community, null);
      if (q.street !== '') {
        const streets = this.find(['street', 'town'], q.street, null);
        if (streets.length === 0) return fail('street', 'place_not_found', { value: q.street, under: '' });
        found = found.filter((c) => streets.some((s) => s.id === c.parentId));
      }
      if (found.length === 0) return fail('community', 'place_not_found', { value: q.community, under: '' });
      if (found.length > 1) {
        const inside = found.filter((c) => this.inScope(c.path));
        if (inside.length !== 1) {
          return fail('community', 'place_ambiguous', { value: q.community, count: found.length, hint: '街道' });
        }
        found = inside;
      }
      community = found[0] as PlaceNode;
    }

    const grids = community
      ? this.find(['grid'], q.grid, [community])
      : this.find(['grid'], q.grid, null).filter((g) => this.inScope(g.path));
    if (grids.length === 0) {
      if (!community) {
        const anywhere = this.find(['grid'], q.grid, null);
        if (anywhere.length > 0) return fail('grid', 'place_out_of_scope', { value: q.grid });
      }
      return fail('grid', 'place_not_found', { value: q.grid, under: community ? under(community) : '' });
    }
    if (grids.length > 1) return fail('grid', 'place_ambiguous', { value: q.grid, count: grids.length, hint: '社区' });
    const grid = grids[0] as PlaceNode;
    let node = grid;

    let micro: PlaceNode | null = null;
    if (q.microGrid !== '') {
      const found = this.find(['micro_grid'], q.microGrid, [grid]);
      if (found.length !== 1) return fail('microGrid', 'place_not_found', { value: q.microGrid, under: under(grid) });
      micro = found[0] as PlaceNode;
      node = micro;
    }

    let building: PlaceNode | null = null;
    if (q.building !== '') {
      const parents = micro ? [micro] : [grid, ...this.childrenOf(grid, 'micro_grid')];
      const found = this.find(['building'], q.building, parents);
      if (found.length === 0) {
        return fail('building', 'place_not_found', { value: q.building, under: under(micro ?? grid) });
      }
      if (found.length > 1) {
        return fail('building', 'place_ambiguous', { value: q.building, count: found.length, hint: '微网格' });
      }
      building = found[0] as PlaceNode;
      node = building;
    }

    if (q.unit !== '') {
      if (!building) return fail('unit', 'place_needs_building', {});
      const found = this.find(['unit'], q.unit, [building]);
      if (found.length !== 1) return fail('unit', 'place_not_found', { value: q.unit, under: under(building) });
      node = found[0] as PlaceNode;
    }

    if (!this.inScope(node.path)) {
      const field: ImportField = community && !this.inScope(community.path) ? 'community' : 'grid';
      const value = field === 'community' ? q.community : community ? `${community.name}${grid.name}` : q.grid;
      return fail(field, 'place_out_of_scope', { value });
    }
    return { ok: true, node };
  }
}
