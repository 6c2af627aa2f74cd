import type { components } from '../shared/api.js';
import { CopyButton } from '../shared/components/CopyButton.js';
import { Card } from '../shared/components/PageHeader.js';
import { Time } from '../shared/components/Time.js';
import { EndpointBadges } from './EndpointBadges.js';
import { EventTypeChips } from './EventTypeChips.js';

const FORMATS: Record<components['schemas']['EndpointOut']['format'], string> = {
  standard: 'Standard Webhooks',
  'cloudevents-binary': 'CloudEvents (binary)',
  'cloudevents-structured': 'CloudEvents (structured)',
};

/** What the endpoint is set to, as a list of properties. */
export function EndpointDetailsCard({ endpoint }: { endpoint: components['schemas']['EndpointOut'] }) {
  return (
    <Card title="Details">
      <dl className="props">
        <dt>Status</dt>
        <dd>
          <EndpointBadges endpoint={endpoint} />
        </dd>
        {endpoint.kind === 'url' ? (
          <>
            <dt>URL</dt>
            <dd className="mono">{endpoint.url}</dd>
          </>
        ) : null}
        <dt>Event types</dt>
        <dd>
          <EventTypeChips filterTypes={endpoint.filterTypes} />
        </dd>
        <dt>Channels</dt>
        <dd>
          {endpoint.channels?.length ? endpoint.channels.join(', ') : <span className="muted">All channels</span>}
        </dd>
        {endpoint.kind === 'url' ? (
          <>
            <dt>Rate limit</dt>
            <dd>
              {endpoint.rateLimit ? (
                `${endpoint.rateLimit} messages per second`
              ) : (
                <span className="muted">No limit</span>
              )}
            </dd>
            <dt>Format</dt>
            <dd>{FORMATS[endpoint.format] ?? endpoint.format}</dd>
          </>
        ) : null}
        <dt>Endpoint ID</dt>
        <dd className="row">
          <span className="mono">{endpoint.id}</span>
          <CopyButton text={endpoint.id} label="Copy endpoint ID" />
        </dd>
        {endpoint.uid ? (
          <>
            <dt>UID</dt>
            <dd className="mono">{endpoint.uid}</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>
          <Time value={endpoint.createdAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time value={endpoint.updatedAt} />
        </dd>
      </dl>
    </Card>
  );
}
