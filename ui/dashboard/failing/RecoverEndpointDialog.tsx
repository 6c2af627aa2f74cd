import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { InlineError } from '../../shared/components/ErrorState.js';
import { TextField } from '../../shared/components/Field.js';
import { fromLocalInput, toLocalInput } from '../../shared/local-datetime.js';
import { FormDialog } from '../FormDialog.js';
import type { FailingEndpoint } from '../operator-types.js';
import { dashboardKeys } from '../query-keys.js';

const DAY_MS = 86_400_000;

/** The default start of a recovery: when the endpoint began failing, or a day ago. */
function defaultSince(endpoint: FailingEndpoint): string {
  const failingSince = new Date(endpoint.failingSince);
  const since = Number.isNaN(failingSince.getTime()) ? new Date(Date.now() - DAY_MS) : failingSince;
  return toLocalInput(since);
}

/**
 * Svix's recover for one endpoint of the failing list: every message whose delivery to it
 * failed since a time is sent again. Mounted open, once per endpoint to recover (key it by endpoint).
 */
export function RecoverEndpointDialog({
  endpoint,
  onClose,
  onRecovered,
}: {
  endpoint: FailingEndpoint;
  onClose: () => void;
  onRecovered: (endpoint: FailingEndpoint, since: Date) => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [since, setSince] = useState(() => defaultSince(endpoint));
  const [sinceError, setSinceError] = useState<string | null>(null);
  const recover = useMutation({
    mutationFn: ({ target, from }: { target: FailingEndpoint; from: Date }) =>
      data(
        api.POST('/api/v1/app/{app_id}/endpoint/{endpoint_id}/recover', {
          params: { path: { app_id: target.appId, endpoint_id: target.endpointId } },
          body: { since: from.toISOString() },
        }),
      ),
    onSuccess: async (_task, { target, from }) => {
      onRecovered(target, from);
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.failingAll() });
      await queryClient.invalidateQueries({ queryKey: ['app', target.appId] });
    },
  });

  const submit = () => {
    const from = fromLocalInput(since);
    if (!from) return setSinceError('Enter the date and time to recover from.');
    if (from.getTime() > Date.now()) return setSinceError('Choose a time in the past.');
    setSinceError(null);
    recover.mutate({ target: endpoint, from });
  };
  const serverSinceError =
    recover.error instanceof ApiError ? recover.error.fieldErrors.find((e) => e.field === 'since')?.message : undefined;
  return (
    <FormDialog
      open
      title="Recover failed messages"
      submitLabel="Recover"
      busy={recover.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <p>
        Every message whose delivery to <span className="mono break">{endpoint.url}</span> failed since this time is
        sent again.
      </p>
      <TextField
        label="Since"
        type="datetime-local"
        value={since}
        max={toLocalInput(new Date())}
        hint="In your local time."
        error={sinceError ?? serverSinceError}
        onChange={(e) => setSince(e.target.value)}
      />
      {serverSinceError ? null : <InlineError error={recover.error} />}
    </FormDialog>
  );
}
