import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, hasPermission, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { BUILTIN_TAGS, parseTagRule, type TagRule, tagRuleToSql } from './people.logic.js';
import type { Tag, TagBody, UpdateTagBody } from './people.schemas.js';
import * as repo from './tags.repo.js';

/** Adds the built-in tag dictionary entries that are missing (at start; administrators may edit them after). */
export async function ensureBuiltinTags(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    let added = 0;
    for (const [i, t] of BUILTIN_TAGS.entries()) {
      if (await repo.findTagByCode(tx, t.code)) continue;
      const parent = t.parent ? await repo.findTagByCode(tx, t.parent) : undefined;
      await repo.insertTag(tx, {
        parentId: parent?.id ?? null,
        code: t.code,
        name: t.name,
        sensitive: t.sensitive,
        rule: t.rule ?? null,
        description: t.description ?? null,
        sort: i,
      });
      added++;
    }
    return added;
  });
}

/**
 * Recomputes every derived tag for the residents selected by `where` (a condition over `residents r`,
 * default all), in set-based statements — cheap enough to run after every import and every change.
 */
export async function refreshDerivedTags(
  q: Queryable,
  opts: { where?: string; params?: unknown[]; today?: string } = {},
): Promise<{ added: number; removed: number }> {
  const today = opts.today ?? new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const tags = (await repo.listTags(q)).filter((t) => t.rule !== null);
  if (tags.length === 0) return { added: 0, removed: 0 };
  const params: unknown[] = [...(opts.params ?? []), today];
  const todayParam = `$${params.length}`;
  const rules = tags.map((tag) => ({ tagId: tag.id, sql: tagRuleToSql(tag.rule as TagRule, params, todayParam) }));
  return repo.refreshRuleTags(q, rules, params, opts.where ?? 'TRUE');
}

/** The dictionary is shared by every county, so only a system-wide tags.manage (path null) may change it. */
function assertDictionaryManager(ctx: Ctx): void {
  assertCan(ctx.principal, 'tags.manage', null);
}

function toTag(t: repo.TagRow): Tag {
  return {
    id: t.id,
    parentId: t.parent_id,
    code: t.code,
    name: t.name,
    sensitive: t.sensitive,
    rule: t.rule,
    description: t.description,
    holders: t.holders ?? null,
  };
}

/** The tag dictionary with the number of living holders in the caller's scope; sensitive tags only for those who may see them. */
export async function listTagsFor(db: Db, ctx: Ctx): Promise<Tag[]> {
  assertPermission(ctx.principal, 'people.read');
  const sensitive = hasPermission(ctx.principal, 'people.sensitive');
  const rows = await repo.listTags(db, scopeSql(scopeFor(ctx.principal, 'people.read'), 'r.node_path'));
  return rows.filter((t) => sensitive || !t.sensitive).map(toTag);
}

async function audited(
  q: Queryable,
  ctx: Ctx,
  action: string,
  t: { id: number; name: string },
  before: unknown,
  after: unknown,
) {
  await recordAudit(q, ctx, {
    action,
    targetType: 'tag',
    targetId: t.id,
    targetLabel: t.name,
    scopePath: null,
    countyId: null,
    before: before as Record<string, unknown> | null,
    after: after as Record<string, unknown> | null,
  });
}

/** @throws TAG_CODE_DUPLICATE, TAG_RULE_INVALID, TAG_NOT_FOUND (parent) */
export async function createTag(db: Db, ctx: Ctx, body: TagBody): Promise<Tag> {
  assertDictionaryManager(ctx);
  const rule = body.rule === undefined || body.rule === null ? null : parseTagRule(body.rule);
  const id = await db.transaction(async (tx) => {
    if (body.parentId && !(await repo.findTag(tx, body.parentId)))
      throw new AppError('TAG_NOT_FOUND', { field: 'parentId' });
    if (await repo.findTagByCode(tx, body.code))
      throw new AppError('TAG_CODE_DUPLICATE', { field: 'code', params: { code: body.code } });
    const t = {
      parentId: body.parentId ?? null,
      code: body.code,
      name: body.name.trim(),
      sensitive: body.sensitive,
      rule,
      description: body.description?.trim() || null,
      sort: 100,
    };
    const newId = await repo.insertTag(tx, t);
    await audited(tx, ctx, 'tag.create', { id: newId, name: t.name }, null, t);
    if (rule) await refreshDerivedTags(tx);
    return newId;
  });
  return toTag((await repo.findTag(db, id))!);
}

