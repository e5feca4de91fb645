import type {
  AcceptBody,
  CaseCategory,
  CaseDetail,
  CaseList,
  CaseListQuery,
  CaseStageInfo,
  CaseSummary,
  CreateDepartmentBody,
  Department,
  DispatchBody,
  FileView,
  HandleBody,
  ItemList,
  MergeBody,
  NoteBody,
  ParkBody,
  RateBody,
  ReasonBody,
  ReportCaseBody,
  UpdateDepartmentBody,
  VerifyBody,
  WhistleBody,
  WhistleReportBody,
} from '../../../api-types';
import { api } from '../../../ui/api';
import { compressImage } from '../../../ui/compress-image';

/** The body each case action posts (`POST /api/cases/:id/<route>`); `note` is posted to `notes`. */
export type ActionBodies = {
  accept: AcceptBody;
  dispatch: DispatchBody;
  whistle: WhistleBody;
  note: NoteBody;
  handle: HandleBody;
  escalate: ReasonBody;
  return: ReasonBody;
  verify: VerifyBody;
  park: ParkBody;
  unpark: Record<string, never>;
  cancel: ReasonBody;
  merge: MergeBody;
  reopen: ReasonBody;
};
export type ConsoleAction = keyof ActionBodies;

export type WhistleAction = 'accept' | 'report' | 'return';
export type WhistleBodies = { accept: AcceptBody; report: WhistleReportBody; return: ReasonBody };

export type SimilarQuery = {
  categoryId: number;
  houseId?: number;
  nodeId?: number;
  lat?: number;
  lng?: number;
  exceptId?: number;
};

const actionRoute = (action: ConsoleAction) => (action === 'note' ? 'notes' : action);

export const casesApi = {
  categories: (signal?: AbortSignal) => api.get<ItemList<CaseCategory>>('/api/cases/categories', undefined, signal),
  stages: (signal?: AbortSignal) => api.get<ItemList<CaseStageInfo>>('/api/cases/stages', undefined, signal),
  departments: (nodeId: number | undefined, signal?: AbortSignal) =>
    api.get<ItemList<Department>>('/api/cases/departments', { nodeId }, signal),
  createDepartment: (body: CreateDepartmentBody) => api.post<Department>('/api/cases/departments', body),
  updateDepartment: (id: number, body: UpdateDepartmentBody) =>
    api.patch<Department>(`/api/cases/departments/${id}`, body),

  list: (query: CaseListQuery, signal?: AbortSignal) =>
    api.get<CaseList>('/api/cases', query as Record<string, string | number | boolean | undefined>, signal),
  get: (id: number, signal?: AbortSignal) => api.get<CaseDetail>(`/api/cases/${id}`, undefined, signal),
  similar: (query: SimilarQuery, signal?: AbortSignal) =>
    api.get<ItemList<CaseSummary>>('/api/cases/similar', query, signal),
  report: (body: ReportCaseBody) => api.post<CaseDetail>('/api/cases', body),
  act: <A extends ConsoleAction>(id: number, action: A, body: ActionBodies[A]) =>
    api.post<CaseDetail>(`/api/cases/${id}/${actionRoute(action)}`, body),
  rate: (id: number, body: RateBody) => api.post<CaseDetail>(`/api/cases/${id}/rate`, body),
  actOnWhistle: <A extends WhistleAction>(id: number, whistleId: number, action: A, body: WhistleBodies[A]) =>
    api.post<CaseDetail>(`/api/cases/${id}/whistles/${whistleId}/${action}`, body),

  /** Photos are shrunk in the browser first, then uploaded (POST /api/files); the case action attaches them. */
  upload: async (files: readonly File[]) => {
    const form = new FormData();
    for (const file of await Promise.all(files.map((f) => compressImage(f)))) form.append('file', file, file.name);
    return api.upload<ItemList<FileView>>('/api/files', form);
  },
};
