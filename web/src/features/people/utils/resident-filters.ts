import type { ResidentsQuery, Sex } from '../../../api-types';
import type { QueryValue } from '../../../ui/api';

/** What the residents list is filtered by; kept in the page's address so that Back returns to the same list. */
export type ResidentFilters = {
  q?: string;
  tags?: string[];
  tagMode?: 'any' | 'all';
  ageMin?: number;
  ageMax?: number;
  sex?: Sex;
  status?: NonNullable<ResidentsQuery['status']>;
  nodeId?: number;
  address?: string;
  page: number;
  pageSize: number;
};

/** The server counts at most this many matches; a list that long says "1000+". */
export const COUNT_CAP = 1000;

export const PAGE_SIZES = [20, 50, 100] as const;

const STATUSES = ['active', 'moved_out', 'deceased', 'all'] as const;

/** The query string of GET /api/people/residents (`tag` repeated, empty values left out). */
export function toResidentsQuery(f: ResidentFilters): Record<string, QueryValue> {
  return {
    q: f.q?.trim() || undefined,
    tag: f.tags && f.tags.length > 0 ? f.tags : undefined,
    tagMode: f.tags && f.tags.length > 1 ? f.tagMode : undefined,
    ageMin: f.ageMin,
    ageMax: f.ageMax,
    sex: f.sex,
    status: f.status,
    nodeId: f.nodeId,
    address: f.address?.trim() || undefined,
    page: f.page,
    pageSize: f.pageSize,
  };
}

function int(value: string | null, min: number, max: number): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** Reads filters from the page's address, ignoring anything malformed. */
export function filtersFromParams(params: URLSearchParams): ResidentFilters {
  const sex = params.get('sex');
  const status = params.get('status');
  const tagMode = params.get('tagMode');
  const pageSize = int(params.get('pageSize'), 1, 200);
  return {
    q: params.get('q') || undefined,
    tags: params.getAll('tag').filter((t) => /^[a-z0-9_]{2,40}$/.test(t)),
    tagMode: tagMode === 'all' ? 'all' : undefined,
    ageMin: int(params.get('ageMin'), 0, 150),
    ageMax: int(params.get('ageMax'), 0, 150),
    sex: sex === 'male' || sex === 'female' ? sex : undefined,
    status: STATUSES.find((s) => s === status),
    nodeId: int(params.get('nodeId'), 1, Number.MAX_SAFE_INTEGER),
    address: params.get('address') || undefined,
    page: int(params.get('page'), 1, 100000) ?? 1,
    pageSize: pageSize && (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : PAGE_SIZES[0],
  };
}

/** The address form of filters: defaults left out, so a plain list stays a plain `/people`. */
export function filtersToParams(f: ResidentFilters): URLSearchParams {
  const params = new URLSearchParams();
  const { page, pageSize, ...query } = toResidentsQuery(f);
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== '') params.append(key, String(item));
    }
  }
  if (f.page > 1) params.set('page', String(page));
  if (f.pageSize !== PAGE_SIZES[0]) params.set('pageSize', String(pageSize));
  return params;
}

/** "1000+" when the server stopped counting. */
export function totalLabel(total: number): string {
  return total >= COUNT_CAP ? `${COUNT_CAP}+` : String(total);
}
