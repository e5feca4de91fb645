import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import type { CandidateDetail, CandidatePage } from '../../features/policies/policy-types';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { MobileCandidateView, MobilePoliciesPage, PoliciesEntry } from './mobile-policies-page';

failOnRenderWarnings();

const worker = {
  user: { id: 5, username: 'wangge', displayName: '王网格', locale: 'zh-CN', mustChangePassword: false },
  permissions: ['policies.read', 'policies.confirm', 'people.read'],
  modules: ['policies', 'people'],
  posts: [{ nodeId: 7, nodeType: 'grid', nodeName: '东关一网格', role: 'grid_worker' }],
  notice: null,
} as unknown as Me;
const reader = { ...worker, permissions: ['policies.read', 'people.read'] } as unknown as Me;

const candidate: CandidateDetail = {
  id: 44,
  policyId: 1,
  policyCode: 'old_age_allowance',
  policyName: '高龄津贴',
  residentId: 100,
  name: '张*华',
  idMasked: '370883********0012',
  sex: 'female',
  age: 82,
  nodeId: 7,
  place: '东关一网格 3号楼',
  status: 'pending',
  runId: 30,
  versionId: 12,
  foundAt: '2026-12-07T01:00:03.000Z',
  dueAt: null,
  decidedByName: null,
  decidedAt: null,
  reason: null,
  receivingSince: null,
  receivingUntil: null,
  version: 1,
  updatedAt: '2026-12-07T01:00:03.000Z',
  legalRef: '《山东省老年人权益保障条例》第二十条',
  handledBy: '民政办',
  description: '',
  explanation: {
    met: [
      { index: 0, label: '年龄 ≥ 80', value: 82, valueText: '82', negated: false },
      { index: 1, label: '户籍类型 属于 本地', value: 'local_urban', valueText: '本地城镇', negated: false },
    ],
    failed: [],
    summary: '符合',
  },
  residentText: '您已年满 80 周岁，可申请高龄津贴。',
  history: [],
};

describe('the worker’s policy pages on the phone', () => {
  it('lists the pending candidates, each opening its page', () => {
    const page: CandidatePage = { items: [candidate], total: 1 };
    const html = renderView(worker, <MobilePoliciesPage />, (c) =>
      c.setQueryData(['policies', 'candidates', { status: 'pending', page: 1, pageSize: 50 }], page),
    ).replaceAll('<!-- -->', '');
    expect(html).toContain('data-testid="m-candidate-44"');
    expect(html).toContain('张*华（女，82）');
    expect(html).toContain('高龄津贴 · 东关一网格 3号楼');
  });

  it('says so when nothing waits', () => {
    const html = renderView(worker, <MobilePoliciesPage />, (c) =>
      c.setQueryData(['policies', 'candidates', { status: 'pending', page: 1, pageSize: 50 }], { items: [], total: 0 }),
    );
    expect(html).toContain('暂无待核实的居民');
  });

  it('shows who, why (with values), the notice and the decisions to a worker who confirms', () => {
    const html = renderView(worker, <MobileCandidateView candidate={candidate} />).replaceAll('<!-- -->', '');
    expect(html).toContain('年龄 ≥ 80（82）');
    expect(html).toContain('户籍类型 属于 本地（本地城镇）');
    expect(html).toContain('您已年满 80 周岁，可申请高龄津贴。');
    expect(html).toContain('data-testid="m-candidate-confirm"');
    expect(html).toContain('data-testid="m-candidate-reject"');
    expect(html).toContain('data-testid="m-candidate-receiving"');
  });

  it('offers no decisions to a reader, nor on a candidate already receiving but to end it', () => {
    const read = renderView(reader, <MobileCandidateView candidate={candidate} />);
    expect(read).toContain('年龄 ≥ 80');
    expect(read).not.toContain('data-testid="m-candidate-actions"');
    const receiving = renderView(worker, <MobileCandidateView candidate={{ ...candidate, status: 'receiving' }} />);
    expect(receiving).not.toContain('data-testid="m-candidate-confirm"');
    expect(receiving).toContain('data-testid="m-candidate-end"');
  });

  it('puts the entry on the home page only for those who confirm', () => {
    expect(renderView(worker, <PoliciesEntry />)).toContain('data-testid="m-entry-policies"');
    expect(renderView(reader, <PoliciesEntry />)).not.toContain('data-testid="m-entry-policies"');
  });
});
