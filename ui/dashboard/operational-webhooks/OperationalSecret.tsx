import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { data } from '../../shared/api.js';
import { Button } from '../../shared/components/Button.js';
import { CopyButton } from '../../shared/components/CopyButton.js';
import { InlineError } from '../../shared/components/ErrorState.js';
import { useApi } from '../../shared/api-context.js';
import { dashboardKeys } from '../query-keys.js';

/** The endpoint's signing secret, fetched only when asked for ("Reveal secret"). */
export function OperationalSecret({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const [shown, setShown] = useState(false);
  const secret = useQuery({
    queryKey: dashboardKeys.operationalSecret(endpointId),
    enabled: shown,
    staleTime: Infinity,
    gcTime: 0,
    queryFn: () =>
      data(
        api.GET('/api/v1/operational-webhook/endpoint/{endpoint_id}/secret', {
          params: { path: { endpoint_id: endpointId } },
        }),
      ),
  });
  if (!shown)
    return (
      <Button size="sm" onClick={() => setShown(true)}>
        Reveal secret
      </Button>
    );
  if (secret.isPending)
    return (
      <span className="muted small" role="status">
        Loading the secret…
      </span>
    );
  if (secret.isError) {
    return (
      <div>
        <InlineError error={secret.error} />
        <Button size="sm" onClick={() => secret.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  return (
    <div className="secret-row">
      <code className="secret-value">{secret.data.key}</code>
      <CopyButton text={secret.data.key} label="Copy secret" />
      <Button size="sm" variant="ghost" onClick={() => setShown(false)}>
        Hide
      </Button>
    </div>
  );
}
