import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type {
  Activity,
  ActivityInput,
  CheckinCode,
  MyActivity,
  Signup,
  Team,
  TeamDetail,
  TeamKind,
  Volunteer,
  VolunteerKind,
} from './volunteer-types';

/** The volunteers API's queries, shared by the console and the phone. */
export const volunteerKeys = {
  all: ['volunteers'] as const,
};

export type VolunteerQuery = { kind?: VolunteerKind; skill?: string; q?: string; page?: number; pageSize?: number };

export function useTeams() {
  return useQuery({
    queryKey: ['volunteers', 'teams'],
    queryFn: ({ signal }) => api.get<{ items: Team[] }>('/api/volunteers/teams', undefined, signal),
  });
}

export function useTeam(id: number | null) {
  return useQuery({
    queryKey: ['volunteers', 'team', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api.get<TeamDetail>(`/api/volunteers/teams/${id}`, undefined, signal),
  });
}

export function useVolunteers(query: VolunteerQuery) {
  return useQuery({
    queryKey: ['volunteers', 'list', query],
    queryFn: ({ signal }) => api.get<{ items: Volunteer[]; total: number }>('/api/volunteers', { ...query }, signal),
  });
}

export function useActivities(query: { status?: string; page?: number }) {
  return useQuery({
    queryKey: ['volunteers', 'activities', query],
    queryFn: ({ signal }) =>
      api.get<{ items: Activity[]; total: number }>('/api/volunteers/activities', { ...query }, signal),
  });
}

export function useActivity(id: number) {
  return useQuery({
    queryKey: ['volunteers', 'activity', id],
    queryFn: ({ signal }) => api.get<Activity>(`/api/volunteers/activities/${id}`, undefined, signal),
  });
}

export function useSignups(id: number) {
  return useQuery({
    queryKey: ['volunteers', 'signups', id],
    queryFn: ({ signal }) =>
      api.get<{ items: Signup[] }>(`/api/volunteers/activities/${id}/signups`, undefined, signal),
  });
}

/** The organiser's check-in code, fetched again every minute (it changes every 2 minutes). */
export function useCheckinCode(id: number, enabled = true) {
  return useQuery({
    queryKey: ['volunteers', 'checkin-code', id],
    enabled,
    refetchInterval: 60_000,
    queryFn: ({ signal }) => api.get<CheckinCode>(`/api/volunteers/activities/${id}/checkin-code`, undefined, signal),
  });
}

export function useMyActivities(scope: 'open' | 'mine') {
  return useQuery({
    queryKey: ['volunteers', 'me', scope],
    queryFn: ({ signal }) => api.get<{ items: MyActivity[] }>('/api/me/activities', { scope }, signal),
  });
}

export function useMyActivity(id: number) {
  return useQuery({
    queryKey: ['volunteers', 'me', 'one', id],
    queryFn: ({ signal }) => api.get<MyActivity>(`/api/me/activities/${id}`, undefined, signal),
  });
}

function useMutate<A, R>(fn: (a: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: volunteerKeys.all }) });
}

export const useCreateTeam = () =>
  useMutate(
    (b: { nodeId: number; name: string; kind: TeamKind; description?: string | null; leaderUserId?: number | null }) =>
      api.post<TeamDetail>('/api/volunteers/teams', b),
  );
export const useUpdateTeam = () =>
  useMutate(({ id, ...b }: { id: number; active?: boolean; name?: string }) =>
    api.patch<TeamDetail>(`/api/volunteers/teams/${id}`, b),
  );
export const useAddMember = () =>
  useMutate(({ id, residentId }: { id: number; residentId: number }) =>
    api.post<TeamDetail>(`/api/volunteers/teams/${id}/members`, { residentId }),
  );
export const useRemoveMember = () =>
  useMutate(({ id, residentId }: { id: number; residentId: number }) =>
    api.delete<TeamDetail>(`/api/volunteers/teams/${id}/members/${residentId}`),
  );
export const useEnrol = () =>
  useMutate((b: { residentId: number; kind: VolunteerKind; skills: string[] }) =>
    api.post<Volunteer>('/api/volunteers', b),
  );
export const useUpdateVolunteer = () =>
  useMutate(({ residentId, ...b }: { residentId: number; available?: boolean; left?: boolean; skills?: string[] }) =>
    api.patch<Volunteer>(`/api/volunteers/${residentId}`, b),
  );
export const useSaveActivity = () =>
  useMutate(({ id, ...b }: ActivityInput & { id?: number }) =>
    id
      ? api.patch<Activity>(`/api/volunteers/activities/${id}`, b)
      : api.post<Activity>('/api/volunteers/activities', b),
  );
export const useCancelActivity = () =>
  useMutate((id: number) => api.post<Activity>(`/api/volunteers/activities/${id}/cancel`));
export const useAttendance = () =>
  useMutate(({ id, residentId, attended }: { id: number; residentId: number; attended: boolean }) =>
    api.post<Signup>(`/api/volunteers/activities/${id}/attendance`, { residentId, attended }),
  );
export const useSignUp = () => useMutate((id: number) => api.post<MyActivity>(`/api/me/activities/${id}/signup`));
export const useWithdraw = () => useMutate((id: number) => api.delete<MyActivity>(`/api/me/activities/${id}/signup`));
export const useCheckIn = () =>
  useMutate(({ id, code }: { id: number; code: string }) =>
    api.post<MyActivity>(`/api/me/activities/${id}/checkin`, { code }),
  );
