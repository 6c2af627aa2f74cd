import { useQuery } from '@tanstack/react-query';
import { data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import type { AppHealth } from '../operator-types.js';
import { dashboardKeys } from '../query-keys.js';

/** Health over the last 24 h of the applications on screen, by app ID. */
export function useAppHealth(appIds: readonly string[]) {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.appHealth(appIds),
    enabled: appIds.length > 0,
    staleTime: 30_000,
    queryFn: async (): Promise<Map<string, AppHealth>> => {
      const health = await data(api.GET('/api/v1/stats/app-health', { params: { query: { appIds: [...appIds] } } }));
      return new Map(health.data.map((row) => [row.appId, row]));
    },
  });
}
