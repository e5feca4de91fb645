/**
 * Derived tags compare ages through birth-date cut-offs; they must agree with PostgreSQL's own age() for every
 * operator, including birthdays on 29 February and days either side of each anniversary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/client.js';
import { createTestDb, testDbKinds } from '../../test/test-db.js';
import { RULE_OPS, tagRuleToSql } from './people.logic.js';

for (const kind of testDbKinds()) {
  describe(`derived tag age conditions [${kind}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ db, drop } = await createTestDb(kind));
    }, 60_000);
    afterAll(async () => {
      await drop();
    });

    it('agree with age() for every operator around anniversaries and 29 February', async () => {
      for (const today of ['2024-02-28', '2024-02-29', '2024-03-01', '2025-02-28', '2025-03-01', '2026-11-24']) {
        for (const op of RULE_OPS) {
          for (const n of [0, 1, 17, 18, 60, 80]) {
            const params: unknown[] = [today];
            const cond = tagRuleToSql({ all: [{ fact: 'age', op, value: n }] }, params, '$1');
            params.push(n);
            const sqlOp = op === '!=' ? '<>' : op;
            const rows = await db.query<{ births: number; wrong: number }>(
              `SELECT count(*)::int AS births,
                      count(*) FILTER (WHERE (${cond}) IS DISTINCT FROM
                        (extract(year FROM age($1::date, r.birth_date)) ${sqlOp} $${params.length}::int))::int AS wrong
                 FROM (SELECT ($1::date - make_interval(years => y))::date + o AS birth_date
                         FROM generate_series(0, 82) AS y, generate_series(-3, 3) AS o
                       UNION ALL
                       SELECT make_date(y, 3, 1) - d FROM generate_series(1940, 2024) AS y, generate_series(0, 2) AS d) r
                WHERE r.birth_date <= $1::date`,
              params,
            );
            expect(rows[0]!.births, `${today} ${op} ${n}`).toBeGreaterThan(700);
            expect(rows[0]!.wrong, `${today} age ${op} ${n}`).toBe(0);
          }
        }
      }
    });
  });
}
