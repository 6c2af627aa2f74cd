import { useMutation, useQueryClient } from '@tanstack/react-query';
import { data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { Button } from '../../shared/components/Button.js';
import { InlineError } from '../../shared/components/ErrorState.js';
import { dashboardKeys } from '../query-keys.js';

/** Turns a disabled endpoint back on (deliveries to it resume). */
export function EnableEndpointButton({ appId, endpointId }: { appId: string; endpointId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const enable = useMutation({
    mutationFn: () =>
      data(
        api.PATCH('/api/v1/app/{app_id}/endpoint/{endpoint_id}', {
          params: { path: { app_id: appId, endpoint_id: endpointId } },
          body: { disabled: false },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.failingAll() });
      await queryClient.invalidateQueries({ queryKey: ['app', appId] });
    },
  });
  return (
    <>
      <Button size="sm" onClick={() => enable.mutate()} busy={enable.isPending}>
        Enable
      </Button>
      <InlineError error={enable.error} />
    </>
  );
}
