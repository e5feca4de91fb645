/** Shapes of the cases configuration API (cases.config): the working calendar, categories, stage names. */
import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict, Text } from '../../platform/http/schemas.js';
import { CaseStageSchema, SlaSpec } from './cases.schemas.js';

const HHMM = Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' });
const DATE = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

export const WorkPeriodSchema = Strict({ start: HHMM, end: HHMM });

export const CalendarQuery = Strict({ year: Type.Optional(Type.Integer({ minimum: 2004, maximum: 2100 })) });
export const CalendarDateParams = Strict({ date: DATE });

export const CalendarDaySchema = Type.Object({
  date: Type.String(),
  kind: Type.Enum(['workday', 'holiday']),
  name: Type.String(),
  source: Type.Enum(['official', 'local']),
});
export type CalendarDayView = Static<typeof CalendarDaySchema>;

export const CalendarViewSchema = Type.Object({
  year: Type.Integer(),
  periods: Type.Array(WorkPeriodSchema),
  days: Type.Array(CalendarDaySchema),
  /** NEXT_YEAR_EMPTY: next year has no holidays yet (not published, or not yet in chinese-days; enter them here). */
  warning: Nullable(Type.Enum(['NEXT_YEAR_EMPTY'])),
});
export type CalendarViewBody = Static<typeof CalendarViewSchema>;

export const OverrideBody = Strict({
  kind: Type.Enum(['workday', 'holiday']),
  name: Type.Optional(Nullable(Text({ maxLength: 40, trim: true }))),
});
export type OverrideBody = Static<typeof OverrideBody>;

export const PeriodsBody = Strict({ periods: Type.Array(WorkPeriodSchema, { minItems: 1, maxItems: 6 }) });
export type PeriodsBody = Static<typeof PeriodsBody>;
export const PeriodsView = Type.Object({ periods: Type.Array(WorkPeriodSchema) });

const CategoryFields = {
  parentId: Type.Optional(Nullable(Id)),
  nameZh: Text({ minLength: 1, maxLength: 40, trim: true }),
  nameEn: Text({ minLength: 1, maxLength: 80, trim: true }),
  description: Type.Optional(Nullable(Text({ maxLength: 500, trim: true }))),
  class: Type.Optional(Type.Enum(['community', 'event', 'component'])),
  urgent: Type.Optional(Type.Boolean()),
  responseSla: Type.Optional(Nullable(SlaSpec)),
  handleSla: Type.Optional(Nullable(SlaSpec)),
  verifySla: Type.Optional(Nullable(SlaSpec)),
  mergeRadiusM: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000 })),
  mergeWindowHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 2160 })),
  public: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Integer({ minimum: -100000, maximum: 100000 })),
};

/** A new category; its code is fixed once created (Open311's service_code). */
export const CreateCategoryBody = Strict({
  code: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,40}$' }),
  ...CategoryFields,
});
export type CreateCategoryBody = Static<typeof CreateCategoryBody>;

export const UpdateCategoryBody = Strict({
  ...CategoryFields,
  nameZh: Type.Optional(CategoryFields.nameZh),
  nameEn: Type.Optional(CategoryFields.nameEn),
});
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>;

export const StageParams = Strict({ code: CaseStageSchema });
export const UpdateStageBody = Strict({
  nameZh: Type.Optional(Text({ minLength: 1, maxLength: 20, trim: true })),
  nameEn: Type.Optional(Text({ minLength: 1, maxLength: 40, trim: true })),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
});
export type UpdateStageBody = Static<typeof UpdateStageBody>;
