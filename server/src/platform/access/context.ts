import type { Locale } from '../errors/errors.js';
import type { Principal } from './scope.js';

/** Who asks, and from where: passed from the edge (route, CLI) to every service call. */
export type Ctx = {
  principal: Principal;
  requestId: string | null;
  ip: string | null;
  locale: Locale;
};

/** A context for operators' commands and start-up work, which act as the system. */
export function systemCtx(label = 'system'): Ctx {
  return {
    principal: {
      userId: 0,
      username: label,
      displayName: label,
      locale: 'zh-CN',
      grants: [{ postId: 0, role: 'admin', nodeId: null, path: null }],
      via: 'session',
    },
    requestId: null,
    ip: null,
    locale: 'zh-CN',
  };
}
