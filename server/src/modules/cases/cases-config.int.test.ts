import { expect, it } from 'vitest';
import { describeEachDb } from '../../test/test-app.js';
import { shanghaiTime } from './calendar.logic.js';
import { dueAt, loadWorkCalendar } from './calendar.service.js';

describeEachDb('cases configuration', (env) => {
  const audit = async (action: string) =>
    env.db.query<{ target_id: string; diff: unknown }>(
      'SELECT target_id, diff FROM audit_log WHERE action = $1 ORDER BY id',
      [action],
    );

  it('shows a year of the official calendar with the default working periods', async () => {
    const res = await env.as('admin', { method: 'GET', url: '/api/cases/calendar?year=2026' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.year).toBe(2026);
    expect(body.periods).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ]);
    expect(body.days).toContainEqual({ date: '2026-02-16', kind: 'holiday', name: '春节', source: 'official' });
    expect(body.days).toContainEqual({ date: '2026-02-28', kind: 'workday', name: '春节', source: 'official' });
    // chinese-days holds the State Council's schedule through 2026; today (the test's) decides "next year".
    const thisYear = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
    expect(body.warning).toBe(thisYear + 1 >= 2027 ? 'NEXT_YEAR_EMPTY' : null);
  });

  it('refuses the calendar and every setting to anyone but a system administrator', async () => {
    for (const user of ['jiedao', 'shequ', 'wangge', 'jumin']) {
      const res = await env.as(user, { method: 'GET', url: '/api/cases/calendar?year=2026' });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
      const put = await env.as(user, {
        method: 'PUT',
        url: '/api/cases/calendar/overrides/2026-03-09',
        payload: { kind: 'holiday' },
      });
      expect(put.statusCode).toBe(403);
    }
    expect((await env.as(null, { method: 'GET', url: '/api/cases/calendar' })).statusCode).toBe(401);
    expect((await env.db.query(`SELECT 1 FROM work_calendar_overrides WHERE day = '2026-03-09'`)).length).toBe(0);
  });

  it('keeps local overrides, moves deadlines with them, and removes them again', async () => {
    const start = shanghaiTime('2026-03-06', '16:30'); // Friday
    const sla = { amount: 2, unit: 'working_hours' as const };
    expect((await dueAt(env.db, start, sla))?.toISOString()).toBe(shanghaiTime('2026-03-09', '10:00').toISOString());

    const put = await env.as('admin', {
      method: 'PUT',
      url: '/api/cases/calendar/overrides/2026-03-09',
      payload: { kind: 'holiday', name: '  本地停工 ' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ date: '2026-03-09', kind: 'holiday', name: '本地停工', source: 'local' });
    const view = (await env.as('admin', { method: 'GET', url: '/api/cases/calendar?year=2026' })).json();
    expect(view.days).toContainEqual({ date: '2026-03-09', kind: 'holiday', name: '本地停工', source: 'local' });
    // The cached calendar was replaced: the deadline moves past the new holiday.
    expect((await dueAt(env.db, start, sla))?.toISOString()).toBe(shanghaiTime('2026-03-10', '10:00').toISOString());
    expect((await audit('cases.calendar.override')).map((a) => a.target_id)).toContain('2026-03-09');

    const del = await env.as('admin', { method: 'DELETE', url: '/api/cases/calendar/overrides/2026-03-09' });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({ ok: true });
    expect((await dueAt(env.db, start, sla))?.toISOString()).toBe(shanghaiTime('2026-03-09', '10:00').toISOString());
    const again = await env.as('admin', { method: 'DELETE', url: '/api/cases/calendar/overrides/2026-03-09' });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'CASE_CALENDAR_OVERRIDE_NOT_FOUND', field: 'date' });
    expect((await audit('cases.calendar.override_delete')).map((a) => a.target_id)).toEqual(['2026-03-09']);
  });

  it('refuses days that do not exist and kinds that are not', async () => {
    const bad = await env.as('admin', {
      method: 'PUT',
      url: '/api/cases/calendar/overrides/2026-02-30',
      payload: { kind: 'holiday' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'DATE_INVALID', field: 'date' });
    const kind = await env.as('admin', {
      method: 'PUT',
      url: '/api/cases/calendar/overrides/2026-03-02',
      payload: { kind: 'halfday' },
    });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().code).toBe('VALIDATION');
  });

  it('lets a next year be entered by hand, which clears the warning', async () => {
    const thisYear = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
    const next = thisYear + 1;
    if (next <= 2026) return; // chinese-days already holds that year
    const day = `${next}-02-08`;
    await env.as('admin', {
      method: 'PUT',
      url: `/api/cases/calendar/overrides/${day}`,
      payload: { kind: 'holiday', name: '春节' },
    });
    const view = (await env.as('admin', { method: 'GET', url: `/api/cases/calendar?year=${next}` })).json();
    expect(view.warning).toBeNull();
    expect(view.days).toEqual([{ date: day, kind: 'holiday', name: '春节', source: 'local' }]);
    await env.as('admin', { method: 'DELETE', url: `/api/cases/calendar/overrides/${day}` });
  });

  it('sets the working periods, and refuses overlapping ones', async () => {
    const res = await env.as('admin', {
      method: 'PUT',
      url: '/api/cases/calendar/periods',
      payload: {
        periods: [
          { start: '08:30', end: '12:00' },
          { start: '14:00', end: '18:00' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().periods).toEqual([
      { start: '08:30', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ]);
    expect((await loadWorkCalendar(env.db)).periods[0]).toEqual({ start: '08:30', end: '12:00' });
    const start = shanghaiTime('2026-03-09', '11:00');
    expect((await dueAt(env.db, start, { amount: 2, unit: 'working_hours' }))?.toISOString()).toBe(
      shanghaiTime('2026-03-09', '15:00').toISOString(),
    );
    const bad = await env.as('admin', {
      method: 'PUT',
      url: '/api/cases/calendar/periods',
      payload: {
        periods: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'CASE_CALENDAR_PERIODS_INVALID', field: 'periods' });
    expect((await env.as('admin', { method: 'GET', url: '/api/cases/calendar' })).json().periods[0].start).toBe(
      '08:30',
    );
    // Back to the defaults for the other tests.
    await env.as('admin', {
      method: 'PUT',
      url: '/api/cases/calendar/periods',
      payload: {
        periods: [
          { start: '09:00', end: '12:00' },
          { start: '13:30', end: '17:30' },
        ],
      },
    });
    expect((await audit('cases.calendar.periods')).length).toBe(2);
  });

  it('creates and changes categories in a tree, with SLAs', async () => {
    const parent = await env.as('admin', {
      method: 'POST',
      url: '/api/cases/categories',
      payload: { code: 'cfg-root', nameZh: '测试大类', nameEn: 'Test class' },
    });
    expect(parent.statusCode).toBe(201);
    const root = parent.json();
    expect(root).toMatchObject({ parentId: null, code: 'cfg-root', name: '测试大类', public: true, active: true });
    const child = await env.as('admin', {
      method: 'POST',
      url: '/api/cases/categories',
      payload: {
        code: 'cfg-leaf',
        parentId: root.id,
        nameZh: '井盖缺失',
        nameEn: 'Missing manhole cover',
        urgent: true,
        responseSla: { amount: 15, unit: 'minutes' },
        handleSla: { amount: 4, unit: 'working_hours' },
        mergeRadiusM: 30,
      },
    });
    expect(child.statusCode).toBe(201);
    const leaf = child.json();
    expect(leaf).toMatchObject({
      parentId: root.id,
      urgent: true,
      responseSla: { amount: 15, unit: 'minutes' },
      handleSla: { amount: 4, unit: 'working_hours' },
      verifySla: null,
      mergeRadiusM: 30,
      mergeWindowHours: 72,
    });
    const patch = await env.as('admin', {
      method: 'PATCH',
      url: `/api/cases/categories/${leaf.id}`,
      headers: { 'accept-language': 'en' },
      payload: { handleSla: { amount: 2, unit: 'working_days' }, public: false, responseSla: null },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({
      name: 'Missing manhole cover',
      handleSla: { amount: 2, unit: 'working_days' },
      responseSla: null,
      public: false,
    });
    const [row] = await env.db.query<{ handle_sla: unknown; public: boolean }>(
      'SELECT handle_sla, public FROM case_categories WHERE id = $1',
      [leaf.id],
    );
    expect(row).toEqual({ handle_sla: { amount: 2, unit: 'working_days' }, public: false });
    expect((await audit('cases.category.update')).map((a) => a.target_id)).toContain(String(leaf.id));

    // Refusals: a taken code, a cycle, an unknown category, a bad SLA.
    const taken = await env.as('admin', {
      method: 'POST',
      url: '/api/cases/categories',
      payload: { code: 'CFG-ROOT', nameZh: '重复', nameEn: 'Dup' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'CASE_CATEGORY_CODE_TAKEN', field: 'code' });
    const cycle = await env.as('admin', {
      method: 'PATCH',
      url: `/api/cases/categories/${root.id}`,
      payload: { parentId: leaf.id },
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json()).toMatchObject({ code: 'CASE_CATEGORY_PARENT_INVALID', field: 'parentId' });
    const missing = await env.as('admin', { method: 'PATCH', url: '/api/cases/categories/99999999', payload: {} });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'CASE_CATEGORY_UNKNOWN' });
    const badSla = await env.as('admin', {
      method: 'PATCH',
      url: `/api/cases/categories/${leaf.id}`,
      payload: { handleSla: { amount: 0, unit: 'working_days' } },
    });
    expect(badSla.statusCode).toBe(400);
    const [unchanged] = await env.db.query<{ parent_id: number | null }>(
      'SELECT parent_id FROM case_categories WHERE id = $1',
      [root.id],
    );
    expect(unchanged!.parent_id).toBeNull();
    const refused = await env.as('jiedao', {
      method: 'POST',
      url: '/api/cases/categories',
      payload: { code: 'cfg-x', nameZh: '街道', nameEn: 'Street' },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('renames and reorders a stage, keeping its type', async () => {
    const res = await env.as('admin', {
      method: 'PATCH',
      url: '/api/cases/stages/handled',
      payload: { nameZh: '待核实', sort: 65 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      code: 'handled',
      nameZh: '待核实',
      nameEn: 'Handled, to verify',
      name: '待核实',
      type: 'in_progress',
      sort: 65,
    });
    const [row] = await env.db.query('SELECT name_zh, sort FROM case_stages WHERE code = $1', ['handled']);
    expect(row).toEqual({ name_zh: '待核实', sort: 65 });
    expect((await env.as('admin', { method: 'PATCH', url: '/api/cases/stages/nope', payload: {} })).statusCode).toBe(
      400,
    );
    const refused = await env.as('shequ', {
      method: 'PATCH',
      url: '/api/cases/stages/handled',
      payload: { nameZh: 'x' },
    });
    expect(refused.statusCode).toBe(403);
    await env.as('admin', {
      method: 'PATCH',
      url: '/api/cases/stages/handled',
      payload: { nameZh: '待核查', sort: 60 },
    });
  });
});
