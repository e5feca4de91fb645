import { useQuery } from '@tanstack/react-query';
import { meApi } from '../api/me-api';

/** The signed-in person's own household and house (their account's resident record). */
export function useMyHousehold() {
  return useQuery({ queryKey: ['me', 'household'], queryFn: ({ signal }) => meApi.household(signal) });
}
