import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { data, type components } from '../shared/api.js';
import { useApi, useCan } from '../shared/api-context.js';
import { StatusBadge } from '../shared/components/Badge.js';
import { Button } from '../shared/components/Button.js';
import { InlineError } from '../shared/components/ErrorState.js';
import { EmptyState } from '../shared/components/Loading.js';
import { Card } from '../shared/components/PageHeader.js';
import { QueryView } from '../shared/components/QueryView.js';
import { Time } from '../shared/components/Time.js';
import { useAppId } from './app-id.js';
import { refreshInterval } from './delivery-status.js';
import { queryKeys } from './query-keys.js';

type Destination = components['schemas']['MessageEndpointOut'];

/** Every endpoint this message was sent to, with where its delivery stands. */
export function DestinationsCard({ messageId }: { messageId: string }) {
  const api = useApi();
  const appId = useAppId();
  const destinations = useQuery({
    queryKey: queryKeys.messagePart(appId, messageId, 'destinations'),
    refetchInterval: (query) => refreshInterval(query.state.data?.data ?? []),
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/msg/{msg_id}/endpoint', {
          params: { path: { app_id: appId, msg_id: messageId }, query: { limit: 250 } },
        }),
      ),
  });

  const empty = (
    <EmptyState title="Not sent to any endpoint">
      <p>No endpoint subscribed to this event type or channel when the message arrived.</p>
    </EmptyState>
  );

  return (
    <Card title="Destinations">
      <QueryView
        query={destinations}
        loadingLabel="Loading destinations…"
        isEmpty={(list) => list.data.length === 0}
        empty={empty}
      >
        {(list) => (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Destinations</caption>
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col">Next attempt</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((destination) => (
                  <DestinationRow key={destination.id} messageId={messageId} destination={destination} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </Card>
  );
}

function DestinationRow({ messageId, destination }: { messageId: string; destination: Destination }) {
  const api = useApi();
  const appId = useAppId();
  const canResend = useCan('CreateAttempts');
  const queryClient = useQueryClient();
  const resend = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend', {
          params: { path: { app_id: appId, msg_id: messageId, endpoint_id: destination.id } },
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.message(appId, messageId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.endpoint(appId, destination.id) }),
      ]),
  });
  const name = destination.url || destination.id;
  return (
    <tr>
      <td>
        <Link href={`/endpoints/${destination.id}`} className="cell-main break">
          {name}
        </Link>
        {destination.description ? <div className="cell-sub">{destination.description}</div> : null}
      </td>
      <td>
        <StatusBadge status={destination.status} />
      </td>
      <td className="nowrap">
        {destination.nextAttempt ? <Time value={destination.nextAttempt} /> : <span className="muted">—</span>}
      </td>
      <td className="cell-actions">
        {canResend ? (
          <Button size="sm" busy={resend.isPending} onClick={() => resend.mutate()}>
            Resend
          </Button>
        ) : null}
        <span role="status" className="small muted">
          {resend.isSuccess ? 'Queued' : ''}
        </span>
        <InlineError error={resend.error} />
      </td>
    </tr>
  );
}
