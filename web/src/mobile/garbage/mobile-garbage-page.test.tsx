import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import { type GarbageCheckin, pointsKeys } from '../../features/points-rules/use-points-rules';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { MobileGarbagePage } from './mobile-garbage-page';

const me = {
  permissions: ['people.read', 'visits.do'],
  modules: ['people', 'visits', 'points'],
  posts: [],
} as unknown as Me;

describe('garbage check-in phone page', () => {
  failOnRenderWarnings();

  it('offers the resident search and lists today’s check-ins with what each earned', () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const checkin = {
      id: 1,
      residentId: 9,
      residentName: '陈居民',
      nodeId: 7,
      placeLabel: '东关社区 / 第一网格',
      quality: 'good',
      checkedAt: new Date().toISOString(),
      recordedBy: 3,
      recorderName: '楼长',
      credited: 2,
      outcome: 'credited',
      transferId: 5,
    } satisfies GarbageCheckin;
    const html = renderView(me, <MobileGarbagePage />, (c) =>
      c.setQueryData([...pointsKeys.checkins, { from: today }], [checkin]),
    );
    expect(html).toContain('data-testid="m-garbage"');
    expect(html).toContain('搜索居民姓名或房号');
    expect(html).toContain('今日打卡');
    expect(html).toContain('陈居民');
    expect(html).toContain('已记 2 积分');
  });
});
