import { useQuery } from '@tanstack/react-query';
import { data } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { useAppId } from './app-id.js';
import { queryKeys } from './query-keys.js';

export function useEndpoint(endpointId: string) {
  const api = useApi();
  const appId = useAppId();
  return useQuery({
    queryKey: queryKeys.endpointPart(appId, endpointId, 'self'),
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/endpoint/{endpoint_id}', {
          params: { path: { app_id: appId, endpoint_id: endpointId } },
        }),
      ),
  });
}

/** The endpoint's custom headers; only push (`url`) endpoints have any. */
export function useEndpointHeaders(endpointId: string, enabled: boolean) {
  const api = useApi();
  const appId = useAppId();
  return useQuery({
    queryKey: queryKeys.endpointPart(appId, endpointId, 'headers'),
    enabled,
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers', {
          params: { path: { app_id: appId, endpoint_id: endpointId } },
        }),
      ),
  });
}
