import type { NavItem } from '../shared/components/Shell.js';

/** The app pages' sections, for a Shell's navigation. `path` is the hash path now shown. */
export function appNavItems(basePath: string, path: string): NavItem[] {
  const local = path.startsWith(basePath) ? path.slice(basePath.length) || '/' : path;
  const section = (prefix: string) => local === prefix || local.startsWith(`${prefix}/`);
  return [
    { href: `#${basePath}/`, label: 'Endpoints', active: local === '/' || section('/endpoints') },
    { href: `#${basePath}/messages`, label: 'Messages', active: section('/messages') },
    { href: `#${basePath}/event-types`, label: 'Event catalog', active: section('/event-types') },
  ];
}
