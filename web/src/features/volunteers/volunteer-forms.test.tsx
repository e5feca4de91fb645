import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { teamCreateBody } from './volunteer-logic';
import { ActivityEditor, EnrolForm, NewTeamForm } from './volunteer-views';

const worker = {
  user: { id: 3, username: 'shequ', displayName: '社区', locale: 'zh-CN', mustChangePassword: false, residentId: null },
  permissions: ['volunteers.read', 'volunteers.manage', 'users.read'],
  modules: ['volunteers', 'points', 'users'],
  posts: [{ nodeId: 5, nodeType: 'community', nodeName: '东关社区', role: 'community_worker' }],
  notice: null,
} as unknown as Me;

failOnRenderWarnings();

describe('the new-team body', () => {
  it('sends the picked node and the leader account when one was chosen', () => {
    expect(
      teamCreateBody({ nodeId: 5, name: ' 东关助老队 ', kind: 'volunteer', description: ' 助老 ', leaderUserId: 7 }),
    ).toEqual({ nodeId: 5, name: '东关助老队', kind: 'volunteer', description: '助老', leaderUserId: 7 });
  });

  it('leaves out an empty leader and description (the leader is optional)', () => {
    expect(teamCreateBody({ nodeId: 5, name: '巡逻队', kind: 'service', description: '', leaderUserId: null })).toEqual(
      {
        nodeId: 5,
        name: '巡逻队',
        kind: 'service',
      },
    );
    expect(teamCreateBody({ nodeId: 6, name: '网格队', kind: 'mobile_grid' })).toEqual({
      nodeId: 6,
      name: '网格队',
      kind: 'mobile_grid',
    });
  });
});

describe('the volunteer forms ask for no raw ids', () => {
  it('the new team: an area picker and a leader-account field waiting for the area', () => {
    const html = renderView(worker, <NewTeamForm onClose={() => undefined} />);
    expect(html).toContain('data-testid="team-node"');
    expect(html).toContain('data-testid="team-leader"');
    expect(html).toContain('队长账号');
    expect(html).not.toContain('区域编号');
  });

  it('no leader field for a worker who may not read accounts (a grid worker)', () => {
    const gridWorker = {
      ...worker,
      permissions: ['volunteers.read', 'volunteers.manage'],
      posts: [{ nodeId: 9, nodeType: 'grid', nodeName: '第一网格', role: 'grid_worker' }],
    } as unknown as Me;
    const html = renderView(gridWorker, <NewTeamForm onClose={() => undefined} />);
    expect(html).toContain('data-testid="team-node"');
    expect(html).not.toContain('data-testid="team-leader"');
  });

  it('enrolment: a resident picker', () => {
    const html = renderView(worker, <EnrolForm onClose={() => undefined} />);
    expect(html).toContain('data-testid="enrol-resident"');
    expect(html).not.toContain('居民编号');
  });

  it('a new activity: an area picker', () => {
    const html = renderView(worker, <ActivityEditor activity={null} onClose={() => undefined} />);
    expect(html).toContain('data-testid="activity-node"');
    expect(html).not.toContain('区域编号');
  });
});
