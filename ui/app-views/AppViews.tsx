import { useEffect } from 'react';
import { Route, Router, Switch, useLocation, useRouter } from 'wouter';
import { NotFoundPage } from '../shared/components/NotFoundPage.js';
import { AppIdProvider } from './app-id.js';
import { AppNav } from './AppNav.js';
import { EndpointCreatePage } from './EndpointCreatePage.js';
import { EndpointDetailPage, type EndpointTab } from './EndpointDetailPage.js';
import { EndpointEditPage } from './EndpointEditPage.js';
import { EndpointsPage } from './EndpointsPage.js';
import { EventCatalogPage } from './EventCatalogPage.js';
import { MessageDetailPage } from './MessageDetailPage.js';
import { MessagesPage } from './MessagesPage.js';
import './app-views.css';

export interface AppViewsProps {
  appId: string;
  /** Where these pages live in the host's hash routes: '' in the portal, `/apps/<appId>` in the dashboard. */
  basePath: string;
  /** Show the sections (Endpoints, Messages, Event catalog) as a bar above the page (Default: false). */
  showNav?: boolean;
}

/**
 * One application's pages, shared by the portal and the dashboard. Routes are relative to
 * `basePath`, whether the host mounts this inside a nested route or not.
 */
export function AppViews({ appId, basePath, showNav = false }: AppViewsProps) {
  const parentBase = useRouter().base;
  const base = basePath.startsWith(parentBase) ? basePath.slice(parentBase.length) : basePath;
  return (
    <AppIdProvider appId={appId}>
      <Router base={base}>
        <ScrollToTop />
        {showNav ? <AppNav /> : null}
        <AppRoutes />
      </Router>
    </AppIdProvider>
  );
}

function AppRoutes() {
  return (
    <Switch>
      <Route path="/">
        <EndpointsPage />
      </Route>
      <Route path="/endpoints/new">
        <EndpointCreatePage />
      </Route>
      <Route path="/endpoints/:id/edit">{({ id }) => <EndpointEditPage key={id} endpointId={id} />}</Route>
      <Route path="/endpoints/:id/:tab?">
        {({ id, tab }) => <EndpointDetailPage key={id} endpointId={id} tab={(tab ?? 'overview') as EndpointTab} />}
      </Route>
      <Route path="/messages">
        <MessagesPage />
      </Route>
      <Route path="/messages/:id">{({ id }) => <MessageDetailPage key={id} messageId={id} />}</Route>
      <Route path="/event-types">
        <EventCatalogPage />
      </Route>
      <Route>
        <NotFoundPage of="this application" homeLabel="Go to the endpoints" />
      </Route>
    </Switch>
  );
}

/** A new page starts at its top, as it would on a real navigation; switching tabs keeps the place. */
function ScrollToTop() {
  const [path] = useLocation();
  const page = path.replace(/\/(messages|testing)$/, '');
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [page]);
  return null;
}
