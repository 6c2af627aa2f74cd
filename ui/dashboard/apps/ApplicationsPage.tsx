import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { data } from '../../shared/api.js';
import { Badge } from '../../shared/components/Badge.js';
import { Button } from '../../shared/components/Button.js';
import { TextField } from '../../shared/components/Field.js';
import { EmptyState } from '../../shared/components/Loading.js';
import { PagedQueryView } from '../../shared/components/PagedQueryView.js';
import { PageHeader } from '../../shared/components/PageHeader.js';
import { Time } from '../../shared/components/Time.js';
import { formatPercent } from '../../shared/format.js';
import { useDebouncedValue } from '../../shared/use-debounced-value.js';
import { usePages } from '../../shared/use-pages.js';
import { useApi } from '../../shared/api-context.js';
import type { AppHealth } from '../operator-types.js';
import { dashboardKeys } from '../query-keys.js';
import { CreateApplicationDialog } from './CreateApplicationDialog.js';
import { useAppHealth } from './use-app-health.js';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/** Every application, searchable by name, UID or ID, with its health over the last day. */
export function ApplicationsPage() {
  const api = useApi();
  const [, navigate] = useLocation();
  const [creating, setCreating] = useState(false);
  const [searchText, setSearchText] = useState('');
  const search = useDebouncedValue(searchText.trim(), SEARCH_DELAY_MS);
  const pages = usePages();
  // A new search starts again at its first page.
  const [pagedSearch, setPagedSearch] = useState(search);
  if (pagedSearch !== search) {
    setPagedSearch(search);
    pages.reset();
  }

  const apps = useQuery({
    queryKey: dashboardKeys.apps(search, pages.iterator),
    placeholderData: keepPreviousData,
    queryFn: () =>
      data(
        api.GET('/api/v1/app', {
          params: {
            query: { limit: PAGE_SIZE, iterator: pages.iterator, order: 'descending', ...(search ? { search } : {}) },
          },
        }),
      ),
  });
  const appIds = useMemo(() => apps.data?.data.map((app) => app.id) ?? [], [apps.data]);
  const health = useAppHealth(appIds);
  const empty = search ? (
    <EmptyState title="No matching applications">
      <p>Nothing matches “{search}” by name, UID or ID.</p>
    </EmptyState>
  ) : (
    <EmptyState title="No applications yet">
      <p>Create one for each of your customers; their endpoints receive the messages you send to it.</p>
      <Button variant="primary" onClick={() => setCreating(true)}>
        Create application
      </Button>
    </EmptyState>
  );

  return (
    <>
      <PageHeader
        title="Applications"
        description="Each application is one of your customers, with its own endpoints and message log."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create application
          </Button>
        }
      />
      <div className="filters app-search" role="search">
        <TextField
          label="Search applications"
          type="search"
          value={searchText}
          placeholder="Name, UID or app ID"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setSearchText(e.target.value)}
        />
      </div>
      <PagedQueryView query={apps} pages={pages} loadingLabel="Loading applications…" empty={empty}>
        {(items) => (
          <>
            {health.isError ? (
              <p className="notice notice-warning">
                Health figures could not be loaded.{' '}
                <Button size="sm" onClick={() => health.refetch()}>
                  Try again
                </Button>
              </p>
            ) : null}
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Application</th>
                    <th scope="col">Created</th>
                    <th scope="col" className="num">
                      Success (24 h)
                    </th>
                    <th scope="col" className="num">
                      Failing endpoints
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((app) => (
                    <tr key={app.id}>
                      <td>
                        <Link href={`/apps/${app.id}`} className="cell-main">
                          {app.name}
                        </Link>
                        <div className="cell-sub mono">
                          {app.uid ? <>{app.uid} · </> : null}
                          {app.id}
                        </div>
                      </td>
                      <td>
                        <Time value={app.createdAt} />
                      </td>
                      <HealthCells health={health.data?.get(app.id)} loading={health.isPending} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </PagedQueryView>
      <CreateApplicationDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(app) => {
          setCreating(false);
          navigate(`/apps/${app.id}`);
        }}
      />
    </>
  );
}

function HealthCells({ health, loading }: { health: AppHealth | undefined; loading: boolean }) {
  if (loading) {
    return (
      <>
        <td className="num muted">…</td>
        <td className="num muted">…</td>
      </>
    );
  }
  if (!health) {
    return (
      <>
        <td className="num muted">—</td>
        <td className="num">0</td>
      </>
    );
  }
  const rate =
    health.successRate ??
    (health.success + health.failure > 0 ? health.success / (health.success + health.failure) : null);
  const tone = rate === null ? 'neutral' : rate < 0.9 ? 'danger' : rate < 0.99 ? 'warning' : 'success';
  return (
    <>
      <td className="num">
        {rate === null ? (
          <span className="muted" title="No attempts in the last 24 hours">
            —
          </span>
        ) : (
          <Badge tone={tone}>{formatPercent(rate)}</Badge>
        )}
      </td>
      <td className="num">
        {health.failingEndpoints > 0 ? <Badge tone="danger">{health.failingEndpoints}</Badge> : '0'}
        {health.disabledEndpoints > 0 ? <div className="cell-sub">{health.disabledEndpoints} disabled</div> : null}
      </td>
    </>
  );
}
