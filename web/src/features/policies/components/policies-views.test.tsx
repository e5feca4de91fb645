import { describe, expect, it } from 'vitest';
import type { Me } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import type {
  CandidateDetail,
  CandidatePage,
  PolicyFieldsView,
  PolicyList,
  PolicyView,
  RunPage,
  RunView,
} from '../policy-types';
import { CandidateDetailView, CandidatesView } from './candidates-view';
import { PoliciesView } from './policies-view';
import { PolicyEditorView } from './policy-editor';
import { RuleBuilder } from './rule-builder';

failOnRenderWarnings();

const worker = {
  user: { id: 5, username: 'wangge', displayName: '王网格', locale: 'zh-CN', mustChangePassword: false },
  permissions: ['policies.read', 'policies.confirm', 'people.read'],
  modules: ['policies', 'people'],
  posts: [{ nodeId: 7, nodeType: 'grid', nodeName: '东关一网格', role: 'grid_worker' }],
  notice: null,
} as unknown as Me;

const admin = {
  ...worker,
  permissions: ['policies.read', 'policies.run', 'policies.confirm', 'policies.config'],
  posts: [{ nodeId: null, nodeType: null, nodeName: null, role: 'admin' }],
} as unknown as Me;

const catalogue: PolicyFieldsView = {
  fields: [
    {
      code: 'age',
      type: 'number',
      source: 'resident',
      label: '年龄',
      min: 0,
      max: 150,
      ops: ['=', '!=', '>', '>=', '<', '<=', 'between', 'in', 'not_in', 'is_null', 'not_null'],
    },
    {
      code: 'hukou_type',
      type: 'enum',
      source: 'resident',
      label: '户籍类型',
      values: ['local_urban', 'local_rural', 'nonlocal'],
      ops: ['=', '!=', 'in', 'not_in', 'is_null', 'not_null'],
    },
    { code: 'lives_alone', type: 'boolean', source: 'household', label: '独居', ops: ['='] },
  ],
  opsByType: {},
  tags: [{ code: 'disabled', name: '残疾人' }],
  policies: [{ code: 'old_age_allowance', name: '高龄津贴' }],
};

const policy: PolicyView = {
  id: 1,
  code: 'old_age_allowance',
  name: '高龄津贴',
  legalRef: '《山东省老年人权益保障条例》第二十条',
  legalUrl: null,
  description: '80 周岁以上本地户籍老年人按月发放',
  residentText: '您已年满 80 周岁，可申请高龄津贴。',
  handledBy: '民政办',
  validFrom: '2026-01-01',
  validTo: null,
  status: 'active',
  version: 2,
  versionId: 12,
  rule: { all: [{ field: 'age', op: '>=', value: 80 }] },
  leaves: [],
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

const run: RunView = {
  id: 30,
  nodeId: 7,
  nodeName: '东关一网格',
  trigger: 'manual',
  policyId: null,
  policyName: null,
  status: 'done',
  asOf: '2026-12-07',
  residents: 412,
  error: null,
  startedByName: '李街道',
  createdAt: '2026-12-07T01:00:00.000Z',
  startedAt: '2026-12-07T01:00:01.000Z',
  finishedAt: '2026-12-07T01:00:03.000Z',
  policies: [
    {
      policyId: 1,
      policyCode: 'old_age_allowance',
      policyName: '高龄津贴',
      versionId: 12,
      version: 2,
      eligible: 23,
      nearMiss: 9,
      newlyEligible: 4,
      noLongerEligible: 1,
      previousRunId: 29,
    },
  ],
};

const detail: CandidateDetail = {
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
      { index: 2, label: '不满足：正在享受：残疾人两项补贴', value: false, valueText: '否', negated: true },
    ],
    failed: [
      { index: 1, label: '户籍类型 属于 本地城镇、本地农村', value: 'nonlocal', valueText: '外地', negated: false },
    ],
    summary: '差一项：户籍类型',
  },
  residentText: '您已年满 80 周岁，可申请高龄津贴。',
  history: [{ at: '2026-12-07T01:00:03.000Z', actorName: null, action: '发现', reason: null }],
};

