import { expect, it } from 'vitest';
import { ensureTag } from '../../test/people-factories.js';
import { describeEachDb } from '../../test/test-app.js';

describeEachDb('visit rules and the tag dictionary', (env) => {
  it('keeps a tag a visit rule refers to, naming the rule; deletes it once the rule no longer does', async () => {
    const tagId = Number(await ensureTag(env.db, 'rules_guard_tag'));
    const made = await env.as('admin', {
      method: 'POST',
      url: '/api/visit-rules',
      payload: { code: 'guard_weekly', kind: 'periodic', name: '守护标签周访', tagId, every: 1, unit: 'week' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const rule = made.json() as { id: number; version: number };

    const refused = await env.as('admin', { method: 'DELETE', url: `/api/people/tags/${tagId}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'VISIT_RULE_USES_TAG' });
    expect(refused.json().message).toContain('守护标签周访');
    expect(await env.db.query('SELECT id FROM tags WHERE id = $1', [tagId])).toHaveLength(1);

    // the rule moves to another tag: the first one may go
    const other = Number(await ensureTag(env.db, 'rules_guard_other'));
    const moved = await env.as('admin', {
      method: 'PATCH',
      url: `/api/visit-rules/${rule.id}`,
      payload: { version: rule.version, tagId: other },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const deleted = await env.as('admin', { method: 'DELETE', url: `/api/people/tags/${tagId}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await env.db.query('SELECT id FROM tags WHERE id = $1', [tagId])).toHaveLength(0);
  });
});
