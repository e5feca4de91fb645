import type {
  AcceptMoveInBody,
  AddMemberBody,
  BuildingMap,
  ContactBody,
  CreateHouseholdBody,
  CreateResidentBody,
  DeclineMoveInBody,
  HouseDetail,
  Household,
  ItemList,
  LeaveBody,
  MoveInQuery,
  MoveInRequest,
  MoveInSubmitted,
  Page,
  ResidentDetail,
  ResidentSummary,
  SetTagBody,
  Tag,
  TagBody,
  UpdateHouseBody,
  UpdateResidentBody,
  UpdateTagBody,
} from '../../../api-types';
import { api } from '../../../ui/api';
import { type ResidentFilters, toResidentsQuery } from '../utils/resident-filters';

export type RevealField = 'idNumber' | 'phone';

export const peopleApi = {
  residents: (filters: ResidentFilters, signal?: AbortSignal) =>
    api.get<Page<ResidentSummary>>('/api/people/residents', toResidentsQuery(filters), signal),
  resident: (id: number, signal?: AbortSignal) =>
    api.get<ResidentDetail>(`/api/people/residents/${id}`, undefined, signal),
  /** A person registered outside the caller's area comes back as submitted for review (202), not created. */
  createResident: (body: CreateResidentBody) =>
    api.post<ResidentDetail | MoveInSubmitted>('/api/people/residents', body),
  updateResident: (id: number, body: UpdateResidentBody) =>
    api.patch<ResidentDetail>(`/api/people/residents/${id}`, body),
  leave: (id: number, body: LeaveBody) => api.post<ResidentDetail>(`/api/people/residents/${id}/leave`, body),
  addTag: (id: number, body: SetTagBody) => api.post<ResidentDetail>(`/api/people/residents/${id}/tags`, body),
  removeTag: (id: number, tagId: number) => api.delete<ResidentDetail>(`/api/people/residents/${id}/tags/${tagId}`),
  addContact: (id: number, body: ContactBody) => api.post<ResidentDetail>(`/api/people/residents/${id}/contacts`, body),
  removeContact: (id: number, contactId: number) =>
    api.delete<ResidentDetail>(`/api/people/residents/${id}/contacts/${contactId}`),
  reveal: (id: number, field: RevealField, reason: string) =>
    api.post<{ value: string }>(`/api/people/residents/${id}/reveal`, { field, reason }),

  household: (id: number, signal?: AbortSignal) =>
    api.get<Household>(`/api/people/households/${id}`, undefined, signal),
  createHousehold: (body: CreateHouseholdBody) => api.post<Household>('/api/people/households', body),
  addMember: (householdId: number, body: AddMemberBody) =>
    api.post<Household>(`/api/people/households/${householdId}/members`, body),

  house: (id: number, signal?: AbortSignal) => api.get<HouseDetail>(`/api/people/houses/${id}`, undefined, signal),
  updateHouse: (id: number, body: UpdateHouseBody) => api.patch<HouseDetail>(`/api/people/houses/${id}`, body),
  buildingMap: (buildingId: number, signal?: AbortSignal) =>
    api.get<BuildingMap>(`/api/people/buildings/${buildingId}/map`, undefined, signal),

  tags: (signal?: AbortSignal) => api.get<ItemList<Tag>>('/api/people/tags', undefined, signal),
  createTag: (body: TagBody) => api.post<Tag>('/api/people/tags', body),
  updateTag: (id: number, body: UpdateTagBody) => api.patch<Tag>(`/api/people/tags/${id}`, body),
  deleteTag: (id: number) => api.delete(`/api/people/tags/${id}`),
  refreshTags: () => api.post<{ added: number; removed: number }>('/api/people/tags/refresh'),

  moveIns: (query: MoveInQuery, signal?: AbortSignal) =>
    api.get<Page<MoveInRequest>>('/api/people/move-in-requests', query, signal),
  acceptMoveIn: (id: number, body: AcceptMoveInBody) =>
    api.post<MoveInRequest>(`/api/people/move-in-requests/${id}/accept`, body),
  declineMoveIn: (id: number, body: DeclineMoveInBody) =>
    api.post<MoveInRequest>(`/api/people/move-in-requests/${id}/decline`, body),
};

/** Whether registering answered "submitted for review" instead of the registered person. */
export function isSubmittedForReview(result: ResidentDetail | MoveInSubmitted): result is MoveInSubmitted {
  return 'status' in result && result.status === 'review';
}
