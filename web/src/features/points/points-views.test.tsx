import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import { MobilePointsPage, MyPointsEntry } from '../../mobile/points/mobile-points-page';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import type { AccountPage, Movement, MyMovementPage, MyPoints, ResidentPoints, Totals } from './points-types';
import { AccountsTable, MovementsTable, ResidentPointsView, TotalsView } from './points-views';
import { pointsKeys } from './use-points';

const worker = (permissions: string[]) =>
  ({
    user: {
      id: 3,
      username: 'shequ',
      displayName: '李社区',
      locale: 'zh-CN',
      mustChangePassword: false,
      residentId: null,
    },
    permissions,
    modules: ['points', 'people'],
    posts: [{ nodeId: 2, nodeType: 'community', nodeName: '东关社区', role: 'community_worker' }],
    notice: null,
  }) as unknown as Me;
const manager = worker(['points.read', 'points.manage']);
const reader = worker(['points.read']);
const resident = {
  user: { id: 9, username: 'jumin', displayName: '王居民', locale: 'zh-CN', mustChangePassword: false, residentId: 40 },
  permissions: [],
  modules: ['points'],
  posts: [{ nodeId: 8, nodeType: 'unit', nodeName: '1单元', role: 'resident' }],
  notice: null,
} as unknown as Me;

const mv = (id: number, over: Partial<Movement> = {}): Movement => ({
  id,
  transferId: id + 100,
  kind: 'adjust',
  reason: `事由${id}`,
  amount: 10,
  balanceAfter: 10 * id,
  at: '2026-12-07T02:00:00.000Z',
  counterpart: { accountId: 1, kind: 'issuer', label: '东关社区' },
  reversesId: null,
  reversedById: null,
  ...over,
});

describe('points console views', () => {
  failOnRenderWarnings();

  it('lists accounts with holder, kind, community and balance, and offers more', () => {
    const page: AccountPage = {
      items: [
        {
          id: 5,
          kind: 'resident',
          currency: 'points',
          balance: 120,
          label: '王居民',
          residentId: 40,
          householdId: null,
          merchantId: null,
          communityId: 2,
          communityName: '东关社区',
        },
      ],
      nextCursor: 5,
    };
    const html = renderView(
      reader,
      <AccountsTable query={{}} onChange={() => undefined} onOpen={() => undefined} onResident={() => undefined} />,
      (c) => c.setQueryData(pointsKeys.accounts({}), page),
    );
    for (const text of ['王居民', '居民', '东关社区', '120', '流 水', '查看居民', '更 多'])
      expect(html).toContain(text);
  });

  it('offers reversal to managers only, and only of awards, credits and expiries not yet reversed', () => {
    const items = [mv(1), mv(2, { kind: 'redeem', amount: -5 }), mv(3, { kind: 'earn', reversedById: 9 })];
    const asManager = renderView(manager, <MovementsTable items={items} currency="points" canManage />);
    expect(asManager).toContain('data-testid="reverse-101"');
    expect(asManager).not.toContain('data-testid="reverse-102"');
    expect(asManager).not.toContain('data-testid="reverse-103"');
    expect(asManager).toContain('已冲正');
    expect(asManager).toContain('-5');
    expect(asManager).toContain('+10');
    const asReader = renderView(reader, <MovementsTable items={items} currency="points" canManage={false} />);
    expect(asReader).not.toContain('data-testid="reverse-');
  });

  it('shows time-bank amounts and balances in hours and minutes, not as a bare count of minutes', () => {
    const page: AccountPage = {
      items: [
        {
          id: 6,
          kind: 'resident',
          currency: 'hours',
          balance: 90,
          label: '苏涛',
          residentId: 41,
          householdId: null,
          merchantId: null,
          communityId: 2,
          communityName: '东关社区',
        },
      ],
      nextCursor: null,
    };
    const table = renderView(
      reader,
      <AccountsTable query={{}} onChange={() => undefined} onOpen={() => undefined} onResident={() => undefined} />,
      (c) => c.setQueryData(pointsKeys.accounts({}), page),
    );
    expect(table).toContain('1 小时 30 分钟');
    const moves = renderView(
      reader,
      <MovementsTable
        items={[mv(1, { kind: 'service', amount: 45, balanceAfter: 135 })]}
        currency="hours"
        canManage={false}
      />,
    );
    expect(moves).toContain('+45 分钟');
    expect(moves).toContain('2 小时 15 分钟');
  });

  it("shows a resident's balances and household, with the award form for managers only", () => {
    const data: ResidentPoints = {
      resident: { id: 40, name: '王居民' },
      balances: [
        { currency: 'points', accountId: 5, balance: 120 },
        { currency: 'hours', accountId: null, balance: 0 },
        { currency: 'conduct', accountId: null, balance: 0 },
      ],
      household: { id: 7, label: '1号楼1单元101', mode: 'sum', points: 200, accountId: null },
      recent: [mv(1)],
    };
    const fill = (c: Parameters<Parameters<typeof renderView>[2] & object>[0]) =>
      c.setQueryData(pointsKeys.resident(40), data);
    const asManager = renderView(manager, <ResidentPointsView residentId={40} />, fill);
    expect(asManager).toContain('王居民');
    expect(asManager).toContain('家庭积分（成员合计）');
    expect(asManager).toContain('data-testid="points-award-form"');
    expect(asManager).toContain('事由1');
    const asReader = renderView(reader, <ResidentPointsView residentId={40} />, fill);
    expect(asReader).not.toContain('data-testid="points-award-form"');
  });

  it('shows totals per community and in total, with the consistency line', () => {
    const fig = {
      currency: 'points' as const,
      issued: 500,
      redeemed: 120,
      settled: 100,
      expired: 0,
      reversed: 10,
      heldByResidents: 370,
      heldByMerchants: 20,
      heldByOthers: 0,
      issuerBalance: -390,
      sum: 0,
    };
    const totals: Totals = {
      nodeId: 2,
      nodeName: '东关社区',
      from: null,
      to: null,
      rows: [{ communityId: 2, name: '东关社区', ...fig }],
      total: [fig],
      consistent: true,
    };
    const html = renderView(reader, <TotalsView query={{}} onChange={() => undefined} />, (c) =>
      c.setQueryData(pointsKeys.totals({}), totals),
    );
    for (const text of ['东关社区', '合计', '500', '-390', '账平', '导出 Excel']) expect(html).toContain(text);
  });
});

