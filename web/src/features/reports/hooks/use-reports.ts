import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { CreateTemplateBody, ReportDefinition, ReportTemplate, UpdateTemplateBody } from '../../../api-types';
import { type ExportOptions, reportsApi } from '../api/reports-api';
import { fileNameFromDisposition, readBody, saveBlob } from '../utils/download';

export const reportKeys = {
  all: ['reports'] as const,
  fields: () => ['reports', 'fields'] as const,
  templates: () => ['reports', 'templates'] as const,
  template: (id: number) => ['reports', 'template', id] as const,
  preview: (id: number, nodeId: number | null) => ['reports', 'preview', id, nodeId] as const,
  previewDefinition: (definition: ReportDefinition | null, nodeId: number | null) =>
    ['reports', 'preview-definition', definition, nodeId] as const,
};

export function useReportFields() {
  return useQuery({
    queryKey: reportKeys.fields(),
    queryFn: ({ signal }) => reportsApi.fields(signal),
    staleTime: 60 * 60_000,
  });
}

export function useReportTemplates() {
  return useQuery({ queryKey: reportKeys.templates(), queryFn: ({ signal }) => reportsApi.templates(signal) });
}

export function useReportTemplate(id: number | null) {
  return useQuery({
    queryKey: reportKeys.template(id ?? 0),
    queryFn: ({ signal }) => reportsApi.template(id ?? 0, signal),
    enabled: id !== null,
  });
}

export function useReportPreview(id: number | null, nodeId: number | null) {
  return useQuery({
    queryKey: reportKeys.preview(id ?? 0, nodeId),
    queryFn: ({ signal }) => reportsApi.preview(id ?? 0, { nodeId }, signal),
    enabled: id !== null,
    staleTime: 0,
  });
}

/** The editor's live preview of a definition not saved yet (null: nothing to preview). */
export function useDefinitionPreview(definition: ReportDefinition | null, nodeId: number | null) {
  return useQuery({
    queryKey: reportKeys.previewDefinition(definition, nodeId),
    queryFn: ({ signal }) => reportsApi.previewDefinition(definition as ReportDefinition, { nodeId }, signal),
    enabled: definition !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
}

function useInvalidateTemplates() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: reportKeys.all });
}

export function useCreateTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({ mutationFn: (body: CreateTemplateBody) => reportsApi.create(body), onSuccess: invalidate });
}

export function useUpdateTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: UpdateTemplateBody }) => reportsApi.update(id, body),
    onSuccess: invalidate,
  });
}

export function useDeleteTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({ mutationFn: (id: number) => reportsApi.remove(id), onSuccess: invalidate });
}

export type ExportState =
  | { phase: 'idle' }
  | { phase: 'running'; template: ReportTemplate; totalRows: number | null; bytes: number }
  | { phase: 'done'; template: ReportTemplate; totalRows: number | null; bytes: number; fileName: string };

/**
 * Streams an export to the browser's downloads: the response is read chunk by chunk (the bytes received
 * are the progress; X-Total-Rows says how many rows are coming), then saved under the server's file name.
 */
export function useReportExport() {
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const abort = useRef<AbortController | null>(null);

  const start = async (template: ReportTemplate, scope: ExportOptions) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ phase: 'running', template, totalRows: null, bytes: 0 });
    try {
      const response = await reportsApi.export(template.id, scope, controller.signal);
      const header = response.headers.get('x-total-rows');
      const totalRows = header !== null && /^\d+$/.test(header) ? Number(header) : null;
      setState({ phase: 'running', template, totalRows, bytes: 0 });
      const blob = await readBody(response, (bytes) =>
        setState((s) => (s.phase === 'running' && s.template.id === template.id ? { ...s, bytes } : s)),
      );
      const fileName = fileNameFromDisposition(response.headers.get('content-disposition'), `${template.name}.xlsx`);
      saveBlob(blob, fileName);
      setState({ phase: 'done', template, totalRows, bytes: blob.size, fileName });
    } catch (error) {
      setState({ phase: 'idle' });
      if (error instanceof DOMException && error.name === 'AbortError') return;
      throw error;
    } finally {
      if (abort.current === controller) abort.current = null;
    }
  };

  const cancel = () => {
    abort.current?.abort();
    setState({ phase: 'idle' });
  };

  return { state, start, cancel, reset: () => setState({ phase: 'idle' }) };
}
