import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { data } from '../../shared/api.js';
import { Badge } from '../../shared/components/Badge.js';
import { CheckboxField } from '../../shared/components/Field.js';
import { EmptyState } from '../../shared/components/Loading.js';
import { PagedQueryView } from '../../shared/components/PagedQueryView.js';
import { PageHeader } from '../../shared/components/PageHeader.js';
import { Time } from '../../shared/components/Time.js';
import { usePages } from '../../shared/use-pages.js';
import { useApi } from '../../shared/api-context.js';
import { dashboardKeys } from '../query-keys.js';

const PAGE_SIZE = 50;

/** The event catalog every application shares: what producers send and endpoints subscribe to. */
export function EventTypesPage() {
  const api = useApi();
  const [showArchived, setShowArchived] = useState(false);
  const pages = usePages();
  const eventTypes = useQuery({
    queryKey: dashboardKeys.eventTypes(showArchived, pages.iterator),
    placeholderData: keepPreviousData,
    queryFn: () =>
      data(
        api.GET('/api/v1/event-type', {
          params: {
            query: { limit: PAGE_SIZE, iterator: pages.iterator, include_archived: showArchived, with_content: true },
          },
        }),
      ),
  });
  const newButton = (
    <Link href="/event-types/new" className="btn btn-primary">
      New event type
    </Link>
  );
  const empty = (
    <EmptyState title={showArchived ? 'No event types' : 'No event types yet'}>
      <p>
        Describe each kind of message you send, with a JSON Schema and an example: customers see them in their portal's
        catalog.
      </p>
    </EmptyState>
  );

  return (
    <>
      <PageHeader
        title="Event types"
        actions={newButton}
        description="The kinds of messages you send. Every application's endpoints subscribe to them, and customers see them in their portal's event catalog."
      />
      <div className="filters">
        <CheckboxField
          label="Show archived"
          checked={showArchived}
          onChange={(e) => {
            setShowArchived(e.target.checked);
            pages.reset();
          }}
        />
      </div>
      <PagedQueryView query={eventTypes} pages={pages} loadingLabel="Loading event types…" empty={empty}>
        {(items) => (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Description</th>
                  <th scope="col">Schema</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {items.map((type) => {
                  const versions = Object.keys(type.schemas ?? {});
                  return (
                    <tr key={type.name}>
                      <td>
                        <Link href={`/event-types/${type.name}`} className="cell-main mono">
                          {type.name}
                        </Link>
                        {type.archived || type.deprecated ? (
                          <div className="chips">
                            {type.archived ? <Badge>Archived</Badge> : null}
                            {type.deprecated ? <Badge tone="warning">Deprecated</Badge> : null}
                          </div>
                        ) : null}
                      </td>
                      <td className="cell-description">{type.description || <span className="muted">—</span>}</td>
                      <td>
                        {versions.length > 0 ? (
                          `Version ${versions.sort((a, b) => Number(a) - Number(b)).at(-1)}`
                        ) : (
                          <span className="muted">None</span>
                        )}
                      </td>
                      <td className="nowrap">
                        <Time value={type.updatedAt} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </PagedQueryView>
    </>
  );
}
