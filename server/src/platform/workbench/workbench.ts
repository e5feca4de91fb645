import type { Ctx } from '../access/context.js';
import type { Permission } from '../access/roles.js';
import { hasPermission } from '../access/scope.js';
import type { Db } from '../db/client.js';
import type { TodoGroup, Workbench, WorkbenchCard } from './workbench.schemas.js';

/**
 * The workbench (工作台) contract. A module contributes cards of figures and sources of things to do; the
 * workbench answers each reader with only those whose permission the reader holds (anywhere: the loader scopes
 * its figures itself, through `platform/access/scope.ts`). A loader answers null when it has nothing to show.
 */
export type WorkbenchCardDef = {
  /** Unique and stable, `<module>.<name>` (the console keys its rendering by it). */
  id: string;
  permission: Permission;
  /** Cards are shown in ascending order (default 100). */
  order?: number;
  load(ctx: Ctx, db: Db): Promise<WorkbenchCard | null>;
};

export type TodoSourceDef = {
  id: string;
  permission: Permission;
  order?: number;
  /** What waits for the reader: `total` counts all of it, `items` the first few (newest or most urgent first). */
  load(ctx: Ctx, db: Db): Promise<TodoGroup | null>;
};

const cards = new Map<string, WorkbenchCardDef>();
const todoSources = new Map<string, TodoSourceDef>();

/** Registers (or replaces, so that building several apps in one process is harmless) a card. */
export function registerWorkbenchCard(def: WorkbenchCardDef): void {
  cards.set(def.id, def);
}

export function registerTodoSource(def: TodoSourceDef): void {
  todoSources.set(def.id, def);
}

function permitted<T extends { permission: Permission; order?: number }>(ctx: Ctx, defs: Iterable<T>): T[] {
  return [...defs]
    .filter((d) => hasPermission(ctx.principal, d.permission))
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

/** The reader's workbench: the cards and to-do sources their permissions allow, each loaded for their area. */
export async function loadWorkbench(db: Db, ctx: Ctx): Promise<Workbench> {
  const out: Workbench = { cards: [], todos: [] };
  // One after the other: PGlite has one connection anyway, and a landing page should not take a pool's worth.
  for (const def of permitted(ctx, cards.values())) {
    const card = await def.load(ctx, db);
    if (card) out.cards.push(card);
  }
  for (const def of permitted(ctx, todoSources.values())) {
    const group = await def.load(ctx, db);
    if (group) out.todos.push(group);
  }
  return out;
}

/** Text in the reader's language, for contributions' titles and labels. */
export function say(ctx: Ctx, zh: string, en: string): string {
  return ctx.locale === 'en' ? en : zh;
}
