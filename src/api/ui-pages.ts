import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EnvironmentSettingsCache } from '../domain/environment-settings.js';
import { isFrameAncestor } from '../domain/portal-settings.js';
import type { Store } from '../store/store.js';
import { contentSecurityPolicy, IMMUTABLE, NO_CACHE, uiHeaders } from './ui-headers.js';

/**
 * The two single-page apps, built by `npm run build:ui` into dist/ui: the operator dashboard at
 * `/`, the consumer portal at `/portal/`, their hashed assets under `/assets/`. They are static
 * files that use the public API like any client; nothing here authenticates (the pages hold no
 * data until they have a token). The build is looked for on every page load, so building it
 * while the server runs works without a restart.
 */

/** dist/ui of this installation: beside dist/api when built, in the repository's dist/ when run from source. */
export const DEFAULT_UI_ROOT = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../../dist/ui/' : '../ui/', import.meta.url),
);

export interface UiPagesOptions {
  /** The built UI's directory. (Default: DEFAULT_UI_ROOT) */
  root: string;
  store: Store;
  environment: EnvironmentSettingsCache;
}

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Hookrelay</title></head>
<body>
<h1>The dashboard and portal are not built</h1>
<p>Run <code>npm run build:ui</code> in the Hookrelay directory, then reload this page.</p>
<p>The API works without them: see <a href="/docs">/docs</a>.</p>
</body>
</html>
`;

const DASHBOARD_CSP = contentSecurityPolicy(null);

async function page(reply: FastifyReply, file: string, csp: string): Promise<FastifyReply> {
  let html: string;
  try {
    html = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    html = NOT_BUILT;
  }
  uiHeaders(reply, csp, NO_CACHE);
  return reply.type('text/html; charset=utf-8').send(html);
}

/**
 * Who may frame the portal: the app's own `frameAncestors` when it sets them (query `app`, ID or
 * uid), else the environment's. When the store does not answer, only this origin: a page that
 * cannot reach its settings is better unframed than framed by anyone.
 */
async function portalAncestors(req: FastifyRequest, opts: UiPagesOptions): Promise<string[]> {
  const appParam = (req.query as { app?: unknown }).app;
  try {
    await opts.environment.refresh();
    let ancestors = opts.environment.current.frameAncestors;
    if (typeof appParam === 'string' && appParam.length > 0 && appParam.length <= 256) {
      const app = await opts.store.getApplication(appParam);
      if (app) ancestors = (await opts.environment.forApp(app.id)).settings.frameAncestors;
    }
    return ancestors.filter(isFrameAncestor);
  } catch (err) {
    req.log.warn({ err }, 'portal page: settings unavailable; framing limited to this origin');
    return [];
  }
}

export async function uiPages(app: FastifyInstance, opts: UiPagesOptions): Promise<void> {
  const hide = { hide: true } as Record<string, unknown>;

  app.get('/', { schema: hide }, async (_req, reply) => page(reply, join(opts.root, 'index.html'), DASHBOARD_CSP));

  app.get('/portal/', { schema: hide }, async (req, reply) =>
    page(reply, join(opts.root, 'portal', 'index.html'), contentSecurityPolicy(await portalAncestors(req, opts))),
  );

  app.get('/portal', { schema: hide }, async (req, reply) => {
    const query = req.url.indexOf('?');
    return reply.redirect(`/portal/${query === -1 ? '' : req.url.slice(query)}`, 301);
  });

  await app.register(fastifyStatic, {
    root: join(opts.root, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    dotfiles: 'deny',
    cacheControl: false,
    setHeaders(res) {
      res.setHeader('content-security-policy', DASHBOARD_CSP);
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      res.setHeader('cache-control', IMMUTABLE);
    },
  });
}
