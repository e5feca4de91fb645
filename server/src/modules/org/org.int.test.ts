import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataFingerprint, nodeIdByName } from '../../test/factories.js';
import { describeEachDb } from '../../test/test-app.js';

type Node = {
  id: number;
  parentId: number | null;
  type: string;
  name: string;
  code: string | null;
  status: 'active' | 'retired';
  childCount: number;
  depth: number;
  countyId: number;
  hasBoundary: boolean;
  boundary?: Record<string, unknown> | null;
  ancestors?: { id: number; name: string; type: string }[];
  parentNames: string[];
};

const err = (res: LightMyRequestResponse) => res.json() as { code: string; message: string; field?: string };
const items = (res: LightMyRequestResponse) => (res.json() as { items: Node[] }).items;

const ring = [
  [117.1, 35.6],
  [117.2, 35.6],
  [117.2, 35.7],
  [117.1, 35.6],
];

describeEachDb('org', (env) => {
  const ids = {} as { xiguan: number; baishi: number; baishiVillage: number; dongguanGrid2: number };

  beforeAll(async () => {
    ids.xiguan = await nodeIdByName(env.db, '西关社区');
    ids.baishi = await nodeIdByName(env.db, '白石镇');
    ids.baishiVillage = await nodeIdByName(env.db, '白石村');
    ids.dongguanGrid2 = await nodeIdByName(env.db, '第二网格', env.ids.community);
    // Log everyone in first, so that the fingerprints below see only the request under test.
    for (const u of ['admin', 'jiedao', 'shequ', 'wangge']) await env.cookie(u);
  });

  const get = (user: string, url: string) => env.as(user, { method: 'GET', url, headers: { 'accept-language': 'en' } });
  const post = (user: string, url: string, payload?: object) =>
    env.as(user, { method: 'POST', url, headers: { 'accept-language': 'en' }, ...(payload ? { payload } : {}) });
  const patch = (user: string, url: string, payload: object) =>
    env.as(user, { method: 'PATCH', url, headers: { 'accept-language': 'en' }, payload });
  const createNode = (user: string, payload: object) => post(user, '/api/org/nodes', payload);

  /** Runs a request that must be refused, and checks that it changed nothing. */
  async function refused(run: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
    const before = await dataFingerprint(env.db);
    const res = await run();
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(await dataFingerprint(env.db)).toBe(before);
    return res;
  }

  async function created(user: string, payload: object): Promise<Node> {
    const res = await createNode(user, payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Node;
  }

  async function pathOf(
    id: number,
  ): Promise<{ path: string; depth: number; parent_id: number | null; county_id: number }> {
    const rows = await env.db.query<{ path: string; depth: number; parent_id: number | null; county_id: number }>(
      'SELECT path, depth, parent_id, county_id FROM org_nodes WHERE id = $1',
      [id],
    );
    return rows[0]!;
  }

  describe('createNode', () => {
    it('creates a grid under a community, records it with its diff, and counts it in the parent', async () => {
      const parentBefore = (await get('shequ', `/api/org/nodes/${env.ids.community}`)).json() as Node;
      const node = await created('shequ', {
        parentId: env.ids.community,
        type: 'grid',
        name: '第六网格',
        code: 'DG-G06',
      });
      expect(node).toMatchObject({
        parentId: env.ids.community,
        type: 'grid',
        name: '第六网格',
        code: 'DG-G06',
        status: 'active',
        childCount: 0,
        depth: parentBefore.depth + 1,
        countyId: env.ids.county,
        hasBoundary: false,
        boundary: null,
      });
      expect(node.ancestors!.map((a) => a.name)).toEqual(['泗源县', '泗源街道', '东关社区']);
      const parentAfter = (await get('shequ', `/api/org/nodes/${env.ids.community}`)).json() as Node;
      expect(parentAfter.childCount).toBe(parentBefore.childCount + 1);

      const { path } = await pathOf(node.id);
      expect(path).toBe(`${(await pathOf(env.ids.community!)).path}${node.id}/`);
      const audit = await env.db.query<{ actor_name: string; diff: unknown; scope_path: string; county_id: number }>(
        `SELECT actor_name, diff, scope_path, county_id FROM audit_log WHERE action = 'org.create' AND target_id = $1`,
        [String(node.id)],
      );
      expect(audit).toEqual([
        {
          actor_name: '李社工',
          scope_path: path,
          county_id: env.ids.county,
          diff: {
            name: [null, '第六网格'],
            code: [null, 'DG-G06'],
            type: [null, 'grid'],
            parentId: [null, env.ids.community],
            status: [null, 'active'],
          },
        },
      ]);
    });

    it('trims the name and treats a blank code as none', async () => {
      const node = await created('shequ', { parentId: env.ids.community, type: 'grid', name: '  第七网格 ', code: '' });
      expect([node.name, node.code]).toEqual(['第七网格', null]);
    });

    it('refuses a county without a valid division code, naming the code', async () => {
      for (const code of [undefined, '999999', '37089']) {
        const res = await refused(() =>
          createNode('admin', { parentId: null, type: 'county', name: '新设县', ...(code ? { code } : {}) }),
        );
        expect([res.statusCode, err(res).code, err(res).field], String(code)).toEqual([
          400,
          'ORG_CODE_INVALID',
          'code',
        ]);
      }
      const ok = await created('admin', { parentId: null, type: 'county', name: '新设县', code: '370830' });
      expect(ok).toMatchObject({ parentId: null, depth: 0, countyId: ok.id });
      const dup = await refused(() =>
        createNode('admin', { parentId: null, type: 'county', name: '另一县', code: '370830' }),
      );
      expect([dup.statusCode, err(dup).code, err(dup).field]).toEqual([409, 'ORG_CODE_DUPLICATE', 'code']);
    });

    it('refuses a child type the parent cannot hold, naming the type', async () => {
      const res = await refused(() =>
        createNode('shequ', { parentId: env.ids.community, type: 'building', name: '1号楼' }),
      );
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([400, 'ORG_CHILD_TYPE_INVALID', 'type']);
      expect(err(res).message).toBe('A building cannot be placed under a community');
      const root = await refused(() => createNode('admin', { parentId: null, type: 'street', name: '孤立街道' }));
      expect([root.statusCode, err(root).code, err(root).field]).toEqual([400, 'ORG_ROOT_TYPE_INVALID', 'type']);
    });

    it('refuses a code already used in the county', async () => {
      const res = await refused(() =>
        createNode('jiedao', { parentId: ids.xiguan, type: 'grid', name: '重码网格', code: '370899001001G01' }),
      );
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([409, 'ORG_CODE_DUPLICATE', 'code']);
      expect(err(res).message).toBe('Code 370899001001G01 is already in use');
    });

    it('refuses a name a sibling already has, but allows it under another parent', async () => {
      const res = await refused(() =>
        createNode('shequ', { parentId: env.ids.community, type: 'grid', name: '第一网格' }),
      );
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([409, 'ORG_NAME_DUPLICATE', 'name']);
      expect(err(res).message).toBe('A node named “第一网格” already exists under this parent');
      const other = await created('shequ', { parentId: env.ids.community, type: 'grid', name: '另一网格' });
      const a = await created('shequ', { parentId: env.ids.grid, type: 'micro_grid', name: '同名微网格' });
      const b = await created('shequ', { parentId: other.id, type: 'micro_grid', name: '同名微网格' });
      expect(a.id).not.toBe(b.id);
    });

    it('refuses a parent that does not exist', async () => {
      const res = await refused(() => createNode('admin', { parentId: 99_999_999, type: 'grid', name: '无主网格' }));
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([404, 'ORG_PARENT_NOT_FOUND', 'parentId']);
    });
  });

  describe('updateNode', () => {
    it('renames a node and records only what changed', async () => {
      const node = await created('shequ', {
        parentId: env.ids.community,
        type: 'grid',
        name: '待改名网格',
        code: 'DG-R1',
      });
      const res = await patch('shequ', `/api/org/nodes/${node.id}`, { name: '已改名网格' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: node.id, name: '已改名网格', code: 'DG-R1' });
      const audit = await env.db.query<{ diff: unknown; target_label: string }>(
        `SELECT diff, target_label FROM audit_log WHERE action = 'org.update' AND target_id = $1`,
        [String(node.id)],
      );
      expect(audit).toEqual([{ diff: { name: ['待改名网格', '已改名网格'] }, target_label: '已改名网格' }]);
    });

    it('accepts a GeoJSON boundary as a geometry or a Feature, and clears it with null', async () => {
      const node = await created('shequ', { parentId: env.ids.community, type: 'grid', name: '有边界网格' });
      const polygon = { type: 'Polygon', coordinates: [ring] };
      const feature = await patch('shequ', `/api/org/nodes/${node.id}`, {
        boundary: { type: 'Feature', properties: { name: 'x' }, geometry: polygon },
      });
      expect(feature.statusCode, feature.body).toBe(200);
      expect(feature.json()).toMatchObject({ hasBoundary: true, boundary: polygon });
      const multi = { type: 'MultiPolygon', coordinates: [[ring], [ring]] };
      const res = await patch('shequ', `/api/org/nodes/${node.id}`, { boundary: multi });
      expect(res.json()).toMatchObject({ hasBoundary: true, boundary: multi });
      const [row] = await env.db.query<{ boundary: unknown }>('SELECT boundary FROM org_nodes WHERE id = $1', [
        node.id,
      ]);
      expect(row!.boundary).toEqual(multi);
      const cleared = await patch('shequ', `/api/org/nodes/${node.id}`, { boundary: null });
      expect(cleared.json()).toMatchObject({ hasBoundary: false, boundary: null });
    });

    it('refuses an invalid boundary, naming the field', async () => {
      const node = await created('shequ', { parentId: env.ids.community, type: 'grid', name: '坏边界网格' });
      for (const boundary of [
        { type: 'Polygon', coordinates: [ring.slice(0, 3).concat([[117.15, 35.65]])] },
        { type: 'Point', coordinates: [117.1, 35.6] },
        { type: 'Polygon', coordinates: [[['a', 'b'], ...ring.slice(1)]] },
      ]) {
        const res = await refused(() => patch('shequ', `/api/org/nodes/${node.id}`, { boundary }));
        expect([res.statusCode, err(res).code, err(res).field]).toEqual([400, 'ORG_BOUNDARY_INVALID', 'boundary']);
      }
      const onCreate = await refused(() =>
        createNode('shequ', {
          parentId: env.ids.community,
          type: 'grid',
          name: '坏边界新网格',
          boundary: { type: 'Polygon' },
        }),
      );
      expect(err(onCreate).code).toBe('ORG_BOUNDARY_INVALID');
    });

    it('refuses to rename a node to the name of a sibling', async () => {
      const node = await created('shequ', { parentId: env.ids.community, type: 'grid', name: '将撞名网格' });
      const res = await refused(() => patch('shequ', `/api/org/nodes/${node.id}`, { name: '第二网格' }));
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([409, 'ORG_NAME_DUPLICATE', 'name']);
    });
  });

  describe('moveNode', () => {
    it('moves a grid with its whole subtree to another community', async () => {
      const grid = await created('shequ', {
        parentId: env.ids.community,
        type: 'grid',
        name: '迁出网格',
        code: 'MV-G1',
      });
      const micro = await created('shequ', { parentId: grid.id, type: 'micro_grid', name: '迁出微网格' });
      const building = await created('shequ', { parentId: micro.id, type: 'building', name: '迁出楼' });
      const unit = await created('shequ', { parentId: building.id, type: 'unit', name: '迁出单元' });
      const before = await Promise.all([grid, micro, building, unit].map((n) => pathOf(n.id)));

      const res = await post('jiedao', `/api/org/nodes/${grid.id}/move`, { parentId: ids.xiguan });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: grid.id, parentId: ids.xiguan, depth: grid.depth });
      expect((res.json() as Node).ancestors!.map((a) => a.name)).toEqual(['泗源县', '泗源街道', '西关社区']);

      const unitDetail = (await get('jiedao', `/api/org/nodes/${unit.id}`)).json() as Node;
      expect(unitDetail.ancestors!.map((a) => a.name)).toEqual([
        '泗源县',
        '泗源街道',
        '西关社区',
        '迁出网格',
        '迁出微网格',
        '迁出楼',
      ]);

      const xiguanPath = (await pathOf(ids.xiguan)).path;
      const after = await Promise.all([grid, micro, building, unit].map((n) => pathOf(n.id)));
      expect(after.map((a) => a.path)).toEqual([
        `${xiguanPath}${grid.id}/`,
        `${xiguanPath}${grid.id}/${micro.id}/`,
        `${xiguanPath}${grid.id}/${micro.id}/${building.id}/`,
        `${xiguanPath}${grid.id}/${micro.id}/${building.id}/${unit.id}/`,
      ]);
      expect(after.map((a) => a.depth)).toEqual(before.map((b) => b.depth));
      expect(after[0]!.parent_id).toBe(ids.xiguan);

      const dongguan = items(await get('shequ', `/api/org/nodes?parentId=${env.ids.community}`));
      expect(dongguan.map((n) => n.id)).not.toContain(grid.id);
      const gone = await get('shequ', `/api/org/nodes/${unit.id}`);
      expect([gone.statusCode, err(gone).code]).toEqual([404, 'ORG_NODE_NOT_FOUND']);

      const audit = await env.db.query<{ diff: unknown; scope_path: string }>(
        `SELECT diff, scope_path FROM audit_log WHERE action = 'org.move' AND target_id = $1`,
        [String(grid.id)],
      );
      expect(audit).toEqual([
        { diff: { parentId: [env.ids.community, ids.xiguan], subtreeSize: [4, 4] }, scope_path: after[0]!.path },
      ]);
    });

    it('changes the depth of the whole subtree when it moves up a level', async () => {
      const micro = await created('shequ', { parentId: env.ids.grid, type: 'micro_grid', name: '升级微网格' });
      const building = await created('shequ', { parentId: micro.id, type: 'building', name: '升级楼' });
      const unit = await created('shequ', { parentId: building.id, type: 'unit', name: '升级单元' });
      const res = await post('shequ', `/api/org/nodes/${building.id}/move`, { parentId: env.ids.grid });
      expect(res.statusCode, res.body).toBe(200);
      const [b, u, g] = await Promise.all([pathOf(building.id), pathOf(unit.id), pathOf(env.ids.grid!)]);
      expect([b.depth, u.depth]).toEqual([g.depth + 1, g.depth + 2]);
      expect(u.path).toBe(`${g.path}${building.id}/${unit.id}/`);
    });

    it('keeps accounts and posts in the moved subtree attached', async () => {
      const res = await env.as('admin', {
        method: 'POST',
        url: '/api/users',
        payload: {
          username: 'mover_resident',
          displayName: '迁移居民',
          password: 'Mover@12345',
          homeNodeId: env.ids.community,
          posts: [],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const grid = await created('shequ', { parentId: env.ids.community, type: 'grid', name: '带人网格' });
      const withUser = await env.as('admin', {
        method: 'POST',
        url: `/api/users/${res.json().id}/posts`,
        payload: { nodeId: grid.id, role: 'resident' },
      });
      expect(withUser.statusCode, withUser.body).toBe(200);
      const moved = await post('jiedao', `/api/org/nodes/${grid.id}/move`, { parentId: ids.xiguan });
      expect(moved.statusCode, moved.body).toBe(200);
      const listed = await get('jiedao', `/api/users?nodeId=${ids.xiguan}&pageSize=200`);
      expect((listed.json() as { items: { username: string }[] }).items.map((u) => u.username)).toContain(
        'mover_resident',
      );
    });

    it('refuses a move under the node itself or one of its descendants', async () => {
      const grid = await created('shequ', { parentId: env.ids.community, type: 'grid', name: '环路网格' });
      const micro = await created('shequ', { parentId: grid.id, type: 'micro_grid', name: '环路微网格' });
      for (const target of [micro.id, grid.id]) {
        const res = await refused(() => post('jiedao', `/api/org/nodes/${grid.id}/move`, { parentId: target }));
        expect([res.statusCode, err(res).code, err(res).field]).toEqual([400, 'ORG_MOVE_CYCLE', 'parentId']);
      }
    });

    it('refuses a move under a node of the wrong type', async () => {
      const res = await refused(() =>
        post('jiedao', `/api/org/nodes/${env.ids.grid}/move`, { parentId: env.ids.street }),
      );
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([400, 'ORG_CHILD_TYPE_INVALID', 'type']);
    });

    it('refuses a move that would give two siblings the same name, naming it', async () => {
      const res = await refused(() =>
        post('jiedao', `/api/org/nodes/${ids.dongguanGrid2}/move`, { parentId: ids.xiguan }),
      );
      expect([res.statusCode, err(res).code]).toEqual([409, 'ORG_NAME_DUPLICATE']);
      expect(err(res).message).toBe('A node named “第二网格” already exists under this parent');
    });

    it('refuses a move into a place the caller cannot see', async () => {
      const res = await refused(() => post('shequ', `/api/org/nodes/${env.ids.grid}/move`, { parentId: ids.xiguan }));
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([404, 'ORG_PARENT_NOT_FOUND', 'parentId']);
    });
  });

  describe('retireNode', () => {
    it('refuses a node that still has active children', async () => {
      const res = await refused(() => post('jiedao', `/api/org/nodes/${ids.dongguanGrid2}/retire`));
      expect([res.statusCode, err(res).code]).toEqual([409, 'ORG_NODE_HAS_CHILDREN']);
      expect(err(res).message).toBe('The node still has 2 active child nodes; retire or move them first');
    });

    it('refuses a node with a post or an account bound under it', async () => {
      // The demo resident jumin lives in, and holds a post at, the demo unit.
      const res = await refused(() => post('jiedao', `/api/org/nodes/${env.ids.unit}/retire`));
      expect([res.statusCode, err(res).code]).toEqual([409, 'ORG_NODE_HAS_PEOPLE']);
      expect(err(res).message).toContain('2 staff posts or accounts');
    });

    it('retires an empty node, which then leaves the children list unless retired ones are asked for', async () => {
      const node = await created('shequ', {
        parentId: env.ids.community,
        type: 'grid',
        name: '待撤销网格',
        code: 'DG-RT',
      });
      const res = await post('shequ', `/api/org/nodes/${node.id}/retire`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: node.id, status: 'retired' });

      const active = items(await get('shequ', `/api/org/nodes?parentId=${env.ids.community}`));
      expect(active.map((n) => n.id)).not.toContain(node.id);
      const all = items(await get('shequ', `/api/org/nodes?parentId=${env.ids.community}&includeRetired=true`));
      expect(all.find((n) => n.id === node.id)).toMatchObject({ status: 'retired' });
      const search = items(await get('shequ', `/api/org/search?q=${encodeURIComponent('待撤销网格')}`));
      expect(search).toEqual([]);

      const audit = await env.db.query<{ diff: unknown }>(
        `SELECT diff FROM audit_log WHERE action = 'org.retire' AND target_id = $1`,
        [String(node.id)],
      );
      expect(audit).toEqual([{ diff: { status: ['active', 'retired'] } }]);

      const again = await refused(() => post('shequ', `/api/org/nodes/${node.id}/retire`));
      expect([again.statusCode, err(again).code]).toEqual([409, 'ORG_NODE_RETIRED']);
      const child = await refused(() =>
        createNode('shequ', { parentId: node.id, type: 'micro_grid', name: '撤销后微网格' }),
      );
      expect([child.statusCode, err(child).code, err(child).field]).toEqual([409, 'ORG_NODE_RETIRED', 'parentId']);
      const rename = await refused(() => patch('shequ', `/api/org/nodes/${node.id}`, { name: '复活网格' }));
      expect(err(rename).code).toBe('ORG_NODE_RETIRED');
      const reuse = await created('shequ', { parentId: env.ids.community, type: 'grid', name: '待撤销网格' });
      expect(reuse.id).not.toBe(node.id);
    });
  });

  describe('listChildren and searchNodes', () => {
    it('lists the direct children of a node with their own child counts, in code order', async () => {
      const res = await get('wangge', `/api/org/nodes?parentId=${env.ids.grid}`);
      expect(res.statusCode).toBe(200);
      const micro = items(res).filter((n) => n.name.endsWith('号微网格'));
      expect(micro.map((n) => [n.name, n.type, n.childCount])).toEqual([
        ['1号微网格', 'micro_grid', 3],
        ['2号微网格', 'micro_grid', 3],
      ]);
      const grids = items(await get('jiedao', `/api/org/nodes?parentId=${ids.xiguan}`)).filter((n) => n.code);
      const codes = grids.map((n) => n.code!);
      expect(codes).toEqual([...codes].sort());
    });

    it('refuses the children of a node outside the caller’s area as not found', async () => {
      const res = await get('shequ', `/api/org/nodes?parentId=${ids.baishi}`);
      expect([res.statusCode, err(res).code]).toEqual([404, 'ORG_NODE_NOT_FOUND']);
    });

    it('finds nodes by name or code inside the caller’s area only', async () => {
      const q = encodeURIComponent('第一网格');
      const all = items(await get('admin', `/api/org/search?q=${q}`));
      expect(all.filter((n) => n.name === '第一网格')).toHaveLength(8);
      const street = items(await get('jiedao', `/api/org/search?q=${q}`));
      expect(street.filter((n) => n.name === '第一网格')).toHaveLength(4);
      const grid = items(await get('wangge', `/api/org/search?q=${q}`));
      expect(grid.map((n) => n.id)).toEqual([env.ids.grid]);
      const byCode = items(await get('jiedao', '/api/org/search?q=370899001002G03'));
      expect(byCode.map((n) => [n.name, n.type])).toEqual([['第三网格', 'grid']]);
      // Each hit names its ancestors below the county, so the eight 第一网格 can be told apart.
      expect(new Set(all.filter((n) => n.name === '第一网格').map((n) => n.parentNames.join('/'))).size).toBe(8);
      expect(grid[0]!.parentNames).toEqual(['泗源街道', '东关社区']);
      const typed = items(await get('jiedao', `/api/org/search?q=${encodeURIComponent('社区')}&type=community`));
      expect(typed.map((n) => n.name).sort()).toEqual(['东关社区', '文昌社区', '杏坛社区', '西关社区'].sort());
    });

    it('ranks the exact name first, then names starting with the text: 1号楼 before 11号楼', async () => {
      const hits = items(await get('shequ', `/api/org/search?q=${encodeURIComponent('1号楼')}`)).map((n) => n.name);
      expect(hits).toContain('11号楼');
      expect(hits.indexOf('11号楼'), hits.join(',')).toBeGreaterThan(0);
      expect(hits[0]).toBe('1号楼');
      const units = items(await get('shequ', `/api/org/search?q=${encodeURIComponent('1单元')}`)).map((n) => n.name);
      expect(units.every((name) => name === '1单元')).toBe(true);
    });

    it('treats LIKE wildcards in the search text literally', async () => {
      for (const q of ['%', '_', '\\']) {
        const res = await get('admin', `/api/org/search?q=${encodeURIComponent(q)}`);
        expect(res.statusCode).toBe(200);
        expect(items(res), q).toEqual([]);
      }
    });
  });

  describe('scope', () => {
    it('shows a street admin only their street at the top, and a grid worker only their grid', async () => {
      expect(items(await get('jiedao', '/api/org/roots')).map((n) => n.id)).toEqual([env.ids.street]);
      expect(items(await get('shequ', '/api/org/roots')).map((n) => n.id)).toEqual([env.ids.community]);
      expect(items(await get('wangge', '/api/org/roots')).map((n) => n.id)).toEqual([env.ids.grid]);
      expect(items(await get('admin', '/api/org/roots')).map((n) => n.id)).toContain(env.ids.county);
    });

    it('lets a street admin create grids in any of their communities', async () => {
      const node = await created('jiedao', { parentId: ids.xiguan, type: 'grid', name: '街道建网格' });
      expect(node.parentId).toBe(ids.xiguan);
    });

    it('hides the nodes of another town from a street admin, and refuses writing there', async () => {
      for (const id of [ids.baishi, ids.baishiVillage]) {
        const res = await get('jiedao', `/api/org/nodes/${id}`);
        expect([res.statusCode, err(res).code]).toEqual([404, 'ORG_NODE_NOT_FOUND']);
      }
      const create = await refused(() =>
        createNode('jiedao', { parentId: ids.baishiVillage, type: 'grid', name: '越界网格' }),
      );
      expect([403, 404]).toContain(create.statusCode);
      const rename = await refused(() => patch('jiedao', `/api/org/nodes/${ids.baishiVillage}`, { name: '越界改名' }));
      expect([rename.statusCode, err(rename).code]).toEqual([404, 'ORG_NODE_NOT_FOUND']);
      const retire = await refused(() => post('jiedao', `/api/org/nodes/${ids.baishiVillage}/retire`));
      expect([retire.statusCode, err(retire).code]).toEqual([404, 'ORG_NODE_NOT_FOUND']);
      const search = items(await get('jiedao', `/api/org/search?q=${encodeURIComponent('白石')}`));
      expect(search).toEqual([]);
    });

    it('lets a community worker create a grid in their community but not rename the community itself', async () => {
      const node = await created('shequ', { parentId: env.ids.community, type: 'grid', name: '社工建网格' });
      expect(node.parentId).toBe(env.ids.community);
      const res = await refused(() => patch('shequ', `/api/org/nodes/${env.ids.community}`, { name: '东关新社区' }));
      expect([res.statusCode, err(res).code]).toEqual([403, 'OUT_OF_SCOPE']);
      const retire = await refused(() => post('shequ', `/api/org/nodes/${env.ids.community}/retire`));
      expect(retire.statusCode).toBe(403);
    });

    it('lets a grid worker read their grid and refuses every write with 403', async () => {
      const own = await get('wangge', `/api/org/nodes/${env.ids.grid}`);
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ id: env.ids.grid, type: 'grid', name: '第一网格' });
      const microId = items(await get('wangge', `/api/org/nodes?parentId=${env.ids.grid}`))[0]!.id;
      const attempts: [string, () => Promise<LightMyRequestResponse>][] = [
        ['create', () => createNode('wangge', { parentId: env.ids.grid, type: 'micro_grid', name: '网格员建' })],
        ['rename child', () => patch('wangge', `/api/org/nodes/${microId}`, { name: '网格员改名' })],
        ['rename own grid', () => patch('wangge', `/api/org/nodes/${env.ids.grid}`, { name: '网格员改名' })],
        ['retire child', () => post('wangge', `/api/org/nodes/${microId}/retire`)],
        ['move child', () => post('wangge', `/api/org/nodes/${microId}/move`, { parentId: env.ids.grid })],
      ];
      for (const [what, run] of attempts) {
        const res = await refused(run);
        expect([res.statusCode, err(res).code], what).toEqual([403, 'FORBIDDEN']);
      }
    });

    it('refuses a sibling grid to a grid worker as not found', async () => {
      const res = await get('wangge', `/api/org/nodes/${ids.dongguanGrid2}`);
      expect([res.statusCode, err(res).code]).toEqual([404, 'ORG_NODE_NOT_FOUND']);
    });
  });
});
