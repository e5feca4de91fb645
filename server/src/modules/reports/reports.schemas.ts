import { type Static, Type } from 'typebox';
import { Nullable, Strict, Timestamp } from '../../platform/http/schemas.js';

/**
 * A report template's definition, as administrators write it in the template editor. The shape is checked
 * here; which fields and filters make sense for an entity is checked by `parseDefinition` (reports.logic.ts).
 */
export const REPORT_ENTITIES = ['resident', 'house', 'household'] as const;
export type ReportEntity = (typeof REPORT_ENTITIES)[number];
export const GROUP_BYS = ['community', 'grid', 'building'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const HOUSE_USES = ['owner_occupied', 'rented', 'vacant', 'commercial', 'other'] as const;
export type HouseUse = (typeof HOUSE_USES)[number];

export const ReportColumn = Strict({
  field: Type.String({ minLength: 1, maxLength: 60 }),
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
});
export type ReportColumn = Static<typeof ReportColumn>;

export const ReportFilters = Strict({
  /** Residents holding any (or all) of these tags, each including its child tags. */
  tagCodes: Type.Optional(
    Type.Array(Type.String({ pattern: '^[a-z0-9_]{2,40}$' }), { minItems: 1, maxItems: 20, uniqueItems: true }),
  ),
  tagMode: Type.Optional(Type.Enum(['any', 'all'])),
  ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
  ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
  sex: Type.Optional(Type.Enum(['male', 'female'])),
  /** Residents: default active; households: active = not dissolved. */
  status: Type.Optional(Type.Enum(['active', 'moved_out', 'deceased', 'all'])),
  houseUse: Type.Optional(Type.Array(Type.Enum(HOUSE_USES), { minItems: 1, maxItems: 5, uniqueItems: true })),
  /** Narrows the template to one node (it must lie in the scope of whoever manages the template). */
  nodeId: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type ReportFilters = Static<typeof ReportFilters>;

export const ReportSort = Strict({
  field: Type.String({ minLength: 1, maxLength: 60 }),
  dir: Type.Optional(Type.Enum(['asc', 'desc'])),
});

export const ReportDefinition = Strict({
  entity: Type.Enum(REPORT_ENTITIES),
  columns: Type.Array(ReportColumn, { minItems: 1, maxItems: 40 }),
  filters: Type.Optional(ReportFilters),
  groupBy: Type.Optional(Type.Enum(GROUP_BYS)),
  /** `count_by`: one row of counts per group instead of one row per record. */
  aggregate: Type.Optional(Type.Literal('count_by')),
  sort: Type.Optional(ReportSort),
});
export type ReportDefinition = Static<typeof ReportDefinition>;

export const ReportTemplate = Type.Object({
  id: Type.Integer(),
  code: Nullable(Type.String()),
  name: Type.String(),
  description: Nullable(Type.String()),
  builtin: Type.Boolean(),
  definition: ReportDefinition,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ReportTemplate = Static<typeof ReportTemplate>;

const Name = Type.String({ minLength: 1, maxLength: 60 });
const Description = Nullable(Type.String({ maxLength: 500 }));

export const CreateTemplateBody = Strict({
  name: Name,
  description: Type.Optional(Description),
  definition: ReportDefinition,
});
export type CreateTemplateBody = Static<typeof CreateTemplateBody>;

export const UpdateTemplateBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    definition: Type.Optional(ReportDefinition),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTemplateBody = Static<typeof UpdateTemplateBody>;

export const PreviewQuery = Strict({
  nodeId: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type PreviewQuery = Static<typeof PreviewQuery>;

export const PreviewDefinitionBody = Strict({
  definition: ReportDefinition,
  nodeId: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type PreviewDefinitionBody = Static<typeof PreviewDefinitionBody>;

export const ExportQuery = Strict({
  nodeId: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Full ID and phone numbers: needs pii.reveal over the whole exported area, and is audited. */
  unmasked: Type.Optional(Type.Boolean({ default: false })),
  /** Why the full numbers are needed (required with `unmasked=true`); recorded in the audit trail. */
  reason: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ExportQuery = Static<typeof ExportQuery>;

export const CellValue = Nullable(Type.Union([Type.String(), Type.Number()]));
export type CellValue = Static<typeof CellValue>;

export const ReportColumnOut = Type.Object({ key: Type.String(), label: Type.String() });
export type ReportColumnOut = Static<typeof ReportColumnOut>;

export const PreviewResult = Type.Object({
  columns: Type.Array(ReportColumnOut),
  rows: Type.Array(Type.Record(Type.String(), CellValue)),
  /** Records (or, for a count_by report, groups) the full export would hold. */
  total: Type.Integer(),
  /** count_by reports: the 合计 row. */
  totals: Type.Optional(Type.Record(Type.String(), CellValue)),
});
export type PreviewResult = Static<typeof PreviewResult>;

export const FieldInfo = Type.Object({
  field: Type.String(),
  label: Type.String(),
  labelEn: Type.String(),
  /** Personal data shown masked unless the export is unmasked. */
  pii: Type.Boolean(),
  sortable: Type.Boolean(),
});
export type FieldInfo = Static<typeof FieldInfo>;

export const FieldCatalogue = Type.Object({
  entities: Type.Array(
    Type.Object({
      entity: Type.Enum(REPORT_ENTITIES),
      label: Type.String(),
      labelEn: Type.String(),
      fields: Type.Array(FieldInfo),
      /** Columns of a count_by report: group dimensions and counts (`tag:<code>` counts holders of a tag). */
      measures: Type.Array(FieldInfo),
      filters: Type.Array(Type.String()),
    }),
  ),
  groupBy: Type.Array(Type.Enum(GROUP_BYS)),
});
export type FieldCatalogue = Static<typeof FieldCatalogue>;
