import type { UploadFile } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { CaseWhistle, ReportCaseBody } from '../../../api-types';
import type { ActionBodies, ConsoleAction, WhistleAction, WhistleBodies } from '../api/cases-api';

/** What the case dialogs' forms hold; the functions below turn it into the request bodies (pure, tested). */
export type ActionValues = {
  note?: string;
  reason?: string;
  photos?: UploadFile[];
  isPublic?: boolean;
  target?: 'grid' | 'department';
  nodeId?: number | null;
  departmentId?: number;
  departmentIds?: number[];
  dueAt?: Dayjs | null;
  passed?: boolean;
  until?: Dayjs;
  intoId?: number;
  rating?: number;
  comment?: string;
};

export type WhistleValues = { note?: string; reason?: string; photos?: UploadFile[] };

export type ReportValues = {
  categoryId?: number;
  title?: string;
  description?: string;
  source: 'hotline' | 'worker' | 'patrol';
  nodeId?: number | null;
  address?: string;
  contactName?: string;
  contactPhone?: string;
  photos?: UploadFile[];
};

/** The ids of the uploads that finished (what a case action attaches). */
export function uploadedIds(files: readonly UploadFile[] | undefined): string[] {
  return (files ?? []).filter((f) => f.status === 'done').map((f) => f.uid);
}

const trimmed = (s: string | undefined) => (s ?? '').trim();
const optionalNote = (s: string | undefined) => (trimmed(s) ? { note: trimmed(s) } : {});
const optionalFiles = (files: UploadFile[] | undefined) => {
  const ids = uploadedIds(files);
  return ids.length > 0 ? { fileIds: ids } : {};
};

/** The request body of an action from the dialog's values (validated by the form first). */
export function bodyOf(action: ConsoleAction, v: ActionValues): ActionBodies[ConsoleAction] {
  switch (action) {
    case 'accept':
      return optionalNote(v.note);
    case 'dispatch':
      return {
        ...(v.target === 'department' ? { departmentId: v.departmentId } : { nodeId: v.nodeId ?? undefined }),
        ...optionalNote(v.note),
      };
    case 'whistle':
      return {
        departmentIds: v.departmentIds ?? [],
        note: trimmed(v.note),
        ...(v.dueAt ? { dueAt: v.dueAt.toISOString() } : {}),
      };
    case 'note':
      return { note: trimmed(v.note), public: v.isPublic ?? true, ...optionalFiles(v.photos) };
    case 'handle':
      return { note: trimmed(v.note), ...optionalFiles(v.photos) };
    case 'verify':
      return { passed: v.passed ?? true, ...optionalNote(v.note), ...optionalFiles(v.photos) };
    case 'park':
      return { reason: trimmed(v.reason), until: (v.until ?? dayjs()).format('YYYY-MM-DD') };
    case 'merge':
      return { intoId: v.intoId ?? 0, ...optionalNote(v.note) };
    case 'unpark':
      return {};
    case 'escalate':
    case 'return':
    case 'cancel':
    case 'reopen':
      return { reason: trimmed(v.reason) };
  }
}

export function whistleBodyOf(action: WhistleAction, v: WhistleValues): WhistleBodies[WhistleAction] {
  const note = (v.note ?? '').trim();
  if (action === 'accept') return note ? { note } : {};
  if (action === 'return') return { reason: (v.reason ?? '').trim() };
  const ids = uploadedIds(v.photos);
  return { note, ...(ids.length > 0 ? { fileIds: ids } : {}) };
}

/** The body of POST /api/cases from the form (empty optional fields left out). */
export function reportBodyOf(v: ReportValues): ReportCaseBody {
  const text = (s: string | undefined) => (s ?? '').trim();
  const address = text(v.address);
  const body: ReportCaseBody = { categoryId: v.categoryId ?? 0, source: v.source };
  if (text(v.title)) body.title = text(v.title);
  if (text(v.description)) body.description = text(v.description);
  if (v.nodeId) body.place = { nodeId: v.nodeId, ...(address ? { address } : {}) };
  if (text(v.contactName)) body.contactName = text(v.contactName);
  if (text(v.contactPhone)) body.contactPhone = text(v.contactPhone);
  const ids = uploadedIds(v.photos);
  if (ids.length > 0) body.fileIds = ids;
  return body;
}

/** What a department member may do on their whistle now (the server checks again). */
export function whistleActionsFor(w: Pick<CaseWhistle, 'status'>): WhistleAction[] {
  if (w.status === 'pending') return ['accept', 'return'];
  if (w.status === 'accepted') return ['report', 'return'];
  return [];
}
