import type {
  CreateTemplateBody,
  FieldCatalogue,
  ItemList,
  PreviewResult,
  ReportDefinition,
  ReportTemplate,
  UpdateTemplateBody,
} from '../../../api-types';
import { api, apiRequest, fetchFile } from '../../../ui/api';

/** Narrows a report to one node of the caller's area (nothing: the whole area). */
export type ReportScope = { nodeId?: number | null };

/** An export: masked, or unmasked with the reason the user stated (recorded in the audit trail). */
export type ExportOptions = (ReportScope & { unmasked: false }) | (ReportScope & { unmasked: true; reason: string });

export const PREVIEW_ROWS = 50;

export const reportsApi = {
  fields: (signal?: AbortSignal) => api.get<FieldCatalogue>('/api/reports/fields', undefined, signal),
  templates: (signal?: AbortSignal) => api.get<ItemList<ReportTemplate>>('/api/reports/templates', undefined, signal),
  template: (id: number, signal?: AbortSignal) =>
    api.get<ReportTemplate>(`/api/reports/templates/${id}`, undefined, signal),
  create: (body: CreateTemplateBody) => api.post<ReportTemplate>('/api/reports/templates', body),
  update: (id: number, body: UpdateTemplateBody) => api.patch<ReportTemplate>(`/api/reports/templates/${id}`, body),
  remove: (id: number) => api.delete(`/api/reports/templates/${id}`),
  preview: (id: number, scope: ReportScope, signal?: AbortSignal) =>
    api.get<PreviewResult>(
      `/api/reports/templates/${id}/preview`,
      { nodeId: scope.nodeId, limit: PREVIEW_ROWS },
      signal,
    ),
  previewDefinition: (definition: ReportDefinition, scope: ReportScope, signal?: AbortSignal) =>
    apiRequest<PreviewResult>('/api/reports/preview-definition', {
      method: 'POST',
      body: { definition, limit: PREVIEW_ROWS, ...(scope.nodeId ? { nodeId: scope.nodeId } : {}) },
      ...(signal ? { signal } : {}),
    }),
  /** The export as a response to stream (X-Total-Rows, Content-Disposition, an xlsx body). */
  export: (id: number, options: ExportOptions, signal?: AbortSignal) =>
    fetchFile(
      `/api/reports/templates/${id}/export`,
      options.unmasked
        ? { nodeId: options.nodeId, unmasked: true, reason: options.reason }
        : { nodeId: options.nodeId, unmasked: false },
      signal,
    ),
};
