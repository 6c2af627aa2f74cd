import { Link, useLocation } from 'wouter';
import { appNavItems } from './app-nav.js';

/**
 * The app pages' sections as a bar above them, for a host whose own navigation lists other
 * things (the dashboard). Rendered inside AppViews' router, so paths are relative to its base.
 */
export function AppNav() {
  const [path] = useLocation();
  return (
    <nav className="app-nav" aria-label="Application">
      {appNavItems('', path).map((item) => (
        <Link key={item.href} href={item.href.slice(1)} aria-current={item.active ? 'page' : undefined}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
