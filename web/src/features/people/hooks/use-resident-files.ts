import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FileView } from '../../../api-types';
import { api } from '../../../ui/api';
import { compressImage } from '../../../ui/compress-image';
import { peopleKeys } from './use-people';

/** Files one upload request may carry (the server's limit). */
export const FILES_PER_UPLOAD = 9;

const filesKey = (id: number) => ['people', 'resident-files', id] as const;
const url = (id: number) => `/api/people/residents/${id}/attachments`;

export function useResidentFiles(id: number, enabled = true) {
  return useQuery({
    queryKey: filesKey(id),
    queryFn: ({ signal }) => api.get<{ items: FileView[] }>(url(id), undefined, signal).then((r) => r.items),
    enabled,
  });
}

/** Photos are shrunk on the device first; then uploaded (POST /api/files) and attached to the resident. */
export function useAddResidentFiles(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (files: readonly File[]) => {
      const form = new FormData();
      for (const file of await Promise.all(files.map((f) => compressImage(f)))) form.append('file', file, file.name);
      const uploaded = await api.upload<{ items: FileView[] }>('/api/files', form);
      return api.post<{ items: FileView[] }>(url(id), { fileIds: uploaded.items.map((f) => f.id) });
    },
    onSuccess: (data) => {
      queryClient.setQueryData(filesKey(id), data.items);
      void queryClient.invalidateQueries({ queryKey: peopleKeys.resident(id) });
    },
  });
}

export function useRemoveResidentFile(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fileId: string) => api.delete<{ items: FileView[] }>(`${url(id)}/${fileId}`),
    onSuccess: (data) => {
      queryClient.setQueryData(filesKey(id), data.items);
      void queryClient.invalidateQueries({ queryKey: peopleKeys.resident(id) });
    },
  });
}
