import http from 'node:http';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, type Role } from '../../platform/access/roles.js';
import {
  type BuiltResident,
  buildHouse,
  buildHousehold,
  buildResident,
  buildResidents,
  firstNodeUnder,
  setHouseholdHead,
} from '../../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { ensureBuiltinReports } from './reports.service.js';

type Sheet = {
  title: string;
  header: string[];
  headerBold: boolean;
  frozenRows: number | undefined;
  rows: (string | number | null)[][];
  formulas: number;
};

async function readSheet(buf: Buffer): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  // Cells covered by a merge read as the merge's value in exceljs: keep it in the first cell only.
  const values = (n: number) => {
    const out: (string | number | null)[] = Array.from({ length: ws.columnCount }, () => null);
    ws.getRow(n).eachCell((c, colNo) => {
      if (c.isMerged && c.master.address !== c.address) return;
      out[colNo - 1] = c.value as string | number | null;
    });
    return out;
  };
  const rows: (string | number | null)[][] = [];
  let formulas = 0;
  for (let i = 3; i <= ws.rowCount; i++) {
    rows.push(values(i));
    ws.getRow(i).eachCell((c) => {
      if (c.type === ExcelJS.ValueType.Formula) formulas++;
    });
  }
  const view = ws.views[0] as { state?: string; ySplit?: number } | undefined;
  return {
    title: String(values(1)[0] ?? ''),
    header: values(2).map(String),
    headerBold: ws.getRow(2).font?.bold === true || ws.getCell(2, 1).font?.bold === true,
    frozenRows: view?.state === 'frozen' ? view.ySplit : undefined,
    rows,
    formulas,
  };
}

const col = (s: Sheet, label: string) => {
  const i = s.header.indexOf(label);
  if (i < 0) throw new Error(`no column ${label} in ${s.header.join(',')}`);
  return s.rows.map((r) => r[i] ?? null);
};

const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;

