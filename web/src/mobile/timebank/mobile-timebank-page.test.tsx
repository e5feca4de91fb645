import { describe, expect, it } from 'vitest';
import type { Me, MyHousehold } from '../../api-types';
import type { MyTimebank, ServiceRecord, TimebankRequest } from '../../features/timebank/use-timebank';
import { timebankKeys } from '../../features/timebank/use-timebank';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { familyMembers, MobileTimebankPage, myRequestBody } from './mobile-timebank-page';

const resident = (residentId: number | null) =>
  ({
    user: {
      id: 8,
      username: 'jumin',
      displayName: '居民',
      locale: 'zh-CN',
      mustChangePassword: false,
      residentId,
    },
    permissions: [],
    modules: ['volunteers', 'points'],
    posts: [{ nodeId: 9, nodeType: 'unit', nodeName: '1单元', role: 'resident' }],
    notice: null,
  }) as unknown as Me;

const service = (id: number, over: Partial<ServiceRecord> = {}): ServiceRecord => ({
  id,
  nodeId: 9,
  volunteerResidentId: 2,
  volunteerName: '李*愿',
  recipientResidentId: 1,
  recipientName: '王建国',
  requestId: null,
  serviceType: 'repair',
  servedAt: '2026-12-06T02:00:00.000Z',
  minutes: 60,
  note: '疏通下水道',
  status: 'pending',
  payer: 'community',
  recordedBy: 3,
  confirmedAt: null,
  rejectReason: null,
  transferId: null,
  createdAt: '2026-12-06T03:00:00.000Z',
  ...over,
});

const request = (id: number, over: Partial<TimebankRequest> = {}): TimebankRequest => ({
  id,
  nodeId: 9,
  requesterResidentId: 5,
  requesterName: '赵*娘',
  beneficiaryResidentId: 5,
  beneficiaryName: '赵*娘',
  serviceType: 'companionship',
  description: '陪同散步',
  place: '小区内',
  wantedAt: '2026-12-09T02:00:00.000Z',
  minutes: 90,
  payFrom: 'community',
  status: 'open',
  volunteerResidentId: null,
  volunteerName: null,
  matchedAt: null,
  createdAt: '2026-12-06T03:00:00.000Z',
  ...over,
});

const mine = (over: Partial<MyTimebank> = {}): MyTimebank => ({
  residentId: 1,
  name: '王建国',
  volunteer: false,
  balanceMinutes: 150,
  reservedMinutes: 60,
  availableMinutes: 90,
  given: [],
  received: [],
  awaitingMe: [],
  requests: [],
  matchedToMe: [],
  openNearby: [],
  ...over,
});

failOnRenderWarnings();

describe('the phone time bank', () => {
  it('shows my hours big, and what awaits my confirmation with confirm and reject', () => {
    const html = renderView(resident(1), <MobileTimebankPage />, (c) =>
      c.setQueryData(timebankKeys.me(), mine({ awaitingMe: [service(7)] })),
    );
    expect(html).toContain('2.5 小时');
    expect(html).toContain('可用 1.5 小时（已预留 1 小时）');
    expect(html).toContain('待我确认');
    expect(html).toContain('m-timebank-confirm-7');
    expect(html).toContain('疏通下水道');
    // a non-volunteer neither records services nor sees requests to take
    expect(html).not.toContain('m-timebank-record');
    expect(html).not.toContain('附近的需求');
  });

  it('offers a volunteer recording a service and the open requests nearby', () => {
    const html = renderView(resident(1), <MobileTimebankPage />, (c) =>
      c.setQueryData(timebankKeys.me(), mine({ volunteer: true, openNearby: [request(4)] })),
    );
    expect(html).toContain('m-timebank-record');
    expect(html).toContain('附近的需求');
    expect(html).toContain('我来服务');
    expect(html).toContain('赵*娘');
    expect(html).toContain('没有待确认的服务');
  });

  it('tells an account without a resident record to ask the community', () => {
    const html = renderView(resident(null), <MobileTimebankPage />);
    expect(html).toContain('账号尚未关联居民档案');
    expect(html).not.toContain('m-timebank-balance');
  });
});

describe('a request for a member of my household', () => {
  const household = (members: { id: number; name: string; isSelf: boolean }[]) =>
    ({
      linked: true,
      self: null,
      house: null,
      household: {
        id: 4,
        householdNo: 'H-1',
        members: members.map((m) => ({ ...m, relation: m.isSelf ? 'self' : 'spouse', sex: 'female', age: 80 })),
      },
    }) as unknown as MyHousehold;

  it('offers the other members of my household, never myself twice', () => {
    const h = household([
      { id: 1, name: '王建国', isSelf: true },
      { id: 2, name: '李秀英', isSelf: false },
    ]);
    expect(familyMembers(1, h).map((m) => m.id)).toEqual([2]);
  });

  it('sends the chosen member as the beneficiary', () => {
    const wantedAt = '2026-12-09T10:00';
    expect(
      myRequestBody({ beneficiary: 2, type: 'hospital', wantedAt, minutes: '90', place: ' 县医院 ', description: '' }),
    ).toEqual({
      beneficiaryResidentId: 2,
      serviceType: 'hospital',
      wantedAt: new Date(wantedAt).toISOString(),
      minutes: 90,
      place: '县医院',
    });
  });

  it('offers nobody else without a household (then only "for myself")', () => {
    expect(familyMembers(1, undefined)).toEqual([]);
    expect(
      familyMembers(1, { linked: true, self: null, house: null, household: null } as unknown as MyHousehold),
    ).toEqual([]);
  });
});
