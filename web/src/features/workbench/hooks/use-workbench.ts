import { useQuery } from '@tanstack/react-query';
import { currentLanguage } from '../../../i18n';
import { workbenchApi } from '../api/workbench-api';

/** The caller's workbench; its labels come in the reader's language, so the language is part of the key. */
export function useWorkbench() {
  return useQuery({
    queryKey: ['workbench', currentLanguage()],
    queryFn: ({ signal }) => workbenchApi.get(signal),
    staleTime: 30_000,
  });
}
