import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { data } from '../../shared/api.js';
import { Badge } from '../../shared/components/Badge.js';
import { Button } from '../../shared/components/Button.js';
import { ConfirmDialog } from '../../shared/components/ConfirmDialog.js';
import { InlineError } from '../../shared/components/ErrorState.js';
import { EmptyState } from '../../shared/components/Loading.js';
import { PagedQueryView } from '../../shared/components/PagedQueryView.js';
import { PageHeader } from '../../shared/components/PageHeader.js';
import { usePages } from '../../shared/use-pages.js';
import { useApi } from '../../shared/api-context.js';
import type { OperationalWebhookEndpointOut } from '../operator-types.js';
import { dashboardKeys } from '../query-keys.js';
import { OperationalEndpointDialog } from './OperationalEndpointDialog.js';
import { OperationalSecret } from './OperationalSecret.js';

const PAGE_SIZE = 50;

/** Where Hookrelay reports on itself: endpoints that receive endpoint and delivery events (Svix's operational webhooks). */
export function OperationalWebhooksPage() {
  const api = useApi();
  const pages = usePages();
  // undefined: no dialog; null: adding; an endpoint: editing it.
  const [editing, setEditing] = useState<OperationalWebhookEndpointOut | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<OperationalWebhookEndpointOut | null>(null);
  const endpoints = useQuery({
    queryKey: dashboardKeys.operationalEndpoints(pages.iterator),
    placeholderData: keepPreviousData,
    queryFn: () =>
      data(
        api.GET('/api/v1/operational-webhook/endpoint', {
          params: { query: { limit: PAGE_SIZE, iterator: pages.iterator } },
        }),
      ),
  });
  const addButton = (
    <Button variant="primary" onClick={() => setEditing(null)}>
      Add endpoint
    </Button>
  );
  const empty = (
    <EmptyState title="No operational webhooks yet">
      <p>Add an endpoint to hear when customers' endpoints fail, recover or are disabled.</p>
    </EmptyState>
  );

  return (
    <>
      <PageHeader
        title="Operational webhooks"
        actions={addButton}
        description="Where Hookrelay tells your own systems about its endpoints: created, changed, deleted, disabled, and deliveries failing, exhausted or recovered. Signed like every webhook."
      />
      <PagedQueryView query={endpoints} pages={pages} loadingLabel="Loading operational webhooks…" empty={empty}>
        {(items) => (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col" className="col-wide">
                    Endpoint
                  </th>
                  <th scope="col">Event types</th>
                  <th scope="col">Status</th>
                  <th scope="col">Signing secret</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((endpoint) => (
                  <tr key={endpoint.id}>
                    <td>
                      <div className="cell-main break">{endpoint.url}</div>
                      {endpoint.description ? <div className="cell-sub">{endpoint.description}</div> : null}
                      {endpoint.throttleRate ? (
                        <div className="cell-sub">At most {endpoint.throttleRate} per second</div>
                      ) : null}
                    </td>
                    <td>
                      {endpoint.eventTypes && endpoint.eventTypes.length > 0 ? (
                        <div className="chips">
                          {endpoint.eventTypes.map((t) => (
                            <Badge key={t} tone="info">
                              {t}
                            </Badge>
                          ))}
                        </div>
                      ) : (
                        <span className="muted">Every event</span>
                      )}
                    </td>
                    <td>
                      {endpoint.disabled ? (
                        <Badge tone="danger">Disabled</Badge>
                      ) : (
                        <Badge tone="success">Enabled</Badge>
                      )}
                    </td>
                    <td>
                      <OperationalSecret endpointId={endpoint.id} />
                    </td>
                    <td className="cell-actions">
                      <div className="row row-end">
                        <Button size="sm" onClick={() => setEditing(endpoint)}>
                          Edit
                        </Button>
                        <Button size="sm" variant="danger" onClick={() => setDeleting(endpoint)}>
                          Delete
                        </Button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedQueryView>
      {editing !== undefined ? (
        <OperationalEndpointDialog
          key={editing?.id ?? 'new'}
          endpoint={editing}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
      <DeleteDialog endpoint={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function DeleteDialog({ endpoint, onClose }: { endpoint: OperationalWebhookEndpointOut | null; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) =>
      data(api.DELETE('/api/v1/operational-webhook/endpoint/{endpoint_id}', { params: { path: { endpoint_id: id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.operationalAll() });
      onClose();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={endpoint !== null}
      title="Delete operational webhook"
      confirmLabel="Delete"
      danger
      busy={remove.isPending}
      onConfirm={() => endpoint && remove.mutate(endpoint.id)}
      onClose={close}
    >
      <p>
        Events stop going to <span className="mono break">{endpoint?.url}</span>. This cannot be undone.
      </p>
      <InlineError error={remove.error} />
    </ConfirmDialog>
  );
}
