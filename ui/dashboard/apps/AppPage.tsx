import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { AppViews } from '../../app-views/AppViews.js';
import { data } from '../../shared/api.js';
import { useApi } from '../../shared/api-context.js';
import { ErrorState } from '../../shared/components/ErrorState.js';
import { dashboardKeys } from '../query-keys.js';
import { PortalLinkButton } from './PortalLinkButton.js';

/**
 * One application, seen by the operator: its name and portal link above the app views (the
 * pages its customer sees in the portal), here with every capability.
 */
export function AppPage({ appId }: { appId: string }) {
  const api = useApi();
  const app = useQuery({
    queryKey: dashboardKeys.app(appId),
    queryFn: () => data(api.GET('/api/v1/app/{app_id}', { params: { path: { app_id: appId } } })),
  });
  if (app.isError) {
    return (
      <>
        <BackToApplications />
        <ErrorState error={app.error} onRetry={() => app.refetch()} />
      </>
    );
  }
  return (
    <>
      <div className="app-header">
        <div className="app-header-title">
          <BackToApplications />
          <p className="app-header-name">
            {app.data ? app.data.name : <span className="muted">Loading application…</span>}
          </p>
          <p className="cell-sub mono">
            {app.data?.uid ? <>{app.data.uid} · </> : null}
            {app.data?.id ?? appId}
          </p>
        </div>
        <PortalLinkButton appId={appId} />
      </div>
      <AppViews appId={appId} basePath={`/apps/${appId}`} showNav />
    </>
  );
}

function BackToApplications() {
  return (
    <p className="page-back">
      <Link href="/apps">
        <span aria-hidden="true">← </span>Applications
      </Link>
    </p>
  );
}
