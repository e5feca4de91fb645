/**
 * Task generation (visits.generate, daily at 00:20 Asia/Shanghai and once at start; visits.events every 5 minutes
 * for event rules; "generate now" on the rules page): in one transaction under an advisory lock, withdraw open
 * tasks whose facts changed, create the current period's periodic tasks and the tasks of recent events, and give
 * open tasks made before the run to the person now responsible (the daily run only). Idempotent: the unique key (rule, subject, reason) makes a second run
 * create nothing.
 */
import type { Db } from '../../platform/db/client.js';
import * as repo from './generation.repo.js';
import { eventWindowStart, periodContaining, shanghaiDay } from './rules.logic.js';
import * as rulesRepo from './rules.repo.js';
import type { GenerationResult } from './visits.schemas.js';

/** Rows created in a run beyond which visit_tasks is analysed before reassignment (as imports do). */
const ANALYZE_AFTER = 500;

export type GenerationOptions = {
  /** The time the run counts from (periods, event windows, withdrawal time); default now. */
  now?: Date;
  /** 'event': only event rules (the 5-minute job); default every enabled rule. */
  only?: 'event';
};

export async function generateVisitTasks(db: Db, opts: GenerationOptions = {}): Promise<GenerationResult> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const day = shanghaiDay(now);
  const r = await db.transaction(async (tx) => {
    await repo.lockGeneration(tx);
    const withdrawn = await repo.withdrawStale(tx, now);
    let created = 0;
    for (const rule of await rulesRepo.listRules(tx)) {
      if (!rule.enabled) continue;
      if (rule.kind === 'periodic') {
        if (opts.only === 'event' || rule.every === null || rule.unit === null) continue;
        created += await repo.generatePeriodic(tx, rule, periodContaining(day, rule.every, rule.unit), day);
      } else {
        created += await repo.generateEvent(tx, rule, eventWindowStart(rule.createdAt, now), day);
      }
    }
    // Many new rows (the first run, a new period): the planner must know before reading them back.
    if (created >= ANALYZE_AFTER) await repo.analyzeTasks(tx);
    // Reassignment reads every open task made before this run: the daily run's work, not the 5-minute events job's
    // (a task made by an event run already went to the person responsible at the time).
    const reassigned = opts.only === 'event' ? 0 : await repo.reassignOpen(tx, day);
    return { created, withdrawn, reassigned };
  });
  return { ...r, ms: Date.now() - started };
}
