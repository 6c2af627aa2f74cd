import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { Link } from 'wouter';
import { data, type components } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { HttpStatusBadge, StatusBadge } from '../shared/components/Badge.js';
import { Button } from '../shared/components/Button.js';
import { CodeBlock } from '../shared/components/CodeBlock.js';
import { EmptyState } from '../shared/components/Loading.js';
import { PagedQueryView } from '../shared/components/PagedQueryView.js';
import { Card } from '../shared/components/PageHeader.js';
import { Time } from '../shared/components/Time.js';
import { formatDuration } from '../shared/format.js';
import { usePages } from '../shared/use-pages.js';
import { useAppId } from './app-id.js';
import { inFlight, refreshInterval } from './delivery-status.js';
import { queryKeys } from './query-keys.js';

type Attempt = components['schemas']['MessageAttemptOut'];
const PAGE_SIZE = 50;
const COLUMNS = 6;

/** Each attempt to deliver this message, newest first; a row opens to show what the receiver answered. */
export function AttemptsTable({ messageId }: { messageId: string }) {
  const api = useApi();
  const appId = useAppId();
  const queryClient = useQueryClient();
  const pages = usePages();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const attempts = useQuery({
    queryKey: queryKeys.messagePart(appId, messageId, 'attempts', pages.iterator),
    placeholderData: keepPreviousData,
    // New attempts arrive while a delivery of the message is under way, which its destinations tell.
    refetchInterval: () => {
      if (pages.pageNumber !== 1) return false;
      const destinations = queryClient.getQueryData<{ data: Array<{ status: number; nextAttempt: string | null }> }>(
        queryKeys.messagePart(appId, messageId, 'destinations'),
      );
      return refreshInterval(destinations?.data ?? []);
    },
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/attempt/msg/{msg_id}', {
          params: { path: { app_id: appId, msg_id: messageId }, query: { limit: PAGE_SIZE, iterator: pages.iterator } },
        }),
      ),
  });
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <Card title="Attempts">
      <PagedQueryView
        query={attempts}
        pages={pages}
        loadingLabel="Loading attempts…"
        empty={
          <EmptyState title="No attempts yet">
            <p>Delivery attempts appear here within moments of the message arriving.</p>
          </EmptyState>
        }
      >
        {(items) => (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Delivery attempts</caption>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Response code</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col">Time</th>
                  <th scope="col">Endpoint</th>
                  <th scope="col">
                    <span className="visually-hidden">Response</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((attempt) => (
                  <AttemptRows
                    key={attempt.id}
                    attempt={attempt}
                    expanded={open.has(attempt.id)}
                    onToggle={() => toggle(attempt.id)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedQueryView>
    </Card>
  );
}

function AttemptRows({ attempt, expanded, onToggle }: { attempt: Attempt; expanded: boolean; onToggle: () => void }) {
  const panelId = `attempt-${attempt.id}`;
  return (
    <Fragment>
      <tr>
        <td>
          <StatusBadge status={attempt.status} />
          {attempt.triggerType === 1 ? <div className="cell-sub">Manual</div> : null}
        </td>
        <td>
          {inFlight(attempt.status) ? (
            <span className="muted">—</span>
          ) : (
            <HttpStatusBadge code={attempt.responseStatusCode} />
          )}
        </td>
        <td className="num">{formatDuration(attempt.responseDurationMs)}</td>
        <td className="nowrap">
          <Time value={attempt.timestamp} />
        </td>
        <td>
          <Link href={`/endpoints/${attempt.endpointId}`} className="break">
            {attempt.url || attempt.endpointId}
          </Link>
        </td>
        <td className="cell-actions">
          <Button size="sm" variant="ghost" aria-expanded={expanded} aria-controls={panelId} onClick={onToggle}>
            {expanded ? 'Hide response' : 'Show response'}
          </Button>
        </td>
      </tr>
      {expanded ? (
        <tr id={panelId} className="row-detail">
          <td colSpan={COLUMNS}>
            {attempt.response ? (
              <CodeBlock label="Response body" value={attempt.response} maxHeight={320} />
            ) : (
              <p className="muted">The receiver sent no response body.</p>
            )}
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}
