import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import { SKILL_CODES } from '../volunteers/volunteer-logic';

/** Time bank (时间银行): the API's shapes (server/src/modules/timebank/timebank.schemas.ts) and the queries. */

export type ServiceStatus = 'pending' | 'confirmed' | 'rejected';
export type RequestStatus = 'open' | 'matched' | 'done' | 'cancelled';

export type ServiceRecord = {
  id: number;
  nodeId: number;
  volunteerResidentId: number;
  volunteerName: string;
  recipientResidentId: number;
  recipientName: string;
  requestId: number | null;
  serviceType: string;
  servedAt: string;
  minutes: number;
  note: string | null;
  status: ServiceStatus;
  payer: 'community' | 'requester';
  recordedBy: number;
  confirmedAt: string | null;
  rejectReason: string | null;
  transferId: number | null;
  createdAt: string;
};

export type TimebankRequest = {
  id: number;
  nodeId: number;
  requesterResidentId: number;
  requesterName: string;
  beneficiaryResidentId: number;
  beneficiaryName: string;
  serviceType: string;
  description: string | null;
  place: string | null;
  wantedAt: string;
  minutes: number;
  payFrom: 'requester' | 'community';
  status: RequestStatus;
  volunteerResidentId: number | null;
  volunteerName: string | null;
  matchedAt: string | null;
  createdAt: string;
};

export type CandidateReason = { code: string; skill?: string; place?: string; count?: number };
export type Candidate = {
  residentId: number;
  name: string;
  skills: string[];
  openMatches: number;
  recentNoShows: number;
  rank: number;
  skillMatch: boolean;
  place: string;
  reasons: CandidateReason[];
};

export type MyTimebank = {
  residentId: number;
  name: string;
  volunteer: boolean;
  balanceMinutes: number;
  reservedMinutes: number;
  availableMinutes: number;
  given: ServiceRecord[];
  received: ServiceRecord[];
  awaitingMe: ServiceRecord[];
  requests: TimebankRequest[];
  matchedToMe: TimebankRequest[];
  openNearby: TimebankRequest[];
};

export type TimebankStats = {
  communities: {
    nodeId: number;
    name: string;
    depositedMinutes: number;
    withdrawnMinutes: number;
    services: number;
    openRequests: number;
  }[];
  topVolunteers: { residentId: number; name: string; minutes: number; services: number }[];
};

export type ServiceInput = {
  recipientResidentId: number;
  serviceType: string;
  servedAt: string;
  minutes: number;
  note?: string;
  requestId?: number;
};
export type RequestInput = {
  beneficiaryResidentId: number;
  serviceType: string;
  description?: string;
  place?: string;
  wantedAt: string;
  minutes: number;
};

/** The service types: the volunteers' skill codes (server/src/modules/volunteers/skills.ts), which matching uses. */
export const SERVICE_TYPES: readonly string[] = SKILL_CODES;

/** Minutes as hours for people: 90 → "1.5". */
export const hoursOf = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);

export const timebankKeys = {
  all: ['timebank'] as const,
  me: () => ['timebank', 'me'] as const,
  services: (q: object) => ['timebank', 'services', q] as const,
  requests: (q: object) => ['timebank', 'requests', q] as const,
  candidates: (id: number) => ['timebank', 'candidates', id] as const,
  stats: () => ['timebank', 'stats'] as const,
};

export function useMyTimebank(enabled = true) {
  return useQuery({
    queryKey: timebankKeys.me(),
    queryFn: ({ signal }) => api.get<MyTimebank>('/api/me/timebank', undefined, signal),
    enabled,
  });
}

export function useTimebankServices(q: { status?: ServiceStatus; nodeId?: number }) {
  return useQuery({
    queryKey: timebankKeys.services(q),
    queryFn: ({ signal }) => api.get<{ items: ServiceRecord[] }>('/api/timebank/services', { ...q }, signal),
  });
}

export function useTimebankRequests(q: { status?: RequestStatus; nodeId?: number }) {
  return useQuery({
    queryKey: timebankKeys.requests(q),
    queryFn: ({ signal }) => api.get<{ items: TimebankRequest[] }>('/api/timebank/requests', { ...q }, signal),
  });
}

export function useCandidates(id: number | null) {
  return useQuery({
    queryKey: timebankKeys.candidates(id ?? 0),
    queryFn: ({ signal }) =>
      api.get<{ items: Candidate[] }>(`/api/timebank/requests/${id}/candidates`, undefined, signal),
    enabled: id !== null,
  });
}

export function useTimebankStats() {
  return useQuery({
    queryKey: timebankKeys.stats(),
    queryFn: ({ signal }) => api.get<TimebankStats>('/api/timebank/stats', undefined, signal),
  });
}

export function usePeopleSearch(q: { name: string; room?: string } | null) {
  return useQuery({
    queryKey: ['timebank', 'people', q],
    queryFn: ({ signal }) =>
      api.get<{ items: { residentId: number; name: string; placeLabel: string }[] }>(
        '/api/me/timebank/people',
        q?.room ? { name: q.name, room: q.room } : { name: q?.name ?? '' },
        signal,
      ),
    enabled: q !== null && q.name.length > 0,
  });
}

/** Every time-bank change: the path, the body; refreshes all time-bank queries. */
export function useTimebankAction<T = unknown>() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) => api.post<T>(path, body),
    onSuccess: () => client.invalidateQueries({ queryKey: timebankKeys.all }),
  });
}
