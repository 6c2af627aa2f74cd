import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { data, type components } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { Button } from '../shared/components/Button.js';
import { ConfirmDialog } from '../shared/components/ConfirmDialog.js';
import { InlineError } from '../shared/components/ErrorState.js';
import { useAppId } from './app-id.js';
import { endpointTitle } from './endpoint-title.js';
import { queryKeys } from './query-keys.js';

export function DeleteEndpointButton({ endpoint }: { endpoint: components['schemas']['EndpointOut'] }) {
  const api = useApi();
  const appId = useAppId();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () =>
      data(
        api.DELETE('/api/v1/app/{app_id}/endpoint/{endpoint_id}', {
          params: { path: { app_id: appId, endpoint_id: endpoint.id } },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      queryClient.removeQueries({ queryKey: queryKeys.endpoint(appId, endpoint.id) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.endpoints(appId) });
      navigate('/');
    },
  });
  const close = () => {
    setOpen(false);
    remove.reset();
  };
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete
      </Button>
      <ConfirmDialog
        open={open}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={close}
      >
        <p>
          <span className="mono break">{endpointTitle(endpoint)}</span> stops receiving webhooks at once, and its
          delivery history is no longer shown. This cannot be undone.
        </p>
        <InlineError error={remove.error} />
      </ConfirmDialog>
    </>
  );
}
