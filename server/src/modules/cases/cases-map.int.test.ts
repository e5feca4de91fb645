import { expect, it } from 'vitest';
import { describeEachDb } from '../../test/test-app.js';
import type { CommunityMap } from './cases-map.schemas.js';

describeEachDb('the grid map for placing a case', (env) => {
  const mapOf = async (user: string, query = '') => {
    const res = await env.as(user, { method: 'GET', url: `/api/cases/map${query}` });
    return { status: res.statusCode, body: res.json() as CommunityMap & { code?: string; field?: string } };
  };

  it('gives a resident their community: its outline, five grids and their thirty buildings, each building in its grid', async () => {
    const { status, body } = await mapOf('jumin');
    expect(status).toBe(200);
    expect(body.community).toMatchObject({ id: env.ids.community, name: '东关社区', type: 'community' });
    expect(body.community.boundary).toMatchObject({ type: 'Polygon' });
    expect(body.grids.map((g) => g.name)).toEqual(['第一网格', '第二网格', '第三网格', '第四网格', '第五网格']);
    expect(body.grids.every((g) => g.boundary !== null && g.parentGridId === env.ids.community)).toBe(true);
    expect(body.buildings).toHaveLength(30);
    const first = body.grids[0]!;
    expect(body.buildings.filter((b) => b.parentGridId === first.id).map((b) => b.name)).toEqual([
      '1号楼',
      '2号楼',
      '3号楼',
      '4号楼',
      '5号楼',
      '6号楼',
    ]);
    expect(body.buildings.find((b) => b.id === env.ids.building)?.parentGridId).toBe(env.ids.grid);
    // no tile source configured: nothing to fetch
    expect(body.tiles).toBeNull();
  });

  it('gives a street worker any community of the street by node, and none of their own without one', async () => {
    const own = await mapOf('jiedao');
    expect([own.status, own.body.code, own.body.field]).toEqual([404, 'ORG_NODE_NOT_FOUND', 'nodeId']);
    const byGrid = await mapOf('jiedao', `?nodeId=${env.ids.grid}`);
    expect(byGrid.status).toBe(200);
    expect(byGrid.body.community.id).toBe(env.ids.community);
    // another community of the street: drawn without outlines (only the demo community has them)
    const [xiguan] = await env.db.query<{ id: number }>(`SELECT id FROM org_nodes WHERE name = '西关社区'`);
    const other = await mapOf('jiedao', `?nodeId=${xiguan!.id}`);
    expect(other.status).toBe(200);
    expect(other.body.grids).toHaveLength(5);
    expect(other.body.grids.every((g) => g.boundary === null)).toBe(true);
  });

  it('refuses a community outside the caller’s reporting area as not found', async () => {
    const [xiguan] = await env.db.query<{ id: number }>(`SELECT id FROM org_nodes WHERE name = '西关社区'`);
    const res = await mapOf('jumin', `?nodeId=${xiguan!.id}`);
    expect([res.status, res.body.code]).toEqual([404, 'ORG_NODE_NOT_FOUND']);
  });

  it('lets a point tapped on the map land in the grid drawn there', async () => {
    const { body } = await mapOf('jumin');
    const third = body.grids.find((g) => g.name === '第三网格')!;
    const ring = (third.boundary as { coordinates: number[][][] }).coordinates[0]!;
    // the middle of the grid's southern edge, a little inside
    const lng = (ring[0]![0]! + ring[1]![0]!) / 2;
    const lat = ring[0]![1]! + 0.0005;
    const [category] = await env.db.query<{ id: number }>(
      `SELECT id FROM case_categories c WHERE c.active AND c.public
         AND NOT EXISTS (SELECT 1 FROM case_categories k WHERE k.parent_id = c.id) ORDER BY id LIMIT 1`,
    );
    const res = await env.as('jumin', {
      method: 'POST',
      url: '/api/cases',
      payload: { categoryId: category!.id, place: { lat, lng } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().place).toMatchObject({ gridId: third.id, nodeId: third.id, lat, lng });
  });
});
