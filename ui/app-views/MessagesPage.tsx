import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { data } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { Button } from '../shared/components/Button.js';
import { SelectField, TextField } from '../shared/components/Field.js';
import { EmptyState } from '../shared/components/Loading.js';
import { PagedQueryView } from '../shared/components/PagedQueryView.js';
import { PageHeader } from '../shared/components/PageHeader.js';
import { Time } from '../shared/components/Time.js';
import { useDebouncedValue } from '../shared/use-debounced-value.js';
import { usePages } from '../shared/use-pages.js';
import { useAppId } from './app-id.js';
import { dateRangeError, dateRangeQuery, type DateRange } from './date-range.js';
import { DateRangeFields } from './DateRangeFields.js';
import { queryKeys } from './query-keys.js';
import { useEventTypes } from './use-event-types.js';
import { useSessionState } from './use-session-state.js';

const PAGE_SIZE = 50;

interface Filters extends DateRange {
  /** '' = every event type. */
  eventType: string;
  channel: string;
}
const NO_FILTERS: Filters = { eventType: '', channel: '', since: '', until: '' };

/** Every message sent to this application, newest first. */
export function MessagesPage() {
  const api = useApi();
  const appId = useAppId();
  const pages = usePages();
  const eventTypes = useEventTypes();
  const [filters, setFilters] = useSessionState<Filters>(`messages.${appId}`, NO_FILTERS);
  const channel = useDebouncedValue(filters.channel.trim());
  const invalid = dateRangeError(filters) !== null;
  const query = {
    ...dateRangeQuery(filters),
    ...(filters.eventType ? { event_types: [filters.eventType] } : {}),
    ...(channel ? { channel } : {}),
  };
  const messages = useQuery({
    queryKey: [...queryKeys.messages(appId), query, pages.iterator],
    enabled: !invalid,
    placeholderData: keepPreviousData,
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/msg', {
          params: {
            path: { app_id: appId },
            query: { ...query, limit: PAGE_SIZE, iterator: pages.iterator, with_content: false },
          },
        }),
      ),
  });
  const change = (next: Filters) => {
    setFilters(next);
    pages.reset();
  };
  const filtered = Object.values(filters).some(Boolean);
  const empty = (
    <EmptyState title={filtered ? 'No messages match these filters' : 'No messages yet'}>
      {filtered ? (
        <Button onClick={() => change(NO_FILTERS)}>Clear filters</Button>
      ) : (
        <p>Every event sent to you appears here, with its payload and each delivery attempt.</p>
      )}
    </EmptyState>
  );

  return (
    <>
      <PageHeader
        title="Messages"
        description="Every event sent to you. Open one to see its payload and each delivery attempt."
      />
      <div className="filters">
        <SelectField
          label="Event type"
          value={filters.eventType}
          onChange={(e) => change({ ...filters, eventType: e.target.value })}
        >
          <option value="">Any event type</option>
          {(eventTypes.data ?? [])
            .map((t) => t.name)
            .sort()
            .map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          {filters.eventType && !eventTypes.data?.some((t) => t.name === filters.eventType) ? (
            <option value={filters.eventType}>{filters.eventType}</option>
          ) : null}
        </SelectField>
        <TextField
          label="Channel"
          value={filters.channel}
          placeholder="Any channel"
          spellCheck={false}
          onChange={(e) => change({ ...filters, channel: e.target.value })}
        />
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
                <caption className="visually-hidden">Messages</caption>
                <thead>
                  <tr>
                    <th scope="col">Event type</th>
                    <th scope="col">Message</th>
                    <th scope="col">Channels</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((message) => (
                    <tr key={message.id}>
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
                        {message.eventId ? (
                          <div className="cell-sub">
                            Event ID <span className="mono">{message.eventId}</span>
                          </div>
                        ) : null}
                      </td>
                      <td>
                        {message.channels?.length ? message.channels.join(', ') : <span className="muted">—</span>}
                      </td>
                      <td className="nowrap">
                        <Time value={message.timestamp} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </PagedQueryView>
      )}
    </>
  );
}
