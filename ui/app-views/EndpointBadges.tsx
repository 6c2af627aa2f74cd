import type { components } from '../shared/api.js';
import { Badge } from '../shared/components/Badge.js';

/** What kind of endpoint this is and whether it receives anything. */
export function EndpointBadges({
  endpoint,
}: {
  endpoint: Pick<components['schemas']['EndpointOut'], 'kind' | 'disabled'>;
}) {
  return (
    <span className="chips">
      {endpoint.kind === 'poll' ? <Badge tone="info">Poll</Badge> : null}
      {endpoint.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Enabled</Badge>}
    </span>
  );
}
