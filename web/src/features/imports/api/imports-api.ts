import type { ImportEnvelope, ImportView, ItemList } from '../../../api-types';
import { api } from '../../../ui/api';

/** Plain links: the browser downloads them with the session cookie. */
export const IMPORT_TEMPLATE_URL = '/api/people/imports/template';
export const errorReportUrl = (id: number) => `/api/people/imports/${id}/errors.xlsx`;

export const importsApi = {
  list: (signal?: AbortSignal) => api.get<ItemList<ImportView>>('/api/people/imports', undefined, signal),
  get: (id: number, signal?: AbortSignal) => api.get<ImportEnvelope>(`/api/people/imports/${id}`, undefined, signal),
  upload: (file: File, nodeId: number | null) => {
    const form = new FormData();
    // fields before the file: the server reads the multipart parts in order
    if (nodeId !== null) form.append('nodeId', String(nodeId));
    form.append('file', file, file.name);
    return api.upload<ImportEnvelope>('/api/people/imports', form);
  },
  commit: (id: number) => api.post<ImportEnvelope>(`/api/people/imports/${id}/commit`),
  cancel: (id: number) => api.delete<ImportEnvelope>(`/api/people/imports/${id}`),
  rerun: (id: number) => api.post<ImportEnvelope>(`/api/people/imports/${id}/rerun`),
};
