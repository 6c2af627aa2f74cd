import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { data } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { StatusBadge } from '../shared/components/Badge.js';
import { Button } from '../shared/components/Button.js';
import { SelectField } from '../shared/components/Field.js';
import { EmptyState } from '../shared/components/Loading.js';
import { PagedQueryView } from '../shared/components/PagedQueryView.js';
import { Time } from '../shared/components/Time.js';
import { usePages } from '../shared/use-pages.js';
import { useAppId } from './app-id.js';
import { dateRangeError, dateRangeQuery, type DateRange } from './date-range.js';
import { DateRangeFields } from './DateRangeFields.js';
import { queryKeys } from './query-keys.js';
import { useSessionState } from './use-session-state.js';

const PAGE_SIZE = 50;
type Status = 0 | 1 | 2 | 3 | 4;
const STATUSES: Array<{ value: Status; label: string }> = [
  { value: 0, label: 'Succeeded' },
  { value: 2, label: 'Failed' },
  { value: 1, label: 'Pending' },
  { value: 3, label: 'Sending' },
  { value: 4, label: 'Canceled' },
];

interface Filters extends DateRange {
  /** '' = any status. */
  status: string;
}
const NO_FILTERS: Filters = { status: '', since: '', until: '' };

/** The messages sent to one endpoint, newest first, with each one's delivery status there. */
export function EndpointMessages({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const appId = useAppId();
  const pages = usePages();
  const [filters, setFilters] = useSessionState<Filters>(`endpoint-messages.${appId}.${endpointId}`, NO_FILTERS);
  const invalid = dateRangeError(filters) !== null;
  const query = { ...dateRangeQuery(filters), ...(filters.status ? { status: Number(filters.status) as Status } : {}) };
  const messages = useQuery({
    queryKey: queryKeys.endpointPart(appId, endpointId, 'messages', query, pages.iterator),
    enabled: !invalid,
    placeholderData: keepPreviousData,
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg', {
          params: {
            path: { app_id: appId, endpoint_id: endpointId },
            query: { ...query, limit: PAGE_SIZE, iterator: pages.iterator, with_content: false },
          },
        }),
      ),
  });
  const change = (next: Filters) => {
    setFilters(next);
    pages.reset();
  };
  const filtered = filters.status !== '' || filters.since !== '' || filters.until !== '';

  const empty = (
    <EmptyState title={filtered ? 'No messages match these filters' : 'No messages sent to this endpoint yet'}>
      {filtered ? (
        <Button onClick={() => change(NO_FILTERS)}>Clear filters</Button>
      ) : (
        <p>Messages appear here as soon as an event this endpoint subscribes to is sent. Try the Testing tab.</p>
      )}
    </EmptyState>
  );

  return (
    <section aria-label="Messages">
      <div className="filters">
        <SelectField
          label="Status"
          value={filters.status}
          onChange={(e) => change({ ...filters, status: e.target.value })}
        >
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s.value} value={String(s.value)}>
              {s.label}
            </option>
          ))}
        </SelectField>
        <DateRangeFields value={filters} onChange={(range) => change({ ...filters, ...range })} />
        <Button
          size="sm"
          variant="ghost"
          onClick={() => messages.refetch()}
          busy={messages.isFetching && !messages.isPending}
        >
          Refresh
        </Button>
      </div>
      {invalid ? null : (
        <PagedQueryView query={messages} pages={pages} loadingLabel="Loading messages…" empty={empty}>
          {(items) => (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Messages sent to this endpoint</caption>
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Event type</th>
                    <th scope="col">Message</th>
                    <th scope="col">Created</th>
                    <th scope="col">Next attempt</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((message) => (
                    <tr key={message.id}>
                      <td>
                        <StatusBadge status={message.status} />
                      </td>
                      <td>
                        <Link href={`/messages/${message.id}`} className="cell-main mono">
                          {message.eventType}
                        </Link>
                      </td>
                      <td>
                        <Link
                          href={`/messages/${message.id}`}
                          className="mono small"
                          aria-label={`Message ${message.id}`}
                        >
                          {message.id}
                        </Link>
                      </td>
                      <td className="nowrap">
                        <Time value={message.timestamp} />
                      </td>
                      <td className="nowrap">
                        {message.nextAttempt ? <Time value={message.nextAttempt} /> : <span className="muted">—</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </PagedQueryView>
      )}
    </section>
  );
}
