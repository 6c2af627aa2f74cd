import { useQuery } from '@tanstack/react-query';
import { data } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import type { components } from '../shared/api.js';
import type { EventType } from './event-type-schema.js';
import { queryKeys } from './query-keys.js';

/** Stops a misbehaving iterator from looping forever: 40 pages of 250 is more than any catalog. */
const MAX_PAGES = 40;

/** The whole event catalog (not archived), with schemas: pickers and the catalog page share it. */
export function useEventTypes() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.eventTypes(),
    staleTime: 60_000,
    queryFn: async (): Promise<EventType[]> => {
      const all: EventType[] = [];
      let iterator: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result: components['schemas']['ListResponse_EventTypeOut_'] = await data(
          api.GET('/api/v1/event-type', {
            params: { query: { limit: 250, iterator, include_archived: false, with_content: true } },
          }),
        );
        all.push(...result.data);
        if (result.done || !result.iterator) break;
        iterator = result.iterator;
      }
      return all;
    },
  });
}
