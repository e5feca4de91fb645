import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  FileView,
  MyNoticeDetail,
  MyNoticePage,
  NoticeInput,
  NoticeListQuery,
  NoticeOptions,
  NoticePage,
  NoticeReceiptPage,
  NoticeReceiptQuery,
  NoticeView,
} from '../../api-types';
import { api, apiRequest, fetchFile } from '../../ui/api';
import { fileNameFromDisposition, saveBlob } from '../reports/utils/download';

/** The notices API (信息发布): every path in one place. */
export const NOTICE_API = {
  notices: '/api/notices',
  options: '/api/notices/options',
  notice: (id: number) => `/api/notices/${id}`,
  action: (id: number, action: NoticeAction) => `/api/notices/${id}/${action}`,
  receipts: (id: number) => `/api/notices/${id}/receipts`,
  export: (id: number) => `/api/notices/${id}/receipts.xlsx`,
  mine: '/api/me/notices',
  myNotice: (id: number) => `/api/me/notices/${id}`,
  confirm: (id: number) => `/api/me/notices/${id}/confirm`,
} as const;

export type NoticeAction = 'submit' | 'approve' | 'reject' | 'withdraw';

const KEY = ['notices'] as const;

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: KEY });
}

export function useNotices(query: Partial<NoticeListQuery>) {
  return useQuery({
    queryKey: [...KEY, 'list', query],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.get<NoticePage>(NOTICE_API.notices, { ...query }, signal),
  });
}

export function useNotice(id: number | null) {
  return useQuery({
    queryKey: [...KEY, 'one', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api.get<NoticeView>(NOTICE_API.notice(id!), undefined, signal),
  });
}

export function useNoticeOptions() {
  return useQuery({
    queryKey: [...KEY, 'options'],
    staleTime: 60_000,
    queryFn: ({ signal }) => api.get<NoticeOptions>(NOTICE_API.options, undefined, signal),
  });
}

export function useSaveNotice() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: NoticeInput }) =>
      id === null
        ? api.post<NoticeView>(NOTICE_API.notices, body)
        : apiRequest<NoticeView>(NOTICE_API.notice(id), { method: 'PUT', body }),
    onSuccess: refresh,
  });
}

export function useNoticeAction() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: number; action: NoticeAction; body?: Record<string, unknown> }) =>
      api.post<NoticeView>(NOTICE_API.action(id, action), body ?? {}),
    onSuccess: refresh,
  });
}

export function useReceipts(id: number | null, query: Partial<NoticeReceiptQuery>) {
  return useQuery({
    queryKey: [...KEY, 'receipts', id, query],
    enabled: id !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.get<NoticeReceiptPage>(NOTICE_API.receipts(id!), { ...query }, signal),
  });
}

export function useExportReceipts() {
  return useMutation({
    mutationFn: async ({ id, filter }: { id: number; filter: NonNullable<NoticeReceiptQuery['filter']> }) => {
      const res = await fetchFile(NOTICE_API.export(id), { filter });
      saveBlob(await res.blob(), fileNameFromDisposition(res.headers.get('content-disposition'), 'receipts.xlsx'));
    },
  });
}

/** Uploads images or documents (POST /api/files) for the editor; attached when the notice is saved. */
export async function uploadNoticeFiles(files: readonly File[]): Promise<FileView[]> {
  const form = new FormData();
  for (const f of files) form.append('file', f);
  return (await api.upload<{ items: FileView[] }>('/api/files', form)).items;
}

// ---- the resident's phone ----

export function useMyNotices(enabled = true) {
  return useQuery({
    queryKey: [...KEY, 'mine'],
    enabled,
    queryFn: ({ signal }) => api.get<MyNoticePage>(NOTICE_API.mine, { pageSize: 100 }, signal),
  });
}

export function useMyNotice(id: number) {
  const client = useQueryClient();
  return useQuery({
    queryKey: [...KEY, 'mine', 'one', id],
    queryFn: async ({ signal }) => {
      const n = await api.get<MyNoticeDetail>(NOTICE_API.myNotice(id), undefined, signal);
      // opening is reading: the list's unread marks change
      void client.invalidateQueries({ queryKey: [...KEY, 'mine'], exact: true });
      return n;
    },
  });
}

export function useConfirmNotice() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: number) => api.post<MyNoticeDetail>(NOTICE_API.confirm(id)),
    onSuccess: refresh,
  });
}
