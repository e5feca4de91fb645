import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DelibDecisionView,
  DelibMeetingCreate,
  DelibMeetingDetail,
  DelibMeetingPage,
  DelibModerationQueue,
  DelibMyVerification,
  DelibTopicDetail,
  DelibTopicPage,
  DelibVerificationItem,
  DelibVerificationPage,
  DelibVoteCreate,
} from '../../api-types';
import { api } from '../../ui/api';

/** The deliberation API (议事协商): every path in one place. */
export const DELIB_API = {
  myVerification: '/api/me/verification',
  myTopics: '/api/me/deliberation/topics',
  myTopic: (id: number) => `/api/me/deliberation/topics/${id}`,
  myComments: (id: number) => `/api/me/deliberation/topics/${id}/comments`,
  myReport: (commentId: number) => `/api/me/deliberation/comments/${commentId}/reports`,
  myProposals: (id: number) => `/api/me/deliberation/topics/${id}/proposals`,
  mySupport: (proposalId: number) => `/api/me/deliberation/proposals/${proposalId}/supports`,
  myBallot: (voteId: number) => `/api/me/deliberation/votes/${voteId}/ballots`,
  verifications: '/api/deliberation/verifications',
  verificationDecision: (id: number) => `/api/deliberation/verifications/${id}/decision`,
  topics: '/api/deliberation/topics',
  topic: (id: number) => `/api/deliberation/topics/${id}`,
  review: (id: number) => `/api/deliberation/topics/${id}/review`,
  close: (id: number) => `/api/deliberation/topics/${id}/close`,
  votes: (id: number) => `/api/deliberation/topics/${id}/votes`,
  closeVote: (voteId: number) => `/api/deliberation/votes/${voteId}/close`,
  moderation: '/api/deliberation/moderation',
  moderate: (commentId: number) => `/api/deliberation/comments/${commentId}/moderation`,
  meetings: '/api/deliberation/meetings',
  meeting: (id: number) => `/api/deliberation/meetings/${id}`,
  decisions: (meetingId: number) => `/api/deliberation/meetings/${meetingId}/decisions`,
  decision: (id: number) => `/api/deliberation/decisions/${id}`,
  decisionCase: (id: number) => `/api/deliberation/decisions/${id}/case`,
} as const;

const KEY = ['deliberation'] as const;

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: KEY });
}

/** A mutation that refreshes every deliberation query when it succeeds. */
function useAct<A, R>(fn: (a: A) => Promise<R>) {
  const refresh = useRefresh();
  return useMutation({ mutationFn: fn, onSuccess: () => refresh() });
}

// ---- residents ----
export const useMyVerification = () =>
  useQuery({
    queryKey: [...KEY, 'me', 'verification'],
    queryFn: ({ signal }) => api.get<DelibMyVerification>(DELIB_API.myVerification, undefined, signal),
  });
export const useRequestVerification = () =>
  useAct((b: { idNumber: string; phone: string }) => api.post<DelibMyVerification>(DELIB_API.myVerification, b));
export const useMyTopics = () =>
  useQuery({
    queryKey: [...KEY, 'me', 'topics'],
    queryFn: ({ signal }) => api.get<DelibTopicPage>(DELIB_API.myTopics, { pageSize: 100 }, signal),
  });