describe('my points on the phone', () => {
  failOnRenderWarnings();
  const mine: MyPoints = {
    resident: { id: 40, name: '王居民' },
    balances: [
      { currency: 'points', accountId: 5, balance: 120 },
      { currency: 'hours', accountId: 6, balance: 90 },
      { currency: 'conduct', accountId: null, balance: 0 },
    ],
    household: { id: 7, label: '1号楼1单元101', mode: 'own', points: 300, accountId: 8 },
  };
  const movements: MyMovementPage = {
    currency: 'points',
    balance: 120,
    items: [mv(2, { kind: 'redeem', amount: -30, reason: '兑换大米' }), mv(1, { kind: 'earn', reason: '参加活动' })],
    nextCursor: 1,
  };

  it('shows the balance in big numbers, the household line, the code button, the links and the passbook', () => {
    const html = renderView(resident, <MobilePointsPage />, (c) => {
      c.setQueryData(pointsKeys.mine(), mine);
      c.setQueryData(pointsKeys.myMovements('points', undefined), movements);
    });
    expect(html).toContain('data-testid="m-points-balance"');
    expect(html).toContain('>120<');
    expect(html).toContain('1 小时 30 分钟');
    expect(html).toContain('家庭积分 300（家庭账户）');
    expect(html).toContain('出示兑换码');
    expect(html).toContain('志愿活动');
    expect(html).toContain('时间银行');
    expect(html).toContain('兑换大米');
    expect(html).toContain('-30');
    expect(html).toContain('+10');
    expect(html).toContain('data-testid="m-points-more"');
  });

  it('the home entry shows the balance for a resident with a record, and nothing for a worker', () => {
    const html = renderView(resident, <MyPointsEntry />, (c) => c.setQueryData(pointsKeys.mine(), mine));
    expect(html).toContain('我的积分');
    expect(html).toContain('余额 120');
    expect(renderView(manager, <MyPointsEntry />)).not.toContain('我的积分');
  });
});
