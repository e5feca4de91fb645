import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import type { BookingList, MyDemandList } from '../../features/machinery/machinery-types';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { MobileMachineryPage } from './mobile-machinery-page';

failOnRenderWarnings();

const base = {
  user: {
    id: 9,
    username: 'farmer',
    displayName: '李种粮',
    locale: 'zh-CN',
    mustChangePassword: false,
    residentId: 300,
  },
  permissions: [],
  modules: ['services'],
  posts: [{ nodeId: 40, nodeType: 'grid', nodeName: '白石村第一网格', role: 'resident' }],
  notice: null,
};
const farmer = base as unknown as Me;
const owner = {
  ...base,
  user: { ...base.user, residentId: null },
  permissions: ['partners.act'],
  modules: ['volunteers', 'services'],
} as unknown as Me;
const stranger = { ...base, user: { ...base.user, residentId: null } } as unknown as Me;

const mine: MyDemandList = {
  items: [
    {
      id: 1,
      nodeId: 20,
      nodeName: '白石村',
      residentId: 300,
      farmerName: '李种粮',
      place: '村南二号地',
      crop: '小麦',
      machineType: 'harvester',
      areaMu: 30,
      windowStart: '2027-06-01',
      windowEnd: '2027-06-05',
      note: null,
      status: 'booked',
      booking: {
        id: 7,
        machineId: 3,
        machineName: '雷沃谷神',
        ownerName: '白石村农机专业合作社',
        start: '2027-06-02',
        end: '2027-06-02',
        status: 'booked',
        areaDoneMu: null,
        costYuan: 1800,
      },
      createdAt: '2027-05-01T01:00:00.000Z',
    },
  ],
};
const schedule: BookingList = {
  items: [
    {
      id: 7,
      machineId: 3,
      machineName: '雷沃谷神',
      machineType: 'harvester',
      ownerId: 2,
      ownerName: '白石村农机专业合作社',
      demandId: 1,
      villageName: '白石村',
      farmerName: '李*粮',
      place: '村南二号地',
      crop: '小麦',
      start: '2027-06-02',
      end: '2027-06-02',
      areaMu: 30,
      pricePerMu: 60,
      status: 'booked',
      areaDoneMu: null,
      revenueYuan: null,
      completedAt: null,
    },
  ],
};

describe('MobileMachineryPage', () => {
  it('lets a farmer post demand and shows their booking with the machine, owner, days and cost', () => {
    const html = renderView(farmer, <MobileMachineryPage />, (c) =>
      c.setQueryData(['machinery', 'mine'], mine),
    ).replaceAll('<!-- -->', '');
    expect(html).toContain('data-testid="m-machinery-submit"');
    expect(html).toContain('雷沃谷神（白石村农机专业合作社）2027-06-02 ~ 2027-06-02');
    expect(html).toContain('预计 1800 元');
    expect(html).not.toContain('data-testid="m-machinery-schedule"');
  });

  it('shows an owner’s member the schedule (farmer masked) and no form', () => {
    const html = renderView(owner, <MobileMachineryPage />, (c) =>
      c.setQueryData(['machinery', 'schedule'], schedule),
    ).replaceAll('<!-- -->', '');
    expect(html).toContain('data-testid="m-machinery-schedule"');
    expect(html).toContain('李*粮');
    expect(html).not.toContain('data-testid="m-machinery-submit"');
  });

  it('tells anyone else there is nothing here for them', () => {
    const html = renderView(stranger, <MobileMachineryPage />);
    expect(html).not.toContain('data-testid="m-machinery-submit"');
    expect(html).not.toContain('data-testid="m-machinery-schedule"');
  });
});
