import { describe, expect, it } from 'vitest';
import type { DelibVoteView, Me } from '../../api-types';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { VoteCard } from './mobile-deliberation-page';

failOnRenderWarnings();

const resident = {
  user: { id: 6, username: 'jumin', displayName: '陈居民', locale: 'zh-CN', mustChangePassword: false, residentId: 1 },
  permissions: [],
  modules: ['deliberation'],
  posts: [{ nodeId: 7, nodeType: 'unit', nodeName: '1单元', role: 'resident' }],
  notice: null,
} as unknown as Me;

const running: DelibVoteView = {
  id: 3,
  question: '是否同意重新划线',
  rule: 'per_household',
  secrecy: 'secret',
  quorumKind: 'share',
  quorumValue: 0.5,
  deadline: '2026-12-14T02:00:00.000Z',
  status: 'open',
  over: false,
  options: [
    { id: 10, label: '同意' },
    { id: 11, label: '不同意' },
  ],
  myBallot: { voted: false, optionId: null },
  results: null,
};

describe('a vote on the phone', () => {
  it('offers the options and the button to a verified resident, and no results while a secret vote runs', () => {
    const html = renderView(resident, <VoteCard vote={running} canVote />);
    expect(html).toContain('每户一票');
    expect(html).toContain('无记名');
    expect(html).toContain('data-testid="m-cast"');
    expect(html).not.toContain('data-testid="m-results"');
    expect(html).toContain('无记名投票，结束后公布结果');
  });

  it('says the resident has voted and offers no second ballot; an unverified resident gets no button', () => {
    const voted = renderView(
      resident,
      <VoteCard vote={{ ...running, myBallot: { voted: true, optionId: null } }} canVote />,
    );
    expect(voted).toContain('data-testid="m-voted"');
    expect(voted).not.toContain('data-testid="m-cast"');
    expect(renderView(resident, <VoteCard vote={running} canVote={false} />)).not.toContain('data-testid="m-cast"');
  });

  it('shows the counts, turnout and quorum once the vote is over', () => {
    const over: DelibVoteView = {
      ...running,
      status: 'closed',
      over: true,
      results: {
        counts: [
          { optionId: 10, label: '同意', count: 1 },
          { optionId: 11, label: '不同意', count: 0 },
        ],
        turnout: 1,
        eligible: 2,
        required: 1,
        quorumMet: true,
        leading: [10],
        final: true,
      },
    };
    const html = renderView(resident, <VoteCard vote={over} canVote />).replaceAll('<!-- -->', '');
    expect(html).toContain('data-testid="m-results"');
    expect(html).toContain('同意：1');
    expect(html).toContain('已投 1 / 应投 2（法定 1）');
    expect(html).toContain('达到法定人数');
    expect(html).not.toContain('data-testid="m-cast"');
  });
});