describe('the rule builder', () => {
  const rule = {
    all: [
      { field: 'age', op: '>=' as const, value: 80 },
      { any: [{ tag: 'disabled' }, { field: 'hukou_type', op: 'in' as const, value: ['local_urban'] }] },
    ],
  };

  it('shows the server error at the offending leaf, and only there', () => {
    const html = renderView(
      admin,
      <RuleBuilder
        value={rule}
        onChange={() => undefined}
        catalogue={catalogue}
        leaves={null}
        error={{ path: 'all.1.any.1', part: 'value', message: '值须属于：本地城镇、本地农村、外地' }}
      />,
    );
    const at = html.indexOf('data-testid="rule-node-all.1.any.1"');
    const other = html.indexOf('data-testid="rule-node-all.0"');
    expect(at).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(0);
    const nodeError = html.indexOf('data-testid="rule-node-error"');
    expect(nodeError).toBeGreaterThan(at);
    expect(html.match(/data-testid="rule-node-error"/g)).toHaveLength(1);
    expect(html).toContain('值须属于：本地城镇、本地农村、外地');
    // groups offer all / any / not, leaves their field, operator and value
    expect(html).toContain('全部满足');
    expect(html).toContain('任一满足');
  });

  it('reads the rule as a sentence, with the server’s labels when it has them', () => {
    const local = renderView(
      admin,
      <RuleBuilder value={rule} onChange={() => undefined} catalogue={catalogue} leaves={null} error={null} />,
    );
    expect(local).toContain('全部满足（年龄 大于等于 80 且 任一满足（持有标签：残疾人 或 户籍类型 属于 本地城镇））');
    const served = renderView(
      admin,
      <RuleBuilder
        value={rule}
        onChange={() => undefined}
        catalogue={catalogue}
        error={null}
        leaves={[
          { index: 0, path: 'all.0', kind: 'field', condition: rule.all[0] as never, label: '年龄 ≥ 80' },
          { index: 1, path: 'all.1.any.0', kind: 'tag', condition: { tag: 'disabled' }, label: '持有标签：残疾人' },
          { index: 2, path: 'all.1.any.1', kind: 'field', condition: {} as never, label: '户籍类型 属于 本地城镇' },
        ]}
      />,
    );
    expect(served).toContain('全部满足（年龄 ≥ 80 且 任一满足（持有标签：残疾人 或 户籍类型 属于 本地城镇））');
    expect(served).toContain('规则有效，共 3 个条件');
    expect(served).not.toContain('data-testid="rule-error"');
  });
});

describe('the policy editor page', () => {
  it('lists policies with status and version, and offers to create one', () => {
    const list: PolicyList = {
      items: [
        policy,
        { ...policy, id: 2, code: 'disability_aid', name: '残疾人两项补贴', status: 'draft', version: 1 },
      ],
    };
    const html = renderView(admin, <PolicyEditorView />, (c) => {
      c.setQueryData(['policies', 'list', null], list);
      c.setQueryData(['policies', 'fields'], catalogue);
    }).replaceAll('<!-- -->', '');
    expect(html).toContain('高龄津贴');
    expect(html).toContain('disability_aid');
    expect(html).toContain('第 2 版');
    expect(html).toContain('草稿');
    expect(html).toContain('data-testid="policy-create"');
    // a draft may be activated, an active policy retired
    expect(html).toContain('<span>生 效</span>');
    expect(html).toContain('停 用');
  });
});

