import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ROOT } from '../support/server-process.js';
import { UI_ADMIN_TOKEN, type HookrelayProcess } from './ui-servers.js';
import { UI_TIMEOUT, waitFor } from './ui-wait.js';

/**
 * The browser suite's harness (issue 17): Debian's chromium driven by playwright-core, a real
 * Hookrelay server in a child process, real receivers on loopback. Each test file starts one
 * browser and one server and reuses them; every page it opens fails its test on any `dialog`
 * (alert/confirm/prompt: a script ran that should not have) and any uncaught page error.
 *
 * Without /usr/bin/chromium or without the built UI (dist/ui), the suite skips with one clear
 * line locally and fails in CI (CI=true).
 */

export const CHROMIUM = '/usr/bin/chromium';
export const DIST_UI = join(ROOT, 'dist/ui');
export const SCREENSHOTS = process.env.SCREENSHOTS === '1';
export const SCREENSHOT_DIR = join(ROOT, 'docs/screenshots');
const CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Why the browser suite cannot run here, or undefined when it can. In CI a missing prerequisite
 * is an error, never a skip. `needBrowser: false` for tests that only read dist/ui.
 */
export function suiteSkipReason({ needBrowser = true }: { needBrowser?: boolean } = {}): string | undefined {
  const missing: string[] = [];
  if (needBrowser && !existsSync(CHROMIUM)) missing.push(`${CHROMIUM} not found; apt-get install -y chromium`);
  if (!existsSync(join(DIST_UI, 'index.html')) || !existsSync(join(DIST_UI, 'portal/index.html')))
    missing.push('dist/ui/index.html not found; npm run build:ui');
  if (missing.length === 0) return undefined;
  const line = `browser suite skipped: ${missing.join('; ')}`;
  if (CI) throw new Error(`${line.replace('skipped', 'cannot run')} (CI=true: the browser suite is mandatory)`);
  console.log(line);
  return line;
}

// ---------------------------------------------------------------------------------------------
// Bounded waits

/** Wait until the locator is visible (bounded); a clear error names what was expected. */
export async function visible(locator: Locator, what: string, timeoutMs = UI_TIMEOUT): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (err) {
    throw new Error(`expected ${what} to be visible within ${timeoutMs} ms (${(err as Error).message.split('\n')[0]})`);
  }
  return locator.first();
}

/** The page's main heading by its exact name. */
export function heading(scope: Page | Locator | ReturnType<Page['frameLocator']>, name: string | RegExp): Locator {
  return scope.getByRole('heading', { name, exact: typeof name === 'string' ? true : undefined });
}

// Server, receivers, host pages: ui-servers.ts
export * from './ui-servers.js';
export * from './ui-wait.js';

// ---------------------------------------------------------------------------------------------
// Browser and pages

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Dialogs and page errors seen so far: each one fails the test. */
  problems: string[];
  /** Console messages of type error (all frames of the page). */
  consoleErrors: string[];
  /** Every console message's text. */
  console: string[];
}

/**
 * A fresh context (own sessionStorage) and page with a fixed 1280×800 viewport. Any dialog is
 * dismissed and recorded; any uncaught error recorded; `assertClean` (called by `withPage`)
 * fails the test on either.
 */
export async function newWatchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  const w: WatchedPage = { page, context, problems: [], consoleErrors: [], console: [] };
  page.on('dialog', (dialog) => {
    w.problems.push(`dialog (${dialog.type()}) opened: ${JSON.stringify(dialog.message())}`);
    dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (err) => {
    w.problems.push(`uncaught page error: ${err.message}`);
  });
  page.on('console', (msg) => {
    w.console.push(msg.text());
    if (msg.type() === 'error') w.consoleErrors.push(msg.text());
  });
  return w;
}

export function assertClean(w: WatchedPage): void {
  if (w.problems.length > 0) throw new Error(`the page misbehaved:\n  ${w.problems.join('\n  ')}`);
}

/** Run `fn` with a watched page; fail on any dialog/page error; always close the context. */
export async function withPage<T>(browser: Browser, fn: (w: WatchedPage) => Promise<T>): Promise<T> {
  const w = await newWatchedPage(browser);
  try {
    const out = await fn(w);
    assertClean(w);
    return out;
  } catch (err) {
    if (w.problems.length > 0) (err as Error).message += `\nalso, the page misbehaved:\n  ${w.problems.join('\n  ')}`;
    if (w.consoleErrors.length > 0)
      (err as Error).message += `\nconsole errors:\n  ${w.consoleErrors.slice(-10).join('\n  ')}`;
    (err as Error).message += `\nat ${w.page.url()}`;
    const text = await w.page
      .locator('body')
      .innerText({ timeout: 1_000 })
      .catch(() => '');
    (err as Error).message += `\npage text: ${JSON.stringify(text.slice(0, 400))}`;
    throw err;
  } finally {
    await w.context.close().catch(() => undefined);
  }
}

/** Save a full-page PNG to docs/screenshots/<name>.png when SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let charts and fonts settle: wait until nothing is loading (bounded).
  await page
    .getByRole('status')
    .filter({ hasText: /Loading/ })
    .first()
    .waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => undefined);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Wait until no "Loading…" placeholder is on the page (bounded). */
export async function settled(page: Page, timeoutMs = UI_TIMEOUT): Promise<void> {
  await waitFor(
    'the page to finish loading',
    async () => (await page.locator('.state-loading').count()) === 0,
    timeoutMs,
  );
}

// ---------------------------------------------------------------------------------------------
// Logging in

