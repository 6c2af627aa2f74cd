import { useMutation, useQueryClient } from '@tanstack/react-query';
import { data, type components } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { Button } from '../shared/components/Button.js';
import { InlineError } from '../shared/components/ErrorState.js';
import { useAppId } from './app-id.js';
import { queryKeys } from './query-keys.js';

/** Disables an endpoint (nothing is delivered; messages wait) or enables it again. */
export function ToggleEndpointButton({ endpoint }: { endpoint: components['schemas']['EndpointOut'] }) {
  const api = useApi();
  const appId = useAppId();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () =>
      data(
        api.PATCH('/api/v1/app/{app_id}/endpoint/{endpoint_id}', {
          params: { path: { app_id: appId, endpoint_id: endpoint.id } },
          body: { disabled: !endpoint.disabled },
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.endpoint(appId, endpoint.id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.endpoints(appId) }),
      ]),
  });
  return (
    <>
      <Button busy={toggle.isPending} onClick={() => toggle.mutate()}>
        {endpoint.disabled ? 'Enable' : 'Disable'}
      </Button>
      {toggle.error ? <InlineError error={toggle.error} /> : null}
    </>
  );
}
