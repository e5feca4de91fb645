import { type Access, getAccess } from '../../../access';
import type { Me } from '../../../api-types';
import { useMe } from './use-auth';

const NONE: Access = getAccess({ permissions: [], modules: [] });

/** The signed-in user's access flags (all false until /api/auth/me has answered). */
export function useAccess(): Access {
  const me = useMe();
  return me.data ? getAccess(me.data) : NONE;
}

export function useSignedInUser(): Me | undefined {
  return useMe().data;
}