/** Dashboard: sign in with the admin token through the form. */
export async function dashboardLogin(page: Page, baseUrl: string, token = UI_ADMIN_TOKEN): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await visible(heading(page, 'Sign in to Hookrelay'), 'the dashboard sign-in heading');
  await page.getByLabel('Admin token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await visible(heading(page, 'Overview'), 'the Overview heading after signing in');
}

export interface PortalLink {
  url: string;
  token: string;
  key: string;
}

/** Mint a portal link for an app (admin) with the given body (capabilities, sessionId…). */
export async function portalLink(
  server: HookrelayProcess,
  appId: string,
  body: Record<string, unknown> = {},
): Promise<PortalLink> {
  const out = (await server.admin.expect(200, 'POST', `/api/v1/auth/app-portal-access/${appId}`, body)) as {
    url: string;
    token: string;
  };
  const u = new URL(out.url);
  const key = new URLSearchParams(u.hash.slice(1)).get('key');
  if (!key) throw new Error(`portal URL carries no #key=…: ${out.url}`);
  if (u.search.includes('key=') || u.search.includes('token='))
    throw new Error(`portal URL carries a secret in its query: ${out.url}`);
  return { url: out.url, token: out.token, key };
}

/** Exchange a link's one-time key for a session token through the public API (no browser). */
export async function exchangeKey(
  server: HookrelayProcess,
  key: string,
): Promise<{ token: string; capabilities: string[]; appId: string }> {
  const res = await fetch(`${server.url}/api/v1/auth/one-time-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ oneTimeToken: key }),
  });
  const body = (await res.json()) as { token: string; capabilities: string[]; appId: string };
  if (res.status !== 200) throw new Error(`one-time-token exchange: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Open a portal link in the page and wait for the endpoints list. */
export async function openPortal(page: Page, link: PortalLink): Promise<void> {
  await page.goto(link.url);
  await visible(heading(page, 'Endpoints'), "the portal's Endpoints heading");
}

// ---------------------------------------------------------------------------------------------
// Seeding through the API

export async function createApp(
  server: HookrelayProcess,
  name: string,
  uid?: string,
): Promise<{ id: string; name: string }> {
  return server.admin.expect(201, 'POST', '/api/v1/app', { name, ...(uid ? { uid } : {}) });
}

export async function createEventType(
  server: HookrelayProcess,
  name: string,
  description: string,
  schema: Record<string, unknown>,
): Promise<void> {
  await server.admin.expect(201, 'POST', '/api/v1/event-type', { name, description, schemas: { '1': schema } });
}

export async function createEndpoint(
  server: HookrelayProcess,
  appId: string,
  body: Record<string, unknown>,
): Promise<{ id: string; url: string }> {
  return server.admin.expect(201, 'POST', `/api/v1/app/${appId}/endpoint`, body);
}

export async function sendMessage(
  server: HookrelayProcess,
  appId: string,
  eventType: string,
  payload: unknown,
): Promise<{ id: string }> {
  return server.admin.expect(202, 'POST', `/api/v1/app/${appId}/msg`, { eventType, payload });
}

/** Wait until an endpoint has an attempt for a message (delivered or failed), via the API. */
export async function attemptsFor(server: HookrelayProcess, appId: string, msgId: string, n = 1): Promise<any[]> {
  return waitFor(
    `${n} attempt(s) for ${msgId}`,
    async () => {
      const page = await server.admin.expect(200, 'GET', `/api/v1/app/${appId}/attempt/msg/${msgId}`);
      return (page.data as any[]).length >= n ? (page.data as any[]) : null;
    },
    15_000,
  );
}

// ---------------------------------------------------------------------------------------------
// Accessibility and keyboard

const require = createRequire(import.meta.url);
let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string; html: string }>;
}

/** Run axe-core in the page (injected over CDP, which the page's CSP does not block). */
export async function axeSeriousViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations as AxeViolation[];
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function formatViolations(where: string, violations: AxeViolation[]): string {
  return (
    `${where}: ${violations.length} serious/critical axe violation(s)\n` +
    violations
      .map(
        (v) =>
          `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
          v.nodes
            .slice(0, 5)
            .map(
              (n) =>
                `      node ${JSON.stringify(n.target)}: ${n.html.slice(0, 160)}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`,
            )
            .join('\n'),
      )
      .join('\n')
  );
}

/** Press Tab (at most `max` times) until `target` has the focus; throws when it never does. */
export async function tabTo(page: Page, target: Locator, what: string, max = 60): Promise<void> {
  const el = target.first();
  await el.waitFor({ state: 'visible' });
  for (let i = 0; i < max; i += 1) {
    if (
      await el
        .evaluate((node) => node === document.activeElement || node.contains(document.activeElement))
        .catch(() => false)
    )
      return;
    await page.keyboard.press('Tab');
  }
  const active = await page.evaluate(() => {
    const a = document.activeElement;
    return a
      ? `${a.tagName.toLowerCase()} ${a.getAttribute('aria-label') ?? a.textContent?.slice(0, 40) ?? ''}`
      : 'nothing';
  });
  throw new Error(`${what} was not reached with ${max} Tab presses (focus on: ${active})`);
}

/**
 * Steps of one story (node:test `test`s run in order): once a step fails, the later ones fail
 * at once naming it, instead of each waiting out its own timeouts on a page in the wrong state.
 */
export function storySteps(
  test: (name: string, fn: () => Promise<void>) => unknown,
): (name: string, fn: () => Promise<void>) => void {
  let failed: string | null = null;
  return (name, fn) => {
    test(name, async () => {
      if (failed) throw new Error(`not run: the earlier step "${failed}" failed`);
      try {
        await fn();
      } catch (err) {
        failed = name;
        throw err;
      }
    });
  };
}
