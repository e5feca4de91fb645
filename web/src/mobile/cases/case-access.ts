import type { Me } from '../../api-types';

/** What the phone offers an account for cases, from /api/auth/me (the server decides each action again). */
export type CaseAccess = {
  /** Any account with a post may report within its own community. */
  canReport: boolean;
  /** Reads cases of an area (not only their own reports). */
  canRead: boolean;
  /** Grid workers and above: 我的任务, 巡查上报. */
  canHandle: boolean;
  /** Community and street workers: cases waiting to be checked (待核查). */
  canManage: boolean;
};

export function caseAccess(me: Pick<Me, 'permissions' | 'modules' | 'posts'> | undefined): CaseAccess {
  const on = Boolean(me?.modules.includes('cases'));
  return {
    canReport: on && (me?.posts.length ?? 0) > 0,
    canRead: on && Boolean(me?.permissions.includes('cases.read')),
    canHandle: on && Boolean(me?.permissions.includes('cases.handle')),
    canManage: on && Boolean(me?.permissions.includes('cases.manage')),
  };
}