describe('the policies page', () => {
  const fill = (latest: RunView | null) => (c: import('@tanstack/react-query').QueryClient) => {
    c.setQueryData(['policies', 'list', 'active'], { items: [policy] } satisfies PolicyList);
    c.setQueryData(['policies', 'runs', 'latest', 7], latest);
    c.setQueryData(['policies', 'runs', 'done', 7, `${latest?.id ?? 0}:${latest?.status ?? ''}`], {
      items: latest?.status === 'done' ? [latest] : [],
      total: latest?.status === 'done' ? 1 : 0,
    } satisfies RunPage);
  };

  it('shows each active policy with the counts of the newest finished run, and a run button for runners', () => {
    const html = renderView(
      admin,
      <PoliciesView canRun canRevealPii={false} defaultNodeId={7} />,
      fill(run),
    ).replaceAll('<!-- -->', '');
    expect(html).toContain('data-testid="policy-card-old_age_allowance"');
    for (const n of ['23', '9', '4', '1']) expect(html).toContain(`>${n}<`);
    expect(html).toContain('已完成');
    expect(html).toContain('412 人');
    expect(html).toContain('data-testid="policy-run"');
  });

  it('shows a run in progress and no figures yet; no run button without policies.run', () => {
    const html = renderView(
      worker,
      <PoliciesView canRun={false} canRevealPii={false} defaultNodeId={7} />,
      fill({ ...run, id: 31, status: 'running', finishedAt: null }),
    );
    expect(html).toContain('运行中');
    expect(html).not.toContain('data-testid="policy-run"');
    expect(html).not.toContain('>23<');
  });
});

describe('the candidates page', () => {
  it('lists candidates with their status and policy', () => {
    const page: CandidatePage = {
      items: [detail, { ...detail, id: 45, name: '李*强', status: 'receiving' }],
      total: 2,
    };
    const html = renderView(worker, <CandidatesView canConfirm />, (c) => {
      c.setQueryData(['policies', 'candidates', { status: 'pending', page: 1, pageSize: 20 }], page);
      c.setQueryData(['policies', 'list', null], { items: [policy] });
    });
    expect(html).toContain('张*华');
    expect(html).toContain('李*强');
    expect(html).toContain('待核实');
    expect(html).toContain('已享受');
    expect(html).toContain('高龄津贴');
  });

  it('explains a candidate (met ✓ with values, failed ✗), shows the notice and offers the decisions', () => {
    const html = renderView(worker, <CandidateDetailView id={44} canConfirm />, (c) =>
      c.setQueryData(['policies', 'candidate', 44], detail),
    ).replaceAll('<!-- -->', '');
    expect(html).toContain('年龄 ≥ 80');
    expect(html).toContain('（82）');
    expect(html.match(/data-testid="explanation-met"/g)).toHaveLength(2);
    // a condition under 不满足 reads as the server labels it, once
    expect(html.match(/不满足：正在享受：残疾人两项补贴/g)).toHaveLength(1);
    expect(html.match(/data-testid="explanation-failed"/g)).toHaveLength(1);
    expect(html).toContain('（外地）');
    expect(html).toContain('您已年满 80 周岁，可申请高龄津贴。');
    expect(html).toContain('data-testid="candidate-print"');
    expect(html).toContain('data-testid="candidate-confirm"');
    expect(html).toContain('data-testid="candidate-reject"');
    expect(html).toContain('data-testid="candidate-receiving"');
    expect(html).not.toContain('data-testid="candidate-end"');
  });

  it('offers no decision to a reader without policies.confirm, nor on a decided candidate', () => {
    const reader = renderView(worker, <CandidateDetailView id={44} canConfirm={false} />, (c) =>
      c.setQueryData(['policies', 'candidate', 44], detail),
    );
    expect(reader).toContain('年龄 ≥ 80');
    expect(reader).not.toContain('data-testid="candidate-actions"');
    const rejected = renderView(worker, <CandidateDetailView id={44} canConfirm />, (c) =>
      c.setQueryData(['policies', 'candidate', 44], { ...detail, status: 'rejected', reason: '已迁出' }),
    );
    expect(rejected).toContain('已迁出');
    expect(rejected).not.toContain('data-testid="candidate-actions"');
  });
});
