import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, data } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { Button } from '../shared/components/Button.js';
import { ConfirmDialog } from '../shared/components/ConfirmDialog.js';
import { InlineError } from '../shared/components/ErrorState.js';
import { TextField } from '../shared/components/Field.js';
import { fromLocalInput, toLocalInput } from '../shared/local-datetime.js';
import { useAppId } from './app-id.js';
import { queryKeys } from './query-keys.js';

const DAY_MS = 86_400_000;

/**
 * Svix's recover: every message whose delivery to this endpoint failed since a time is sent
 * again. Useful after fixing an endpoint that was down.
 */
export function RecoverButton({ endpointId, onRecovered }: { endpointId: string; onRecovered: (since: Date) => void }) {
  const api = useApi();
  const appId = useAppId();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [since, setSince] = useState('');
  const [sinceError, setSinceError] = useState<string | null>(null);
  const recover = useMutation({
    mutationFn: (from: Date) =>
      data(
        api.POST('/api/v1/app/{app_id}/endpoint/{endpoint_id}/recover', {
          params: { path: { app_id: appId, endpoint_id: endpointId } },
          body: { since: from.toISOString() },
        }),
      ),
    onSuccess: async (_task, from) => {
      setOpen(false);
      onRecovered(from);
      await queryClient.invalidateQueries({ queryKey: queryKeys.endpoint(appId, endpointId) });
    },
  });
  const start = () => {
    setSince(toLocalInput(new Date(Date.now() - DAY_MS)));
    setSinceError(null);
    recover.reset();
    setOpen(true);
  };
  const confirm = () => {
    const from = fromLocalInput(since);
    if (!from) return setSinceError('Enter the date and time to recover from.');
    if (from.getTime() > Date.now()) return setSinceError('Choose a time in the past.');
    setSinceError(null);
    recover.mutate(from);
  };
  const serverFieldError =
    recover.error instanceof ApiError ? recover.error.fieldErrors.find((e) => e.field === 'since')?.message : undefined;
  return (
    <>
      <Button onClick={start}>Recover failed messages</Button>
      <ConfirmDialog
        open={open}
        title="Recover failed messages"
        confirmLabel="Recover"
        busy={recover.isPending}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        <p>Every message whose delivery to this endpoint failed since this time is sent again.</p>
        <TextField
          label="Since"
          type="datetime-local"
          value={since}
          max={toLocalInput(new Date())}
          error={sinceError ?? serverFieldError}
          hint="In your local time."
          onChange={(e) => setSince(e.target.value)}
        />
        {serverFieldError ? null : <InlineError error={recover.error} />}
      </ConfirmDialog>
    </>
  );
}
