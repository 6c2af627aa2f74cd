import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, data } from '../shared/api.js';
import { useApi, useCan } from '../shared/api-context.js';
import { Button } from '../shared/components/Button.js';
import { ConfirmDialog } from '../shared/components/ConfirmDialog.js';
import { CopyButton } from '../shared/components/CopyButton.js';
import { ErrorState, InlineError } from '../shared/components/ErrorState.js';
import { TextField } from '../shared/components/Field.js';
import { Loading } from '../shared/components/Loading.js';
import { Card } from '../shared/components/PageHeader.js';
import { formatDateTime } from '../shared/format.js';
import { useAppId } from './app-id.js';
import { queryKeys } from './query-keys.js';
import { loadRotation, previousSecretValidUntil, saveRotation, type SecretRotation } from './secret-rotation.js';

const DEFAULT_GRACE_HOURS = 24;
const MAX_GRACE_HOURS = 168;

/** The endpoint's signing secret: revealed on request only, and rotated with a grace period. */
export function SigningSecretCard({ endpointId }: { endpointId: string }) {
  const appId = useAppId();
  const canView = useCan('ViewEndpointSecret');
  const canRotate = useCan('ManageEndpointSecret');
  const [revealed, setRevealed] = useState(false);
  const [rotation, setRotation] = useState<SecretRotation | null>(() => loadRotation(appId, endpointId));
  const until = rotation ? previousSecretValidUntil(rotation) : null;

  return (
    <Card
      title="Signing secret"
      actions={canRotate ? <RotateSecretButton endpointId={endpointId} onRotated={setRotation} /> : null}
    >
      <p className="muted">
        Every webhook carries a signature made with this secret (Standard Webhooks). Verify it on your side to know the
        request came from us and was not changed.
      </p>
      {canView ? (
        revealed ? (
          <RevealedSecret endpointId={endpointId} onHide={() => setRevealed(false)} />
        ) : (
          <Button onClick={() => setRevealed(true)}>Reveal secret</Button>
        )
      ) : (
        <p className="muted small">Your access does not include viewing the secret.</p>
      )}
      <div role="status">
        {until && until.getTime() > Date.now() ? (
          <p className="notice">
            The secret was rotated. The previous secret keeps signing until {formatDateTime(until)}, so receivers can
            switch over.
          </p>
        ) : null}
      </div>
    </Card>
  );
}

function RevealedSecret({ endpointId, onHide }: { endpointId: string; onHide: () => void }) {
  const api = useApi();
  const appId = useAppId();
  const secret = useQuery({
    queryKey: queryKeys.endpointPart(appId, endpointId, 'secret'),
    staleTime: 0,
    gcTime: 0,
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret', {
          params: { path: { app_id: appId, endpoint_id: endpointId } },
        }),
      ),
  });
  if (secret.isPending) return <Loading label="Loading the secret…" />;
  if (secret.isError)
    return <ErrorState error={secret.error} onRetry={() => secret.refetch()} title="The secret could not be loaded" />;
  const publicKey = secret.data.key.startsWith('whpk_');
  return (
    <div className="secret">
      {publicKey ? <p className="small muted">This endpoint signs with ed25519; verify with this public key.</p> : null}
      <div className="secret-row">
        <code className="secret-value">{secret.data.key}</code>
        <CopyButton text={secret.data.key} label="Copy secret" />
        <Button size="sm" variant="ghost" onClick={onHide}>
          Hide
        </Button>
      </div>
    </div>
  );
}

function RotateSecretButton({
  endpointId,
  onRotated,
}: {
  endpointId: string;
  onRotated: (rotation: SecretRotation) => void;
}) {
  const api = useApi();
  const appId = useAppId();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [hours, setHours] = useState(String(DEFAULT_GRACE_HOURS));
  const [hoursError, setHoursError] = useState<string | null>(null);
  const rotate = useMutation({
    mutationFn: async (graceSeconds: number) => {
      const rotatedAt = Date.now();
      await data(
        api.POST('/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate', {
          params: { path: { app_id: appId, endpoint_id: endpointId } },
          body: { gracePeriodSeconds: graceSeconds },
        }),
      );
      return { rotatedAt, graceSeconds };
    },
    onSuccess: async (rotation) => {
      saveRotation(appId, endpointId, rotation);
      onRotated(rotation);
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: queryKeys.endpointPart(appId, endpointId, 'secret') });
    },
  });
  const start = () => {
    setHours(String(DEFAULT_GRACE_HOURS));
    setHoursError(null);
    rotate.reset();
    setOpen(true);
  };
  const confirm = () => {
    const text = hours.trim();
    if (!/^\d+(\.\d+)?$/.test(text) || Number(text) > MAX_GRACE_HOURS) {
      return setHoursError(`Enter a number of hours from 0 to ${MAX_GRACE_HOURS}.`);
    }
    setHoursError(null);
    rotate.mutate(Math.round(Number(text) * 3600));
  };
  const serverFieldError =
    rotate.error instanceof ApiError
      ? rotate.error.fieldErrors.find((e) => e.field === 'gracePeriodSeconds')?.message
      : undefined;
  return (
    <>
      <Button size="sm" onClick={start}>
        Rotate secret
      </Button>
      <ConfirmDialog
        open={open}
        title="Rotate the signing secret?"
        confirmLabel="Rotate"
        busy={rotate.isPending}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        <p>
          A new secret signs every webhook from now on. During the grace period each webhook is signed with both, so
          your receiver keeps working while you update it.
        </p>
        <TextField
          label="Grace period (hours)"
          inputMode="decimal"
          value={hours}
          error={hoursError ?? serverFieldError}
          hint={`0 ends the previous secret at once; at most ${MAX_GRACE_HOURS} hours (7 days).`}
          onChange={(e) => setHours(e.target.value)}
        />
        {serverFieldError ? null : <InlineError error={rotate.error} />}
      </ConfirmDialog>
    </>
  );
}
