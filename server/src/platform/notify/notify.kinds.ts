/**
 * The kinds of message modules declare, and the link resolvers they register: what a message's record is and
 * whether a reader may still open it. Both are static registrations made when the app is built.
 */
import type { Ctx } from '../access/context.js';
import type { Queryable } from '../db/client.js';
import type { Locale } from './notify.logic.js';

export type Urgency = 'normal' | 'urgent';

/** The record a message is about; `nodePath` places it for scope (who may see it is still asked on opening). */
export type MessageLink = { type: string; id: number; nodePath?: string | null };

export type KindDef = {
  /** `module.event`, e.g. 'people.id_clash_limit'. */
  kind: string;
  /** Title templates with `{payloadField}` placeholders. */
  title: Record<Locale, string>;
  urgency: Urgency;
  link?: (payload: Record<string, unknown>) => MessageLink | null;
  /** Shown in the preferences (default: the zh-CN/en title with its placeholders). */
  label?: Record<Locale, string>;
};

/** Whether the reader may open the record now (false: the message shows without its link). */
export type LinkResolver = (q: Queryable, ctx: Ctx, id: number) => Promise<boolean>;

const kinds = new Map<string, KindDef>();
const resolvers = new Map<string, LinkResolver>();

/** Declares a kind of message (idempotent for the same name: building a second app re-declares it). */
export function defineKind(def: KindDef): KindDef {
  if (!/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/.test(def.kind)) throw new Error(`invalid kind name ${def.kind}`);
  kinds.set(def.kind, def);
  return def;
}

export function getKind(kind: string): KindDef | undefined {
  return kinds.get(kind);
}

export function listKinds(): KindDef[] {
  return [...kinds.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}

/** Registers how to check a link type (`resident`, `move_in_request` …) for a reader. */
export function registerLinkResolver(type: string, resolve: LinkResolver): void {
  resolvers.set(type, resolve);
}

/** The link if the reader may open it; null for an unknown type, a vanished record or one out of their scope. */
export async function resolveLink(q: Queryable, ctx: Ctx, type: string | null, id: number | null) {
  if (!type || id === null) return null;
  const resolve = resolvers.get(type);
  if (!resolve) return null;
  return (await resolve(q, ctx, id)) ? { type, id } : null;
}
