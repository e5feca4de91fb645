import { type Static, Type } from 'typebox';
import { Nullable, Timestamp } from '../http/schemas.js';

/** One number on a card; `link` is a console path showing what it counts (null when the reader may not open it). */
export const WorkbenchFigure = Type.Object({
  key: Type.String(),
  label: Type.String(),
  value: Type.Integer(),
  link: Nullable(Type.String()),
});
export type WorkbenchFigure = Static<typeof WorkbenchFigure>;

export const WorkbenchSection = Type.Object({
  key: Type.String(),
  title: Nullable(Type.String()),
  figures: Type.Array(WorkbenchFigure),
});
export type WorkbenchSection = Static<typeof WorkbenchSection>;

/** A card of figures, in the reader's language, for the reader's area (`area` names it). */
export const WorkbenchCard = Type.Object({
  id: Type.String(),
  title: Type.String(),
  area: Nullable(Type.String()),
  sections: Type.Array(WorkbenchSection),
});
export type WorkbenchCard = Static<typeof WorkbenchCard>;

export const TodoItem = Type.Object({
  id: Type.String(),
  title: Type.String(),
  detail: Nullable(Type.String()),
  at: Nullable(Timestamp),
  link: Nullable(Type.String()),
});
export type TodoItem = Static<typeof TodoItem>;

/** What one to-do source has waiting for the reader: how many in all, the first few, and where the rest are. */
export const TodoGroup = Type.Object({
  id: Type.String(),
  title: Type.String(),
  total: Type.Integer(),
  link: Nullable(Type.String()),
  items: Type.Array(TodoItem),
});
export type TodoGroup = Static<typeof TodoGroup>;

export const Workbench = Type.Object({
  cards: Type.Array(WorkbenchCard),
  todos: Type.Array(TodoGroup),
});
export type Workbench = Static<typeof Workbench>;
