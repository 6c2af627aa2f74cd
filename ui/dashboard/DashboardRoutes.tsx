import { lazy } from 'react';
import { Route, Switch } from 'wouter';
import { NotFoundPage } from '../shared/components/NotFoundPage.js';

// Each page is its own chunk: the first visit loads the shell and the page it opens.
const OverviewPage = lazy(() => import('./overview/OverviewPage.js').then((m) => ({ default: m.OverviewPage })));
const ApplicationsPage = lazy(() =>
  import('./apps/ApplicationsPage.js').then((m) => ({ default: m.ApplicationsPage })),
);
const AppPage = lazy(() => import('./apps/AppPage.js').then((m) => ({ default: m.AppPage })));
const FailingEndpointsPage = lazy(() =>
  import('./failing/FailingEndpointsPage.js').then((m) => ({ default: m.FailingEndpointsPage })),
);
const EventTypesPage = lazy(() =>
  import('./event-types/EventTypesPage.js').then((m) => ({ default: m.EventTypesPage })),
);
const EventTypeCreatePage = lazy(() =>
  import('./event-types/EventTypeCreatePage.js').then((m) => ({ default: m.EventTypeCreatePage })),
);
const EventTypeEditPage = lazy(() =>
  import('./event-types/EventTypeEditPage.js').then((m) => ({ default: m.EventTypeEditPage })),
);
const OperationalWebhooksPage = lazy(() =>
  import('./operational-webhooks/OperationalWebhooksPage.js').then((m) => ({ default: m.OperationalWebhooksPage })),
);
const SettingsPage = lazy(() => import('./settings/SettingsPage.js').then((m) => ({ default: m.SettingsPage })));

/** The dashboard's hash routes (the ui contract's list); `/apps/:appId/…` hands the rest to the app views. */
export function DashboardRoutes() {
  return (
    <Switch>
      <Route path="/">
        <OverviewPage />
      </Route>
      <Route path="/apps">
        <ApplicationsPage />
      </Route>
      <Route path="/apps/:appId/*?">{(params) => <AppPage key={params.appId} appId={params.appId} />}</Route>
      <Route path="/failing">
        <FailingEndpointsPage />
      </Route>
      <Route path="/event-types">
        <EventTypesPage />
      </Route>
      <Route path="/event-types/new">
        <EventTypeCreatePage />
      </Route>
      <Route path="/event-types/:name">{(params) => <EventTypeEditPage key={params.name} name={params.name} />}</Route>
      <Route path="/operational-webhooks">
        <OperationalWebhooksPage />
      </Route>
      <Route path="/settings">
        <SettingsPage />
      </Route>
      <Route>
        <NotFoundPage of="the dashboard" homeLabel="Go to the overview" />
      </Route>
    </Switch>
  );
}