describeEachDb('reports', (env: TestEnv) => {
  const ids: Record<string, number> = {};
  const people: Record<string, BuiltResident> = {};
  let unitA: number;
  let unitB: number;
  let unitC: number;
  let bulkUnit: number;

  const get = (user: string | null, url: string) => env.as(user, { method: 'GET', url });
  const templateId = async (code: string) => {
    const rows = await env.db.query<{ id: number }>('SELECT id FROM report_templates WHERE code = $1', [code]);
    return rows[0]!.id;
  };
  const exportOf = async (user: string, code: string, query = '') => {
    const res = await get(user, `/api/reports/templates/${await templateId(code)}/export${query}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return { res, sheet: await readSheet(res.rawPayload) };
  };

  beforeAll(async () => {
    // The test env seeds reference data like a start does: seeding again changes nothing.
    expect(await ensureBuiltinReports(env.db)).toBe(0);
    const builtin = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM report_templates WHERE builtin');
    expect(builtin[0]!.n).toBe(5);
    await env.db.query('UPDATE users SET must_change_password = false');

    // 东关社区: unit A in 第一网格 (the grid worker's), unit B in 第二网格; unit C in 西关社区 (outside shequ).
    unitA = env.ids.unit!;
    const secondGrid = await firstNodeUnder(env.db, env.ids.community!, 'grid', 1);
    unitB = await firstNodeUnder(env.db, secondGrid, 'unit');
    const xiguan = (await env.db.query<{ id: number }>(`SELECT id FROM org_nodes WHERE name = '西关社区'`))[0]!.id;
    unitC = await firstNodeUnder(env.db, xiguan, 'unit');
    bulkUnit = await firstNodeUnder(env.db, env.ids.grid!, 'unit', 3);

    const houseA = await buildHouse(env, { nodeId: unitA, roomNo: '101', use: 'rented', floor: 1, area: 88.5 });
    const houseB = await buildHouse(env, { nodeId: unitB, roomNo: '201', use: 'owner_occupied' });
    const houseC = await buildHouse(env, { nodeId: unitC, roomNo: '301', use: 'rented' });
    ids.houseA = houseA.id;
    ids.houseC = houseC.id;
    const hhA = await buildHousehold(env, { nodeId: unitA, houseId: houseA.id, householdNo: 'DG-0001' });

    people.alone = await buildResident(env, {
      nodeId: unitA,
      name: '王秀英',
      sex: 'female',
      birthDate: '1940-05-06',
      phone: '13812345678',
      currentAddress: '东关街1号',
      tags: ['aged_80', 'elderly_alone'],
      contacts: [{ name: '李小红', relation: '女儿', phone: '13900001111' }],
    });
    people.formula = await buildResident(env, {
      nodeId: unitA,
      name: '=HYPERLINK("x")',
      sex: 'male',
      birthDate: '1935-01-02',
      tags: ['aged_80'],
    });
    people.child = await buildResident(env, {
      nodeId: unitA,
      name: '刘小宝',
      sex: 'male',
      birthDate: '2016-07-01',
      houseId: houseA.id,
      householdId: hhA.id,
      relation: 'child',
      tags: ['minor', 'disabled'],
    });
    people.adult = await buildResident(env, {
      nodeId: unitA,
      name: '刘大成',
      sex: 'male',
      birthDate: '1986-02-03',
      phone: '13512349876',
      houseId: houseA.id,
      householdId: hhA.id,
      relation: 'head',
    });
    await setHouseholdHead(env.db, hhA.id, people.adult.id);
    people.moved = await buildResident(env, {
      nodeId: unitA,
      name: '迁出者',
      birthDate: '1940-01-01',
      status: 'moved_out',
      tags: ['aged_80'],
    });
    people.gridTwo = await buildResident(env, {
      nodeId: unitB,
      name: '赵德胜',
      sex: 'male',
      birthDate: '1944-03-03',
      houseId: houseB.id,
      tags: ['aged_80'],
    });
    people.xiguan = await buildResident(env, {
      nodeId: unitC,
      name: '孙桂兰',
      sex: 'female',
      birthDate: '1938-08-08',
      houseId: houseC.id,
      tags: ['aged_80'],
    });
  });

  describe('templates', () => {
    it('lists the built-in templates to everyone who exports reports', async () => {
      const res = await get('wangge', '/api/reports/templates');
      expect(res.statusCode).toBe(200);
      const names = (res.json() as { items: { name: string; builtin: boolean }[] }).items.map((t) => t.name);
      expect(names).toEqual(
        expect.arrayContaining(['特殊人群花名册', '网格人口统计表', '高龄老人名单', '独居老人台账', '房屋出租登记表']),
      );
      expect((await get('louzhang', '/api/reports/templates')).statusCode).toBe(403);
    });

    it('describes the field catalogue for the template editor', async () => {
      const res = await get('jiedao', '/api/reports/fields');
      expect(res.statusCode).toBe(200);
      const body = res.json() as { entities: { entity: string; fields: { field: string; pii: boolean }[] }[] };
      const resident = body.entities.find((e) => e.entity === 'resident')!;
      expect(resident.fields.find((f) => f.field === 'idNumber')?.pii).toBe(true);
    });

    it('creates, reads, changes and deletes a custom template, naming every bad field', async () => {
      const post = (user: string, payload: object) =>
        env.as(user, { method: 'POST', url: '/api/reports/templates', payload });
      const unknownField = await post('jiedao', {
        name: '自定义',
        definition: { entity: 'resident', columns: [{ field: 'name' }, { field: 'salary' }] },
      });
      expect(unknownField.statusCode).toBe(400);
      expect(unknownField.json()).toMatchObject({ code: 'REPORT_FIELD_UNKNOWN', field: 'definition.columns.1.field' });

      const badFilter = await post('jiedao', {
        name: '自定义',
        definition: { entity: 'resident', columns: [{ field: 'name' }], filters: { sex: 'x' } },
      });
      expect(badFilter.statusCode).toBe(400);
      expect(badFilter.json()).toMatchObject({ field: 'definition.filters.sex' });

      const notApplicable = await post('jiedao', {
        name: '自定义',
        definition: { entity: 'house', columns: [{ field: 'room' }], filters: { ageMin: 60 } },
      });
      expect(notApplicable.json()).toMatchObject({
        code: 'REPORT_FILTER_NOT_APPLICABLE',
        field: 'definition.filters.ageMin',
      });

      const unknownTag = await post('jiedao', {
        name: '自定义',
        definition: { entity: 'resident', columns: [{ field: 'name' }], filters: { tagCodes: ['no_such_tag'] } },
      });
      expect(unknownTag.json()).toMatchObject({ code: 'REPORT_TAG_UNKNOWN', field: 'definition.filters.tagCodes.0' });

      expect(
        (await post('shequ', { name: 'x', definition: { entity: 'resident', columns: [{ field: 'name' }] } }))
          .statusCode,
      ).toBe(403);

      const definition = {
        entity: 'resident',
        columns: [{ field: 'grid' }, { field: 'name', label: '老人姓名' }, { field: 'age' }],
        filters: { ageMin: 80 },
        sort: { field: 'age', dir: 'desc' },
      };
      const created = await post('jiedao', { name: '八十岁以上（按年龄）', description: '测试', definition });
      expect(created.statusCode, created.body).toBe(201);
      const t = created.json() as { id: number; builtin: boolean; definition: unknown };
      expect(t.builtin).toBe(false);
      expect(t.definition).toEqual(definition);

      const preview = await get('jiedao', `/api/reports/templates/${t.id}/preview`);
      expect(preview.statusCode).toBe(200);
      const body = preview.json() as {
        columns: { key: string; label: string }[];
        rows: Record<string, unknown>[];
        total: number;
      };
      expect(body.columns.map((c) => c.label)).toEqual(['网格', '老人姓名', '年龄']);
      expect(body.total).toBe(4);
      const ages = body.rows.map((r) => r.age as number);
      expect(ages).toEqual([...ages].sort((a, b) => b - a));

      const patched = await env.as('jiedao', {
        method: 'PATCH',
        url: `/api/reports/templates/${t.id}`,
        payload: { name: '八十岁以上', definition: { ...definition, columns: [{ field: 'nonsense' }] } },
      });
      expect(patched.json()).toMatchObject({ code: 'REPORT_FIELD_UNKNOWN', field: 'definition.columns.0.field' });
      const renamed = await env.as('jiedao', {
        method: 'PATCH',
        url: `/api/reports/templates/${t.id}`,
        payload: { name: '八十岁以上' },
      });
      expect(renamed.statusCode).toBe(200);
      expect((renamed.json() as { name: string }).name).toBe('八十岁以上');

      // Someone without reports.manage may not delete it.
      const countyAdminChange = await env.as('shequ', { method: 'DELETE', url: `/api/reports/templates/${t.id}` });
      expect(countyAdminChange.statusCode).toBe(403);

      expect((await env.as('jiedao', { method: 'DELETE', url: `/api/reports/templates/${t.id}` })).statusCode).toBe(
        204,
      );
      expect((await get('jiedao', `/api/reports/templates/${t.id}`)).statusCode).toBe(404);
      const audit = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'report_template' AND target_id = $1 ORDER BY id`,
        [String(t.id)],
      );
      expect(audit.map((a) => a.action)).toEqual([
        'report_template.create',
        'report_template.update',
        'report_template.delete',
      ]);
    });

    it('shows a template narrowed to a node only to those working there', async () => {
      const xiguan = (await env.db.query<{ id: number }>(`SELECT id FROM org_nodes WHERE name = '西关社区'`))[0]!.id;
      const created = await env.as('jiedao', {
        method: 'POST',
        url: '/api/reports/templates',
        payload: {
          name: '西关高龄',
          definition: {
            entity: 'resident',
            columns: [{ field: 'name' }],
            filters: { tagCodes: ['aged_80'], nodeId: xiguan },
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as { id: number }).id;
      expect((await get('shequ', `/api/reports/templates/${id}`)).statusCode).toBe(404);
      const list = (await get('shequ', '/api/reports/templates')).json() as { items: { id: number }[] };
      expect(list.items.map((i) => i.id)).not.toContain(id);
      const rows = (await get('jiedao', `/api/reports/templates/${id}/preview`)).json() as {
        rows: { name: string }[];
      };
      expect(rows.rows.map((r) => r.name)).toEqual(['孙桂兰']);
      // shequ may not pin a template to 西关社区 either (no reports.manage, and not their community).
      const pinned = await env.as('shequ', {
        method: 'POST',
        url: '/api/reports/preview-definition',
        payload: { definition: { entity: 'resident', columns: [{ field: 'name' }], filters: { nodeId: xiguan } } },
      });
      expect([403, 404]).toContain(pinned.statusCode);
    });

    it('refuses to change or delete a built-in template', async () => {
      const id = await templateId('aged_80_roster');
      const patch = await env.as('admin', {
        method: 'PATCH',
        url: `/api/reports/templates/${id}`,
        payload: { name: 'x' },
      });
      expect(patch.statusCode).toBe(409);
      expect(patch.json()).toMatchObject({ code: 'REPORT_TEMPLATE_BUILTIN' });
      const del = await env.as('admin', { method: 'DELETE', url: `/api/reports/templates/${id}` });
      expect(del.statusCode).toBe(409);
      expect((await get('admin', `/api/reports/templates/${id}`)).statusCode).toBe(200);
    });
  });

  describe('export', () => {
    it('高龄老人名单: a community worker gets only their community, a grid worker only their grid', async () => {
      const { res, sheet } = await exportOf('shequ', 'aged_80_roster');
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['x-total-rows']).toBe('3');
      expect(String(res.headers['content-disposition'])).toMatch(
        new RegExp(`filename\\*=UTF-8''${encodeURIComponent('高龄老人名单')}-\\d{8}\\.xlsx`),
      );
      expect(sheet.title).toContain('高龄老人名单');
      expect(sheet.title).toContain('东关社区');
      expect(sheet.title).toMatch(/导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(sheet.headerBold).toBe(true);
      expect(sheet.frozenRows).toBe(2);
      expect(sheet.header).toEqual([
        '社区（村）',
        '网格',
        '姓名',
        '性别',
        '出生日期',
        '年龄',
        '身份证号',
        '联系电话',
        '现住址',
      ]);
      expect(col(sheet, '姓名').sort()).toEqual(['\'=HYPERLINK("x")', '王秀英', '赵德胜'].sort());
      expect(col(sheet, '网格')).toEqual(['第一网格', '第一网格', '第二网格']);
      for (const id of col(sheet, '身份证号')) expect(id).toMatch(MASKED_ID);
      expect(col(sheet, '联系电话')).toContain('138****5678');

      const grid = await exportOf('wangge', 'aged_80_roster');
      expect(col(grid.sheet, '姓名').sort()).toEqual(['\'=HYPERLINK("x")', '王秀英'].sort());
      expect(grid.sheet.title).toContain('第一网格');

      const street = await exportOf('jiedao', 'aged_80_roster');
      expect(col(street.sheet, '姓名')).toHaveLength(4);
      expect(col(street.sheet, '姓名')).toContain('孙桂兰');
    });

    it('narrows to a node in scope, and refuses a node outside it', async () => {
      const id = await templateId('aged_80_roster');
      const narrowed = await exportOf('shequ', 'aged_80_roster', `?nodeId=${unitB}`);
      expect(col(narrowed.sheet, '姓名')).toEqual(['赵德胜']);
      expect(narrowed.sheet.title).toContain('1单元');
      const outside = await get('shequ', `/api/reports/templates/${id}/export?nodeId=${unitC}`);
      expect(outside.statusCode).toBe(404);
      expect(outside.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND', field: 'nodeId' });
      const preview = await get('wangge', `/api/reports/templates/${id}/preview?nodeId=${unitB}`);
      expect(preview.statusCode).toBe(404);
    });

    it('neutralises a cell that would be a formula', async () => {
      const { sheet } = await exportOf('wangge', 'aged_80_roster');
      expect(col(sheet, '姓名')).toContain('\'=HYPERLINK("x")');
      expect(sheet.formulas).toBe(0);
    });

    it('unmasks ID and phone numbers only on request, with pii.reveal, and audits every export', async () => {
      const before = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.export'`,
      );
      const id = await templateId('aged_80_roster');
      // A reason is needed, and one of spaces and zero-width characters is none.
      for (const blank of ['', '%20%20%20', '%E2%80%8B%E2%80%8B%E2%80%8B', '%E3%80%80%E2%80%8D%20']) {
        const refused = await get('shequ', `/api/reports/templates/${id}/export?unmasked=true&reason=${blank}`);
        expect(refused.statusCode).toBe(400);
        expect(refused.json()).toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
      }
      const refusedBare = await get('shequ', `/api/reports/templates/${id}/export?unmasked=true`);
      expect(refusedBare.json()).toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
      const between = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.export'`,
      );
      expect(between[0]!.n).toBe(before[0]!.n);

      const reason = encodeURIComponent(' 政策申报\u200b ');
      const { res, sheet } = await exportOf('shequ', 'aged_80_roster', `?unmasked=true&reason=${reason}`);
      expect(sheet.title).toContain('含完整个人信息');
      const ids = col(sheet, '身份证号');
      expect(ids).toContain(people.alone!.idNumber);
      expect(ids.every((v) => !MASKED_ID.test(String(v)))).toBe(true);
      expect(col(sheet, '联系电话')).toContain('13812345678');

      const entries = await env.db.query<{
        reason: string;
        diff: Record<string, [unknown, unknown]>;
        actor_name: string;
        scope_path: string;
        request_id: string;
      }>(
        `SELECT reason, diff, actor_name, scope_path, request_id FROM audit_log WHERE action = 'report.export' ORDER BY id DESC LIMIT 1`,
      );
      const entry = entries[0]!;
      expect(entry.reason).toBe('政策申报');
      expect(entry.diff).toMatchObject({
        template: [null, '高龄老人名单'],
        rows: [null, 3],
        unmasked: [null, true],
      });
      expect(entry.request_id).toBe(res.headers['x-request-id']);
      const community = await env.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [
        env.ids.community,
      ]);
      expect(entry.scope_path).toBe(community[0]!.path);

      await exportOf('shequ', 'aged_80_roster');
      const last = await env.db.query<{ reason: string | null; diff: Record<string, [unknown, unknown]> }>(
        `SELECT reason, diff FROM audit_log WHERE action = 'report.export' ORDER BY id DESC LIMIT 1`,
      );
      expect(last[0]!.reason).toBeNull();
      expect(last[0]!.diff).toMatchObject({ template: [null, '高龄老人名单'], unmasked: [null, false] });
      const after = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.export'`,
      );
      expect(after[0]!.n).toBe(before[0]!.n + 2);
    });

    it('refuses an unmasked export to whoever may not reveal personal data, recording nothing', async () => {
      const id = await templateId('aged_80_roster');
      const count = async () =>
        (
          await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.export'`)
        )[0]!.n;
      const before = await count();
      expect((await get('louzhang', `/api/reports/templates/${id}/export?unmasked=true`)).statusCode).toBe(403);
      // Every built-in role that exports may also reveal; take reveal away from grid workers for a moment.
      const table = ROLE_PERMISSIONS as Record<Role, readonly string[]>;
      const saved = table.grid_worker;
      table.grid_worker = saved.filter((p) => p !== 'pii.reveal');
      try {
        const res = await get('wangge', `/api/reports/templates/${id}/export?unmasked=true`);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ code: 'REPORT_UNMASK_FORBIDDEN' });
        expect((await get('wangge', `/api/reports/templates/${id}/export`)).statusCode).toBe(200);
      } finally {
        table.grid_worker = saved;
      }
      expect(await count()).toBe(before + 1);
    });

    it('特殊人群花名册: every special group, grouped by grid, sensitive tags for those who may see them', async () => {
      const { sheet } = await exportOf('shequ', 'special_groups_roster');
      const banners = sheet.rows.filter((r) => r.slice(1).every((v) => v === null)).map((r) => r[0]);
      expect(banners).toEqual(['东关社区 第一网格（3人）', '东关社区 第二网格（1人）']);
      const records = sheet.rows.filter((r) => r.slice(1).some((v) => v !== null));
      const nameAt = sheet.header.indexOf('姓名');
      const tagsAt = sheet.header.indexOf('特殊人群类别');
      const byName = new Map(records.map((r) => [r[nameAt], r]));
      expect([...byName.keys()].sort()).toEqual(['\'=HYPERLINK("x")', '刘小宝', '王秀英', '赵德胜'].sort());
      expect(byName.get('刘小宝')![tagsAt]).toBe('未成年人、残疾人');
      expect(byName.get('王秀英')![tagsAt]).toBe('高龄老人、独居老人');
    });

    it('网格人口统计表: counts per grid of the community, every grid listed, with a total', async () => {
      const { res, sheet } = await exportOf('shequ', 'grid_population_stats');
      expect(sheet.header).toEqual([
        '社区（村）',
        '网格',
        '总人口',
        '男',
        '女',
        '60岁以上',
        '80岁以上',
        '18岁以下',
        '特殊人群数',
      ]);
      expect(sheet.rows).toHaveLength(6);
      expect(res.headers['x-total-rows']).toBe('5');
      expect(sheet.rows[0]).toEqual(['东关社区', '第一网格', 4, 3, 1, 2, 2, 1, 3]);
      expect(sheet.rows[1]).toEqual(['东关社区', '第二网格', 1, 1, 0, 1, 1, 0, 1]);
      expect(sheet.rows.slice(2, 5).map((r) => r[2])).toEqual([0, 0, 0]);
      expect(sheet.rows[5]).toEqual(['合计', null, 5, 4, 1, 3, 3, 1, 4]);
    });

    it('独居老人台账: phone, address and emergency contacts, masked', async () => {
      const { sheet } = await exportOf('shequ', 'elderly_alone_ledger');
      expect(col(sheet, '姓名')).toEqual(['王秀英']);
      expect(col(sheet, '现住址')).toEqual(['东关街1号']);
      expect(col(sheet, '紧急联系人')).toEqual(['李*红（女儿）139****1111']);
      const unmasked = await exportOf(
        'shequ',
        'elderly_alone_ledger',
        '?unmasked=true&reason=%E6%A0%B8%E5%AE%9E%E8%BA%AB%E4%BB%BD',
      );
      expect(col(unmasked.sheet, '紧急联系人')).toEqual(['李小红（女儿）13900001111']);
    });

    it('房屋出租登记表: rented houses in scope with the people living there', async () => {
      const { sheet } = await exportOf('shequ', 'rented_houses_register');
      expect(col(sheet, '房号')).toEqual(['101']);
      expect(col(sheet, '面积（㎡）')).toEqual([88.5]);
      expect(col(sheet, '居住人数')).toEqual([2]);
      const detail = String(col(sheet, '承租居住人员（姓名、身份证号、电话）')[0]);
      expect(detail).toContain('刘小宝（');
      expect(detail).toContain('刘大成（');
      expect(detail).toContain('135****9876');
      expect(detail).not.toContain(people.adult!.idNumber);
      const street = await exportOf('jiedao', 'rented_houses_register');
      expect(col(street.sheet, '房号')).toEqual(['101', '301']);
    });

    it('previews a template and an unsaved definition, masked', async () => {
      const id = await templateId('aged_80_roster');
      const res = await get('shequ', `/api/reports/templates/${id}/preview?limit=2`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { rows: Record<string, string>[]; total: number; columns: { key: string }[] };
      expect(body.total).toBe(3);
      expect(body.rows).toHaveLength(2);
      expect(body.rows[0]!.idNumber).toMatch(MASKED_ID);

      const def = await env.as('shequ', {
        method: 'POST',
        url: '/api/reports/preview-definition',
        payload: {
          definition: {
            entity: 'household',
            columns: [{ field: 'householdNo' }, { field: 'headName' }, { field: 'membersCount' }, { field: 'members' }],
          },
        },
      });
      expect(def.statusCode, def.body).toBe(200);
      expect((def.json() as { rows: unknown[] }).rows).toEqual([
        { householdNo: 'DG-0001', headName: '刘大成', membersCount: 2, members: '刘小宝、刘大成' },
      ]);

      const counts = await env.as('wangge', {
        method: 'POST',
        url: '/api/reports/preview-definition',
        payload: {
          definition: {
            entity: 'house',
            aggregate: 'count_by',
            groupBy: 'grid',
            columns: [{ field: 'grid' }, { field: 'total' }, { field: 'rented' }, { field: 'residents' }],
          },
        },
      });
      expect(counts.json()).toMatchObject({
        rows: [{ grid: '第一网格', total: 1, rented: 1, residents: 2 }],
        total: 1,
        totals: { grid: '合计', total: 1 },
      });

      const bad = await env.as('shequ', {
        method: 'POST',
        url: '/api/reports/preview-definition',
        payload: { definition: { entity: 'resident', columns: [{ field: 'nope' }] } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'REPORT_FIELD_UNKNOWN', field: 'definition.columns.0.field' });
    });
  });

  describe('volume', () => {
    let bulk: BuiltResident[];

    beforeAll(async () => {
      bulk = await buildResidents(env, 5000, { nodeId: bulkUnit });
    });

    it('streams an export of 5,000 rows over HTTP, complete and in order', async () => {
      const created = await env.as('admin', {
        method: 'POST',
        url: '/api/reports/templates',
        payload: {
          name: '批量名单',
          definition: {
            entity: 'resident',
            columns: [{ field: 'name' }, { field: 'idNumber' }, { field: 'birthDate' }, { field: 'unit' }],
            filters: { nodeId: bulkUnit },
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as { id: number }).id;

      const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
      const res = await fetch(`${address}/api/reports/templates/${id}/export`, {
        headers: { cookie: await env.cookie('admin') },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-total-rows')).toBe('5000');
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      const chunks: Buffer[] = [];
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(Buffer.from(value));
      }
      expect(chunks.length).toBeGreaterThan(1);
      const sheet = await readSheet(Buffer.concat(chunks));
      expect(sheet.rows).toHaveLength(5000);
      const names = col(sheet, '姓名');
      expect(new Set(names).size).toBe(5000);
      expect(names[0]).toBe(bulk[0]!.name);
      expect(names.at(-1)).toBe(bulk.at(-1)!.name);
      for (const v of col(sheet, '身份证号')) expect(v).toMatch(MASKED_ID);
    });

    it('stops quietly when the client goes away mid-export', async () => {
      const rows = await env.db.query<{ id: number }>(`SELECT id FROM report_templates WHERE name = '批量名单'`);
      const server = env.app.server.address();
      const port = typeof server === 'object' && server ? server.port : 0;
      const cookie = await env.cookie('admin');
      await new Promise<void>((resolve) => {
        const req = http.get(
          { host: '127.0.0.1', port, path: `/api/reports/templates/${rows[0]!.id}/export`, headers: { cookie } },
          (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on('error', () => resolve());
      });
      await new Promise((r) => setTimeout(r, 300));
      const again = await get('admin', `/api/reports/templates/${rows[0]!.id}/preview?limit=1`);
      expect(again.statusCode).toBe(200);
      expect((again.json() as { total: number }).total).toBe(5000);
    });

    it('keeps a sorted export in order across pages', async () => {
      const created = await env.as('admin', {
        method: 'POST',
        url: '/api/reports/templates',
        payload: {
          name: '批量按出生日期',
          definition: {
            entity: 'resident',
            columns: [{ field: 'name' }, { field: 'birthDate' }],
            filters: { nodeId: bulkUnit },
            sort: { field: 'birthDate', dir: 'desc' },
          },
        },
      });
      const id = (created.json() as { id: number }).id;
      const res: LightMyRequestResponse = await get('admin', `/api/reports/templates/${id}/export`);
      const sheet = await readSheet(res.rawPayload);
      const dates = col(sheet, '出生日期').map(String);
      expect(dates).toHaveLength(5000);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(new Set(col(sheet, '姓名')).size).toBe(5000);
    });
  });
});
