import { Suspense } from 'react';
import { useLocation } from 'wouter';
import { Button } from '../shared/components/Button.js';
import { Loading } from '../shared/components/Loading.js';
import { Shell, type NavItem } from '../shared/components/Shell.js';
import { DashboardRoutes } from './DashboardRoutes.js';
import { PageErrorBoundary } from './PageErrorBoundary.js';

const NAV: Array<{ path: string; label: string }> = [
  { path: '/', label: 'Overview' },
  { path: '/apps', label: 'Applications' },
  { path: '/failing', label: 'Failing endpoints' },
  { path: '/event-types', label: 'Event types' },
  { path: '/operational-webhooks', label: 'Operational webhooks' },
  { path: '/settings', label: 'Settings' },
];

function isActive(path: string, location: string): boolean {
  return path === '/' ? location === '/' : location === path || location.startsWith(`${path}/`);
}

/** The signed-in frame: navigation, "Sign out", and the page of the current hash route. */
export function DashboardShell({ onSignOut }: { onSignOut: () => void }) {
  const [location] = useLocation();
  const nav: NavItem[] = NAV.map((item) => ({
    href: `#${item.path}`,
    label: item.label,
    active: isActive(item.path, location),
  }));
  return (
    <Shell
      brand={
        <>
          <span className="brand-mark" aria-hidden="true" /> Hookrelay <span className="muted small">Operator</span>
        </>
      }
      nav={nav}
      actions={
        <Button size="sm" onClick={onSignOut}>
          Sign out
        </Button>
      }
    >
      <PageErrorBoundary resetKey={location}>
        <Suspense fallback={<Loading />}>
          <DashboardRoutes />
        </Suspense>
      </PageErrorBoundary>
    </Shell>
  );
}
