import { useQuery } from '@tanstack/react-query';
import { data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { dashboardKeys } from '../query-keys.js';

export const OVERVIEW_MINUTES = 60;
const REFRESH_MS = 5_000;

/** The overview figures, refreshed every 5 s while the tab is shown. */
export function useOverview() {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.overview(OVERVIEW_MINUTES),
    queryFn: () => data(api.GET('/api/v1/stats/overview', { params: { query: { minutes: OVERVIEW_MINUTES } } })),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
  });
}
