import { useQuery } from '@tanstack/react-query';
import { data } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { CopyButton } from '../shared/components/CopyButton.js';
import { EmptyState } from '../shared/components/Loading.js';
import { Card } from '../shared/components/PageHeader.js';
import { QueryView } from '../shared/components/QueryView.js';
import { Time } from '../shared/components/Time.js';
import { useAppId } from './app-id.js';
import { extended } from './extension-api.js';
import { queryKeys } from './query-keys.js';

/** A poll endpoint: where to read it, and how far each named consumer has read. */
export function PollConsumersCard({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const appId = useAppId();
  const pollUrl = `${window.location.origin}/api/v1/app/${encodeURIComponent(appId)}/poller/${encodeURIComponent(endpointId)}`;
  const consumers = useQuery({
    queryKey: queryKeys.endpointPart(appId, endpointId, 'consumers'),
    queryFn: () =>
      data(
        extended(api).GET('/api/v1/app/{app_id}/poller/{sink_id}/consumer', {
          params: { path: { app_id: appId, sink_id: endpointId } },
        }),
      ),
  });
  const empty = (
    <EmptyState title="No consumers yet">
      <p>
        A consumer appears here once it reads with <code>…/consumer/&lt;name&gt;</code> and commits its position.
      </p>
    </EmptyState>
  );

  return (
    <Card title="Polling">
      <p className="muted">
        This endpoint is not pushed to: your server reads its messages from this URL with an API token for this
        application.
      </p>
      <div className="secret-row">
        <code className="secret-value">{pollUrl}</code>
        <CopyButton text={pollUrl} label="Copy poll URL" />
      </div>
      <h3 className="section-title">Consumers</h3>
      <QueryView
        query={consumers}
        loadingLabel="Loading consumers…"
        errorTitle="Consumers could not be loaded"
        isEmpty={(list) => list.data.length === 0}
        empty={empty}
      >
        {(list) => (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Consumers</caption>
              <thead>
                <tr>
                  <th scope="col">Consumer</th>
                  <th scope="col">Position</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((consumer) => (
                  <tr key={consumer.consumerId}>
                    <td className="mono">{consumer.consumerId}</td>
                    <td className="mono break">{consumer.position ?? '—'}</td>
                    <td>
                      <Time value={consumer.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </Card>
  );
}
