import type { ReactNode } from 'react';

export interface NavItem {
  href: string;
  label: string;
  active: boolean;
}

/**
 * The frame of both apps: a skip link, a header with the product's name or logo, a navigation
 * list and the main region. Links are hash routes, so they are plain anchors (keyboard and
 * middle-click work).
 */
export function Shell({
  brand,
  nav,
  actions,
  children,
}: {
  brand: ReactNode;
  nav: NavItem[];
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">{brand}</div>
        <div className="topbar-actions">{actions}</div>
      </header>
      <div className="shell-body">
        <nav className="sidenav" aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.active ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1} className="main">
          {children}
        </main>
      </div>
    </div>
  );
}