export const useMyTopic = (id: number | null) =>
  useQuery({
    queryKey: [...KEY, 'me', 'topic', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api.get<DelibTopicDetail>(DELIB_API.myTopic(id as number), undefined, signal),
  });
export const useRaiseTopic = () =>
  useAct((b: { nodeId: number; title: string; body?: string }) => api.post<DelibTopicDetail>(DELIB_API.myTopics, b));
export const useComment = (topicId: number) =>
  useAct((b: { body: string; parentId?: number }) => api.post<DelibTopicDetail>(DELIB_API.myComments(topicId), b));
export const useReport = () =>
  useAct((commentId: number) => api.post<{ reported: boolean; hidden: boolean }>(DELIB_API.myReport(commentId), {}));
export const usePropose = (topicId: number) =>
  useAct((b: { title: string; body?: string }) => api.post<DelibTopicDetail>(DELIB_API.myProposals(topicId), b));
export const useSupport = () =>
  useAct((proposalId: number) => api.post<DelibTopicDetail>(DELIB_API.mySupport(proposalId)));
export const useBallot = () =>
  useAct(({ voteId, optionId }: { voteId: number; optionId: number }) =>
    api.post<{ voted: boolean }>(DELIB_API.myBallot(voteId), { optionId }),
  );

// ---- console ----
export const useVerifications = (status?: 'pending' | 'approved' | 'rejected') =>
  useQuery({
    queryKey: [...KEY, 'verifications', status ?? null],
    queryFn: ({ signal }) => api.get<DelibVerificationPage>(DELIB_API.verifications, { status, pageSize: 100 }, signal),
  });
export const useDecideVerification = () =>
  useAct(({ id, decision, note }: { id: number; decision: 'approve' | 'reject'; note?: string }) =>
    api.post<DelibVerificationItem>(DELIB_API.verificationDecision(id), note ? { decision, note } : { decision }),
  );
export const useTopics = (status?: string) =>
  useQuery({
    queryKey: [...KEY, 'topics', status ?? null],
    queryFn: ({ signal }) => api.get<DelibTopicPage>(DELIB_API.topics, { status, pageSize: 100 }, signal),
  });
export const useTopic = (id: number | null) =>
  useQuery({
    queryKey: [...KEY, 'topic', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api.get<DelibTopicDetail>(DELIB_API.topic(id as number), undefined, signal),
  });
export const useCreateTopic = () =>
  useAct((b: { nodeId: number; title: string; body?: string }) => api.post<DelibTopicDetail>(DELIB_API.topics, b));
export const useReviewTopic = () =>
  useAct(({ id, decision, note }: { id: number; decision: 'approve' | 'reject'; note?: string }) =>
    api.post<DelibTopicDetail>(DELIB_API.review(id), note ? { decision, note } : { decision }),
  );
export const useCloseTopic = () =>
  useAct(({ id, outcome }: { id: number; outcome?: string }) =>
    api.post<DelibTopicDetail>(DELIB_API.close(id), outcome ? { outcome } : {}),
  );
export const useCreateVote = () =>
  useAct(({ topicId, body }: { topicId: number; body: DelibVoteCreate }) =>
    api.post<DelibTopicDetail>(DELIB_API.votes(topicId), body),
  );
export const useCloseVote = () => useAct((voteId: number) => api.post<DelibTopicDetail>(DELIB_API.closeVote(voteId)));
export const useModerationQueue = (enabled = true) =>
  useQuery({
    queryKey: [...KEY, 'moderation'],
    enabled,
    queryFn: ({ signal }) => api.get<DelibModerationQueue>(DELIB_API.moderation, undefined, signal),
  });
export const useModerate = () =>
  useAct(({ id, action }: { id: number; action: 'hide' | 'restore' | 'remove' }) =>
    api.post<{ id: number; status: string }>(DELIB_API.moderate(id), { action }),
  );
export const useMeetings = () =>
  useQuery({
    queryKey: [...KEY, 'meetings'],
    queryFn: ({ signal }) => api.get<DelibMeetingPage>(DELIB_API.meetings, { pageSize: 100 }, signal),
  });
export const useMeeting = (id: number | null) =>
  useQuery({
    queryKey: [...KEY, 'meeting', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api.get<DelibMeetingDetail>(DELIB_API.meeting(id as number), undefined, signal),
  });
export const useCreateMeeting = () =>
  useAct((b: DelibMeetingCreate) => api.post<DelibMeetingDetail>(DELIB_API.meetings, b));
export const useUpdateMeeting = () =>
  useAct(({ id, minutes }: { id: number; minutes: string }) =>
    api.patch<DelibMeetingDetail>(DELIB_API.meeting(id), { minutes }),
  );
export const useAddDecision = () =>
  useAct(({ meetingId, title, owner }: { meetingId: number; title: string; owner?: string }) =>
    api.post<DelibMeetingDetail>(DELIB_API.decisions(meetingId), owner ? { title, owner } : { title }),
  );
export const useUpdateDecision = () =>
  useAct(({ id, status, outcome }: { id: number; status?: 'in_progress' | 'done'; outcome?: string }) =>
    api.patch<DelibDecisionView>(DELIB_API.decision(id), {
      ...(status ? { status } : {}),
      ...(outcome ? { outcome } : {}),
    }),
  );
export const useDecisionCase = () =>
  useAct(({ id, categoryId, nodeId }: { id: number; categoryId: number; nodeId?: number }) =>
    api.post<DelibDecisionView>(DELIB_API.decisionCase(id), nodeId ? { categoryId, nodeId } : { categoryId }),
  );
