import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AcceptMoveInBody,
  AddMemberBody,
  ContactBody,
  CreateHouseholdBody,
  CreateResidentBody,
  DeclineMoveInBody,
  LeaveBody,
  MoveInQuery,
  ResidentDetail,
  SetTagBody,
  UpdateHouseBody,
  UpdateResidentBody,
} from '../../../api-types';
import { isSubmittedForReview, peopleApi, type RevealField } from '../api/people-api';
import { COUNT_CAP, type ResidentFilters } from '../utils/resident-filters';

export const peopleKeys = {
  all: ['people'] as const,
  residents: (filters: ResidentFilters) => ['people', 'residents', filters] as const,
  residentPages: (filters: Omit<ResidentFilters, 'page'>) => ['people', 'resident-pages', filters] as const,
  resident: (id: number) => ['people', 'resident', id] as const,
  household: (id: number) => ['people', 'household', id] as const,
  house: (id: number) => ['people', 'house', id] as const,
  buildingMap: (id: number) => ['people', 'building-map', id] as const,
  tags: () => ['people', 'tags'] as const,
};

export function useResidents(filters: ResidentFilters, enabled = true) {
  return useQuery({
    queryKey: peopleKeys.residents(filters),
    queryFn: ({ signal }) => peopleApi.residents(filters, signal),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    enabled,
  });
}

/** Pages of residents one after another, for a phone's endless list. */
export function useResidentPages(filters: Omit<ResidentFilters, 'page'>) {
  return useInfiniteQuery({
    queryKey: peopleKeys.residentPages(filters),
    queryFn: ({ pageParam, signal }) => peopleApi.residents({ ...filters, page: pageParam }, signal),
    initialPageParam: 1,
    getNextPageParam: (last, pages) =>
      pages.length * filters.pageSize < Math.min(last.total, COUNT_CAP) ? pages.length + 1 : undefined,
    staleTime: 10_000,
  });
}

export function useResident(id: number | null) {
  return useQuery({
    queryKey: peopleKeys.resident(id ?? 0),
    queryFn: ({ signal }) => peopleApi.resident(id ?? 0, signal),
    enabled: id !== null,
    staleTime: 0,
  });
}

export function useHouse(id: number | null) {
  return useQuery({
    queryKey: peopleKeys.house(id ?? 0),
    queryFn: ({ signal }) => peopleApi.house(id ?? 0, signal),
    enabled: id !== null,
  });
}

export function useBuildingMap(buildingId: number | null) {
  return useQuery({
    queryKey: peopleKeys.buildingMap(buildingId ?? 0),
    queryFn: ({ signal }) => peopleApi.buildingMap(buildingId ?? 0, signal),
    enabled: buildingId !== null,
  });
}

/** The tag dictionary, with holders in the caller's scope; it changes rarely. */
export function useTags() {
  return useQuery({
    queryKey: peopleKeys.tags(),
    queryFn: ({ signal }) => peopleApi.tags(signal),
    staleTime: 5 * 60_000,
  });
}

/**
 * A change to one resident answers the resident as it is now: keep that, and let lists, households,
 * houses and maps (which may show them) refresh.
 */
function useResidentChange<Args>(change: (args: Args) => Promise<ResidentDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async (resident) => {
      queryClient.setQueryData(peopleKeys.resident(resident.id), resident);
      await queryClient.invalidateQueries({
        queryKey: peopleKeys.all,
        predicate: (query) => query.queryKey[1] !== 'resident' || query.queryKey[2] !== resident.id,
      });
    },
  });
}

/** Registers a person; one registered outside the caller's area comes back as submitted for review. */
export function useCreateResident() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateResidentBody) => peopleApi.createResident(body),
    onSuccess: async (result) => {
      if (isSubmittedForReview(result)) {
        await queryClient.invalidateQueries({ queryKey: [...peopleKeys.all, 'move-ins'] });
        return;
      }
      queryClient.setQueryData(peopleKeys.resident(result.id), result);
      await queryClient.invalidateQueries({
        queryKey: peopleKeys.all,
        predicate: (query) => query.queryKey[1] !== 'resident' || query.queryKey[2] !== result.id,
      });
    },
  });
}

export function useMoveIns(query: MoveInQuery) {
  return useQuery({
    queryKey: [...peopleKeys.all, 'move-ins', query],
    queryFn: ({ signal }) => peopleApi.moveIns(query, signal),
  });
}

/** Deciding a request may move a person: lists, houses and the requests refresh. */
export function useDecideMoveIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (d: { id: number } & ({ accept: AcceptMoveInBody } | { decline: DeclineMoveInBody })) =>
      'accept' in d ? peopleApi.acceptMoveIn(d.id, d.accept) : peopleApi.declineMoveIn(d.id, d.decline),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
}

export function useUpdateResident() {
  return useResidentChange(({ id, body }: { id: number; body: UpdateResidentBody }) =>
    peopleApi.updateResident(id, body),
  );
}

export function useRecordLeave() {
  return useResidentChange(({ id, body }: { id: number; body: LeaveBody }) => peopleApi.leave(id, body));
}

export function useAddResidentTag() {
  return useResidentChange(({ id, body }: { id: number; body: SetTagBody }) => peopleApi.addTag(id, body));
}

export function useRemoveResidentTag() {
  return useResidentChange(({ id, tagId }: { id: number; tagId: number }) => peopleApi.removeTag(id, tagId));
}

export function useAddContact() {
  return useResidentChange(({ id, body }: { id: number; body: ContactBody }) => peopleApi.addContact(id, body));
}

export function useRemoveContact() {
  return useResidentChange(({ id, contactId }: { id: number; contactId: number }) =>
    peopleApi.removeContact(id, contactId),
  );
}

/**
 * A full ID or phone number: never cached, the caller keeps it only while it is on screen. The resident is
 * read again, as their history now shows the reveal.
 */
export function useRevealResident() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, field, reason }: { id: number; field: RevealField; reason: string }) =>
      peopleApi.reveal(id, field, reason),
    onSuccess: (_, { id }) => queryClient.invalidateQueries({ queryKey: peopleKeys.resident(id) }),
  });
}

/** Household, house and dictionary changes can touch many residents: refresh everything of the people module. */
export function useInvalidatePeople() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: peopleKeys.all });
}

export function useCreateHousehold() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: (body: CreateHouseholdBody) => peopleApi.createHousehold(body),
    onSuccess: invalidate,
  });
}

export function useAddHouseholdMember() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: ({ householdId, body }: { householdId: number; body: AddMemberBody }) =>
      peopleApi.addMember(householdId, body),
    onSuccess: invalidate,
  });
}

export function useUpdateHouse() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: UpdateHouseBody }) => peopleApi.updateHouse(id, body),
    onSuccess: invalidate,
  });
}
