import type { Me } from '../../../api-types';
import type { Adjustment, Archive, HonoursNotice, Rankings, Scheme, Selection } from '../assessment-types';

/** Mocked API answers for the assessment views' tests (shapes of part C1's schemas). */
export const streetAdmin = {
  user: { id: 2, username: 'jiedao', displayName: '街道管理员', locale: 'zh-CN', mustChangePassword: false },
  permissions: ['org.read', 'assessment.read', 'assessment.manage', 'assessment.approve'],
  modules: ['org', 'assessment'],
  posts: [{ nodeId: 2, nodeType: 'street', nodeName: '泗源街道', role: 'street_admin' }],
  notice: null,
} as unknown as Me;

export const gridWorker = {
  user: { id: 7, username: 'wangge', displayName: '王网格', locale: 'zh-CN', mustChangePassword: false },
  permissions: ['org.read', 'assessment.read'],
  modules: ['org', 'assessment'],
  posts: [{ nodeId: 11, nodeType: 'grid', nodeName: '东关一网格', role: 'grid_worker' }],
  notice: null,
} as unknown as Me;

export const monthly: Scheme = {
  id: 1,
  name: '网格月度考核',
  subject: 'grid',
  periodKind: 'month',
  totalWeight: 100,
  adjustmentCap: 10,
  honour: null,
  honourQuota: 1,
  honourMinScore: 80,
  active: true,
  items: [
    { metric: 'cases_on_time_rate', weight: 60, higherBetter: true, fullAt: 0.95, zeroAt: 0.5, sort: 0 },
    { metric: 'cases_overdue', weight: 40, higherBetter: false, fullAt: 0, zeroAt: 10, sort: 1 },
  ],
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

export const quarterly: Scheme = {
  ...monthly,
  id: 2,
  name: '网格员季度考核',
  subject: 'worker',
  periodKind: 'quarter',
  honour: 'excellent_worker',
  honourQuota: 2,
  honourMinScore: 85,
  items: [{ metric: 'visits_on_time_rate', weight: 100, higherBetter: true, fullAt: 1, zeroAt: 0.6, sort: 0 }],
};

export const rankings: Rankings = {
  scheme: monthly,
  periodStart: '2026-11-01',
  previousPeriodStart: '2026-10-01',
  computedAt: '2026-12-01T19:30:00.000Z',
  groups: [
    {
      groupNodeId: 5,
      groupName: '东关社区',
      subjects: [
        {
          subjectKind: 'node',
          subjectId: 11,
          name: '东关一网格',
          gridName: null,
          total: 92.5,
          base: 89.5,
          adjustments: 3,
          rank: 1,
          groupSize: 2,
          items: [
            { metric: 'cases_on_time_rate', value: 0.875, marks: 49.5, weight: 60 },
            { metric: 'cases_overdue', value: 0, marks: 40, weight: 40 },
          ],
          previousRank: 2,
          previousTotal: 81,
          rankChange: 1,
          totalChange: 11.5,
        },
        {
          subjectKind: 'node',
          subjectId: 12,
          name: '东关二网格',
          gridName: null,
          total: 70,
          base: 72,
          adjustments: -2,
          rank: 2,
          groupSize: 2,
          items: [
            { metric: 'cases_on_time_rate', value: null, marks: 0, weight: 60 },
            { metric: 'cases_overdue', value: 3, marks: 28, weight: 40 },
          ],
          previousRank: 1,
          previousTotal: 88.25,
          rankChange: -1,
          totalChange: -18.25,
        },
      ],
    },
  ],
};

export const adjustment: Adjustment = {
  id: 31,
  schemeId: 1,
  schemeName: '网格月度考核',
  periodStart: '2026-11-01',
  subjectKind: 'node',
  subjectId: 11,
  subjectName: '东关一网格',
  points: 3,
  reason: '协助处置燃气泄漏，获街道通报表扬',
  evidence: [
    {
      id: 'AAAAAAAAAAAAAAAAAAAAAA',
      name: '表扬通报.pdf',
      mime: 'application/pdf',
      url: '/api/files/AAAAAAAAAAAAAAAAAAAAAA',
      thumbUrl: null,
    },
  ],
  createdBy: 2,
  createdByName: '街道管理员',
  createdAt: '2026-11-20T02:00:00.000Z',
  withdrawnAt: null,
  withdrawnByName: null,
};

function selection(over: Partial<Selection>): Selection {
  return {
    id: 1,
    schemeId: 2,
    schemeName: '网格员季度考核',
    honour: 'excellent_worker',
    periodStart: '2026-07-01',
    subjectKind: 'user',
    subjectId: 7,
    subjectName: '王网格',
    gridName: '东关一网格',
    levelNodeId: 2,
    levelNodeName: '泗源街道',
    score: 93.5,
    status: 'proposed',
    citation: null,
    nominatedByName: null,
    nominatedAt: null,
    decidedByName: null,
    decidedAt: null,
    decisionReason: null,
    publishedAt: null,
    version: 1,
    createdAt: '2026-10-02T00:00:00.000Z',
    can: { nominate: false, approve: false, decline: false },
    ...over,
  };
}

export const selections: Selection[] = [
  selection({ id: 1, status: 'proposed', can: { nominate: true, approve: false, decline: false } }),
  selection({
    id: 2,
    subjectId: 8,
    subjectName: '李网格',
    gridName: '东关二网格',
    score: 90,
    status: 'nominated',
    citation: '入户走访率全街道第一',
    can: { nominate: true, approve: true, decline: true },
  }),
  selection({
    id: 3,
    subjectId: 9,
    subjectName: '张网格',
    gridName: '西关一网格',
    score: 88,
    status: 'approved',
    citation: '化解邻里纠纷12起',
  }),
  selection({
    id: 4,
    subjectId: 10,
    subjectName: '赵网格',
    gridName: '西关二网格',
    score: 86,
    status: 'declined',
    citation: '按时完成走访',
    decisionReason: '本季度有超期事件',
  }),
];

export const archive: Archive = {
  subjectKind: 'user',
  subjectId: 7,
  name: '王网格',
  type: 'worker',
  parentName: '东关一网格',
  scores: [
    {
      schemeId: 2,
      schemeName: '网格员季度考核',
      periodKind: 'quarter',
      periodStart: '2026-07-01',
      total: 93.5,
      base: 93.5,
      adjustments: 0,
      rank: 1,
      groupSize: 4,
      items: [{ metric: 'visits_on_time_rate', value: 0.935, marks: 83.75, weight: 100 }],
    },
    {
      schemeId: 2,
      schemeName: '网格员季度考核',
      periodKind: 'quarter',
      periodStart: '2026-04-01',
      total: 80,
      base: 80,
      adjustments: 0,
      rank: 3,
      groupSize: 4,
      items: [{ metric: 'visits_on_time_rate', value: 0.9, marks: 75, weight: 100 }],
    },
  ],
  adjustments: [{ ...adjustment, subjectKind: 'user', subjectId: 7, subjectName: '王网格' }],
  honours: [
    {
      id: 1,
      honour: 'excellent_worker',
      schemeName: '网格员季度考核',
      periodStart: '2026-07-01',
      status: 'published',
      citation: '入户走访率全街道第一',
      publishedAt: '2026-10-10T00:00:00.000Z',
    },
    {
      id: 5,
      honour: 'excellent_worker',
      schemeName: '网格员季度考核',
      periodStart: '2026-04-01',
      status: 'nominated',
      citation: '待审批',
      publishedAt: null,
    },
  ],
};

export const notice: HonoursNotice = {
  node: { id: 2, name: '泗源街道' },
  honours: [
    {
      honour: 'red_flag_grid',
      periodStart: '2026-07-01',
      quarter: '2026-Q3',
      name: '东关一网格',
      gridName: '东关一网格',
      communityName: '东关社区',
      citation: '全年无超期事件',
      publishedAt: '2026-10-10T00:00:00.000Z',
    },
    {
      honour: 'excellent_worker',
      periodStart: '2026-07-01',
      quarter: '2026-Q3',
      name: '王网格',
      gridName: '东关一网格',
      communityName: '东关社区',
      citation: '入户走访率全街道第一',
      publishedAt: '2026-10-10T00:00:00.000Z',
    },
    {
      honour: 'excellent_worker',
      periodStart: '2026-04-01',
      quarter: '2026-Q2',
      name: '李网格',
      gridName: '东关二网格',
      communityName: '东关社区',
      citation: null,
      publishedAt: '2026-07-10T00:00:00.000Z',
    },
  ],
};
