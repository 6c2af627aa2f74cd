import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { data } from '../../shared/api.js';
import { Badge, HttpStatusBadge } from '../../shared/components/Badge.js';
import { Button } from '../../shared/components/Button.js';
import { EmptyState } from '../../shared/components/Loading.js';
import { PagedQueryView } from '../../shared/components/PagedQueryView.js';
import { PageHeader } from '../../shared/components/PageHeader.js';
import { Time } from '../../shared/components/Time.js';
import { formatDateTime } from '../../shared/format.js';
import { usePages } from '../../shared/use-pages.js';
import { useApi } from '../../shared/api-context.js';
import type { FailingEndpoint } from '../operator-types.js';
import { dashboardKeys } from '../query-keys.js';
import { EnableEndpointButton } from './EnableEndpointButton.js';
import { firstLine } from './last-error.js';
import { RecoverEndpointDialog } from './RecoverEndpointDialog.js';

const PAGE_SIZE = 50;

/** Endpoints of every app whose deliveries keep failing, with the last error and the way back. */
export function FailingEndpointsPage() {
  const api = useApi();
  const pages = usePages();
  const [recovering, setRecovering] = useState<FailingEndpoint | null>(null);
  const [recovered, setRecovered] = useState<string | null>(null);
  const failing = useQuery({
    queryKey: dashboardKeys.failing(pages.iterator),
    placeholderData: keepPreviousData,
    queryFn: () =>
      data(
        api.GET('/api/v1/stats/failing-endpoints', {
          params: { query: { limit: PAGE_SIZE, iterator: pages.iterator } },
        }),
      ),
  });

  return (
    <>
      <PageHeader
        title="Failing endpoints"
        description="Endpoints of every application whose deliveries are failing now. Fix the receiver, then recover the messages that failed or enable a disabled endpoint."
      />
      <div aria-live="polite">{recovered ? <p className="notice page-notice">{recovered}</p> : null}</div>
      <PagedQueryView
        query={failing}
        pages={pages}
        loadingLabel="Loading failing endpoints…"
        empty={
          <EmptyState title="No failing endpoints">
            <p>Every endpoint's latest deliveries succeeded.</p>
          </EmptyState>
        }
      >
        {(items) => (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col" className="col-wide">
                    Endpoint
                  </th>
                  <th scope="col">Application</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last error</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((row) => (
                  <FailingRow
                    key={`${row.appId}/${row.endpointId}`}
                    row={row}
                    onRecover={() => {
                      setRecovered(null);
                      setRecovering(row);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedQueryView>
      {recovering ? (
        <RecoverEndpointDialog
          key={`${recovering.appId}/${recovering.endpointId}`}
          endpoint={recovering}
          onClose={() => setRecovering(null)}
          onRecovered={(endpoint, since) => {
            setRecovering(null);
            setRecovered(`Recovering the messages to ${endpoint.url} that failed since ${formatDateTime(since)}.`);
          }}
        />
      ) : null}
    </>
  );
}

function FailingRow({ row, onRecover }: { row: FailingEndpoint; onRecover: () => void }) {
  const endpointHref = `/apps/${row.appId}/endpoints/${row.endpointId}`;
  const last = row.lastAttempt;
  return (
    <tr>
      <td>
        <Link href={endpointHref} className="cell-main break">
          {row.url}
        </Link>
        <div className="cell-sub mono">{row.endpointUid ?? row.endpointId}</div>
      </td>
      <td>
        <Link href={`/apps/${row.appId}`}>{row.appName}</Link>
        <div className="cell-sub mono">{row.appUid ?? row.appId}</div>
      </td>
      <td>
        <div className="chips">
          {row.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="warning">Failing</Badge>}
          {row.exhausted ? <Badge tone="danger">Retries exhausted</Badge> : null}
        </div>
        <div className="cell-sub">
          failing since <Time value={row.failingSince} />
        </div>
      </td>
      <td className="last-error">
        {last ? (
          <>
            <div className="row">
              <HttpStatusBadge code={last.responseStatusCode} /> <Time value={last.timestamp} />
            </div>
            {firstLine(last.response) ? <div className="cell-sub mono break">{firstLine(last.response)}</div> : null}
            <Link href={`/apps/${row.appId}/messages/${last.msgId}`} className="small">
              View message
            </Link>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="cell-actions">
        <div className="row row-end">
          <Button size="sm" onClick={onRecover}>
            Recover
          </Button>
          {row.disabled ? <EnableEndpointButton appId={row.appId} endpointId={row.endpointId} /> : null}
        </div>
      </td>
    </tr>
  );
}