/** Changing a rule recomputes it for everyone at once. @throws TAG_NOT_FOUND, TAG_RULE_INVALID */
export async function updateTag(db: Db, ctx: Ctx, id: number, body: UpdateTagBody): Promise<Tag> {
  assertDictionaryManager(ctx);
  await db.transaction(async (tx) => {
    const t = await repo.findTag(tx, id);
    if (!t) throw new AppError('TAG_NOT_FOUND');
    const rule = body.rule === undefined ? t.rule : body.rule === null ? null : parseTagRule(body.rule);
    const next = {
      name: body.name?.trim() ?? t.name,
      sensitive: body.sensitive ?? t.sensitive,
      rule,
      description: body.description === undefined ? t.description : body.description?.trim() || null,
      sort: t.sort,
    };
    await repo.updateTag(tx, id, next);
    if (t.rule && !rule) await repo.deleteTagAssignments(tx, id, true);
    if (JSON.stringify(t.rule) !== JSON.stringify(rule)) await refreshDerivedTags(tx);
    await audited(
      tx,
      ctx,
      'tag.update',
      t,
      { name: t.name, sensitive: t.sensitive, rule: t.rule, description: t.description },
      next,
    );
  });
  return toTag((await repo.findTag(db, id))!);
}

/** @throws TAG_NOT_FOUND, TAG_IN_USE, TAG_HAS_CHILDREN */
/** Another module that refers to tags (visit rules) may refuse a tag's deletion: the guard answers why, or null. */
export type TagDeleteGuard = (q: Queryable, tagId: number) => Promise<AppError | null>;
const tagDeleteGuards: TagDeleteGuard[] = [];
export function addTagDeleteGuard(guard: TagDeleteGuard): void {
  if (!tagDeleteGuards.includes(guard)) tagDeleteGuards.push(guard);
}

export async function deleteTag(db: Db, ctx: Ctx, id: number): Promise<void> {
  assertDictionaryManager(ctx);
  await db.transaction(async (tx) => {
    const t = await repo.findTag(tx, id);
    if (!t) throw new AppError('TAG_NOT_FOUND');
    const holders = await repo.countTagHolders(tx, id);
    if (holders > 0 && !t.rule) throw new AppError('TAG_IN_USE', { params: { count: holders } });
    if ((await repo.countChildTags(tx, id)) > 0) throw new AppError('TAG_HAS_CHILDREN');
    for (const guard of tagDeleteGuards) {
      const refusal = await guard(tx, id);
      if (refusal) throw refusal;
    }
    await repo.deleteTagAssignments(tx, id, false);
    await repo.deleteTag(tx, id);
    await audited(tx, ctx, 'tag.delete', t, { code: t.code, name: t.name }, null);
  });
}

/** Recomputes every derived tag now (they are also recomputed on every change and nightly). */
export async function refreshAllDerivedTags(db: Db, ctx: Ctx): Promise<{ added: number; removed: number }> {
  assertDictionaryManager(ctx);
  return db.transaction(async (tx) => {
    const r = await refreshDerivedTags(tx);
    await recordAudit(tx, ctx, {
      action: 'tag.refresh',
      targetType: 'tag',
      targetId: null,
      scopePath: null,
      countyId: null,
      diff: { added: [0, r.added], removed: [0, r.removed] },
    });
    return r;
  });
}

/**
 * Ages move once a day, and every change already refreshes the residents it touches: so the whole
 * recomputation runs once per calendar day (Asia/Shanghai), however often servers start or check.
 */
export async function refreshDerivedTagsDaily(db: Db): Promise<{ added: number; removed: number } | null> {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  if ((await repo.derivedTagsRefreshedOn(db)) === today) return null;
  return db.transaction(async (tx) => {
    const r = await refreshDerivedTags(tx, { today });
    await repo.markDerivedTagsRefreshed(tx, today);
    return r;
  });
}
