import { describe, expect, it } from 'vitest';
import type { Me, PatrolDetail, PatrolPage } from '../../api-types';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { PatrolDetailView, PatrolsList } from './patrols-views';
import { patrolKeys } from './use-patrols';

const me = {
  permissions: ['visits.read', 'visits.do', 'cases.read', 'cases.handle', 'people.read'],
  modules: ['visits', 'cases', 'people'],
  posts: [{ nodeId: 4, nodeName: '第一网格' }],
} as unknown as Me;

const patrol: PatrolDetail = {
  id: 7,
  nodeId: 4,
  placeLabel: '东关社区 / 第一网格',
  workerId: 5,
  workerName: '张网格',
  status: 'ended',
  startedAt: '2026-12-07T01:00:00.000Z',
  endedAt: '2026-12-07T02:05:00.000Z',
  minutes: 65,
  distanceM: 1234,
  findings: 2,
  cases: 1,
  note: '一切正常',
  track: [
    [35.0, 116.9, 1000],
    [35.001, 116.9, 31_000],
    [35.002, 116.901, 61_000],
  ],
  items: [
    {
      id: 11,
      patrolId: 7,
      description: '3号楼下井盖松动',
      nodeId: 4,
      placeLabel: '东关社区 / 第一网格',
      houseId: null,
      lat: 35.001,
      lng: 116.9,
      foundAt: '2026-12-07T01:20:00.000Z',
      caseId: 99,
      caseNo: 'SJ20261207-000099',
      files: [{ id: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'p.jpg', mime: 'image/jpeg' }],
    },
    {
      id: 12,
      patrolId: 7,
      description: '路灯不亮',
      nodeId: 4,
      placeLabel: '东关社区 / 第一网格',
      houseId: null,
      lat: null,
      lng: null,
      foundAt: '2026-12-07T01:40:00.000Z',
      caseId: null,
      caseNo: null,
      files: [],
    },
  ],
  can: { end: false, addFinding: false },
};

describe('patrol views', () => {
  failOnRenderWarnings();

  it('lists the area’s patrols with worker, grid, duration, distance, findings and cases', () => {
    const { items: _items, note: _note, track: _track, can: _can, ...item } = patrol;
    const page: PatrolPage = { items: [item], total: 1 };
    const html = renderView(me, <PatrolsList query={{}} onChange={() => undefined} />, (c) =>
      c.setQueryData(patrolKeys.list({}), page),
    );
    for (const text of ['巡查记录', '张网格', '东关社区 / 第一网格', '已结束', '1 小时 5 分', '1.2 km']) {
      expect(html).toContain(text);
    }
  });

  it('shows a patrol’s findings with photos and case links, and its track', () => {
    const html = renderView(me, <PatrolDetailView id={7} />, (c) => c.setQueryData(patrolKeys.detail(7), patrol));
    expect(html).toContain('3号楼下井盖松动');
    expect(html).toContain('事件 SJ20261207-000099');
    expect(html).toContain('href="/cases/99"');
    expect(html).toContain('未上报');
    expect(html).toContain('/api/files/AAAAAAAAAAAAAAAAAAAAAA/thumb');
    expect(html).toContain('data-testid="patrol-track"');
    expect(html).toContain('3 个定位点');
    expect(html).toContain('一切正常');
  });
});
