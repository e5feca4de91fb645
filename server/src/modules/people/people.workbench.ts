import type { Ctx } from '../../platform/access/context.js';
import { hasPermission, type Scope, scopeFor, scopeSql } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { registerTodoSource, registerWorkbenchCard, say } from '../../platform/workbench/workbench.js';
import type { TodoGroup, WorkbenchCard } from '../../platform/workbench/workbench.schemas.js';
import * as moveInRepo from './move-in.repo.js';
import * as repo from './workbench.repo.js';

/** How many waiting move-in requests the workbench lists (the count covers them all). */
const TODO_ITEMS = 5;

async function areaName(db: Db, ctx: Ctx, scope: Scope): Promise<string> {
  if (scope.all) return say(ctx, '全部地区', 'All areas');
  const names = await repo.nodeNamesAt(db, scope.paths);
  return names.join(say(ctx, '、', ', '));
}

/**
 * 人口概况: residents, households and houses of the reader's people.read area, each special group (the tags under
 * 特殊人群; sensitive ones only for readers with people.sensitive everywhere they read), and this week's imports
 * and changes. Each figure links to the list it counts when the reader may open it.
 */
async function loadPeopleCard(ctx: Ctx, db: Db): Promise<WorkbenchCard> {
  const scope = scopeFor(ctx.principal, 'people.read');
  const inScope = (column: string) => scopeSql(scope, column);
  const totals = await repo.countPeopleTotals(db, inScope);
  // A sensitive group is counted only where its holders may be seen: people.sensitive over the whole area read.
  const sensitiveScope = scopeFor(ctx.principal, 'people.sensitive');
  const seesSensitive =
    sensitiveScope.all || (!scope.all && scope.paths.every((p) => sensitiveScope.paths.some((s) => p.startsWith(s))));
  const groups = (await repo.countSpecialGroups(db, inScope)).filter((g) => seesSensitive || !g.sensitive);
  const week = await repo.countWeekActivity(db, inScope);
  const canImport = hasPermission(ctx.principal, 'people.import');
  const canAudit = hasPermission(ctx.principal, 'audit.read');
  const from = canAudit ? (await repo.weekStart(db)).toISOString() : null;
  return {
    id: 'people.figures',
    title: say(ctx, '人口概况', 'People'),
    area: await areaName(db, ctx, scope),
    sections: [
      {
        key: 'totals',
        title: null,
        figures: [
          { key: 'residents', label: say(ctx, '居民', 'Residents'), value: totals.residents, link: '/people' },
          { key: 'households', label: say(ctx, '户', 'Households'), value: totals.households, link: null },
          { key: 'houses', label: say(ctx, '房屋', 'Houses'), value: totals.houses, link: '/people/buildings' },
        ],
      },
      {
        key: 'groups',
        title: say(ctx, '特殊人群', 'Special groups'),
        figures: groups.map((g) => ({
          key: g.code,
          label: g.name,
          value: g.holders,
          link: `/people?tag=${encodeURIComponent(g.code)}`,
        })),
      },
      {
        key: 'week',
        title: say(ctx, '本周', 'This week'),
        figures: [
          {
            key: 'imports',
            label: say(ctx, '导入批次', 'Imports'),
            value: week.imports,
            link: canImport ? '/people/import' : null,
          },
          { key: 'importedRows', label: say(ctx, '导入人数', 'People imported'), value: week.importedRows, link: null },
          {
            key: 'changes',
            label: say(ctx, '人房变更', 'Changes to people and houses'),
            value: week.changes,
            link: from ? `/audit?from=${encodeURIComponent(from)}` : null,
          },
        ],
      },
    ],
  };
}

/** 迁入申请 waiting for the reader's decision: pending requests about people held in their people.write area. */
async function loadMoveInTodos(ctx: Ctx, db: Db): Promise<TodoGroup | null> {
  const { rows, total } = await moveInRepo.listMoveIns(db, {
    where: [scopeSql(scopeFor(ctx.principal, 'people.write'), 'm.holder_path'), "m.status = 'pending'"],
    params: [],
    limit: TODO_ITEMS,
    offset: 0,
  });
  return {
    id: 'people.move_in',
    title: say(ctx, '待处理的迁入申请', 'Move-in requests to decide'),
    total,
    link: '/people/move-in',
    items: rows.map((m) => ({
      id: String(m.id),
      title: m.name,
      detail: say(
        ctx,
        `${m.requester_name} 申请迁入 ${m.dest_place ?? ''}${m.room_no ? ` ${m.room_no}` : ''}`,
        `${m.requester_name} asks to move them to ${m.dest_place ?? ''}${m.room_no ? ` ${m.room_no}` : ''}`,
      ),
      at: m.created_at.toISOString(),
      link: '/people/move-in',
    })),
  };
}

/** The people module's workbench contributions (registered with the module hooks, before any request). */
export function registerPeopleWorkbench(): void {
  registerWorkbenchCard({ id: 'people.figures', permission: 'people.read', order: 10, load: loadPeopleCard });
  registerTodoSource({ id: 'people.move_in', permission: 'people.write', order: 10, load: loadMoveInTodos });
}
