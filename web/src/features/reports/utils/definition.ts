import type {
  FieldCatalogue,
  FieldInfo,
  GroupBy,
  HouseUse,
  ReportDefinition,
  ReportEntity,
  ReportFilters,
  ReportTemplate,
  Sex,
} from '../../../api-types';
import type { Lang } from '../../../i18n';

/** The template editor's form: a report definition laid out flat, one form field per choice. */
export type EditorValues = {
  name: string;
  description?: string;
  entity: ReportEntity;
  kind: 'list' | 'count';
  groupBy?: GroupBy | null;
  columns: string[];
  tagCodes?: string[];
  tagMode?: 'any' | 'all';
  ageMin?: number | null;
  ageMax?: number | null;
  sex?: Sex | null;
  status?: NonNullable<ReportFilters['status']> | null;
  houseUse?: HouseUse[];
  nodeId?: number | null;
  sortField?: string | null;
  sortDir?: 'asc' | 'desc';
};

export type FilterKey = keyof ReportFilters;

/** Column labels a template set itself (kept for the columns that stay when it is edited or copied). */
export type ColumnLabels = Record<string, string>;

export function fieldLabel(info: Pick<FieldInfo, 'label' | 'labelEn'>, lang: Lang): string {
  return lang === 'en' ? info.labelEn : info.label;
}

export function entityLabel(catalogue: FieldCatalogue | undefined, entity: ReportEntity, lang: Lang): string {
  const found = catalogue?.entities.find((e) => e.entity === entity);
  return found ? fieldLabel(found, lang) : entity;
}

/** The definition the editor's values describe; filters the entity does not take are left out. */
export function toDefinition(
  values: EditorValues,
  applicable: readonly string[],
  labels: ColumnLabels = {},
): ReportDefinition {
  const takes = (key: FilterKey) => applicable.includes(key);
  const filters: ReportFilters = {};
  if (takes('tagCodes') && values.tagCodes && values.tagCodes.length > 0) {
    filters.tagCodes = values.tagCodes;
    if (takes('tagMode') && values.tagMode === 'all') filters.tagMode = 'all';
  }
  if (takes('ageMin') && typeof values.ageMin === 'number') filters.ageMin = values.ageMin;
  if (takes('ageMax') && typeof values.ageMax === 'number') filters.ageMax = values.ageMax;
  if (takes('sex') && values.sex) filters.sex = values.sex;
  if (takes('status') && values.status) filters.status = values.status;
  if (takes('houseUse') && values.houseUse && values.houseUse.length > 0) filters.houseUse = values.houseUse;
  if (takes('nodeId') && values.nodeId) filters.nodeId = values.nodeId;
  const isCount = values.kind === 'count';
  return {
    entity: values.entity,
    columns: values.columns.map((field) => (labels[field] ? { field, label: labels[field] } : { field })),
    ...(Object.keys(filters).length > 0 ? { filters } : {}),
    ...(values.groupBy ? { groupBy: values.groupBy } : {}),
    ...(isCount ? { aggregate: 'count_by' as const } : {}),
    ...(!isCount && values.sortField ? { sort: { field: values.sortField, dir: values.sortDir ?? 'asc' } } : {}),
  };
}

/** A template as the editor's values, and the column labels it set itself. */
export function fromTemplate(template: ReportTemplate): { values: EditorValues; labels: ColumnLabels } {
  const d = template.definition;
  const f = d.filters ?? {};
  const labels: ColumnLabels = {};
  for (const c of d.columns) if (c.label) labels[c.field] = c.label;
  return {
    labels,
    values: {
      name: template.name,
      description: template.description ?? '',
      entity: d.entity,
      kind: d.aggregate === 'count_by' ? 'count' : 'list',
      groupBy: d.groupBy ?? null,
      columns: d.columns.map((c) => c.field),
      tagCodes: f.tagCodes ?? [],
      tagMode: f.tagMode ?? 'any',
      ageMin: f.ageMin ?? null,
      ageMax: f.ageMax ?? null,
      sex: f.sex ?? null,
      status: f.status ?? null,
      houseUse: f.houseUse ?? [],
      nodeId: f.nodeId ?? null,
      sortField: d.sort?.field ?? null,
      sortDir: d.sort?.dir ?? 'asc',
    },
  };
}

/**
 * The editor field a server error names: `definition.columns.2.field` → columns,
 * `definition.filters.ageMax` → ageMax, `definition.sort.field` → sortField; null when there is none.
 */
export function editorField(serverField: string | undefined): keyof EditorValues | null {
  if (!serverField) return null;
  const parts = serverField
    .replace(/^\/?body[./]/, '')
    .split(/[./]/)
    .filter(Boolean);
  if (parts[0] === 'name' || parts[0] === 'description') return parts[0];
  if (parts[0] !== 'definition') return null;
  const [, head, sub] = parts;
  switch (head) {
    case 'columns':
      return 'columns';
    case 'entity':
    case 'groupBy':
      return head;
    case 'aggregate':
      return 'kind';
    case 'sort':
      return sub === 'dir' ? 'sortDir' : 'sortField';
    case 'filters':
      return sub && FILTER_KEYS.includes(sub as FilterKey) ? (sub as FilterKey) : null;
    default:
      return null;
  }
}

const FILTER_KEYS: readonly FilterKey[] = [
  'tagCodes',
  'tagMode',
  'ageMin',
  'ageMax',
  'sex',
  'status',
  'houseUse',
  'nodeId',
];

/**
 * A preview column's heading in the user's language. The server labels columns in Chinese (as the exported
 * workbook is); a column still carrying the catalogue's Chinese label gets the catalogue's English one.
 * Labels a template set itself are shown as written.
 */
export function columnLabel(
  catalogue: FieldCatalogue | undefined,
  entity: ReportEntity,
  column: { key: string; label: string },
  lang: Lang,
): string {
  if (lang !== 'en') return column.label;
  const info = catalogue?.entities.find((e) => e.entity === entity);
  const known = [...(info?.fields ?? []), ...(info?.measures ?? [])].find(
    (f) => f.field === column.key && f.label === column.label,
  );
  return known ? known.labelEn : column.label;
}
