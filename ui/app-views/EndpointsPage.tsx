import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { data } from '../shared/api.js';
import { useApi, useCan } from '../shared/api-context.js';
import { EmptyState } from '../shared/components/Loading.js';
import { PagedQueryView } from '../shared/components/PagedQueryView.js';
import { PageHeader } from '../shared/components/PageHeader.js';
import { Time } from '../shared/components/Time.js';
import { usePages } from '../shared/use-pages.js';
import { useAppId } from './app-id.js';
import { EndpointBadges } from './EndpointBadges.js';
import { endpointTitle } from './endpoint-title.js';
import { EventTypeChips } from './EventTypeChips.js';
import { queryKeys } from './query-keys.js';

const PAGE_SIZE = 50;

export function EndpointsPage() {
  const api = useApi();
  const appId = useAppId();
  const canManage = useCan('ManageEndpoint');
  const pages = usePages();
  const endpoints = useQuery({
    queryKey: [...queryKeys.endpoints(appId), pages.iterator],
    placeholderData: keepPreviousData,
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/endpoint', {
          params: {
            path: { app_id: appId },
            query: { limit: PAGE_SIZE, iterator: pages.iterator, order: 'descending' },
          },
        }),
      ),
  });
  const addButton = canManage ? (
    <Link href="/endpoints/new" className="btn btn-primary">
      Add endpoint
    </Link>
  ) : null;
  const empty = (
    <EmptyState title="No endpoints yet">
      <p>
        {canManage
          ? 'Add one to start receiving webhooks.'
          : 'Once an endpoint is added, webhooks are delivered to it.'}
      </p>
      {addButton}
    </EmptyState>
  );

  return (
    <>
      <PageHeader
        title="Endpoints"
        description="Where your webhooks are delivered. Each endpoint receives the event types it subscribes to."
        actions={endpoints.data && endpoints.data.data.length > 0 ? addButton : null}
      />
      <PagedQueryView query={endpoints} pages={pages} loadingLabel="Loading endpoints…" empty={empty}>
        {(items) => (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Event types</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {items.map((endpoint) => (
                  <tr key={endpoint.id}>
                    <td>
                      <Link href={`/endpoints/${endpoint.id}`} className="cell-main break">
                        {endpointTitle(endpoint)}
                      </Link>
                      {endpoint.description ? <div className="cell-sub">{endpoint.description}</div> : null}
                    </td>
                    <td>
                      <EventTypeChips filterTypes={endpoint.filterTypes} />
                    </td>
                    <td>
                      <EndpointBadges endpoint={endpoint} />
                    </td>
                    <td className="nowrap">
                      <Time value={endpoint.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedQueryView>
    </>
  );
}
